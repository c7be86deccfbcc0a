use sqlx::Row;

use super::Db;

/// A stored shopper photo: a display copy and a thumbnail, both metadata-free JPEGs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRecord {
    pub id: String,
    pub shop_id: String,
    pub order_id: String,
    pub storage_key: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub thumb_key: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub content_hash: String,
}

pub async fn insert_photo(db: &Db, photo: &PhotoRecord, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO photos (id, shop_id, order_id, storage_key, width, height, bytes, thumb_key, thumb_width, thumb_height, content_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&photo.id)
    .bind(&photo.shop_id)
    .bind(&photo.order_id)
    .bind(&photo.storage_key)
    .bind(i64::from(photo.width))
    .bind(i64::from(photo.height))
    .bind(photo.bytes as i64)
    .bind(&photo.thumb_key)
    .bind(i64::from(photo.thumb_width))
    .bind(i64::from(photo.thumb_height))
    .bind(&photo.content_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// A photo belongs to one order: a token for another order never finds it.
pub async fn find_photo(
    db: &Db,
    order_id: &str,
    photo_id: &str,
) -> Result<Option<PhotoRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, shop_id, order_id, storage_key, width, height, bytes, thumb_key, thumb_width, thumb_height, content_hash \
         FROM photos WHERE order_id = $1 AND id = $2",
    )
    .bind(order_id)
    .bind(photo_id)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        let dim = |c: &str| {
            row.try_get::<i64, _>(c)
                .map(|v| u32::try_from(v).unwrap_or(0))
        };
        Ok(PhotoRecord {
            id: row.try_get("id")?,
            shop_id: row.try_get("shop_id")?,
            order_id: row.try_get("order_id")?,
            storage_key: row.try_get("storage_key")?,
            width: dim("width")?,
            height: dim("height")?,
            bytes: u64::try_from(row.try_get::<i64, _>("bytes")?).unwrap_or(0),
            thumb_key: row.try_get("thumb_key")?,
            thumb_width: dim("thumb_width")?,
            thumb_height: dim("thumb_height")?,
            content_hash: row.try_get("content_hash")?,
        })
    })
    .transpose()
}

pub async fn photo_shop(db: &Db, photo_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT shop_id FROM photos WHERE id = $1")
        .bind(photo_id)
        .fetch_optional(db)
        .await?;
    row.map(|row| row.try_get("shop_id")).transpose()
}
