//! Orders pushed in by a shop (the API's upsert, the CSV import): what makes an order
//! acceptable, and how a new version of an order replaces the stored one without breaking
//! the returns already made against it.
//!
//! A shop names its lines with its own keys (Shopify's line item id, a row number…). A key
//! seen before updates that line; a new key adds one; a key no longer sent removes its line,
//! unless a return already points at it. A line's quantity never drops below the units its
//! open returns hold.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::{Order, OrderLine};

/// An order carries at most this many lines; more is a bulk mistake, not an order.
pub const MAX_LINES: usize = 250;
/// A bulk upsert carries at most this many orders (and the body limit caps it too).
pub const MAX_ORDERS_PER_BATCH: usize = 500;
pub const MAX_QUANTITY: u32 = 10_000;
/// A unit price above a million in major units is a typo in minor units.
pub const MAX_UNIT_PRICE_MINOR: i64 = 100_000_000;
const MAX_TEXT: usize = 200;
const MAX_KEY: usize = 64;
const MAX_TAGS: usize = 20;

/// Why an order cannot be taken as sent. `code` is stable: the API and the CSV report use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum OrderSyncError {
    #[error("an order needs at least one line")]
    NoLines,
    #[error("an order has at most {MAX_LINES} lines")]
    TooManyLines,
    #[error("line key {0:?} is empty, longer than {MAX_KEY} characters or has spaces")]
    LineKeyInvalid(String),
    #[error("line key {0:?} appears twice")]
    DuplicateLineKey(String),
    #[error("line {key:?}: {field} is missing or too long")]
    LineTextInvalid { key: String, field: &'static str },
    #[error("line {0:?}: the quantity must be between 1 and {MAX_QUANTITY}")]
    QuantityOutOfRange(String),
    #[error("line {0:?}: prices and discounts must be between 0 and {MAX_UNIT_PRICE_MINOR} minor units, and a discount at most the line's price")]
    PriceOutOfRange(String),
    #[error("line {key:?}: returns already hold {held} units, more than the new quantity")]
    QuantityBelowReturned { key: String, held: u32 },
    #[error("line {0:?} is in a return request and cannot be removed")]
    LineInReturns(String),
    #[error("the order has return requests: its currency cannot change")]
    CurrencyChanged,
    #[error("the shipping country must be two letters (ISO 3166-1)")]
    CountryInvalid,
    #[error("the delivery date is before the order date")]
    DeliveredBeforePlaced,
    #[error("{0} is too long or holds control characters")]
    TextTooLong(&'static str),
}

impl OrderSyncError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoLines => "order_without_lines",
            Self::TooManyLines => "too_many_lines",
            Self::LineKeyInvalid(_) => "line_id_invalid",
            Self::DuplicateLineKey(_) => "line_id_duplicate",
            Self::LineTextInvalid { .. } => "line_text_invalid",
            Self::QuantityOutOfRange(_) => "quantity_out_of_range",
            Self::PriceOutOfRange(_) => "price_out_of_range",
            Self::QuantityBelowReturned { .. } => "quantity_below_returned",
            Self::LineInReturns(_) => "line_in_returns",
            Self::CurrencyChanged => "currency_changed",
            Self::CountryInvalid => "country_invalid",
            Self::DeliveredBeforePlaced => "delivered_before_placed",
            Self::TextTooLong(_) => "text_too_long",
        }
    }
}

/// One line as the shop sends it: its key and its content (the `id` is ours to give).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingLine {
    pub key: String,
    pub line: OrderLine,
}

/// A stored line, with what the returns made against it hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    pub id: String,
    pub key: String,
    /// Units in returns that still hold them (not rejected, cancelled or expired).
    pub held_units: u32,
    /// Any return item points at it, whatever its status: the row must stay.
    pub in_returns: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChange {
    /// A new line at `position`; the caller gives it an id.
    Insert {
        position: usize,
        key: String,
        line: OrderLine,
    },
    /// The stored line `id` takes the new content and `position`.
    Update {
        position: usize,
        id: String,
        line: OrderLine,
    },
    Delete {
        id: String,
    },
}

/// Short enough, and free of control characters (PostgreSQL refuses NUL in text).
fn fits(text: &str) -> bool {
    text.chars().count() <= MAX_TEXT && !text.chars().any(char::is_control)
}

