//! Errors as `application/problem+json` (RFC 9457), each with a stable `code` that
//! integrations can match on; `detail` is for people and may change.

use app::services::ServiceError;
use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem, as every error of the API is answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Where the code is explained: the reference page's section for it.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, stable summary of the kind of problem.
    pub title: String,
    pub status: u16,
    /// What went wrong this time, in English.
    pub detail: String,
    /// Stable and machine-readable, e.g. `invalid_transition`, `conflict`.
    pub code: String,
    /// For a bulk upsert refused as a whole, or rules: which entry failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/api/v1/reference#problem-{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            pointer: None,
        }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Problem {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn unauthorized() -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send a valid, unrevoked API key as `Authorization: Bearer rtk_…`",
        )
    }

    pub fn invalid(code: &str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let unauthorized = status == StatusCode::UNAUTHORIZED;
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if unauthorized {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The codes every problem can carry, for the reference page.
pub const CODES: &[(&str, &str)] = &[
    (
        "unauthorized",
        "The API key is missing, malformed, unknown or revoked.",
    ),
    (
        "forbidden",
        "The key may not do this (keys cannot manage keys).",
    ),
    ("not_found", "No such resource in this key's shop."),
    (
        "conflict",
        "The return request changed since the `version` sent: read it again.",
    ),
    (
        "invalid_transition",
        "The request's status does not allow this action now.",
    ),
    (
        "invalid_body",
        "The JSON body does not fit the operation's schema.",
    ),
    (
        "invalid_query",
        "A query or path parameter does not fit its schema.",
    ),
    ("body_too_large", "The body is over the size limit (2 MiB)."),
    (
        "idempotency_key_invalid",
        "`Idempotency-Key` must be 1 to 255 visible ASCII characters.",
    ),
    (
        "idempotency_key_reused",
        "This `Idempotency-Key` was used for a different request.",
    ),
    (
        "idempotency_key_in_use",
        "The first request with this `Idempotency-Key` is still running.",
    ),
    (
        "rule_invalid",
        "A return rule cannot be saved; `pointer` names it.",
    ),
    (
        "payment_unavailable",
        "A fee refund needs the payment provider, which is not reachable.",
    ),
    ("internal", "Our fault; retry later. Nothing was changed."),
];

impl From<ServiceError> for Problem {
    fn from(error: ServiceError) -> Problem {
        use ServiceError as S;
        match error {
            S::NotFound | S::OrderNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such resource in this shop",
            ),
            S::Unauthorized | S::SessionExpired => Problem::unauthorized(),
            S::Forbidden => Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "this key may not do that",
            ),
            S::Conflict => Problem::new(
                StatusCode::CONFLICT,
                "conflict",
                "the return request was changed since this version: read it again",
            ),
            S::Domain(app::domain::DomainError::InvalidTransition { from, event }) => Problem::new(
                StatusCode::CONFLICT,
                "invalid_transition",
                format!(
                    "cannot {} a request that is {}",
                    event.as_str(),
                    from.as_str()
                ),
            ),
            S::Domain(domain) => Problem::invalid(
                domain.message_key().trim_start_matches("error."),
                domain.to_string(),
            ),
            S::Rule(rule) => {
                Problem::invalid("rule_invalid", rule.message(app::domain::Locale::En))
            }
            S::OrderSync(sync) => Problem::invalid(sync.code(), sync.to_string()),
            S::Invalid(key) => Problem::invalid(key.rsplit('.').next().unwrap_or(key), key),
            S::Template(template) => Problem::invalid("template_invalid", template.to_string()),
            S::Withdrawal(withdrawal) => {
                Problem::invalid("withdrawal_refused", withdrawal.to_string())
            }
            S::Refused(refusal) => Problem::invalid("refused", refusal.error.to_string()),
            S::RefusedByRule { message, .. } => Problem::invalid("refused_by_rule", message),
            S::ReturnsDisabled => Problem::new(
                StatusCode::FORBIDDEN,
                "returns_disabled",
                "the shop does not take returns online",
            ),
            S::TooManyAttempts { retry_after_secs } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("retry in {retry_after_secs} s"),
            ),
            S::PaymentUnavailable => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "payment_unavailable",
                "the payment provider is not available",
            ),
            S::Photo(_) | S::Internal(_) | S::Database(_) | S::Storage(_) => {
                tracing::error!(error = %error, "API request failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something failed on our side; retry later",
                )
            }
        }
    }
}

impl From<JsonRejection> for Problem {
    fn from(rejection: JsonRejection) -> Problem {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the body is over 2 MiB",
            );
        }
        let status = match rejection {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Problem::new(status, "invalid_body", rejection.body_text())
    }
}

impl From<QueryRejection> for Problem {
    fn from(rejection: QueryRejection) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

impl From<PathRejection> for Problem {
    fn from(rejection: PathRejection) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_error_maps_to_a_documented_code_or_a_domain_code() {
        let documented: Vec<&str> = CODES.iter().map(|(code, _)| *code).collect();
        for (error, code) in [
            (ServiceError::NotFound, "not_found"),
            (ServiceError::Unauthorized, "unauthorized"),
            (ServiceError::Conflict, "conflict"),
            (ServiceError::Internal("x"), "internal"),
        ] {
            let problem = Problem::from(error);
            assert_eq!(problem.code, code);
            assert!(documented.contains(&code));
        }
    }

    #[test]
    fn a_domain_refusal_keeps_its_translation_key_as_code() {
        let problem = Problem::from(ServiceError::Domain(
            app::domain::DomainError::ExplanationRequired,
        ));
        assert_eq!(problem.status, 422);
        assert_eq!(
            problem.code,
            app::domain::DomainError::ExplanationRequired
                .message_key()
                .trim_start_matches("error.")
        );
    }
}
