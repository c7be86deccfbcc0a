//! A shop's settings as its owner edits them, checked before anything is saved. The
//! portal reads the shop on every call, so a saved change shows on the shopper's next step.

use serde::{Deserialize, Serialize};

use super::{
    fee::ReturnFee,
    privacy::PrivacySettings,
    theme::Theme,
    withdrawal::WithdrawalSettings,
    shop::{is_plain_origin, LocalizedText, PostalAddress, Reason, Resolution, ReturnMethod, Shop},
    DomainError, Locale,
};

pub const MAX_WINDOW_DAYS: u32 = 365;
pub const MAX_REASONS: usize = 30;
pub const MAX_ORIGINS: usize = 20;
pub const MAX_POLICY_CHARS: usize = 5000;
const MAX_NAME_CHARS: usize = 80;
const MAX_LABEL_CHARS: usize = 80;
const MAX_REASON_CODE_CHARS: usize = 40;
const MAX_LOGO_URL_CHARS: usize = 500;
/// WCAG AA for normal text: the accent colours links and carries white button labels.
pub const MIN_ACCENT_CONTRAST: f64 = 4.5;
/// The pale tint behind status badges and the current language, with accent text on it.
const ACCENT_TINT: (u8, u8, u8) = (0xe6, 0xf0, 0xef);

/// Everything on the settings page. The slug is not here: it is in every link and
/// iframe a shop has already published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSettings {
    pub name: String,
    pub default_locale: Locale,
    pub languages: Vec<Locale>,
    pub returns_enabled: bool,
    pub manual_approval: bool,
    pub return_window_days: u32,
    pub reasons: Vec<Reason>,
    pub resolutions: Vec<Resolution>,
    pub methods: Vec<ReturnMethod>,
    pub policy: LocalizedText,
    /// An `https://` image shown in the portal's header; empty for none.
    pub logo_url: String,
    pub accent_colour: String,
    #[serde(default)]
    pub theme: Theme,
    pub allowed_origins: Vec<String>,
    /// Empty until the owner fills it in; needed to approve with a return label.
    #[serde(default)]
    pub return_address: PostalAddress,
    #[serde(default)]
    pub fee: ReturnFee,
    #[serde(default)]
    pub withdrawal: WithdrawalSettings,
    #[serde(default)]
    pub privacy: PrivacySettings,
}

impl ShopSettings {
    pub fn of(shop: &Shop) -> ShopSettings {
        ShopSettings {
            name: shop.name.clone(),
            default_locale: shop.default_locale,
            languages: shop.languages.clone(),
            returns_enabled: shop.returns_enabled,
            manual_approval: shop.manual_approval,
            return_window_days: shop.return_window_days,
            reasons: shop.reasons.clone(),
            resolutions: shop.resolutions.clone(),
            methods: shop.methods.clone(),
            policy: shop.policy.clone(),
            logo_url: shop.logo_url.clone(),
            accent_colour: shop.accent_colour.clone(),
            theme: shop.theme,
            allowed_origins: shop.allowed_origins.clone(),
            return_address: shop.return_address.clone(),
            fee: shop.fee,
            withdrawal: shop.withdrawal,
            privacy: shop.privacy.clone(),
        }
    }

