//! The settings page's server functions: read for every merchant user of the shop,
//! save for its owners (checked again in the service, not only hidden in the page).

use leptos::prelude::*;

use super::AppError;
use crate::{backoffice::dto::SettingsView, domain::settings::ShopSettings};

#[server(endpoint = "office/settings")]
pub async fn office_settings() -> Result<SettingsView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::settings::shop_settings(&state, &merchant).await?)
}

#[server(endpoint = "office/save_settings", input = server_fn::codec::Json)]
pub async fn office_save_settings(
    version: i64,
    settings: ShopSettings,
) -> Result<SettingsView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::settings::save_shop_settings(&state, &merchant, version, settings).await?)
}
