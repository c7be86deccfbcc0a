//! The shopper wizard: its answers (kept in the tab's session storage so a reload or the
//! back button loses nothing) and which step they allow.

mod photo_upload;
mod steps;

pub use steps::Wizard;

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        fee::FeePayment,
        submission::{check_item, check_quantity, check_reason, ItemAnswer, ReturnAnswers},
        DomainError, LineEligibility, Money, Resolution, ReturnMethod,
    },
    dto::{OrderView, PhotoRef, RuleItemInput, Submitted},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Find,
    Items,
    Reasons,
    Photos,
    Outcome,
    Review,
    Done,
}

impl Step {
    pub const NUMBERED: [Step; 6] = [
        Step::Find,
        Step::Items,
        Step::Reasons,
        Step::Photos,
        Step::Outcome,
        Step::Review,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Find => "find",
            Step::Items => "items",
            Step::Reasons => "reasons",
            Step::Photos => "photos",
            Step::Outcome => "outcome",
            Step::Review => "review",
            Step::Done => "done",
        }
    }

    pub fn from_slug(slug: &str) -> Step {
        [
            Step::Items,
            Step::Reasons,
            Step::Photos,
            Step::Outcome,
            Step::Review,
            Step::Done,
        ]
        .into_iter()
        .find(|s| s.slug() == slug)
        .unwrap_or(Step::Find)
    }

    /// 1-based position among the numbered steps.
    pub fn number(self) -> usize {
        Step::NUMBERED
            .iter()
            .position(|s| *s == self)
            .map_or(Step::NUMBERED.len(), |i| i + 1)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemDraft {
    pub line_id: String,
    pub selected: bool,
    pub quantity: u32,
    pub reason: String,
    pub comment: String,
    pub photo: Option<PhotoRef>,
}

/// Everything the shopper has answered so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub order_number: String,
    pub email: String,
    pub order: Option<OrderView>,
    pub items: Vec<ItemDraft>,
    pub resolution: Option<Resolution>,
    pub method: Option<ReturnMethod>,
    /// Made once per request, so a double click or a retry submits it once.
    pub idempotency_key: String,
    pub submitted: Option<Submitted>,
    /// What the shop's return rules leave of its resolutions, once the reasons are known.
    #[serde(default)]
    pub allowed_resolutions: Option<Vec<Resolution>>,
    /// The return fee the rules and the shop set for these answers, once asked.
    #[serde(default)]
    pub fee: Option<Money>,
    #[serde(default)]
    pub fee_deductible: bool,
    #[serde(default)]
    pub fee_payment: FeePayment,
}

impl Draft {
    /// A shop's deep link (`?order=…&email=…`) fills in the look-up, unless an order was
    /// already found in this tab: a reload must not throw the shopper's answers away.
    pub fn with_deep_link(mut self, order_number: Option<String>, email: Option<String>) -> Draft {
        if self.order.is_none() && self.submitted.is_none() {
            let clean = |text: String| text.trim().chars().take(254).collect::<String>();
            if let Some(number) = order_number.map(clean).filter(|n| !n.is_empty()) {
                self.order_number = number.chars().take(64).collect();
            }
            if let Some(email) = email.map(clean).filter(|e| !e.is_empty()) {
                self.email = email;
            }
        }
        self
    }

    /// A fresh draft for a found order, keeping what was typed to find it.
    pub fn for_order(&self, order: OrderView, idempotency_key: String) -> Draft {
        let items = order
            .lines
            .iter()
            .map(|line| ItemDraft {
                line_id: line.id.clone(),
                quantity: 1,
                ..Default::default()
            })
            .collect();
        let resolution = (order.resolutions.len() == 1).then(|| order.resolutions[0]);
        let method = (order.methods.len() == 1).then(|| order.methods[0]);
        Draft {
            order_number: self.order_number.clone(),
            email: self.email.clone(),
            order: Some(order),
            items,
            resolution,
            method,
            idempotency_key,
            ..Draft::default()
        }
    }

    /// The selected items as the return rules see them; reasons only once they are asked.
    pub fn rule_items(&self, with_reasons: bool) -> Vec<RuleItemInput> {
        self.selected()
            .map(|item| RuleItemInput {
                line_id: item.line_id.clone(),
                reason: (with_reasons && !item.reason.is_empty()).then(|| item.reason.clone()),
                quantity: Some(item.quantity),
            })
            .collect()
    }

    /// Deducting needs a refund to deduct from: with another resolution the fee is paid now.
    pub fn fee_payment_choice(&self) -> FeePayment {
        match self.can_deduct_fee() {
            true => self.fee_payment,
            false => FeePayment::PayNow,
        }
    }

    pub fn can_deduct_fee(&self) -> bool {
        self.fee_deductible && self.resolution == Some(Resolution::Refund)
    }

