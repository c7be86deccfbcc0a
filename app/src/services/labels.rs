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
