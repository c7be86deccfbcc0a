//! Submitting a return request: re-checks everything the wizard checked, under the
//! order's lock, exactly once per idempotency key.

use time::OffsetDateTime;

use super::{
    lookup::open_grant,
    mail::{self, Notice},
    new_id, AppState, ServiceError,
};
use crate::{
    domain::{
        eligibility::{line_eligibility, LineFacts},
        message::MessageKind,
        rules::Verdict,
        submission::{check_answers, Refusal, ReturnAnswers},
        DomainError, Locale, ReturnEvent, ReturnReference, ReturnStatus, ReturnWindow,
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
fn is_valid_idempotency_key(key: &str) -> bool {
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
        return Ok(Submitted {
            status_path: status_path(state, &shop.slug, &existing),
            reference: existing.reference,
            status: existing.status,
        });
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

    let record = ReturnRecord {
        id: new_id(),
        shop_id: shop.id.clone(),
        order_id: order.id.clone(),
        reference: ReturnReference::from_random(rand::random()).to_string(),
        status: ReturnStatus::Requested,
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
            idempotency_key,
            items: &items,
        },
    )
    .await?;
    store::returns::insert_history(
        &mut tx,
        &new_id(),
        &record.id,
        (None, ReturnStatus::Requested, None),
        "shopper",
        "",
        now_unix,
    )
    .await?;
    let titles: Vec<(String, String)> = lines
        .iter()
        .map(|l| (l.id.clone(), l.title.clone()))
        .collect();
    let explanations = super::rules::explanations(&outcome, &rules, &shop, &titles);
    let mut status = record.status;
    // A label needs the shop's return address; without one the merchant decides by hand.
    let approved_at_once = match outcome.verdict {
        Verdict::ApprovedAutomatically { with_label }
            if !with_label || super::labels::check_can_label(&shop).is_ok() =>
        {
            Some(with_label)
        }
        _ => None,
    };
    if let Some(with_label) = approved_at_once {
        // "rule" when a rule approved; "automatic" when the shop's setting did.
        let by_rule = outcome.items.iter().any(|item| !item.by_shop_default);
        status = status.transition(ReturnEvent::Approve)?;
        store::returns::update_status(&mut tx, &record.id, record.status, status, now_unix).await?;
        let (actor, note) = if by_rule {
            ("rule", explanations.join("\n"))
        } else {
            ("automatic", String::new())
        };
        store::returns::insert_history(
            &mut tx,
            &new_id(),
            &record.id,
            (Some(record.status), status, Some(ReturnEvent::Approve)),
            actor,
            &note,
            now_unix,
        )
        .await?;
        store::backoffice::record_decision(&mut tx, &record.id, Some(with_label), "", false)
            .await?;
    }
    store::rules::record_rule_outcome(
        &mut tx,
        &record.id,
        &RuleRecord {
            outcome,
            explanations,
        },
    )
    .await?;
    // An approval at once is the news: one email, not "received" and "approved" together.
    let message = approved_at_once.map_or(MessageKind::Received, MessageKind::approved);
    mail::queue(
        &mut tx,
        state,
        (&shop, &order, &record),
        message,
        Notice::default(),
        now_unix,
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    tracing::info!(return.id = %record.id, shop.id = %shop.id, items = items.len(), "return request submitted");
    Ok(Submitted {
        status_path: status_path(state, &shop.slug, &record),
        reference: record.reference,
        status,
    })
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
