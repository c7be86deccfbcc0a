//! Withdrawal statements: written once with their request, read by the shopper's receipt,
//! the status page and the back-office. There is no update: the record is what was received.

use sqlx::Row;

use super::{Db, Tx};
use crate::domain::withdrawal::Statement;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRecord {
    pub return_id: String,
    pub shop_id: String,
    pub statement: Statement,
    /// The statement in the consumer's language, exactly as acknowledged.
    pub text: String,
}

pub async fn insert_statement(tx: &mut Tx<'_>, record: &StatementRecord) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO withdrawal_statements (return_id, shop_id, consumer_name, email, statement_json, statement_text, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&record.return_id)
    .bind(&record.shop_id)
    .bind(&record.statement.consumer_name)
    .bind(&record.statement.email)
    .bind(serde_json::to_string(&record.statement).unwrap_or_default())
    .bind(&record.text)
    .bind(record.statement.received_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The statement of request `return_id`, if it is a withdrawal of shop `shop_id`.
pub async fn find_statement(
    db: &Db,
    shop_id: &str,
    return_id: &str,
) -> Result<Option<StatementRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT return_id, shop_id, statement_json, statement_text FROM withdrawal_statements \
         WHERE shop_id = $1 AND return_id = $2",
    )
    .bind(shop_id)
    .bind(return_id)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(StatementRecord {
            return_id: row.try_get("return_id")?,
            shop_id: row.try_get("shop_id")?,
            statement: serde_json::from_str(&row.try_get::<String, _>("statement_json")?)
                .map_err(|e| sqlx::Error::ColumnDecode {
                    index: "statement_json".into(),
                    source: e.into(),
                })?,
            text: row.try_get("statement_text")?,
        })
    })
    .transpose()
}

/// How many withdrawal statements an order has received (tests check that a double click
/// records one).
pub async fn count_for_order(db: &Db, order_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM withdrawal_statements s JOIN return_requests r ON r.id = s.return_id \
         WHERE r.order_id = $1",
    )
    .bind(order_id)
    .fetch_one(db)
    .await?
    .try_get("n")
}