/// Checks an order and its lines as sent, before anything is compared with the store.
pub fn validate(order: &Order, lines: &[IncomingLine]) -> Result<(), OrderSyncError> {
    if !fits(&order.display_number) {
        return Err(OrderSyncError::TextTooLong("display_number"));
    }
    if !fits(&order.customer_name) {
        return Err(OrderSyncError::TextTooLong("customer_name"));
    }
    let country = &order.shipping_country;
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(OrderSyncError::CountryInvalid);
    }
    if order.delivered_on.is_some_and(|d| d < order.placed_on) {
        return Err(OrderSyncError::DeliveredBeforePlaced);
    }
    let address = &order.shipping_address;
    let address_too_long = address.lines.len() > 4
        || [
            &address.name,
            &address.postcode,
            &address.city,
            &address.country,
        ]
        .into_iter()
        .chain(address.lines.iter())
        .any(|text| text.chars().count() > MAX_TEXT);
    if address_too_long {
        return Err(OrderSyncError::TextTooLong("shipping_address"));
    }
    if lines.is_empty() {
        return Err(OrderSyncError::NoLines);
    }
    if lines.len() > MAX_LINES {
        return Err(OrderSyncError::TooManyLines);
    }
    let mut seen = HashSet::new();
    for IncomingLine { key, line } in lines {
        let key_ok = !key.is_empty()
            && key.chars().count() <= MAX_KEY
            && !key.chars().any(|c| c.is_whitespace() || c.is_control());
        if !key_ok {
            return Err(OrderSyncError::LineKeyInvalid(key.clone()));
        }
        if !seen.insert(key.as_str()) {
            return Err(OrderSyncError::DuplicateLineKey(key.clone()));
        }
        let text_error = |field| OrderSyncError::LineTextInvalid {
            key: key.clone(),
            field,
        };
        let bounded = fits;
        if line.sku.trim().is_empty() || !bounded(&line.sku) {
            return Err(text_error("sku"));
        }
        if line.title.trim().is_empty() || !bounded(&line.title) {
            return Err(text_error("title"));
        }
        if !bounded(&line.variant) || line.image_url.len() > 2000 || line.image_url.chars().any(char::is_control) {
            return Err(text_error("variant or image_url"));
        }
        if line.tags.len() > MAX_TAGS
            || !line.tags.iter().all(|t| bounded(t))
            || !line.category.as_deref().is_none_or(bounded)
        {
            return Err(text_error("tags or category"));
        }
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(OrderSyncError::QuantityOutOfRange(key.clone()));
        }
        let line_total = line
            .unit_price
            .minor
            .saturating_mul(i64::from(line.quantity));
        let prices_ok = (0..=MAX_UNIT_PRICE_MINOR).contains(&line.unit_price.minor)
            && line.unit_price.currency == order.currency
            && line.discount.currency == order.currency
            && (0..=line_total).contains(&line.discount.minor);
        if !prices_ok {
            return Err(OrderSyncError::PriceOutOfRange(key.clone()));
        }
    }
    Ok(())
}

