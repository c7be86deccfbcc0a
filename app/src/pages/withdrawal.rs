//! The online withdrawal function (Directive 2011/83/EU Art. 11a): find the order, say what is
//! withdrawn, confirm with "Confirm withdrawal", and get the acknowledgement. It asks for no
//! reason, photo or payment, and stands apart from the return wizard.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    browser,
    components::PortalFrame,
    domain::{
        withdrawal::{LineWithdrawal, Selection},
        Locale,
    },
    dto::{PortalInfo, WithdrawalInput, WithdrawalOrderView, WithdrawalReceipt},
    i18n::{fill, format_date, text_for_key, Msg},
    server_fns::{load_portal, withdraw, withdrawal_find_order, AppError},
};

#[component]
pub fn WithdrawalPage() -> impl IntoView {
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
                    Ok(info) if !info.withdrawal_offered => {
                        let locale = info.locale;
                        view! { <PortalFrame portal=info embed=embed()><h1>{Msg::WithdrawTitle.text(locale)}</h1><p>{Msg::WithdrawalErrorNotOffered.text(locale)}</p></PortalFrame> }.into_any()
                    }
                    Ok(info) => view! { <PortalFrame portal=info.clone() embed=embed()><WithdrawalFlow portal=info/></PortalFrame> }.into_any(),
                    Err(AppError::NotFound) => view! { <main class="page"><h1>{Msg::ShopNotFound.text(Default::default())}</h1></main> }.into_any(),
                    Err(error) => view! { <main class="page"><p role="alert">{text_for_key(error.message_key(), Default::default())}</p></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Find,
    Statement,
    Review,
    Done,
}

/// What the consumer has typed so far; kept across the stages so going back loses nothing.
#[derive(Clone, Default)]
struct Answers {
    order_number: String,
    email: String,
    order: Option<WithdrawalOrderView>,
    name: String,
    ack_email: String,
    whole_order: bool,
    /// Units chosen per line, by line index.
    units: Vec<u32>,
    /// Made when the order is found: a double click or a retry sends the same key.
    idempotency_key: String,
    receipt: Option<WithdrawalReceipt>,
}

impl Answers {
    fn selection(&self) -> Selection {
        if self.whole_order {
            return Selection::WholeOrder;
        }
        let lines = self.order.as_ref().map(|o| o.lines.as_slice()).unwrap_or(&[]);
        Selection::Lines(
            lines
                .iter()
                .zip(&self.units)
                .filter(|(_, units)| **units > 0)
                .map(|(line, units)| (line.id.clone(), *units))
                .collect(),
        )
    }

    /// (title, variant, units) of what the statement names.
    fn chosen(&self) -> Vec<(String, String, u32)> {
        let lines = self.order.as_ref().map(|o| o.lines.as_slice()).unwrap_or(&[]);
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let units = match line.state {
                    LineWithdrawal::Open { max_quantity } if self.whole_order => max_quantity,
                    LineWithdrawal::Open { .. } => self.units.get(i).copied().unwrap_or(0),
                    _ => 0,
                };
                (units > 0).then(|| (line.title.clone(), line.variant.clone(), units))
            })
            .collect()
    }
}

fn excluded_text(state: LineWithdrawal, locale: Locale) -> Option<&'static str> {
    match state {
        LineWithdrawal::Open { .. } => None,
        LineWithdrawal::Excluded(exclusion) => Some(text_for_key(exclusion.message_key(), locale)),
        LineWithdrawal::AlreadyWithdrawn => Some(Msg::WithdrawLineDone.text(locale)),
    }
}

