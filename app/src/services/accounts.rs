//! Merchant accounts: users with argon2id password hashes, sign-in with a rate limit and
//! the same answer for a wrong email or a wrong password, and sessions whose tokens the
//! database only knows by their SHA-256.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

use super::{demo, new_id, rate_limit::AttemptPolicy, AppState, ServiceError};
use crate::{
    domain::{shop::Shop, EmailAddress, Merchant, Role},
    dto::MerchantView,
    store::{self, accounts::NewMerchantUser, is_unique_violation},
};

/// How long a session lasts after signing in (the cookie's Max-Age says the same).
pub const SESSION_TTL_SECS: i64 = 14 * 24 * 60 * 60;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Failed sign-ins per email and client before a pause.
pub const LOGIN_POLICY: AttemptPolicy = AttemptPolicy {
    max_failures: 5,
    window_secs: 15 * 60,
    max_clients: 100_000,
};

/// Slugs the server's own routes use: a shop there would never be reached.
pub const RESERVED_SLUGS: [&str; 6] = ["admin", "api", "pkg", "photos", "healthz", "favicon.svg"];

/// An argon2id hash (default parameters) of a password nobody knows. Sign-ins with an
/// unknown email are checked against it, so they take as long as a wrong password.
const DUMMY_PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$jFst9hHt/cnCwOrf984ftg$vA51WwDAoPXkt4Ao2nxzgqb0KN/JSbvaJ1IFxed0kdA";

pub fn check_password_policy(password: &str) -> Result<(), ServiceError> {
    match password.chars().count() {
        n if n < MIN_PASSWORD_CHARS => Err(ServiceError::Invalid("account.password_too_short")),
        n if n > MAX_PASSWORD_CHARS => Err(ServiceError::Invalid("account.password_too_long")),
        _ => Ok(()),
    }
}

/// A shop's slug as it appears in the portal's address: lower case letters, digits and
/// inner dashes, not one of the server's own routes.
pub fn parse_shop_slug(raw: &str) -> Result<String, ServiceError> {
    let slug = raw.trim().to_lowercase();
    if RESERVED_SLUGS.contains(&slug.as_str()) {
        return Err(ServiceError::Invalid("shop.slug_reserved"));
    }
    let well_formed = (1..=64).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !well_formed {
        return Err(ServiceError::Invalid("shop.slug_invalid"));
    }
    Ok(slug)
}

pub fn parse_shop_name(raw: &str) -> Result<String, ServiceError> {
    let name = raw.trim();
    match name.chars().count() {
        1..=120 => Ok(name.to_owned()),
        _ => Err(ServiceError::Invalid("shop.name_invalid")),
    }
}

/// Argon2id with the crate's default parameters, as a PHC string. Slow on purpose: runs
/// on the blocking pool.
async fn hash_password(password: &str) -> Result<String, ServiceError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|_| ServiceError::Internal("password salt"))?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|_| ServiceError::Internal("password hash"))?;
        Ok(hash.to_string())
    })
    .await
    .map_err(|_| ServiceError::Internal("password hashing task"))?
}

