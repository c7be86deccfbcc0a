//! The return-rules editor: the shop's rules in order, each with its plain-language preview,
//! a form for one flat list of conditions (JSON for anything nested), save, and a dry run of
//! the draft over the shop's recent requests. Staff see it read-only; the server refuses their
//! saves too.

use leptos::prelude::*;

use super::{
    dto::{DryRunRow, RulesView},
    pages::{error_text, failure, status_label, OfficeFrame},
    settings::{resolution_label, toggle},
};
use crate::{
    domain::{
        rules::{
            Action as RuleAction, Bound, Condition, Field, Membership, Rule, SkuTest, Verdict,
        },
        shop::LocalizedText,
        Currency, Locale, Money, Reason, Resolution,
    },
    server_fns::{office_dry_run_rules, office_rules, office_save_rules, AppError},
};

#[component]
pub fn RulesPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| office_rules());
    view! {
        <OfficeFrame title="Return rules".to_owned()>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => view! { <RulesEditor view/> }.into_any(),
                        Err(error) => failure(error),
                    }
                })}
            </Suspense>
        </OfficeFrame>
    }
}

// ---------------------------------------------------------------------------------------------
// The form's model: strings as typed, turned into a `Rule` on "Apply"
// ---------------------------------------------------------------------------------------------

fn field_label(field: Field) -> &'static str {
    match field {
        Field::Reason => "Reason",
        Field::Country => "Origin country",
        Field::Resolution => "Resolution",
        Field::Tag => "Product tag",
        Field::Category => "Product category",
        Field::Sku => "SKU",
        Field::DaysSinceDelivery => "Days since delivery",
        Field::DaysSinceOrder => "Days since order",
        Field::Quantity => "Quantity",
        Field::UnitPrice => "Unit price",
        Field::OrderTotal => "Order total",
        Field::CustomerReturns => "Customer's returns",
    }
}

/// Operators a field offers, as (key, label). "is" with several values means "is one of them".
fn field_ops(field: Field) -> &'static [(&'static str, &'static str)] {
    match field {
        Field::Reason | Field::Country | Field::Resolution | Field::Tag | Field::Category => {
            &[("is", "is"), ("is_not", "is not")]
        }
        Field::Sku => &[("is", "is"), ("starts_with", "starts with")],
        _ => &[("at_least", "at least"), ("at_most", "at most")],
    }
}

/// One condition row as typed.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    field: Field,
    op: String,
    /// Reason codes or resolutions ticked.
    picked: Vec<String>,
    /// A comma-separated list, a number or an amount.
    text: String,
    within_days: String,
    currency: Currency,
}

impl Row {
    fn new(field: Field, currency: Currency) -> Row {
        Row {
            field,
            op: field_ops(field)[0].0.to_owned(),
            picked: Vec::new(),
            text: String::new(),
            within_days: "30".to_owned(),
            currency,
        }
    }

    /// `None` for a group: the form only shows one flat list.
    fn of(condition: &Condition) -> Option<Row> {
        fn members<T: Clone>(m: &Membership<T>) -> (&'static str, Vec<T>) {
            match m {
                Membership::Is(v) => ("is", vec![v.clone()]),
                Membership::IsNot(v) => ("is_not", vec![v.clone()]),
                Membership::OneOf(vs) => ("is", vs.clone()),
                Membership::NoneOf(vs) => ("is_not", vs.clone()),
            }
        }
        fn bound<T: Copy>(b: &Bound<T>) -> (&'static str, T) {
            match *b {
                Bound::AtLeast(v) => ("at_least", v),
                Bound::AtMost(v) => ("at_most", v),
            }
        }
        let listed = |field, m: &Membership<String>| {
            let (op, values) = members(m);
            Row {
                op: op.to_owned(),
                text: values.join(", "),
                ..Row::new(field, Currency::EUR)
            }
        };
        let number = |field, b: &Bound<u32>| {
            let (op, n) = bound(b);
            Row {
                op: op.to_owned(),
                text: n.to_string(),
                ..Row::new(field, Currency::EUR)
            }
        };
        let money = |field, b: &Bound<Money>| {
            let (op, m) = bound(b);
            Row {
                op: op.to_owned(),
                text: format_amount(m.minor, m.currency.exponent()),
                currency: m.currency,
                ..Row::new(field, Currency::EUR)
            }
        };
        Some(match condition {
            Condition::AllOf(_) | Condition::AnyOf(_) => return None,
            Condition::Reason(m) => {
                let (op, picked) = members(m);
                Row {
                    op: op.to_owned(),
                    picked,
                    ..Row::new(Field::Reason, Currency::EUR)
                }
            }
            Condition::Resolution(m) => {
                let (op, picked) = members(m);
                Row {
                    op: op.to_owned(),
                    picked: picked.iter().map(|r| r.as_str().to_owned()).collect(),
                    ..Row::new(Field::Resolution, Currency::EUR)
                }
            }
            Condition::Country(m) => listed(Field::Country, m),
            Condition::Tag(m) => listed(Field::Tag, m),
            Condition::Category(m) => listed(Field::Category, m),
            Condition::Sku(SkuTest::Is(v)) => Row {
                text: v.clone(),
                ..Row::new(Field::Sku, Currency::EUR)
            },
            Condition::Sku(SkuTest::OneOf(vs)) => Row {
                text: vs.join(", "),
                ..Row::new(Field::Sku, Currency::EUR)
            },
            Condition::Sku(SkuTest::StartsWith(v)) => Row {
                op: "starts_with".to_owned(),
                text: v.clone(),
                ..Row::new(Field::Sku, Currency::EUR)
            },
            Condition::DaysSinceDelivery(b) => number(Field::DaysSinceDelivery, b),
            Condition::DaysSinceOrder(b) => number(Field::DaysSinceOrder, b),
            Condition::Quantity(b) => number(Field::Quantity, b),
            Condition::UnitPrice(b) => money(Field::UnitPrice, b),
            Condition::OrderTotal(b) => money(Field::OrderTotal, b),
            Condition::CustomerReturns { within_days, count } => Row {
                within_days: within_days.to_string(),
                ..number(Field::CustomerReturns, count)
            },
        })
    }

