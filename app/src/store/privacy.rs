//! Shopper data on its way out: photos and comments past their retention, and everything one
//! shopper email has left in a shop, to export or to erase.

use sqlx::{Column, Row};

use super::{Db, Tx};

/// Statuses whose requests are over (see `domain::privacy::is_closed`).
const CLOSED: &str = "('rejected', 'settled', 'cancelled', 'expired')";

/// An item of a closed request that still holds a photo or a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub item_id: String,
    pub return_id: String,
    pub status: String,
    pub photo_id: Option<String>,
}

/// Items of shop `shop_id` whose request closed at or before `cutoff` and that still hold a
/// photo or a comment.
pub async fn items_due(db: &Db, shop_id: &str, cutoff: i64) -> Result<Vec<DueItem>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT i.id, i.return_id, r.status, i.photo_id FROM return_items i \
         JOIN return_requests r ON r.id = i.return_id \
         WHERE r.shop_id = $1 AND r.status IN {CLOSED} AND r.updated_at <= $2 \
         AND (i.photo_id IS NOT NULL OR i.comment <> '') ORDER BY i.return_id, i.id"
    ))
    .bind(shop_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DueItem {
                item_id: row.try_get("id")?,
                return_id: row.try_get("return_id")?,
                status: row.try_get("status")?,
                photo_id: row.try_get("photo_id")?,
            })
        })
        .collect()
}

/// Every shop's id with its privacy settings' JSON.
pub async fn shops(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, privacy_json FROM shops ORDER BY id")
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("privacy_json")?)))
        .collect()
}

