use sqlx::Row;

use super::{Db, Tx};
use crate::domain::{rules::RequestKind, Locale, Resolution, ReturnEvent, ReturnMethod, ReturnStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRecord {
    pub id: String,
    pub shop_id: String,
    pub order_id: String,
    pub reference: String,
    pub status: ReturnStatus,
    pub resolution: Resolution,
    pub method: ReturnMethod,
    pub locale: Locale,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnItemRecord {
    pub id: String,
    pub order_line_id: String,
    pub quantity: u32,
    pub reason_code: String,
    pub comment: String,
    pub photo_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub from_status: Option<ReturnStatus>,
    pub to_status: ReturnStatus,
    pub event: String,
    pub actor: String,
    pub note: String,
    pub at: i64,
}

pub(super) const RETURN_COLUMNS: &str =
    "id, shop_id, order_id, reference, status, resolution, return_method, locale, created_at";

pub(super) fn return_from_row(row: &sqlx::any::AnyRow) -> Result<ReturnRecord, sqlx::Error> {
    let invalid = |column: &str, e: String| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: e.into(),
    };
    Ok(ReturnRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        order_id: row.try_get("order_id")?,
        reference: row.try_get("reference")?,
        status: row
            .try_get::<String, _>("status")?
            .parse()
            .map_err(|e| invalid("status", e))?,
        resolution: row
            .try_get::<String, _>("resolution")?
            .parse()
            .map_err(|e| invalid("resolution", e))?,
        method: row
            .try_get::<String, _>("return_method")?
            .parse()
            .map_err(|e| invalid("return_method", e))?,
        locale: Locale::from_tag(&row.try_get::<String, _>("locale")?).unwrap_or_default(),
        created_at: row.try_get("created_at")?,
    })
}

pub async fn find_by_idempotency_key(
    tx: &mut Tx<'_>,
    order_id: &str,
    key: &str,
) -> Result<Option<ReturnRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {RETURN_COLUMNS} FROM return_requests WHERE order_id = $1 AND idempotency_key = $2"
    ))
    .bind(order_id)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(return_from_row).transpose()
}

pub async fn find_by_reference(
    db: &Db,
    shop_id: &str,
    reference: &str,
) -> Result<Option<ReturnRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {RETURN_COLUMNS} FROM return_requests WHERE shop_id = $1 AND reference = $2"
    ))
    .bind(shop_id)
    .bind(reference)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(return_from_row).transpose()
}

pub struct NewReturn<'a> {
    pub record: &'a ReturnRecord,
    pub kind: RequestKind,
    pub idempotency_key: &'a str,
    pub items: &'a [ReturnItemRecord],
}

pub async fn insert_return(tx: &mut Tx<'_>, new: NewReturn<'_>) -> Result<(), sqlx::Error> {
    let r = new.record;
    sqlx::query(
        "INSERT INTO return_requests (id, shop_id, order_id, reference, status, resolution, return_method, locale, idempotency_key, created_at, updated_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
    )
    .bind(&r.id)
    .bind(&r.shop_id)
    .bind(&r.order_id)
    .bind(&r.reference)
    .bind(r.status.as_str())
    .bind(r.resolution.as_str())
    .bind(r.method.as_str())
    .bind(r.locale.code())
    .bind(new.idempotency_key)
    .bind(r.created_at)
    .bind(match new.kind {
        RequestKind::Commercial => "commercial",
        RequestKind::Withdrawal => "withdrawal",
    })
    .execute(&mut **tx)
    .await?;
    for item in new.items {
        sqlx::query(
            "INSERT INTO return_items (id, return_id, order_line_id, quantity, reason_code, comment, photo_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&item.id)
        .bind(&r.id)
        .bind(&item.order_line_id)
        .bind(i64::from(item.quantity))
        .bind(&item.reason_code)
        .bind(&item.comment)
        .bind(item.photo_id.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Moves a request from `from` to `to` only if nobody moved it meanwhile; false means
/// someone else got there first.
pub async fn update_status(
    tx: &mut Tx<'_>,
    return_id: &str,
    from: ReturnStatus,
    to: ReturnStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query("UPDATE return_requests SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(return_id)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(moved.rows_affected() == 1)
}

pub async fn insert_history(
    tx: &mut Tx<'_>,
    id: &str,
    return_id: &str,
    change: (Option<ReturnStatus>, ReturnStatus, Option<ReturnEvent>),
    actor: &str,
    note: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    let (from, to, event) = change;
    sqlx::query("INSERT INTO return_status_history (id, return_id, from_status, to_status, event, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id)
        .bind(return_id)
        .bind(from.map(|s| s.as_str()))
        .bind(to.as_str())
        .bind(event.map_or("submit", |e| e.as_str()))
        .bind(actor)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A line on the timeline that is not a status change (a fee paid or refunded): the status
/// stays as it is and the event says what happened.
pub async fn insert_note(
    tx: &mut Tx<'_>,
    id: &str,
    record: &ReturnRecord,
    event: &str,
    note: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    insert_timeline_note(tx, id, (&record.id, record.status), event, "payment", note, at).await
}

/// A line on a request's timeline by `actor` that leaves its status as it is.
pub async fn insert_timeline_note(
    tx: &mut Tx<'_>,
    id: &str,
    (return_id, status): (&str, ReturnStatus),
    event: &str,
    actor: &str,
    note: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO return_status_history (id, return_id, from_status, to_status, event, actor, note, at) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(return_id)
        .bind(status.as_str())
        .bind(event)
        .bind(actor)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn return_items(db: &Db, return_id: &str) -> Result<Vec<ReturnItemRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, order_line_id, quantity, reason_code, comment, photo_id FROM return_items WHERE return_id = $1 ORDER BY id")
        .bind(return_id)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ReturnItemRecord {
                id: row.try_get("id")?,
                order_line_id: row.try_get("order_line_id")?,
                quantity: u32::try_from(row.try_get::<i64, _>("quantity")?).unwrap_or(0),
                reason_code: row.try_get("reason_code")?,
                comment: row.try_get("comment")?,
                photo_id: row.try_get("photo_id")?,
            })
        })
        .collect()
}

pub async fn history(db: &Db, return_id: &str) -> Result<Vec<HistoryRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT from_status, to_status, event, actor, note, at FROM return_status_history WHERE return_id = $1 ORDER BY at, id")
        .bind(return_id)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            let status = |text: String| {
                text.parse::<ReturnStatus>()
                    .map_err(|e| sqlx::Error::ColumnDecode {
                        index: "status".into(),
                        source: e.into(),
                    })
            };
            Ok(HistoryRecord {
                from_status: row
                    .try_get::<Option<String>, _>("from_status")?
                    .map(status)
                    .transpose()?,
                to_status: status(row.try_get("to_status")?)?,
                event: row.try_get("event")?,
                actor: row.try_get("actor")?,
                note: row.try_get("note")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
}

/// How many return requests an order has (tests and the demo use it).
pub async fn count_returns_for_order(db: &Db, order_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM return_requests WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(db)
        .await?
        .try_get("n")
}