    /// Empty lists go through: `Rule::validate` says "choose at least one value" with the
    /// condition's place.
    fn condition(&self, n: usize) -> Result<Condition, String> {
        let is = self.op != "is_not";
        let membership = |values: Vec<String>| match (is, values.len()) {
            (true, 1) => Membership::Is(values[0].clone()),
            (false, 1) => Membership::IsNot(values[0].clone()),
            (true, _) => Membership::OneOf(values),
            (false, _) => Membership::NoneOf(values),
        };
        let list: Vec<String> = self
            .text
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        let whole = |text: &str| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("Condition {n}: enter a whole number, such as 30."))
        };
        fn bound_of<T>(op: &str, value: T) -> Bound<T> {
            if op == "at_most" {
                Bound::AtMost(value)
            } else {
                Bound::AtLeast(value)
            }
        }
        let bound = |value: u32| bound_of(&self.op, value);
        let money = || {
            let exponent = self.currency.exponent();
            parse_amount(&self.text, exponent)
                .map(|minor| bound_of(&self.op, Money::new(minor, self.currency)))
                .ok_or_else(|| {
                    format!(
                        "Condition {n}: enter an amount in {}, such as 25.00.",
                        self.currency.code()
                    )
                })
        };
        Ok(match self.field {
            Field::Reason => Condition::Reason(membership(self.picked.clone())),
            Field::Resolution => {
                let picked = membership(self.picked.clone());
                let parse = |v: String| {
                    v.parse::<Resolution>()
                        .map_err(|_| format!("Condition {n}: unknown resolution."))
                };
                Condition::Resolution(match picked {
                    Membership::Is(v) => Membership::Is(parse(v)?),
                    Membership::IsNot(v) => Membership::IsNot(parse(v)?),
                    Membership::OneOf(vs) => {
                        Membership::OneOf(vs.into_iter().map(parse).collect::<Result<_, _>>()?)
                    }
                    Membership::NoneOf(vs) => {
                        Membership::NoneOf(vs.into_iter().map(parse).collect::<Result<_, _>>()?)
                    }
                })
            }
            Field::Country => {
                Condition::Country(membership(list.iter().map(|c| c.to_uppercase()).collect()))
            }
            Field::Tag => Condition::Tag(membership(list)),
            Field::Category => Condition::Category(membership(list)),
            Field::Sku if self.op == "starts_with" => {
                Condition::Sku(SkuTest::StartsWith(self.text.trim().to_owned()))
            }
            Field::Sku if list.len() == 1 => Condition::Sku(SkuTest::Is(list[0].clone())),
            Field::Sku => Condition::Sku(SkuTest::OneOf(list)),
            Field::DaysSinceDelivery => Condition::DaysSinceDelivery(bound(whole(&self.text)?)),
            Field::DaysSinceOrder => Condition::DaysSinceOrder(bound(whole(&self.text)?)),
            Field::Quantity => Condition::Quantity(bound(whole(&self.text)?)),
            Field::UnitPrice => Condition::UnitPrice(money()?),
            Field::OrderTotal => Condition::OrderTotal(money()?),
            Field::CustomerReturns => Condition::CustomerReturns {
                within_days: whole(&self.within_days)?,
                count: bound(whole(&self.text)?),
            },
        })
    }
}

/// "25.00" or "25,5" to minor units; `None` for an empty field or anything else.
fn parse_amount(text: &str, exponent: u32) -> Option<i64> {
    crate::server_fns::parse_amount(text, exponent)
        .ok()
        .flatten()
}

fn format_amount(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale as u64,
        abs % scale as u64,
        width = exponent as usize
    )
}

/// The rule being added or edited, as typed.
#[derive(Debug, Clone, PartialEq)]
struct RuleForm {
    id: String,
    name: String,
    enabled: bool,
    any: bool,
    rows: Vec<Row>,
    refuse: bool,
    message: LocalizedText,
    manual: bool,
    auto: bool,
    with_label: bool,
    set_fee: bool,
    fee: String,
    fee_currency: Currency,
    waive_fee: bool,
    limit: bool,
    limited: Vec<Resolution>,
    as_json: bool,
    json: String,
    /// The shop's currency: new amounts start in it.
    currency: Currency,
}

