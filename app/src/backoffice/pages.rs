//! The back-office pages: sign-in, the inbox, a request's detail with its actions, and the
//! printable credit note. The merchant UI is in English for now; what the shopper reads
//! (statuses, the rejection explanation) is shown to them in their language.

use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    components::{Redirect, A},
    hooks::{use_navigate, use_params_map, use_query_map},
};

use super::dto::*;
use crate::{
    domain::{
        settlement::{restock_by_default, ItemCondition, SettlementKind},
        InboxTab, Locale, ReturnStatus,
    },
    i18n::text_for_key,
    server_fns::{
        current_merchant, merchant_login, merchant_logout, office_add_note, office_bulk_decide,
        office_credit_note, office_decide, office_inbox, office_receive, office_return,
        office_settle, tab_from_query, AppError, ReceivedField,
    },
};

pub(crate) fn status_label(status: ReturnStatus) -> &'static str {
    match status {
        ReturnStatus::AwaitingPayment => "Awaiting payment",
        ReturnStatus::Requested => "Awaiting decision",
        ReturnStatus::Approved => "Approved",
        ReturnStatus::Rejected => "Rejected",
        ReturnStatus::InTransit => "In transit",
        ReturnStatus::Received => "Received",
        ReturnStatus::Settled => "Settled",
        ReturnStatus::Cancelled => "Cancelled",
        ReturnStatus::Expired => "Expired",
    }
}

fn settlement_label(kind: SettlementKind) -> &'static str {
    match kind {
        SettlementKind::Refund => "Refund",
        SettlementKind::StoreCredit => "Store credit",
        SettlementKind::Exchange => "Exchange",
    }
}

pub(crate) fn when(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
        .unwrap_or_default()
}

pub(crate) fn error_text(error: &AppError) -> String {
    text_for_key(error.message_key(), Locale::En).to_owned()
}

/// Shown in place of a page when the call failed: sign-in for an expired session.
pub(crate) fn failure(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <Redirect path="/admin/login"/> }.into_any(),
        other => view! { <p class="office-error" role="alert">{error_text(&other)}</p> }.into_any(),
    }
}

#[component]
pub(crate) fn OfficeFrame(title: String, children: Children) -> impl IntoView {
    let me = Resource::new(|| (), |_| current_merchant());
    let logout = Action::new(|_: &()| merchant_logout());
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            let navigate = use_navigate();
            navigate("/admin/login", Default::default());
        }
    });
    view! {
        <Title text=format!("{title} · Retour back-office")/>
        <div class="office">
            <header class="office-header">
                <a class="office-brand" href="/admin">"Retour"</a>
                <nav aria-label="Back-office">
                    <a href="/admin">"Inbox"</a>
                    <a href="/admin/settings">"Settings"</a>
                    <a href="/admin/rules">"Return rules"</a>
                    <a href="/admin/emails">"Emails"</a>
                    <a href="/admin/import">"Import orders"</a>
                    <a href="/admin/privacy">"Shopper data"</a>
                    <a href="/admin/embed">"Embed"</a>
                    <a href="/admin/api-keys">"API keys"</a>
                    <a href="/admin/webhooks">"Webhooks"</a>
                </nav>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().flatten().map(|me| view! {
                            <span class="office-user">{me.email} " · " {me.shop_name}</span>
                            <button type="button" class="link-button" on:click=move |_| { logout.dispatch(()); }>"Sign out"</button>
                        })
                    })}
                </Suspense>
            </header>
            <main class="office-main">{children()}</main>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login =
        Action::new(|input: &(String, String)| merchant_login(input.0.clone(), input.1.clone()));
    let (email, set_email) = signal(String::new());
    let (password, set_password) = signal(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            let navigate = use_navigate();
            navigate("/admin", Default::default());
        }
    });
    let on_submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        login.dispatch((email.get_untracked(), password.get_untracked()));
    };
    view! {
        <Title text="Sign in · Retour back-office"/>
        <main class="office-login">
            <h1>"Sign in to your shop"</h1>
            <form on:submit=on_submit method="post" action="/api/merchant_login">
                <label for="login-email">"Email"</label>
                <input id="login-email" name="email" type="email" autocomplete="username" required
                    prop:value=email on:input=move |e| set_email.set(event_target_value(&e))/>
                <label for="login-password">"Password"</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |e| set_password.set(event_target_value(&e))/>
                {move || login.value().get().and_then(|r| r.err()).map(|e| view! { <p class="office-error" role="alert">{
                    if e == AppError::Unauthorized { "Wrong email or password.".to_owned() } else { error_text(&e) }
                }</p> })}
                <button type="submit" class="primary" disabled=move || login.pending().get()>"Sign in"</button>
            </form>
        </main>
    }
}

