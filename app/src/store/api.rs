//! The integration API's own tables (keys, idempotency) and the lists it pages through.

use sqlx::Row;

use super::{backoffice::parse_column, is_unique_violation, Db};
use crate::domain::{page::Cursor, ReturnStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    pub id: String,
    pub shop_id: String,
    pub name: String,
    pub secret_hash: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const KEY_COLUMNS: &str =
    "id, shop_id, name, secret_hash, created_by, created_at, last_used_at, revoked_at";

fn key_from_row(row: &sqlx::any::AnyRow) -> Result<ApiKeyRecord, sqlx::Error> {
    Ok(ApiKeyRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        name: row.try_get("name")?,
        secret_hash: row.try_get("secret_hash")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub async fn insert_api_key(db: &Db, key: &ApiKeyRecord) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO api_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)"
    ))
    .bind(&key.id)
    .bind(&key.shop_id)
    .bind(&key.name)
    .bind(&key.secret_hash)
    .bind(&key.created_by)
    .bind(key.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The shop's keys, newest first, revoked ones included (they stay listed as revoked).
pub async fn api_keys(db: &Db, shop_id: &str) -> Result<Vec<ApiKeyRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys WHERE shop_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(shop_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(key_from_row).collect()
}

/// A key by its id, whatever its shop: the id comes from the presented key itself.
pub async fn find_api_key(db: &Db, id: &str) -> Result<Option<ApiKeyRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(key_from_row).transpose()
}

/// False when the shop has no such key or it was already revoked.
pub async fn revoke_api_key(
    db: &Db,
    shop_id: &str,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE shop_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(shop_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a use, at most once a minute per key: a busy integration does not turn every
/// read into a write.
pub async fn touch_api_key(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
    )
    .bind(now)
    .bind(id)
    .bind(now - 60)
    .execute(db)
    .await?;
    Ok(())
}

/// What an `Idempotency-Key` finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// First use: the caller runs the request, then `finish_idempotency` or `release_idempotency`.
    New,
    /// Answered before: the same status and body are sent again.
    Replay { status: u16, body: String },
    /// The first request with this key is still running.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

/// Keys are kept a day; after that the same key starts afresh.
pub const IDEMPOTENCY_TTL_SECS: i64 = 24 * 3600;

pub async fn claim_idempotency(
    db: &Db,
    shop_id: &str,
    key: &str,
    request_hash: &str,
    now: i64,
) -> Result<IdempotencyClaim, sqlx::Error> {
    sqlx::query("DELETE FROM api_idempotency WHERE shop_id = $1 AND idempotency_key = $2 AND created_at < $3")
        .bind(shop_id)
        .bind(key)
        .bind(now - IDEMPOTENCY_TTL_SECS)
        .execute(db)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO api_idempotency (shop_id, idempotency_key, request_hash, status_code, created_at) VALUES ($1, $2, $3, NULL, $4)",
    )
    .bind(shop_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(db)
    .await;
    match inserted {
        Ok(_) => return Ok(IdempotencyClaim::New),
        Err(error) if is_unique_violation(&error) => {}
        Err(error) => return Err(error),
    }
    let row = sqlx::query("SELECT request_hash, status_code, response_body FROM api_idempotency WHERE shop_id = $1 AND idempotency_key = $2")
        .bind(shop_id)
        .bind(key)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else {
        // Released between our insert and our read: the client may simply retry.
        return Ok(IdempotencyClaim::InFlight);
    };
    if row.try_get::<String, _>("request_hash")? != request_hash {
        return Ok(IdempotencyClaim::Mismatch);
    }
    Ok(match row.try_get::<Option<i64>, _>("status_code")? {
        None => IdempotencyClaim::InFlight,
        Some(status) => IdempotencyClaim::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body: row.try_get("response_body")?,
        },
    })
}