impl RuleForm {
    fn blank(currency: Currency) -> RuleForm {
        RuleForm {
            id: String::new(),
            name: String::new(),
            enabled: true,
            any: false,
            rows: vec![Row::new(Field::Reason, currency)],
            refuse: false,
            message: LocalizedText::default(),
            manual: false,
            auto: false,
            with_label: true,
            set_fee: false,
            fee: String::new(),
            fee_currency: currency,
            waive_fee: false,
            limit: false,
            limited: Vec::new(),
            as_json: false,
            json: String::new(),
            currency,
        }
    }

    /// A rule with nested groups opens as JSON.
    fn from_rule(rule: &Rule, currency: Currency) -> RuleForm {
        let mut form = RuleForm {
            id: rule.id.clone(),
            name: rule.name.clone(),
            enabled: rule.enabled,
            ..RuleForm::blank(currency)
        };
        let rows = match &rule.condition {
            Condition::AllOf(parts) => parts.iter().map(Row::of).collect::<Option<Vec<_>>>(),
            Condition::AnyOf(parts) => {
                form.any = true;
                parts.iter().map(Row::of).collect::<Option<Vec<_>>>()
            }
            leaf => Row::of(leaf).map(|row| vec![row]),
        };
        match rows {
            Some(rows) => form.rows = rows,
            None => {
                form.as_json = true;
                form.json = pretty(rule);
            }
        }
        for action in &rule.actions {
            match action {
                RuleAction::Refuse { message } => {
                    form.refuse = true;
                    form.message = message.clone();
                }
                RuleAction::RequireManualApproval => form.manual = true,
                RuleAction::ApproveAutomatically { with_label } => {
                    form.auto = true;
                    form.with_label = *with_label;
                }
                RuleAction::SetFee { fee } => {
                    form.set_fee = true;
                    form.fee = format_amount(fee.minor, fee.currency.exponent());
                    form.fee_currency = fee.currency;
                }
                RuleAction::WaiveFee => form.waive_fee = true,
                RuleAction::LimitResolutions { resolutions } => {
                    form.limit = true;
                    form.limited = resolutions.clone();
                }
            }
        }
        form
    }

    /// The rule as typed; `Rule::validate` checks the rest. Positions are set on save.
    fn to_rule(&self) -> Result<Rule, String> {
        if self.as_json {
            return serde_json::from_str::<Rule>(&self.json)
                .map_err(|e| format!("The JSON could not be read: {e}"));
        }
        let mut parts = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| row.condition(i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        let condition = match (parts.len(), self.any) {
            (1, _) => parts.remove(0),
            (_, true) => Condition::AnyOf(parts),
            (_, false) => Condition::AllOf(parts),
        };
        let mut actions = Vec::new();
        if self.refuse {
            actions.push(RuleAction::Refuse {
                message: self.message.clone(),
            });
        }
        if self.manual {
            actions.push(RuleAction::RequireManualApproval);
        }
        if self.auto {
            actions.push(RuleAction::ApproveAutomatically {
                with_label: self.with_label,
            });
        }
        if self.set_fee {
            let minor = parse_amount(&self.fee, self.fee_currency.exponent()).ok_or_else(|| {
                format!(
                    "Enter the fee in {}, such as 4.95.",
                    self.fee_currency.code()
                )
            })?;
            actions.push(RuleAction::SetFee {
                fee: Money::new(minor, self.fee_currency),
            });
        }
        if self.waive_fee {
            actions.push(RuleAction::WaiveFee);
        }
        if self.limit {
            actions.push(RuleAction::LimitResolutions {
                resolutions: self.limited.clone(),
            });
        }
        Ok(Rule {
            id: self.id.clone(),
            name: self.name.trim().to_owned(),
            enabled: self.enabled,
            position: 0,
            condition,
            actions,
        })
    }
}

fn pretty(rule: &Rule) -> String {
    serde_json::to_string_pretty(rule).unwrap_or_default()
}

/// Positions follow the list, from 1. A dry run needs distinct ids, so new rules get a
/// stand-in; a save leaves them empty for the server to give one.
fn numbered(mut rules: Vec<Rule>, stand_in_ids: bool) -> Vec<Rule> {
    for (i, rule) in rules.iter_mut().enumerate() {
        rule.position = i as u32 + 1;
        if stand_in_ids && rule.id.trim().is_empty() {
            rule.id = format!("draft-{}", i + 1);
        }
    }
    rules
}

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Refused => "Refused",
        Verdict::ManualApproval => "Manual approval",
        Verdict::ApprovedAutomatically { with_label: true } => {
            "Approved automatically, with a return label"
        }
        Verdict::ApprovedAutomatically { with_label: false } => {
            "Approved automatically, without a label (kept by the shopper)"
        }
    }
}

