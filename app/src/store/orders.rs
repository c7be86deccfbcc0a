use sqlx::Row;
use std::collections::HashMap;
use time::Date;

use super::{Db, Tx};
use crate::domain::{
    order_sync::StoredLine, Currency, EmailAddress, Money, Order, OrderLine, OrderNumber,
    ReturnStatus,
};

const ORDER_COLUMNS: &str =
    "id, shop_id, number, display_number, email, customer_name, shipping_country, currency, placed_on, delivered_on, shipping_address_json";

fn parse_date(text: &str) -> Result<Date, sqlx::Error> {
    Date::parse(text, &time::format_description::well_known::Iso8601::DATE).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: "date".into(),
            source: e.into(),
        }
    })
}

fn order_from_row(row: &sqlx::any::AnyRow) -> Result<Order, sqlx::Error> {
    let invalid = |column: &str| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: "invalid stored value".into(),
    };
    Ok(Order {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        number: OrderNumber::parse(&row.try_get::<String, _>("number")?)
            .map_err(|_| invalid("number"))?,
        display_number: row.try_get("display_number")?,
        email: EmailAddress::parse(&row.try_get::<String, _>("email")?)
            .map_err(|_| invalid("email"))?,
        customer_name: row.try_get("customer_name")?,
        shipping_country: row.try_get("shipping_country")?,
        currency: Currency::parse(&row.try_get::<String, _>("currency")?)
            .map_err(|_| invalid("currency"))?,
        placed_on: parse_date(&row.try_get::<String, _>("placed_on")?)?,
        delivered_on: row
            .try_get::<Option<String>, _>("delivered_on")?
            .as_deref()
            .map(parse_date)
            .transpose()?,
        shipping_address: serde_json::from_str(&row.try_get::<String, _>("shipping_address_json")?)
            .unwrap_or_default(),
    })
}

/// Both halves must match: the caller cannot tell which one was wrong.
pub async fn find_order_by_number_and_email(
    db: &Db,
    shop_id: &str,
    number: &OrderNumber,
    email: &EmailAddress,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = $1 AND number = $2 AND email = $3"
    ))
    .bind(shop_id)
    .bind(number.as_str())
    .bind(email.as_str())
    .fetch_optional(db)
    .await?;
    row.as_ref().map(order_from_row).transpose()
}

pub async fn find_order(
    db: &Db,
    shop_id: &str,
    order_id: &str,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = $1 AND id = $2"
    ))
    .bind(shop_id)
    .bind(order_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(order_from_row).transpose()
}

pub async fn order_lines(db: &Db, order: &Order) -> Result<Vec<OrderLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, sku, title, variant, quantity, unit_price_minor, discount_minor, image_url, returnable, tags, category, withdrawal_exclusion \
         FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(&order.id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OrderLine {
                id: row.try_get("id")?,
                sku: row.try_get("sku")?,
                title: row.try_get("title")?,
                variant: row.try_get("variant")?,
                quantity: u32::try_from(row.try_get::<i64, _>("quantity")?).unwrap_or(0),
                unit_price: Money::new(row.try_get("unit_price_minor")?, order.currency),
                discount: Money::new(row.try_get("discount_minor")?, order.currency),
                image_url: row.try_get("image_url")?,
                returnable: row.try_get::<i64, _>("returnable")? != 0,
                tags: row
                    .try_get::<String, _>("tags")?
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                category: Some(row.try_get::<String, _>("category")?)
                    .filter(|c| !c.trim().is_empty()),
                // An unknown word (a newer version's) reads as excluded from nothing new.
                withdrawal_exclusion: row
                    .try_get::<String, _>("withdrawal_exclusion")?
                    .parse()
                    .ok(),
            })
        })
        .collect()
}

/// Units of each line already held by return requests (see `ReturnStatus::holds_quantity`).
/// Takes any executor so a submission can read it inside its own transaction.
pub async fn requested_quantities<'e, E>(
    executor: E,
    order_id: &str,
) -> Result<HashMap<String, u32>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let released: Vec<&str> = ReturnStatus::ALL
        .iter()
        .filter(|s| !s.holds_quantity())
        .map(|s| s.as_str())
        .collect();
    // Three released statuses, bound rather than formatted into the text.
    let rows = sqlx::query(
        "SELECT i.order_line_id AS line_id, CAST(SUM(i.quantity) AS BIGINT) AS units \
         FROM return_items i JOIN return_requests r ON r.id = i.return_id \
         WHERE r.order_id = $1 AND r.status NOT IN ($2, $3, $4) GROUP BY i.order_line_id",
    )
    .bind(order_id)
    .bind(released[0])
    .bind(released[1])
    .bind(released[2])
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<String, _>("line_id")?,
                u32::try_from(row.try_get::<i64, _>("units")?).unwrap_or(u32::MAX),
            ))
        })
        .collect()
}

