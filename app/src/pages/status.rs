use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::PortalFrame,
    domain::{settlement::SettlementKind, Locale, ReturnStatus},
    dto::{FeeState, StatusView},
    i18n::{fill, format_date, method_msg, resolution_msg, text_for_key, Msg},
    server_fns::{cancel_return, load_portal, pay_fee, return_status},
};

pub fn status_msg(status: ReturnStatus) -> Msg {
    match status {
        ReturnStatus::AwaitingPayment => Msg::StatusAwaitingPayment,
        ReturnStatus::Requested => Msg::StatusRequested,
        ReturnStatus::Approved => Msg::StatusApproved,
        ReturnStatus::Rejected => Msg::StatusRejected,
        ReturnStatus::InTransit => Msg::StatusInTransit,
        ReturnStatus::Received => Msg::StatusReceived,
        ReturnStatus::Settled => Msg::StatusSettled,
        ReturnStatus::Cancelled => Msg::StatusCancelled,
        ReturnStatus::Expired => Msg::StatusExpired,
    }
}

fn date_of(unix: i64, locale: Locale) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format_date(t.date(), locale))
        .unwrap_or_default()
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let shop = move || params.with(|p| p.get("shop").unwrap_or_default());
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let key = move || query.with(|q| q.get("k").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    let embed = move || query.with(|q| q.get("embed").is_some_and(|v| v == "1"));
    let portal = Resource::new(
        move || (shop(), lang()),
        |(shop, lang)| load_portal(shop, lang),
    );
    let status = Resource::new(
        move || (shop(), reference(), key()),
        |(shop, reference, key)| return_status(shop, reference, key),
    );
    view! {
        <Suspense fallback=|| view! { <main class="page"><p>{Msg::Loading.text(Default::default())}</p></main> }>
            {move || Suspend::new(async move {
                let Ok(info) = portal.await else {
                    return view! { <main class="page"><h1>{Msg::ShopNotFound.text(Default::default())}</h1></main> }.into_any();
                };
                let locale = info.locale;
                let link = LinkParts { shop: shop(), reference: reference(), key: key(), declined: query.with_untracked(|q| q.get("declined").is_some()) };
                let body = match status.await {
                    Ok(view) => view! { <StatusDetails view locale link on_change=move || status.refetch()/> }.into_any(),
                    Err(_) => view! { <h1 id="step-heading">{Msg::ErrorNotFound.text(locale)}</h1><p>{Msg::StatusNotFound.text(locale)}</p> }.into_any(),
                };
                view! { <PortalFrame portal=info embed=embed()>{body}</PortalFrame> }.into_any()
            })}
        </Suspense>
    }
}

/// What the status page's own link carries, for the calls its buttons make.
#[derive(Clone)]
struct LinkParts {
    shop: String,
    reference: String,
    key: String,
    /// Back from a declined test checkout.
    declined: bool,
}

