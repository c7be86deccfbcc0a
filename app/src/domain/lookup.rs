//! What a shopper types to find an order, parsed once at the edge.

use serde::{Deserialize, Serialize};

use super::DomainError;

/// An order number as the shop stores it: trimmed, upper case, without a leading `#`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderNumber(String);

impl OrderNumber {
    pub fn parse(raw: &str) -> Result<OrderNumber, DomainError> {
        let trimmed = raw.trim();
        let number = trimmed.strip_prefix('#').unwrap_or(trimmed).trim();
        let well_formed = (1..=64).contains(&number.chars().count())
            && number
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
        if !well_formed {
            return Err(DomainError::OrderNumberInvalid);
        }
        Ok(OrderNumber(number.to_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased so that lookups ignore case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<EmailAddress, DomainError> {
        let email = raw.trim().to_lowercase();
        let plausible = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && matches!(email.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
        if !plausible {
            return Err(DomainError::EmailInvalid);
        }
        Ok(EmailAddress(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_ignore_spaces_case_and_a_leading_hash() {
        for raw in ["#fr-1001", " FR-1001 ", "# fr-1001", "Fr-1001"] {
            assert_eq!(
                OrderNumber::parse(raw).unwrap().as_str(),
                "FR-1001",
                "{raw:?}"
            );
        }
    }

    #[test]
    fn empty_or_strange_order_numbers_are_refused() {
        for raw in ["", "#", "   ", "a b", "1001;DROP", &"9".repeat(65)] {
            assert_eq!(
                OrderNumber::parse(raw),
                Err(DomainError::OrderNumberInvalid),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            EmailAddress::parse("  Camille@Example.FR ")
                .unwrap()
                .as_str(),
            "camille@example.fr"
        );
    }

    #[test]
    fn implausible_emails_are_refused() {
        for raw in [
            "",
            "camille",
            "camille@",
            "@example.fr",
            "camille@example",
            "a b@example.fr",
            "a@b@c.fr",
            "a@.fr",
        ] {
            assert_eq!(
                EmailAddress::parse(raw),
                Err(DomainError::EmailInvalid),
                "{raw:?}"
            );
        }
        assert_eq!(
            EmailAddress::parse(&format!("{}@example.fr", "a".repeat(250))),
            Err(DomainError::EmailInvalid)
        );
    }
}
