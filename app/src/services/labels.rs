//! Return labels: made by the built-in carrier from the order's and the shop's addresses,
//! for the "approved with label" email, the status page and the back-office.
//!
//! The built-in carrier is deterministic, so a label is rendered when asked for rather than
//! stored; a network carrier would store the PDF it returns when the request is approved.

use super::{AppState, ServiceError};
use crate::{
    domain::{
        shop::{PostalAddress, Shop},
        DomainError, Order,
    },
    label::{Address, BuiltInCarrier, Carrier, LabelFormat, LabelRequest},
    store::{self, returns::ReturnRecord},
};

fn label_address(address: &PostalAddress, fallback_name: &str, fallback_country: &str) -> Address {
    Address {
        name: if address.name.trim().is_empty() {
            fallback_name.to_owned()
        } else {
            address.name.clone()
        },
        lines: address.lines.clone(),
        postcode: address.postcode.clone(),
        city: address.city.clone(),
        country: if address.country.is_empty() {
            fallback_country.to_owned()
        } else {
            address.country.clone()
        },
    }
}

/// Whether a label can be made for the shop's returns: it needs somewhere to send them.
pub fn check_can_label(shop: &Shop) -> Result<(), DomainError> {
    if shop.return_address.is_complete() {
        Ok(())
    } else {
        Err(DomainError::NoReturnAddress)
    }
}

pub fn render(
    shop: &Shop,
    order: &Order,
    record: &ReturnRecord,
    format: LabelFormat,
) -> Result<Vec<u8>, ServiceError> {
    check_can_label(shop)?;
    let created_on = time::OffsetDateTime::from_unix_timestamp(record.created_at)
        .map_err(|_| ServiceError::Internal("request time"))?
        .date();
    let request = LabelRequest {
        reference: record.reference.clone(),
        shop_name: shop.name.clone(),
        order_number: order.display_number.clone(),
        from: label_address(
            &order.shipping_address,
            &order.customer_name,
            &order.shipping_country,
        ),
        to: label_address(&shop.return_address, &shop.name, ""),
        created_on,
    };
    let shipment = BuiltInCarrier.create(&request, format).map_err(|error| {
        tracing::error!(return.id = %record.id, %error, "return label");
        ServiceError::Internal("return label")
    })?;
    Ok(shipment.label_pdf)
}

/// The label of a return as a file: its name and the PDF, for the email attachment.
pub async fn label_pdf(
    state: &AppState,
    shop: &Shop,
    return_id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let merchant_side = store::backoffice::find_return(&state.db, &shop.id, return_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let record = merchant_side.record;
    let order = store::orders::find_order(&state.db, &shop.id, &record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let pdf = render(shop, &order, &record, LabelFormat::A4)?;
    Ok((file_name(&record.reference), pdf))
}

pub fn file_name(reference: &str) -> String {
    format!("return-label-{reference}.pdf")
}

/// The credit note of a settled return as a PDF file in the shopper's language, for the
/// "settled" email. Rendered from the stored note, which never changes once issued.
pub async fn credit_note_pdf(
    state: &AppState,
    shop: &Shop,
    return_id: &str,
    locale: crate::domain::Locale,
) -> Result<(String, Vec<u8>), ServiceError> {
    use crate::label::credit_note::{render_credit_note, CreditNoteDocument, CreditNoteDocumentLine};
    let record = store::backoffice::find_return(&state.db, &shop.id, return_id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .record;
    let order = store::orders::find_order(&state.db, &shop.id, &record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let note = store::backoffice::credit_note_for_return(&state.db, &shop.id, return_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let currency = order.currency;
    let money = |minor| crate::domain::Money::new(minor, currency);
    let lines: Vec<crate::backoffice::dto::CreditNoteLineView> =
        serde_json::from_str(&note.lines_json).map_err(|_| ServiceError::Internal("credit note lines"))?;
    let number = crate::domain::settlement::credit_note_number(note.sequence);
    let document = CreditNoteDocument {
        number: number.clone(),
        shop_name: shop.name.clone(),
        shop_address: shop
            .return_address
            .is_complete()
            .then(|| label_address(&shop.return_address, &shop.name, "")),
        customer_name: order.customer_name.clone(),
        email: order.email.as_str().to_owned(),
        order_number: order.display_number.clone(),
        reference: record.reference.clone(),
        issued_on: time::OffsetDateTime::from_unix_timestamp(note.issued_at)
            .map_err(|_| ServiceError::Internal("credit note time"))?
            .date(),
        kind: note.kind,
        lines: lines
            .into_iter()
            .map(|line| CreditNoteDocumentLine {
                sku: line.sku,
                title: line.title,
                variant: line.variant,
                units: line.units,
                amount: line.amount,
            })
            .collect(),
        goods: money(note.goods_minor),
        fee_kept: money(note.fee_kept_minor),
        amount: money(note.amount_minor),
        memo: note.memo,
    };
    let pdf = tokio::task::spawn_blocking(move || render_credit_note(&document, locale))
        .await
        .map_err(|_| ServiceError::Internal("credit note worker"))?
        .map_err(|error| {
            tracing::error!(return.id = %return_id, %error, "credit note");
            ServiceError::Internal("credit note")
        })?;
    Ok((format!("credit-note-{number}.pdf"), pdf))
}