#[component]
fn StatusDetails(
    view: StatusView,
    locale: Locale,
    link: LinkParts,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = move |msg: Msg| msg.text(locale);
    let problem = RwSignal::new(link.declined.then(|| t(Msg::PaymentDeclined).to_owned()));
    let link = StoredValue::new(link);
    let pay = Action::new(move |_: &()| {
        let LinkParts {
            shop,
            reference,
            key,
            ..
        } = link.get_value();
        async move { pay_fee(shop, reference, key).await }
    });
    Effect::new(move |_| match pay.value().get() {
        // The provider's page opens at the top, even inside a shop's iframe.
        Some(Ok(url)) => crate::browser::open_checkout(&url),
        Some(Err(error)) => problem.set(Some(text_for_key(error.message_key(), locale).to_owned())),
        None => {}
    });
    let cancel = Action::new(move |_: &()| {
        let LinkParts {
            shop,
            reference,
            key,
            ..
        } = link.get_value();
        async move { cancel_return(shop, reference, key).await }
    });
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(_)) => on_change(),
        Some(Err(error)) => problem.set(Some(text_for_key(error.message_key(), locale).to_owned())),
        None => {}
    });
    let fee = view.fee.map(|fee| {
        let state = match fee.state {
            FeeState::ToPay => t(Msg::FeeToPay),
            FeeState::Paid => t(Msg::FeePaid),
            FeeState::Refunded => t(Msg::FeeRefunded),
            FeeState::Deducted => t(Msg::FeeDeducted),
        };
        let amount = fee.amount.format(locale);
        let to_pay = (fee.state == FeeState::ToPay && view.status == ReturnStatus::AwaitingPayment).then(|| {
            let label = fill(t(Msg::PayFee), &[("amount", &amount)]);
            view! {
                <p>{t(Msg::AwaitingPaymentNote)}</p>
                <button type="button" class="primary" data-testid="pay-fee" on:click=move |_| { pay.dispatch(()); } disabled=move || pay.pending().get()>{label}</button>
            }
        });
        view! {
            <div class="status-fee" data-fee-state=format!("{:?}", fee.state)>
                <p><strong>{t(Msg::FeeLabel)}</strong> " " {amount.clone()} " · " {state}</p>
                {to_pay}
            </div>
        }
    });
    let label = view.label_path.clone().map(|href| view! {
        <div class="status-label">
            <a class="button primary" href=href download data-testid="download-label">{t(Msg::DownloadLabel)}</a>
            {view.drop_off_qr_svg.clone().map(|svg| view! {
                <figure class="drop-off-code">
                    <div class="qr" role="img" aria-label=view.reference.clone() inner_html=svg></div>
                    <figcaption>{t(Msg::DropOffCode)}</figcaption>
                </figure>
            })}
        </div>
    });
    let can_cancel = view.can_cancel;
    view! {
        <h1 id="step-heading">{fill(t(Msg::StatusHeading), &[("reference", &view.reference)])}</h1>
        <p class="intro">{fill(t(Msg::StatusRequestedOn), &[("number", &view.order_number), ("date", &date_of(view.created_at_unix, locale))])}</p>
        <section class="status-current" aria-labelledby="status-current">
            <h2 id="status-current">{t(Msg::StatusCurrent)}</h2>
            <p class="status-badge" data-status=view.status.as_str()>{t(status_msg(view.status))}</p>
            {view.keep_items.then(|| view! { <p class="status-outcome">{t(Msg::StatusKeepItems)}</p> })}
            {view.explanation.clone().map(|text| view! {
                <div class="status-outcome"><h3>{t(Msg::StatusExplanation)}</h3><p class="status-explanation">{text}</p></div>
            })}
            {view.settled_as.map(|kind| {
                let amount = view.settled_amount.map(|m| m.format(locale)).unwrap_or_default();
                let text = match kind {
                    SettlementKind::Refund => fill(t(Msg::StatusSettledRefund), &[("amount", &amount)]),
                    SettlementKind::StoreCredit => fill(t(Msg::StatusSettledCredit), &[("amount", &amount)]),
                    SettlementKind::Exchange => t(Msg::StatusSettledExchange).to_owned(),
                };
                view! { <p class="status-outcome">{text}</p> }
            })}
            {view.withdrawal.clone().map(|w| view! {
                <div class="status-withdrawal">
                    <p><strong>{t(Msg::WithdrawKind)}</strong> " · " {t(Msg::WithdrawReceivedAt)} " " {w.received_at}</p>
                    <p>{t(Msg::WithdrawRefundNote)}</p>
                    <a class="button secondary" href=w.receipt_path download data-testid="withdrawal-receipt">{t(Msg::WithdrawDownload)}</a>
                </div>
            })}
            {fee}
            {label}
            {move || problem.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
        <ul class="lines">
            {view.items.into_iter().map(|item| view! {
                <li class="line review-line">
                    {item.thumb_url.map(|src| view! { <img class="review-thumb" src=src alt=fill(t(Msg::PhotoOf), &[("item", &item.title)]) width="64" height="64"/> })}
                    <div class="line-text">
                        <span class="line-title">{item.quantity} " × " {item.title.clone()}</span>
                        <span class="line-meta">{item.variant} " · " {item.reason.get(locale).to_owned()}</span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <dl class="review-choices">
            <dt>{t(Msg::ResolutionLegend)}</dt>
            <dd>{t(resolution_msg(view.resolution))}</dd>
            <dt>{t(Msg::MethodLegend)}</dt>
            <dd>{t(method_msg(view.method))}</dd>
        </dl>
        <section class="status-history" aria-labelledby="status-history">
            <h2 id="status-history">{t(Msg::StatusHistory)}</h2>
            <ol class="timeline">
                {view.history.into_iter().map(|entry| view! {
                    <li><span class="timeline-status">{t(status_msg(entry.status))}</span> " " <time>{date_of(entry.at_unix, locale)}</time></li>
                }).collect_view()}
            </ol>
        </section>
        {can_cancel.then(|| view! {
            <button type="button" class="link danger" data-testid="cancel-request" on:click=move |_| { cancel.dispatch(()); } disabled=move || cancel.pending().get()>{t(Msg::CancelRequest)}</button>
        })}
    }
}