fn filters_from_query(query: &leptos_router::params::ParamsMap) -> InboxFilters {
    InboxFilters {
        tab: tab_from_query(query.get("tab")),
        status: query.get("status").and_then(|s| s.parse().ok()),
        reason: query.get("reason").unwrap_or_default(),
        country: query.get("country").unwrap_or_default(),
        from: query.get("from").unwrap_or_default(),
        to: query.get("to").unwrap_or_default(),
        search: query.get("q").unwrap_or_default(),
        page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
    }
}

fn inbox_href(filters: &InboxFilters, tab: InboxTab, page: u32) -> String {
    let mut params = vec![format!("tab={}", tab.as_str())];
    for (key, value) in [
        ("reason", &filters.reason),
        ("country", &filters.country),
        ("from", &filters.from),
        ("to", &filters.to),
        ("q", &filters.search),
    ] {
        if !value.is_empty() {
            params.push(format!("{key}={}", crate::components::urlencode(value)));
        }
    }
    if page > 0 {
        params.push(format!("page={page}"));
    }
    format!("/admin?{}", params.join("&"))
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(filters_from_query));
    let bulk = Action::new(|input: &(Vec<String>, String, String)| {
        office_bulk_decide(input.0.clone(), input.1.clone(), Some(input.2.clone()))
    });
    let page = Resource::new(
        move || (filters.get(), bulk.version().get()),
        |(filters, _)| office_inbox(filters),
    );
    view! {
        <OfficeFrame title="Inbox".into()>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <InboxView page filters=filters.get_untracked() bulk/> }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

