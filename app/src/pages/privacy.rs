//! The shop's privacy notice: what is stored, for how long, and whom to ask.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::PortalFrame,
    i18n::Msg,
    server_fns::{load_portal, load_privacy},
};

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let shop = move || params.with(|p| p.get("shop").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    let embed = move || query.with(|q| q.get("embed").is_some_and(|v| v == "1"));
    let portal = Resource::new(move || (shop(), lang()), |(shop, lang)| load_portal(shop, lang));
    let notice = Resource::new(move || (shop(), lang()), |(shop, lang)| load_privacy(shop, lang));
    view! {
        <Suspense fallback=|| view! { <main class="page"><p>{Msg::Loading.text(Default::default())}</p></main> }>
            {move || Suspend::new(async move {
                let (Ok(info), Ok(text)) = (portal.await, notice.await) else {
                    return view! { <main class="page"><h1>{Msg::ShopNotFound.text(Default::default())}</h1></main> }.into_any();
                };
                let locale = info.locale;
                view! {
                    <PortalFrame portal=info embed=embed()>
                        <h1 id="step-heading">{Msg::PrivacyTitle.text(locale)}</h1>
                        <div class="privacy-notice">
                            {text.split("\n\n").map(|para| view! { <p>{para.to_owned()}</p> }).collect_view()}
                        </div>
                    </PortalFrame>
                }
                .into_any()
            })}
        </Suspense>
    }
}