fn rules_error(error: &AppError) -> String {
    match error {
        AppError::Rule(e) => e.message(Locale::En),
        AppError::Conflict => {
            "Someone else saved the rules meanwhile. Reload the page to see their changes."
                .to_owned()
        }
        other => error_text(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// Which rule the form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    New,
    At(usize),
}

#[component]
fn RulesEditor(view: RulesView) -> impl IntoView {
    let RulesView {
        rules,
        previews: _,
        version,
        can_edit,
        reasons,
        resolutions,
        currency,
    } = view;
    let draft = RwSignal::new(rules);
    let version = RwSignal::new(version);
    let reasons = StoredValue::new(reasons);
    let resolutions = StoredValue::new(resolutions);
    let editing = RwSignal::new(None::<Target>);
    let form = RwSignal::new(RuleForm::blank(currency));
    let save = Action::new(|input: &(i64, Vec<Rule>)| office_save_rules(input.0, input.1.clone()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            version.set(saved.version);
            draft.set(saved.rules);
            editing.set(None);
        }
    });
    let on_save = move |_| {
        save.dispatch((
            version.get_untracked(),
            numbered(draft.get_untracked(), false),
        ));
    };

    view! {
        <h1>"Return rules"</h1>
        <p class="muted">"Every enabled rule whose conditions hold applies to each returned item, in this order. A refusal wins over everything; manual approval wins over automatic approval."</p>
        {(!can_edit).then(|| view! { <p class="office-notice" role="note">"Only the shop's owner can change return rules."</p> })}
        {view! { <RuleList draft reasons can_edit editing form/> }.into_any()}
        {move || editing.get().map(|target| view! { <RuleEditorForm target draft form editing reasons resolutions/> }.into_any())}
        {can_edit.then(|| view! {
            <div class="office-save">
                <button type="button" class="primary" disabled=move || save.pending().get() on:click=on_save>"Save rules"</button>
                {move || save.value().get().map(|result| match result {
                    Ok(_) => view! { <p class="office-notice" role="status">"Saved."</p> }.into_any(),
                    Err(error) => view! { <p class="office-error" role="alert">{rules_error(&error)}</p> }.into_any(),
                })}
            </div>
        }.into_any())}
        {view! { <DryRunSection draft/> }.into_any()}
    }
}

#[component]
fn RuleList(
    draft: RwSignal<Vec<Rule>>,
    reasons: StoredValue<Vec<Reason>>,
    can_edit: bool,
    editing: RwSignal<Option<Target>>,
    form: RwSignal<RuleForm>,
) -> impl IntoView {
    // Items are bound by position and re-rendered only when the count changes.
    let count = Memo::new(move |_| draft.with(Vec::len));
    let add = move |_| {
        form.update(|f| *f = RuleForm::blank(f.currency));
        editing.set(Some(Target::New));
    };
    view! {
        <section class="office-card office-rules" aria-labelledby="rules-list">
            <h2 id="rules-list">"Rules, in order"</h2>
            {move || (count.get() == 0).then(|| view! { <p class="muted">"No rules yet: the shop's settings decide every return."</p> })}
            <ol class="office-rules-list">
                {move || (0..count.get()).map(|index| view! { <RuleItem index draft reasons can_edit editing form/> }).collect_view()}
            </ol>
            {can_edit.then(|| view! {
                <button type="button" disabled=move || editing.with(Option::is_some) on:click=add>"Add a rule"</button>
            })}
        </section>
    }
}

#[component]
fn RuleItem(
    index: usize,
    draft: RwSignal<Vec<Rule>>,
    reasons: StoredValue<Vec<Reason>>,
    can_edit: bool,
    editing: RwSignal<Option<Target>>,
    form: RwSignal<RuleForm>,
) -> impl IntoView {
    let n = index + 1;
    let name =
        move || draft.with(|rules| rules.get(index).map(|r| r.name.clone()).unwrap_or_default());
    let preview = move || {
        draft.with(|rules| {
            rules
                .get(index)
                .map(|r| reasons.with_value(|rs| r.describe(Locale::En, rs)))
                .unwrap_or_default()
        })
    };
    let enabled = move || draft.with(|rules| rules.get(index).is_some_and(|r| r.enabled));
    let last = move || draft.with(|rules| index + 1 >= rules.len());
    // The list stays still while a rule is in the form, so the form's place stays true.
    let busy = move || editing.with(Option::is_some);
    let swap = move |other: usize| {
        draft.update(|rules| {
            if index < rules.len() && other < rules.len() {
                rules.swap(index, other)
            }
        })
    };
    let hidden = move || view! { <span class="visually-hidden">" rule " {n}</span> };
    view! {
        <li class="office-rules-item" class:office-rules-off=move || !enabled()>
            <div class="office-rules-head">
                <h3><span class="office-rules-number">{n} ". "</span>{name}</h3>
                <label class="office-check">
                    <input type="checkbox" disabled=!can_edit prop:checked=enabled
                        on:change=move |e| {
                            let on = event_target_checked(&e);
                            draft.update(|rules| if let Some(r) = rules.get_mut(index) { r.enabled = on });
                        }/>
                    " Enabled" <span class="visually-hidden">" (rule " {n} ")"</span>
                </label>
            </div>
            <p class="office-rules-preview">{preview}</p>
            {move || draft.with(|rules| rules.get(index).is_some_and(Rule::limits_commercial_returns_only)).then(|| view! {
                <p class="office-rules-note" role="note">"Applies to commercial returns only: inside the withdrawal period an EU consumer can still withdraw through “Withdraw from contract here”, and no rule refuses, charges or limits that."</p>
            })}
            {can_edit.then(|| view! {
                <div class="office-buttons">
                    <button type="button" disabled=move || busy() || index == 0 on:click=move |_| { if index > 0 { swap(index - 1) } }>"Move up" {hidden()}</button>
                    <button type="button" disabled=move || busy() || last() on:click=move |_| swap(index + 1)>"Move down" {hidden()}</button>
                    <button type="button" disabled=busy on:click=move |_| {
                        if let Some(rule) = draft.with_untracked(|rules| rules.get(index).cloned()) {
                            form.update(|f| *f = RuleForm::from_rule(&rule, f.currency));
                            editing.set(Some(Target::At(index)));
                        }
                    }>"Edit" {hidden()}</button>
                    <button type="button" disabled=busy on:click=move |_| draft.update(|rules| if index < rules.len() { rules.remove(index); })>"Delete" {hidden()}</button>
                </div>
            }.into_any())}
        </li>
    }
}

#[component]
fn RuleEditorForm(
    target: Target,
    draft: RwSignal<Vec<Rule>>,
    form: RwSignal<RuleForm>,
    editing: RwSignal<Option<Target>>,
    reasons: StoredValue<Vec<Reason>>,
    resolutions: StoredValue<Vec<Resolution>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let as_json = Memo::new(move |_| form.with(|f| f.as_json));
    let preview = move || {
        form.with(RuleForm::to_rule)
            .ok()
            .map(|rule| reasons.with_value(|rs| rule.describe(Locale::En, rs)))
    };
    let apply = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let checked = form.with(RuleForm::to_rule).and_then(|rule| {
            reasons
                .with_value(|rs| rule.validate(rs))
                .map(|()| rule)
                .map_err(|e| e.message(Locale::En))
        });
        match checked {
            Err(message) => error.set(Some(message)),
            Ok(rule) => {
                draft.update(|rules| match target {
                    Target::At(i) if i < rules.len() => rules[i] = rule,
                    _ => rules.push(rule),
                });
                error.set(None);
                editing.set(None);
            }
        }
    };
    let to_json = move |_| match form.with(RuleForm::to_rule) {
        Ok(rule) => {
            form.update(|f| {
                f.json = pretty(&rule);
                f.as_json = true;
            });
            error.set(None);
        }
        Err(message) => error.set(Some(message)),
    };
    let to_form = move |_| match form.with(|f| serde_json::from_str::<Rule>(&f.json)) {
        Ok(rule) => {
            let next = RuleForm::from_rule(&rule, form.with_untracked(|f| f.currency));
            if next.as_json {
                error.set(Some("This rule has nested groups of conditions, which the form cannot show: edit it as JSON.".to_owned()));
            } else {
                form.set(next);
                error.set(None);
            }
        }
        Err(e) => error.set(Some(format!("The JSON could not be read: {e}"))),
    };
    let title = match target {
        Target::New => "New rule".to_owned(),
        Target::At(i) => format!("Edit rule {}", i + 1),
    };
    view! {
        <form class="office-card office-rules-form" aria-labelledby="rule-form-title" on:submit=apply>
            <h2 id="rule-form-title">{title}</h2>
            {move || if as_json.get() {
                view! {
                    <label for="rule-json">"The rule as JSON"</label>
                    <textarea id="rule-json" rows="16" spellcheck="false" prop:value=move || form.with(|f| f.json.clone())
                        on:input=move |e| form.update(|f| f.json = event_target_value(&e))></textarea>
                }.into_any()
            } else {
                view! { <RuleFields form reasons resolutions/> }.into_any()
            }}
            <p class="office-rules-preview" aria-live="polite">
                <span class="muted">"Preview: "</span>
                {move || preview().unwrap_or_else(|| "(finish the rule to see it in words)".to_owned())}
            </p>
            {move || error.get().map(|message| view! { <p class="office-error" role="alert">{message}</p> })}
            <div class="office-buttons">
                <button type="submit" class="primary">{match target { Target::New => "Add the rule", Target::At(_) => "Update the rule" }}</button>
                <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                {move || if as_json.get() {
                    view! { <button type="button" on:click=to_form>"Edit with the form"</button> }.into_any()
                } else {
                    view! { <button type="button" on:click=to_json>"Edit as JSON"</button> }.into_any()
                }}
            </div>
            <p class="muted">"Changes apply to the list above; press “Save rules” to keep them."</p>
        </form>
    }
}

