use sqlx::Row;

use super::Db;
use crate::domain::{
    settings::ShopSettings,
    shop::{parse_list, LocalizedText, Shop},
    Locale,
};

const SHOP_COLUMNS: &str = "id, slug, name, default_locale, languages, return_window_days, returns_enabled, \
    manual_approval, reasons_json, resolutions, return_methods, allowed_origins, policy_json, logo_url, accent_colour, theme_json, return_address_json, fee_json, withdrawal_json, privacy_json";

pub async fn find_shop_by_slug(db: &Db, slug: &str) -> Result<Option<Shop>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {SHOP_COLUMNS} FROM shops WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(db)
        .await?;
    row.map(|row| shop_from_row(&row)).transpose()
}

pub async fn find_shop_by_id(db: &Db, id: &str) -> Result<Option<Shop>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {SHOP_COLUMNS} FROM shops WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|row| shop_from_row(&row)).transpose()
}

fn shop_from_row(row: &sqlx::any::AnyRow) -> Result<Shop, sqlx::Error> {
    let decode = |column: &str, e: String| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: e.into(),
    };
    let languages: Vec<Locale> = row
        .try_get::<String, _>("languages")?
        .split(',')
        .filter_map(Locale::from_tag)
        .collect();
    Ok(Shop {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        default_locale: Locale::from_tag(&row.try_get::<String, _>("default_locale")?)
            .unwrap_or_default(),
        languages: if languages.is_empty() {
            Locale::ALL.to_vec()
        } else {
            languages
        },
        return_window_days: u32::try_from(row.try_get::<i64, _>("return_window_days")?)
            .unwrap_or(0),
        returns_enabled: row.try_get::<i64, _>("returns_enabled")? != 0,
        manual_approval: row.try_get::<i64, _>("manual_approval")? != 0,
        reasons: serde_json::from_str(&row.try_get::<String, _>("reasons_json")?)
            .map_err(|e| decode("reasons_json", e.to_string()))?,
        resolutions: parse_list(&row.try_get::<String, _>("resolutions")?),
        methods: parse_list(&row.try_get::<String, _>("return_methods")?),
        allowed_origins: row
            .try_get::<String, _>("allowed_origins")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        policy: serde_json::from_str::<LocalizedText>(&row.try_get::<String, _>("policy_json")?)
            .unwrap_or_default(),
        logo_url: row.try_get("logo_url")?,
        accent_colour: row.try_get("accent_colour")?,
        theme: serde_json::from_str(&row.try_get::<String, _>("theme_json")?).unwrap_or_default(),
        return_address: serde_json::from_str(&row.try_get::<String, _>("return_address_json")?)
            .unwrap_or_default(),
        fee: serde_json::from_str(&row.try_get::<String, _>("fee_json")?).unwrap_or_default(),
        withdrawal: serde_json::from_str(&row.try_get::<String, _>("withdrawal_json")?)
            .unwrap_or_default(),
        privacy: serde_json::from_str(&row.try_get::<String, _>("privacy_json")?)
            .unwrap_or_default(),
    })
}

/// The settings page's columns, in the order [`bind_settings`] binds them: one encoding
/// for creating a shop and for saving its settings.
const SETTINGS_COLUMNS: [&str; 18] = [
    "name",
    "default_locale",
    "languages",
    "returns_enabled",
    "manual_approval",
    "return_window_days",
    "reasons_json",
    "resolutions",
    "return_methods",
    "policy_json",
    "logo_url",
    "accent_colour",
    "theme_json",
    "allowed_origins",
    "return_address_json",
    "fee_json",
    "withdrawal_json",
    "privacy_json",
];

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_settings<'q>(query: AnyQuery<'q>, settings: &ShopSettings) -> AnyQuery<'q> {
    let join = |items: Vec<&str>| items.join(",");
    query
        .bind(settings.name.clone())
        .bind(settings.default_locale.code())
        .bind(join(settings.languages.iter().map(|l| l.code()).collect()))
        .bind(i64::from(settings.returns_enabled))
        .bind(i64::from(settings.manual_approval))
        .bind(i64::from(settings.return_window_days))
        .bind(serde_json::to_string(&settings.reasons).unwrap_or_else(|_| "[]".into()))
        .bind(join(
            settings.resolutions.iter().map(|r| r.as_str()).collect(),
        ))
        .bind(join(settings.methods.iter().map(|m| m.as_str()).collect()))
        .bind(serde_json::to_string(&settings.policy).unwrap_or_else(|_| "{}".into()))
        .bind(settings.logo_url.clone())
        .bind(settings.accent_colour.clone())
        .bind(serde_json::to_string(&settings.theme).unwrap_or_default())
        .bind(settings.allowed_origins.join(" "))
        .bind(serde_json::to_string(&settings.return_address).unwrap_or_else(|_| "{}".into()))
        .bind(serde_json::to_string(&settings.fee).unwrap_or_default())
        .bind(serde_json::to_string(&settings.withdrawal).unwrap_or_default())
        .bind(serde_json::to_string(&settings.privacy).unwrap_or_default())
}

/// `$first, $first+1, …` for the settings columns.
fn placeholders(first: usize) -> String {
    (first..first + SETTINGS_COLUMNS.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Takes the pool or a transaction's connection, so a shop and its first owner can be
/// created together. A taken slug is a unique violation.
pub async fn insert_shop<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    shop: &Shop,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO shops (id, slug, created_at, {}) VALUES ($1, $2, $3, {})",
        SETTINGS_COLUMNS.join(", "),
        placeholders(4)
    );
    let query = sqlx::query(&sql).bind(&shop.id).bind(&shop.slug).bind(now);
    bind_settings(query, &ShopSettings::of(shop))
        .execute(db)
        .await?;
    Ok(())
}

/// Turns online returns and manual approval on or off.
pub async fn set_shop_switches(
    db: &Db,
    shop_id: &str,
    returns_enabled: bool,
    manual_approval: bool,
) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE shops SET returns_enabled = $1, manual_approval = $2 WHERE id = $3")
            .bind(i64::from(returns_enabled))
            .bind(i64::from(manual_approval))
            .bind(shop_id)
            .execute(db)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// The number each save of the settings bumps.
pub async fn settings_version(db: &Db, shop_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT settings_version FROM shops WHERE id = $1")
        .bind(shop_id)
        .fetch_optional(db)
        .await
}

/// Saves checked settings if nobody saved since `expected_version` was read; `false` when
/// someone did (or the shop is gone), and nothing is written.
pub async fn update_shop_settings(
    db: &Db,
    shop_id: &str,
    expected_version: i64,
    settings: &ShopSettings,
) -> Result<bool, sqlx::Error> {
    let assignments: Vec<String> = SETTINGS_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    let n = SETTINGS_COLUMNS.len();
    let sql = format!(
        "UPDATE shops SET {}, settings_version = settings_version + 1 WHERE id = ${} AND settings_version = ${}",
        assignments.join(", "),
        n + 1,
        n + 2
    );
    let updated = bind_settings(sqlx::query(&sql), settings)
        .bind(shop_id)
        .bind(expected_version)
        .execute(db)
        .await?;
    Ok(updated.rows_affected() == 1)
}
