//! The merchant's queries and writes. Every function takes the shop's id and filters by it:
//! a request of another shop is simply not found.

use sqlx::Row;
use std::collections::HashMap;

use super::{returns::ReturnRecord, Db, Tx};
use crate::domain::{
    settlement::{ItemCondition, SettlementKind},
    InboxTab, Locale, ReturnStatus,
};

/// A value bound to a `$n` placeholder of a query built at run time.
enum Bind {
    Text(String),
    Int(i64),
}

/// Builds `WHERE` clauses with numbered placeholders, which both backends accept (sqlx's
/// `QueryBuilder` writes `?` for `Any`, which PostgreSQL refuses).
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Filter {
    fn placeholder(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn text(&mut self, value: impl Into<String>) -> String {
        self.placeholder(Bind::Text(value.into()))
    }

    fn int(&mut self, value: i64) -> String {
        self.placeholder(Bind::Int(value))
    }

    fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn apply<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for bind in &self.binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.as_str()),
                Bind::Int(number) => query.bind(*number),
            };
        }
        query
    }
}

/// What the inbox list asks for. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    pub tab: InboxTab,
    pub status: Option<ReturnStatus>,
    pub reason: Option<String>,
    pub country: Option<String>,
    /// Unix seconds, inclusive bounds on the request's creation.
    pub created_from: Option<i64>,
    pub created_before: Option<i64>,
    /// A reference, an order number or an email address, or part of one.
    pub search: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: String,
    pub reference: String,
    pub status: ReturnStatus,
    pub version: i64,
    pub created_at: i64,
    pub order_number: String,
    pub email: String,
    pub customer_name: String,
    pub country: String,
    pub units: i64,
    /// A legal withdrawal rather than a commercial return.
    pub withdrawal: bool,
}

fn inbox_filter(shop_id: &str, query: &InboxQuery) -> Filter {
    let mut filter = Filter::default();
    let shop = filter.text(shop_id);
    filter.push(format!("r.shop_id = {shop}"));
    let statuses: Vec<ReturnStatus> = match query.status {
        Some(status) if InboxTab::of(status) == Some(query.tab) => vec![status],
        _ => query.tab.statuses(),
    };
    let placeholders: Vec<String> = statuses.iter().map(|s| filter.text(s.as_str())).collect();
    filter.push(format!("r.status IN ({})", placeholders.join(", ")));
    if let Some(reason) = query.reason.as_deref().filter(|r| !r.is_empty()) {
        let reason = filter.text(reason);
        filter.push(format!("EXISTS (SELECT 1 FROM return_items ri WHERE ri.return_id = r.id AND ri.reason_code = {reason})"));
    }
    if let Some(country) = query.country.as_deref().filter(|c| !c.is_empty()) {
        let country = filter.text(country.to_ascii_uppercase());
        filter.push(format!("o.shipping_country = {country}"));
    }
    if let Some(from) = query.created_from {
        let from = filter.int(from);
        filter.push(format!("r.created_at >= {from}"));
    }
    if let Some(before) = query.created_before {
        let before = filter.int(before);
        filter.push(format!("r.created_at < {before}"));
    }
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // LIKE wildcards in the search text are matched literally.
        let escaped = search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = filter.text(format!("%{escaped}%"));
        filter.push(format!(
            "(LOWER(r.reference) LIKE {pattern} ESCAPE '\\' OR LOWER(o.number) LIKE {pattern} ESCAPE '\\' \
             OR LOWER(o.display_number) LIKE {pattern} ESCAPE '\\' OR LOWER(o.email) LIKE {pattern} ESCAPE '\\')"
        ));
    }
    filter
}

