//! Receiving a parcel and settling a return: what goes back into stock, how much is
//! refunded, and the credit note that records it.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::{decision::checked_note, Currency, DomainError, Money};

/// What one order line cost the shopper, as the shop sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePayment {
    pub quantity: u32,
    pub unit_price: Money,
    /// An order-level discount (a coupon) allocated to the whole line.
    pub discount: Money,
}

impl LinePayment {
    pub fn paid_total(&self) -> Result<Money, DomainError> {
        if self.discount.currency != self.unit_price.currency {
            return Err(DomainError::CurrencyMismatch);
        }
        let gross = self.unit_price.times(self.quantity).minor;
        Ok(Money::new(
            (gross - self.discount.minor).max(0),
            self.unit_price.currency,
        ))
    }

    /// What a whole order cost: every line as [`LinePayment::paid_total`] says.
    pub fn order_total(
        currency: Currency,
        lines: impl IntoIterator<Item = LinePayment>,
    ) -> Result<Money, DomainError> {
        lines
            .into_iter()
            .try_fold(Money::zero(currency), |total, line| {
                total.checked_add(line.paid_total()?)
            })
    }

    /// What the first `units` units cost, rounding down. The discount is spread so that
    /// refunding a line in several returns adds up to exactly what was paid, never a cent more.
    fn paid_for_first(&self, units: u32) -> Result<i64, DomainError> {
        let total = i128::from(self.paid_total()?.minor);
        let units = units.min(self.quantity);
        if self.quantity == 0 {
            return Ok(0);
        }
        Ok((total * i128::from(units) / i128::from(self.quantity)) as i64)
    }

    /// What `units` units cost when `already_settled` units of this line were refunded before.
    pub fn paid_for_units(&self, already_settled: u32, units: u32) -> Result<Money, DomainError> {
        if already_settled.saturating_add(units) > self.quantity {
            return Err(DomainError::QuantityTooHigh);
        }
        let amount =
            self.paid_for_first(already_settled + units)? - self.paid_for_first(already_settled)?;
        Ok(Money::new(amount, self.unit_price.currency))
    }
}

/// One line of a return, as it stands when the merchant settles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnedLine {
    pub payment: LinePayment,
    /// Units of this line settled by earlier returns.
    pub already_settled: u32,
    /// Units this return gives back (received, or requested when nothing ships back).
    pub units: u32,
}

/// The refund the numbers call for, before any adjustment by the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundQuote {
    /// What the shopper paid for the returned units.
    pub goods: Money,
    /// A return fee the shop keeps out of the refund (not paid up front).
    pub fee_kept: Money,
    pub total: Money,
}

pub fn quote_refund(
    currency: Currency,
    lines: &[ReturnedLine],
    fee_kept: Money,
) -> Result<RefundQuote, DomainError> {
    let mut goods = Money::zero(currency);
    for line in lines {
        goods = goods.checked_add(
            line.payment
                .paid_for_units(line.already_settled, line.units)?,
        )?;
    }
    if fee_kept.currency != currency {
        return Err(DomainError::CurrencyMismatch);
    }
    let total = Money::new((goods.minor - fee_kept.minor.max(0)).max(0), currency);
    Ok(RefundQuote {
        goods,
        fee_kept,
        total,
    })
}

/// The amount actually refunded or credited: the quote, or the merchant's figure with a
/// reason. Never negative, never more than the shopper paid for the returned units.
pub fn settled_amount(
    quote: &RefundQuote,
    adjusted_minor: Option<i64>,
    reason: &str,
) -> Result<(Money, Option<String>), DomainError> {
    match adjusted_minor {
        None => Ok((quote.total, None)),
        Some(minor) if minor == quote.total.minor => Ok((quote.total, None)),
        Some(minor) if minor < 0 || minor > quote.goods.minor => Err(DomainError::AmountOutOfRange),
        Some(minor) => {
            let reason = checked_note(reason, DomainError::AdjustmentReasonRequired)?;
            Ok((Money::new(minor, quote.total.currency), Some(reason)))
        }
    }
}

