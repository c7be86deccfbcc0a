//! The portal's look beyond its colour: a font and a corner radius, so the portal sits in a
//! shop's site without looking borrowed. Fonts are system font stacks: nothing is fetched
//! from a font host, so the shopper's visit tells no third party anything and costs no bytes.

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Sharp corners to clearly round ones; beyond this, cards look like pills.
pub const MAX_CORNER_RADIUS_PX: u8 = 24;
pub const DEFAULT_CORNER_RADIUS_PX: u8 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalFont {
    /// The device's own interface font.
    #[default]
    System,
    /// Warm sans-serif (Seravek, Gill Sans, Calibri…).
    Humanist,
    /// Round-letter sans-serif (Avenir, Montserrat, Century Gothic…).
    Geometric,
    /// A reading serif (Charter, Cambria, Georgia…).
    Serif,
    /// Rounded sans-serif (SF Rounded, Quicksand, Arial Rounded…).
    Rounded,
}

impl PortalFont {
    pub const ALL: [PortalFont; 5] = [
        PortalFont::System,
        PortalFont::Humanist,
        PortalFont::Geometric,
        PortalFont::Serif,
        PortalFont::Rounded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PortalFont::System => "system",
            PortalFont::Humanist => "humanist",
            PortalFont::Geometric => "geometric",
            PortalFont::Serif => "serif",
            PortalFont::Rounded => "rounded",
        }
    }

    pub fn parse(text: &str) -> Option<PortalFont> {
        PortalFont::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// What the settings page calls it.
    pub fn label(self) -> &'static str {
        match self {
            PortalFont::System => "System (the device's own)",
            PortalFont::Humanist => "Humanist sans-serif",
            PortalFont::Geometric => "Geometric sans-serif",
            PortalFont::Serif => "Serif",
            PortalFont::Rounded => "Rounded sans-serif",
        }
    }

    /// A CSS `font-family` list that finds a close font on Windows, macOS, iOS, Android and
    /// Linux alike, ending with the generic family.
    pub fn stack(self) -> &'static str {
        match self {
            PortalFont::System => {
                r#"system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif"#
            }
            PortalFont::Humanist => {
                r#"Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif"#
            }
            PortalFont::Geometric => {
                r#"Avenir, Montserrat, Corbel, "URW Gothic", "Century Gothic", source-sans-pro, sans-serif"#
            }
            PortalFont::Serif => {
                r#"Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif"#
            }
            PortalFont::Rounded => {
                r#"ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif"#
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    #[serde(default)]
    pub font: PortalFont,
    #[serde(default = "default_corner_radius")]
    pub corner_radius_px: u8,
}

fn default_corner_radius() -> u8 {
    DEFAULT_CORNER_RADIUS_PX
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            font: PortalFont::System,
            corner_radius_px: DEFAULT_CORNER_RADIUS_PX,
        }
    }
}

impl Theme {
    pub fn checked(self) -> Result<Theme, DomainError> {
        if self.corner_radius_px > MAX_CORNER_RADIUS_PX {
            return Err(DomainError::CornerRadiusOutOfRange);
        }
        Ok(self)
    }

    /// The CSS custom properties the portal's stylesheet reads. Only values from the fixed
    /// font list and a bounded number reach the page's style.
    pub fn css_variables(&self) -> String {
        format!(
            "--font: {}; --radius: {}px",
            self.font.stack(),
            self.corner_radius_px.min(MAX_CORNER_RADIUS_PX)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_has_a_name_that_reads_back_and_a_stack_ending_in_a_generic_family() {
        for font in PortalFont::ALL {
            assert_eq!(PortalFont::parse(font.as_str()), Some(font));
            let last = font.stack().rsplit(',').next().unwrap().trim();
            assert!(matches!(last, "sans-serif" | "serif"), "{font:?} ends in {last}");
            // The stack goes into a style attribute: nothing that could end the declaration.
            assert!(!font.stack().contains([';', '<', '>', '{', '}']));
        }
        assert_eq!(PortalFont::parse("comic-sans"), None);
    }

    #[test]
    fn the_corner_radius_is_bounded() {
        let theme = |corner_radius_px| Theme {
            font: PortalFont::Serif,
            corner_radius_px,
        };
        assert_eq!(theme(0).checked(), Ok(theme(0)));
        assert_eq!(theme(24).checked(), Ok(theme(24)));
        assert_eq!(theme(25).checked(), Err(DomainError::CornerRadiusOutOfRange));
        assert_eq!(theme(255).css_variables().rsplit(' ').next(), Some("24px"));
    }

    #[test]
    fn css_variables_name_the_font_stack_and_radius() {
        let css = Theme {
            font: PortalFont::Serif,
            corner_radius_px: 0,
        }
        .css_variables();
        assert!(css.starts_with("--font: Charter,"), "{css}");
        assert!(css.ends_with("; --radius: 0px"), "{css}");
    }

    #[test]
    fn settings_saved_before_themes_existed_read_as_the_default() {
        assert_eq!(serde_json::from_str::<Theme>("{}").unwrap(), Theme::default());
        let theme: Theme = serde_json::from_str(r#"{"font":"rounded"}"#).unwrap();
        assert_eq!(theme.font, PortalFont::Rounded);
        assert_eq!(theme.corner_radius_px, DEFAULT_CORNER_RADIUS_PX);
    }
}