#[component]
fn InboxView(
    page: InboxPage,
    filters: InboxFilters,
    bulk: Action<(Vec<String>, String, String), Result<BulkOutcome, AppError>>,
) -> impl IntoView {
    let tab = filters.tab;
    let selected = RwSignal::new(Vec::<String>::new());
    let explanation = RwSignal::new(String::new());
    let tab_link = |target: InboxTab, label: &'static str, count: i64| {
        view! {
            <a href=inbox_href(&filters, target, 0) class="office-tab" aria-current=(target == tab).then_some("page")>
                {label} " " <span class="count" data-tab=target.as_str()>{count}</span>
            </a>
        }
    };
    let run_bulk = move |action: &'static str| {
        bulk.dispatch((
            selected.get_untracked(),
            action.to_owned(),
            explanation.get_untracked(),
        ));
        selected.set(Vec::new());
    };
    let previous = (page.page > 0).then(|| inbox_href(&filters, tab, page.page - 1));
    let next = (page.page + 1 < page.page_count).then(|| inbox_href(&filters, tab, page.page + 1));
    view! {
        <h1>{page.shop_name.clone()} " · Returns"</h1>
        <nav class="office-tabs" aria-label="Inbox tabs">
            {tab_link(InboxTab::Requests, "Requests", page.counts.requests)}
            {tab_link(InboxTab::Returns, "Returns", page.counts.returns)}
            {tab_link(InboxTab::Closed, "Closed", page.counts.closed)}
        </nav>
        <form class="office-filters" method="get" action="/admin">
            <input type="hidden" name="tab" value=tab.as_str()/>
            <label>"Search" <input type="search" name="q" value=filters.search.clone() placeholder="Reference, order or email"/></label>
            <label>"Reason"
                <select name="reason">
                    <option value="">"Any"</option>
                    {page.reasons.iter().map(|(code, label)| view! { <option value=code.clone() selected=*code == filters.reason>{label.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Country" <input name="country" value=filters.country.clone() maxlength="2" size="3" placeholder="FR"/></label>
            <label>"From" <input type="date" name="from" value=filters.from.clone()/></label>
            <label>"To" <input type="date" name="to" value=filters.to.clone()/></label>
            <button type="submit">"Filter"</button>
        </form>
        {move || bulk.value().get().map(|outcome| match outcome {
            Ok(outcome) => view! { <p class="office-notice" role="status">{format!("{} decided", outcome.done.len())}
                {outcome.failed.into_iter().map(|(reference, key)| format!("; {reference}: {}", text_for_key(&key, Locale::En))).collect::<String>()}</p> }.into_any(),
            Err(error) => view! { <p class="office-error" role="alert">{error_text(&error)}</p> }.into_any(),
        })}
        {(tab == InboxTab::Requests && !page.rows.is_empty()).then(|| view! {
            <div class="office-bulk">
                <button type="button" on:click=move |_| run_bulk("approve_label") disabled=move || selected.with(Vec::is_empty)>"Approve selected"</button>
                <input aria-label="Explanation for rejecting the selected requests" placeholder="Explanation for the shopper"
                    prop:value=explanation on:input=move |e| explanation.set(event_target_value(&e))/>
                <button type="button" on:click=move |_| run_bulk("reject") disabled=move || selected.with(Vec::is_empty)>"Reject selected"</button>
            </div>
        })}
        <table class="office-table">
            <thead><tr><th scope="col"><span class="visually-hidden">"Select"</span></th><th scope="col">"Reference"</th><th scope="col">"Order"</th>
                <th scope="col">"Customer"</th><th scope="col">"Country"</th><th scope="col">"Items"</th><th scope="col">"Reasons"</th><th scope="col">"Status"</th><th scope="col">"Requested"</th></tr></thead>
            <tbody>
                {page.rows.into_iter().map(|row| {
                    let key = format!("{}:{}", row.id, row.version);
                    let checkbox_key = key.clone();
                    view! {
                        <tr>
                            <td><input type="checkbox" aria-label=format!("Select {}", row.reference)
                                prop:checked=move || selected.with(|s| s.contains(&key))
                                on:change=move |e| { let on = event_target_checked(&e); let key = checkbox_key.clone();
                                    selected.update(|s| if on { s.push(key) } else { s.retain(|k| *k != key) }); }/></td>
                            <td><A href=format!("/admin/returns/{}", row.id)>{row.reference}</A>
                                {row.withdrawal.then(|| view! { <br/><span class="office-kind" data-kind="withdrawal">"Legal withdrawal"</span> })}</td>
                            <td>{row.order_number}</td>
                            <td>{row.customer_name}<br/><span class="muted">{row.email}</span></td>
                            <td>{row.country}</td>
                            <td>{row.units}</td>
                            <td>{row.reasons.join(", ")}</td>
                            <td><span class="office-status" data-status=row.status.as_str()>{status_label(row.status)}</span></td>
                            <td>{when(row.created_at_unix)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(page.total == 0).then(|| view! { <p class="muted">"Nothing here."</p> })}
        <nav class="office-pages" aria-label="Pages">
            {previous.map(|href| view! { <a href=href>"← Previous"</a> })}
            <span>{format!("Page {} of {} · {} in all", page.page + 1, page.page_count, page.total)}</span>
            {next.map(|href| view! { <a href=href>"Next →"</a> })}
        </nav>
    }
}

#[component]
pub fn ReturnPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let changed = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), changed.get()), |(id, _)| office_return(id));
    view! {
        <OfficeFrame title="Return".into()>
            <p><a href="/admin">"← Inbox"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <ReturnView detail changed/> }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

#[component]
fn ReturnView(detail: ReturnDetailView, changed: RwSignal<u32>) -> impl IntoView {
    let locale = Locale::En;
    let money = move |m: crate::domain::Money| m.format(locale);
    let fee_line = (detail.fee.minor > 0).then(|| {
        format!(
            "{}{}",
            money(detail.fee),
            if detail.fee_refunded {
                " (refunded)"
            } else {
                ""
            }
        )
    });
    view! {
        <h1>{detail.reference.clone()} " " <span class="office-status" data-status=detail.status.as_str()>{status_label(detail.status)}</span>
            {detail.withdrawal.is_some().then(|| view! { " " <span class="office-kind" data-kind="withdrawal">"Legal withdrawal"</span> })}</h1>
        {detail.withdrawal.clone().map(|w| view! {
            <section class="office-card office-withdrawal" aria-labelledby="withdrawal-heading">
                <h2 id="withdrawal-heading">"Withdrawal statement"</h2>
                <p>"The consumer withdrew from the contract under the EU right of withdrawal: no reason is needed and no return rule, fee or refusal applies. Refund what they paid by " <strong>{w.refund_due_on.clone()}</strong> " (14 days after the statement); you may wait until the goods are back or the consumer shows proof of sending them."</p>
                <dl class="office-facts">
                    <dt>"Received"</dt><dd>{w.received_at.clone()}</dd>
                    <dt>"From"</dt><dd>{w.consumer_name.clone()} " · " {w.email.clone()}</dd>
                </dl>
                <pre class="statement">{w.statement.clone()}</pre>
            </section>
        })}
        <div class="office-columns">
            <section class="office-card" aria-labelledby="order-heading">
                <h2 id="order-heading">"Order " {detail.order_number.clone()}</h2>
                <dl class="office-facts">
                    <dt>"Customer"</dt><dd>{detail.customer_name.clone()} " · " {detail.email.clone()}</dd>
                    <dt>"Ships from"</dt><dd>{detail.country.clone()}</dd>
                    <dt>"Ordered"</dt><dd>{detail.placed_on.clone()}</dd>
                    <dt>"Delivered"</dt><dd>{detail.delivered_on.clone().unwrap_or_else(|| "not yet".into())}</dd>
                    <dt>"Wants"</dt><dd>{detail.resolution.as_str().replace('_', " ")} ", by " {detail.method.as_str().replace('_', " ")}</dd>
                    <dt>"Language"</dt><dd>{detail.locale.native_name()}</dd>
                    <dt>"Return fee"</dt><dd>{fee_line.unwrap_or_else(|| "none".into())}</dd>
                    {detail.with_label.map(|label| view! { <dt>"Label"</dt><dd>{if label { "with a return label" } else { "no label: the shopper keeps the items" }}</dd> })}
                    {(!detail.decision_note.is_empty()).then(|| view! { <dt>"Explanation sent"</dt><dd>{detail.decision_note.clone()}</dd> })}
                    {detail.credit_note_number.clone().map(|number| view! {
                        <dt>"Credit note"</dt><dd><a href=format!("/admin/returns/{}/credit-note", detail.id)>{number}</a></dd>
                    })}
                </dl>
            </section>
            <section class="office-card" aria-labelledby="items-heading">
                <h2 id="items-heading">"Items"</h2>
                <ul class="office-items">
                    {detail.items.iter().map(|item| view! {
                        <li>
                            {item.photo_thumb_url.clone().map(|thumb| view! {
                                <a href=item.photo_url.clone().unwrap_or_default() target="_blank" rel="noopener" class="office-photo">
                                    <img src=thumb alt=format!("Shopper's photo of {}", item.title) width="96" height="96"/>
                                </a>
                            })}
                            <div>
                                <strong>{item.quantity} " × " {item.title.clone()}</strong> " " <span class="muted">{item.variant.clone()} " · " {item.sku.clone()}</span><br/>
                                <span>{item.reason_label.clone()}</span>{item.defective.then_some(" (defective)")}
                                {(!item.comment.is_empty()).then(|| view! { <blockquote>{item.comment.clone()}</blockquote> })}
                                {item.received.clone().map(|r| view! { <p class="muted">{format!("Received {} ({}){}", r.quantity, r.condition.as_str().replace('_', " "), if r.restock { ", restocked" } else { "" })}</p> })}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </div>
        {detail.actions.decide.then(|| view! { <DecisionForm id=detail.id.clone() version=detail.version has_fee={detail.fee.minor > 0} changed/> })}
        {detail.actions.receive.then(|| view! { <ReceiveForm detail=detail.clone() changed/> })}
        {detail.actions.settle.then(|| view! { <SettleForm detail=detail.clone() changed/> })}
        <div class="office-columns">
            <section class="office-card" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"Timeline"</h2>
                <ol class="timeline">
                    {detail.history.iter().map(|entry| view! {
                        <li><strong>{status_label(entry.status)}</strong> " · " {entry.actor.clone()} " · " <time>{when(entry.at_unix)}</time>
                            {(!entry.note.is_empty()).then(|| view! { <br/><span class="muted">{entry.note.clone()}</span> })}</li>
                    }).collect_view()}
                </ol>
            </section>
            {(!detail.rule_explanations.is_empty()).then(|| view! {
                <section class="office-card" aria-labelledby="rules-heading">
                    <h2 id="rules-heading">"Return rules"</h2>
                    <ul class="office-rule-matches">
                        {detail.rule_explanations.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            }.into_any())}
            {(!detail.emails.is_empty()).then(|| view! {
                <section class="office-card" aria-labelledby="emails-heading">
                    <h2 id="emails-heading">"Emails to the shopper"</h2>
                    <super::emails::EmailTable emails=detail.emails.clone() changed/>
                </section>
            }.into_any())}
            <NotesCard id=detail.id.clone() notes=detail.notes.clone() changed/>
        </div>
    }
}

/// Runs a back-office action and reloads the request when it succeeds.
fn reload_on_success<T: Clone + Send + Sync + 'static, I: Send + Sync + 'static>(
    action: Action<I, Result<T, AppError>>,
    changed: RwSignal<u32>,
) {
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            changed.update(|n| *n += 1);
        }
    });
}

fn action_error<T: Clone + Send + Sync + 'static, I: Send + Sync + 'static>(
    action: Action<I, Result<T, AppError>>,
) -> impl IntoView {
    move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="office-error" role="alert">{error_text(&e)}</p> })
    }
}

#[component]
fn DecisionForm(id: String, version: i64, has_fee: bool, changed: RwSignal<u32>) -> impl IntoView {
    let decide = Action::new(|input: &(String, i64, String, bool, String)| {
        let (id, version, action, refund_fee, explanation) = input.clone();
        office_decide(
            id,
            version,
            action,
            refund_fee.then(|| "on".to_owned()),
            Some(explanation),
        )
    });
    reload_on_success(decide, changed);
    let refund_fee = RwSignal::new(false);
    let explanation = RwSignal::new(String::new());
    let run = move |action: &'static str| {
        decide.dispatch((
            id.clone(),
            version,
            action.to_owned(),
            refund_fee.get_untracked(),
            explanation.get_untracked(),
        ))
    };
    let (approve_label, approve_plain, reject) = (run.clone(), run.clone(), run);
    view! {
        <section class="office-card office-actions" aria-labelledby="decide-heading">
            <h2 id="decide-heading">"Decision"</h2>
            {has_fee.then(|| view! {
                <label><input type="checkbox" prop:checked=refund_fee on:change=move |e| refund_fee.set(event_target_checked(&e))/> " Refund the return fee"</label>
            })}
            <div class="office-buttons">
                <button type="button" class="primary" on:click=move |_| { approve_label("approve_label"); } disabled=move || decide.pending().get()>"✓ Approve with return label"</button>
                <button type="button" on:click=move |_| { approve_plain("approve_no_label"); } disabled=move || decide.pending().get()>"✓ Approve, nothing to send back"</button>
            </div>
            <label for="reject-explanation">"Explanation for the shopper (required to reject)"</label>
            <textarea id="reject-explanation" rows="3" maxlength="2000" prop:value=explanation on:input=move |e| explanation.set(event_target_value(&e))></textarea>
            <button type="button" class="danger" on:click=move |_| { reject("reject"); } disabled=move || decide.pending().get()>"✗ Reject"</button>
            {action_error(decide)}
        </section>
    }
}

#[component]
fn ReceiveForm(detail: ReturnDetailView, changed: RwSignal<u32>) -> impl IntoView {
    let receive = Action::new(|input: &(String, i64, Vec<ReceivedField>)| {
        office_receive(input.0.clone(), input.1, input.2.clone())
    });
    reload_on_success(receive, changed);
    let rows: Vec<(
        DetailItemView,
        RwSignal<u32>,
        RwSignal<ItemCondition>,
        RwSignal<bool>,
    )> = detail
        .items
        .iter()
        .map(|item| {
            (
                item.clone(),
                RwSignal::new(item.quantity),
                RwSignal::new(ItemCondition::AsNew),
                RwSignal::new(restock_by_default(item.defective, ItemCondition::AsNew)),
            )
        })
        .collect();
    let fields = rows.clone();
    let (id, version) = (detail.id.clone(), detail.version);
    let submit = move |_| {
        let items = fields
            .iter()
            .map(|(item, quantity, condition, restock)| ReceivedField {
                item_id: item.id.clone(),
                quantity: quantity.get_untracked(),
                condition: condition.get_untracked(),
                restock: restock.get_untracked().then(|| "on".into()),
            })
            .collect();
        receive.dispatch((id.clone(), version, items));
    };
    view! {
        <section class="office-card office-actions" aria-labelledby="receive-heading">
            <h2 id="receive-heading">"Parcel received"</h2>
            {rows.into_iter().map(|(item, quantity, condition, restock)| {
                let base = format!("receive-{}", item.id);
                view! {
                    <fieldset class="office-receive">
                        <legend>{item.title.clone()} " " <span class="muted">{item.variant.clone()}</span></legend>
                        <label for=format!("{base}-qty")>"Received"</label>
                        <input id=format!("{base}-qty") type="number" min="0" max=item.quantity.to_string() prop:value=move || quantity.get().to_string()
                            on:input=move |e| quantity.set(event_target_value(&e).parse().unwrap_or(0))/>
                        <label for=format!("{base}-condition")>"Condition"</label>
                        <select id=format!("{base}-condition") on:change=move |e| {
                            let chosen: ItemCondition = event_target_value(&e).parse().unwrap_or(ItemCondition::AsNew);
                            condition.set(chosen);
                            restock.set(restock_by_default(item.defective, chosen));
                        }>
                            {ItemCondition::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=move || condition.get() == c>{c.as_str().replace('_', " ")}</option> }).collect_view()}
                        </select>
                        <label><input type="checkbox" prop:checked=restock on:change=move |e| restock.set(event_target_checked(&e))/> " Back into stock"</label>
                    </fieldset>
                }
            }).collect_view()}
            <button type="button" class="primary" on:click=submit disabled=move || receive.pending().get()>"Record receipt"</button>
            {action_error(receive)}
        </section>
    }
}

