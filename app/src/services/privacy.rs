//! Shopper data protection: photos and comments deleted once their request has been closed
//! for the shop's retention period (a background task), abandoned uploads cleared, and one
//! shopper's data exported or erased on the merchant's request. Each leaves a line on the
//! request's timeline, so the history says what was removed and when.

use std::time::Duration;

use super::{new_id, now_unix, AppState, ServiceError};
use crate::{
    backoffice::dto::Erased,
    domain::{
        privacy::{erased_email, purge_cutoff, PrivacySettings, ABANDONED_PHOTO_SECS},
        EmailAddress, Merchant, ReturnStatus,
    },
    store::{self, privacy::SHOPPER_TABLES},
};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Items whose photo or comment was removed.
    pub items: usize,
    /// Photo files removed (with their thumbnails), abandoned uploads included.
    pub photos: usize,
}

/// Removes what is due at `now`: photos and comments of requests closed longer ago than their
/// shop's retention period, and photos no request used after a day.
pub async fn purge_due(state: &AppState, now: i64) -> Result<Purged, ServiceError> {
    let mut purged = Purged::default();
    for (shop_id, privacy_json) in store::privacy::shops(&state.db).await? {
        let settings: PrivacySettings = serde_json::from_str(&privacy_json).unwrap_or_default();
        let cutoff = purge_cutoff(settings.retention_days, now);
        let items = store::privacy::items_due(&state.db, &shop_id, cutoff).await?;
        let mut by_return: Vec<(String, String, Vec<store::privacy::DueItem>)> = Vec::new();
        for item in items {
            match by_return.last_mut() {
                Some((id, _, list)) if *id == item.return_id => list.push(item),
                _ => by_return.push((item.return_id.clone(), item.status.clone(), vec![item])),
            }
        }
        for (return_id, status, items) in by_return {
            let status: ReturnStatus = status
                .parse()
                .map_err(|_| ServiceError::Internal("return status"))?;
            let mut tx = state.db.begin().await?;
            let mut files = Vec::new();
            let mut photos = 0;
            for item in &items {
                // The item lets go of the photo first: the photo's row is referenced.
                store::privacy::clear_item(&mut tx, &item.item_id).await?;
                if let Some(photo_id) = &item.photo_id {
                    if let Some(keys) = store::privacy::delete_photo(&mut tx, photo_id).await? {
                        files.push(keys);
                        photos += 1;
                    }
                }
            }
            let note = format!(
                "Photos ({photos}) and comments removed {} days after the request closed (data retention).",
                settings.retention_days
            );
            store::returns::insert_timeline_note(
                &mut tx,
                &new_id(),
                (&return_id, status),
                "data_retention",
                "retention",
                &note,
                now,
            )
            .await?;
            tx.commit().await?;
            // The rows are gone first: a file left by a crash here is unreachable, never shown.
            delete_files(state, &files).await;
            purged.items += items.len();
            purged.photos += photos;
        }
    }
    for photo_id in store::privacy::abandoned_photos(&state.db, now - ABANDONED_PHOTO_SECS).await? {
        let mut tx = state.db.begin().await?;
        let keys = store::privacy::delete_photo(&mut tx, &photo_id).await?;
        tx.commit().await?;
        if let Some(keys) = keys {
            delete_files(state, &[keys]).await;
            purged.photos += 1;
        }
    }
    if purged != Purged::default() {
        tracing::info!(
            items = purged.items,
            photos = purged.photos,
            "personal data past retention removed"
        );
    }
    Ok(purged)
}

async fn delete_files(state: &AppState, files: &[(String, String)]) {
    for (display, thumb) in files {
        for key in [display, thumb] {
            if let Err(error) = state.photos.delete(key).await {
                tracing::warn!(%key, %error, "photo file not deleted");
            }
        }
    }
}