/// One page of the inbox, oldest waiting first, and how many match in all.
pub async fn inbox(
    db: &Db,
    shop_id: &str,
    query: &InboxQuery,
) -> Result<(Vec<InboxRow>, i64), sqlx::Error> {
    let filter = inbox_filter(shop_id, query);
    let from = "FROM return_requests r JOIN orders o ON o.id = r.order_id";
    let total: i64 = filter
        .apply(sqlx::query(&format!(
            "SELECT COUNT(*) AS n {from} WHERE {}",
            filter.sql()
        )))
        .fetch_one(db)
        .await?
        .try_get("n")?;
    let sql = format!(
        "SELECT r.id, r.reference, r.status, r.version, r.created_at, r.kind, o.display_number, o.email, o.customer_name, o.shipping_country, \
         (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM return_items i WHERE i.return_id = r.id) AS units \
         {from} WHERE {} ORDER BY r.created_at, r.id LIMIT {} OFFSET {}",
        filter.sql(),
        query.limit.clamp(1, 200),
        query.offset.max(0),
    );
    let rows = filter.apply(sqlx::query(&sql)).fetch_all(db).await?;
    let rows = rows
        .iter()
        .map(|row| {
            Ok(InboxRow {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                status: parse_column(row, "status")?,
                version: row.try_get("version")?,
                created_at: row.try_get("created_at")?,
                order_number: row.try_get("display_number")?,
                email: row.try_get("email")?,
                customer_name: row.try_get("customer_name")?,
                country: row.try_get("shipping_country")?,
                units: row.try_get("units")?,
                withdrawal: row.try_get::<String, _>("kind")? == "withdrawal",
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((rows, total))
}

/// Reason codes of the given requests, for the list's reason column.
pub async fn reasons_of(
    db: &Db,
    return_ids: &[String],
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
    if return_ids.is_empty() {
        return Ok(reasons);
    }
    let placeholders: Vec<String> = (1..=return_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT return_id, reason_code FROM return_items WHERE return_id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in return_ids {
        query = query.bind(id.as_str());
    }
    for row in query.fetch_all(db).await? {
        let codes = reasons.entry(row.try_get("return_id")?).or_default();
        let code: String = row.try_get("reason_code")?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(reasons)
}

/// How many requests of the shop sit in each status.
pub async fn status_counts(
    db: &Db,
    shop_id: &str,
) -> Result<HashMap<ReturnStatus, i64>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM return_requests WHERE shop_id = $1 GROUP BY status",
    )
    .bind(shop_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((parse_column(row, "status")?, row.try_get("n")?)))
        .collect()
}

/// A request as the back-office sees it: the shopper's record plus the merchant's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantReturn {
    pub record: ReturnRecord,
    pub version: i64,
    pub with_label: Option<bool>,
    pub decision_note: String,
    pub fee_minor: i64,
    pub fee_refunded: bool,
    /// The fee is to be kept out of the refund rather than paid up front.
    pub fee_deducted: bool,
}

pub async fn find_return(
    db: &Db,
    shop_id: &str,
    return_id: &str,
) -> Result<Option<MerchantReturn>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, shop_id, order_id, reference, status, resolution, return_method, locale, created_at, \
         version, with_label, decision_note, fee_minor, fee_refunded, fee_deducted FROM return_requests WHERE shop_id = $1 AND id = $2",
    )
    .bind(shop_id)
    .bind(return_id)
    .fetch_optional(db)
    .await?;
    row.as_ref()
        .map(|row| {
            Ok(MerchantReturn {
                record: ReturnRecord {
                    id: row.try_get("id")?,
                    shop_id: row.try_get("shop_id")?,
                    order_id: row.try_get("order_id")?,
                    reference: row.try_get("reference")?,
                    status: parse_column(row, "status")?,
                    resolution: parse_column(row, "resolution")?,
                    method: parse_column(row, "return_method")?,
                    locale: Locale::from_tag(&row.try_get::<String, _>("locale")?)
                        .unwrap_or_default(),
                    created_at: row.try_get("created_at")?,
                },
                version: row.try_get("version")?,
                with_label: row
                    .try_get::<Option<i64>, _>("with_label")?
                    .map(|flag| flag != 0),
                decision_note: row.try_get("decision_note")?,
                fee_minor: row.try_get("fee_minor")?,
                fee_refunded: row.try_get::<i64, _>("fee_refunded")? != 0,
                fee_deducted: row.try_get::<i64, _>("fee_deducted")? != 0,
            })
        })
        .transpose()
}

/// The merchant's change to a request, written only if nobody changed it since `version`.
pub struct StatusChange<'a> {
    pub shop_id: &'a str,
    pub return_id: &'a str,
    pub expected_version: i64,
    pub to: ReturnStatus,
    pub now: i64,
}

