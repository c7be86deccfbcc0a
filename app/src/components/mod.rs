//! Pieces shared by the portal's pages.

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::{domain::Locale, dto::PortalInfo, i18n::Msg};

/// Only a plain `#rgb` or `#rrggbb` colour reaches the page's style.
pub fn safe_colour(colour: &str) -> &str {
    let hex = colour.strip_prefix('#').unwrap_or("");
    if matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        colour
    } else {
        "#0f5f5a"
    }
}

/// The portal's custom properties: the accent colour, the font and the corner radius. The
/// settings page's preview uses the same.
pub fn portal_style(accent_colour: &str, theme: &crate::domain::theme::Theme) -> String {
    format!("--accent: {}; {}", safe_colour(accent_colour), theme.css_variables())
}

/// The frame around every portal page: the shop's name, the language links, and the
/// page itself. `embed` gives the compact layout for iframes.
#[component]
pub fn PortalFrame(portal: PortalInfo, embed: bool, children: Children) -> impl IntoView {
    let locale = portal.locale;
    let style = portal_style(&portal.accent_colour, &portal.theme);
    view! {
        <Html attr:lang=locale.code()/>
        <Title text=format!("{} · {}", Msg::PortalTitle.text(locale), portal.shop_name)/>
        <div class="portal" class:embed=embed style=style>
            <header class="portal-header">
                {if portal.logo_url.is_empty() {
                    view! { <span class="shop-name">{portal.shop_name.clone()}</span> }.into_any()
                } else {
                    view! { <img class="shop-logo" src=portal.logo_url.clone() alt=portal.shop_name.clone() referrerpolicy="no-referrer"/> }.into_any()
                }}
                <LanguageLinks current=locale languages=portal.languages.clone()/>
            </header>
            <main class="page">{children()}</main>
            // The law wants the withdrawal function reachable from every page of the portal,
            // not behind the return wizard.
            {
                let link = |page: &str| format!(
                    "/{}/{page}?lang={}{}",
                    portal.shop_slug,
                    locale.code(),
                    if embed { "&embed=1" } else { "" }
                );
                view! {
                    <nav class="portal-links" aria-label=Msg::PortalTitle.text(locale)>
                        {portal.withdrawal_offered.then(|| view! {
                            <a class="withdrawal-entry" href=link("withdraw")>{Msg::WithdrawEntry.text(locale)}</a>
                        })}
                        <a href=link("privacy")>{Msg::PrivacyLink.text(locale)}</a>
                    </nav>
                }
            }
            {(!portal.policy.is_empty()).then(|| view! { <footer class="policy"><p>{portal.policy.clone()}</p></footer> })}
        </div>
    }
}

/// Plain links: switching language reloads the page in that language, and the wizard's
/// answers come back from session storage.
#[component]
fn LanguageLinks(current: Locale, languages: Vec<Locale>) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let href = move |locale: Locale| {
        let mut params: Vec<(String, String)> = query.with_untracked(|q| {
            q.clone()
                .into_iter()
                .filter(|(k, _)| k != "lang")
                .map(|(k, v)| (k.into_owned(), v))
                .collect()
        });
        params.push(("lang".into(), locale.code().into()));
        let encoded: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect();
        format!("?{}", encoded.join("&"))
    };
    view! {
        <nav class="languages" aria-label=Msg::Language.text(current)>
            <ul>
                {languages.into_iter().map(|locale| view! {
                    <li>
                        <a href=href(locale) hreflang=locale.code() lang=locale.code()
                            aria-current=(locale == current).then_some("true")>{locale.code().to_uppercase()}
                            <span class="visually-hidden">" " {locale.native_name()}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
