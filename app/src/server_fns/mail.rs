//! The back-office's view of shopper emails: the list, and retrying one that failed.

use leptos::prelude::*;

use super::AppError;
use crate::{backoffice::dto::EmailsPage, domain::message::DeliveryStatus};

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
