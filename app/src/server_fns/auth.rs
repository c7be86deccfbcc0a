//! Signing merchants in and out of the back-office, and the gate every back-office server
//! function passes first: a live session from the `retour_session` cookie and, for
//! changes, a request from our own origin.

use leptos::prelude::*;

use super::AppError;
use crate::dto::MerchantView;

pub const SESSION_COOKIE: &str = "retour_session";

/// Whether the page that sent a request (its `Origin`, or else its `Referer`) is on the
/// host the request was sent to. The scheme is not compared; a port the scheme implies
/// may be left out on either side. Missing values never match.
pub fn same_origin(origin_or_referer: Option<&str>, host: Option<&str>) -> bool {
    let (Some(url), Some(host)) = (origin_or_referer, host) else {
        return false;
    };
    let Some((scheme, rest)) = url.trim().split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Browsers never send credentials in these headers; a URL with some is not trusted.
    if authority.is_empty() || authority.contains('@') {
        return false;
    }
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return false,
    };
    let host = host.trim();
    let without_default_port = |a: &str| {
        a.strip_suffix(default_port)
            .unwrap_or(a)
            .to_ascii_lowercase()
    };
    !host.is_empty() && without_default_port(authority) == without_default_port(host)
}

/// The value of the cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// The `Set-Cookie` value that keeps a session for `max_age_secs` (0: forget it now).
/// Without `secure` (local development over plain http only) the browser would also send
/// the cookie over http.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(feature = "ssr")]
fn state() -> Result<crate::services::AppState, AppError> {
    use_context::<crate::services::AppState>().ok_or(AppError::Internal)
}

#[cfg(feature = "ssr")]
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(feature = "ssr")]
async fn request_parts() -> Result<http::request::Parts, AppError> {
    leptos_axum::extract::<http::request::Parts>()
        .await
        .map_err(|_| AppError::Internal)
}

/// Refuses a state-changing request (anything but GET and HEAD) sent from another site.
#[cfg(feature = "ssr")]
fn check_origin(parts: &http::request::Parts) -> Result<(), AppError> {
    use http::{header, Method};
    if parts.method == Method::GET || parts.method == Method::HEAD {
        return Ok(());
    }
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    let origin = header(header::ORIGIN).or_else(|| header(header::REFERER));
    // HTTP/2 carries the host in the URI's authority rather than a Host header.
    let host = header(header::HOST).or_else(|| parts.uri.authority().map(|a| a.as_str()));
    if same_origin(origin, host) {
        Ok(())
    } else {
        tracing::warn!(method = %parts.method, "refused a back-office call from another origin");
        Err(crate::services::ServiceError::Forbidden.into())
    }
}

#[cfg(feature = "ssr")]
fn session_token(parts: &http::request::Parts) -> Option<&str> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| cookie_value(header, SESSION_COOKIE))
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) -> Result<(), AppError> {
    let value = http::HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    use_context::<leptos_axum::ResponseOptions>()
        .ok_or(AppError::Internal)?
        .append_header(http::header::SET_COOKIE, value);
    Ok(())
}

/// The signed-in merchant behind this request, or `Unauthorized`; for changes, also
/// `Forbidden` unless the request comes from our own pages. Every back-office server
/// function calls this first and scopes what it does to the merchant's shop.
#[cfg(feature = "ssr")]
pub(crate) async fn require_merchant(
) -> Result<(crate::services::AppState, crate::domain::Merchant), AppError> {
    let state = state()?;
    let parts = request_parts().await?;
    check_origin(&parts)?;
    let token = session_token(&parts).unwrap_or_default();
    let merchant = crate::services::accounts::merchant_from_session(&state, token, now()).await?;
    Ok((state, merchant))
}

#[server(endpoint = "merchant_login")]
pub async fn merchant_login(email: String, password: String) -> Result<MerchantView, AppError> {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let state = state()?;
    check_origin(&request_parts().await?)?;
    let ConnectInfo(client): ConnectInfo<SocketAddr> = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let (token, merchant) = crate::services::accounts::login(
        &state,
        &email,
        &password,
        &client.ip().to_string(),
        now(),
    )
    .await?;
    set_cookie(&session_cookie(
        &token,
        crate::services::accounts::SESSION_TTL_SECS,
        state.secure_cookies,
    ))?;
    Ok(crate::services::accounts::merchant_view(&state, &merchant).await?)
}

