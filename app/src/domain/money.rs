//! Money as integer minor units of an ISO 4217 currency. Never floats.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::{DomainError, Locale};

/// An amount typed in major units that is not one (letters, a sign, too many decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountInvalid;

/// Minor units from an amount typed in major units, with a point or a comma before the
/// decimals ("12.50", "12,5", ".99"); `None` when nothing is typed. No thousands separators:
/// "1.250" would mean a thousand in one country and one in another.
pub fn parse_amount(text: &str, exponent: u32) -> Result<Option<i64>, AmountInvalid> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.len() > exponent as usize {
        return Err(AmountInvalid);
    }
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return Err(AmountInvalid);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountInvalid)?
    };
    let padded = format!("{fraction:0<width$}", width = exponent as usize);
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| AmountInvalid)?
    };
    Ok(Some(whole * 10i64.pow(exponent) + fraction))
}

/// An ISO 4217 code, upper case, three ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn parse(code: &str) -> Result<Currency, String> {
        match code.trim().as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_alphabetic()) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(format!("not an ISO 4217 currency code: {code:?}")),
        }
    }

    pub fn code(&self) -> &str {
        // Constructed only from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal separator (ISO 4217 minor unit).
    pub fn exponent(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"ISK" | b"CLP" | b"VND" | b"XAF" | b"XOF" | b"XPF" | b"UGX"
            | b"PYG" | b"RWF" | b"KMF" | b"GNF" | b"DJF" | b"BIF" | b"VUV" => 0,
            b"BHD" | b"KWD" | b"JOD" | b"OMR" | b"TND" | b"IQD" | b"LYD" => 3,
            _ => 2,
        }
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"EUR" => Some("€"),
            b"USD" => Some("$"),
            b"GBP" => Some("£"),
            b"JPY" => Some("¥"),
            _ => None,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> String {
        value.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        if self.currency != other.currency {
            return Err(DomainError::CurrencyMismatch);
        }
        Ok(Money {
            minor: self.minor.saturating_add(other.minor),
            currency: self.currency,
        })
    }

    pub fn times(self, quantity: u32) -> Money {
        Money {
            minor: self.minor.saturating_mul(i64::from(quantity)),
            currency: self.currency,
        }
    }

    /// Formats for people, e.g. `€12.50` (en), `12,50 €` (fr, de), `€ 12,50` (nl).
    pub fn format(&self, locale: Locale) -> String {
        let exponent = self.currency.exponent();
        let scale = 10i64.pow(exponent);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let (whole, fraction) = (abs / scale as u64, abs % scale as u64);
        let (group, decimal) = match locale {
            Locale::En => (',', '.'),
            Locale::Fr => ('\u{202f}', ','),
            Locale::Nl | Locale::De => ('.', ','),
        };
        let mut number = group_thousands(whole, group);
        if exponent > 0 {
            number.push(decimal);
            number.push_str(&format!("{fraction:0width$}", width = exponent as usize));
        }
        let symbol = self
            .currency
            .symbol()
            .map(str::to_owned)
            .unwrap_or_else(|| self.currency.code().to_owned());
        match locale {
            Locale::En => format!("{sign}{symbol}{number}"),
            Locale::Nl => format!("{symbol} {sign}{number}"),
            Locale::Fr | Locale::De => format!("{sign}{number}\u{a0}{symbol}"),
        }
    }
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn euros_are_formatted_the_way_each_language_writes_them() {
        let amount = eur(123_456);
        assert_eq!(amount.format(Locale::En), "€1,234.56");
        assert_eq!(amount.format(Locale::Fr), "1\u{202f}234,56\u{a0}€");
        assert_eq!(amount.format(Locale::Nl), "€ 1.234,56");
        assert_eq!(amount.format(Locale::De), "1.234,56\u{a0}€");
    }

    #[test]
    fn currencies_without_minor_units_have_no_decimals() {
        let yen = Money::new(1500, Currency::parse("jpy").unwrap());
        assert_eq!(yen.format(Locale::En), "¥1,500");
        let dinar = Money::new(1500, Currency::parse("KWD").unwrap());
        assert_eq!(dinar.format(Locale::En), "KWD1.500");
    }

    #[test]
    fn small_and_negative_amounts_keep_their_leading_zeros() {
        assert_eq!(eur(5).format(Locale::En), "€0.05");
        assert_eq!(eur(-250).format(Locale::De), "-2,50\u{a0}€");
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let usd = Money::new(100, Currency::parse("USD").unwrap());
        assert_eq!(
            eur(100).checked_add(usd),
            Err(DomainError::CurrencyMismatch)
        );
        assert_eq!(eur(100).checked_add(eur(50)), Ok(eur(150)));
    }

    #[test]
    fn currency_codes_must_be_three_letters() {
        assert!(Currency::parse("EU").is_err());
        assert!(Currency::parse("E1R").is_err());
        assert!(Currency::parse("EURO").is_err());
        assert_eq!(Currency::parse(" eur ").unwrap(), Currency::EUR);
    }

    proptest! {
        #[test]
        fn formatting_keeps_every_digit(minor in -1_000_000_000_000i64..1_000_000_000_000) {
            let text = eur(minor).format(Locale::En);
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            let expected = minor.unsigned_abs().to_string();
            prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
        }

        #[test]
        fn a_line_total_is_the_unit_price_times_the_quantity(unit in 0i64..10_000_000, quantity in 0u32..1000) {
            prop_assert_eq!(eur(unit).times(quantity).minor, unit * i64::from(quantity));
        }
    }
}
