//! The shop's settings page. Everyone in the shop may read them; only owners change them.

use super::{AppState, ServiceError};
use crate::{
    backoffice::dto::SettingsView,
    domain::{settings::ShopSettings, Merchant},
    store,
};

pub async fn shop_settings(
    state: &AppState,
    merchant: &Merchant,
) -> Result<SettingsView, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let version = store::shops::settings_version(&state.db, &shop.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(SettingsView {
        settings: ShopSettings::of(&shop),
        version,
        can_edit: merchant.role.can_change_settings(),
        portal_path: format!("/{}", shop.slug),
    })
}

/// Saves the settings if they pass the domain's check and nobody saved since `version`.
/// The portal reads the shop on every call, so the change shows on the shopper's next step.
pub async fn save_shop_settings(
    state: &AppState,
    merchant: &Merchant,
    version: i64,
    settings: ShopSettings,
) -> Result<SettingsView, ServiceError> {
    if !merchant.role.can_change_settings() {
        return Err(ServiceError::Forbidden);
    }
    let settings = settings.checked()?;
    if !store::shops::update_shop_settings(&state.db, &merchant.shop_id, version, &settings).await?
    {
        return Err(ServiceError::Conflict);
    }
    tracing::info!(shop.id = %merchant.shop_id, user.id = %merchant.user_id, "settings saved");
    shop_settings(state, merchant).await
}

/// The addresses a shop's embedding snippet uses, and the sites allowed to frame it.
pub async fn embed_kit(
    state: &AppState,
    merchant: &Merchant,
) -> Result<crate::backoffice::dto::EmbedKitView, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let base = state.public_url.trim_end_matches('/');
    Ok(crate::backoffice::dto::EmbedKitView {
        portal_url: format!("{base}/{}", shop.slug),
        script_url: format!("{base}/embed.js"),
        allowed_origins: shop.allowed_origins.clone(),
    })
}
