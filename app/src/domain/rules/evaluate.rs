//! Evaluating rules against a request: the contexts, the outcomes and the conflict rules
//! described in the module's documentation.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::*;
use crate::domain::{shop::LocalizedText, shop::Shop, Locale, Money, ReasonCode, Resolution};

// ---------------------------------------------------------------------------------------------
// What a rule is evaluated against
// ---------------------------------------------------------------------------------------------

/// The request as far as it is known. In the wizard `resolution` may be `None` (not chosen yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleContext {
    pub kind: RequestKind,
    pub today: Date,
    pub placed_on: Date,
    pub delivered_on: Option<Date>,
    /// ISO 3166-1 alpha-2 of the shipping address.
    pub shipping_country: String,
    /// Its currency is the order's: fees in another currency are never charged.
    pub order_total: Money,
    pub resolution: Option<Resolution>,
    /// When this customer (same email, any order) made earlier return requests; this one excluded.
    pub earlier_requests: Vec<Date>,
    pub items: Vec<ItemContext>,
}

/// One order line being returned. `reason` and `quantity` are `None` until the shopper answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemContext {
    pub line_id: String,
    pub sku: String,
    pub unit_price: Money,
    pub tags: Vec<String>,
    pub category: Option<String>,
    pub reason: Option<ReasonCode>,
    pub quantity: Option<u32>,
}

/// What the shop decides when no rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopDefaults<'a> {
    /// Off: approved automatically, with a return label.
    pub manual_approval: bool,
    /// Everything the shop offers, in its order; outcomes list resolutions in this order.
    pub resolutions: &'a [Resolution],
}

