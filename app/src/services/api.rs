//! The integration API's services: per-shop keys, and the calls that only the API makes
//! (upserting orders, paging through requests and stock movements). Decisions, receipts
//! and settlements go through `backoffice`, like the merchant's own.

use sha2::{Digest, Sha256};

use super::{new_id, AppState, ServiceError};
use crate::{
    backoffice::dto::{ApiKeyView, NewApiKey},
    domain::{
        order_sync::{self, IncomingLine, LineChange, OrderSyncError},
        page::Cursor,
        Merchant, Order, ReturnStatus, Role,
    },
    store::{
        self,
        api::{ApiKeyRecord, ReturnListRow, StockMovementRow},
        is_unique_violation, Tx,
    },
};

/// Every key starts so, which lets secret scanners recognise a leaked one.
pub const KEY_PREFIX: &str = "rtk_";
const MAX_ACTIVE_KEYS: usize = 20;
const MAX_NAME_CHARS: usize = 60;

/// `rtk_<key id>_<64 hex digits>`: the id finds the key, the secret proves it.
fn key_text(id: &str, secret: &[u8; 32]) -> String {
    format!("{KEY_PREFIX}{id}_{}", hex::encode(secret))
}

fn secret_hash(secret_hex: &str) -> String {
    hex::encode(Sha256::digest(secret_hex.as_bytes()))
}

/// Compares in time that does not depend on where the texts differ.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn view(record: &ApiKeyRecord) -> ApiKeyView {
    ApiKeyView {
        id: record.id.clone(),
        name: record.name.clone(),
        prefix: format!("{KEY_PREFIX}{}…", &record.id[..record.id.len().min(10)]),
        created_by: record.created_by.clone(),
        created_at_unix: record.created_at,
        last_used_at_unix: record.last_used_at,
        revoked: record.revoked_at.is_some(),
    }
}

/// The shop's owner in person: a key cannot mint or revoke keys (a leaked one must not
/// outlive its revocation), nor change where webhooks go.
pub(super) fn require_owner(merchant: &Merchant) -> Result<(), ServiceError> {
    if merchant.role.can_change_settings() && !is_api_client(merchant) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Whether the caller is an API key rather than a signed-in person.
pub fn is_api_client(merchant: &Merchant) -> bool {
    merchant.user_id.starts_with("api-key:")
}

pub async fn list_keys(
    state: &AppState,
    merchant: &Merchant,
) -> Result<Vec<ApiKeyView>, ServiceError> {
    require_owner(merchant)?;
    Ok(store::api::api_keys(&state.db, &merchant.shop_id)
        .await?
        .iter()
        .map(view)
        .collect())
}

pub async fn create_key(
    state: &AppState,
    merchant: &Merchant,
    name: &str,
    now: i64,
) -> Result<NewApiKey, ServiceError> {
    require_owner(merchant)?;
    let made = insert_key(state, &merchant.shop_id, name, &merchant.email, now).await?;
    tracing::info!(shop.id = %merchant.shop_id, key.id = %made.key.id, user.id = %merchant.user_id, "API key created");
    Ok(made)
}

/// For the `create-api-key` command: whoever runs the server already holds every key.
pub async fn create_key_for_shop(
    state: &AppState,
    shop_slug: &str,
    name: &str,
    created_by: &str,
    now: i64,
) -> Result<NewApiKey, ServiceError> {
    let shop = store::shops::find_shop_by_slug(&state.db, shop_slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    insert_key(state, &shop.id, name, created_by, now).await
}

async fn insert_key(
    state: &AppState,
    shop_id: &str,
    name: &str,
    created_by: &str,
    now: i64,
) -> Result<NewApiKey, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::Invalid("api.key_name_invalid"));
    }
    let active = store::api::api_keys(&state.db, shop_id)
        .await?
        .iter()
        .filter(|k| k.revoked_at.is_none())
        .count();
    if active >= MAX_ACTIVE_KEYS {
        return Err(ServiceError::Invalid("api.too_many_keys"));
    }
    let id = new_id();
    let secret: [u8; 32] = rand::random();
    let record = ApiKeyRecord {
        id: id.clone(),
        shop_id: shop_id.to_owned(),
        name: name.to_owned(),
        secret_hash: secret_hash(&hex::encode(secret)),
        created_by: created_by.to_owned(),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    store::api::insert_api_key(&state.db, &record).await?;
    Ok(NewApiKey {
        key: view(&record),
        secret: key_text(&id, &secret),
    })
}

pub async fn revoke_key(
    state: &AppState,
    merchant: &Merchant,
    id: &str,
    now: i64,
) -> Result<(), ServiceError> {
    require_owner(merchant)?;
    if !store::api::revoke_api_key(&state.db, &merchant.shop_id, id, now).await? {
        return Err(ServiceError::NotFound);
    }
    tracing::info!(shop.id = %merchant.shop_id, key.id = %id, user.id = %merchant.user_id, "API key revoked");
    Ok(())
}

/// The shop a presented key acts for, as a merchant with the owner's rights over returns,
/// orders and rules (not over keys). One answer for every kind of bad key.
pub async fn authenticate(
    state: &AppState,
    presented: &str,
    now: i64,
) -> Result<Merchant, ServiceError> {
    let (id, secret) = presented
        .strip_prefix(KEY_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .filter(|(id, secret)| id.len() == 26 && secret.len() == 64)
        .ok_or(ServiceError::Unauthorized)?;
    let record = store::api::find_api_key(&state.db, id)
        .await?
        .filter(|record| record.revoked_at.is_none())
        .ok_or(ServiceError::Unauthorized)?;
    if !same_hash(&record.secret_hash, &secret_hash(secret)) {
        return Err(ServiceError::Unauthorized);
    }
    store::api::touch_api_key(&state.db, &record.id, now).await?;
    Ok(Merchant {
        user_id: format!("api-key:{}", record.id),
        shop_id: record.shop_id,
        // What the request's history shows as the one who acted.
        email: format!("API key “{}”", record.name),
        role: Role::Owner,
    })
}

/// What an upsert did to one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
}

