//! Return fee payments and the provider events already handled.

use sqlx::Row;

use super::{Db, Tx};
use crate::domain::{fee::PaymentStatus, Currency, Money};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: String,
    pub shop_id: String,
    pub return_id: String,
    pub provider: String,
    pub amount: Money,
    pub status: PaymentStatus,
    pub session_id: String,
    pub checkout_url: String,
    pub payment_ref: String,
    pub refund_ref: String,
    pub last_error: String,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub refunded_at: Option<i64>,
}

const COLUMNS: &str =
    "id, shop_id, return_id, provider, amount_minor, currency, status, session_id, checkout_url, \
    payment_ref, refund_ref, last_error, created_at, paid_at, refunded_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<PaymentRecord, sqlx::Error> {
    let decode = |column: &str, e: String| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: e.into(),
    };
    let currency = Currency::parse(&row.try_get::<String, _>("currency")?)
        .map_err(|e| decode("currency", e))?;
    let status = row.try_get::<String, _>("status")?;
    Ok(PaymentRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        return_id: row.try_get("return_id")?,
        provider: row.try_get("provider")?,
        amount: Money::new(row.try_get("amount_minor")?, currency),
        status: PaymentStatus::parse(&status).ok_or_else(|| decode("status", status))?,
        session_id: row.try_get("session_id")?,
        checkout_url: row.try_get("checkout_url")?,
        payment_ref: row.try_get("payment_ref")?,
        refund_ref: row.try_get("refund_ref")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        paid_at: row.try_get("paid_at")?,
        refunded_at: row.try_get("refunded_at")?,
    })
}

pub async fn insert_payment(tx: &mut Tx<'_>, payment: &PaymentRecord) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO payments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&payment.id)
    .bind(&payment.shop_id)
    .bind(&payment.return_id)
    .bind(&payment.provider)
    .bind(payment.amount.minor)
    .bind(payment.amount.currency.code().to_owned())
    .bind(payment.status.as_str())
    .bind(&payment.session_id)
    .bind(&payment.checkout_url)
    .bind(&payment.payment_ref)
    .bind(&payment.refund_ref)
    .bind(&payment.last_error)
    .bind(payment.created_at)
    .bind(payment.paid_at)
    .bind(payment.refunded_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn find_payment(db: &Db, id: &str) -> Result<Option<PaymentRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn payment_for_return(
    db: &Db,
    return_id: &str,
) -> Result<Option<PaymentRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payments WHERE return_id = $1"
    ))
    .bind(return_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn payment_for_session(
    db: &Db,
    provider: &str,
    session_id: &str,
) -> Result<Option<PaymentRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payments WHERE provider = $1 AND session_id = $2"
    ))
    .bind(provider)
    .bind(session_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Records the provider's checkout the first time one is opened; a second opening (two
/// tabs) keeps the first, which the provider returned again for the same idempotency key.
pub async fn set_checkout(
    db: &Db,
    id: &str,
    session_id: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET session_id = $1, checkout_url = $2, last_error = '' WHERE id = $3 AND session_id = ''")
        .bind(session_id)
        .bind(url)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_error(db: &Db, id: &str, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Moves a payment from `from` to `to` if nobody moved it first (compare-and-set); `false`
/// when someone did, and nothing is written. `payment_ref` and `refund_ref` are kept when
/// given empty; the times are set when given.
pub struct PaymentChange<'a> {
    pub from: PaymentStatus,
    pub to: PaymentStatus,
    pub payment_ref: &'a str,
    pub refund_ref: &'a str,
    pub paid_at: Option<i64>,
    pub refunded_at: Option<i64>,
}

impl PaymentChange<'static> {
    /// A move that records nothing else.
    pub fn plain(from: PaymentStatus, to: PaymentStatus) -> PaymentChange<'static> {
        PaymentChange {
            from,
            to,
            payment_ref: "",
            refund_ref: "",
            paid_at: None,
            refunded_at: None,
        }
    }
}

pub async fn change_payment(
    tx: &mut Tx<'_>,
    id: &str,
    change: PaymentChange<'_>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE payments SET status = $1, \
         payment_ref = CASE WHEN $2 = '' THEN payment_ref ELSE $2 END, \
         refund_ref = CASE WHEN $3 = '' THEN refund_ref ELSE $3 END, \
         paid_at = COALESCE($4, paid_at), refunded_at = COALESCE($5, refunded_at), last_error = '' \
         WHERE id = $6 AND status = $7",
    )
    .bind(change.to.as_str())
    .bind(change.payment_ref)
    .bind(change.refund_ref)
    .bind(change.paid_at)
    .bind(change.refunded_at)
    .bind(id)
    .bind(change.from.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Payments whose refund is owed and not yet confirmed, oldest first.
pub async fn refunds_due(db: &Db) -> Result<Vec<PaymentRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payments WHERE status = $1 ORDER BY created_at, id"
    ))
    .bind(PaymentStatus::RefundDue.as_str())
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Requests still waiting for their fee that were made before `created_before`.
pub async fn unpaid_before(
    db: &Db,
    created_before: i64,
) -> Result<Vec<PaymentRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payments WHERE status = $1 AND created_at < $2 ORDER BY created_at, id"
    ))
    .bind(PaymentStatus::Pending.as_str())
    .bind(created_before)
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn event_seen(db: &Db, provider: &str, event_id: &str) -> Result<bool, sqlx::Error> {
    let seen: Option<i64> = sqlx::query_scalar(
        "SELECT received_at FROM payment_events WHERE provider = $1 AND event_id = $2",
    )
    .bind(provider)
    .bind(event_id)
    .fetch_optional(db)
    .await?;
    Ok(seen.is_some())
}

/// Remembers a provider event; `false` when it was already handled (a replay).
pub async fn record_event(
    db: &Db,
    provider: &str,
    event_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO payment_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The fee owed, and whether the shopper chose to have it kept out of the refund.
pub async fn set_request_fee(
    tx: &mut Tx<'_>,
    return_id: &str,
    fee: Money,
    deducted: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE return_requests SET fee_minor = $1, fee_deducted = $2 WHERE id = $3")
        .bind(fee.minor)
        .bind(i64::from(deducted))
        .bind(return_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
