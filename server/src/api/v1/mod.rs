//! `/api/v1`: JSON over HTTP for shops and integrations. Handlers are thin: they read the
//! request, call the same services as the back-office (so history, emails and webhooks
//! follow), and shape the answer.
//!
//! Every call but the documentation needs `Authorization: Bearer rtk_…`, a key made by the
//! shop's owner under Back-office → API keys; it acts on that shop only. Errors are
//! `application/problem+json` ([`problem::Problem`]); lists page with opaque cursors; every
//! POST honours `Idempotency-Key` ([`idempotency`]).

pub mod docs;
pub mod idempotency;
pub mod orders;
pub mod problem;
pub mod returns;
pub mod shop;

use app::{domain::Merchant, services::AppState};
use axum::{
    extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use serde::de::DeserializeOwned;

pub use problem::Problem;

/// Bulk upserts of 500 orders fit; anything bigger is refused before it is read.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let authenticated = Router::new()
        .route("/orders", post(orders::upsert_order))
        .route("/orders/batch", post(orders::upsert_orders))
        .route("/returns", get(returns::list_returns))
        .route("/returns/{reference}", get(returns::get_return))
        .route(
            "/returns/{reference}/approve",
            post(returns::approve_return),
        )
        .route("/returns/{reference}/reject", post(returns::reject_return))
        .route(
            "/returns/{reference}/receive",
            post(returns::receive_return),
        )
        .route("/returns/{reference}/settle", post(returns::settle_return))
        .route("/stock-movements", get(returns::list_stock_movements))
        .route("/settings", get(shop::get_settings))
        .route("/rules", get(shop::get_rules).put(shop::replace_rules))
        // Layers run outside in: the key first, then the idempotency record of its shop.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::replay_or_record,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .route("/openapi.json", get(docs::openapi_json))
        .route("/reference", get(docs::reference_page))
        .merge(authenticated)
        .fallback(|| async {
            Problem::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "no such API endpoint",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .with_state(state)
}

/// Finds the key's shop and hands it on as the acting merchant; anything else is 401.
async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    match app::services::api::authenticate(&state, presented, app::services::now_unix()).await {
        Ok(merchant) => {
            request.extensions_mut().insert(ApiClient(merchant));
            next.run(request).await
        }
        Err(error) => Problem::from(error).into_response(),
    }
}

/// The shop's merchant behind the presented key.
#[derive(Debug, Clone)]
pub struct ApiClient(pub Merchant);

impl<S: Send + Sync> FromRequestParts<S> for ApiClient {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ApiClient>()
            .cloned()
            .ok_or_else(Problem::unauthorized)
    }
}

/// `axum::Json` whose refusals are problems too.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}

/// `axum::extract::Query` whose refusals are problems.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(value))
    }
}

/// `axum::extract::Path` whose refusals are problems.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(value))
    }
}

/// An instant as the API writes it: RFC 3339 in UTC.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// An instant as the API reads it.
pub fn parse_rfc3339(text: &str) -> Result<i64, Problem> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            Problem::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("{text:?} is not an RFC 3339 date-time"),
            )
        })
}