/// Creates the shop's order with this number, or brings the stored one up to date, in the
/// caller's transaction (the CSV import puts a whole file in one).
pub async fn upsert_order_in(
    tx: &mut Tx<'_>,
    merchant: &Merchant,
    mut order: Order,
    mut lines: Vec<IncomingLine>,
    now: i64,
) -> Result<Upserted, ServiceError> {
    order.shop_id = merchant.shop_id.clone();
    order_sync::validate(&order, &lines)?;
    match store::orders::find_order_by_number(tx, &merchant.shop_id, &order.number).await? {
        None => {
            order.id = new_id();
            for incoming in &mut lines {
                incoming.line.id = new_id();
            }
            store::orders::insert_order(tx, &order, &[], now).await?;
            for (position, incoming) in lines.iter().enumerate() {
                store::orders::insert_order_line(
                    tx,
                    &order.id,
                    position,
                    &incoming.key,
                    &incoming.line,
                )
                .await?;
            }
            Ok(Upserted::Created)
        }
        Some(stored) => {
            // Taken before reading what returns hold: a submission for this order waits.
            store::orders::lock_order_for_returns(tx, &stored.id).await?;
            if stored.currency != order.currency
                && store::orders::has_returns(tx, &stored.id).await?
            {
                return Err(OrderSyncError::CurrencyChanged.into());
            }
            order.id = stored.id;
            let stored_lines = store::orders::stored_lines(tx, &order.id).await?;
            let changes = order_sync::plan_lines(&stored_lines, &lines)?;
            store::orders::update_order(tx, &order).await?;
            // Deletions first; positions are not unique, so the order of the rest is free.
            for change in &changes {
                if let LineChange::Delete { id } = change {
                    store::orders::delete_order_line(tx, id).await?;
                }
            }
            for change in changes {
                match change {
                    LineChange::Insert {
                        position,
                        key,
                        mut line,
                    } => {
                        line.id = new_id();
                        store::orders::insert_order_line(tx, &order.id, position, &key, &line)
                            .await?;
                    }
                    LineChange::Update { position, id, line } => {
                        store::orders::update_order_line(tx, &id, position, &line).await?;
                    }
                    LineChange::Delete { .. } => {}
                }
            }
            Ok(Upserted::Updated)
        }
    }
}

/// One order in its own transaction. Two first upserts of the same new order race on the
/// number's uniqueness; the loser runs again and updates what the winner made.
pub async fn upsert_order(
    state: &AppState,
    merchant: &Merchant,
    order: Order,
    lines: Vec<IncomingLine>,
    now: i64,
) -> Result<Upserted, ServiceError> {
    for attempt in 0..2 {
        let mut tx = state.db.begin().await?;
        match upsert_order_in(&mut tx, merchant, order.clone(), lines.clone(), now).await {
            Ok(done) => match tx.commit().await {
                Ok(()) => return Ok(done),
                Err(error) if attempt == 0 && is_unique_violation(&error) => continue,
                Err(error) => return Err(error.into()),
            },
            Err(ServiceError::Database(error)) if attempt == 0 && is_unique_violation(&error) => {
                continue
            }
            Err(error) => return Err(error),
        }
    }
    Err(ServiceError::Conflict)
}

/// One page of the shop's requests by last change, and the cursor of the next page when
/// this one is full.
pub async fn list_returns(
    state: &AppState,
    merchant: &Merchant,
    status: Option<ReturnStatus>,
    updated_since: Option<i64>,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<(Vec<ReturnListRow>, Option<Cursor>), ServiceError> {
    let rows = store::api::returns_page(
        &state.db,
        &merchant.shop_id,
        status,
        updated_since,
        after,
        limit,
    )
    .await?;
    let next = (rows.len() == limit as usize)
        .then(|| {
            rows.last().map(|r| Cursor {
                at: r.updated_at,
                id: r.id.clone(),
            })
        })
        .flatten();
    Ok((rows, next))
}

pub async fn stock_movements(
    state: &AppState,
    merchant: &Merchant,
    since: Option<i64>,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<(Vec<StockMovementRow>, Option<Cursor>), ServiceError> {
    let rows =
        store::api::stock_movements_page(&state.db, &merchant.shop_id, since, after, limit).await?;
    let next = (rows.len() == limit as usize)
        .then(|| {
            rows.last().map(|r| Cursor {
                at: r.at,
                id: r.id.clone(),
            })
        })
        .flatten();
    Ok((rows, next))
}

/// The id and current version of the shop's request with this reference; another shop's
/// is not found.
pub async fn find_return(
    state: &AppState,
    merchant: &Merchant,
    reference: &str,
) -> Result<(String, i64), ServiceError> {
    store::api::return_by_reference(&state.db, &merchant.shop_id, reference.trim())
        .await?
        .ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_its_prefix_id_and_secret() {
        let text = key_text("01JDZ3J6W8Q1V0X2Y3Z4A5B6C7", &[0xab; 32]);
        assert!(text.starts_with("rtk_01JDZ3J6W8Q1V0X2Y3Z4A5B6C7_abab"));
        assert_eq!(text.len(), 4 + 26 + 1 + 64);
    }

    #[test]
    fn hashes_compare_whole() {
        let hash = secret_hash("x");
        assert!(same_hash(&hash, &secret_hash("x")));
        assert!(!same_hash(&hash, &secret_hash("y")));
        assert!(!same_hash(&hash, &hash[..10]));
    }
}