#[component]
fn SettleForm(detail: ReturnDetailView, changed: RwSignal<u32>) -> impl IntoView {
    let settle = Action::new(|input: &(String, i64, String, String, String, String)| {
        let (id, version, kind, amount, reason, replacement) = input.clone();
        office_settle(
            id,
            version,
            kind,
            Some(amount),
            Some(reason),
            Some(replacement),
        )
    });
    reload_on_success(settle, changed);
    let default_kind = match detail.resolution {
        crate::domain::Resolution::Refund => SettlementKind::Refund,
        crate::domain::Resolution::StoreCredit => SettlementKind::StoreCredit,
        crate::domain::Resolution::Exchange => SettlementKind::Exchange,
    };
    let kind = RwSignal::new(default_kind);
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let replacement = RwSignal::new(String::new());
    let quote = detail.quote;
    let (id, version) = (detail.id.clone(), detail.version);
    let submit = move |_| {
        settle.dispatch((
            id.clone(),
            version,
            kind.get_untracked().as_str().to_owned(),
            amount.get_untracked(),
            reason.get_untracked(),
            replacement.get_untracked(),
        ));
    };
    view! {
        <section class="office-card office-actions" aria-labelledby="settle-heading">
            <h2 id="settle-heading">"Settle"</h2>
            {quote.map(|q| view! { <p>"Paid for the returned items: " <strong>{q.goods.format(Locale::En)}</strong>
                {(q.fee_kept.minor > 0).then(|| format!(", fee kept {}", q.fee_kept.format(Locale::En)))} " · to refund: " <strong>{q.total.format(Locale::En)}</strong></p> })}
            <fieldset>
                <legend>"Settle by"</legend>
                {[SettlementKind::Refund, SettlementKind::StoreCredit, SettlementKind::Exchange].into_iter().map(|k| view! {
                    <label><input type="radio" name="settle-kind" value=k.as_str() prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                        " " {settlement_label(k)}</label>
                }).collect_view()}
            </fieldset>
            <Show when=move || kind.get() != SettlementKind::Exchange fallback=move || view! {
                <label for="settle-replacement">"Replacement item"</label>
                <input id="settle-replacement" prop:value=replacement on:input=move |e| replacement.set(event_target_value(&e))/>
            }>
                <label for="settle-amount">"Amount (leave empty to use the computed amount)"</label>
                <input id="settle-amount" inputmode="decimal" prop:value=amount on:input=move |e| amount.set(event_target_value(&e))/>
                <label for="settle-reason">"Reason for a changed amount"</label>
                <input id="settle-reason" prop:value=reason on:input=move |e| reason.set(event_target_value(&e))/>
            </Show>
            <button type="button" class="primary" on:click=submit disabled=move || settle.pending().get()>"Settle and issue credit note"</button>
            {action_error(settle)}
        </section>
    }
}