/// False when the request moved on since it was loaded: the caller reports a conflict.
pub async fn change_status(
    tx: &mut Tx<'_>,
    change: &StatusChange<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE return_requests SET status = $1, version = version + 1, updated_at = $2 WHERE shop_id = $3 AND id = $4 AND version = $5")
        .bind(change.to.as_str())
        .bind(change.now)
        .bind(change.shop_id)
        .bind(change.return_id)
        .bind(change.expected_version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores what was decided with the status change (same transaction).
pub async fn record_decision(
    tx: &mut Tx<'_>,
    return_id: &str,
    with_label: Option<bool>,
    note: &str,
    fee_refunded: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE return_requests SET with_label = $1, decision_note = $2, fee_refunded = $3 WHERE id = $4")
        .bind(with_label.map(i64::from))
        .bind(note)
        .bind(i64::from(fee_refunded))
        .bind(return_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReceipt {
    pub item_id: String,
    pub quantity: u32,
    pub condition: ItemCondition,
    pub restock: bool,
}

/// The receipt of each item, for the request's items that have one.
pub async fn receipts(db: &Db, return_id: &str) -> Result<Vec<ItemReceipt>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, received_quantity, item_condition, restock FROM return_items WHERE return_id = $1 AND received_quantity IS NOT NULL ORDER BY id")
        .bind(return_id)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ItemReceipt {
                item_id: row.try_get("id")?,
                quantity: u32::try_from(row.try_get::<i64, _>("received_quantity")?).unwrap_or(0),
                condition: parse_column(row, "item_condition")?,
                restock: row.try_get::<i64, _>("restock")? != 0,
            })
        })
        .collect()
}

pub async fn record_receipt(
    tx: &mut Tx<'_>,
    return_id: &str,
    receipt: &ItemReceipt,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE return_items SET received_quantity = $1, item_condition = $2, restock = $3 WHERE id = $4 AND return_id = $5")
        .bind(i64::from(receipt.quantity))
        .bind(receipt.condition.as_str())
        .bind(i64::from(receipt.restock))
        .bind(&receipt.item_id)
        .bind(return_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub struct StockMovement<'a> {
    pub id: &'a str,
    pub shop_id: &'a str,
    pub sku: &'a str,
    pub quantity: i64,
    pub return_id: &'a str,
    pub at: i64,
}

pub async fn insert_stock_movement(
    tx: &mut Tx<'_>,
    movement: &StockMovement<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO stock_movements (id, shop_id, sku, quantity, return_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(movement.id)
        .bind(movement.shop_id)
        .bind(movement.sku)
        .bind(movement.quantity)
        .bind(movement.return_id)
        .bind(movement.at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Units put back into stock per SKU for the shop (what the API will expose).
pub async fn restocked_by_sku(db: &Db, shop_id: &str) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT sku, CAST(SUM(quantity) AS BIGINT) AS units FROM stock_movements WHERE shop_id = $1 GROUP BY sku")
        .bind(shop_id)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("sku")?, row.try_get("units")?)))
        .collect()
}

/// Units of each line of the order already settled by other requests: the refund of this
/// one continues where they stopped, so a line is never refunded twice.
pub async fn settled_units_by_line(
    tx: &mut Tx<'_>,
    order_id: &str,
    except_return_id: &str,
) -> Result<HashMap<String, u32>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT i.order_line_id AS line_id, CAST(SUM(COALESCE(i.received_quantity, i.quantity)) AS BIGINT) AS units \
         FROM return_items i JOIN return_requests r ON r.id = i.return_id \
         WHERE r.order_id = $1 AND r.status = $2 AND r.id <> $3 GROUP BY i.order_line_id",
    )
    .bind(order_id)
    .bind(ReturnStatus::Settled.as_str())
    .bind(except_return_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("line_id")?,
                u32::try_from(row.try_get::<i64, _>("units")?).unwrap_or(u32::MAX),
            ))
        })
        .collect()
}

