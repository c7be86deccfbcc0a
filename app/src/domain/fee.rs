//! Return fees: what a shop charges, what one request owes once the return rules have
//! spoken, how the shopper settles it, and the life of the payment that collects it.

use serde::{Deserialize, Serialize};

use super::{rules, Currency, DomainError, Money, Resolution};

/// The highest fee a shop may set, in minor units (1,000.00 in a two-decimal currency).
pub const MAX_FEE_MINOR: i64 = 100_000;

/// How the shop's own fee is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    #[default]
    Free,
    /// One fee per request: one parcel, one fee.
    PerRequest,
    /// The amount times the number of units sent back.
    PerItem,
}

/// The shop's fee setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnFee {
    pub basis: FeeBasis,
    pub amount: Money,
    /// The shopper may leave the fee to be kept out of the refund instead of paying it now.
    pub deduct_from_refund: bool,
}

impl Default for ReturnFee {
    fn default() -> ReturnFee {
        ReturnFee {
            basis: FeeBasis::Free,
            amount: Money::zero(Currency::EUR),
            deduct_from_refund: false,
        }
    }
}

impl ReturnFee {
    /// A charged fee is positive and bounded; a free one is stored as zero.
    pub fn checked(self) -> Result<ReturnFee, DomainError> {
        match self.basis {
            FeeBasis::Free => Ok(ReturnFee {
                amount: Money::zero(self.amount.currency),
                ..self
            }),
            _ if (1..=MAX_FEE_MINOR).contains(&self.amount.minor) => Ok(self),
            _ => Err(DomainError::FeeInvalid),
        }
    }
}

/// What a request owes. The rules' verdict comes first (a waiver, or a fee they set);
/// otherwise the shop's own fee, which is not charged on an order in another currency.
pub fn fee_due(
    shop_fee: &ReturnFee,
    by_rules: &rules::Fee,
    units: u32,
    currency: Currency,
) -> Money {
    let zero = Money::zero(currency);
    match by_rules {
        rules::Fee::Waived => zero,
        rules::Fee::Set { amount } if amount.currency == currency => *amount,
        rules::Fee::Set { .. } => zero,
        rules::Fee::ShopDefault if shop_fee.amount.currency != currency => zero,
        rules::Fee::ShopDefault => match shop_fee.basis {
            FeeBasis::Free => zero,
            FeeBasis::PerRequest => shop_fee.amount,
            FeeBasis::PerItem => shop_fee.amount.times(units),
        },
    }
}

/// How the shopper chose to settle the fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeePayment {
    #[default]
    PayNow,
    DeductFromRefund,
}

/// What happens to the fee of a request being submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeePlan {
    Free,
    /// Paid through the payment provider before the request reaches the merchant.
    PayNow(Money),
    /// Kept out of the refund when the return is settled.
    Deduct(Money),
}

/// Deducting needs a refund to deduct from, and the shop's consent.
pub fn can_deduct(shop_fee: &ReturnFee, resolution: Resolution) -> bool {
    shop_fee.deduct_from_refund && resolution == Resolution::Refund
}

pub fn fee_plan(
    due: Money,
    choice: FeePayment,
    resolution: Resolution,
    shop_fee: &ReturnFee,
) -> Result<FeePlan, DomainError> {
    match choice {
        _ if due.minor <= 0 => Ok(FeePlan::Free),
        FeePayment::PayNow => Ok(FeePlan::PayNow(due)),
        FeePayment::DeductFromRefund if can_deduct(shop_fee, resolution) => {
            Ok(FeePlan::Deduct(due))
        }
        FeePayment::DeductFromRefund => Err(DomainError::FeeDeductionNotOffered),
    }
}

/// Where the payment of a fee stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// A checkout is open (or about to be); nothing paid.
    Pending,
    Paid,
    /// The request expired unpaid.
    Expired,
    /// A refund is owed and not yet confirmed by the provider.
    RefundDue,
    Refunded,
}

