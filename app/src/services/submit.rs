//! Submitting a return request: re-checks everything the wizard checked, under the
//! order's lock, exactly once per idempotency key.

use time::OffsetDateTime;

use super::{
    lookup::open_grant,
    mail::{self, Notice},
    new_id, payments, AppState, ServiceError,
};
use crate::{
    domain::{
        eligibility::{line_eligibility, LineFacts},
        fee::{fee_due, fee_plan, FeePlan},
        message::MessageKind,
        rules::Outcome,
        rules::Verdict,
        shop::Shop,
        submission::{check_answers, Refusal, ReturnAnswers},
        DomainError, Locale, Order, ReturnEvent, ReturnReference, ReturnStatus, ReturnWindow,
    },
    dto::{RuleItemInput, Submitted},
    store::{
        self,
        returns::{NewReturn, ReturnItemRecord, ReturnRecord},
        rules::RuleRecord,
    },
};

pub const STATUS_LINK_PURPOSE: &str = "status";

/// A client-made key, e.g. a UUID: 8 to 64 letters, digits and dashes.
pub(crate) fn is_valid_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

pub fn status_path(state: &AppState, shop_slug: &str, record: &ReturnRecord) -> String {
    format!(
        "/{shop_slug}/status/{}?k={}",
        record.reference,
        state.keys.link_key(STATUS_LINK_PURPOSE, &record.id)
    )
}

