//! What a shop offers: reasons, resolutions, ways to send items back.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::Locale;

/// A postal address as a label prints it. Empty fields are allowed in storage: a shop
/// without a return address cannot approve with a label, an order without one prints the
/// customer's name and country only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PostalAddress {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    /// ISO 3166-1 alpha-2, upper case.
    #[serde(default)]
    pub country: String,
}

impl PostalAddress {
    pub const MAX_LINES: usize = 4;
    pub const MAX_CHARS: usize = 80;

    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.lines.iter().all(|l| l.trim().is_empty())
            && self.postcode.trim().is_empty()
            && self.city.trim().is_empty()
            && self.country.trim().is_empty()
    }

    /// Enough for a carrier to deliver to.
    pub fn is_complete(&self) -> bool {
        self.lines.iter().any(|l| !l.trim().is_empty())
            && !self.city.trim().is_empty()
            && self.country.len() == 2
    }

    /// Trimmed, blank lines dropped, the country upper case; `None` when a carrier could not
    /// use it or a field is too long.
    pub fn checked(&self) -> Option<PostalAddress> {
        let field = |text: &str| {
            (text.trim().chars().count() <= Self::MAX_CHARS).then(|| text.trim().to_owned())
        };
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|l| field(l))
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        let country = self.country.trim().to_ascii_uppercase();
        let address = PostalAddress {
            name: field(&self.name)?,
            lines,
            postcode: field(&self.postcode)?,
            city: field(&self.city)?,
            country,
        };
        let plain_country =
            address.country.len() == 2 && address.country.chars().all(|c| c.is_ascii_uppercase());
        (address.lines.len() <= Self::MAX_LINES && plain_country && address.is_complete())
            .then_some(address)
    }
}

/// A text a merchant writes once per language; English is the fallback.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    pub en: String,
    #[serde(default)]
    pub fr: String,
    #[serde(default)]
    pub nl: String,
    #[serde(default)]
    pub de: String,
}

impl LocalizedText {
    /// The text for `locale`, falling back to English when it was left empty.
    pub fn get(&self, locale: Locale) -> &str {
        let text = self.raw(locale);
        if text.trim().is_empty() {
            &self.en
        } else {
            text
        }
    }

    /// Exactly what was written for `locale`, possibly empty: what an editor shows.
    pub fn raw(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Fr => &self.fr,
            Locale::Nl => &self.nl,
            Locale::De => &self.de,
        }
    }

    pub fn raw_mut(&mut self, locale: Locale) -> &mut String {
        match locale {
            Locale::En => &mut self.en,
            Locale::Fr => &mut self.fr,
            Locale::Nl => &mut self.nl,
            Locale::De => &mut self.de,
        }
    }
}

/// A reason code such as `damaged`, unique within a shop.
pub type ReasonCode = String;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub label: LocalizedText,
    #[serde(default)]
    pub photo_required: bool,
    #[serde(default)]
    pub comment_required: bool,
    /// Damaged or defective goods: never restocked by default, usually free to return.
    #[serde(default)]
    pub defective: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Refund,
    Exchange,
    StoreCredit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    /// The shopper posts the parcel (a label comes with approval).
    Mail,
    /// The shopper brings the items to a shop.
    InStore,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($text => Ok(<$ty>::$variant),)+ _ => Err(format!("unknown {}: {s:?}", stringify!($ty))) }
            }
        }
    };
}

text_enum!(Resolution { Refund => "refund", Exchange => "exchange", StoreCredit => "store_credit" });
text_enum!(ReturnMethod { Mail => "mail", InStore => "in_store" });

/// Parses a comma-separated list as stored in the database, skipping unknown words.
pub fn parse_list<T: FromStr>(text: &str) -> Vec<T> {
    text.split(',')
        .filter_map(|word| word.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_translation_falls_back_to_english() {
        let text = LocalizedText {
            en: "Damaged".into(),
            fr: "Abîmé".into(),
            nl: " ".into(),
            de: String::new(),
        };
        assert_eq!(text.get(Locale::Fr), "Abîmé");
        assert_eq!(text.get(Locale::Nl), "Damaged");
        assert_eq!(text.get(Locale::De), "Damaged");
    }

    #[test]
    fn resolutions_and_methods_round_trip_through_their_text() {
        for r in Resolution::ALL {
            assert_eq!(r.as_str().parse::<Resolution>(), Ok(*r));
        }
        for m in ReturnMethod::ALL {
            assert_eq!(m.as_str().parse::<ReturnMethod>(), Ok(*m));
        }
        assert_eq!(
            parse_list::<Resolution>("refund, store_credit,bogus"),
            vec![Resolution::Refund, Resolution::StoreCredit]
        );
    }
}

/// A shop's settings as the portal uses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub default_locale: super::Locale,
    pub languages: Vec<super::Locale>,
    pub return_window_days: u32,
    pub returns_enabled: bool,
    /// Off: requests are approved at once (unless a return rule says otherwise).
    pub manual_approval: bool,
    pub reasons: Vec<Reason>,
    pub resolutions: Vec<Resolution>,
    pub methods: Vec<ReturnMethod>,
    /// Origins allowed to frame the portal, e.g. `https://shop.example`.
    pub allowed_origins: Vec<String>,
    pub policy: LocalizedText,
    /// An `https://` image for the portal's header; empty for none.
    pub logo_url: String,
    pub accent_colour: String,
    /// The portal's font and corner radius.
    pub theme: super::theme::Theme,
    /// Where parcels come back to; printed on return labels.
    pub return_address: PostalAddress,
    /// The fee a return costs the shopper, unless a return rule sets or waives it.
    pub fee: super::fee::ReturnFee,
    /// The EU withdrawal function: offered or not, and its period.
    pub withdrawal: super::withdrawal::WithdrawalSettings,
    /// How long photos and comments are kept, and the privacy notice.
    pub privacy: super::privacy::PrivacySettings,
}

impl Shop {
    pub fn offer(&self) -> super::submission::Offer<'_> {
        super::submission::Offer {
            reasons: &self.reasons,
            resolutions: &self.resolutions,
            methods: &self.methods,
        }
    }

    /// The `Content-Security-Policy` value that lets only the shop's own sites frame the portal.
    pub fn frame_ancestors(&self) -> String {
        let origins: Vec<&str> = self
            .allowed_origins
            .iter()
            .map(String::as_str)
            .filter(|o| is_plain_origin(o))
            .collect();
        if origins.is_empty() {
            "frame-ancestors 'self'".to_owned()
        } else {
            format!("frame-ancestors 'self' {}", origins.join(" "))
        }
    }
}

/// `https://host[:port]` or `http://localhost…` with nothing else: no path, no spaces, no
/// quotes or semicolons that could smuggle another directive into the header.
pub fn is_plain_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    #[test]
    fn only_plain_origins_reach_the_frame_ancestors_header() {
        assert!(is_plain_origin("https://shop.example"));
        assert!(is_plain_origin("http://localhost:4000"));
        for bad in [
            "shop.example",
            "https://",
            "https://shop.example/path",
            "https://a.example; script-src *",
            "https://a b",
            "javascript:x",
            "*",
        ] {
            assert!(!is_plain_origin(bad), "{bad:?}");
        }
    }
}
