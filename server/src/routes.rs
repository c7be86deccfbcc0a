//! Plain HTTP routes beside the Leptos pages and server functions.

use app::services::{photos::read_photo, AppState, ServiceError};
use axum::{
    body::Body,
    extract::{Path, Query, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LinkKey {
    #[serde(default)]
    k: String,
}

/// A shopper's photo behind a signed URL. Photos are private: not cached by shared caches.
pub async fn photo(
    State(state): State<AppState>,
    Path((id, variant)): Path<(String, String)>,
    Query(key): Query<LinkKey>,
) -> Response {
    match read_photo(&state, &id, &variant, &key.k).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "private, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = %error, "photo could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Only the shop's own sites may frame its portal: `frame-ancestors` from its allowed
/// origins on every page under `/{shop}`; everything else may not be framed at all.
pub async fn frame_policy(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let first_segment = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned();
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_page {
        return response;
    }
    let shop = if first_segment.is_empty()
        || first_segment == "api"
        || first_segment == "pkg"
        || first_segment == "admin"
    {
        None
    } else {
        app::store::shops::find_shop_by_slug(&state.db, &first_segment)
            .await
            .ok()
            .flatten()
    };
    let policy = if first_segment == "admin" {
        // The back-office is never framed: no clickjacking of a merchant's decisions.
        "frame-ancestors 'none'".to_owned()
    } else {
        shop.map_or_else(
            || "frame-ancestors 'self'".to_owned(),
            |shop| shop.frame_ancestors(),
        )
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Stripe's webhook: verified against the endpoint's signing secret before anything is
/// read from it. 400 for a bad signature (Stripe shows it in its dashboard), 5xx makes
/// Stripe resend.
pub async fn stripe_webhook(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match app::services::payments::stripe_webhook(
        &state,
        signature,
        &body,
        app::services::now_unix(),
    )
    .await
    {
        Ok(()) => StatusCode::OK.into_response(),
        Err(ServiceError::Unauthorized) => StatusCode::BAD_REQUEST.into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "stripe webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The return label of an approved request, behind the status page's signed link.
pub async fn label(
    State(state): State<AppState>,
    Path((shop, reference)): Path<(String, String)>,
    Query(key): Query<LinkKey>,
) -> Response {
    match app::services::status::label(&state, &shop, &reference, &key.k).await {
        Ok((file_name, pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "label could not be made");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The plain-text acknowledgement of a withdrawal statement, behind the status page's signed
/// link: the consumer's copy on a durable medium.
pub async fn withdrawal_receipt(
    State(state): State<AppState>,
    Path((shop, reference)): Path<(String, String)>,
    Query(key): Query<LinkKey>,
) -> Response {
    match app::services::withdrawal::receipt_text(&state, &shop, &reference, &key.k).await {
        Ok((file_name, text)) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            text,
        )
            .into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "withdrawal receipt could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