/// How the merchant settles a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settlement {
    Refund {
        adjusted_minor: Option<i64>,
        #[serde(default)]
        adjustment_reason: String,
    },
    StoreCredit {
        adjusted_minor: Option<i64>,
        #[serde(default)]
        adjustment_reason: String,
    },
    /// A replacement is sent; the credit note still records the goods' value.
    Exchange { replacement: String },
}

impl Settlement {
    pub fn kind(&self) -> SettlementKind {
        match self {
            Settlement::Refund { .. } => SettlementKind::Refund,
            Settlement::StoreCredit { .. } => SettlementKind::StoreCredit,
            Settlement::Exchange { .. } => SettlementKind::Exchange,
        }
    }

    /// The credit note's amount and memo for this settlement of `quote`.
    pub fn credit(&self, quote: &RefundQuote) -> Result<(Money, String), DomainError> {
        match self {
            Settlement::Refund {
                adjusted_minor,
                adjustment_reason,
            }
            | Settlement::StoreCredit {
                adjusted_minor,
                adjustment_reason,
            } => {
                let (amount, reason) = settled_amount(quote, *adjusted_minor, adjustment_reason)?;
                Ok((amount, reason.unwrap_or_default()))
            }
            Settlement::Exchange { replacement } => Ok((
                quote.goods,
                checked_note(replacement, DomainError::ReplacementRequired)?,
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementKind {
    Refund,
    StoreCredit,
    Exchange,
}

impl SettlementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SettlementKind::Refund => "refund",
            SettlementKind::StoreCredit => "store_credit",
            SettlementKind::Exchange => "exchange",
        }
    }
}

impl FromStr for SettlementKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [
            SettlementKind::Refund,
            SettlementKind::StoreCredit,
            SettlementKind::Exchange,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == s)
        .ok_or_else(|| format!("unknown settlement {s:?}"))
    }
}

/// The state an item arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemCondition {
    AsNew,
    Used,
    Damaged,
}

impl ItemCondition {
    pub const ALL: [ItemCondition; 3] = [
        ItemCondition::AsNew,
        ItemCondition::Used,
        ItemCondition::Damaged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemCondition::AsNew => "as_new",
            ItemCondition::Used => "used",
            ItemCondition::Damaged => "damaged",
        }
    }
}

impl FromStr for ItemCondition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ItemCondition::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown condition {s:?}"))
    }
}

/// Whether the receive form proposes putting an item back into stock: not when the
/// shopper said it was damaged or defective, nor when it arrived damaged.
pub fn restock_by_default(reason_is_defective: bool, condition: ItemCondition) -> bool {
    !reason_is_defective && condition != ItemCondition::Damaged
}

/// What the merchant records for one item of a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedItem {
    pub item_id: String,
    pub quantity: u32,
    pub condition: ItemCondition,
    pub restock: bool,
}

impl ReceivedItem {
    /// Units going back into stock.
    pub fn restocked_units(&self) -> u32 {
        if self.restock {
            self.quantity
        } else {
            0
        }
    }
}

/// Checks a parcel against the request: each item once, never more than was requested.
/// `requested` pairs item ids with their requested quantities.
pub fn check_received(
    requested: &[(String, u32)],
    received: &[ReceivedItem],
) -> Result<(), DomainError> {
    for (i, item) in received.iter().enumerate() {
        if received[..i]
            .iter()
            .any(|earlier| earlier.item_id == item.item_id)
        {
            return Err(DomainError::DuplicateLine);
        }
        let (_, wanted) = requested
            .iter()
            .find(|(id, _)| *id == item.item_id)
            .ok_or(DomainError::UnknownLine)?;
        if item.quantity > *wanted {
            return Err(DomainError::QuantityTooHigh);
        }
    }
    if received.len() != requested.len() {
        return Err(DomainError::ReceiptIncomplete);
    }
    Ok(())
}