/// Whether `password` matches the PHC string `stored`; a malformed hash matches nothing.
pub fn password_matches(password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        tracing::error!("a stored password hash is not a PHC string");
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

/// Checks against the dummy hash when there is no user, so every miss costs the same.
async fn verify_password(password: &str, stored: Option<String>) -> Result<bool, ServiceError> {
    let too_long = password.chars().count() > MAX_PASSWORD_CHARS;
    let candidate = if too_long {
        String::new()
    } else {
        password.to_owned()
    };
    tokio::task::spawn_blocking(move || {
        let matches =
            password_matches(&candidate, stored.as_deref().unwrap_or(DUMMY_PASSWORD_HASH));
        matches && stored.is_some() && !too_long
    })
    .await
    .map_err(|_| ServiceError::Internal("password check task"))
}

/// What the session cookie carries: 32 random bytes, base64url.
fn new_session_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// What the database keeps of a session token: its SHA-256, hex.
pub fn session_token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn email_taken(error: sqlx::Error) -> ServiceError {
    if is_unique_violation(&error) {
        ServiceError::Invalid("account.email_taken")
    } else {
        error.into()
    }
}

/// A new user of an existing shop. Emails are unique across all shops.
pub async fn create_user(
    state: &AppState,
    shop_id: &str,
    email: &str,
    password: &str,
    role: Role,
    now: i64,
) -> Result<Merchant, ServiceError> {
    let email = EmailAddress::parse(email)?;
    check_password_policy(password)?;
    store::shops::find_shop_by_id(&state.db, shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let password_hash = hash_password(password).await?;
    let merchant = Merchant {
        user_id: new_id(),
        shop_id: shop_id.to_owned(),
        email: email.as_str().to_owned(),
        role,
    };
    let user = NewMerchantUser {
        id: &merchant.user_id,
        shop_id,
        email: &email,
        password_hash: &password_hash,
        role,
        created_at: now,
    };
    store::accounts::insert_user(&state.db, &user)
        .await
        .map_err(email_taken)?;
    Ok(merchant)
}

/// A shop with the usual defaults (see `demo::starter_shop`) and its first owner, both or
/// neither.
pub async fn create_shop(
    state: &AppState,
    slug: &str,
    name: &str,
    owner_email: &str,
    owner_password: &str,
    now: i64,
) -> Result<(Shop, Merchant), ServiceError> {
    let shop = demo::starter_shop(new_id(), parse_shop_slug(slug)?, parse_shop_name(name)?);
    let email = EmailAddress::parse(owner_email)?;
    check_password_policy(owner_password)?;
    let password_hash = hash_password(owner_password).await?;
    let owner = Merchant {
        user_id: new_id(),
        shop_id: shop.id.clone(),
        email: email.as_str().to_owned(),
        role: Role::Owner,
    };
    let user = NewMerchantUser {
        id: &owner.user_id,
        shop_id: &shop.id,
        email: &email,
        password_hash: &password_hash,
        role: Role::Owner,
        created_at: now,
    };
    let mut tx = state.db.begin().await?;
    store::shops::insert_shop(&mut *tx, &shop, now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                ServiceError::Invalid("shop.slug_taken")
            } else {
                e.into()
            }
        })?;
    store::accounts::insert_user(&mut *tx, &user)
        .await
        .map_err(email_taken)?;
    tx.commit().await?;
    Ok((shop, owner))
}

/// Signs a merchant in and opens a session; gives back the session's token. A wrong email
/// and a wrong password get the same answer after the same work. `client` identifies the
/// caller (its IP address) for the attempt limit, which counts per email and client.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: &str,
    now: i64,
) -> Result<(String, Merchant), ServiceError> {
    let email = EmailAddress::parse(email).ok();
    let limiter_key = format!(
        "{}|{client}",
        email.as_ref().map_or("", EmailAddress::as_str)
    );
    state
        .login_limiter
        .check(&limiter_key, now)
        .map_err(|retry_after_secs| ServiceError::TooManyAttempts { retry_after_secs })?;
    let user = match &email {
        Some(email) => store::accounts::find_user_by_email(&state.db, email).await?,
        None => None,
    };
    let password_ok =
        verify_password(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let Some(user) = user.filter(|_| password_ok) else {
        state.login_limiter.record_failure(&limiter_key, now);
        return Err(ServiceError::Unauthorized);
    };
    state.login_limiter.record_success(&limiter_key);
    // Sign-ins are rare: a good moment to forget sessions nobody can use any more.
    store::accounts::delete_expired_sessions(&state.db, now).await?;
    let token = new_session_token();
    store::accounts::insert_session(
        &state.db,
        &session_token_hash(&token),
        &user.merchant.user_id,
        now,
        now + SESSION_TTL_SECS,
    )
    .await?;
    Ok((token, user.merchant))
}

/// The merchant a session token belongs to, while the session lasts.
pub async fn merchant_from_session(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Merchant, ServiceError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ServiceError::Unauthorized);
    }
    store::accounts::find_live_session(&state.db, &session_token_hash(token), now)
        .await?
        .ok_or(ServiceError::Unauthorized)
}

