//! API keys for the shop's integrations: made here, shown once, stored only as a hash,
//! revocable, with the last time each was used. Owners only.

use leptos::prelude::*;

use super::pages::{error_text, OfficeFrame};
use crate::{
    backoffice::dto::ApiKeyView,
    server_fns::{office_api_keys, office_create_api_key, office_revoke_api_key, AppError},
};

fn when(unix: Option<i64>) -> String {
    unix.map_or_else(|| "never".to_owned(), super::pages::when)
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let create = Action::new(|name: &String| office_create_api_key(name.clone()));
    let revoke = Action::new(|id: &String| office_revoke_api_key(id.clone()));
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| office_api_keys(),
    );
    let created = move || {
        create.value().get().map(|result| match result {
            Ok(new_key) => view! {
                <div class="office-notice" role="status">
                    <p><strong>"Copy this key now: it will not be shown again."</strong></p>
                    <label for="api-key-secret">{format!("Key “{}”", new_key.key.name)}</label>
                    <input id="api-key-secret" class="secret" readonly value=new_key.secret.clone()
                        on:focus=move |e| { let _ = event_target::<web_sys::HtmlInputElement>(&e).select(); }/>
                </div>
            }
            .into_any(),
            Err(AppError::Invalid(key)) if key.ends_with("too_many_keys") => view! {
                <p class="office-error" role="alert">"A shop has at most 20 active keys: revoke one first."</p>
            }
            .into_any(),
            Err(AppError::Invalid(_)) => view! {
                <p class="office-error" role="alert">"Give the key a name of 1 to 60 characters."</p>
            }
            .into_any(),
            Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
        })
    };
    let row = move |key: ApiKeyView| {
        let id = key.id.clone();
        let label = format!("Revoke key {}", key.name);
        view! {
            <tr class:revoked=key.revoked>
                <td>{key.name.clone()}</td>
                <td><code>{key.prefix.clone()}</code></td>
                <td>{when(Some(key.created_at_unix))} <span class="muted">{format!(" by {}", key.created_by)}</span></td>
                <td>{when(key.last_used_at_unix)}</td>
                <td>{if key.revoked {
                    view! { <span class="office-kind">"Revoked"</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="danger" aria-label=label
                            on:click=move |_| {
                                let confirmed = window().confirm_with_message("Revoke this key? Integrations using it stop at once.").unwrap_or(false);
                                if confirmed { revoke.dispatch(id.clone()); }
                            }>"Revoke"</button>
                    }.into_any()
                }}</td>
            </tr>
        }
    };
    view! {
        <OfficeFrame title="API keys".to_owned()>
            <h1>"API keys"</h1>
            <p class="muted">"Integrations push orders and act on returns through the API with a key. A key acts on this shop only; it cannot make or revoke keys. "
                <a href="/api/v1/reference">"API reference"</a></p>
            <section class="office-card" aria-labelledby="api-key-new">
                <h2 id="api-key-new">"New key"</h2>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(name.get_untracked()); }>
                    <label for="api-key-name">"Name (what uses it)"</label>
                    <input id="api-key-name" required maxlength="60" placeholder="Shop sync"
                        prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                    <button type="submit" class="primary" disabled=move || create.pending().get()>"Create key"</button>
                </form>
                {created}
            </section>
            <section class="office-card" aria-labelledby="api-key-list">
                <h2 id="api-key-list">"Keys"</h2>
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match keys.await {
                            Ok(list) if list.is_empty() => view! { <p class="muted">"No key yet."</p> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-scroll">
                                    <table class="office-table">
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Key"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                                    </table>
                                </div>
                            }.into_any(),
                            Err(error) => super::pages::failure(error),
                        }
                    })}
                </Suspense>
                {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! { <p class="office-error" role="alert">{error_text(&e)}</p> })}
            </section>
        </OfficeFrame>
    }
}