impl<'a> From<&'a Shop> for ShopDefaults<'a> {
    fn from(shop: &'a Shop) -> ShopDefaults<'a> {
        ShopDefaults {
            manual_approval: shop.manual_approval,
            resolutions: &shop.resolutions,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Refused,
    ManualApproval,
    ApprovedAutomatically { with_label: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fee", rename_all = "snake_case")]
pub enum Fee {
    /// No rule said anything: whatever the shop charges by default.
    ShopDefault,
    /// Nothing to pay: waived by a rule, a legal withdrawal, or nothing left to return.
    Waived,
    Set {
        amount: Money,
    },
}

/// What one of a matched rule's actions did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// It shaped the outcome (every matching refusal refuses; the first one's message shows).
    Applied,
    /// A stronger action won: a refusal, manual approval, a fee waiver, an earlier fee.
    Overridden,
    /// Refusals, fees and limits never apply to a legal withdrawal.
    NotForWithdrawal,
    /// A fee in another currency than the order's.
    CurrencyMismatch,
    /// The limits left no resolution the shop offers: manual approval with all of them.
    NoCommonResolution,
}

/// A rule whose condition was true for an item, and what each of its actions did
/// (`effects[i]` is about `actions[i]` of the rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMatch {
    pub rule_id: String,
    pub position: u32,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemOutcome {
    pub line_id: String,
    pub verdict: Verdict,
    /// The first matching refusal's message in rule order, when refused. Show it with
    /// [`refusal_text`], which supplies a translated default when it is empty.
    pub refusal: Option<LocalizedText>,
    /// No rule decided approval: the shop's setting did.
    pub by_shop_default: bool,
    pub fee: Fee,
    /// Empty when refused.
    pub resolutions: Vec<Resolution>,
    /// In rule order.
    pub matched: Vec<RuleMatch>,
    /// Ids of enabled rules that depend on an answer not given yet, in rule order.
    pub undecided: Vec<String>,
    /// An undecided rule would refuse the item: the wizard can warn before the shopper answers.
    pub may_be_refused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub fee: Fee,
    pub resolutions: Vec<Resolution>,
    /// The items left had no resolution in common: manual approval with all of the shop's.
    pub resolution_conflict: bool,
    /// In the request's order.
    pub items: Vec<ItemOutcome>,
    /// No rule is waiting for an answer: this is what submission will decide.
    pub complete: bool,
}

impl ItemOutcome {
    /// What the shopper reads when a rule refuses this item; `None` when none does.
    pub fn refusal_message(&self, locale: Locale) -> Option<String> {
        (self.verdict == Verdict::Refused).then(|| {
            refusal_text(
                self.refusal.as_ref().unwrap_or(&LocalizedText::default()),
                locale,
            )
        })
    }
}

/// How many days back the enabled rules look into a customer's earlier requests; `None`
/// when no rule asks, so that history need not be read at all.
pub fn history_window_days(rules: &[Rule]) -> Option<u32> {
    rules
        .iter()
        .filter(|rule| rule.enabled)
        .filter_map(|rule| rule.condition.history_days())
        .max()
}

/// The refusal message to show, in the shopper's language: the merchant's text (English when
/// not translated), or the portal's own when the merchant wrote none. The French default is
/// the wording merchants asked for ("Impossible de retourner l'article").
pub fn refusal_text(message: &LocalizedText, locale: Locale) -> String {
    match message.get(locale).trim() {
        "" => tr(
            locale,
            [
                "This item cannot be returned.",
                "Impossible de retourner l'article.",
                "Dit artikel kan niet worden geretourneerd.",
                "Dieser Artikel kann nicht zurückgegeben werden.",
            ],
        )
        .to_owned(),
        text => text.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

impl Condition {
    /// The widest "customer returns in the last N days" window this condition tests.
    fn history_days(&self) -> Option<u32> {
        match self {
            Condition::AllOf(parts) | Condition::AnyOf(parts) => {
                parts.iter().filter_map(Condition::history_days).max()
            }
            Condition::CustomerReturns { within_days, .. } => Some(*within_days),
            _ => None,
        }
    }

    /// True, false, or `None` when it depends on an answer not given yet (three-valued logic).
    pub fn evaluate(&self, request: &RuleContext, item: &ItemContext) -> Option<bool> {
        match self {
            Condition::AllOf(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.evaluate(request, item) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Condition::AnyOf(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.evaluate(request, item) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
            Condition::Reason(m) => item
                .reason
                .as_ref()
                .map(|reason| m.test(|code| code == reason)),
            Condition::Resolution(m) => request.resolution.map(|chosen| m.test(|r| *r == chosen)),
            Condition::Quantity(b) => item.quantity.map(|quantity| b.test(&quantity)),
            Condition::Country(m) => Some(m.test(|code| {
                code.trim()
                    .eq_ignore_ascii_case(request.shipping_country.trim())
            })),
            Condition::Tag(m) => Some(m.test(|tag| item.tags.iter().any(|t| same_text(t, tag)))),
            Condition::Category(m) => Some(m.test(|c| {
                item.category
                    .as_deref()
                    .is_some_and(|category| same_text(category, c))
            })),
            Condition::Sku(test) => Some(match test {
                SkuTest::Is(sku) => item.sku.trim().eq_ignore_ascii_case(sku.trim()),
                SkuTest::OneOf(skus) => skus
                    .iter()
                    .any(|sku| item.sku.trim().eq_ignore_ascii_case(sku.trim())),
                SkuTest::StartsWith(prefix) => {
                    starts_with_ignoring_case(item.sku.trim(), prefix.trim())
                }
            }),
            Condition::DaysSinceDelivery(b) => Some(b.test(&days_between(
                request.delivered_on.unwrap_or(request.placed_on),
                request.today,
            ))),
            Condition::DaysSinceOrder(b) => {
                Some(b.test(&days_between(request.placed_on, request.today)))
            }
            Condition::UnitPrice(b) => Some(money_test(b, item.unit_price)),
            Condition::OrderTotal(b) => Some(money_test(b, request.order_total)),
            Condition::CustomerReturns { within_days, count } => {
                let since = request
                    .today
                    .checked_sub(Duration::days(i64::from(*within_days)))
                    .unwrap_or(Date::MIN);
                let recent = request
                    .earlier_requests
                    .iter()
                    .filter(|day| **day >= since)
                    .count();
                Some(count.test(&u32::try_from(recent).unwrap_or(u32::MAX)))
            }
        }
    }
}

/// Whole days from `from` to `to`, never negative (a delivery date in the future is data
/// noise, not a reason to match "at most 3 days").
fn days_between(from: Date, to: Date) -> u32 {
    u32::try_from((to - from).whole_days().max(0)).unwrap_or(u32::MAX)
}

/// An amount in another currency is never compared: the test is false.
fn money_test(bound: &Bound<Money>, value: Money) -> bool {
    let limit = match bound {
        Bound::AtLeast(m) | Bound::AtMost(m) => m,
    };
    limit.currency == value.currency && bound.map_ref(|m| m.minor).test(&value.minor)
}

impl<T: Copy> Bound<T> {
    pub(super) fn map_ref<U>(&self, f: impl FnOnce(T) -> U) -> Bound<U> {
        match *self {
            Bound::AtLeast(v) => Bound::AtLeast(f(v)),
            Bound::AtMost(v) => Bound::AtMost(f(v)),
        }
    }
}

/// Tags and categories come from shop systems that do not agree on case or spacing.
fn same_text(a: &str, b: &str) -> bool {
    a.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .eq(b.trim().chars().flat_map(char::to_lowercase))
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Evaluates every enabled rule for every item and settles conflicts as the module doc says.
/// `rules` may come in any order: they are run by `position`, then `id`.
pub fn evaluate(rules: &[Rule], request: &RuleContext, shop: ShopDefaults<'_>) -> Outcome {
    let mut ordered: Vec<&Rule> = rules.iter().filter(|rule| rule.enabled).collect();
    ordered.sort_by(|a, b| (a.position, &a.id).cmp(&(b.position, &b.id)));
    let items: Vec<ItemOutcome> = request
        .items
        .iter()
        .map(|item| evaluate_item(&ordered, request, item, shop))
        .collect();
    combine(items, shop)
}

fn evaluate_item(
    ordered: &[&Rule],
    request: &RuleContext,
    item: &ItemContext,
    shop: ShopDefaults<'_>,
) -> ItemOutcome {
    let withdrawal = request.kind == RequestKind::Withdrawal;
    let mut matched: Vec<&Rule> = Vec::new();
    let mut undecided = Vec::new();
    let mut may_be_refused = false;
    for rule in ordered {
        match rule.condition.evaluate(request, item) {
            Some(true) => matched.push(rule),
            Some(false) => {}
            None => {
                undecided.push(rule.id.clone());
                may_be_refused |= !withdrawal
                    && rule
                        .actions
                        .iter()
                        .any(|a| matches!(a, Action::Refuse { .. }));
            }
        }
    }

    // First pass: what wins. `fee_pick` remembers which action set the fee, for the effects.
    let actions = || {
        matched.iter().enumerate().flat_map(|(r, rule)| {
            rule.actions
                .iter()
                .enumerate()
                .map(move |(a, action)| ((r, a), action))
        })
    };
    let refusal = if withdrawal {
        None
    } else {
        actions().find_map(|(_, action)| match action {
            Action::Refuse { message } => Some(message),
            _ => None,
        })
    };
    let manual = actions().any(|(_, a)| matches!(a, Action::RequireManualApproval));
    let automatic = actions().fold(None, |label, (_, a)| match a {
        Action::ApproveAutomatically { with_label } => Some(label.unwrap_or(false) || *with_label),
        _ => label,
    });
    let waived = withdrawal || actions().any(|(_, a)| matches!(a, Action::WaiveFee));
    let fee_pick = actions().find_map(|(at, action)| match action {
        Action::SetFee { fee } if fee.currency == request.order_total.currency => Some((at, *fee)),
        _ => None,
    });
    let mut resolutions = shop.resolutions.to_vec();
    let mut limited = false;
    if !withdrawal {
        for (_, action) in actions() {
            if let Action::LimitResolutions {
                resolutions: allowed,
            } = action
            {
                limited = true;
                resolutions.retain(|r| allowed.contains(r));
            }
        }
    }
    let no_common_resolution = limited && resolutions.is_empty();
    if no_common_resolution {
        resolutions = shop.resolutions.to_vec();
    }

    let refused = refusal.is_some();
    let by_shop_default = !refused && !manual && !no_common_resolution && automatic.is_none();
    let verdict = match (refused, manual || no_common_resolution, automatic) {
        (true, _, _) => Verdict::Refused,
        (false, true, _) => Verdict::ManualApproval,
        (false, false, Some(with_label)) => Verdict::ApprovedAutomatically { with_label },
        (false, false, None) if shop.manual_approval => Verdict::ManualApproval,
        (false, false, None) => Verdict::ApprovedAutomatically { with_label: true },
    };
    let fee = match fee_pick {
        _ if refused || waived => Fee::Waived,
        Some((_, amount)) => Fee::Set { amount },
        None => Fee::ShopDefault,
    };

    // Second pass: what each matched action did, for the back office's explanation.
    let effect = |at: (usize, usize), action: &Action| -> Effect {
        use Effect::*;
        match action {
            Action::Refuse { .. } | Action::SetFee { .. } | Action::LimitResolutions { .. }
                if withdrawal =>
            {
                NotForWithdrawal
            }
            Action::Refuse { .. } => Applied,
            _ if refused => Overridden,
            Action::RequireManualApproval | Action::WaiveFee => Applied,
            Action::ApproveAutomatically { .. }
                if matches!(verdict, Verdict::ApprovedAutomatically { .. }) =>
            {
                Applied
            }
            Action::ApproveAutomatically { .. } => Overridden,
            Action::SetFee { fee } if fee.currency != request.order_total.currency => {
                CurrencyMismatch
            }
            Action::SetFee { .. }
                if !waived && fee_pick.is_some_and(|(picked, _)| picked == at) =>
            {
                Applied
            }
            Action::SetFee { .. } => Overridden,
            Action::LimitResolutions { .. } if no_common_resolution => NoCommonResolution,
            Action::LimitResolutions { .. } => Applied,
        }
    };
    let matched = matched
        .iter()
        .enumerate()
        .map(|(r, rule)| RuleMatch {
            rule_id: rule.id.clone(),
            position: rule.position,
            effects: rule
                .actions
                .iter()
                .enumerate()
                .map(|(a, action)| effect((r, a), action))
                .collect(),
        })
        .collect();

    ItemOutcome {
        line_id: item.line_id.clone(),
        verdict,
        refusal: refusal.cloned(),
        by_shop_default,
        fee,
        resolutions: if refused { Vec::new() } else { resolutions },
        matched,
        undecided,
        may_be_refused,
    }
}

/// The request-level outcome from the items' (see the module doc).
fn combine(items: Vec<ItemOutcome>, shop: ShopDefaults<'_>) -> Outcome {
    let complete = items.iter().all(|item| item.undecided.is_empty());
    let left: Vec<&ItemOutcome> = items
        .iter()
        .filter(|item| item.verdict != Verdict::Refused)
        .collect();
    let shop_default = if shop.manual_approval {
        Verdict::ManualApproval
    } else {
        Verdict::ApprovedAutomatically { with_label: true }
    };
    let (verdict, fee, resolutions, resolution_conflict) = if items.is_empty() {
        (
            shop_default,
            Fee::ShopDefault,
            shop.resolutions.to_vec(),
            false,
        )
    } else if left.is_empty() {
        (Verdict::Refused, Fee::Waived, Vec::new(), false)
    } else {
        let mut resolutions = shop.resolutions.to_vec();
        for item in &left {
            resolutions.retain(|r| item.resolutions.contains(r));
        }
        let conflict = resolutions.is_empty();
        if conflict {
            resolutions = shop.resolutions.to_vec();
        }
        let verdict = if conflict
            || left
                .iter()
                .any(|item| item.verdict == Verdict::ManualApproval)
        {
            Verdict::ManualApproval
        } else {
            let with_label = left
                .iter()
                .any(|item| item.verdict == Verdict::ApprovedAutomatically { with_label: true });
            Verdict::ApprovedAutomatically { with_label }
        };
        let highest = left
            .iter()
            .filter_map(|item| match item.fee {
                Fee::Set { amount } => Some(amount),
                _ => None,
            })
            .max_by_key(|amount| amount.minor);
        let fee = match highest {
            Some(amount) => Fee::Set { amount },
            None if left.iter().all(|item| item.fee == Fee::Waived) => Fee::Waived,
            None => Fee::ShopDefault,
        };
        (verdict, fee, resolutions, conflict)
    };
    Outcome {
        verdict,
        fee,
        resolutions,
        resolution_conflict,
        items,
        complete,
    }
}
