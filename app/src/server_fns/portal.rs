//! The shopper portal's server functions. Each is one service call.

use leptos::prelude::*;
use server_fn::codec::{Json, MultipartData, MultipartFormData};

use super::AppError;
use crate::{
    domain::{submission::ReturnAnswers, Locale, Resolution},
    dto::{
        OrderView, PortalInfo, RuleItemInput, RulesPreview, StatusView, Submitted,
        TestCheckoutView, UploadOutcome,
    },
};

#[cfg(feature = "ssr")]
fn state() -> Result<crate::services::AppState, AppError> {
    use_context::<crate::services::AppState>().ok_or(AppError::Internal)
}

#[server(endpoint = "load_portal")]
pub async fn load_portal(shop: String, lang: Option<String>) -> Result<PortalInfo, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let accept_language = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Ok(
        crate::services::lookup::load_portal(&state()?, &shop, lang.as_deref(), accept_language)
            .await?,
    )
}

/// The caller's IP address, which the order look-up's attempt limit counts by.
#[cfg(feature = "ssr")]
async fn client_ip() -> Result<String, AppError> {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let ConnectInfo(client): ConnectInfo<SocketAddr> = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    Ok(client.ip().to_string())
}

#[server(endpoint = "find_order")]
pub async fn find_order(
    shop: String,
    order_number: String,
    email: String,
) -> Result<OrderView, AppError> {
    let now = time::OffsetDateTime::now_utc();
    Ok(crate::services::lookup::find_order(
        &state()?,
        &shop,
        &order_number,
        &email,
        &client_ip().await?,
        now,
    )
    .await?)
}

/// Multipart fields, in this order: `token`, then `file`. Called with an XMLHttpRequest
/// by the wizard so it can show upload progress.
#[server(endpoint = "upload_photo", input = MultipartFormData)]
pub async fn upload_photo(data: MultipartData) -> Result<UploadOutcome, AppError> {
    use crate::services::ServiceError;
    let state = state()?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut token = String::new();
    let mut bytes = Vec::new();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        match field.name() {
            Some("token") => {
                token = field
                    .text()
                    .await
                    .map_err(|e| AppError::Transport(e.to_string()))?
            }
            Some("file") => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    // Stop reading as soon as the file is over the limit: bounded memory.
                    if bytes.len() + chunk.len() > state.photo_limits.max_bytes {
                        return Ok(UploadOutcome::Refused {
                            message_key: "photo.too_large".into(),
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match crate::services::photos::store_photo(&state, &token, bytes, now).await {
        Ok(photo) => Ok(UploadOutcome::Stored(photo)),
        Err(ServiceError::Photo(message_key)) => Ok(UploadOutcome::Refused {
            message_key: message_key.into(),
        }),
        Err(other) => Err(other.into()),
    }
}

#[server(endpoint = "submit_return", input = Json)]
pub async fn submit_return(
    token: String,
    idempotency_key: String,
    answers: ReturnAnswers,
    locale: Locale,
) -> Result<Submitted, AppError> {
    let now = time::OffsetDateTime::now_utc();
    Ok(crate::services::submit::submit_return(
        &state()?,
        &token,
        &idempotency_key,
        answers,
        locale,
        now,
    )
    .await?)
}

/// What the shop's return rules say about the answers so far: the wizard asks after each
/// step, so a refused item is known before photos or payment. Submission decides again.
#[server(endpoint = "check_rules", input = Json)]
pub async fn check_rules(
    token: String,
    items: Vec<RuleItemInput>,
    resolution: Option<Resolution>,
    locale: Locale,
) -> Result<RulesPreview, AppError> {
    let now = time::OffsetDateTime::now_utc();
    Ok(crate::services::rules::preview(&state()?, &token, &items, resolution, locale, now).await?)
}

#[server(endpoint = "return_status")]
pub async fn return_status(
    shop: String,
    reference: String,
    key: String,
) -> Result<StatusView, AppError> {
    Ok(crate::services::status::return_status(&state()?, &shop, &reference, &key).await?)
}

/// The checkout page for a request still awaiting its return fee.
#[server(endpoint = "pay_fee")]
pub async fn pay_fee(shop: String, reference: String, key: String) -> Result<String, AppError> {
    Ok(crate::services::status::pay_fee(&state()?, &shop, &reference, &key).await?)
}

/// The shopper withdraws a request not decided yet.
#[server(endpoint = "cancel_return")]
pub async fn cancel_return(
    shop: String,
    reference: String,
    key: String,
) -> Result<crate::domain::ReturnStatus, AppError> {
    let now = crate::services::now_unix();
    Ok(crate::services::status::cancel(&state()?, &shop, &reference, &key, now).await?)
}

#[server(endpoint = "test_checkout")]
pub async fn test_checkout(
    shop: String,
    payment: String,
    key: String,
) -> Result<TestCheckoutView, AppError> {
    Ok(crate::services::payments::test_checkout(&state()?, &shop, &payment, &key).await?)
}

/// Pays or declines on the test checkout; answers the status page's path.
#[server(endpoint = "complete_test_checkout")]
pub async fn complete_test_checkout(
    shop: String,
    payment: String,
    key: String,
    pay: bool,
) -> Result<String, AppError> {
    let now = crate::services::now_unix();
    Ok(crate::services::payments::complete_test_checkout(
        &state()?,
        &shop,
        &payment,
        &key,
        pay,
        now,
    )
    .await?)
}

/// The withdrawal function's order look-up: the same attempt limit as the wizard's.
#[server(endpoint = "withdrawal_find_order")]
pub async fn withdrawal_find_order(
    shop: String,
    order_number: String,
    email: String,
) -> Result<crate::dto::WithdrawalOrderView, AppError> {
    let now = time::OffsetDateTime::now_utc();
    Ok(crate::services::withdrawal::find_order(
        &state()?,
        &shop,
        &order_number,
        &email,
        &client_ip().await?,
        now,
    )
    .await?)
}

/// "Confirm withdrawal": records the statement once per idempotency key.
#[server(endpoint = "withdraw", input = Json)]
pub async fn withdraw(
    token: String,
    idempotency_key: String,
    input: crate::dto::WithdrawalInput,
    locale: Locale,
) -> Result<crate::dto::WithdrawalReceipt, AppError> {
    let now = time::OffsetDateTime::now_utc();
    Ok(crate::services::withdrawal::withdraw(
        &state()?,
        &token,
        &idempotency_key,
        input,
        locale,
        now,
    )
    .await?)
}

/// The shop's privacy notice in the portal's language (its own text, or ours).
#[server(endpoint = "load_privacy")]
pub async fn load_privacy(shop: String, lang: Option<String>) -> Result<String, AppError> {
    Ok(crate::services::lookup::privacy_notice(&state()?, &shop, lang.as_deref()).await?)
}
