//! Webhooks a shop subscribes to: which events exist, what in a request's history each one
//! reports, which addresses may receive them, and how long a failing delivery is retried.
//!
//! Events are derived from the request's status history, which every change writes in its
//! own transaction: nothing that changes a request can forget to announce it, and the
//! order of the history is the order of the deliveries.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WebhookEvent {
    ReturnCreated,
    ReturnApproved,
    ReturnRejected,
    ReturnReceived,
    ReturnSettled,
    ReturnCancelled,
    /// A request whose fee was never paid in time.
    ReturnExpired,
    FeePaid,
    FeeRefunded,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 9] = [
        Self::ReturnCreated,
        Self::ReturnApproved,
        Self::ReturnRejected,
        Self::ReturnReceived,
        Self::ReturnSettled,
        Self::ReturnCancelled,
        Self::ReturnExpired,
        Self::FeePaid,
        Self::FeeRefunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReturnCreated => "return.created",
            Self::ReturnApproved => "return.approved",
            Self::ReturnRejected => "return.rejected",
            Self::ReturnReceived => "return.received",
            Self::ReturnSettled => "return.settled",
            Self::ReturnCancelled => "return.cancelled",
            Self::ReturnExpired => "return.expired",
            Self::FeePaid => "fee.paid",
            Self::FeeRefunded => "fee.refunded",
        }
    }

    /// The event a history line reports, by the line's `event` column; `None` for lines
    /// that are no one's business outside (a shipment scan, a retention note…).
    pub fn of_history(event: &str) -> Option<WebhookEvent> {
        Some(match event {
            "submit" => Self::ReturnCreated,
            "approve" => Self::ReturnApproved,
            "reject" => Self::ReturnRejected,
            "receive" => Self::ReturnReceived,
            "settle" => Self::ReturnSettled,
            "cancel" => Self::ReturnCancelled,
            "payment_expired" => Self::ReturnExpired,
            "fee_paid" | "fee_paid_late" => Self::FeePaid,
            "fee_refunded" => Self::FeeRefunded,
            _ => return None,
        })
    }
}

impl fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WebhookEvent {
    type Err = WebhookError;
    fn from_str(s: &str) -> Result<Self, WebhookError> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == s.trim())
            .ok_or(WebhookError::UnknownEvent)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum WebhookError {
    #[error("the address must be an http or https URL of at most 2000 characters")]
    UrlInvalid,
    #[error("no such event")]
    UnknownEvent,
    #[error("choose at least one event")]
    NoEvents,
    #[error("a shop has at most {MAX_ENDPOINTS} webhook endpoints")]
    TooManyEndpoints,
}

impl WebhookError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::UrlInvalid => "webhook.url_invalid",
            Self::UnknownEvent => "webhook.unknown_event",
            Self::NoEvents => "webhook.no_events",
            Self::TooManyEndpoints => "webhook.too_many_endpoints",
        }
    }
}

pub const MAX_ENDPOINTS: usize = 10;

/// The address deliveries go to: `http` or `https`, a host, no spaces or credentials.
pub fn parse_endpoint_url(raw: &str) -> Result<String, WebhookError> {
    let url = raw.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(WebhookError::UrlInvalid)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let plausible = url.len() <= 2000
        && !authority.is_empty()
        && !authority.contains('@')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !plausible {
        return Err(WebhookError::UrlInvalid);
    }
    Ok(url.to_owned())
}

/// The chosen events, each once, in their canonical order.
pub fn parse_events<S: AsRef<str>>(names: &[S]) -> Result<Vec<WebhookEvent>, WebhookError> {
    let mut events = names
        .iter()
        .map(|name| name.as_ref().parse())
        .collect::<Result<Vec<WebhookEvent>, _>>()?;
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(WebhookError::NoEvents);
    }
    Ok(events)
}

/// Retries go on for a day after the first attempt, then the delivery is given up (it can
/// still be sent again by hand from the delivery log).
pub const RETRY_FOR_SECS: i64 = 24 * 3600;
const FIRST_RETRY_SECS: i64 = 30;
const LONGEST_WAIT_SECS: i64 = 3600;

