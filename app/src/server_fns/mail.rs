//! The back-office's view of shopper emails: the list, retrying one that failed, and the
//! merchant's own texts (save, preview, test send).

use leptos::prelude::*;

use super::AppError;
use crate::{
    backoffice::dto::{EmailsPage, MessageTextView, MessageTextsView},
    domain::{
        message::{DeliveryStatus, MessageKind, MessageText},
        Locale,
    },
};

#[server(endpoint = "office/emails")]
pub async fn office_emails() -> Result<EmailsPage, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::mail::shop_emails(&state, &merchant).await?)
}

#[server(endpoint = "office/retry_email")]
pub async fn office_retry_email(id: String) -> Result<DeliveryStatus, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(crate::services::mail::retry_email(&state, &merchant, &id, now).await?)
}

#[server(endpoint = "office/message_texts")]
pub async fn office_message_texts() -> Result<MessageTextsView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::message_texts::texts(&state, &merchant).await?)
}

/// `text` is `None` to go back to the default text.
#[server(endpoint = "office/save_message_text", input = server_fn::codec::Json)]
pub async fn office_save_message_text(
    kind: MessageKind,
    locale: Locale,
    text: Option<MessageText>,
) -> Result<MessageTextView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(
        crate::services::message_texts::save_text(&state, &merchant, (kind, locale), text, now)
            .await?,
    )
}

#[server(endpoint = "office/preview_message", input = server_fn::codec::Json)]
pub async fn office_preview_message(
    kind: MessageKind,
    locale: Locale,
    text: MessageText,
) -> Result<MessageText, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::message_texts::preview(&state, &merchant, (kind, locale), &text).await?)
}

/// Sends the text, filled with sample values, to the signed-in merchant.
#[server(endpoint = "office/send_test_message", input = server_fn::codec::Json)]
pub async fn office_send_test_message(
    kind: MessageKind,
    locale: Locale,
    text: MessageText,
) -> Result<String, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(
        crate::services::message_texts::send_test(&state, &merchant, (kind, locale), &text, now)
            .await?,
    )
}
