//! Merchant users and their sessions. Sessions are found by the hash of their token only.

use sqlx::Row;

use super::Db;
use crate::domain::{EmailAddress, Merchant, Role};

/// A merchant user as stored, with the PHC string of the password.
pub struct NewMerchantUser<'a> {
    pub id: &'a str,
    pub shop_id: &'a str,
    pub email: &'a EmailAddress,
    pub password_hash: &'a str,
    pub role: Role,
    pub created_at: i64,
}

/// A user found for signing in: who it is and the hash to verify the password against.
pub struct StoredUser {
    pub merchant: Merchant,
    pub password_hash: String,
}

fn merchant_from_row(row: &sqlx::any::AnyRow) -> Result<Merchant, sqlx::Error> {
    let role = row.try_get::<String, _>("role")?;
    Ok(Merchant {
        user_id: row.try_get("user_id")?,
        shop_id: row.try_get("shop_id")?,
        email: row.try_get("email")?,
        role: role
            .parse()
            .map_err(|e: String| sqlx::Error::ColumnDecode {
                index: "role".into(),
                source: e.into(),
            })?,
    })
}

/// Takes the pool or a transaction's connection, so a shop and its first owner can be
/// created together. A taken email is a unique violation.
pub async fn insert_user<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user: &NewMerchantUser<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO merchant_users (id, shop_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(user.id)
        .bind(user.shop_id)
        .bind(user.email.as_str())
        .bind(user.password_hash)
        .bind(user.role.as_str())
        .bind(user.created_at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn find_user_by_email(
    db: &Db,
    email: &EmailAddress,
) -> Result<Option<StoredUser>, sqlx::Error> {
    let row = sqlx::query("SELECT id AS user_id, shop_id, email, role, password_hash FROM merchant_users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(db)
        .await?;
    row.map(|row| {
        Ok(StoredUser {
            merchant: merchant_from_row(&row)?,
            password_hash: row.try_get("password_hash")?,
        })
    })
    .transpose()
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: &str,
    created_at: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO merchant_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(created_at)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// The user behind a session that has not expired at `now`.
pub async fn find_live_session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<Merchant>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id AS user_id, u.shop_id, u.email, u.role FROM merchant_sessions s \
         JOIN merchant_users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(merchant_from_row).transpose()
}

/// False when there was no such session.
pub async fn delete_session(db: &Db, token_hash: &str) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM merchant_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// How many sessions were removed.
pub async fn delete_expired_sessions(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM merchant_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;
    Ok(deleted.rows_affected())
}