/// Takes the order's write lock first thing in a transaction, so two submissions for the
/// same order run one after the other (a row lock on PostgreSQL, the database lock on SQLite).
pub async fn lock_order_for_returns(tx: &mut Tx<'_>, order_id: &str) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE orders SET returns_version = returns_version + 1 WHERE id = $1")
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn insert_order(
    tx: &mut Tx<'_>,
    order: &Order,
    lines: &[OrderLine],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("INSERT INTO orders ({ORDER_COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"))
        .bind(&order.id)
        .bind(&order.shop_id)
        .bind(order.number.as_str())
        .bind(&order.display_number)
        .bind(order.email.as_str())
        .bind(&order.customer_name)
        .bind(&order.shipping_country)
        .bind(order.currency.code())
        .bind(order.placed_on.to_string())
        .bind(order.delivered_on.map(|d| d.to_string()))
        .bind(serde_json::to_string(&order.shipping_address).unwrap_or_default())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    for (position, line) in lines.iter().enumerate() {
        // Orders made here (the demo) have no key of the shop's: the line's own id serves.
        insert_order_line(tx, &order.id, position, &line.id, line).await?;
    }
    Ok(())
}

/// Commas separate tags in storage: none survives inside a tag.
fn stored_tags(line: &OrderLine) -> String {
    line.tags
        .iter()
        .map(|t| t.replace(',', " ").trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn insert_order_line(
    tx: &mut Tx<'_>,
    order_id: &str,
    position: usize,
    key: &str,
    line: &OrderLine,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO order_lines (id, order_id, position, line_key, {}) VALUES ($1, $2, $3, $4, {})",
        LINE_CONTENT_COLUMNS.join(", "),
        (5..5 + LINE_CONTENT_COLUMNS.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let query = sqlx::query(&sql)
        .bind(&line.id)
        .bind(order_id)
        .bind(position as i64)
        .bind(key);
    bind_line_content(query, line).execute(&mut **tx).await?;
    Ok(())
}

/// What the shop says about a line, in the order [`bind_line_content`] binds it: one
/// encoding for inserting a line and for updating it.
const LINE_CONTENT_COLUMNS: [&str; 11] = [
    "sku",
    "title",
    "variant",
    "quantity",
    "unit_price_minor",
    "discount_minor",
    "image_url",
    "returnable",
    "tags",
    "category",
    "withdrawal_exclusion",
];

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_line_content<'q>(query: AnyQuery<'q>, line: &'q OrderLine) -> AnyQuery<'q> {
    query
        .bind(&line.sku)
        .bind(&line.title)
        .bind(&line.variant)
        .bind(i64::from(line.quantity))
        .bind(line.unit_price.minor)
        .bind(line.discount.minor)
        .bind(&line.image_url)
        .bind(i64::from(line.returnable))
        .bind(stored_tags(line))
        .bind(line.category.as_deref().unwrap_or(""))
        .bind(line.withdrawal_exclusion.map(|e| e.as_str()).unwrap_or(""))
}

/// The shop's order with this number, read inside the upsert's transaction.
pub async fn find_order_by_number(
    tx: &mut Tx<'_>,
    shop_id: &str,
    number: &OrderNumber,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = $1 AND number = $2"
    ))
    .bind(shop_id)
    .bind(number.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(order_from_row).transpose()
}

/// The order's lines with their keys and what returns hold of them.
pub async fn stored_lines(tx: &mut Tx<'_>, order_id: &str) -> Result<Vec<StoredLine>, sqlx::Error> {
    let held = requested_quantities(&mut **tx, order_id).await?;
    let rows = sqlx::query(
        "SELECT l.id, l.line_key, EXISTS (SELECT 1 FROM return_items i WHERE i.order_line_id = l.id) AS in_returns \
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.position",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            // EXISTS is a boolean on PostgreSQL and an integer on SQLite.
            let in_returns = row
                .try_get::<bool, _>("in_returns")
                .or_else(|_| row.try_get::<i64, _>("in_returns").map(|n| n != 0))?;
            Ok(StoredLine {
                held_units: held.get(&id).copied().unwrap_or(0),
                key: row.try_get("line_key")?,
                in_returns,
                id,
            })
        })
        .collect()
}

/// Whether any return request was made against the order.
pub async fn has_returns(tx: &mut Tx<'_>, order_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM return_requests WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// The order's own fields, as the shop sent them again (its id and number stay).
pub async fn update_order(tx: &mut Tx<'_>, order: &Order) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders SET display_number = $1, email = $2, customer_name = $3, shipping_country = $4, currency = $5, \
         placed_on = $6, delivered_on = $7, shipping_address_json = $8 WHERE shop_id = $9 AND id = $10",
    )
    .bind(&order.display_number)
    .bind(order.email.as_str())
    .bind(&order.customer_name)
    .bind(&order.shipping_country)
    .bind(order.currency.code())
    .bind(order.placed_on.to_string())
    .bind(order.delivered_on.map(|d| d.to_string()))
    .bind(serde_json::to_string(&order.shipping_address).unwrap_or_default())
    .bind(&order.shop_id)
    .bind(&order.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_order_line(
    tx: &mut Tx<'_>,
    id: &str,
    position: usize,
    line: &OrderLine,
) -> Result<(), sqlx::Error> {
    let sets: Vec<String> = LINE_CONTENT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE order_lines SET position = $1, {} WHERE id = ${}",
        sets.join(", "),
        LINE_CONTENT_COLUMNS.len() + 2
    );
    let query = sqlx::query(&sql).bind(position as i64);
    bind_line_content(query, line).bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn delete_order_line(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM order_lines WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
