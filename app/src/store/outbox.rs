//! The email outbox and the merchants' own message texts.

use sqlx::Row;

use super::{Db, Tx};
use crate::domain::{
    message::{DeliveryStatus, MessageKind, MessageText},
    Locale,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: String,
    pub shop_id: String,
    pub return_id: Option<String>,
    pub kind: MessageKind,
    pub recipient: String,
    pub locale: Locale,
    pub subject: String,
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl OutboxMessage {
    /// A new message, due at once.
    pub fn pending(
        id: String,
        shop_id: &str,
        return_id: Option<&str>,
        (kind, locale): (MessageKind, Locale),
        recipient: &str,
        text: MessageText,
        now: i64,
    ) -> OutboxMessage {
        OutboxMessage {
            id,
            shop_id: shop_id.to_owned(),
            return_id: return_id.map(str::to_owned),
            kind,
            recipient: recipient.to_owned(),
            locale,
            subject: text.subject,
            body: text.body,
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: String::new(),
            created_at: now,
            sent_at: None,
        }
    }
}

const COLUMNS: &str =
    "id, shop_id, return_id, kind, recipient, locale, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<OutboxMessage, sqlx::Error> {
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        return_id: row.try_get("return_id")?,
        kind: row
            .try_get::<String, _>("kind")?
            .parse()
            .map_err(|e: String| sqlx::Error::ColumnDecode {
                index: "kind".into(),
                source: e.into(),
            })?,
        recipient: row.try_get("recipient")?,
        locale: Locale::from_tag(&row.try_get::<String, _>("locale")?).unwrap_or_default(),
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        status: row
            .try_get::<String, _>("status")?
            .parse()
            .map_err(|e: String| sqlx::Error::ColumnDecode {
                index: "status".into(),
                source: e.into(),
            })?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

/// Queues a message inside the transaction of the change it reports.
pub async fn enqueue(tx: &mut Tx<'_>, message: &OutboxMessage) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("INSERT INTO outbox_messages ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
        .bind(&message.id)
        .bind(&message.shop_id)
        .bind(&message.return_id)
        .bind(message.kind.as_str())
        .bind(&message.recipient)
        .bind(message.locale.code())
        .bind(&message.subject)
        .bind(&message.body)
        .bind(message.status.as_str())
        .bind(i64::from(message.attempts))
        .bind(message.next_attempt_at)
        .bind(&message.last_error)
        .bind(message.created_at)
        .bind(message.sent_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ids of pending messages due at `now`, oldest first.
pub async fn due_ids(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2")
        .bind(now)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Takes a due message for one attempt: counts the attempt and moves its due time to
/// `lease_until`, so no other worker takes it meanwhile. `None` when another worker was first.
pub async fn claim(
    db: &Db,
    id: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<OutboxMessage>, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = $1 \
         WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3",
    )
    .bind(lease_until)
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    find(db, id).await
}

pub async fn find(db: &Db, id: &str) -> Result<Option<OutboxMessage>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox_messages WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn mark_sent(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_messages SET status = 'sent', sent_at = $1, last_error = '' WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt: due again at `retry_at`, or `failed` for good when `None`.
pub async fn mark_attempt_failed(
    db: &Db,
    id: &str,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let error: String = error.chars().take(500).collect();
    let query = match retry_at {
        Some(at) => sqlx::query(
            "UPDATE outbox_messages SET last_error = $1, next_attempt_at = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(at)
        .bind(id),
        None => sqlx::query(
            "UPDATE outbox_messages SET last_error = $1, status = 'failed' WHERE id = $2",
        )
        .bind(error)
        .bind(id),
    };
    query.execute(db).await?;
    Ok(())
}

/// Puts a failed message of this shop back in the queue, due now, with fresh attempts.
/// `false` when there is no such failed message.
pub async fn retry(db: &Db, shop_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = $1 \
         WHERE id = $2 AND shop_id = $3 AND status = 'failed'",
    )
    .bind(now)
    .bind(id)
    .bind(shop_id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Each listed message with its request's reference ('' for none).
const LISTED: &str = "SELECT m.id, m.shop_id, m.return_id, m.kind, m.recipient, m.locale, m.subject, m.body, m.status, m.attempts, \
     m.next_attempt_at, m.last_error, m.created_at, m.sent_at, COALESCE(r.reference, '') AS reference \
     FROM outbox_messages m LEFT JOIN return_requests r ON r.id = m.return_id";

fn listed(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<(OutboxMessage, String)>, sqlx::Error> {
    rows.iter()
        .map(|row| Ok((from_row(row)?, row.try_get("reference")?)))
        .collect()
}

/// The shop's messages with their references, failed ones first, then newest first.
pub async fn shop_messages(
    db: &Db,
    shop_id: &str,
    limit: i64,
) -> Result<Vec<(OutboxMessage, String)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{LISTED} WHERE m.shop_id = $1 \
         ORDER BY CASE m.status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, m.created_at DESC, m.id DESC LIMIT $2"
    ))
    .bind(shop_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    listed(rows)
}

pub async fn return_messages(
    db: &Db,
    return_id: &str,
) -> Result<Vec<(OutboxMessage, String)>, sqlx::Error> {
    listed(
        sqlx::query(&format!(
            "{LISTED} WHERE m.return_id = $1 ORDER BY m.created_at, m.id"
        ))
        .bind(return_id)
        .fetch_all(db)
        .await?,
    )
}

pub async fn count_failed(db: &Db, shop_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox_messages WHERE shop_id = $1 AND status = 'failed'",
    )
    .bind(shop_id)
    .fetch_one(db)
    .await
}

/// The merchant's own text for a message in a language, if they wrote one.
pub async fn message_text<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    shop_id: &str,
    kind: MessageKind,
    locale: Locale,
) -> Result<Option<MessageText>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT subject, body FROM message_texts WHERE shop_id = $1 AND kind = $2 AND locale = $3",
    )
    .bind(shop_id)
    .bind(kind.as_str())
    .bind(locale.code())
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(MessageText {
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
        })
    })
    .transpose()
}

/// All of the shop's own texts, as (kind, locale, text).
pub async fn message_texts(
    db: &Db,
    shop_id: &str,
) -> Result<Vec<(MessageKind, Locale, MessageText)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT kind, locale, subject, body FROM message_texts WHERE shop_id = $1")
            .bind(shop_id)
            .fetch_all(db)
            .await?;
    let mut texts = Vec::with_capacity(rows.len());
    for row in &rows {
        let (Ok(kind), Some(locale)) = (
            row.try_get::<String, _>("kind")?.parse::<MessageKind>(),
            Locale::from_tag(&row.try_get::<String, _>("locale")?),
        ) else {
            continue;
        };
        texts.push((
            kind,
            locale,
            MessageText {
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
            },
        ));
    }
    Ok(texts)
}

/// Saves the merchant's text for a message in a language, or removes it (back to ours).
pub async fn save_message_text(
    db: &Db,
    shop_id: &str,
    kind: MessageKind,
    locale: Locale,
    text: Option<&MessageText>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM message_texts WHERE shop_id = $1 AND kind = $2 AND locale = $3")
        .bind(shop_id)
        .bind(kind.as_str())
        .bind(locale.code())
        .execute(&mut *tx)
        .await?;
    if let Some(text) = text {
        sqlx::query("INSERT INTO message_texts (shop_id, kind, locale, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(shop_id)
            .bind(kind.as_str())
            .bind(locale.code())
            .bind(&text.subject)
            .bind(&text.body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
