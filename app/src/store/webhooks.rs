//! Webhook endpoints, the history lines still to announce, and the deliveries.

use sqlx::Row;

use super::{Db, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    pub id: String,
    pub shop_id: String,
    pub url: String,
    /// Event names, e.g. `return.created`.
    pub events: Vec<String>,
    pub created_by: String,
    pub created_at: i64,
}

fn endpoint_from_row(row: &sqlx::any::AnyRow) -> Result<EndpointRecord, sqlx::Error> {
    Ok(EndpointRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        url: row.try_get("url")?,
        events: row
            .try_get::<String, _>("events")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

pub async fn insert_endpoint(db: &Db, endpoint: &EndpointRecord) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO webhook_endpoints (id, shop_id, url, events, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&endpoint.id)
        .bind(&endpoint.shop_id)
        .bind(&endpoint.url)
        .bind(endpoint.events.join(" "))
        .bind(&endpoint.created_by)
        .bind(endpoint.created_at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn endpoints(db: &Db, shop_id: &str) -> Result<Vec<EndpointRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, shop_id, url, events, created_by, created_at FROM webhook_endpoints WHERE shop_id = $1 ORDER BY created_at, id")
        .bind(shop_id)
        .fetch_all(db)
        .await?;
    rows.iter().map(endpoint_from_row).collect()
}

/// Every shop's endpoints, for turning history lines into deliveries.
/// Takes the pool or a transaction's connection: announcing reads them in its transaction,
/// delivering reads them as they are.
pub async fn all_endpoints<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
) -> Result<Vec<EndpointRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, shop_id, url, events, created_by, created_at FROM webhook_endpoints ORDER BY created_at, id")
        .fetch_all(db)
        .await?;
    rows.iter().map(endpoint_from_row).collect()
}

/// Removes the endpoint; its deliveries not yet made are dropped with it.
pub async fn delete_endpoint(db: &Db, shop_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE shop_id = $1 AND id = $2")
        .bind(shop_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 1 {
        sqlx::query("UPDATE webhook_deliveries SET status = 'failed', last_response = 'endpoint deleted' WHERE endpoint_id = $1 AND status = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(deleted.rows_affected() == 1)
}

/// A history line not yet announced, with what its payload needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub id: String,
    pub shop_id: String,
    pub return_id: String,
    pub reference: String,
    pub kind: String,
    pub order_number: String,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub at: i64,
}

/// The oldest lines still to announce, in the order they were written.
pub async fn unannounced(tx: &mut Tx<'_>, limit: i64) -> Result<Vec<HistoryLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT h.id, r.shop_id, h.return_id, r.reference, r.kind, o.number, h.event, h.from_status, h.to_status, h.actor, h.at \
         FROM return_status_history h JOIN return_requests r ON r.id = h.return_id JOIN orders o ON o.id = r.order_id \
         WHERE h.webhooks_done = 0 ORDER BY h.at, h.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(HistoryLine {
                id: row.try_get("id")?,
                shop_id: row.try_get("shop_id")?,
                return_id: row.try_get("return_id")?,
                reference: row.try_get("reference")?,
                kind: row.try_get("kind")?,
                order_number: row.try_get("number")?,
                event: row.try_get("event")?,
                from_status: row.try_get("from_status")?,
                to_status: row.try_get("to_status")?,
                actor: row.try_get("actor")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
}

/// False when another worker announced the line first (it then owns its deliveries).
pub async fn mark_announced(tx: &mut Tx<'_>, history_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE return_status_history SET webhooks_done = 1 WHERE id = $1 AND webhooks_done = 0")
        .bind(history_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: String,
    pub shop_id: String,
    pub endpoint_id: String,
    pub return_id: Option<String>,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub first_attempt_at: Option<i64>,
    pub last_response: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "id, shop_id, endpoint_id, return_id, event, payload, status, attempts, next_attempt_at, first_attempt_at, last_response, created_at, delivered_at";

fn delivery_from_row(row: &sqlx::any::AnyRow) -> Result<DeliveryRecord, sqlx::Error> {
    Ok(DeliveryRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        endpoint_id: row.try_get("endpoint_id")?,
        return_id: row.try_get("return_id")?,
        event: row.try_get("event")?,
        payload: row.try_get("payload")?,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        first_attempt_at: row.try_get("first_attempt_at")?,
        last_response: row.try_get("last_response")?,
        created_at: row.try_get("created_at")?,
        delivered_at: row.try_get("delivered_at")?,
    })
}

pub async fn insert_delivery(tx: &mut Tx<'_>, delivery: &DeliveryRecord) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(&delivery.id)
    .bind(&delivery.shop_id)
    .bind(&delivery.endpoint_id)
    .bind(&delivery.return_id)
    .bind(&delivery.event)
    .bind(&delivery.payload)
    .bind(&delivery.status)
    .bind(delivery.attempts)
    .bind(delivery.next_attempt_at)
    .bind(delivery.first_attempt_at)
    .bind(&delivery.last_response)
    .bind(delivery.created_at)
    .bind(delivery.delivered_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Pending deliveries due at `now` with no earlier pending delivery of the same request to
/// the same endpoint: each request's events arrive in order.
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<DeliveryRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id AND e.return_id = d.return_id \
         AND e.status = 'pending' AND e.id < d.id) ORDER BY d.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(delivery_from_row).collect()
}

/// Takes a due delivery for one attempt (moves it out of reach until `lease_until`); false
/// when another worker took it first.
pub async fn claim(db: &Db, id: &str, now: i64, lease_until: i64) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $1, first_attempt_at = COALESCE(first_attempt_at, $2) \
         WHERE id = $3 AND status = 'pending' AND next_attempt_at <= $2",
    )
    .bind(lease_until)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn mark_delivered(db: &Db, id: &str, response: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $1, last_response = $2 WHERE id = $3")
        .bind(now)
        .bind(response)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A failed attempt: due again at `retry_at`, or given up when `None`.
pub async fn mark_failed_attempt(
    db: &Db,
    id: &str,
    response: &str,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let response: String = response.chars().take(300).collect();
    let query = match retry_at {
        Some(at) => sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = $1, last_response = $2 WHERE id = $3").bind(at),
        None => sqlx::query("UPDATE webhook_deliveries SET status = 'failed', last_response = $1 WHERE id = $2"),
    };
    query.bind(response).bind(id).execute(db).await?;
    Ok(())
}

/// The shop's latest deliveries, newest first.
pub async fn deliveries(db: &Db, shop_id: &str, limit: i64) -> Result<Vec<DeliveryRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE shop_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(shop_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(delivery_from_row).collect()
}

/// Sends a delivery again (delivered or given up): due now, with a fresh day of retries.
pub async fn redeliver(db: &Db, shop_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = $1 \
         WHERE shop_id = $2 AND id = $3 AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE shop_id = $2)",
    )
    .bind(now)
    .bind(shop_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