/// Ends the session, if any, and clears the cookie.
#[server(endpoint = "merchant_logout")]
pub async fn merchant_logout() -> Result<(), AppError> {
    let state = state()?;
    let parts = request_parts().await?;
    check_origin(&parts)?;
    if let Some(token) = session_token(&parts) {
        crate::services::accounts::logout(&state, token).await?;
    }
    set_cookie(&session_cookie("", 0, state.secure_cookies))
}

/// Who is signed in; `None` when nobody is (or the session has ended).
#[server(endpoint = "current_merchant")]
pub async fn current_merchant() -> Result<Option<MerchantView>, AppError> {
    use crate::services::{accounts, ServiceError};
    let state = state()?;
    let parts = request_parts().await?;
    let token = session_token(&parts).unwrap_or_default();
    match accounts::merchant_from_session(&state, token, now()).await {
        Ok(merchant) => Ok(Some(accounts::merchant_view(&state, &merchant).await?)),
        Err(ServiceError::Unauthorized) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_from_the_same_host_is_same_origin_whatever_the_scheme() {
        for (origin, host) in [
            ("https://shop.example", "shop.example"),
            ("http://shop.example", "shop.example"),
            ("http://127.0.0.1:3000", "127.0.0.1:3000"),
            ("HTTPS://Shop.Example", "shop.example"),
            ("https://shop.example", "SHOP.example"),
            ("http://[::1]:3000", "[::1]:3000"),
            (
                "https://shop.example/admin/returns?tab=requests#top",
                "shop.example",
            ),
            ("http://127.0.0.1:3000/admin", "127.0.0.1:3000"),
            ("https://shop.example:443", "shop.example"),
            ("https://shop.example", "shop.example:443"),
            ("http://shop.example", "shop.example:80"),
            (" https://shop.example ", " shop.example "),
        ] {
            assert!(same_origin(Some(origin), Some(host)), "{origin} on {host}");
        }
    }

    #[test]
    fn another_host_port_or_a_look_alike_is_not_same_origin() {
        for (origin, host) in [
            ("https://evil.example", "shop.example"),
            ("https://shop.example.evil.example", "shop.example"),
            ("https://evil-shop.example", "shop.example"),
            ("https://shop.example:8443", "shop.example"),
            ("http://127.0.0.1:3001", "127.0.0.1:3000"),
            ("http://127.0.0.1", "127.0.0.1:3000"),
            ("https://shop.example", "shop.example:80"),
            ("http://shop.example", "shop.example:443"),
            ("https://shop.example@evil.example", "shop.example"),
            ("https://evil.example@shop.example", "shop.example"),
            ("https://evil.example/https://shop.example", "shop.example"),
            ("https://evil.example?shop.example", "shop.example"),
        ] {
            assert!(!same_origin(Some(origin), Some(host)), "{origin} on {host}");
        }
    }

    #[test]
    fn missing_or_malformed_values_are_never_same_origin() {
        for (origin, host) in [
            (None, Some("shop.example")),
            (Some("https://shop.example"), None),
            (None, None),
            (Some("null"), Some("shop.example")),
            (Some(""), Some("shop.example")),
            (Some("shop.example"), Some("shop.example")),
            (Some("//shop.example"), Some("shop.example")),
            (Some("https://"), Some("shop.example")),
            (Some("https:///path"), Some("shop.example")),
            (Some("https://shop.example"), Some("")),
            (Some("https://"), Some("")),
            (Some("ftp://shop.example"), Some("shop.example")),
            (Some("javascript://shop.example"), Some("shop.example")),
        ] {
            assert!(!same_origin(origin, host), "{origin:?} on {host:?}");
        }
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        assert_eq!(
            cookie_value("retour_session=abc", SESSION_COOKIE),
            Some("abc")
        );
        assert_eq!(
            cookie_value("theme=dark; retour_session=abc; lang=fr", SESSION_COOKIE),
            Some("abc")
        );
        assert_eq!(
            cookie_value("theme=dark;retour_session=abc", SESSION_COOKIE),
            Some("abc")
        );
        assert_eq!(
            cookie_value(
                "xretour_session=abc; retour_session_old=def",
                SESSION_COOKIE
            ),
            None
        );
        assert_eq!(cookie_value("retour_session", SESSION_COOKIE), None);
        assert_eq!(cookie_value("", SESSION_COOKIE), None);
        assert_eq!(cookie_value("retour_session=", SESSION_COOKIE), Some(""));
    }

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_outside_local_development() {
        assert_eq!(
            session_cookie("tok", 1_209_600, true),
            "retour_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600; Secure"
        );
        assert_eq!(
            session_cookie("tok", 1_209_600, false),
            "retour_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600"
        );
        assert_eq!(
            session_cookie("", 0, true),
            "retour_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        );
    }
}
