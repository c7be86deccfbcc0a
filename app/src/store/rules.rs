//! A shop's return rules, one versioned JSON document per shop, and what rules need to
//! know about a customer's earlier requests.

use sqlx::Row;

use super::{
    returns::{return_from_row, ReturnRecord, RETURN_COLUMNS},
    Db, Tx,
};
use crate::domain::rules::{Outcome, Rule};

/// The shop's rules in their stored order, and the version to send back when saving.
pub async fn shop_rules(db: &Db, shop_id: &str) -> Result<Option<(Vec<Rule>, i64)>, sqlx::Error> {
    let Some(row) = sqlx::query("SELECT rules_json, rules_version FROM shops WHERE id = $1")
        .bind(shop_id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let rules = serde_json::from_str(&row.try_get::<String, _>("rules_json")?).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: "rules_json".into(),
            source: e.into(),
        }
    })?;
    Ok(Some((rules, row.try_get("rules_version")?)))
}

/// Replaces the rules if nobody saved since `expected_version`; `false` (nothing written)
/// when someone did.
pub async fn replace_rules(
    db: &Db,
    shop_id: &str,
    expected_version: i64,
    rules: &[Rule],
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(rules).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let updated = sqlx::query("UPDATE shops SET rules_json = $1, rules_version = rules_version + 1 WHERE id = $2 AND rules_version = $3")
        .bind(json)
        .bind(shop_id)
        .bind(expected_version)
        .execute(db)
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// When this customer (same email, any order of the shop) made return requests, as unix
/// times from `since` to `until` included, leaving out request `except` (the one judged).
pub async fn customer_request_times(
    db: &Db,
    shop_id: &str,
    email: &str,
    since: i64,
    until: i64,
    except: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.created_at FROM return_requests r JOIN orders o ON o.id = r.order_id \
         WHERE o.shop_id = $1 AND o.email = $2 AND r.created_at >= $3 AND r.created_at <= $4 AND r.id <> $5",
    )
    .bind(shop_id)
    .bind(email)
    .bind(since)
    .bind(until)
    .bind(except)
    .fetch_all(db)
    .await
}

/// What the rules decided for a request, with the back-office's words for it written at
/// that moment (the rules may change later; the record should not).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleRecord {
    pub outcome: Outcome,
    pub explanations: Vec<String>,
}

pub async fn record_rule_outcome(
    tx: &mut Tx<'_>,
    return_id: &str,
    record: &RuleRecord,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(record).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query("UPDATE return_requests SET rule_outcome_json = $1 WHERE id = $2")
        .bind(json)
        .bind(return_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What the rules decided at submission; `None` for requests made before rules existed.
pub async fn rule_outcome(db: &Db, return_id: &str) -> Result<Option<RuleRecord>, sqlx::Error> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT rule_outcome_json FROM return_requests WHERE id = $1")
            .bind(return_id)
            .fetch_optional(db)
            .await?;
    Ok(json
        .filter(|j| !j.is_empty())
        .and_then(|j| serde_json::from_str(&j).ok()))
}

/// The shop's latest requests, newest first, for the editor's dry run.
pub async fn recent_requests(
    db: &Db,
    shop_id: &str,
    limit: i64,
) -> Result<Vec<ReturnRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {RETURN_COLUMNS} FROM return_requests WHERE shop_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"))
        .bind(shop_id)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(return_from_row).collect()
}