#[component]
fn NotesCard(id: String, notes: Vec<NoteView>, changed: RwSignal<u32>) -> impl IntoView {
    let add =
        Action::new(|input: &(String, String)| office_add_note(input.0.clone(), input.1.clone()));
    reload_on_success(add, changed);
    let body = RwSignal::new(String::new());
    let submit = move |_| {
        add.dispatch((id.clone(), body.get_untracked()));
    };
    view! {
        <section class="office-card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Staff notes " <span class="muted">"(never shown to the shopper)"</span></h2>
            <ul class="office-notes">
                {notes.into_iter().map(|note| view! { <li><p>{note.body}</p><span class="muted">{note.author} " · " {when(note.at_unix)}</span></li> }).collect_view()}
            </ul>
            <label for="note-body" class="visually-hidden">"New note"</label>
            <textarea id="note-body" rows="2" maxlength="2000" prop:value=body on:input=move |e| body.set(event_target_value(&e))></textarea>
            <button type="button" on:click=submit disabled=move || add.pending().get()>"Add note"</button>
            {action_error(add)}
        </section>
    }
}

#[component]
pub fn CreditNotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let note = Resource::new(id, office_credit_note);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match note.await {
                    Ok(note) => view! { <CreditNoteDocument note/> }.into_any(),
                    Err(error) => failure(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreditNoteDocument(note: CreditNoteView) -> impl IntoView {
    let money = |m: crate::domain::Money| m.format(Locale::En);
    let kind = settlement_label(note.kind);
    view! {
        <Title text=format!("Credit note {}", note.number)/>
        <article class="credit-note">
            <p class="no-print"><a href=format!("/admin/returns/{}", note.return_id)>"← Back to the return"</a> " "
                <button type="button" onclick="window.print()">"Print"</button></p>
            <header>
                <h1>"Credit note " {note.number.clone()}</h1>
                <p><strong>{note.shop_name.clone()}</strong></p>
                <p>"Issued " {when(note.issued_at_unix)} " by " {note.issued_by.clone()}</p>
            </header>
            <dl class="office-facts">
                <dt>"Customer"</dt><dd>{note.customer_name.clone()} " · " {note.email.clone()}</dd>
                <dt>"Order"</dt><dd>{note.order_number.clone()}</dd>
                <dt>"Return"</dt><dd>{note.reference.clone()}</dd>
                <dt>"Settled by"</dt><dd>{kind}</dd>
            </dl>
            <table class="office-table">
                <thead><tr><th scope="col">"SKU"</th><th scope="col">"Item"</th><th scope="col">"Units"</th><th scope="col" class="amount">"Amount"</th></tr></thead>
                <tbody>
                    {note.lines.iter().map(|line| view! {
                        <tr><td>{line.sku.clone()}</td><td>{line.title.clone()} " " <span class="muted">{line.variant.clone()}</span></td><td>{line.units}</td><td class="amount">{money(line.amount)}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="3">"Goods returned"</th><td class="amount">{money(note.goods)}</td></tr>
                    {(note.fee_kept.minor > 0).then(|| view! { <tr><th scope="row" colspan="3">"Return fee kept"</th><td class="amount">"-" {money(note.fee_kept)}</td></tr> })}
                    <tr class="total"><th scope="row" colspan="3">"Credited"</th><td class="amount">{money(note.amount)}</td></tr>
                </tfoot>
            </table>
            {(!note.memo.is_empty()).then(|| view! { <p class="memo">{note.memo.clone()}</p> })}
        </article>
    }
}
