//! The wizard's first steps: which shop, and which order.

use time::{Date, OffsetDateTime};

use super::{
    keys::{OrderGrant, ORDER_TOKEN_TTL_SECS},
    AppState, ServiceError,
};
use crate::{
    domain::{
        eligibility::{line_eligibility, LineFacts},
        shop::Shop,
        EmailAddress, LineEligibility, Locale, Order, OrderLine, OrderNumber, ReturnWindow,
    },
    dto::{LineView, OrderView, PortalInfo, ReasonView},
    store,
};

pub async fn enabled_shop(state: &AppState, slug: &str) -> Result<Shop, ServiceError> {
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !shop.returns_enabled {
        return Err(ServiceError::ReturnsDisabled);
    }
    Ok(shop)
}

pub async fn load_portal(
    state: &AppState,
    slug: &str,
    lang: Option<&str>,
    accept_language: Option<&str>,
) -> Result<PortalInfo, ServiceError> {
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let locale = Locale::negotiate(lang, accept_language, &shop.languages, shop.default_locale);
    Ok(PortalInfo {
        shop_slug: shop.slug.clone(),
        shop_name: shop.name.clone(),
        locale,
        languages: shop.languages.clone(),
        returns_enabled: shop.returns_enabled,
        accent_colour: shop.accent_colour.clone(),
        theme: shop.theme,
        logo_url: shop.logo_url.clone(),
        policy: shop.policy.get(locale).to_owned(),
        allowed_origins: shop.allowed_origins.clone(),
        withdrawal_offered: shop.withdrawal.offered,
        withdrawal_days: shop.withdrawal.period().days(),
    })
}

/// The order of `shop` with this number and email, under the attempt limit: `client`
/// identifies the caller (its IP address), and every kind of miss gets the same answer.
/// The return wizard and the withdrawal function both find orders this way.
pub async fn locate_order(
    state: &AppState,
    shop: &Shop,
    (raw_number, raw_email): (&str, &str),
    client: &str,
    now_unix: i64,
) -> Result<Order, ServiceError> {
    let limiter_key = format!("{}|{client}", shop.id);
    state
        .lookup_limiter
        .check(&limiter_key, now_unix)
        .map_err(|retry_after_secs| ServiceError::TooManyAttempts { retry_after_secs })?;
    let number = OrderNumber::parse(raw_number)?;
    let email = EmailAddress::parse(raw_email)?;
    let Some(order) =
        store::orders::find_order_by_number_and_email(&state.db, &shop.id, &number, &email).await?
    else {
        state.lookup_limiter.record_failure(&limiter_key, now_unix);
        return Err(ServiceError::OrderNotFound);
    };
    state.lookup_limiter.record_success(&limiter_key);
    Ok(order)
}

/// Finds an order by number and email for the return wizard, with the token for its next
/// steps (see [`locate_order`] for the attempt limit).
pub async fn find_order(
    state: &AppState,
    slug: &str,
    raw_number: &str,
    raw_email: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<OrderView, ServiceError> {
    let shop = enabled_shop(state, slug).await?;
    let now_unix = now.unix_timestamp();
    let order = locate_order(state, &shop, (raw_number, raw_email), client, now_unix).await?;
    let lines = eligible_lines(state, &shop, &order, now.date()).await?;
    Ok(OrderView {
        token: order_token(state, &shop, &order, now_unix),
        display_number: order.display_number.clone(),
        placed_on: order.placed_on,
        lines: lines
            .into_iter()
            .map(|(line, eligibility)| LineView {
                id: line.id,
                sku: line.sku,
                title: line.title,
                variant: line.variant,
                quantity: line.quantity,
                unit_price: line.unit_price,
                image_url: line.image_url,
                eligibility,
            })
            .collect(),
        reasons: shop
            .reasons
            .iter()
            .map(|r| ReasonView {
                code: r.code.clone(),
                label: r.label.clone(),
                photo_required: r.photo_required,
                comment_required: r.comment_required,
            })
            .collect(),
        resolutions: shop.resolutions.clone(),
        methods: shop.methods.clone(),
    })
}

/// The order's lines with what can still be returned today.
pub async fn eligible_lines(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    today: Date,
) -> Result<Vec<(OrderLine, LineEligibility)>, ServiceError> {
    let lines = store::orders::order_lines(&state.db, order).await?;
    let requested = store::orders::requested_quantities(&state.db, &order.id).await?;
    Ok(lines
        .into_iter()
        .map(|line| {
            let facts = LineFacts {
                quantity: line.quantity,
                already_requested: requested.get(&line.id).copied().unwrap_or(0),
                returnable: line.returnable,
            };
            let eligibility = line_eligibility(
                facts,
                ReturnWindow {
                    days: shop.return_window_days,
                },
                order.placed_on,
                order.delivered_on,
                today,
            );
            (line, eligibility)
        })
        .collect())
}

/// The token that lets the caller who found `order` take the next steps for it.
pub fn order_token(state: &AppState, shop: &Shop, order: &Order, now_unix: i64) -> String {
    state.keys.sign_order(&OrderGrant {
        shop_id: shop.id.clone(),
        order_id: order.id.clone(),
        expires_at: now_unix + ORDER_TOKEN_TTL_SECS,
    })
}

/// The shop and order an order token opens, whatever the shop's settings; SessionExpired
/// when the token is bad or expired. The withdrawal function opens tokens this way.
pub async fn open_token(
    state: &AppState,
    token: &str,
    now_unix: i64,
) -> Result<(Shop, Order), ServiceError> {
    let grant = state
        .keys
        .verify_order(token, now_unix)
        .ok_or(ServiceError::SessionExpired)?;
    let shop = store::shops::find_shop_by_id(&state.db, &grant.shop_id)
        .await?
        .ok_or(ServiceError::SessionExpired)?;
    let order = store::orders::find_order(&state.db, &shop.id, &grant.order_id)
        .await?
        .ok_or(ServiceError::SessionExpired)?;
    Ok((shop, order))
}

/// As [`open_token`], for the return wizard: refused while the shop takes no returns online.
pub async fn open_grant(
    state: &AppState,
    token: &str,
    now_unix: i64,
) -> Result<(Shop, Order), ServiceError> {
    let (shop, order) = open_token(state, token, now_unix).await?;
    if !shop.returns_enabled {
        return Err(ServiceError::ReturnsDisabled);
    }
    Ok((shop, order))
}

/// The privacy notice of a shop, in `lang` when the shop speaks it.
pub async fn privacy_notice(
    state: &AppState,
    slug: &str,
    lang: Option<&str>,
) -> Result<String, ServiceError> {
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let locale = Locale::negotiate(lang, None, &shop.languages, shop.default_locale);
    Ok(shop.privacy.notice_text(locale, &shop.name))
}