#[component]
fn RuleFields(
    form: RwSignal<RuleForm>,
    reasons: StoredValue<Vec<Reason>>,
    resolutions: StoredValue<Vec<Resolution>>,
) -> impl IntoView {
    let row_count = Memo::new(move |_| form.with(|f| f.rows.len()));
    let any = move || form.with(|f| f.any);
    view! {
        <label for="rule-name">"Name"</label>
        <input id="rule-name" maxlength="80" prop:value=move || form.with(|f| f.name.clone())
            on:input=move |e| form.update(|f| f.name = event_target_value(&e))/>
        <label class="office-check"><input type="checkbox" prop:checked=move || form.with(|f| f.enabled)
            on:change=move |e| form.update(|f| f.enabled = event_target_checked(&e))/> " Enabled"</label>
        <fieldset class="office-rules-conditions">
            <legend>"When"</legend>
            <label class="office-check"><input type="radio" name="rule-mode" prop:checked=move || !any()
                on:change=move |_| form.update(|f| f.any = false)/> " all of these conditions hold"</label>
            <label class="office-check"><input type="radio" name="rule-mode" prop:checked=any
                on:change=move |_| form.update(|f| f.any = true)/> " any of these conditions holds"</label>
            <ol class="office-rules-rows">
                {move || (0..row_count.get()).map(|index| view! { <ConditionRow index form reasons/> }).collect_view()}
            </ol>
            <button type="button" on:click=move |_| form.update(|f| { let row = Row::new(Field::Country, f.currency); f.rows.push(row) })>"Add a condition"</button>
        </fieldset>
        {view! { <ActionFields form resolutions/> }.into_any()}
    }
}