/// When to try again after `attempts` failed attempts of a delivery first tried at
/// `first_attempt_at`: waits double from 30 s up to an hour; `None` once a day has passed.
pub fn next_attempt_at(attempts: u32, first_attempt_at: i64, now: i64) -> Option<i64> {
    let doublings = attempts.saturating_sub(1).min(20);
    let wait = (FIRST_RETRY_SECS << doublings).min(LONGEST_WAIT_SECS);
    let next = now + wait;
    (next <= first_attempt_at + RETRY_FOR_SECS).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_event_round_trips_through_its_name() {
        for event in WebhookEvent::ALL {
            assert_eq!(event.as_str().parse::<WebhookEvent>(), Ok(event));
        }
        assert_eq!("return.lost".parse::<WebhookEvent>(), Err(WebhookError::UnknownEvent));
    }

    #[test]
    fn history_lines_map_to_the_events_they_report() {
        assert_eq!(WebhookEvent::of_history("submit"), Some(WebhookEvent::ReturnCreated));
        assert_eq!(WebhookEvent::of_history("fee_paid_late"), Some(WebhookEvent::FeePaid));
        assert_eq!(WebhookEvent::of_history("fee_refunded"), Some(WebhookEvent::FeeRefunded));
        assert_eq!(WebhookEvent::of_history("shipment_scanned"), None);
        assert_eq!(WebhookEvent::of_history("data_erased"), None);
        // Every status change the machine knows reports something or is deliberately quiet.
        use crate::domain::ReturnEvent;
        for event in [
            ReturnEvent::FeePaid,
            ReturnEvent::PaymentExpired,
            ReturnEvent::Approve,
            ReturnEvent::Reject,
            ReturnEvent::Receive,
            ReturnEvent::Settle,
            ReturnEvent::Cancel,
        ] {
            assert!(WebhookEvent::of_history(event.as_str()).is_some(), "{event:?}");
        }
    }

    #[test]
    fn endpoint_urls_are_http_with_a_host() {
        assert_eq!(
            parse_endpoint_url(" https://hooks.example.com/retour?x=1 "),
            Ok("https://hooks.example.com/retour?x=1".into())
        );
        assert!(parse_endpoint_url("http://127.0.0.1:8080/").is_ok());
        for bad in [
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://user:pw@example.com/",
            "https://exa mple.com/",
            "javascript:alert(1)",
            &format!("https://example.com/{}", "x".repeat(2000)),
        ] {
            assert_eq!(parse_endpoint_url(bad), Err(WebhookError::UrlInvalid), "{bad}");
        }
    }

    #[test]
    fn events_are_chosen_once_in_order() {
        assert_eq!(
            parse_events(&["fee.paid", "return.created", "fee.paid"]),
            Ok(vec![WebhookEvent::ReturnCreated, WebhookEvent::FeePaid])
        );
        assert_eq!(parse_events::<&str>(&[]), Err(WebhookError::NoEvents));
        assert_eq!(parse_events(&["return.nope"]), Err(WebhookError::UnknownEvent));
    }

    #[test]
    fn retries_double_from_thirty_seconds_to_an_hour_for_a_day() {
        let start = 1_000_000;
        assert_eq!(next_attempt_at(1, start, start), Some(start + 30));
        assert_eq!(next_attempt_at(2, start, start + 30), Some(start + 90));
        assert_eq!(next_attempt_at(10, start, start + 5000), Some(start + 5000 + 3600));
        assert_eq!(next_attempt_at(40, start, start + RETRY_FOR_SECS - 10), None);
    }

    proptest! {
        #[test]
        fn no_retry_is_ever_scheduled_past_a_day(attempts in 0u32..200, elapsed in 0i64..200_000) {
            let start = 5_000;
            if let Some(next) = next_attempt_at(attempts, start, start + elapsed) {
                prop_assert!(next <= start + RETRY_FOR_SECS);
                prop_assert!(next > start + elapsed);
            }
        }
    }
}