    /// The fee to pay before submitting; `None` when free or left to the refund.
    pub fn fee_to_pay_now(&self) -> Option<Money> {
        self.fee
            .filter(|fee| fee.minor > 0 && self.fee_payment_choice() == FeePayment::PayNow)
    }

    /// Keeps what the rules allow, dropping a chosen resolution they no longer offer.
    pub fn allow_resolutions(&mut self, allowed: Vec<Resolution>) {
        if self.resolution.is_some_and(|r| !allowed.contains(&r)) {
            self.resolution = None;
        }
        if allowed.len() == 1 {
            self.resolution = Some(allowed[0]);
        }
        self.allowed_resolutions = Some(allowed);
    }

    /// The shop's resolutions, narrowed by the rules when they have been asked.
    pub fn offered_resolutions(&self) -> Vec<Resolution> {
        let offered = self
            .order
            .as_ref()
            .map(|o| o.resolutions.clone())
            .unwrap_or_default();
        match &self.allowed_resolutions {
            Some(allowed) => offered
                .into_iter()
                .filter(|r| allowed.contains(r))
                .collect(),
            None => offered,
        }
    }

    pub fn selected(&self) -> impl Iterator<Item = &ItemDraft> {
        self.items.iter().filter(|i| i.selected)
    }

    fn eligibility(&self) -> Vec<(String, LineEligibility)> {
        self.order
            .iter()
            .flat_map(|o| o.lines.iter().map(|l| (l.id.clone(), l.eligibility)))
            .collect()
    }

    fn answer(item: &ItemDraft) -> ItemAnswer {
        ItemAnswer {
            line_id: item.line_id.clone(),
            quantity: item.quantity,
            reason: item.reason.clone(),
            comment: item.comment.clone(),
            photo_id: item.photo.as_ref().map(|p| p.id.clone()),
        }
    }

    /// What blocks leaving `step`, as (line id or None, error). Same checks as the server.
    pub fn problem_at(&self, step: Step) -> Option<(Option<String>, DomainError)> {
        let order = self.order.as_ref()?;
        let lines = self.eligibility();
        let reasons: Vec<_> = order
            .reasons
            .iter()
            .map(|r| crate::domain::Reason {
                code: r.code.clone(),
                label: r.label.clone(),
                photo_required: r.photo_required,
                comment_required: r.comment_required,
                defective: false,
            })
            .collect();
        let on_item = |item: &ItemDraft, error| Some((Some(item.line_id.clone()), error));
        match step {
            Step::Find | Step::Done => None,
            Step::Items => {
                if self.selected().next().is_none() {
                    return Some((None, DomainError::NothingSelected));
                }
                self.selected().find_map(|i| {
                    check_quantity(&i.line_id, i.quantity, &lines)
                        .err()
                        .and_then(|e| on_item(i, e))
                })
            }
            Step::Reasons => self.selected().find_map(|i| {
                check_reason(&i.reason, &i.comment, &reasons)
                    .err()
                    .and_then(|e| on_item(i, e))
            }),
            Step::Photos => self.selected().find_map(|i| {
                check_item(&Self::answer(i), &lines, &reasons)
                    .err()
                    .and_then(|e| on_item(i, e))
            }),
            Step::Outcome | Step::Review => {
                if self
                    .resolution
                    .is_none_or(|r| !order.resolutions.contains(&r))
                {
                    return Some((None, DomainError::ResolutionNotOffered));
                }
                if self.method.is_none_or(|m| !order.methods.contains(&m)) {
                    return Some((None, DomainError::ReturnMethodNotOffered));
                }
                None
            }
        }
    }

    /// The step to show when `wanted` is asked for: never past the first unfinished one,
    /// so a reload or a hand-edited URL cannot skip a check.
    pub fn reachable(&self, wanted: Step) -> Step {
        if self.submitted.is_some() {
            return Step::Done;
        }
        if self.order.is_none() || wanted == Step::Find {
            return Step::Find;
        }
        let wanted = if wanted == Step::Done {
            Step::Review
        } else {
            wanted
        };
        for step in [Step::Items, Step::Reasons, Step::Photos, Step::Outcome] {
            if step == wanted || self.problem_at(step).is_some() {
                return step;
            }
        }
        Step::Review
    }

