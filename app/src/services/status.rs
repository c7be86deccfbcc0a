//! The shopper's status page, opened from a signed link.

use super::{
    new_id, payments, photos::thumb_url, submit::STATUS_LINK_PURPOSE, AppState, ServiceError,
};
use crate::{
    domain::{
        fee::PaymentStatus,
        shop::{LocalizedText, Shop},
        Currency, Money, ReturnEvent, ReturnReference, ReturnStatus,
    },
    domain::withdrawal::received_at_text,
    dto::{FeeState, FeeView, StatusEntryView, StatusItemView, StatusView, WithdrawalStatusView},
    store::{self, backoffice::MerchantReturn, payments::PaymentRecord, returns::ReturnRecord},
};

/// The shop and the request a signed status link opens; the same answer for a wrong key as
/// for a wrong reference.
pub(crate) async fn open_link(
    state: &AppState,
    slug: &str,
    raw_reference: &str,
    key: &str,
) -> Result<(Shop, ReturnRecord), ServiceError> {
    let reference = ReturnReference::parse(raw_reference).map_err(|_| ServiceError::NotFound)?;
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let record = store::returns::find_by_reference(&state.db, &shop.id, reference.as_str())
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !state
        .keys
        .verify_link_key(STATUS_LINK_PURPOSE, &record.id, key)
    {
        return Err(ServiceError::NotFound);
    }
    Ok((shop, record))
}

/// The checkout page for a request still awaiting its fee.
pub async fn pay_fee(
    state: &AppState,
    slug: &str,
    reference: &str,
    key: &str,
) -> Result<String, ServiceError> {
    let (shop, record) = open_link(state, slug, reference, key).await?;
    let order = store::orders::find_order(&state.db, &shop.id, &record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    payments::open_checkout(state, &shop, &order, &record).await
}

/// The shopper withdraws a request the shop has not decided yet. A fee already paid is
/// refunded; an unpaid checkout is abandoned (a payment still arriving is refunded too).
pub async fn cancel(
    state: &AppState,
    slug: &str,
    reference: &str,
    key: &str,
    now: i64,
) -> Result<ReturnStatus, ServiceError> {
    let (_, record) = open_link(state, slug, reference, key).await?;
    let status = record.status.transition(ReturnEvent::Cancel)?;
    let mut tx = state.db.begin().await?;
    if !store::returns::update_status(&mut tx, &record.id, record.status, status, now).await? {
        return Err(ServiceError::Conflict);
    }
    store::returns::insert_history(
        &mut tx,
        &new_id(),
        &record.id,
        (Some(record.status), status, Some(ReturnEvent::Cancel)),
        "shopper",
        "",
        now,
    )
    .await?;
    let refunded = payments::owe_refund(&mut tx, state, &record.id).await?;
    payments::abandon(&mut tx, state, &record.id).await?;
    tx.commit().await?;
    if refunded.is_some() {
        payments::refund_owed_now(state, now).await;
    }
    Ok(status)
}

/// The return label of an approved request, for the shopper's download.
pub async fn label(
    state: &AppState,
    slug: &str,
    reference: &str,
    key: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let (shop, record) = open_link(state, slug, reference, key).await?;
    let request = store::backoffice::find_return(&state.db, &shop.id, &record.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !offers_label(&request) {
        return Err(ServiceError::NotFound);
    }
    super::labels::label_pdf(state, &shop, &record.id).await
}

pub async fn return_status(
    state: &AppState,
    slug: &str,
    raw_reference: &str,
    key: &str,
) -> Result<StatusView, ServiceError> {
    let (mut shop, mut record) = open_link(state, slug, raw_reference, key).await?;
    // Back from a Stripe checkout: ask whether it was paid, in case the webhook is late;
    // then read the request again, as paying moves it on.
    if record.status == ReturnStatus::AwaitingPayment {
        payments::check_checkout(state, &record.id, super::now_unix()).await?;
        (shop, record) = open_link(state, slug, raw_reference, key).await?;
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
    let payment = store::payments::payment_for_return(&state.db, &record.id).await?;
    let statement = store::withdrawals::find_statement(&state.db, &shop.id, &record.id).await?;
    Ok(StatusView {
        withdrawal: statement.map(|s| WithdrawalStatusView {
            received_at: received_at_text(s.statement.received_at, &order.shipping_country),
            receipt_path: super::withdrawal::receipt_path(state, &shop.slug, &record),
        }),
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
                        .map(|r| r.label.clone())
                        .or_else(|| {
                            (item.reason_code == super::withdrawal::WITHDRAWAL_REASON)
                                .then(withdrawal_reason_label)
                        })
                        .map_or_else(
                            || LocalizedText {
                                en: item.reason_code.clone(),
                                ..Default::default()
                            },
                            |label| label,
                        ),
                    comment: item.comment,
                    thumb_url: item.photo_id.map(|id| thumb_url(state, &id)),
                }
            })
            .collect(),
        history: history
            .into_iter()
            // Fee notes keep the status: the fee line below tells the shopper about them.
            .filter(|h| h.from_status != Some(h.to_status))
            .map(|h| StatusEntryView {
                status: h.to_status,
                at_unix: h.at,
            })
            .collect(),
        explanation: (record.status == ReturnStatus::Rejected
            && !merchant_side.decision_note.is_empty())
        .then(|| merchant_side.decision_note.clone()),
        keep_items: merchant_side.with_label == Some(false),
        settled_as: credit_note.as_ref().map(|n| n.kind),
        settled_amount: credit_note.map(|n| Money::new(n.amount_minor, order.currency)),
        fee: fee_view(&merchant_side, payment.as_ref(), order.currency),
        can_cancel: record.status.transition(ReturnEvent::Cancel).is_ok(),
        label_path: offers_label(&merchant_side)
            .then(|| format!("/{}/label/{}?k={key}", shop.slug, record.reference)),
        drop_off_qr_svg: offers_label(&merchant_side)
            .then(|| crate::label::qr_svg(&record.reference))
            .flatten(),
    })
}

