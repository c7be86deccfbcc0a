//! The shopper's answers, checked against the order and the shop's offer. The wizard and
//! the server call the same functions: the server's verdict is the one that counts.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::{DomainError, LineEligibility, Reason, Resolution, ReturnMethod};

pub const COMMENT_MAX_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnswer {
    pub line_id: String,
    pub quantity: u32,
    pub reason: String,
    pub comment: String,
    pub photo_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnAnswers {
    pub items: Vec<ItemAnswer>,
    pub resolution: Resolution,
    pub method: ReturnMethod,
    /// How a return fee, if one is owed, is settled.
    #[serde(default)]
    pub fee_payment: super::fee::FeePayment,
}

/// What the shop offers, borrowed from its settings.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    pub reasons: &'a [Reason],
    pub resolutions: &'a [Resolution],
    pub methods: &'a [ReturnMethod],
}

/// A refusal, with the position of the item it is about (None: the request as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub item: Option<usize>,
    pub error: DomainError,
}

/// The quantity part of an item: does the line exist, can it be returned, are there enough units?
pub fn check_quantity(
    line_id: &str,
    quantity: u32,
    lines: &[(String, LineEligibility)],
) -> Result<(), DomainError> {
    let eligibility = lines
        .iter()
        .find(|(id, _)| id == line_id)
        .map(|(_, e)| *e)
        .ok_or(DomainError::UnknownLine)?;
    match eligibility {
        LineEligibility::Ineligible(_) => Err(DomainError::LineNotReturnable),
        _ if quantity == 0 => Err(DomainError::QuantityZero),
        LineEligibility::Eligible { max_quantity } if quantity > max_quantity => {
            Err(DomainError::QuantityTooHigh)
        }
        LineEligibility::Eligible { .. } => Ok(()),
    }
}

/// The reason part of an item: a reason the shop offers, with the comment it needs.
pub fn check_reason<'a>(
    reason_code: &str,
    comment: &str,
    reasons: &'a [Reason],
) -> Result<&'a Reason, DomainError> {
    let reason = reasons
        .iter()
        .find(|r| r.code == reason_code)
        .ok_or(DomainError::UnknownReason)?;
    let comment_chars = comment.trim().chars().count();
    if comment_chars > COMMENT_MAX_CHARS {
        return Err(DomainError::CommentTooLong);
    }
    if reason.comment_required && comment_chars == 0 {
        return Err(DomainError::CommentRequired);
    }
    Ok(reason)
}

pub fn check_item(
    item: &ItemAnswer,
    lines: &[(String, LineEligibility)],
    reasons: &[Reason],
) -> Result<(), DomainError> {
    check_quantity(&item.line_id, item.quantity, lines)?;
    let reason = check_reason(&item.reason, &item.comment, reasons)?;
    if reason.photo_required && item.photo_id.is_none() {
        return Err(DomainError::PhotoRequired);
    }
    Ok(())
}

