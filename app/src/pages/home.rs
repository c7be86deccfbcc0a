use leptos::prelude::*;

/// A self-hosted install serves its shops under `/{shop}`; the root only says so.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <main class="page home">
            <h1>"Retour"</h1>
            <p>"An open-source customer returns portal. Each shop's portal lives at its own address, for example "
                <a href="/demo">"/demo"</a> "."</p>
        </main>
    }
}
