//! The merchant's side of a request: which inbox tab it sits in, and the decision on it.

use serde::{Deserialize, Serialize};

use super::{DomainError, ReturnEvent, ReturnStatus};

/// The longest explanation or staff note we keep; longer text is refused, not cut.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The back-office inbox's three tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InboxTab {
    /// Awaiting a decision: the pending count.
    #[default]
    Requests,
    /// Approved, on its way or received, not settled yet.
    Returns,
    /// Nothing left to do.
    Closed,
}

impl InboxTab {
    pub const ALL: [InboxTab; 3] = [InboxTab::Requests, InboxTab::Returns, InboxTab::Closed];

    /// The tab a request of this status is listed under. Requests whose fee is not paid
    /// yet are the shopper's business and appear nowhere.
    pub fn of(status: ReturnStatus) -> Option<InboxTab> {
        use ReturnStatus::*;
        match status {
            AwaitingPayment => None,
            Requested => Some(InboxTab::Requests),
            Approved | InTransit | Received => Some(InboxTab::Returns),
            Rejected | Settled | Cancelled | Expired => Some(InboxTab::Closed),
        }
    }

    pub fn statuses(self) -> Vec<ReturnStatus> {
        ReturnStatus::ALL
            .into_iter()
            .filter(|s| InboxTab::of(*s) == Some(self))
            .collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InboxTab::Requests => "requests",
            InboxTab::Returns => "returns",
            InboxTab::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<InboxTab> {
        InboxTab::ALL.into_iter().find(|tab| tab.as_str() == text)
    }
}

/// What the merchant decides on a request awaiting a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// `with_label: false` means nothing needs to come back (too damaged to be worth
    /// shipping): the shopper keeps the item and the request can be settled at once.
    Approve { with_label: bool, refund_fee: bool },
    /// The explanation is shown to the shopper; a fee already paid is always refunded.
    Reject { explanation: String },
}

impl Decision {
    pub fn event(&self) -> ReturnEvent {
        match self {
            Decision::Approve { .. } => ReturnEvent::Approve,
            Decision::Reject { .. } => ReturnEvent::Reject,
        }
    }

    /// Checks the decision itself and returns it tidied (explanation trimmed).
    pub fn validated(self) -> Result<Decision, DomainError> {
        match self {
            Decision::Reject { explanation } => Ok(Decision::Reject {
                explanation: checked_note(&explanation, DomainError::ExplanationRequired)?,
            }),
            approve => Ok(approve),
        }
    }

    /// Whether the return fee goes back to the shopper with this decision.
    pub fn refunds_fee(&self) -> bool {
        match self {
            Decision::Approve { refund_fee, .. } => *refund_fee,
            Decision::Reject { .. } => true,
        }
    }

    /// The status the request ends up in, or why it cannot be decided now.
    pub fn apply(&self, current: ReturnStatus) -> Result<ReturnStatus, DomainError> {
        current.transition(self.event())
    }
}

/// A merchant's free text (rejection explanation, staff note): trimmed, not empty, bounded.
pub fn checked_note(text: &str, when_empty: DomainError) -> Result<String, DomainError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(when_empty);
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(DomainError::NoteTooLong);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_but_awaiting_payment_sits_in_exactly_one_tab() {
        for status in ReturnStatus::ALL {
            let tabs: Vec<_> = InboxTab::ALL
                .into_iter()
                .filter(|tab| tab.statuses().contains(&status))
                .collect();
            if status == ReturnStatus::AwaitingPayment {
                assert!(tabs.is_empty());
            } else {
                assert_eq!(tabs.len(), 1, "{status:?} is in {tabs:?}");
            }
        }
        assert_eq!(InboxTab::Requests.statuses(), vec![ReturnStatus::Requested]);
    }

    #[test]
    fn closed_tab_holds_exactly_the_closed_statuses() {
        for status in ReturnStatus::ALL {
            assert_eq!(
                InboxTab::of(status) == Some(InboxTab::Closed),
                status.is_closed(),
                "{status:?}"
            );
        }
    }

    #[test]
    fn tabs_round_trip_through_their_names() {
        for tab in InboxTab::ALL {
            assert_eq!(InboxTab::parse(tab.as_str()), Some(tab));
        }
        assert_eq!(InboxTab::parse("all"), None);
    }

    #[test]
    fn a_rejection_needs_an_explanation() {
        let blank = Decision::Reject {
            explanation: "  \n ".into(),
        };
        assert_eq!(blank.validated(), Err(DomainError::ExplanationRequired));
        let long = Decision::Reject {
            explanation: "x".repeat(MAX_NOTE_CHARS + 1),
        };
        assert_eq!(long.validated(), Err(DomainError::NoteTooLong));
        let fine = Decision::Reject {
            explanation: "  Worn after 30 days. ".into(),
        };
        assert_eq!(
            fine.validated(),
            Ok(Decision::Reject {
                explanation: "Worn after 30 days.".into()
            })
        );
    }

    #[test]
    fn the_fee_goes_back_on_every_rejection_and_on_approval_only_when_asked() {
        assert!(Decision::Reject {
            explanation: "no".into()
        }
        .refunds_fee());
        for with_label in [true, false] {
            assert!(Decision::Approve {
                with_label,
                refund_fee: true
            }
            .refunds_fee());
            assert!(!Decision::Approve {
                with_label,
                refund_fee: false
            }
            .refunds_fee());
        }
    }

    #[test]
    fn decisions_are_only_taken_on_requests_awaiting_one() {
        let decisions = [
            Decision::Approve {
                with_label: true,
                refund_fee: false,
            },
            Decision::Approve {
                with_label: false,
                refund_fee: true,
            },
            Decision::Reject {
                explanation: "no".into(),
            },
        ];
        for status in ReturnStatus::ALL {
            for decision in &decisions {
                let outcome = decision.apply(status);
                if status == ReturnStatus::Requested {
                    let expected = if matches!(decision, Decision::Approve { .. }) {
                        ReturnStatus::Approved
                    } else {
                        ReturnStatus::Rejected
                    };
                    assert_eq!(outcome, Ok(expected));
                } else {
                    assert_eq!(
                        outcome,
                        Err(DomainError::InvalidTransition {
                            from: status,
                            event: decision.event()
                        })
                    );
                }
            }
        }
    }
}
