//! The embedding kit: the snippet that puts the portal on the shop's own site (an iframe
//! and `embed.js`, which sizes it and re-announces the portal's events), the plain link
//! alternative, and deep links that fill in the order.

use leptos::prelude::*;

use super::pages::OfficeFrame;
use crate::{backoffice::dto::EmbedKitView, domain::Locale, server_fns::office_embed_kit};

fn snippet(kit: &EmbedKitView, lang: &str) -> String {
    let lang = if lang.is_empty() { String::new() } else { format!("&lang={lang}") };
    format!(
        "<iframe data-retour src=\"{portal}?embed=1{lang}\" title=\"Returns\"\n        style=\"width:100%;height:640px;border:0\"></iframe>\n<script src=\"{script}\" defer></script>",
        portal = kit.portal_url,
        script = kit.script_url,
    )
}

#[component]
pub fn EmbedPage() -> impl IntoView {
    let kit = Resource::new(|| (), |_| office_embed_kit());
    let lang = RwSignal::new(String::new());
    let body = move |kit: EmbedKitView| {
        let for_snippet = kit.clone();
        let link = format!("<a href=\"{}\">Return an item</a>", kit.portal_url);
        let deep = format!("{}?order=1001&email=camille%40example.fr", kit.portal_url);
        let no_sites = kit.allowed_origins.is_empty();
        view! {
            <section class="office-card" aria-labelledby="embed-iframe">
                <h2 id="embed-iframe">"On your own page"</h2>
                <p>"Paste this where the returns page should be. The frame grows with the portal's content; the shopper never leaves your site."</p>
                <label for="embed-lang">"Language"</label>
                <select id="embed-lang" on:change=move |e| lang.set(event_target_value(&e))>
                    <option value="">"The shopper's browser decides"</option>
                    {Locale::ALL.into_iter().map(|locale| view! {
                        <option value=locale.code()>{locale.native_name()}</option>
                    }).collect_view()}
                </select>
                <label for="embed-snippet">"Snippet"</label>
                <textarea id="embed-snippet" class="secret" rows="6" readonly
                    prop:value=move || snippet(&for_snippet, &lang.get())></textarea>
                {if no_sites {
                    view! { <p class="office-error" role="alert">"No site may frame the portal yet: add your shop's address under "<a href="/admin/settings">"Settings"</a>" → Sites allowed to embed."</p> }.into_any()
                } else {
                    view! { <p class="muted">{format!("Sites allowed to frame it: {}. ", kit.allowed_origins.join(", "))}<a href="/admin/settings">"Change"</a></p> }.into_any()
                }}
                <p class="muted">"Your page can listen on the iframe for "<code>"retour:step"</code>" (detail.step), "<code>"retour:submitted"</code>" (detail.reference) and "<code>"retour:resize"</code>"; the portal sends them only to the sites above."</p>
            </section>
            <section class="office-card" aria-labelledby="embed-link">
                <h2 id="embed-link">"As a link"</h2>
                <p>"Or link to the portal from your emails, order pages or footer:"</p>
                <label for="embed-link-html">"Link"</label>
                <input id="embed-link-html" class="secret" readonly value=link/>
                <h3>"Deep links"</h3>
                <p>"Add "<code>"order"</code>" and "<code>"email"</code>" to fill in the first step for the shopper, e.g. from an order confirmation:"</p>
                <input aria-label="Deep link example" class="secret" readonly value=deep/>
            </section>
        }
    };
    view! {
        <OfficeFrame title="Embed".to_owned()>
            <h1>"Put the portal on your site"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match kit.await {
                        Ok(kit) => body(kit).into_any(),
                        Err(error) => super::pages::failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}
