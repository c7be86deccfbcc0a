//! Human return references such as `R-7KQ2-M9XD`: 40 random bits in Crockford base32,
//! which has no I, L, O or U, so a reference read aloud or retyped survives.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::DomainError;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReturnReference(String);

impl ReturnReference {
    /// The caller supplies the randomness (the domain has no RNG).
    pub fn from_random(bytes: [u8; 5]) -> ReturnReference {
        let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars: Vec<char> = (0..8)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        let (left, right) = chars.split_at(4);
        ReturnReference(format!(
            "R-{}-{}",
            left.iter().collect::<String>(),
            right.iter().collect::<String>()
        ))
    }

    /// Reads what a person typed: case, spaces and dashes do not matter, and the
    /// look-alikes O, I and L read as 0, 1 and 1 as Crockford intends.
    pub fn parse(raw: &str) -> Result<ReturnReference, DomainError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect::<String>()
            .to_ascii_uppercase();
        let body = cleaned
            .strip_prefix('R')
            .ok_or(DomainError::ReferenceInvalid)?;
        let normalised: Option<String> = body
            .chars()
            .map(|c| match c {
                'O' => Some('0'),
                'I' | 'L' => Some('1'),
                c if ALPHABET.contains(&(c as u8)) && c.is_ascii() => Some(c),
                _ => None,
            })
            .collect();
        match normalised {
            Some(body) if body.len() == 8 => {
                Ok(ReturnReference(format!("R-{}-{}", &body[..4], &body[4..])))
            }
            _ => Err(DomainError::ReferenceInvalid),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReturnReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_reference_has_the_documented_shape() {
        assert_eq!(ReturnReference::from_random([0; 5]).as_str(), "R-0000-0000");
        assert_eq!(
            ReturnReference::from_random([0xff; 5]).as_str(),
            "R-ZZZZ-ZZZZ"
        );
    }

    #[test]
    fn typed_references_are_forgiving_about_case_dashes_and_look_alikes() {
        let canonical = ReturnReference::parse("R-7KQ2-M9XD").unwrap();
        assert_eq!(ReturnReference::parse("r7kq2m9xd").unwrap(), canonical);
        assert_eq!(ReturnReference::parse(" r-7kq2 m9xd ").unwrap(), canonical);
        assert_eq!(
            ReturnReference::parse("R-OIL0-0000").unwrap().as_str(),
            "R-0110-0000"
        );
    }

    #[test]
    fn garbage_is_not_a_reference() {
        for raw in [
            "",
            "R-",
            "7KQ2-M9XD",
            "R-7KQ2-M9X",
            "R-7KQ2-M9XDD",
            "R-7KQ2-M9XU",
            "R-ÉKQ2-M9XD",
        ] {
            assert_eq!(
                ReturnReference::parse(raw),
                Err(DomainError::ReferenceInvalid),
                "{raw:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_generated_reference_parses_back_to_itself(bytes in any::<[u8; 5]>()) {
            let reference = ReturnReference::from_random(bytes);
            prop_assert_eq!(ReturnReference::parse(reference.as_str()), Ok(reference.clone()));
            prop_assert!(!reference.as_str()[2..].contains(['I', 'L', 'O', 'U']));
        }

        #[test]
        fn different_random_bytes_give_different_references(a in any::<[u8; 5]>(), b in any::<[u8; 5]>()) {
            prop_assume!(a != b);
            prop_assert_ne!(ReturnReference::from_random(a), ReturnReference::from_random(b));
        }
    }
}
