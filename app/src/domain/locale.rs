//! The languages the portal speaks, and how the shopper's language is chosen.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Fr,
    Nl,
    De,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Fr, Locale::Nl, Locale::De];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::Nl => "nl",
            Locale::De => "de",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
            Locale::Nl => "Nederlands",
            Locale::De => "Deutsch",
        }
    }

    /// Accepts `fr`, `FR`, `fr-BE`, `nl_NL`…
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// `?lang=` wins, then the browser's `Accept-Language` (by q-value), then the shop's default.
    /// Only languages the shop offers are chosen.
    pub fn negotiate(
        query: Option<&str>,
        accept_language: Option<&str>,
        offered: &[Locale],
        default: Locale,
    ) -> Locale {
        let offered_or = |l: Locale| offered.contains(&l).then_some(l);
        if let Some(l) = query.and_then(Locale::from_tag).and_then(offered_or) {
            return l;
        }
        let mut ranked: Vec<(u16, usize, Locale)> = accept_language
            .unwrap_or("")
            .split(',')
            .take(32) // a header is client input: bound the work
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let locale = Locale::from_tag(parts.next()?)?;
                let quality =
                    parts
                        .find_map(|p| p.trim().strip_prefix("q="))
                        .map_or(Some(1000), |q| {
                            q.trim()
                                .parse::<f32>()
                                .ok()
                                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                        })?;
                (quality > 0).then_some((quality, position, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .find_map(|(_, _, l)| offered_or(l))
            .unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Locale] = &Locale::ALL;

    #[test]
    fn the_lang_parameter_wins_over_the_browser() {
        assert_eq!(
            Locale::negotiate(Some("nl"), Some("fr-FR,fr;q=0.9"), ALL, Locale::En),
            Locale::Nl
        );
    }

    #[test]
    fn the_browser_preference_is_followed_by_quality() {
        assert_eq!(
            Locale::negotiate(None, Some("es;q=1, de;q=0.5, fr-BE;q=0.8"), ALL, Locale::En),
            Locale::Fr
        );
        assert_eq!(
            Locale::negotiate(None, Some("de-DE"), ALL, Locale::En),
            Locale::De
        );
    }

    #[test]
    fn a_language_the_shop_does_not_offer_falls_back_to_the_shop_default() {
        let offered = [Locale::Fr, Locale::Nl];
        assert_eq!(
            Locale::negotiate(Some("de"), Some("de,en;q=0.1"), &offered, Locale::Fr),
            Locale::Fr
        );
        assert_eq!(
            Locale::negotiate(Some("xx"), None, &offered, Locale::Nl),
            Locale::Nl
        );
    }

    #[test]
    fn a_zero_quality_means_not_wanted_and_garbage_is_ignored() {
        assert_eq!(
            Locale::negotiate(None, Some("fr;q=0, nl;q=0.2"), ALL, Locale::En),
            Locale::Nl
        );
        assert_eq!(
            Locale::negotiate(None, Some(";;;,q=,fr;q=abc"), ALL, Locale::De),
            Locale::De
        );
    }
}