pub async fn submit_return(
    state: &AppState,
    token: &str,
    idempotency_key: &str,
    answers: ReturnAnswers,
    locale: Locale,
    now: OffsetDateTime,
) -> Result<Submitted, ServiceError> {
    let now_unix = now.unix_timestamp();
    let (shop, order) = open_grant(state, token, now_unix).await?;
    if !is_valid_idempotency_key(idempotency_key) {
        return Err(ServiceError::NotFound);
    }
    // A photo must have been uploaded for this very order.
    for (index, item) in answers.items.iter().enumerate() {
        if let Some(photo_id) = &item.photo_id {
            if store::photos::find_photo(&state.db, &order.id, photo_id)
                .await?
                .is_none()
            {
                return Err(ServiceError::Refused(Refusal {
                    item: Some(index),
                    error: DomainError::PhotoRequired,
                }));
            }
        }
    }
    let lines = store::orders::order_lines(&state.db, &order).await?;
    // Judged before the order's lock (it reads the customer's history); applied after the
    // idempotency check, so a replayed submission gets its request even if rules changed.
    let rule_items: Vec<RuleItemInput> = answers
        .items
        .iter()
        .map(|item| RuleItemInput {
            line_id: item.line_id.clone(),
            reason: Some(item.reason.clone()),
            quantity: Some(item.quantity),
        })
        .collect();
    let (outcome, rules) = super::rules::outcome_for(
        state,
        &shop,
        &order,
        &lines,
        &rule_items,
        Some(answers.resolution),
        now,
    )
    .await?;

    let mut tx = state.db.begin().await?;
    if !store::orders::lock_order_for_returns(&mut tx, &order.id).await? {
        return Err(ServiceError::SessionExpired);
    }
    if let Some(existing) =
        store::returns::find_by_idempotency_key(&mut tx, &order.id, idempotency_key).await?
    {
        tx.commit().await?;
        return submitted(state, &shop, &order, existing).await;
    }
    let requested = store::orders::requested_quantities(&mut *tx, &order.id).await?;
    let window = ReturnWindow {
        days: shop.return_window_days,
    };
    let eligibility: Vec<_> = lines
        .iter()
        .map(|line| {
            let facts = LineFacts {
                quantity: line.quantity,
                already_requested: requested.get(&line.id).copied().unwrap_or(0),
                returnable: line.returnable,
            };
            (
                line.id.clone(),
                line_eligibility(
                    facts,
                    window,
                    order.placed_on,
                    order.delivered_on,
                    now.date(),
                ),
            )
        })
        .collect();
    check_answers(&answers, &eligibility, shop.offer()).map_err(ServiceError::Refused)?;
    if let Some((item, message)) = outcome
        .items
        .iter()
        .enumerate()
        .find_map(|(i, item)| Some((i, item.refusal_message(locale)?)))
    {
        return Err(ServiceError::RefusedByRule { item, message });
    }
    if !outcome.resolutions.contains(&answers.resolution) {
        return Err(ServiceError::Refused(Refusal {
            item: None,
            error: DomainError::ResolutionNotOffered,
        }));
    }
    let units = answers.items.iter().map(|item| item.quantity).sum();
    let due = fee_due(&shop.fee, &outcome.fee, units, order.currency);
    let plan = fee_plan(due, answers.fee_payment, answers.resolution, &shop.fee)
        .map_err(|error| ServiceError::Refused(Refusal { item: None, error }))?;
    if matches!(plan, FeePlan::PayNow(_))
        && matches!(*state.payments, payments::PaymentGateway::Unconfigured)
    {
        return Err(ServiceError::PaymentUnavailable);
    }

    let record = ReturnRecord {
        id: new_id(),
        shop_id: shop.id.clone(),
        order_id: order.id.clone(),
        reference: ReturnReference::from_random(rand::random()).to_string(),
        status: match plan {
            FeePlan::PayNow(_) => ReturnStatus::AwaitingPayment,
            FeePlan::Free | FeePlan::Deduct(_) => ReturnStatus::Requested,
        },
        resolution: answers.resolution,
        method: answers.method,
        locale,
        created_at: now_unix,
    };
    let items: Vec<ReturnItemRecord> = answers
        .items
        .iter()
        .map(|item| ReturnItemRecord {
            id: new_id(),
            order_line_id: item.line_id.clone(),
            quantity: item.quantity,
            reason_code: item.reason.clone(),
            comment: item.comment.trim().to_owned(),
            photo_id: item.photo_id.clone(),
        })
        .collect();
    store::returns::insert_return(
        &mut tx,
        NewReturn {
            record: &record,
            kind: crate::domain::rules::RequestKind::Commercial,
            idempotency_key,
            items: &items,
        },
    )
    .await?;
    store::returns::insert_history(
        &mut tx,
        &new_id(),
        &record.id,
        (None, record.status, None),
        "shopper",
        "",
        now_unix,
    )
    .await?;
    match plan {
        FeePlan::Free => {}
        FeePlan::Deduct(fee) => {
            store::payments::set_request_fee(&mut tx, &record.id, fee, true).await?
        }
        FeePlan::PayNow(fee) => {
            store::payments::set_request_fee(&mut tx, &record.id, fee, false).await?;
            let payment = payments::new_payment(state, &record, fee, now_unix);
            store::payments::insert_payment(&mut tx, &payment).await?;
        }
    }
    let titles: Vec<(String, String)> = lines
        .iter()
        .map(|l| (l.id.clone(), l.title.clone()))
        .collect();
    let explanations = super::rules::explanations(&outcome, &rules, &shop, &titles);
    let status = match plan {
        // The merchant sees the request once its fee is paid (`payments::record_paid`).
        FeePlan::PayNow(_) => record.status,
        FeePlan::Free | FeePlan::Deduct(_) => {
            on_requested(
                &mut tx,
                state,
                (&shop, &order, &record),
                Some(&outcome),
                &explanations,
                now_unix,
            )
            .await?
        }
    };
    store::rules::record_rule_outcome(
        &mut tx,
        &record.id,
        &RuleRecord {
            outcome,
            explanations,
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    tracing::info!(return.id = %record.id, shop.id = %shop.id, items = items.len(), "return request submitted");
    let record = ReturnRecord { status, ..record };
    submitted(state, &shop, &order, record).await
}

/// The answer to a submission (or its replay): where to follow it and, while its fee is
/// unpaid, where to pay it. A checkout that cannot be opened now is offered again on the
/// status page; the request itself is saved either way.
async fn submitted(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    record: ReturnRecord,
) -> Result<Submitted, ServiceError> {
    let payment_url = match record.status {
        ReturnStatus::AwaitingPayment => payments::open_checkout(state, shop, order, &record)
            .await
            .ok(),
        _ => None,
    };
    Ok(Submitted {
        status_path: status_path(state, &shop.slug, &record),
        reference: record.reference,
        status: record.status,
        payment_url,
    })
}

/// A request has just reached the merchant, at submission or once its fee is paid: the
/// return rules (or the shop's setting) may approve it at once, and the shopper gets one
/// email either way. Returns the request's status after that.
pub(crate) async fn on_requested(
    tx: &mut store::Tx<'_>,
    state: &AppState,
    (shop, order, record): (&Shop, &Order, &ReturnRecord),
    outcome: Option<&Outcome>,
    explanations: &[String],
    now: i64,
) -> Result<ReturnStatus, ServiceError> {
    // A label needs the shop's return address; without one the merchant decides by hand.
    let approved_at_once = match outcome.map(|o| o.verdict) {
        Some(Verdict::ApprovedAutomatically { with_label })
            if !with_label || super::labels::check_can_label(shop).is_ok() =>
        {
            Some(with_label)
        }
        _ => None,
    };
    let mut status = record.status;
    if let Some(with_label) = approved_at_once {
        // "rule" when a rule approved; "automatic" when the shop's setting did.
        let by_rule = outcome.is_some_and(|o| o.items.iter().any(|item| !item.by_shop_default));
        status = status.transition(ReturnEvent::Approve)?;
        store::returns::update_status(tx, &record.id, record.status, status, now).await?;
        let (actor, note) = if by_rule {
            ("rule", explanations.join("\n"))
        } else {
            ("automatic", String::new())
        };
        store::returns::insert_history(
            tx,
            &new_id(),
            &record.id,
            (Some(record.status), status, Some(ReturnEvent::Approve)),
            actor,
            &note,
            now,
        )
        .await?;
        store::backoffice::record_decision(tx, &record.id, Some(with_label), "", false).await?;
    }
    // An approval at once is the news: one email, not "received" and "approved" together.
    let message = approved_at_once.map_or(MessageKind::Received, MessageKind::approved);
    mail::queue(
        tx,
        state,
        (shop, order, record),
        message,
        Notice::default(),
        now,
    )
    .await?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::is_valid_idempotency_key;

    #[test]
    fn idempotency_keys_are_bounded_and_plain() {
        assert!(is_valid_idempotency_key(
            "0b7c6a52-1f0e-4c55-9a43-3f3c1c1f2e11"
        ));
        assert!(!is_valid_idempotency_key("short"));
        assert!(!is_valid_idempotency_key(&"a".repeat(65)));
        assert!(!is_valid_idempotency_key("with space-123"));
    }
}
