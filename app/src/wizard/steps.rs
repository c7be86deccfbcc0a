//! The wizard's frame and its steps.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{photo_upload::PhotoField, Draft, Step};
use crate::{
    browser,
    domain::{fee::FeePayment, LineEligibility, Locale},
    dto::PortalInfo,
    i18n::{fill, format_date, method_msg, resolution_msg, text_for_key, Msg},
    server_fns::{check_rules, find_order, submit_return, AppError},
};

/// What every step needs; all fields are cheap copies.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    pub draft: RwSignal<Draft>,
    pub locale: Locale,
    pub portal: StoredValue<PortalInfo>,
    /// The step the URL asks for; the draft decides whether it can be shown.
    wanted: RwSignal<Step>,
    /// The message of what blocks the shopper, with the line it is about.
    pub problem: RwSignal<Option<(Option<String>, String)>>,
}

impl Ctx {
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.locale)
    }

    pub fn go(self, step: Step) {
        self.problem.set(None);
        self.wanted.set(step);
        browser::push_param("step", step.slug());
        browser::scroll_to_top();
    }

    pub fn show_problem(self, line: Option<String>, key: &str) {
        self.problem
            .set(Some((line, text_for_key(key, self.locale).to_owned())));
    }

    /// Moves on when the current step's answers pass the same checks the server makes. After
    /// the items and the reasons, the shop's return rules are asked too, so a refused item is
    /// known before photos are taken; the resolutions they leave are kept for the outcome step.
    pub fn advance(self, from: Step, to: Step) {
        if let Some((line, error)) = self.draft.with(|d| d.problem_at(from)) {
            return self.show_problem(line, error.message_key());
        }
        // After the outcome step the rules are asked once more, with the resolution: the
        // fee they set is shown on the review step, before anything is paid.
        if !matches!(from, Step::Items | Step::Reasons | Step::Outcome) {
            return self.go(to);
        }
        let Some((token, items)) = self.draft.with_untracked(|d| {
            Some((
                d.order.as_ref()?.token.clone(),
                d.rule_items(from != Step::Items),
            ))
        }) else {
            return self.go(to);
        };
        let resolution = self.draft.with_untracked(|d| d.resolution);
        leptos::task::spawn_local(async move {
            match check_rules(token, items, resolution, self.locale).await {
                Ok(preview) => match preview
                    .items
                    .iter()
                    .find_map(|i| Some((i.line_id.clone(), i.refusal.clone()?)))
                {
                    Some((line, message)) => self.problem.set(Some((Some(line), message))),
                    None => {
                        self.draft.update(|d| {
                            d.allow_resolutions(preview.resolutions);
                            d.fee = Some(preview.fee);
                            d.fee_deductible = preview.fee_deductible;
                        });
                        self.go(to);
                    }
                },
                // Submission judges again: an unreachable check must not trap the shopper.
                Err(_) => self.go(to),
            }
        });
    }

    pub fn problem_for(
        self,
        line_id: String,
    ) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        let problem = self.problem;
        let line_id = StoredValue::new(line_id);
        move || {
            problem.with(|p| {
                p.as_ref()
                    .filter(|(line, _)| line.as_deref() == Some(line_id.get_value().as_str()))
                    .map(|(_, m)| m.clone())
            })
        }
    }
}