/// Credit notes are numbered per shop without gaps: `CN-000001`, `CN-000002`, …
pub fn credit_note_number(sequence: i64) -> String {
    format!("CN-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn line(quantity: u32, unit: i64, discount: i64) -> LinePayment {
        LinePayment {
            quantity,
            unit_price: eur(unit),
            discount: eur(discount),
        }
    }

    #[test]
    fn a_partial_return_refunds_what_those_units_cost() {
        let shirts = line(3, 2500, 0);
        assert_eq!(shirts.paid_for_units(0, 2), Ok(eur(5000)));
        assert_eq!(shirts.paid_for_units(2, 1), Ok(eur(2500)));
        assert_eq!(
            shirts.paid_for_units(2, 2),
            Err(DomainError::QuantityTooHigh)
        );
    }

    #[test]
    fn a_line_discount_is_shared_out_and_adds_up_to_what_was_paid() {
        // 3 x 10.00 with a 1.00 coupon: 29.00 paid, 9.66 / 9.67 / 9.67.
        let mugs = line(3, 1000, 100);
        assert_eq!(mugs.paid_total(), Ok(eur(2900)));
        let first = mugs.paid_for_units(0, 1).unwrap();
        let second = mugs.paid_for_units(1, 1).unwrap();
        let third = mugs.paid_for_units(2, 1).unwrap();
        assert_eq!((first.minor, second.minor, third.minor), (966, 967, 967));
        assert_eq!(first.minor + second.minor + third.minor, 2900);
    }

    #[test]
    fn an_order_total_is_what_its_lines_cost_after_their_discounts() {
        // 3 x 10.00 less a 1.00 coupon, and 2 x 5.00 with a coupon larger than the line.
        let total =
            LinePayment::order_total(Currency::EUR, [line(3, 1000, 100), line(2, 500, 1500)]);
        assert_eq!(total, Ok(eur(2900)));
        assert_eq!(LinePayment::order_total(Currency::EUR, []), Ok(eur(0)));
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(
            LinePayment::order_total(usd, [line(1, 500, 0)]),
            Err(DomainError::CurrencyMismatch)
        );
    }

    #[test]
    fn yen_have_no_minor_units_and_are_never_split_into_fractions() {
        let yen = Currency::parse("JPY").unwrap();
        let tea = LinePayment {
            quantity: 3,
            unit_price: Money::new(1000, yen),
            discount: Money::new(200, yen),
        };
        let lines = [ReturnedLine {
            payment: tea,
            already_settled: 0,
            units: 2,
        }];
        let quote = quote_refund(yen, &lines, Money::zero(yen)).unwrap();
        // 2800 yen paid for three: two of them are worth 1866 yen, whole yen.
        assert_eq!(quote.total, Money::new(1866, yen));
    }

    #[test]
    fn a_kept_fee_comes_off_the_refund_but_never_below_zero() {
        let lines = [ReturnedLine {
            payment: line(1, 500, 0),
            already_settled: 0,
            units: 1,
        }];
        let quote = quote_refund(Currency::EUR, &lines, eur(395)).unwrap();
        assert_eq!((quote.goods, quote.total), (eur(500), eur(105)));
        let quote = quote_refund(Currency::EUR, &lines, eur(900)).unwrap();
        assert_eq!(quote.total, eur(0));
    }

    #[test]
    fn mixing_currencies_is_refused() {
        let usd = Currency::parse("USD").unwrap();
        let lines = [ReturnedLine {
            payment: line(1, 500, 0),
            already_settled: 0,
            units: 1,
        }];
        assert_eq!(
            quote_refund(usd, &lines, Money::zero(usd)),
            Err(DomainError::CurrencyMismatch)
        );
        let odd = LinePayment {
            quantity: 1,
            unit_price: eur(100),
            discount: Money::new(1, usd),
        };
        assert_eq!(odd.paid_total(), Err(DomainError::CurrencyMismatch));
    }

    #[test]
    fn an_adjusted_amount_needs_a_reason_and_stays_within_what_was_paid() {
        let quote = RefundQuote {
            goods: eur(5000),
            fee_kept: eur(500),
            total: eur(4500),
        };
        assert_eq!(settled_amount(&quote, None, ""), Ok((eur(4500), None)));
        assert_eq!(
            settled_amount(&quote, Some(4500), ""),
            Ok((eur(4500), None))
        );
        assert_eq!(
            settled_amount(&quote, Some(4000), " "),
            Err(DomainError::AdjustmentReasonRequired)
        );
        assert_eq!(
            settled_amount(&quote, Some(4000), "Box missing"),
            Ok((eur(4000), Some("Box missing".into())))
        );
        assert_eq!(
            settled_amount(&quote, Some(5000), "Fee waived"),
            Ok((eur(5000), Some("Fee waived".into())))
        );
        assert_eq!(
            settled_amount(&quote, Some(5001), "Too generous"),
            Err(DomainError::AmountOutOfRange)
        );
        assert_eq!(
            settled_amount(&quote, Some(-1), "Negative"),
            Err(DomainError::AmountOutOfRange)
        );
    }

    #[test]
    fn each_settlement_puts_its_amount_on_the_credit_note() {
        let quote = RefundQuote {
            goods: eur(5000),
            fee_kept: eur(0),
            total: eur(5000),
        };
        let refund = Settlement::Refund {
            adjusted_minor: None,
            adjustment_reason: String::new(),
        };
        assert_eq!(refund.credit(&quote), Ok((eur(5000), String::new())));
        let credit = Settlement::StoreCredit {
            adjusted_minor: Some(4000),
            adjustment_reason: "Worn".into(),
        };
        assert_eq!(credit.credit(&quote), Ok((eur(4000), "Worn".into())));
        let exchange = Settlement::Exchange {
            replacement: "Linen shirt, size L".into(),
        };
        assert_eq!(
            exchange.credit(&quote),
            Ok((eur(5000), "Linen shirt, size L".into()))
        );
        let blank = Settlement::Exchange {
            replacement: " ".into(),
        };
        assert_eq!(blank.credit(&quote), Err(DomainError::ReplacementRequired));
    }

    #[test]
    fn restock_is_proposed_only_for_sound_items() {
        for condition in ItemCondition::ALL {
            assert!(!restock_by_default(true, condition));
            assert_eq!(
                restock_by_default(false, condition),
                condition != ItemCondition::Damaged
            );
        }
    }

    #[test]
    fn a_parcel_is_checked_against_the_request() {
        let requested = vec![("a".to_owned(), 2), ("b".to_owned(), 1)];
        let item = |id: &str, quantity| ReceivedItem {
            item_id: id.into(),
            quantity,
            condition: ItemCondition::AsNew,
            restock: true,
        };
        assert_eq!(
            check_received(&requested, &[item("a", 2), item("b", 0)]),
            Ok(())
        );
        assert_eq!(
            check_received(&requested, &[item("a", 3), item("b", 1)]),
            Err(DomainError::QuantityTooHigh)
        );
        assert_eq!(
            check_received(&requested, &[item("a", 1), item("a", 1)]),
            Err(DomainError::DuplicateLine)
        );
        assert_eq!(
            check_received(&requested, &[item("a", 1), item("c", 1)]),
            Err(DomainError::UnknownLine)
        );
        assert_eq!(
            check_received(&requested, &[item("a", 1)]),
            Err(DomainError::ReceiptIncomplete)
        );
        let kept = ReceivedItem {
            restock: false,
            ..item("a", 2)
        };
        assert_eq!(
            (item("a", 2).restocked_units(), kept.restocked_units()),
            (2, 0)
        );
    }

    #[test]
    fn credit_note_numbers_are_zero_padded_and_ordered() {
        assert_eq!(credit_note_number(1), "CN-000001");
        assert_eq!(credit_note_number(1_234_567), "CN-1234567");
        assert!(credit_note_number(9) < credit_note_number(10));
    }

    proptest! {
        #[test]
        fn refunding_a_line_piece_by_piece_adds_up_to_exactly_what_was_paid(
            quantity in 1u32..50, unit in 0i64..1_000_000, discount_share in 0i64..100, cuts in proptest::collection::vec(1u32..5, 1..20),
        ) {
            let gross = unit * i64::from(quantity);
            let payment = line(quantity, unit, gross * discount_share / 100);
            let (mut settled, mut refunded) = (0u32, 0i64);
            for cut in cuts {
                let units = cut.min(quantity - settled);
                let amount = payment.paid_for_units(settled, units).unwrap().minor;
                prop_assert!(amount >= 0);
                refunded += amount;
                settled += units;
            }
            let rest = payment.paid_for_units(settled, quantity - settled).unwrap().minor;
            prop_assert_eq!(refunded + rest, payment.paid_total().unwrap().minor);
        }
    }
}