/// Forgets an item's photo and comment; the item itself (what, how many) stays for accounts.
pub async fn clear_item(tx: &mut Tx<'_>, item_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE return_items SET photo_id = NULL, comment = '' WHERE id = $1")
        .bind(item_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a photo's row; returns its two storage keys for the files to go too.
pub async fn delete_photo(
    tx: &mut Tx<'_>,
    photo_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT storage_key, thumb_key FROM photos WHERE id = $1")
        .bind(photo_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let keys = (row.try_get("storage_key")?, row.try_get("thumb_key")?);
    sqlx::query("DELETE FROM photos WHERE id = $1")
        .bind(photo_id)
        .execute(&mut **tx)
        .await?;
    Ok(Some(keys))
}

/// Photos uploaded before `cutoff` that no request uses: wizards left before submitting.
pub async fn abandoned_photos(db: &Db, cutoff: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id FROM photos p WHERE p.created_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM return_items i WHERE i.photo_id = p.id) ORDER BY p.id",
    )
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    rows.iter().map(|row| row.try_get("id")).collect()
}

// ---------------------------------------------------------------------------------------------
// One shopper's data
// ---------------------------------------------------------------------------------------------

/// The orders of shop `shop_id` placed with `email`, and the requests of those orders.
pub async fn shopper_ids(
    db: &Db,
    shop_id: &str,
    email: &str,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let orders: Vec<String> =
        sqlx::query("SELECT id FROM orders WHERE shop_id = $1 AND email = $2 ORDER BY id")
            .bind(shop_id)
            .bind(email)
            .fetch_all(db)
            .await?
            .iter()
            .map(|row| row.try_get("id"))
            .collect::<Result<_, _>>()?;
    let mut returns = Vec::new();
    for order in &orders {
        let rows = sqlx::query("SELECT id FROM return_requests WHERE order_id = $1 ORDER BY id")
            .bind(order)
            .fetch_all(db)
            .await?;
        for row in rows {
            returns.push(row.try_get("id")?);
        }
    }
    Ok((orders, returns))
}

/// The tables that hold a shopper's data, with the column that ties a row to an order or a
/// request. The export reads every column of each, so a column added later is exported too.
pub const SHOPPER_TABLES: &[(&str, Link)] = &[
    ("orders", Link::Order("id")),
    ("order_lines", Link::Order("order_id")),
    ("photos", Link::Order("order_id")),
    ("return_requests", Link::Order("order_id")),
    ("return_items", Link::Return("return_id")),
    ("return_status_history", Link::Return("return_id")),
    ("staff_notes", Link::Return("return_id")),
    ("outbox_messages", Link::Return("return_id")),
    ("withdrawal_statements", Link::Return("return_id")),
    ("payments", Link::Return("return_id")),
    ("credit_notes", Link::Return("return_id")),
];

#[derive(Debug, Clone, Copy)]
pub enum Link {
    Order(&'static str),
    Return(&'static str),
}

/// Every row of `table` tied to the given orders or requests, as JSON objects of all columns.
pub async fn rows_of(
    db: &Db,
    table: &str,
    link: Link,
    orders: &[String],
    returns: &[String],
) -> Result<Vec<serde_json::Value>, sqlx::Error> {
    let (column, ids) = match link {
        Link::Order(column) => (column, orders),
        Link::Return(column) => (column, returns),
    };
    let mut out = Vec::new();
    for id in ids {
        let rows = sqlx::query(&format!("SELECT * FROM {table} WHERE {column} = $1"))
            .bind(id)
            .fetch_all(db)
            .await?;
        for row in &rows {
            out.push(row_json(row));
        }
    }
    Ok(out)
}

/// A row as a JSON object: integers as numbers, text as strings, NULL as null.
fn row_json(row: &sqlx::any::AnyRow) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for column in row.columns() {
        let index = column.ordinal();
        let value = match row.try_get::<Option<i64>, _>(index) {
            Ok(number) => number.map_or(serde_json::Value::Null, serde_json::Value::from),
            Err(_) => row
                .try_get::<Option<String>, _>(index)
                .ok()
                .flatten()
                .map_or(serde_json::Value::Null, serde_json::Value::from),
        };
        object.insert(column.name().to_owned(), value);
    }
    serde_json::Value::Object(object)
}

/// Blanks every personal field of the given orders (each with the placeholder its email
/// becomes) and requests. Amounts, items, statuses and credit notes stay: the shop's accounts
/// need them.
pub async fn erase(
    tx: &mut Tx<'_>,
    orders: &[(String, String)],
    returns: &[String],
) -> Result<(), sqlx::Error> {
    for (order, placeholder) in orders {
        sqlx::query("UPDATE orders SET email = $2, customer_name = '', shipping_address_json = '' WHERE id = $1")
            .bind(order)
            .bind(placeholder)
            .execute(&mut **tx)
            .await?;
    }
    for id in returns {
        for sql in [
            "UPDATE return_items SET comment = '', photo_id = NULL WHERE return_id = $1",
            "UPDATE return_requests SET decision_note = '' WHERE id = $1",
            "UPDATE return_status_history SET note = '' WHERE return_id = $1",
            "UPDATE staff_notes SET body = '' WHERE return_id = $1",
            "UPDATE outbox_messages SET recipient = '', subject = '', body = '' WHERE return_id = $1",
            "UPDATE withdrawal_statements SET consumer_name = '', email = '', statement_json = '{}', statement_text = '' WHERE return_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Drops the API's kept answers (idempotency replays, a day at most) that name the email:
/// an erased shopper must not come back through a replay.
pub async fn forget_api_answers(
    tx: &mut Tx<'_>,
    shop_id: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_idempotency WHERE shop_id = $1 AND LOWER(response_body) LIKE $2")
        .bind(shop_id)
        .bind(format!("%{}%", email.to_lowercase()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The photos of the given orders, to delete with their files.
pub async fn photos_of(db: &Db, orders: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut ids = Vec::new();
    for order in orders {
        for row in sqlx::query("SELECT id FROM photos WHERE order_id = $1")
            .bind(order)
            .fetch_all(db)
            .await?
        {
            ids.push(row.try_get("id")?);
        }
    }
    Ok(ids)
}