#[component]
pub fn Wizard(portal: PortalInfo) -> impl IntoView {
    let storage_key = format!("retour:{}", portal.shop_slug);
    let query = leptos_router::hooks::use_query_map();
    let initial = Step::from_slug(&query.with_untracked(|q| q.get("step").unwrap_or_default()));
    let deep_link = query.with_untracked(|q| (q.get("order"), q.get("email")));
    let ctx = Ctx {
        draft: RwSignal::new(Draft::default().with_deep_link(deep_link.0.clone(), deep_link.1.clone())),
        locale: portal.locale,
        portal: StoredValue::new(portal),
        wanted: RwSignal::new(initial),
        problem: RwSignal::new(None),
    };
    // The server never sees session storage: restore after hydration, then save every change.
    Effect::new(move |previous: Option<()>| {
        if previous.is_none() {
            if let Some(saved) = browser::load_session(&storage_key)
                .and_then(|text| serde_json::from_str::<Draft>(&text).ok())
            {
                ctx.draft.set(saved.with_deep_link(deep_link.0.clone(), deep_link.1.clone()));
            }
            browser::on_history_change(move || {
                ctx.problem.set(None);
                ctx.wanted.set(Step::from_slug(
                    &browser::current_param("step").unwrap_or_default(),
                ));
            });
            ctx.portal
                .with_value(|p| browser::watch_height(p.allowed_origins.clone()));
        }
        ctx.draft.with(|d| {
            browser::save_session(&storage_key, &serde_json::to_string(d).unwrap_or_default())
        });
    });
    let step = Memo::new(move |_| ctx.draft.with(|d| d.reachable(ctx.wanted.get())));
    // Focus the new step's heading so screen readers announce it, and tell the host page.
    Effect::new(move |previous: Option<Step>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            browser::focus_element_by_id("step-heading");
            ctx.portal.with_value(|p| {
                browser::post_to_parent(
                    "step",
                    &[("step", JsValue::from(current.slug()))],
                    &p.allowed_origins,
                )
            });
        }
        current
    });

    view! {
        <div class="wizard">
            <Show when=move || step.get() != Step::Done>
                <p class="step-count">
                    {move || fill(ctx.t(Msg::StepOf), &[("n", &step.get().number().to_string()), ("total", &Step::NUMBERED.len().to_string())])}
                </p>
                <progress class="step-progress" max=Step::NUMBERED.len() value=move || step.get().number() aria-hidden="true"></progress>
            </Show>
            <div class="alert" role="alert">
                {move || ctx.problem.get().map(|(_, message)| view! { <p class="alert-message">{message}</p> })}
            </div>
            {move || match step.get() {
                Step::Find => view! { <FindStep ctx/> }.into_any(),
                Step::Items => view! { <ItemsStep ctx/> }.into_any(),
                Step::Reasons => view! { <ReasonsStep ctx/> }.into_any(),
                Step::Photos => view! { <PhotosStep ctx/> }.into_any(),
                Step::Outcome => view! { <OutcomeStep ctx/> }.into_any(),
                Step::Review => view! { <ReviewStep ctx/> }.into_any(),
                Step::Done => view! { <DoneStep ctx/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Heading(text: &'static str) -> impl IntoView {
    view! { <h1 id="step-heading" tabindex="-1">{text}</h1> }
}

/// The step's buttons, kept at the bottom of the screen within reach of the thumb.
#[component]
fn Actions(ctx: Ctx, back: Option<Step>, children: Children) -> impl IntoView {
    view! {
        <div class="actions">
            {children()}
            {back.map(|to| view! { <button type="button" class="secondary" on:click=move |_| ctx.go(to)>{ctx.t(Msg::Back)}</button> })}
        </div>
    }
}

#[component]
fn FindStep(ctx: Ctx) -> impl IntoView {
    let find = Action::new(move |input: &(String, String, String)| {
        let (shop, number, email) = input.clone();
        async move { find_order(shop, number, email).await }
    });
    Effect::new(move |_| match find.value().get() {
        Some(Ok(order)) => {
            ctx.draft
                .update(|d| *d = d.for_order(order, browser::random_uuid()));
            ctx.go(Step::Items);
        }
        Some(Err(error)) => ctx.show_problem(None, error.message_key()),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (number, email) = ctx
            .draft
            .with(|d| (d.order_number.clone(), d.email.clone()));
        ctx.problem.set(None);
        find.dispatch((
            ctx.portal.with_value(|p| p.shop_slug.clone()),
            number,
            email,
        ));
    };
    view! {
        <Heading text=ctx.t(Msg::FindHeading)/>
        <p class="intro">{ctx.t(Msg::FindIntro)}</p>
        <form class="find-form" on:submit=on_submit novalidate>
            <label for="order-number">{ctx.t(Msg::OrderNumber)}</label>
            <input id="order-number" name="order_number" type="text" inputmode="text" autocomplete="off" required maxlength="64"
                prop:value=move || ctx.draft.with(|d| d.order_number.clone())
                on:input=move |ev| ctx.draft.update(|d| d.order_number = event_target_value(&ev))/>
            <label for="email">{ctx.t(Msg::Email)}</label>
            <input id="email" name="email" type="email" autocomplete="email" required maxlength="254"
                prop:value=move || ctx.draft.with(|d| d.email.clone())
                on:input=move |ev| ctx.draft.update(|d| d.email = event_target_value(&ev))/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || find.pending().get()>
                    {move || if find.pending().get() { ctx.t(Msg::Searching) } else { ctx.t(Msg::FindSubmit) }}
                </button>
            </div>
        </form>
    }
}

fn ineligible_text(ctx: Ctx, eligibility: LineEligibility) -> Option<String> {
    use crate::domain::Ineligible;
    match eligibility {
        LineEligibility::Eligible { .. } => None,
        LineEligibility::Ineligible(reason @ Ineligible::WindowClosed { closed_on }) => Some(fill(
            text_for_key(reason.message_key(), ctx.locale),
            &[("date", &format_date(closed_on, ctx.locale))],
        )),
        LineEligibility::Ineligible(reason) => {
            Some(text_for_key(reason.message_key(), ctx.locale).to_owned())
        }
    }
}

#[component]
fn ItemsStep(ctx: Ctx) -> impl IntoView {
    let order = ctx
        .draft
        .with_untracked(|d| d.order.clone())
        .unwrap_or_else(|| unreachable_order());
    let subtitle = fill(
        ctx.t(Msg::OrderPlacedOn),
        &[
            ("number", &order.display_number),
            ("date", &format_date(order.placed_on, ctx.locale)),
        ],
    );
    let lines = order.lines.into_iter().enumerate().map(|(index, line)| {
        let ineligible = ineligible_text(ctx, line.eligibility);
        let max = line.eligibility.max_quantity();
        let is_disabled = ineligible.is_some();
        let checkbox_id = format!("select-{index}");
        let quantity_id = format!("quantity-{index}");
        let problem = ctx.problem_for(line.id.clone());
        let selected = move || ctx.draft.with(|d| d.items.get(index).is_some_and(|i| i.selected));
        view! {
            <li class="line" class:disabled=is_disabled class:selected=selected>
                <div class="line-head">
                    <span class="thumb" aria-hidden="true">{line.title.chars().next().unwrap_or('?').to_string()}</span>
                    <div class="line-text">
                        <span class="line-title">{line.title.clone()}</span>
                        <span class="line-meta">{line.variant.clone()} " · " {line.unit_price.format(ctx.locale)} " · " {fill(ctx.t(Msg::Ordered), &[("n", &line.quantity.to_string())])}</span>
                    </div>
                </div>
                {match ineligible {
                    Some(text) => view! { <p class="ineligible">{text}</p> }.into_any(),
                    None => view! {
                        <div class="line-choice">
                            <input type="checkbox" id=checkbox_id.clone() prop:checked=selected
                                on:change=move |ev| ctx.draft.update(|d| if let Some(i) = d.items.get_mut(index) { i.selected = event_target_checked(&ev) })/>
                            <label for=checkbox_id>{ctx.t(Msg::ReturnThisItem)}</label>
                        </div>
                        <Show when=move || selected() && (max > 1)>
                            <div class="field">
                                <label for=quantity_id.clone()>{ctx.t(Msg::Quantity)}</label>
                                <select id=quantity_id.clone()
                                    on:change=move |ev| {
                                        let quantity = event_target_value(&ev).parse().unwrap_or(1);
                                        ctx.draft.update(|d| if let Some(i) = d.items.get_mut(index) { i.quantity = quantity });
                                    }>
                                    {(1..=max).map(|n| view! {
                                        <option value=n.to_string() selected=move || ctx.draft.with(|d| d.items.get(index).is_some_and(|i| i.quantity == n))>{n}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </Show>
                        {move || problem().map(|m| view! { <p class="field-error">{m}</p> })}
                    }.into_any(),
                }}
            </li>
        }
    }).collect_view();
    view! {
        <Heading text=ctx.t(Msg::ItemsHeading)/>
        <p class="intro">{subtitle}</p>
        <ul class="lines">{lines}</ul>
        <Actions ctx back=Some(Step::Find)>
            <button type="button" class="primary" on:click=move |_| ctx.advance(Step::Items, Step::Reasons)>{ctx.t(Msg::Continue)}</button>
        </Actions>
    }
}

/// Steps after the first are only shown once an order is in the draft (see `Draft::reachable`).
fn unreachable_order() -> crate::dto::OrderView {
    crate::dto::OrderView {
        token: String::new(),
        display_number: String::new(),
        placed_on: time::Date::MIN,
        lines: vec![],
        reasons: vec![],
        resolutions: vec![],
        methods: vec![],
    }
}

/// (index in `draft.items`, line title) of each selected item.
fn selected_items(ctx: Ctx) -> Vec<(usize, String, String)> {
    ctx.draft.with_untracked(|d| {
        let order = d.order.as_ref();
        d.items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.selected)
            .map(|(index, item)| {
                let title = order
                    .and_then(|o| o.lines.iter().find(|l| l.id == item.line_id))
                    .map(|l| l.title.clone())
                    .unwrap_or_default();
                (index, item.line_id.clone(), title)
            })
            .collect()
    })
}

#[component]
fn ReasonsStep(ctx: Ctx) -> impl IntoView {
    let reasons = ctx.draft.with_untracked(|d| {
        d.order
            .as_ref()
            .map(|o| o.reasons.clone())
            .unwrap_or_default()
    });
    let reasons = StoredValue::new(reasons);
    let items = selected_items(ctx).into_iter().map(|(index, line_id, title)| {
        let reason_id = format!("reason-{index}");
        let comment_id = format!("comment-{index}");
        let problem = ctx.problem_for(line_id);
        let current = move || ctx.draft.with(|d| d.items.get(index).map(|i| i.reason.clone()).unwrap_or_default());
        let comment_required = move || reasons.with_value(|rs| rs.iter().any(|r| r.code == current() && r.comment_required));
        view! {
            <li class="line">
                <h2 class="line-title">{title}</h2>
                <div class="field">
                    <label for=reason_id.clone()>{ctx.t(Msg::Reason)}</label>
                    <select id=reason_id required
                        on:change=move |ev| { let code = event_target_value(&ev); ctx.draft.update(|d| if let Some(i) = d.items.get_mut(index) { i.reason = code }) }>
                        <option value="" selected=move || current().is_empty()>{ctx.t(Msg::ChooseReason)}</option>
                        {reasons.with_value(|rs| rs.iter().map(|r| {
                            let code = r.code.clone();
                            let is_current = { let code = code.clone(); move || current() == code };
                            view! { <option value=code selected=is_current>{r.label.get(ctx.locale).to_owned()}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for=comment_id.clone()>
                        {ctx.t(Msg::Comment)} " "
                        <span class="hint">"(" {move || if comment_required() { ctx.t(Msg::CommentNeeded) } else { ctx.t(Msg::Optional) }} ")"</span>
                    </label>
                    <textarea id=comment_id rows="3" maxlength="500"
                        prop:value=move || ctx.draft.with(|d| d.items.get(index).map(|i| i.comment.clone()).unwrap_or_default())
                        on:input=move |ev| { let text = event_target_value(&ev); ctx.draft.update(|d| if let Some(i) = d.items.get_mut(index) { i.comment = text }) }>
                    </textarea>
                </div>
                {move || problem().map(|m| view! { <p class="field-error">{m}</p> })}
            </li>
        }
    }).collect_view();
    view! {
        <Heading text=ctx.t(Msg::ReasonsHeading)/>
        <ul class="lines">{items}</ul>
        <Actions ctx back=Some(Step::Items)>
            <button type="button" class="primary" on:click=move |_| ctx.advance(Step::Reasons, Step::Photos)>{ctx.t(Msg::Continue)}</button>
        </Actions>
    }
}

#[component]
fn PhotosStep(ctx: Ctx) -> impl IntoView {
    let required: Vec<bool> = ctx.draft.with_untracked(|d| {
        d.selected()
            .map(|i| {
                d.order.as_ref().is_some_and(|o| {
                    o.reasons
                        .iter()
                        .any(|r| r.code == i.reason && r.photo_required)
                })
            })
            .collect()
    });
    let items = selected_items(ctx)
        .into_iter()
        .zip(required)
        .map(|((index, line_id, title), required)| {
            view! { <PhotoField ctx index line_id title required/> }
        })
        .collect_view();
    view! {
        <Heading text=ctx.t(Msg::PhotosHeading)/>
        <p class="intro">{ctx.t(Msg::PhotosIntro)}</p>
        <ul class="lines">{items}</ul>
        <Actions ctx back=Some(Step::Reasons)>
            <button type="button" class="primary" on:click=move |_| ctx.advance(Step::Photos, Step::Outcome)>{ctx.t(Msg::Continue)}</button>
        </Actions>
    }
}

#[component]
fn OutcomeStep(ctx: Ctx) -> impl IntoView {
    let (resolutions, methods) = ctx.draft.with_untracked(|d| {
        d.order
            .as_ref()
            .map(|o| (d.offered_resolutions(), o.methods.clone()))
            .unwrap_or_default()
    });
    let resolution_options = resolutions
        .into_iter()
        .map(|r| {
            let id = format!("resolution-{}", r.as_str());
            view! {
                <div class="choice">
                    <input type="radio" name="resolution" id=id.clone() value=r.as_str()
                        prop:checked=move || ctx.draft.with(|d| d.resolution == Some(r))
                        on:change=move |_| ctx.draft.update(|d| d.resolution = Some(r))/>
                    <label for=id>{ctx.t(resolution_msg(r))}</label>
                </div>
            }
        })
        .collect_view();
    let method_options = methods
        .into_iter()
        .map(|m| {
            let id = format!("method-{}", m.as_str());
            view! {
                <div class="choice">
                    <input type="radio" name="method" id=id.clone() value=m.as_str()
                        prop:checked=move || ctx.draft.with(|d| d.method == Some(m))
                        on:change=move |_| ctx.draft.update(|d| d.method = Some(m))/>
                    <label for=id>{ctx.t(method_msg(m))}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <Heading text=ctx.t(Msg::OutcomeHeading)/>
        <fieldset class="choices">
            <legend>{ctx.t(Msg::ResolutionLegend)}</legend>
            {resolution_options}
        </fieldset>
        <fieldset class="choices">
            <legend>{ctx.t(Msg::MethodLegend)}</legend>
            {method_options}
        </fieldset>
        <Actions ctx back=Some(Step::Photos)>
            <button type="button" class="primary" on:click=move |_| ctx.advance(Step::Outcome, Step::Review)>{ctx.t(Msg::Continue)}</button>
        </Actions>
    }
}

#[component]
fn ReviewStep(ctx: Ctx) -> impl IntoView {
    let submit = Action::new(
        move |input: &(
            String,
            String,
            crate::domain::submission::ReturnAnswers,
            Locale,
        )| {
            let (token, key, answers, locale) = input.clone();
            async move { submit_return(token, key, answers, locale).await }
        },
    );
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(submitted)) => {
            let reference = submitted.reference.clone();
            let payment_url = submitted.payment_url.clone();
            ctx.draft.update(|d| d.submitted = Some(submitted));
            if let Some(url) = payment_url {
                browser::open_checkout(&url);
            }
            ctx.portal.with_value(|p| {
                browser::post_to_parent(
                    "submitted",
                    &[("reference", JsValue::from(reference.as_str()))],
                    &p.allowed_origins,
                )
            });
            ctx.go(Step::Done);
        }
        Some(Err(AppError::RefusedByRule { item, message })) => {
            let line = ctx
                .draft
                .with(|d| d.selected().nth(item).map(|i| i.line_id.clone()));
            ctx.problem.set(Some((line, message)));
        }
        Some(Err(AppError::Refused(refusal))) => {
            let line = refusal.item.and_then(|i| {
                ctx.draft
                    .with(|d| d.selected().nth(i).map(|item| item.line_id.clone()))
            });
            ctx.show_problem(line, refusal.error.message_key());
        }
        Some(Err(error)) => ctx.show_problem(None, error.message_key()),
        None => {}
    });
    let on_submit = move |_| {
        if submit.pending().get_untracked() {
            return;
        }
        let input = ctx.draft.with(|d| {
            Some((
                d.order.as_ref()?.token.clone(),
                d.idempotency_key.clone(),
                d.answers()?,
                ctx.locale,
            ))
        });
        match input {
            Some(input) => {
                ctx.problem.set(None);
                submit.dispatch(input);
            }
            None => ctx.advance(Step::Outcome, Step::Review),
        }
    };
    let summary = ctx.draft.with_untracked(|d| {
        let order = d.order.clone().unwrap_or_else(unreachable_order);
        d.selected()
            .map(|item| {
                let line = order.lines.iter().find(|l| l.id == item.line_id);
                let reason = order.reasons.iter().find(|r| r.code == item.reason).map(|r| r.label.get(ctx.locale).to_owned()).unwrap_or_default();
                let title = line.map(|l| l.title.clone()).unwrap_or_default();
                let problem = ctx.problem_for(item.line_id.clone());
                view! {
                    <li class="line review-line">
                        {match &item.photo {
                            Some(photo) => view! { <img class="review-thumb" src=photo.thumb_url.clone() alt=fill(ctx.t(Msg::PhotoOf), &[("item", &title)]) width="64" height="64"/> }.into_any(),
                            None => view! { <span class="thumb" aria-label=ctx.t(Msg::NoPhoto)>"–"</span> }.into_any(),
                        }}
                        <div class="line-text">
                            <span class="line-title">{item.quantity} " × " {title.clone()}</span>
                            <span class="line-meta">{reason}</span>
                            {(!item.comment.trim().is_empty()).then(|| view! { <span class="line-comment">"“" {item.comment.clone()} "”"</span> })}
                            {move || problem().map(|m| view! { <p class="field-error">{m}</p> })}
                        </div>
                    </li>
                }
            })
            .collect_view()
    });
    let (resolution, method) = ctx.draft.with_untracked(|d| (d.resolution, d.method));
    let fee = ctx.draft.with_untracked(|d| d.fee.filter(|f| f.minor > 0));
    let can_deduct = ctx.draft.with_untracked(|d| d.can_deduct_fee());
    let fee_choice = move |choice: FeePayment, msg: Msg| {
        let id = format!("fee-{choice:?}").to_lowercase();
        view! {
            <div class="choice">
                <input type="radio" name="fee-payment" id=id.clone()
                    prop:checked=move || ctx.draft.with(|d| d.fee_payment_choice() == choice)
                    on:change=move |_| ctx.draft.update(|d| d.fee_payment = choice)/>
                <label for=id>{ctx.t(msg)}</label>
            </div>
        }
    };
    let fee_rows = fee.map(|amount| {
        view! {
            <dt>{ctx.t(Msg::FeeLabel)}</dt>
            <dd data-testid="fee">{amount.format(ctx.locale)}</dd>
        }
    });
    let fee_choices = (fee.is_some() && can_deduct).then(|| {
        view! {
            <fieldset class="choices">
                <legend>{ctx.t(Msg::FeeLegend)}</legend>
                {fee_choice(FeePayment::PayNow, Msg::FeePayNow)}
                {fee_choice(FeePayment::DeductFromRefund, Msg::FeeDeduct)}
            </fieldset>
        }
    });
    let submit_label = move || {
        if submit.pending().get() {
            return ctx.t(Msg::Submitting).to_owned();
        }
        match ctx.draft.with(|d| d.fee_to_pay_now()) {
            Some(amount) => fill(
                ctx.t(Msg::SubmitAndPay),
                &[("amount", &amount.format(ctx.locale))],
            ),
            None => ctx.t(Msg::Submit).to_owned(),
        }
    };
    view! {
        <Heading text=ctx.t(Msg::ReviewHeading)/>
        <ul class="lines">{summary}</ul>
        <button type="button" class="link" on:click=move |_| ctx.go(Step::Items)>{ctx.t(Msg::Edit)}</button>
        <dl class="review-choices">
            <dt>{ctx.t(Msg::ResolutionLegend)}</dt>
            <dd>{resolution.map(|r| ctx.t(resolution_msg(r)))}</dd>
            <dt>{ctx.t(Msg::MethodLegend)}</dt>
            <dd>{method.map(|m| ctx.t(method_msg(m)))}</dd>
            {fee_rows}
        </dl>
        <button type="button" class="link" on:click=move |_| ctx.go(Step::Outcome)>{ctx.t(Msg::Edit)}</button>
        {fee_choices}
        <Actions ctx back=Some(Step::Outcome)>
            <button type="button" class="primary" on:click=on_submit disabled=move || submit.pending().get() aria-busy=move || submit.pending().get().to_string()>
                {submit_label}
            </button>
        </Actions>
    }
}

#[component]
fn DoneStep(ctx: Ctx) -> impl IntoView {
    let submitted = ctx.draft.with_untracked(|d| d.submitted.clone());
    let fee_text = ctx
        .draft
        .with_untracked(|d| d.fee.map(|f| f.format(ctx.locale)).unwrap_or_default());
    // Inside an iframe the status page keeps the compact layout.
    let embed = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("embed").is_some_and(|v| v == "1"));
    let status_href = move |path: &str| {
        format!(
            "{path}&lang={}{}",
            ctx.locale.code(),
            if embed { "&embed=1" } else { "" }
        )
    };
    let start_again = move |_| {
        ctx.draft.set(Draft::default());
        ctx.go(Step::Find);
    };
    view! {
        <Heading text=ctx.t(Msg::DoneHeading)/>
        {submitted.map(|s| view! {
            <div class="confirmation">
                <p class="reference-label">{ctx.t(Msg::YourReference)}</p>
                <p class="reference" data-testid="reference">{s.reference.clone()}</p>
                {match s.payment_url.clone() {
                    Some(url) => view! {
                        <p>{ctx.t(Msg::AwaitingPaymentNote)}</p>
                        {embed.then(|| view! { <p>{ctx.t(Msg::PaymentNewTab)}</p> })}
                        <a class="button" href=url target=if embed { "_blank" } else { "_self" } data-testid="pay-link">{fill(ctx.t(Msg::PayFee), &[("amount", &fee_text)])}</a>
                    }.into_any(),
                    None => view! { <p>{ctx.t(Msg::DoneNext)}</p> }.into_any(),
                }}
                <a class="button primary" href=status_href(&s.status_path)>{ctx.t(Msg::FollowReturn)}</a>
            </div>
        })}
        <div class="actions">
            <button type="button" class="secondary" on:click=start_again>{ctx.t(Msg::StartAnother)}</button>
        </div>
    }
}
