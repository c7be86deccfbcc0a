//! Shopper photos: checked, oriented, stripped and resized off the async threads, with a
//! bounded number decoded at once.

use super::{lookup::open_grant, new_id, AppState, ServiceError};
use crate::{
    dto::PhotoRef,
    photo,
    store::{self, photos::PhotoRecord},
};

pub const PHOTO_LINK_PURPOSE: &str = "photo";

pub fn thumb_url(state: &AppState, photo_id: &str) -> String {
    format!(
        "/photos/{photo_id}/thumb?k={}",
        state.keys.link_key(PHOTO_LINK_PURPOSE, photo_id)
    )
}

pub fn display_url(state: &AppState, photo_id: &str) -> String {
    format!(
        "/photos/{photo_id}/display?k={}",
        state.keys.link_key(PHOTO_LINK_PURPOSE, photo_id)
    )
}

/// Stores the photo for the order the token opens. A refused file is `ServiceError::Photo`
/// with the message key that says why.
pub async fn store_photo(
    state: &AppState,
    token: &str,
    bytes: Vec<u8>,
    now_unix: i64,
) -> Result<PhotoRef, ServiceError> {
    let (shop, order) = open_grant(state, token, now_unix).await?;
    let processed = {
        // Waiting here, not in the blocking pool, keeps memory bounded under a burst.
        let _slot = state
            .photo_slots
            .acquire()
            .await
            .map_err(|_| ServiceError::Photo("photo.upload_failed"))?;
        let limits = state.photo_limits.clone();
        tokio::task::spawn_blocking(move || photo::process_photo(&bytes, &limits))
            .await
            .map_err(|_| ServiceError::Photo("photo.corrupt"))?
            .map_err(|e| ServiceError::Photo(e.message_key()))?
    };
    let id = new_id();
    let record = PhotoRecord {
        storage_key: format!("{}/{id}/display.jpg", shop.id),
        thumb_key: format!("{}/{id}/thumb.jpg", shop.id),
        id,
        shop_id: shop.id,
        order_id: order.id,
        width: processed.display.width,
        height: processed.display.height,
        bytes: processed.display.jpeg.len() as u64,
        thumb_width: processed.thumbnail.width,
        thumb_height: processed.thumbnail.height,
        content_hash: processed.content_hash,
    };
    state
        .photos
        .put(&record.storage_key, processed.display.jpeg)
        .await?;
    state
        .photos
        .put(&record.thumb_key, processed.thumbnail.jpeg)
        .await?;
    store::photos::insert_photo(&state.db, &record, now_unix).await?;
    Ok(PhotoRef {
        thumb_url: thumb_url(state, &record.id),
        id: record.id,
        width: record.width,
        height: record.height,
    })
}

/// The bytes behind a signed photo URL.
pub async fn read_photo(
    state: &AppState,
    photo_id: &str,
    variant: &str,
    key: &str,
) -> Result<Vec<u8>, ServiceError> {
    if !state
        .keys
        .verify_link_key(PHOTO_LINK_PURPOSE, photo_id, key)
    {
        return Err(ServiceError::NotFound);
    }
    let shop_id = store::photos::photo_shop(&state.db, photo_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let file = match variant {
        "thumb" => "thumb.jpg",
        "display" => "display.jpg",
        _ => return Err(ServiceError::NotFound),
    };
    state
        .photos
        .get(&format!("{shop_id}/{photo_id}/{file}"))
        .await?
        .ok_or(ServiceError::NotFound)
}