/// Ends the session; signing out twice is not an error.
pub async fn logout(state: &AppState, token: &str) -> Result<(), ServiceError> {
    store::accounts::delete_session(&state.db, &session_token_hash(token)).await?;
    Ok(())
}

/// Who is signed in, for the back-office's header.
pub async fn merchant_view(
    state: &AppState,
    merchant: &Merchant,
) -> Result<MerchantView, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(MerchantView {
        email: merchant.email.clone(),
        role: merchant.role,
        shop_slug: shop.slug,
        shop_name: shop.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::Params;

    fn invalid(result: Result<impl std::fmt::Debug, ServiceError>) -> &'static str {
        match result {
            Err(ServiceError::Invalid(key)) => key,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn passwords_need_ten_to_256_characters() {
        assert_eq!(
            invalid(check_password_policy("123456789")),
            "account.password_too_short"
        );
        assert_eq!(
            invalid(check_password_policy("")),
            "account.password_too_short"
        );
        assert!(check_password_policy("1234567890").is_ok());
        assert!(
            check_password_policy(&"é".repeat(256)).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            invalid(check_password_policy(&"x".repeat(257))),
            "account.password_too_long"
        );
    }

    #[test]
    fn slugs_are_lower_case_letters_digits_and_inner_dashes() {
        assert_eq!(parse_shop_slug("  Maison-Demo2 ").unwrap(), "maison-demo2");
        for raw in [
            "",
            " ",
            "-shop",
            "shop-",
            "la boutique",
            "café",
            "shop/x",
            "shop.fr",
            &"a".repeat(65),
        ] {
            assert_eq!(
                invalid(parse_shop_slug(raw)),
                "shop.slug_invalid",
                "{raw:?}"
            );
        }
    }

    #[test]
    fn slugs_of_the_servers_own_routes_are_reserved() {
        for raw in RESERVED_SLUGS.into_iter().chain(["Admin", " API "]) {
            assert_eq!(
                invalid(parse_shop_slug(raw)),
                "shop.slug_reserved",
                "{raw:?}"
            );
        }
    }

    #[test]
    fn shop_names_are_trimmed_and_not_empty() {
        assert_eq!(parse_shop_name("  Maison Démo ").unwrap(), "Maison Démo");
        assert_eq!(invalid(parse_shop_name("   ")), "shop.name_invalid");
        assert_eq!(
            invalid(parse_shop_name(&"x".repeat(121))),
            "shop.name_invalid"
        );
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_keeps_nothing_of_the_password() {
        let hash = hash_password("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct horse battery"));
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse battery!", &hash));
        assert!(!password_matches(
            "correct horse battery",
            "not a PHC string"
        ));
        assert_ne!(
            hash,
            hash_password("correct horse battery").await.unwrap(),
            "each hash has its own salt"
        );
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_PASSWORD_HASH).unwrap();
        let params = Params::try_from(&dummy).unwrap();
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (
                Params::DEFAULT_M_COST,
                Params::DEFAULT_T_COST,
                Params::DEFAULT_P_COST
            )
        );
        assert_eq!(params.output_len(), Some(Params::DEFAULT_OUTPUT_LEN));
    }

    #[tokio::test]
    async fn an_unknown_user_or_an_overlong_password_never_matches() {
        assert!(!verify_password("", None).await.unwrap());
        assert!(!verify_password("anything at all", None).await.unwrap());
        let hash = hash_password(&"x".repeat(MAX_PASSWORD_CHARS))
            .await
            .unwrap();
        assert!(
            verify_password(&"x".repeat(MAX_PASSWORD_CHARS), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify_password(&"x".repeat(MAX_PASSWORD_CHARS + 1), Some(hash))
                .await
                .unwrap()
        );
    }

    #[test]
    fn session_tokens_are_random_and_stored_as_their_sha256() {
        let token = new_session_token();
        assert_eq!(token.len(), 43, "32 bytes in base64url without padding");
        assert_ne!(token, new_session_token());
        assert_eq!(
            session_token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(session_token_hash(&token).len(), 64);
    }
}
