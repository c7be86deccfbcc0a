//! The built-in test checkout: a page inside the app that stands in for a payment provider,
//! clearly labelled, where a shopper (or a test) pays or declines a return fee.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::PortalFrame,
    i18n::{fill, text_for_key, Msg},
    server_fns::{complete_test_checkout, load_portal, test_checkout},
};

#[component]
pub fn TestCheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let shop = move || params.with(|p| p.get("shop").unwrap_or_default());
    let payment = move || params.with(|p| p.get("payment").unwrap_or_default());
    let key = move || query.with(|q| q.get("k").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    let portal = Resource::new(
        move || (shop(), lang()),
        |(shop, lang)| load_portal(shop, lang),
    );
    let checkout = Resource::new(
        move || (shop(), payment(), key()),
        |(shop, payment, key)| test_checkout(shop, payment, key),
    );
    let complete = Action::new(move |pay: &bool| {
        let (shop, payment, key, pay) = (shop(), payment(), key(), *pay);
        async move { complete_test_checkout(shop, payment, key, pay).await }
    });
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| match complete.value().get() {
        Some(Ok(path)) => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&path);
            }
        }
        Some(Err(error)) => problem.set(Some(error.message_key().to_owned())),
        None => {}
    });
    view! {
        <Suspense fallback=|| view! { <main class="page"><p>{Msg::Loading.text(Default::default())}</p></main> }>
            {move || Suspend::new(async move {
                let Ok(info) = portal.await else {
                    return view! { <main class="page"><h1>{Msg::ShopNotFound.text(Default::default())}</h1></main> }.into_any();
                };
                let locale = info.locale;
                let t = move |msg: Msg| msg.text(locale);
                let body = match checkout.await {
                    Ok(view) => {
                        let amount = view.amount.format(locale);
                        view! {
                            <h1 id="step-heading">{t(Msg::TestCheckoutHeading)}</h1>
                            <p class="test-checkout-banner" role="note">{t(Msg::TestCheckoutNotice)}</p>
                            <dl class="review-choices">
                                <dt>{view.shop_name.clone()}</dt>
                                <dd>{view.reference.clone()}</dd>
                                <dt>{t(Msg::FeeLabel)}</dt>
                                <dd>{amount.clone()}</dd>
                            </dl>
                            {move || problem.get().map(|key| view! { <p class="field-error" role="alert">{text_for_key(&key, locale)}</p> })}
                            {if view.open {
                                view! {
                                    <div class="actions">
                                        <button type="button" class="primary" data-testid="test-pay" on:click=move |_| { complete.dispatch(true); } disabled=move || complete.pending().get()>
                                            {fill(t(Msg::TestCheckoutPay), &[("amount", &amount)])}
                                        </button>
                                        <button type="button" class="link" data-testid="test-decline" on:click=move |_| { complete.dispatch(false); } disabled=move || complete.pending().get()>
                                            {t(Msg::TestCheckoutDecline)}
                                        </button>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <a class="button primary" href=view.status_path.clone()>{t(Msg::FollowReturn)}</a> }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(_) => view! { <h1 id="step-heading">{t(Msg::ErrorNotFound)}</h1> }.into_any(),
                };
                view! { <PortalFrame portal=info embed=false>{body}</PortalFrame> }.into_any()
            })}
        </Suspense>
    }
}