/// Takes the shop's next credit note number. Runs inside the transaction that issues the
/// note, so a rollback gives the number back and the sequence has no gaps.
pub async fn next_credit_note_sequence(tx: &mut Tx<'_>, shop_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE shops SET credit_note_seq = credit_note_seq + 1 WHERE id = $1 RETURNING credit_note_seq")
        .bind(shop_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("credit_note_seq")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteRecord {
    pub id: String,
    pub shop_id: String,
    pub return_id: String,
    pub sequence: i64,
    pub kind: SettlementKind,
    pub amount_minor: i64,
    pub goods_minor: i64,
    pub fee_kept_minor: i64,
    pub currency: String,
    pub memo: String,
    pub lines_json: String,
    pub issued_by: String,
    pub issued_at: i64,
}

pub async fn insert_credit_note(
    tx: &mut Tx<'_>,
    note: &CreditNoteRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO credit_notes (id, shop_id, return_id, sequence, kind, amount_minor, goods_minor, fee_kept_minor, currency, memo, lines_json, issued_by, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&note.id)
    .bind(&note.shop_id)
    .bind(&note.return_id)
    .bind(note.sequence)
    .bind(note.kind.as_str())
    .bind(note.amount_minor)
    .bind(note.goods_minor)
    .bind(note.fee_kept_minor)
    .bind(&note.currency)
    .bind(&note.memo)
    .bind(&note.lines_json)
    .bind(&note.issued_by)
    .bind(note.issued_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const CREDIT_NOTE_COLUMNS: &str = "id, shop_id, return_id, sequence, kind, amount_minor, goods_minor, fee_kept_minor, currency, memo, lines_json, issued_by, issued_at";

fn credit_note_from_row(row: &sqlx::any::AnyRow) -> Result<CreditNoteRecord, sqlx::Error> {
    Ok(CreditNoteRecord {
        id: row.try_get("id")?,
        shop_id: row.try_get("shop_id")?,
        return_id: row.try_get("return_id")?,
        sequence: row.try_get("sequence")?,
        kind: parse_column(row, "kind")?,
        amount_minor: row.try_get("amount_minor")?,
        goods_minor: row.try_get("goods_minor")?,
        fee_kept_minor: row.try_get("fee_kept_minor")?,
        currency: row.try_get("currency")?,
        memo: row.try_get("memo")?,
        lines_json: row.try_get("lines_json")?,
        issued_by: row.try_get("issued_by")?,
        issued_at: row.try_get("issued_at")?,
    })
}

pub async fn credit_note_for_return(
    db: &Db,
    shop_id: &str,
    return_id: &str,
) -> Result<Option<CreditNoteRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {CREDIT_NOTE_COLUMNS} FROM credit_notes WHERE shop_id = $1 AND return_id = $2"
    ))
    .bind(shop_id)
    .bind(return_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(credit_note_from_row).transpose()
}

/// Every credit note of the shop in number order (tests check the sequence has no gaps).
pub async fn credit_notes(db: &Db, shop_id: &str) -> Result<Vec<CreditNoteRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {CREDIT_NOTE_COLUMNS} FROM credit_notes WHERE shop_id = $1 ORDER BY sequence"
    ))
    .bind(shop_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(credit_note_from_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffNote {
    pub author: String,
    pub body: String,
    pub at: i64,
}

pub async fn insert_staff_note(
    db: &Db,
    id: &str,
    return_id: &str,
    note: &StaffNote,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_notes (id, return_id, author, body, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(return_id)
    .bind(&note.author)
    .bind(&note.body)
    .bind(note.at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn staff_notes(db: &Db, return_id: &str) -> Result<Vec<StaffNote>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT author, body, at FROM staff_notes WHERE return_id = $1 ORDER BY at, id",
    )
    .bind(return_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StaffNote {
                author: row.try_get("author")?,
                body: row.try_get("body")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
}

pub(super) fn parse_column<T: std::str::FromStr<Err = String>>(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> Result<T, sqlx::Error> {
    row.try_get::<String, _>(column)?
        .parse()
        .map_err(|e: String| sqlx::Error::ColumnDecode {
            index: column.into(),
            source: e.into(),
        })
}