pub fn check_answers(
    answers: &ReturnAnswers,
    lines: &[(String, LineEligibility)],
    offer: Offer<'_>,
) -> Result<(), Refusal> {
    let whole = |error| Refusal { item: None, error };
    if answers.items.is_empty() {
        return Err(whole(DomainError::NothingSelected));
    }
    let mut seen = HashSet::new();
    for (index, item) in answers.items.iter().enumerate() {
        if !seen.insert(item.line_id.as_str()) {
            return Err(Refusal {
                item: Some(index),
                error: DomainError::DuplicateLine,
            });
        }
        check_item(item, lines, offer.reasons).map_err(|error| Refusal {
            item: Some(index),
            error,
        })?;
    }
    if !offer.resolutions.contains(&answers.resolution) {
        return Err(whole(DomainError::ResolutionNotOffered));
    }
    if !offer.methods.contains(&answers.method) {
        return Err(whole(DomainError::ReturnMethodNotOffered));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{eligibility::Ineligible, shop::LocalizedText};

    fn reason(code: &str, photo_required: bool, comment_required: bool) -> Reason {
        Reason {
            code: code.into(),
            label: LocalizedText {
                en: code.into(),
                ..Default::default()
            },
            photo_required,
            comment_required,
            defective: false,
        }
    }

    fn reasons() -> Vec<Reason> {
        vec![
            reason("too_small", false, false),
            reason("damaged", true, false),
            reason("other", false, true),
        ]
    }

    fn lines() -> Vec<(String, LineEligibility)> {
        vec![
            (
                "shirt".into(),
                LineEligibility::Eligible { max_quantity: 2 },
            ),
            (
                "socks".into(),
                LineEligibility::Ineligible(Ineligible::FinalSale),
            ),
        ]
    }

    fn item(line: &str, quantity: u32, reason: &str) -> ItemAnswer {
        ItemAnswer {
            line_id: line.into(),
            quantity,
            reason: reason.into(),
            comment: String::new(),
            photo_id: None,
        }
    }

    fn answers(items: Vec<ItemAnswer>) -> ReturnAnswers {
        ReturnAnswers {
            items,
            resolution: Resolution::Refund,
            method: ReturnMethod::Mail,
            fee_payment: Default::default(),
        }
    }

    fn check(a: &ReturnAnswers) -> Result<(), Refusal> {
        let reasons = reasons();
        check_answers(
            a,
            &lines(),
            Offer {
                reasons: &reasons,
                resolutions: &[Resolution::Refund],
                methods: &[ReturnMethod::Mail],
            },
        )
    }

    fn refused(item: Option<usize>, error: DomainError) -> Result<(), Refusal> {
        Err(Refusal { item, error })
    }

    #[test]
    fn a_complete_answer_within_the_limits_is_accepted() {
        assert_eq!(check(&answers(vec![item("shirt", 2, "too_small")])), Ok(()));
    }

    #[test]
    fn quantities_are_bounded_by_what_is_left_and_at_least_one() {
        assert_eq!(
            check(&answers(vec![item("shirt", 3, "too_small")])),
            refused(Some(0), DomainError::QuantityTooHigh)
        );
        assert_eq!(
            check(&answers(vec![item("shirt", 0, "too_small")])),
            refused(Some(0), DomainError::QuantityZero)
        );
    }

    #[test]
    fn ineligible_unknown_and_repeated_lines_are_refused() {
        assert_eq!(
            check(&answers(vec![item("socks", 1, "too_small")])),
            refused(Some(0), DomainError::LineNotReturnable)
        );
        assert_eq!(
            check(&answers(vec![item("hat", 1, "too_small")])),
            refused(Some(0), DomainError::UnknownLine)
        );
        let twice = answers(vec![
            item("shirt", 1, "too_small"),
            item("shirt", 1, "too_small"),
        ]);
        assert_eq!(check(&twice), refused(Some(1), DomainError::DuplicateLine));
    }

    #[test]
    fn an_empty_request_is_refused() {
        assert_eq!(
            check(&answers(vec![])),
            refused(None, DomainError::NothingSelected)
        );
    }

    #[test]
    fn reasons_must_be_offered_and_bring_what_they_require() {
        assert_eq!(
            check(&answers(vec![item("shirt", 1, "bored")])),
            refused(Some(0), DomainError::UnknownReason)
        );
        assert_eq!(
            check(&answers(vec![item("shirt", 1, "other")])),
            refused(Some(0), DomainError::CommentRequired)
        );
        assert_eq!(
            check(&answers(vec![item("shirt", 1, "damaged")])),
            refused(Some(0), DomainError::PhotoRequired)
        );
        let mut with_photo = item("shirt", 1, "damaged");
        with_photo.photo_id = Some("photo-1".into());
        assert_eq!(check(&answers(vec![with_photo])), Ok(()));
    }

    #[test]
    fn a_blank_comment_does_not_count_and_a_long_one_is_refused() {
        let mut blank = item("shirt", 1, "other");
        blank.comment = "   ".into();
        assert_eq!(
            check(&answers(vec![blank])),
            refused(Some(0), DomainError::CommentRequired)
        );
        let mut long = item("shirt", 1, "too_small");
        long.comment = "é".repeat(COMMENT_MAX_CHARS + 1);
        assert_eq!(
            check(&answers(vec![long])),
            refused(Some(0), DomainError::CommentTooLong)
        );
        let mut at_limit = item("shirt", 1, "other");
        at_limit.comment = "é".repeat(COMMENT_MAX_CHARS);
        assert_eq!(check(&answers(vec![at_limit])), Ok(()));
    }

    #[test]
    fn resolution_and_method_must_be_offered() {
        let mut a = answers(vec![item("shirt", 1, "too_small")]);
        a.resolution = Resolution::Exchange;
        assert_eq!(check(&a), refused(None, DomainError::ResolutionNotOffered));
        a.resolution = Resolution::Refund;
        a.method = ReturnMethod::InStore;
        assert_eq!(
            check(&a),
            refused(None, DomainError::ReturnMethodNotOffered)
        );
    }
}