/// How the stored lines become the incoming ones. Every line that must be kept and
/// cannot take the new version is an error, and then nothing changes.
pub fn plan_lines(
    stored: &[StoredLine],
    incoming: &[IncomingLine],
) -> Result<Vec<LineChange>, OrderSyncError> {
    let by_key: HashMap<&str, &StoredLine> = stored.iter().map(|s| (s.key.as_str(), s)).collect();
    let mut changes = Vec::with_capacity(incoming.len());
    for (position, IncomingLine { key, line }) in incoming.iter().enumerate() {
        match by_key.get(key.as_str()) {
            Some(existing) => {
                if line.quantity < existing.held_units {
                    return Err(OrderSyncError::QuantityBelowReturned {
                        key: key.clone(),
                        held: existing.held_units,
                    });
                }
                changes.push(LineChange::Update {
                    position,
                    id: existing.id.clone(),
                    line: line.clone(),
                });
            }
            None => changes.push(LineChange::Insert {
                position,
                key: key.clone(),
                line: line.clone(),
            }),
        }
    }
    let kept: HashSet<&str> = incoming.iter().map(|l| l.key.as_str()).collect();
    for gone in stored.iter().filter(|s| !kept.contains(s.key.as_str())) {
        if gone.in_returns {
            return Err(OrderSyncError::LineInReturns(gone.key.clone()));
        }
        changes.push(LineChange::Delete {
            id: gone.id.clone(),
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, EmailAddress, Money, OrderNumber};
    use proptest::prelude::*;
    use time::macros::date;

    fn order() -> Order {
        Order {
            id: String::new(),
            shop_id: "shop".into(),
            display_number: "#2001".into(),
            number: OrderNumber::parse("2001").unwrap(),
            email: EmailAddress::parse("ada@example.org").unwrap(),
            customer_name: "Ada".into(),
            shipping_country: "FR".into(),
            shipping_address: Default::default(),
            currency: Currency::EUR,
            placed_on: date!(2026 - 11 - 01),
            delivered_on: Some(date!(2026 - 11 - 03)),
        }
    }

    fn line(key: &str, quantity: u32) -> IncomingLine {
        IncomingLine {
            key: key.into(),
            line: OrderLine {
                id: String::new(),
                sku: format!("SKU-{key}"),
                title: "Shirt".into(),
                variant: "M".into(),
                quantity,
                unit_price: Money::new(2990, Currency::EUR),
                discount: Money::new(0, Currency::EUR),
                image_url: String::new(),
                returnable: true,
                tags: vec![],
                category: None,
                withdrawal_exclusion: None,
            },
        }
    }

    fn stored(key: &str, held_units: u32, in_returns: bool) -> StoredLine {
        StoredLine {
            id: format!("id-{key}"),
            key: key.into(),
            held_units,
            in_returns,
        }
    }

    #[test]
    fn a_plain_order_is_valid() {
        assert_eq!(validate(&order(), &[line("a", 1), line("b", 3)]), Ok(()));
    }

    #[test]
    fn an_order_without_lines_or_with_too_many_is_refused() {
        assert_eq!(validate(&order(), &[]), Err(OrderSyncError::NoLines));
        let many: Vec<_> = (0..=MAX_LINES).map(|i| line(&i.to_string(), 1)).collect();
        assert_eq!(validate(&order(), &many), Err(OrderSyncError::TooManyLines));
    }

    #[test]
    fn line_keys_must_be_present_unique_and_without_spaces() {
        for bad in ["", "a b", &"k".repeat(65)] {
            assert_eq!(
                validate(&order(), &[line(bad, 1)]),
                Err(OrderSyncError::LineKeyInvalid(bad.to_owned()))
            );
        }
        assert_eq!(
            validate(&order(), &[line("a", 1), line("a", 2)]),
            Err(OrderSyncError::DuplicateLineKey("a".into()))
        );
    }

    #[test]
    fn quantities_prices_and_discounts_are_bounded() {
        assert_eq!(
            validate(&order(), &[line("a", 0)]),
            Err(OrderSyncError::QuantityOutOfRange("a".into()))
        );
        assert_eq!(
            validate(&order(), &[line("a", MAX_QUANTITY + 1)]),
            Err(OrderSyncError::QuantityOutOfRange("a".into()))
        );
        let mut negative = line("a", 1);
        negative.line.unit_price.minor = -1;
        let mut big_discount = line("b", 2);
        big_discount.line.discount.minor = 2 * 2990 + 1;
        let mut other_currency = line("c", 1);
        other_currency.line.unit_price.currency = Currency::parse("USD").unwrap();
        for (bad, key) in [(negative, "a"), (big_discount, "b"), (other_currency, "c")] {
            assert_eq!(
                validate(&order(), &[bad]),
                Err(OrderSyncError::PriceOutOfRange(key.into()))
            );
        }
        let mut whole_line_free = line("d", 2);
        whole_line_free.line.discount.minor = 2 * 2990;
        assert_eq!(validate(&order(), &[whole_line_free]), Ok(()));
    }

    #[test]
    fn order_fields_are_checked() {
        let mut lower_country = order();
        lower_country.shipping_country = "fr".into();
        assert_eq!(
            validate(&lower_country, &[line("a", 1)]),
            Err(OrderSyncError::CountryInvalid)
        );
        let mut early = order();
        early.delivered_on = Some(date!(2026 - 10 - 31));
        assert_eq!(
            validate(&early, &[line("a", 1)]),
            Err(OrderSyncError::DeliveredBeforePlaced)
        );
        let mut long_name = order();
        long_name.customer_name = "x".repeat(201);
        assert_eq!(
            validate(&long_name, &[line("a", 1)]),
            Err(OrderSyncError::TextTooLong("customer_name"))
        );
        let mut nul = order();
        nul.customer_name = "Ada\0".into();
        assert_eq!(
            validate(&nul, &[line("a", 1)]),
            Err(OrderSyncError::TextTooLong("customer_name"))
        );
        let mut empty_title = line("a", 1);
        empty_title.line.title = " ".into();
        assert_eq!(
            validate(&order(), &[empty_title]),
            Err(OrderSyncError::LineTextInvalid {
                key: "a".into(),
                field: "title"
            })
        );
    }

    #[test]
    fn a_new_order_inserts_every_line_in_order() {
        let changes = plan_lines(&[], &[line("a", 1), line("b", 2)]).unwrap();
        assert!(matches!(&changes[..], [
            LineChange::Insert { position: 0, key: a, .. },
            LineChange::Insert { position: 1, key: b, .. },
        ] if a == "a" && b == "b"));
    }

    #[test]
    fn known_keys_update_new_keys_insert_and_missing_keys_delete() {
        let changes = plan_lines(
            &[stored("a", 0, false), stored("gone", 0, false)],
            &[line("new", 1), line("a", 4)],
        )
        .unwrap();
        assert!(matches!(&changes[..], [
            LineChange::Insert { position: 0, key, .. },
            LineChange::Update { position: 1, id, line },
            LineChange::Delete { id: deleted },
        ] if key == "new" && id == "id-a" && line.quantity == 4 && deleted == "id-gone"));
    }

    #[test]
    fn a_line_in_a_return_is_never_removed() {
        assert_eq!(
            plan_lines(&[stored("a", 0, true)], &[line("b", 1)]),
            Err(OrderSyncError::LineInReturns("a".into()))
        );
    }

    #[test]
    fn a_quantity_never_drops_below_what_returns_hold() {
        assert_eq!(
            plan_lines(&[stored("a", 2, true)], &[line("a", 1)]),
            Err(OrderSyncError::QuantityBelowReturned {
                key: "a".into(),
                held: 2
            })
        );
        assert!(plan_lines(&[stored("a", 2, true)], &[line("a", 2)]).is_ok());
    }

    #[test]
    fn codes_are_distinct() {
        let errors = [
            OrderSyncError::NoLines,
            OrderSyncError::TooManyLines,
            OrderSyncError::LineKeyInvalid(String::new()),
            OrderSyncError::DuplicateLineKey(String::new()),
            OrderSyncError::LineTextInvalid {
                key: String::new(),
                field: "sku",
            },
            OrderSyncError::QuantityOutOfRange(String::new()),
            OrderSyncError::PriceOutOfRange(String::new()),
            OrderSyncError::QuantityBelowReturned {
                key: String::new(),
                held: 1,
            },
            OrderSyncError::LineInReturns(String::new()),
            OrderSyncError::CurrencyChanged,
            OrderSyncError::CountryInvalid,
            OrderSyncError::DeliveredBeforePlaced,
            OrderSyncError::TextTooLong("x"),
        ];
        let codes: HashSet<&str> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), errors.len());
    }

    proptest! {
        /// Whatever is stored and sent, an accepted plan keeps every line a return points at
        /// and touches every incoming key exactly once.
        #[test]
        fn an_accepted_plan_keeps_lines_in_returns_and_covers_every_key(
            stored_lines in proptest::collection::vec((0u8..8, 0u32..3, any::<bool>()), 0..6),
            incoming_keys in proptest::collection::vec((0u8..8, 1u32..4), 1..6),
        ) {
            let mut seen = HashSet::new();
            let stored: Vec<StoredLine> = stored_lines
                .into_iter()
                .filter(|(k, _, _)| seen.insert(*k))
                .map(|(k, held, in_returns)| stored(&k.to_string(), held, in_returns || held > 0))
                .collect();
            let mut seen = HashSet::new();
            let incoming: Vec<IncomingLine> = incoming_keys
                .into_iter()
                .filter(|(k, _)| seen.insert(*k))
                .map(|(k, q)| line(&k.to_string(), q))
                .collect();
            if let Ok(changes) = plan_lines(&stored, &incoming) {
                for line in stored.iter().filter(|s| s.in_returns) {
                    let deleted = changes.iter().any(|c| matches!(c, LineChange::Delete { id } if *id == line.id));
                    prop_assert!(!deleted);
                }
                let written = changes.iter().filter(|c| !matches!(c, LineChange::Delete { .. })).count();
                prop_assert_eq!(written, incoming.len());
                for change in &changes {
                    if let LineChange::Update { id, line, .. } = change {
                        let held = stored.iter().find(|s| &s.id == id).unwrap().held_units;
                        prop_assert!(line.quantity >= held);
                    }
                }
            }
        }
    }
}
