use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

use crate::domain::{submission::Refusal, DomainError};

/// What a page learns when a server function fails: enough to say why, in the shopper's
/// language, and nothing about our internals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("order not found")]
    OrderNotFound,
    #[error("too many attempts, retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("session expired")]
    SessionExpired,
    #[error("returns are disabled")]
    ReturnsDisabled,
    #[error("sign in to the back-office")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("changed by someone else")]
    Conflict,
    /// Bad input to a back-office call, with the message key saying what.
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("refused: {}", .0.error)]
    Refused(Refusal),
    /// A return rule refuses an item; the message is already in the shopper's language.
    #[error("item {item} refused by a return rule")]
    RefusedByRule { item: usize, message: String },
    /// A rule that cannot be saved; `RuleError::message` says why in the merchant's language.
    #[error("rule: {0}")]
    Rule(crate::domain::rules::RuleError),
    #[error("{0}")]
    Domain(DomainError),
    /// A merchant's email text that cannot be saved.
    #[error("email text: {0}")]
    Template(crate::domain::message::TemplateError),
    /// A fee is owed and the payment provider cannot take it now.
    #[error("payment unavailable")]
    PaymentUnavailable,
    #[error("withdrawal: {0}")]
    Withdrawal(crate::domain::withdrawal::WithdrawalError),
    #[error("internal error")]
    Internal,
    /// The call never reached us or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::OrderNotFound => "error.order_not_found",
            AppError::TooManyAttempts { .. } => "error.too_many_attempts",
            AppError::SessionExpired => "error.session_expired",
            AppError::ReturnsDisabled => "portal.returns_disabled",
            AppError::Unauthorized => "error.unauthorized",
            AppError::Forbidden => "error.forbidden",
            AppError::Conflict => "error.conflict",
            AppError::Invalid(_) => "error.invalid",
            AppError::Refused(refusal) => refusal.error.message_key(),
            AppError::RefusedByRule { .. } => "error.refused_by_rule",
            AppError::Rule(_) => "error.invalid",
            AppError::Domain(error) => error.message_key(),
            AppError::Template(error) => error.message_key(),
            AppError::PaymentUnavailable => "error.payment_unavailable",
            AppError::Withdrawal(error) => error.message_key(),
            AppError::Internal => "error.try_again",
            AppError::Transport(_) => "error.offline",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server, arguments that do not decode are the caller's mistake: 400, not 500.
        #[cfg(feature = "ssr")]
        if matches!(
            value,
            ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_)
        ) {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::BAD_REQUEST);
            }
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::services::ServiceError> for AppError {
    fn from(error: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError as S;
        use http::StatusCode;
        let (status, app_error) = match error {
            S::NotFound => (StatusCode::NOT_FOUND, AppError::NotFound),
            S::OrderNotFound => (StatusCode::NOT_FOUND, AppError::OrderNotFound),
            S::TooManyAttempts { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                AppError::TooManyAttempts { retry_after_secs },
            ),
            S::SessionExpired => (StatusCode::UNAUTHORIZED, AppError::SessionExpired),
            S::ReturnsDisabled => (StatusCode::FORBIDDEN, AppError::ReturnsDisabled),
            S::Unauthorized => (StatusCode::UNAUTHORIZED, AppError::Unauthorized),
            S::Forbidden => (StatusCode::FORBIDDEN, AppError::Forbidden),
            S::Conflict => (StatusCode::CONFLICT, AppError::Conflict),
            S::Refused(refusal) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Refused(refusal)),
            S::RefusedByRule { item, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                AppError::RefusedByRule { item, message },
            ),
            S::Rule(error) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Rule(error)),
            S::Domain(e) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Domain(e)),
            S::Template(e) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Template(e)),
            S::Invalid(key) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Invalid(key.to_string()),
            ),
            S::PaymentUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                AppError::PaymentUnavailable,
            ),
            S::Withdrawal(e) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Withdrawal(e)),
            S::OrderSync(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Invalid(e.code().to_owned()),
            ),
            S::Photo(_) | S::Internal(_) | S::Database(_) | S::Storage(_) => {
                tracing::error!(error = %error, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal)
            }
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        app_error
    }
}