pub async fn finish_idempotency(
    db: &Db,
    shop_id: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_idempotency SET status_code = $1, response_body = $2 WHERE shop_id = $3 AND idempotency_key = $4")
        .bind(i64::from(status))
        .bind(body)
        .bind(shop_id)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets a claim whose request failed on our side, so that a retry runs it again.
pub async fn release_idempotency(db: &Db, shop_id: &str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_idempotency WHERE shop_id = $1 AND idempotency_key = $2")
        .bind(shop_id)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// A request in the API's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnListRow {
    pub id: String,
    pub reference: String,
    pub status: ReturnStatus,
    pub kind: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub order_number: String,
    pub email: String,
    pub country: String,
    pub units: i64,
}

/// Requests by last change, oldest first, strictly after `after`.
pub async fn returns_page(
    db: &Db,
    shop_id: &str,
    status: Option<ReturnStatus>,
    updated_since: Option<i64>,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<Vec<ReturnListRow>, sqlx::Error> {
    // Unused filters bind values that match everything, so the text stays fixed.
    let (after_at, after_id) = after.map_or((-1, String::new()), |c| (c.at, c.id.clone()));
    let rows = sqlx::query(
        "SELECT r.id, r.reference, r.status, r.kind, r.version, r.created_at, r.updated_at, o.number, o.email, o.shipping_country, \
         (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM return_items i WHERE i.return_id = r.id) AS units \
         FROM return_requests r JOIN orders o ON o.id = r.order_id \
         WHERE r.shop_id = $1 AND ($2 = '' OR r.status = $2) AND r.updated_at >= $3 \
         AND (r.updated_at > $4 OR (r.updated_at = $4 AND r.id > $5)) \
         ORDER BY r.updated_at, r.id LIMIT $6",
    )
    .bind(shop_id)
    .bind(status.map_or("", |s| s.as_str()))
    .bind(updated_since.unwrap_or(i64::MIN))
    .bind(after_at)
    .bind(after_id)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ReturnListRow {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                status: parse_column(row, "status")?,
                kind: row.try_get("kind")?,
                version: row.try_get("version")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
                order_number: row.try_get("number")?,
                email: row.try_get("email")?,
                country: row.try_get("shipping_country")?,
                units: row.try_get("units")?,
            })
        })
        .collect()
}

/// The id of the shop's request with this reference.
/// The id and current version of the shop's request with this reference.
pub async fn return_by_reference(
    db: &Db,
    shop_id: &str,
    reference: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, version FROM return_requests WHERE shop_id = $1 AND reference = $2",
    )
    .bind(shop_id)
    .bind(reference)
    .fetch_optional(db)
    .await?;
    row.map(|row| Ok((row.try_get("id")?, row.try_get("version")?)))
        .transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMovementRow {
    pub id: String,
    pub sku: String,
    pub quantity: i64,
    pub return_reference: String,
    pub at: i64,
}

/// Units put back into stock, oldest first, strictly after `after`.
pub async fn stock_movements_page(
    db: &Db,
    shop_id: &str,
    since: Option<i64>,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<Vec<StockMovementRow>, sqlx::Error> {
    let (after_at, after_id) = after.map_or((-1, String::new()), |c| (c.at, c.id.clone()));
    let rows = sqlx::query(
        "SELECT m.id, m.sku, m.quantity, r.reference, m.at FROM stock_movements m \
         JOIN return_requests r ON r.id = m.return_id \
         WHERE m.shop_id = $1 AND m.at >= $2 AND (m.at > $3 OR (m.at = $3 AND m.id > $4)) \
         ORDER BY m.at, m.id LIMIT $5",
    )
    .bind(shop_id)
    .bind(since.unwrap_or(i64::MIN))
    .bind(after_at)
    .bind(after_id)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StockMovementRow {
                id: row.try_get("id")?,
                sku: row.try_get("sku")?,
                quantity: row.try_get("quantity")?,
                return_reference: row.try_get("reference")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
}