    pub fn answers(&self) -> Option<ReturnAnswers> {
        Some(ReturnAnswers {
            items: self.selected().map(Self::answer).collect(),
            resolution: self.resolution?,
            method: self.method?,
            fee_payment: self.fee_payment_choice(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{shop::LocalizedText, Currency, Money},
        dto::{LineView, ReasonView},
    };

    #[test]
    fn a_deep_link_fills_the_look_up_but_never_replaces_a_found_order() {
        let linked = Draft::default().with_deep_link(Some(" 1001 ".into()), Some("camille@example.fr".into()));
        assert_eq!((linked.order_number.as_str(), linked.email.as_str()), ("1001", "camille@example.fr"));
        let typed = Draft { order_number: "9".into(), ..Draft::default() };
        assert_eq!(typed.clone().with_deep_link(None, Some("".into())), typed);
        let found = Draft { order_number: "2".into(), order: Some(order()), ..Draft::default() };
        assert_eq!(found.clone().with_deep_link(Some("1001".into()), Some("x@y.z".into())), found);
        let long = Draft::default().with_deep_link(Some("9".repeat(100)), None);
        assert_eq!(long.order_number.len(), 64);
    }

    fn order() -> OrderView {
        let line = |id: &str, max| LineView {
            id: id.into(),
            sku: id.into(),
            title: id.into(),
            variant: String::new(),
            quantity: 2,
            unit_price: Money::new(1000, Currency::EUR),
            image_url: String::new(),
            eligibility: LineEligibility::Eligible { max_quantity: max },
        };
        let reason = |code: &str, photo_required| ReasonView {
            code: code.into(),
            label: LocalizedText::default(),
            photo_required,
            comment_required: false,
        };
        OrderView {
            token: "t".into(),
            display_number: "#1".into(),
            placed_on: time::macros::date!(2026 - 01 - 01),
            lines: vec![line("a", 2), line("b", 1)],
            reasons: vec![reason("too_small", false), reason("damaged", true)],
            resolutions: vec![Resolution::Refund],
            methods: vec![ReturnMethod::Mail, ReturnMethod::InStore],
        }
    }

    fn draft() -> Draft {
        Draft::default().for_order(order(), "key-12345".into())
    }

    #[test]
    fn a_single_offered_resolution_is_chosen_for_the_shopper() {
        let d = draft();
        assert_eq!(d.resolution, Some(Resolution::Refund));
        assert_eq!(d.method, None);
    }

    #[test]
    fn a_reload_never_lands_past_the_first_unfinished_step() {
        let mut d = draft();
        assert_eq!(Draft::default().reachable(Step::Review), Step::Find);
        assert_eq!(d.reachable(Step::Review), Step::Items);
        d.items[0].selected = true;
        assert_eq!(d.reachable(Step::Review), Step::Reasons);
        d.items[0].reason = "damaged".into();
        assert_eq!(
            d.reachable(Step::Review),
            Step::Photos,
            "damaged needs a photo"
        );
        d.items[0].photo = Some(PhotoRef {
            id: "p".into(),
            thumb_url: String::new(),
            width: 1,
            height: 1,
        });
        assert_eq!(d.reachable(Step::Review), Step::Outcome);
        d.method = Some(ReturnMethod::Mail);
        assert_eq!(d.reachable(Step::Review), Step::Review);
        assert_eq!(
            d.reachable(Step::Items),
            Step::Items,
            "going back is always allowed"
        );
    }

    #[test]
    fn the_items_step_names_the_line_with_a_bad_quantity() {
        let mut d = draft();
        d.items[1].selected = true;
        d.items[1].quantity = 2;
        assert_eq!(
            d.problem_at(Step::Items),
            Some((Some("b".into()), DomainError::QuantityTooHigh))
        );
    }

    #[test]
    fn a_submitted_draft_shows_the_confirmation() {
        let mut d = draft();
        d.submitted = Some(Submitted {
            reference: "R-0000-0000".into(),
            status_path: "/x".into(),
            status: crate::domain::ReturnStatus::Requested,
            payment_url: None,
        });
        assert_eq!(d.reachable(Step::Items), Step::Done);
    }

    #[test]
    fn a_fee_is_left_to_the_refund_only_when_the_shop_allows_it_and_a_refund_was_chosen() {
        let mut d = draft();
        d.fee = Some(Money::new(495, Currency::EUR));
        d.fee_payment = FeePayment::DeductFromRefund;
        d.resolution = Some(Resolution::Refund);
        // The shop does not allow it: paid now, whatever was ticked.
        assert_eq!(
            (d.fee_payment_choice(), d.fee_to_pay_now()),
            (FeePayment::PayNow, Some(Money::new(495, Currency::EUR)))
        );
        d.fee_deductible = true;
        assert_eq!(
            (d.fee_payment_choice(), d.fee_to_pay_now()),
            (FeePayment::DeductFromRefund, None)
        );
        // An exchange has no refund to deduct from.
        d.resolution = Some(Resolution::Exchange);
        assert_eq!(d.fee_payment_choice(), FeePayment::PayNow);
        // A free return asks for nothing.
        d.fee = Some(Money::zero(Currency::EUR));
        assert_eq!(d.fee_to_pay_now(), None);
    }

    #[test]
    fn answers_carry_only_the_selected_items() {
        let mut d = draft();
        d.items[1].selected = true;
        d.items[1].reason = "too_small".into();
        d.method = Some(ReturnMethod::InStore);
        let answers = d.answers().unwrap();
        assert_eq!(answers.items.len(), 1);
        assert_eq!(answers.items[0].line_id, "b");
    }
}
