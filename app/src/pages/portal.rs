use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::PortalFrame,
    i18n::{text_for_key, Msg},
    server_fns::{load_portal, AppError},
    wizard::Wizard,
};

#[component]
pub fn PortalPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let shop = move || params.with(|p| p.get("shop").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    let embed = move || query.with(|q| q.get("embed").is_some_and(|v| v == "1"));
    let portal = Resource::new(
        move || (shop(), lang()),
        |(shop, lang)| load_portal(shop, lang),
    );
    view! {
        <Suspense fallback=|| view! { <main class="page"><p>{Msg::Loading.text(Default::default())}</p></main> }>
            {move || Suspend::new(async move {
                match portal.await {
                    Ok(info) if !info.returns_enabled => {
                        let locale = info.locale;
                        view! { <PortalFrame portal=info embed=embed()><h1>{info_title(locale)}</h1><p>{Msg::ReturnsDisabled.text(locale)}</p></PortalFrame> }.into_any()
                    }
                    Ok(info) => view! { <PortalFrame portal=info.clone() embed=embed()><Wizard portal=info/></PortalFrame> }.into_any(),
                    Err(AppError::NotFound) => view! { <main class="page"><h1>{Msg::ShopNotFound.text(Default::default())}</h1></main> }.into_any(),
                    Err(error) => view! { <main class="page"><p role="alert">{text_for_key(error.message_key(), Default::default())}</p></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn info_title(locale: crate::domain::Locale) -> &'static str {
    Msg::PortalTitle.text(locale)
}