#[component]
fn ConditionRow(
    index: usize,
    form: RwSignal<RuleForm>,
    reasons: StoredValue<Vec<Reason>>,
) -> impl IntoView {
    // A memo, so typing a value does not rebuild the row's inputs (and lose the focus).
    let field =
        Memo::new(move |_| form.with(|f| f.rows.get(index).map_or(Field::Reason, |r| r.field)));
    let n = index + 1;
    let base = format!("rule-condition-{n}");
    let set_field = move |e: leptos::ev::Event| {
        if let Some(kind) = Field::parse(&event_target_value(&e)) {
            form.update(|f| {
                let currency = f.currency;
                if let Some(r) = f.rows.get_mut(index) {
                    *r = Row::new(kind, currency)
                }
            });
        }
    };
    let remove = move |_| {
        form.update(|f| {
            if index < f.rows.len() {
                f.rows.remove(index);
            }
        })
    };
    view! {
        <li class="office-rules-row">
            <label for=format!("{base}-field") class="visually-hidden">"Field (condition " {n} ")"</label>
            <select id=format!("{base}-field") on:change=set_field>
                {Field::ALL.into_iter().map(|kind| view! {
                    <option value=kind.as_str() selected=move || field.get() == kind>{field_label(kind)}</option>
                }).collect_view()}
            </select>
            <label for=format!("{base}-op") class="visually-hidden">"Operator (condition " {n} ")"</label>
            <select id=format!("{base}-op") on:change=move |e| {
                let op = event_target_value(&e);
                form.update(|f| if let Some(r) = f.rows.get_mut(index) { r.op = op });
            }>
                {move || field_ops(field.get()).iter().map(|&(key, label)| view! {
                    <option value=key selected=move || form.with(|f| f.rows.get(index).is_some_and(|r| r.op == key))>{label}</option>
                }).collect_view()}
            </select>
            {move || value_input(field.get(), index, form, reasons)}
            <button type="button" on:click=remove>"Remove" <span class="visually-hidden">" condition " {n}</span></button>
        </li>
    }
}