    /// Trims and normalises what was typed, then refuses anything the portal could not
    /// use: the first problem found is the answer.
    pub fn checked(self) -> Result<ShopSettings, DomainError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(DomainError::ShopNameInvalid);
        }
        let languages = dedup(self.languages);
        if languages.is_empty() || !languages.contains(&self.default_locale) {
            return Err(DomainError::LanguagesInvalid);
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.return_window_days) {
            return Err(DomainError::ReturnWindowOutOfRange);
        }
        let reasons = checked_reasons(self.reasons)?;
        let resolutions = dedup(self.resolutions);
        if resolutions.is_empty() {
            return Err(DomainError::ResolutionsEmpty);
        }
        let methods = dedup(self.methods);
        if methods.is_empty() {
            return Err(DomainError::MethodsEmpty);
        }
        let policy = trimmed(self.policy);
        if Locale::ALL
            .iter()
            .any(|l| policy.raw(*l).chars().count() > MAX_POLICY_CHARS)
        {
            return Err(DomainError::PolicyTooLong);
        }
        let logo_url = self.logo_url.trim().to_owned();
        if !logo_url.is_empty() && !is_safe_logo_url(&logo_url) {
            return Err(DomainError::LogoUrlInvalid);
        }
        let accent_colour = self.accent_colour.trim().to_ascii_lowercase();
        let rgb = parse_hex_colour(&accent_colour).ok_or(DomainError::AccentColourInvalid)?;
        if contrast_ratio(rgb, (255, 255, 255)).min(contrast_ratio(rgb, ACCENT_TINT))
            < MIN_ACCENT_CONTRAST
        {
            return Err(DomainError::AccentColourLowContrast);
        }
        let allowed_origins: Vec<String> = dedup(
            self.allowed_origins
                .iter()
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
        );
        if allowed_origins.len() > MAX_ORIGINS
            || !allowed_origins.iter().all(|o| is_plain_origin(o))
        {
            return Err(DomainError::OriginInvalid);
        }
        let return_address = if self.return_address.is_empty() {
            PostalAddress::default()
        } else {
            self.return_address
                .checked()
                .ok_or(DomainError::ReturnAddressInvalid)?
        };
        Ok(ShopSettings {
            return_address,
            fee: self.fee.checked()?,
            theme: self.theme.checked()?,
            withdrawal: self.withdrawal.checked()?,
            privacy: self.privacy.checked()?,
            name,
            default_locale: self.default_locale,
            languages,
            returns_enabled: self.returns_enabled,
            manual_approval: self.manual_approval,
            return_window_days: self.return_window_days,
            reasons,
            resolutions,
            methods,
            policy,
            logo_url,
            accent_colour,
            allowed_origins,
        })
    }
}

fn checked_reasons(reasons: Vec<Reason>) -> Result<Vec<Reason>, DomainError> {
    if reasons.is_empty() || reasons.len() > MAX_REASONS {
        return Err(DomainError::ReasonsInvalid);
    }
    let mut checked: Vec<Reason> = Vec::with_capacity(reasons.len());
    for reason in reasons {
        let code = reason.code.trim().to_owned();
        let code_ok = !code.is_empty()
            && code.len() <= MAX_REASON_CODE_CHARS
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !code_ok {
            return Err(DomainError::ReasonCodeInvalid);
        }
        if checked.iter().any(|r| r.code == code) {
            return Err(DomainError::ReasonCodeDuplicate);
        }
        let label = trimmed(reason.label);
        if label.en.is_empty()
            || Locale::ALL
                .iter()
                .any(|l| label.raw(*l).chars().count() > MAX_LABEL_CHARS)
        {
            return Err(DomainError::ReasonLabelInvalid);
        }
        checked.push(Reason {
            code,
            label,
            ..reason
        });
    }
    Ok(checked)
}

fn trimmed(mut text: LocalizedText) -> LocalizedText {
    for locale in Locale::ALL {
        let value = text.raw_mut(locale);
        *value = value.trim().to_owned();
    }
    text
}

/// Keeps the first of each, in the order given (the order is what the shopper sees).
fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

/// An `https://` address with nothing that could break out of an attribute or a URL.
fn is_safe_logo_url(url: &str) -> bool {
    url.len() <= MAX_LOGO_URL_CHARS
        && url
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'))
}

/// `#rrggbb` (or `#rgb`) as three channels.
pub fn parse_hex_colour(colour: &str) -> Option<(u8, u8, u8)> {
    let hex = colour.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |text: &str| u8::from_str_radix(text, 16).ok();
    match hex.len() {
        6 => Some((
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        )),
        3 => {
            let double = |i: usize| channel(&hex[i..i + 1]).map(|v| v * 17);
            Some((double(0)?, double(1)?, double(2)?))
        }
        _ => None,
    }
}

