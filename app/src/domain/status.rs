//! The life of a return request. Status changes only through [`ReturnStatus::transition`].

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReturnStatus {
    /// Submitted, but the return fee is not paid yet; invisible to the merchant.
    AwaitingPayment,
    /// Waiting for the merchant's decision (the inbox's pending count).
    Requested,
    Approved,
    Rejected,
    InTransit,
    Received,
    Settled,
    Cancelled,
    /// The fee was never paid in time.
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReturnEvent {
    FeePaid,
    PaymentExpired,
    Approve,
    Reject,
    ShipmentScanned,
    Receive,
    Settle,
    /// The shopper withdraws the request before a decision.
    Cancel,
}

impl ReturnStatus {
    pub const ALL: [ReturnStatus; 9] = [
        Self::AwaitingPayment,
        Self::Requested,
        Self::Approved,
        Self::Rejected,
        Self::InTransit,
        Self::Received,
        Self::Settled,
        Self::Cancelled,
        Self::Expired,
    ];

    pub fn transition(self, event: ReturnEvent) -> Result<Self, DomainError> {
        use {ReturnEvent::*, ReturnStatus::*};
        match (self, event) {
            (AwaitingPayment, FeePaid) => Ok(Requested),
            (AwaitingPayment, PaymentExpired) => Ok(Expired),
            (AwaitingPayment | Requested, Cancel) => Ok(Cancelled),
            (Requested, Approve) => Ok(Approved),
            (Requested, Reject) => Ok(Rejected),
            (Approved, ShipmentScanned) => Ok(InTransit),
            (Approved | InTransit, Receive) => Ok(Received),
            // Approved without a label: nothing comes back, so it can be settled at once.
            (Approved | Received, Settle) => Ok(Settled),
            (from, event) => Err(DomainError::InvalidTransition { from, event }),
        }
    }

    /// Closed requests never change again.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::Rejected | Self::Settled | Self::Cancelled | Self::Expired
        )
    }

    /// Whether the units of this request still count against what can be returned.
    /// A rejected, cancelled or expired request gives its units back.
    pub fn holds_quantity(self) -> bool {
        !matches!(self, Self::Rejected | Self::Cancelled | Self::Expired)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::InTransit => "in_transit",
            Self::Received => "received",
            Self::Settled => "settled",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }
}

impl ReturnEvent {
    pub const ALL: [ReturnEvent; 8] = [
        Self::FeePaid,
        Self::PaymentExpired,
        Self::Approve,
        Self::Reject,
        Self::ShipmentScanned,
        Self::Receive,
        Self::Settle,
        Self::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FeePaid => "fee_paid",
            Self::PaymentExpired => "payment_expired",
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::ShipmentScanned => "shipment_scanned",
            Self::Receive => "receive",
            Self::Settle => "settle",
            Self::Cancel => "cancel",
        }
    }
}

impl fmt::Display for ReturnStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReturnStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown return status {s:?}"))
    }
}

impl FromStr for ReturnEvent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|event| event.as_str() == s)
            .ok_or_else(|| format!("unknown return event {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{ReturnEvent::*, ReturnStatus::*, *};

    /// Written out by hand, independently of `transition`: every legal move.
    const ALLOWED: &[(ReturnStatus, ReturnEvent, ReturnStatus)] = &[
        (AwaitingPayment, FeePaid, Requested),
        (AwaitingPayment, PaymentExpired, Expired),
        (AwaitingPayment, Cancel, Cancelled),
        (Requested, Cancel, Cancelled),
        (Requested, Approve, Approved),
        (Requested, Reject, Rejected),
        (Approved, ShipmentScanned, InTransit),
        (Approved, Receive, Received),
        (InTransit, Receive, Received),
        (Approved, Settle, Settled),
        (Received, Settle, Settled),
    ];

    #[test]
    fn every_status_and_event_pair_follows_the_allowed_table() {
        for from in ReturnStatus::ALL {
            for event in ReturnEvent::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                match (from.transition(event), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} + {event:?}"),
                    (Err(DomainError::InvalidTransition { from: f, event: e }), None) => {
                        assert_eq!((f, e), (from, event))
                    }
                    (got, want) => panic!("{from:?} + {event:?}: got {got:?}, expected {want:?}"),
                }
            }
        }
    }

    #[test]
    fn closed_statuses_accept_no_event() {
        for from in ReturnStatus::ALL.into_iter().filter(|s| s.is_closed()) {
            for event in ReturnEvent::ALL {
                assert!(
                    from.transition(event).is_err(),
                    "{from:?} accepted {event:?}"
                );
            }
        }
    }

    #[test]
    fn statuses_and_events_round_trip_through_their_database_text() {
        for status in ReturnStatus::ALL {
            assert_eq!(status.as_str().parse::<ReturnStatus>(), Ok(status));
        }
        for event in ReturnEvent::ALL {
            assert_eq!(event.as_str().parse::<ReturnEvent>(), Ok(event));
        }
        assert!("approved ".parse::<ReturnStatus>().is_err());
    }

    #[test]
    fn only_refused_or_abandoned_requests_give_their_units_back() {
        let released: Vec<_> = ReturnStatus::ALL
            .into_iter()
            .filter(|s| !s.holds_quantity())
            .collect();
        assert_eq!(released, vec![Rejected, Cancelled, Expired]);
    }
}
