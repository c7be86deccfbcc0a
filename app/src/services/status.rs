//! The shopper's status page, opened from a signed link.

use super::{photos::thumb_url, submit::STATUS_LINK_PURPOSE, AppState, ServiceError};
use crate::{
    domain::{shop::LocalizedText, Money, ReturnReference, ReturnStatus},
    dto::{StatusEntryView, StatusItemView, StatusView},
    store,
};

pub async fn return_status(
    state: &AppState,
    slug: &str,
    raw_reference: &str,
    key: &str,
) -> Result<StatusView, ServiceError> {
    let reference = ReturnReference::parse(raw_reference).map_err(|_| ServiceError::NotFound)?;
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let record = store::returns::find_by_reference(&state.db, &shop.id, reference.as_str())
        .await?
        .ok_or(ServiceError::NotFound)?;
    // The same answer for a wrong key as for a wrong reference.
    if !state
        .keys
        .verify_link_key(STATUS_LINK_PURPOSE, &record.id, key)
    {
        return Err(ServiceError::NotFound);
    }
    let order = store::orders::find_order(&state.db, &shop.id, &record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let lines = store::orders::order_lines(&state.db, &order).await?;
    let items = store::returns::return_items(&state.db, &record.id).await?;
    let history = store::returns::history(&state.db, &record.id).await?;
    let merchant_side = store::backoffice::find_return(&state.db, &shop.id, &record.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let credit_note =
        store::backoffice::credit_note_for_return(&state.db, &shop.id, &record.id).await?;
    Ok(StatusView {
        reference: record.reference.clone(),
        order_number: order.display_number.clone(),
        status: record.status,
        resolution: record.resolution,
        method: record.method,
        created_at_unix: record.created_at,
        items: items
            .into_iter()
            .map(|item| {
                let line = lines.iter().find(|l| l.id == item.order_line_id);
                StatusItemView {
                    title: line.map(|l| l.title.clone()).unwrap_or_default(),
                    variant: line.map(|l| l.variant.clone()).unwrap_or_default(),
                    quantity: item.quantity,
                    reason: shop
                        .reasons
                        .iter()
                        .find(|r| r.code == item.reason_code)
                        .map_or_else(
                            || LocalizedText {
                                en: item.reason_code.clone(),
                                ..Default::default()
                            },
                            |r| r.label.clone(),
                        ),
                    comment: item.comment,
                    thumb_url: item.photo_id.map(|id| thumb_url(state, &id)),
                }
            })
            .collect(),
        history: history
            .into_iter()
            .map(|h| StatusEntryView {
                status: h.to_status,
                at_unix: h.at,
            })
            .collect(),
        explanation: (record.status == ReturnStatus::Rejected
            && !merchant_side.decision_note.is_empty())
        .then_some(merchant_side.decision_note),
        keep_items: merchant_side.with_label == Some(false),
        settled_as: credit_note.as_ref().map(|n| n.kind),
        settled_amount: credit_note.map(|n| Money::new(n.amount_minor, order.currency)),
    })
}