/// What happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEvent {
    /// The provider says the checkout was paid (a webhook, or the shopper coming back).
    Paid,
    /// The payment window closed.
    Expire,
    /// The merchant's decision (or a cancellation) gives the fee back.
    Refund,
    /// The provider confirmed the refund.
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 5] = [
        Self::Pending,
        Self::Paid,
        Self::Expired,
        Self::RefundDue,
        Self::Refunded,
    ];

    /// The next status, or `None` when the event changes nothing: a replayed webhook, a
    /// second tab paying, a refund asked twice. Callers act only on `Some`, which is how a
    /// fee is charged once and refunded once.
    pub fn after(self, event: PaymentEvent) -> Option<PaymentStatus> {
        use PaymentEvent as E;
        use PaymentStatus as S;
        match (self, event) {
            (S::Pending, E::Paid) => Some(S::Paid),
            (S::Pending, E::Expire) => Some(S::Expired),
            // Paid after the request expired: the money goes straight back.
            (S::Expired, E::Paid) => Some(S::RefundDue),
            (S::Paid, E::Refund) => Some(S::RefundDue),
            (S::RefundDue, E::Refunded) => Some(S::Refunded),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Expired => "expired",
            Self::RefundDue => "refund_due",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The shop holds the shopper's money.
    pub fn is_held(self) -> bool {
        matches!(self, Self::Paid | Self::RefundDue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn shop_fee(basis: FeeBasis, minor: i64) -> ReturnFee {
        ReturnFee {
            basis,
            amount: eur(minor),
            deduct_from_refund: true,
        }
    }

    #[test]
    fn the_shop_fee_counts_per_request_or_per_unit() {
        let default = rules::Fee::ShopDefault;
        assert_eq!(
            fee_due(
                &shop_fee(FeeBasis::PerRequest, 495),
                &default,
                3,
                Currency::EUR
            ),
            eur(495)
        );
        assert_eq!(
            fee_due(
                &shop_fee(FeeBasis::PerItem, 200),
                &default,
                3,
                Currency::EUR
            ),
            eur(600)
        );
        assert_eq!(
            fee_due(&shop_fee(FeeBasis::Free, 0), &default, 3, Currency::EUR),
            eur(0)
        );
    }

    #[test]
    fn the_rules_come_before_the_shop_fee() {
        let shop = shop_fee(FeeBasis::PerItem, 200);
        assert_eq!(
            fee_due(&shop, &rules::Fee::Waived, 3, Currency::EUR),
            eur(0)
        );
        assert_eq!(
            fee_due(
                &shop,
                &rules::Fee::Set { amount: eur(750) },
                3,
                Currency::EUR
            ),
            eur(750),
            "a rule's fee is per request"
        );
        // Never charged in another currency than the order's.
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(
            fee_due(&shop, &rules::Fee::Set { amount: eur(750) }, 3, usd),
            Money::zero(usd)
        );
        assert_eq!(
            fee_due(&shop, &rules::Fee::ShopDefault, 3, usd),
            Money::zero(usd)
        );
    }

    #[test]
    fn a_fee_setting_is_positive_and_bounded_unless_free() {
        assert_eq!(
            shop_fee(FeeBasis::PerRequest, 0).checked(),
            Err(DomainError::FeeInvalid)
        );
        assert_eq!(
            shop_fee(FeeBasis::PerItem, -5).checked(),
            Err(DomainError::FeeInvalid)
        );
        assert_eq!(
            shop_fee(FeeBasis::PerItem, MAX_FEE_MINOR + 1).checked(),
            Err(DomainError::FeeInvalid)
        );
        assert_eq!(
            shop_fee(FeeBasis::PerItem, MAX_FEE_MINOR).checked(),
            Ok(shop_fee(FeeBasis::PerItem, MAX_FEE_MINOR))
        );
        assert_eq!(
            shop_fee(FeeBasis::Free, 300).checked().unwrap().amount,
            eur(0),
            "a free fee forgets its amount"
        );
    }

    #[test]
    fn deducting_needs_a_refund_and_the_shops_consent() {
        let allowed = shop_fee(FeeBasis::PerRequest, 495);
        let refused = ReturnFee {
            deduct_from_refund: false,
            ..allowed
        };
        use FeePayment::*;
        use Resolution::*;
        assert_eq!(
            fee_plan(eur(495), PayNow, Exchange, &refused),
            Ok(FeePlan::PayNow(eur(495)))
        );
        assert_eq!(
            fee_plan(eur(495), DeductFromRefund, Refund, &allowed),
            Ok(FeePlan::Deduct(eur(495)))
        );
        assert_eq!(
            fee_plan(eur(495), DeductFromRefund, StoreCredit, &allowed),
            Err(DomainError::FeeDeductionNotOffered)
        );
        assert_eq!(
            fee_plan(eur(495), DeductFromRefund, Refund, &refused),
            Err(DomainError::FeeDeductionNotOffered)
        );
        // Nothing owed: nothing to pay, whatever was chosen.
        assert_eq!(
            fee_plan(eur(0), DeductFromRefund, Exchange, &refused),
            Ok(FeePlan::Free)
        );
    }

    /// Every pair of status and event: the table below is the whole machine.
    #[test]
    fn the_payment_machine_moves_only_where_the_table_says() {
        use PaymentEvent as E;
        use PaymentStatus as S;
        let allowed = [
            (S::Pending, E::Paid, S::Paid),
            (S::Pending, E::Expire, S::Expired),
            (S::Expired, E::Paid, S::RefundDue),
            (S::Paid, E::Refund, S::RefundDue),
            (S::RefundDue, E::Refunded, S::Refunded),
        ];
        for status in S::ALL {
            for event in [E::Paid, E::Expire, E::Refund, E::Refunded] {
                let expected = allowed
                    .iter()
                    .find(|(s, e, _)| *s == status && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(status.after(event), expected, "{status:?} + {event:?}");
            }
        }
    }

    #[test]
    fn paying_or_refunding_twice_changes_nothing_the_second_time() {
        let paid = PaymentStatus::Pending.after(PaymentEvent::Paid).unwrap();
        assert_eq!(paid.after(PaymentEvent::Paid), None);
        let due = paid.after(PaymentEvent::Refund).unwrap();
        assert_eq!(due.after(PaymentEvent::Refund), None);
        assert_eq!(
            due.after(PaymentEvent::Refunded)
                .unwrap()
                .after(PaymentEvent::Refunded),
            None
        );
    }

    #[test]
    fn statuses_read_back_from_their_names() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(PaymentStatus::parse("charged"), None);
    }
}