/// A withdrawal's items carry no reason: they say what they are.
fn withdrawal_reason_label() -> LocalizedText {
    use crate::i18n::Msg;
    LocalizedText {
        en: Msg::WithdrawKind.text(crate::domain::Locale::En).to_owned(),
        fr: Msg::WithdrawKind.text(crate::domain::Locale::Fr).to_owned(),
        nl: Msg::WithdrawKind.text(crate::domain::Locale::Nl).to_owned(),
        de: Msg::WithdrawKind.text(crate::domain::Locale::De).to_owned(),
    }
}

/// Approved with a label and not yet arrived: the shopper may still need the label.
fn offers_label(request: &MerchantReturn) -> bool {
    request.with_label == Some(true)
        && matches!(
            request.record.status,
            ReturnStatus::Approved | ReturnStatus::InTransit
        )
}

/// Where the request's fee stands, as the shopper reads it; `None` for a free return.
fn fee_view(
    request: &MerchantReturn,
    payment: Option<&PaymentRecord>,
    currency: Currency,
) -> Option<FeeView> {
    let amount = Money::new(request.fee_minor, currency);
    let state = match payment.map(|p| p.status) {
        Some(PaymentStatus::Pending) => FeeState::ToPay,
        Some(PaymentStatus::Paid) => FeeState::Paid,
        Some(PaymentStatus::RefundDue | PaymentStatus::Refunded) => FeeState::Refunded,
        // Expired unpaid: nothing is owed any more.
        Some(PaymentStatus::Expired) => return None,
        None if request.fee_deducted && request.fee_minor > 0 && !request.fee_refunded => {
            FeeState::Deducted
        }
        None => return None,
    };
    Some(FeeView { amount, state })
}