/// The WCAG 2 contrast ratio of two sRGB colours, from 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(code: &str, en: &str) -> Reason {
        Reason {
            code: code.into(),
            label: LocalizedText {
                en: en.into(),
                ..Default::default()
            },
            photo_required: false,
            comment_required: false,
            defective: false,
        }
    }

    fn valid() -> ShopSettings {
        ShopSettings {
            name: "Demo".into(),
            default_locale: Locale::En,
            languages: vec![Locale::En, Locale::Fr],
            returns_enabled: true,
            manual_approval: true,
            return_window_days: 30,
            reasons: vec![reason("damaged", "Damaged"), reason("other", "Other")],
            resolutions: vec![Resolution::Refund],
            methods: vec![ReturnMethod::Mail],
            policy: LocalizedText::default(),
            logo_url: String::new(),
            accent_colour: "#0f5f5a".into(),
            theme: Theme::default(),
            allowed_origins: vec![],
            return_address: PostalAddress::default(),
            fee: ReturnFee::default(),
            withdrawal: WithdrawalSettings::default(),
            privacy: PrivacySettings::default(),
        }
    }

    #[test]
    fn a_return_address_is_optional_but_when_given_must_be_deliverable() {
        assert_eq!(
            valid().checked().unwrap().return_address,
            PostalAddress::default()
        );
        let address = PostalAddress {
            name: " Atelier ".into(),
            lines: vec![" 12 rue des Ateliers ".into(), "  ".into()],
            postcode: "69002".into(),
            city: "Lyon".into(),
            country: "fr".into(),
        };
        let saved = ShopSettings {
            return_address: address,
            ..valid()
        }
        .checked()
        .unwrap()
        .return_address;
        assert_eq!(
            (
                saved.name.as_str(),
                saved.lines.clone(),
                saved.country.as_str()
            ),
            ("Atelier", vec!["12 rue des Ateliers".to_owned()], "FR")
        );
        let complete = saved.clone();
        assert_eq!(
            refused(|s| s.return_address = PostalAddress {
                city: String::new(),
                ..complete.clone()
            }),
            DomainError::ReturnAddressInvalid
        );
        assert_eq!(
            refused(|s| s.return_address = PostalAddress {
                country: "France".into(),
                ..complete.clone()
            }),
            DomainError::ReturnAddressInvalid
        );
        assert_eq!(
            refused(|s| s.return_address = PostalAddress {
                lines: vec![],
                ..complete.clone()
            }),
            DomainError::ReturnAddressInvalid
        );
        assert_eq!(
            refused(|s| s.return_address = PostalAddress {
                lines: vec!["x".repeat(81)],
                ..complete.clone()
            }),
            DomainError::ReturnAddressInvalid
        );
        assert_eq!(
            refused(|s| s.return_address = PostalAddress {
                lines: vec!["a".into(); 5],
                ..complete.clone()
            }),
            DomainError::ReturnAddressInvalid
        );
    }

    fn refused(change: impl FnOnce(&mut ShopSettings)) -> DomainError {
        let mut settings = valid();
        change(&mut settings);
        settings.checked().expect_err("should be refused")
    }

    #[test]
    fn valid_settings_come_back_trimmed_and_without_repeats() {
        let mut settings = valid();
        settings.name = "  Demo shop ".into();
        settings.resolutions = vec![
            Resolution::StoreCredit,
            Resolution::Refund,
            Resolution::StoreCredit,
        ];
        settings.allowed_origins = vec![
            " https://shop.example/ ".into(),
            "".into(),
            "https://shop.example".into(),
        ];
        settings.accent_colour = " #0F5F5A".into();
        settings.reasons[0].label.fr = "  Abîmé ".into();
        let checked = settings.checked().unwrap();
        assert_eq!(checked.name, "Demo shop");
        assert_eq!(
            checked.resolutions,
            [Resolution::StoreCredit, Resolution::Refund]
        );
        assert_eq!(checked.allowed_origins, ["https://shop.example"]);
        assert_eq!(checked.accent_colour, "#0f5f5a");
        assert_eq!(checked.reasons[0].label.fr, "Abîmé");
    }

    #[test]
    fn each_unusable_setting_is_refused_with_its_own_error() {
        assert_eq!(
            refused(|s| s.name = "  ".into()),
            DomainError::ShopNameInvalid
        );
        assert_eq!(
            refused(|s| s.name = "x".repeat(81)),
            DomainError::ShopNameInvalid
        );
        assert_eq!(
            refused(|s| s.languages = vec![]),
            DomainError::LanguagesInvalid
        );
        assert_eq!(
            refused(|s| s.default_locale = Locale::De),
            DomainError::LanguagesInvalid
        );
        assert_eq!(
            refused(|s| s.return_window_days = 0),
            DomainError::ReturnWindowOutOfRange
        );
        assert_eq!(
            refused(|s| s.return_window_days = 366),
            DomainError::ReturnWindowOutOfRange
        );
        assert_eq!(refused(|s| s.reasons = vec![]), DomainError::ReasonsInvalid);
        assert_eq!(
            refused(|s| s.reasons = (0..31).map(|i| reason(&format!("r{i}"), "R")).collect()),
            DomainError::ReasonsInvalid
        );
        assert_eq!(
            refused(|s| s.reasons[0].code = "Not Damaged".into()),
            DomainError::ReasonCodeInvalid
        );
        assert_eq!(
            refused(|s| s.reasons[0].code = "".into()),
            DomainError::ReasonCodeInvalid
        );
        assert_eq!(
            refused(|s| s.reasons[1].code = " damaged".into()),
            DomainError::ReasonCodeDuplicate
        );
        assert_eq!(
            refused(|s| s.reasons[0].label.en = " ".into()),
            DomainError::ReasonLabelInvalid
        );
        assert_eq!(
            refused(|s| s.reasons[0].label.de = "x".repeat(81)),
            DomainError::ReasonLabelInvalid
        );
        assert_eq!(
            refused(|s| s.resolutions = vec![]),
            DomainError::ResolutionsEmpty
        );
        assert_eq!(refused(|s| s.methods = vec![]), DomainError::MethodsEmpty);
        assert_eq!(
            refused(|s| s.policy.nl = "x".repeat(5001)),
            DomainError::PolicyTooLong
        );
        assert_eq!(
            refused(|s| s.accent_colour = "teal".into()),
            DomainError::AccentColourInvalid
        );
        assert_eq!(
            refused(|s| s.accent_colour = "#12345".into()),
            DomainError::AccentColourInvalid
        );
        assert_eq!(
            refused(|s| s.accent_colour = "#ffff00".into()),
            DomainError::AccentColourLowContrast
        );
        assert_eq!(
            refused(|s| s.allowed_origins = vec!["https://a.example/path".into()]),
            DomainError::OriginInvalid
        );
        assert_eq!(
            refused(|s| s.allowed_origins = vec!["https://a.example; script-src *".into()]),
            DomainError::OriginInvalid
        );
        assert_eq!(
            refused(
                |s| s.allowed_origins = (0..21).map(|i| format!("https://s{i}.example")).collect()
            ),
            DomainError::OriginInvalid
        );
    }

    #[test]
    fn a_logo_is_an_https_address_that_cannot_break_out_of_its_attribute() {
        for good in [
            "",
            "https://cdn.shop.example/logo.png",
            "https://shop.example/a/b.svg?v=2",
        ] {
            let mut settings = valid();
            settings.logo_url = good.into();
            assert!(settings.checked().is_ok(), "{good:?}");
        }
        for bad in [
            "http://shop.example/logo.png",
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "https://a.example/x\" onerror=\"x",
            "https://a b/x.png",
            "//a.example/x.png",
        ] {
            assert_eq!(
                refused(|s| s.logo_url = bad.into()),
                DomainError::LogoUrlInvalid,
                "{bad:?}"
            );
        }
        assert_eq!(
            refused(|s| s.logo_url = format!("https://a.example/{}", "x".repeat(500))),
            DomainError::LogoUrlInvalid
        );
    }

    #[test]
    fn contrast_ratios_match_the_wcag_reference_values() {
        assert!((contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio((255, 255, 255), (255, 255, 255)) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known lightest grey that passes AA (4.54:1).
        let grey = contrast_ratio(parse_hex_colour("#767676").unwrap(), (255, 255, 255));
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert_eq!(parse_hex_colour("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_hex_colour("#0f5f5a"), Some((15, 95, 90)));
        assert_eq!(parse_hex_colour("0f5f5a"), None);
        assert_eq!(parse_hex_colour("#0f5f5g"), None);
    }

    #[test]
    fn the_settings_of_a_shop_pass_their_own_check() {
        let checked = valid().checked().unwrap();
        assert_eq!(checked.clone().checked(), Ok(checked));
    }
}