/// Runs [`purge_due`] every `every` until the process ends.
pub async fn run_worker(state: AppState, every: Duration) {
    loop {
        if let Err(error) = purge_due(&state, now_unix()).await {
            tracing::error!(%error, "data retention");
        }
        tokio::time::sleep(every).await;
    }
}

/// The shopper's orders and requests in the merchant's shop, or NotFound.
async fn shopper(
    state: &AppState,
    merchant: &Merchant,
    raw_email: &str,
) -> Result<(String, Vec<String>, Vec<String>), ServiceError> {
    if !merchant.role.can_change_settings() {
        return Err(ServiceError::Forbidden);
    }
    let email = EmailAddress::parse(raw_email)?;
    let (orders, returns) =
        store::privacy::shopper_ids(&state.db, &merchant.shop_id, email.as_str()).await?;
    if orders.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok((email.as_str().to_owned(), orders, returns))
}

/// Everything stored about one shopper email in the merchant's shop, as JSON: every column of
/// every row tied to their orders. The export is logged on each request's timeline.
pub async fn export_shopper(
    state: &AppState,
    merchant: &Merchant,
    raw_email: &str,
    now: i64,
) -> Result<serde_json::Value, ServiceError> {
    let (email, orders, returns) = shopper(state, merchant, raw_email).await?;
    let mut tables = serde_json::Map::new();
    for (table, link) in SHOPPER_TABLES {
        let rows = store::privacy::rows_of(&state.db, table, *link, &orders, &returns).await?;
        tables.insert((*table).to_owned(), serde_json::Value::Array(rows));
    }
    log_on_requests(
        state,
        merchant,
        &returns,
        "data_exported",
        "Shopper data exported",
        now,
    )
    .await?;
    tracing::info!(by = %merchant.user_id, requests = returns.len(), "shopper data exported");
    Ok(serde_json::json!({
        "shopper": email,
        "exported_at": now,
        "tables": tables,
    }))
}

/// Blanks the shopper's personal fields everywhere and deletes their photos. Requests, items,
/// amounts and credit notes stay for the accounts; each request's timeline says it happened.
pub async fn erase_shopper(
    state: &AppState,
    merchant: &Merchant,
    raw_email: &str,
    now: i64,
) -> Result<Erased, ServiceError> {
    let (email, orders, returns) = shopper(state, merchant, raw_email).await?;
    let photo_ids = store::privacy::photos_of(&state.db, &orders).await?;
    let placeholders: Vec<(String, String)> = orders
        .iter()
        .map(|id| (id.clone(), erased_email(&new_id())))
        .collect();
    let mut tx = state.db.begin().await?;
    store::privacy::erase(&mut tx, &placeholders, &returns).await?;
    store::privacy::forget_api_answers(&mut tx, &merchant.shop_id, email.as_str()).await?;
    let mut files = Vec::new();
    for photo_id in &photo_ids {
        if let Some(keys) = store::privacy::delete_photo(&mut tx, photo_id).await? {
            files.push(keys);
        }
    }
    tx.commit().await?;
    delete_files(state, &files).await;
    log_on_requests(
        state,
        merchant,
        &returns,
        "data_erased",
        "Shopper's personal data erased",
        now,
    )
    .await?;
    tracing::info!(by = %merchant.user_id, requests = returns.len(), "shopper data erased");
    Ok(Erased {
        orders: orders.len(),
        requests: returns.len(),
        photos: files.len(),
    })
}

async fn log_on_requests(
    state: &AppState,
    merchant: &Merchant,
    returns: &[String],
    event: &str,
    note: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let mut statuses = Vec::new();
    for return_id in returns {
        if let Some(request) =
            store::backoffice::find_return(&state.db, &merchant.shop_id, return_id).await?
        {
            statuses.push((return_id, request.record.status));
        }
    }
    let mut tx = state.db.begin().await?;
    for (return_id, status) in statuses {
        store::returns::insert_timeline_note(
            &mut tx,
            &new_id(),
            (return_id, status),
            event,
            &merchant.email,
            note,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