#[component]
fn WithdrawalFlow(portal: PortalInfo) -> impl IntoView {
    let locale = portal.locale;
    let days = StoredValue::new(portal.withdrawal_days.to_string());
    let t = move |msg: Msg| msg.text(locale);
    let slug = StoredValue::new(portal.shop_slug.clone());
    let query = use_query_map();
    // Deep links may prefill the order number and email, as the wizard's do.
    let answers = RwSignal::new(Answers {
        order_number: query.with_untracked(|q| q.get("order").unwrap_or_default()),
        email: query.with_untracked(|q| q.get("email").unwrap_or_default()),
        whole_order: true,
        ..Answers::default()
    });
    // Inside a shop's iframe the host page follows the height, as for the return wizard.
    let origins = portal.allowed_origins.clone();
    Effect::new(move |_| browser::watch_height(origins.clone()));
    let stage = RwSignal::new(Stage::Find);
    let problem = RwSignal::new(None::<String>);
    let go = move |to: Stage| {
        problem.set(None);
        stage.set(to);
        browser::scroll_to_top();
        browser::focus_element_by_id("step-heading");
    };

    let find = Action::new(move |(number, email): &(String, String)| {
        let (number, email) = (number.clone(), email.clone());
        async move { withdrawal_find_order(slug.get_value(), number, email).await }
    });
    Effect::new(move |_| match find.value().get() {
        Some(Ok(order)) => {
            answers.update(|a| {
                a.name = order.customer_name.clone();
                a.ack_email = a.email.trim().to_owned();
                a.units = vec![0; order.lines.len()];
                a.idempotency_key = browser::random_uuid();
                a.order = Some(order);
            });
            go(Stage::Statement);
        }
        Some(Err(error)) => problem.set(Some(text_for_key(error.message_key(), locale).to_owned())),
        None => {}
    });

    let send = Action::new(move |_: &()| {
        let (token, key, input) = answers.with_untracked(|a| {
            (
                a.order.as_ref().map(|o| o.token.clone()).unwrap_or_default(),
                a.idempotency_key.clone(),
                WithdrawalInput {
                    name: a.name.clone(),
                    email: a.ack_email.clone(),
                    selection: a.selection(),
                },
            )
        });
        async move { withdraw(token, key, input, locale).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(receipt)) => {
            answers.update(|a| a.receipt = Some(receipt));
            go(Stage::Done);
        }
        Some(Err(error)) => problem.set(Some(text_for_key(error.message_key(), locale).to_owned())),
        None => {}
    });

    let problem_view = move || {
        problem
            .get()
            .map(|text| view! { <p class="field-error" role="alert">{text}</p> })
    };

    let find_stage = move || {
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            problem.set(None);
            let (number, email) = answers.with(|a| (a.order_number.clone(), a.email.clone()));
            find.dispatch((number, email));
        };
        view! {
            <h1 id="step-heading" tabindex="-1">{t(Msg::WithdrawTitle)}</h1>
            <p class="intro">{fill(t(Msg::WithdrawIntro), &[("days", &days.get_value())])}</p>
            {problem_view}
            <form class="find-form" on:submit=on_submit novalidate>
                <label for="order-number">{t(Msg::OrderNumber)}</label>
                <input id="order-number" name="order_number" type="text" autocomplete="off" required maxlength="64"
                    prop:value=move || answers.with(|a| a.order_number.clone())
                    on:input=move |ev| answers.update(|a| a.order_number = event_target_value(&ev))/>
                <label for="email">{t(Msg::Email)}</label>
                <input id="email" name="email" type="email" autocomplete="email" required maxlength="254"
                    prop:value=move || answers.with(|a| a.email.clone())
                    on:input=move |ev| answers.update(|a| a.email = event_target_value(&ev))/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || find.pending().get()>
                        {move || if find.pending().get() { t(Msg::Searching) } else { t(Msg::FindSubmit) }}
                    </button>
                </div>
            </form>
        }
    };

    let statement_stage = move || {
        let order = answers.with_untracked(|a| a.order.clone()).unwrap_or_else(empty_order);
        let period_text = match order.last_day {
            Some(day) => fill(t(Msg::WithdrawUntil), &[("date", &format_date(day, locale))]),
            None => fill(t(Msg::WithdrawNotDelivered), &[("days", &days.get_value())]),
        };
        if !order.period_open {
            return view! {
                <h1 id="step-heading" tabindex="-1">{t(Msg::WithdrawTitle)}</h1>
                <p class="field-error" role="alert">{t(Msg::WithdrawalErrorPeriodOver)}</p>
                <div class="actions"><button type="button" class="secondary" on:click=move |_| go(Stage::Find)>{t(Msg::Back)}</button></div>
            }
            .into_any();
        }
        let whole = move || answers.with(|a| a.whole_order);
        let lines = order.lines.clone().into_iter().enumerate().map(|(index, line)| {
            let blocked = excluded_text(line.state, locale);
            let max = match line.state { LineWithdrawal::Open { max_quantity } => max_quantity, _ => 0 };
            let units_id = format!("units-{index}");
            view! {
                <li class="line" class:disabled=blocked.is_some()>
                    <div class="line-head">
                        <span class="thumb" aria-hidden="true">{line.title.chars().next().unwrap_or('?').to_string()}</span>
                        <div class="line-text">
                            <span class="line-title">{line.title.clone()}</span>
                            <span class="line-meta">{line.variant.clone()} " · " {line.sku.clone()}</span>
                        </div>
                    </div>
                    {match blocked {
                        Some(text) => view! { <p class="ineligible">{text}</p> }.into_any(),
                        None => view! {
                            <Show when=move || !whole()>
                                <div class="field">
                                    <label for=units_id.clone()>{t(Msg::WithdrawUnits)}</label>
                                    <select id=units_id.clone() on:change=move |ev| {
                                        let units = event_target_value(&ev).parse().unwrap_or(0);
                                        answers.update(|a| if let Some(u) = a.units.get_mut(index) { *u = units });
                                    }>
                                        {(0..=max).map(|n| view! {
                                            <option value=n.to_string() selected=move || answers.with(|a| a.units.get(index) == Some(&n))>{n}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            </Show>
                        }.into_any(),
                    }}
                </li>
            }
        }).collect_view();
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let missing = answers.with(|a| {
                if a.name.trim().is_empty() {
                    Some(Msg::WithdrawalErrorNameMissing)
                } else if a.chosen().is_empty() {
                    Some(Msg::ErrorNothingSelected)
                } else {
                    None
                }
            });
            match missing {
                Some(msg) => problem.set(Some(t(msg).to_owned())),
                None => go(Stage::Review),
            }
        };
        view! {
            <h1 id="step-heading" tabindex="-1">{t(Msg::WithdrawTitle)}</h1>
            <p class="intro">{order.display_number.clone()} " · " {period_text}</p>
            {problem_view}
            <form class="withdrawal-form" on:submit=on_submit novalidate>
                <label for="consumer-name">{t(Msg::WithdrawName)}</label>
                <input id="consumer-name" name="name" type="text" autocomplete="name" required maxlength="120"
                    prop:value=move || answers.with(|a| a.name.clone())
                    on:input=move |ev| answers.update(|a| a.name = event_target_value(&ev))/>
                <fieldset class="choices">
                    <legend>{t(Msg::WithdrawWhich)}</legend>
                    <div class="choice">
                        <input type="radio" id="scope-whole" name="scope" prop:checked=whole
                            on:change=move |_| answers.update(|a| a.whole_order = true)/>
                        <label for="scope-whole">{t(Msg::WithdrawWholeOrder)}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="scope-some" name="scope" prop:checked=move || !whole()
                            on:change=move |_| answers.update(|a| a.whole_order = false)/>
                        <label for="scope-some">{t(Msg::WithdrawSomeItems)}</label>
                    </div>
                </fieldset>
                <ul class="lines">{lines}</ul>
                <label for="ack-email">{t(Msg::WithdrawEmail)}</label>
                <input id="ack-email" name="ack_email" type="email" autocomplete="email" maxlength="254"
                    prop:value=move || answers.with(|a| a.ack_email.clone())
                    on:input=move |ev| answers.update(|a| a.ack_email = event_target_value(&ev))/>
                <div class="actions">
                    <button type="submit" class="primary">{t(Msg::Continue)}</button>
                    <button type="button" class="secondary" on:click=move |_| go(Stage::Find)>{t(Msg::Back)}</button>
                </div>
            </form>
        }
        .into_any()
    };

    let review_stage = move || {
        let (name, email, number, chosen) = answers.with_untracked(|a| {
            (
                a.name.clone(),
                a.ack_email.clone(),
                a.order.as_ref().map(|o| o.display_number.clone()).unwrap_or_default(),
                a.chosen(),
            )
        });
        view! {
            <h1 id="step-heading" tabindex="-1">{t(Msg::WithdrawReview)}</h1>
            <p class="intro">{t(Msg::WithdrawReviewIntro)}</p>
            {problem_view}
            <dl class="review-choices">
                <dt>{t(Msg::WithdrawName)}</dt><dd>{name}</dd>
                <dt>{t(Msg::OrderNumber)}</dt><dd>{number}</dd>
                <dt>{t(Msg::WithdrawWhich)}</dt>
                <dd><ul>{chosen.into_iter().map(|(title, variant, units)| view! {
                    <li>{units} " × " {title} {(!variant.is_empty()).then(|| format!(" ({variant})"))}</li>
                }).collect_view()}</ul></dd>
                <dt>{t(Msg::WithdrawEmail)}</dt><dd>{email}</dd>
            </dl>
            <div class="actions">
                <button type="button" class="primary" disabled=move || send.pending().get()
                    on:click=move |_| { if !send.pending().get_untracked() { problem.set(None); send.dispatch(()); } }>
                    {move || if send.pending().get() { t(Msg::WithdrawSending) } else { t(Msg::WithdrawConfirm) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| go(Stage::Statement)>{t(Msg::Back)}</button>
            </div>
        }
    };

    let done_stage = move || {
        let Some(receipt) = answers.with_untracked(|a| a.receipt.clone()) else {
            return ().into_any();
        };
        view! {
            <h1 id="step-heading" tabindex="-1">{t(Msg::WithdrawReceived)}</h1>
            <dl class="review-choices">
                <dt>{t(Msg::WithdrawReference)}</dt><dd class="reference">{receipt.reference.clone()}</dd>
                <dt>{t(Msg::WithdrawReceivedAt)}</dt><dd>{receipt.received_at.clone()}</dd>
            </dl>
            <p>{fill(t(Msg::WithdrawAckSent), &[("email", &receipt.email)])}</p>
            <p>{t(Msg::WithdrawRefundNote)}</p>
            <pre class="statement">{receipt.statement.clone()}</pre>
            <div class="actions">
                <a class="button primary" href=receipt.receipt_path.clone() download>{t(Msg::WithdrawDownload)}</a>
                <a class="button secondary" href=format!("{}&lang={}", receipt.status_path, locale.code())>{t(Msg::WithdrawFollow)}</a>
            </div>
        }
        .into_any()
    };

    view! {
        <div class="withdrawal">
            {move || match stage.get() {
                Stage::Find => find_stage().into_any(),
                Stage::Statement => statement_stage(),
                Stage::Review => review_stage().into_any(),
                Stage::Done => done_stage(),
            }}
        </div>
    }
}

fn empty_order() -> WithdrawalOrderView {
    WithdrawalOrderView {
        token: String::new(),
        display_number: String::new(),
        customer_name: String::new(),
        placed_on: time::Date::MIN,
        delivered_on: None,
        last_day: None,
        period_open: false,
        lines: vec![],
    }
}