fn value_input(
    kind: Field,
    index: usize,
    form: RwSignal<RuleForm>,
    reasons: StoredValue<Vec<Reason>>,
) -> AnyView {
    let n = index + 1;
    let id = format!("rule-condition-{n}-value");
    let text = move || {
        form.with(|f| {
            f.rows
                .get(index)
                .map(|r| r.text.clone())
                .unwrap_or_default()
        })
    };
    let set_text = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        form.update(|f| {
            if let Some(r) = f.rows.get_mut(index) {
                r.text = value
            }
        });
    };
    let picked = move |value: String| {
        move || form.with(|f| f.rows.get(index).is_some_and(|r| r.picked.contains(&value)))
    };
    let pick = move |value: String| {
        move |e: leptos::ev::Event| {
            let on = event_target_checked(&e);
            form.update(|f| {
                if let Some(r) = f.rows.get_mut(index) {
                    toggle(&mut r.picked, value.clone(), on)
                }
            });
        }
    };
    match kind {
        Field::Reason => {
            let choices: Vec<(String, String)> = reasons.with_value(|rs| {
                rs.iter().map(|r| (r.code.clone(), if r.label.en.trim().is_empty() { r.code.clone() } else { r.label.en.clone() })).collect()
            });
            view! {
                <fieldset class="office-rules-choices">
                    <legend class="visually-hidden">"Reasons (condition " {n} ")"</legend>
                    {choices.into_iter().map(|(code, label)| view! {
                        <label class="office-check"><input type="checkbox" value=code.clone() prop:checked=picked(code.clone()) on:change=pick(code)/> " " {label}</label>
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Field::Resolution => view! {
            <fieldset class="office-rules-choices">
                <legend class="visually-hidden">"Resolutions (condition " {n} ")"</legend>
                {Resolution::ALL.iter().copied().map(|r| {
                    let code = r.as_str().to_owned();
                    view! {
                        <label class="office-check"><input type="checkbox" value=code.clone() prop:checked=picked(code.clone()) on:change=pick(code)/> " " {resolution_label(r)}</label>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        Field::Country | Field::Tag | Field::Category | Field::Sku => {
            let (what, example) = match kind {
                Field::Country => ("Country codes", "FR, BE"),
                Field::Tag => ("Tags", "final-sale, hygiene"),
                Field::Category => ("Categories", "Underwear"),
                _ => ("SKUs", "GIFT-01, GIFT-02"),
            };
            view! {
                <label for=id.clone() class="visually-hidden">{what} " (condition " {n} "), separated by commas"</label>
                <input id=id placeholder=example prop:value=text on:input=set_text/>
                <span class="muted">"comma-separated"</span>
            }
            .into_any()
        }
        Field::UnitPrice | Field::OrderTotal => {
            let currency = move || form.with(|f| f.rows.get(index).map(|r| r.currency.code().to_owned()).unwrap_or_default());
            view! {
                <label for=id.clone() class="visually-hidden">"Amount (condition " {n} ")"</label>
                <input id=id class="office-rules-number-input" inputmode="decimal" placeholder="25.00" prop:value=text on:input=set_text/>
                <span>{currency}</span>
            }
            .into_any()
        }
        Field::CustomerReturns => {
            let days_id = format!("rule-condition-{n}-days");
            let days = move || form.with(|f| f.rows.get(index).map(|r| r.within_days.clone()).unwrap_or_default());
            view! {
                <label for=id.clone() class="visually-hidden">"Number of earlier requests (condition " {n} ")"</label>
                <input id=id class="office-rules-number-input" type="number" min="0" inputmode="numeric" prop:value=text on:input=set_text/>
                <label for=days_id.clone()>"requests in the last"</label>
                <input id=days_id class="office-rules-number-input" type="number" min="1" inputmode="numeric" prop:value=days
                    on:input=move |e| {
                        let value = event_target_value(&e);
                        form.update(|f| if let Some(r) = f.rows.get_mut(index) { r.within_days = value });
                    }/>
                <span>"days"</span>
            }
            .into_any()
        }
        Field::DaysSinceDelivery | Field::DaysSinceOrder | Field::Quantity => {
            let unit = if kind == Field::Quantity { "units" } else { "days" };
            view! {
                <label for=id.clone() class="visually-hidden">{field_label(kind)} " (condition " {n} ")"</label>
                <input id=id class="office-rules-number-input" type="number" min="0" inputmode="numeric" prop:value=text on:input=set_text/>
                <span>{unit}</span>
            }
            .into_any()
        }
    }
}

#[component]
fn ActionFields(
    form: RwSignal<RuleForm>,
    resolutions: StoredValue<Vec<Resolution>>,
) -> impl IntoView {
    let flag = move |read: fn(&RuleForm) -> bool| move || form.with(read);
    let set = move |write: fn(&mut RuleForm, bool)| {
        move |e: leptos::ev::Event| {
            let on = event_target_checked(&e);
            form.update(|f| write(f, on));
        }
    };
    let refuse = Memo::new(move |_| form.with(|f| f.refuse));
    let auto = Memo::new(move |_| form.with(|f| f.auto));
    let set_fee = Memo::new(move |_| form.with(|f| f.set_fee));
    let limit = Memo::new(move |_| form.with(|f| f.limit));
    view! {
        <fieldset class="office-rules-actions">
            <legend>"Then"</legend>
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.refuse) on:change=set(|f, on| f.refuse = on)/>
                " Refuse the item " <span class="muted">"(a refusal stands alone: no other action)"</span></label>
            {move || refuse.get().then(|| view! { <RefusalMessages form/> }.into_any())}
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.manual) on:change=set(|f, on| f.manual = on)/>
                " Require manual approval"</label>
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.auto) on:change=set(|f, on| f.auto = on)/>
                " Approve automatically"</label>
            {move || auto.get().then(|| view! {
                <label class="office-check office-rules-nested"><input type="checkbox" prop:checked=flag(|f| f.with_label) on:change=set(|f, on| f.with_label = on)/>
                    " with a return label " <span class="muted">"(off: the shopper keeps the item)"</span></label>
            })}
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.set_fee) on:change=set(|f, on| f.set_fee = on)/>
                " Charge a return fee"</label>
            {move || set_fee.get().then(|| view! {
                <div class="office-rules-nested">
                    <label for="rule-fee">"Fee (" {move || form.with(|f| f.fee_currency.code().to_owned())} ")"</label>
                    <input id="rule-fee" class="office-rules-number-input" inputmode="decimal" placeholder="4.95"
                        prop:value=move || form.with(|f| f.fee.clone()) on:input=move |e| form.update(|f| f.fee = event_target_value(&e))/>
                </div>
            })}
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.waive_fee) on:change=set(|f, on| f.waive_fee = on)/>
                " Waive the return fee"</label>
            <label class="office-check"><input type="checkbox" prop:checked=flag(|f| f.limit) on:change=set(|f, on| f.limit = on)/>
                " Offer only some resolutions"</label>
            {move || limit.get().then(|| view! {
                <fieldset class="office-rules-nested office-rules-choices">
                    <legend class="visually-hidden">"Resolutions to offer"</legend>
                    {resolutions.get_value().into_iter().map(|r| view! {
                        <label class="office-check"><input type="checkbox" prop:checked=move || form.with(|f| f.limited.contains(&r))
                            on:change=move |e| {
                                let on = event_target_checked(&e);
                                form.update(|f| toggle(&mut f.limited, r, on));
                            }/> " " {resolution_label(r)}</label>
                    }).collect_view()}
                </fieldset>
            }.into_any())}
        </fieldset>
    }
}

#[component]
fn RefusalMessages(form: RwSignal<RuleForm>) -> impl IntoView {
    view! {
        <div class="office-rules-nested office-rules-messages">
            <p class="muted">"Message to the shopper (left empty: a standard message in their language)"</p>
            {Locale::ALL.into_iter().map(|l| {
                let id = format!("rule-message-{}", l.code());
                view! {
                    <label for=id.clone()>"Message (" {l.code().to_uppercase()} ")"</label>
                    <input id=id lang=l.code() maxlength="300"
                        prop:value=move || form.with(|f| f.message.get(l).to_owned())
                        on:input=move |e| {
                            let value = event_target_value(&e);
                            form.update(|f| match l {
                                Locale::En => f.message.en = value,
                                Locale::Fr => f.message.fr = value,
                                Locale::Nl => f.message.nl = value,
                                Locale::De => f.message.de = value,
                            });
                        }/>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn DryRunSection(draft: RwSignal<Vec<Rule>>) -> impl IntoView {
    let run = Action::new(|rules: &Vec<Rule>| office_dry_run_rules(rules.clone()));
    view! {
        <section class="office-card" aria-labelledby="rules-dry-run">
            <h2 id="rules-dry-run">"Dry run"</h2>
            <p class="muted">"What the rules above, saved or not, would decide for the shop's last 50 requests. Nothing changes."</p>
            <button type="button" disabled=move || run.pending().get()
                on:click=move |_| { run.dispatch(numbered(draft.get_untracked(), true)); }>"Dry run"</button>
            {move || run.value().get().map(|result| match result {
                Ok(rows) => view! { <DryRunTable rows/> }.into_any(),
                Err(error) => view! { <p class="office-error" role="alert">{rules_error(&error)}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn DryRunTable(rows: Vec<DryRunRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" role="status">"No requests yet."</p> }.into_any();
    }
    view! {
        <table class="office-rules-dry-run">
            <caption class="visually-hidden">"Recent requests under the draft rules"</caption>
            <thead>
                <tr><th scope="col">"Request"</th><th scope="col">"What happened"</th><th scope="col">"What the rules would do"</th><th scope="col">"Why"</th></tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=format!("/admin/returns/{}", row.id)>{row.reference}</a></td>
                        <td>{status_label(row.actual)}</td>
                        <td>{verdict_label(row.verdict)}</td>
                        <td>
                            {if row.explanations.is_empty() {
                                view! { <span class="muted">"No rule applies: the shop's settings decide."</span> }.into_any()
                            } else {
                                view! { <ul>{row.explanations.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_minor_units() {
        assert_eq!(parse_amount("25.00", 2), Some(2500));
        assert_eq!(parse_amount("25", 2), Some(2500));
        assert_eq!(parse_amount("4,5", 2), Some(450));
        assert_eq!(parse_amount(".99", 2), Some(99));
        assert_eq!(parse_amount("1.234", 2), None);
        assert_eq!(parse_amount("-3", 2), None);
        assert_eq!(parse_amount("", 2), None);
        assert_eq!(format_amount(2500, 2), "25.00");
        assert_eq!(format_amount(7, 2), "0.07");
    }

    #[test]
    fn a_flat_rule_goes_through_the_form_unchanged() {
        let rule: Rule = serde_json::from_str(
            r#"{"id":"r1","name":"No France","enabled":true,"position":1,
                "condition":{"any_of":[{"field":"country","op":"one_of","values":["FR","BE"]},
                                       {"field":"order_total","op":"at_least","value":{"minor":2500,"currency":"EUR"}},
                                       {"field":"customer_returns","op":"at_most","value":3,"within_days":90}]},
                "actions":[{"action":"require_manual_approval"},{"action":"set_fee","fee":{"minor":495,"currency":"EUR"}}]}"#,
        )
        .unwrap();
        let form = RuleForm::from_rule(&rule, Currency::EUR);
        assert!(!form.as_json);
        let mut back = form.to_rule().unwrap();
        back.position = 1;
        assert_eq!(back, rule);
    }

    #[test]
    fn a_new_rule_starts_in_the_shops_currency_and_an_edited_one_keeps_its_own() {
        let chf = Currency::try_from("CHF".to_owned()).unwrap();
        let form = RuleForm::blank(chf);
        assert_eq!((form.fee_currency, form.rows[0].currency), (chf, chf));
        let rule: Rule = serde_json::from_str(
            r#"{"id":"r1","name":"Big orders","enabled":true,"position":1,
                "condition":{"field":"order_total","op":"at_least","value":{"minor":2500,"currency":"EUR"}},
                "actions":[{"action":"set_fee","fee":{"minor":495,"currency":"EUR"}}]}"#,
        )
        .unwrap();
        let form = RuleForm::from_rule(&rule, chf);
        assert_eq!((form.fee_currency, form.rows[0].currency), (Currency::EUR, Currency::EUR));
        assert_eq!(form.currency, chf, "a condition added while editing starts in CHF");
    }

    #[test]
    fn a_nested_rule_opens_as_json() {
        let rule: Rule = serde_json::from_str(
            r#"{"id":"r1","name":"Nested","enabled":true,"position":1,
                "condition":{"all_of":[{"any_of":[{"field":"quantity","op":"at_least","value":2}]}]},
                "actions":[{"action":"waive_fee"}]}"#,
        )
        .unwrap();
        let form = RuleForm::from_rule(&rule, Currency::EUR);
        assert!(form.as_json);
        assert_eq!(form.to_rule().unwrap(), rule);
    }
}
