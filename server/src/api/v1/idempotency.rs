//! `Idempotency-Key` on POST: the first request with a key runs and its answer is kept for
//! a day; the same key with the same request gets that answer again (marked
//! `Idempotent-Replayed: true`) without running twice; with another request it is refused.
//! An answer that failed on our side (5xx) is not kept, so a retry runs again.

use app::{
    services::AppState,
    store::api::{self as records, IdempotencyClaim},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::{ApiClient, Problem, BODY_LIMIT_BYTES};

pub const HEADER: &str = "idempotency-key";

fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

pub async fn replay_or_record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let key = match key.to_str() {
        Ok(key) if valid_key(key) => key.to_owned(),
        _ => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "idempotency_key_invalid",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            .into_response()
        }
    };
    let Some(ApiClient(merchant)) = request.extensions().get::<ApiClient>().cloned() else {
        return Problem::unauthorized().into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await else {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "the body is over 2 MiB",
        )
        .into_response();
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(parts.uri.query().unwrap_or("").as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());
    let now = app::services::now_unix();
    let shop = merchant.shop_id.clone();
    match records::claim_idempotency(&state.db, &shop, &key, &request_hash, now).await {
        Ok(IdempotencyClaim::New) => {}
        Ok(IdempotencyClaim::Replay { status, body }) => return replayed(status, body),
        Ok(IdempotencyClaim::InFlight) => {
            return Problem::new(
                StatusCode::CONFLICT,
                "idempotency_key_in_use",
                "the first request with this Idempotency-Key is still running; retry shortly",
            )
            .into_response()
        }
        Ok(IdempotencyClaim::Mismatch) => {
            return Problem::invalid(
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request",
            )
            .into_response()
        }
        Err(error) => {
            return Problem::from(app::services::ServiceError::from(error)).into_response()
        }
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    let (response_parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let kept = if status.is_server_error() {
        records::release_idempotency(&state.db, &shop, &key).await
    } else {
        let text = String::from_utf8_lossy(&body);
        records::finish_idempotency(&state.db, &shop, &key, status.as_u16(), &text).await
    };
    if let Err(error) = kept {
        // The answer stands; only a later replay is lost (the key then runs again).
        tracing::error!(error = %error, "idempotency record not written");
    }
    Response::from_parts(response_parts, Body::from(body))
}

fn replayed(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bounded_visible_ascii() {
        assert!(valid_key("order-2001-upsert"));
        assert!(valid_key(&"k".repeat(255)));
        for bad in ["", "with space", "é", &"k".repeat(256)] {
            assert!(!valid_key(bad), "{bad}");
        }
    }
}
