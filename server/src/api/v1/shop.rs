//! The shop's settings (read only) and its return rules (read and replace).

use app::{
    domain::{
        rules::{Rule, RuleError},
        Locale,
    },
    services::{self, AppState, ServiceError},
};
use axum::{extract::State, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiClient, ApiJson, Problem};

/// The shop's settings as the back-office edits them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settings {
    /// Name, languages, return window, reasons, resolutions, ways back, fee, policy,
    /// branding, allowed origins, withdrawal and privacy settings.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    pub version: i64,
    /// The portal's path, e.g. `/demo`.
    pub portal_path: String,
}

#[utoipa::path(
    get, path = "/settings", tag = "shop",
    responses(
        (status = 200, body = Settings),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn get_settings(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
) -> Result<Json<Settings>, Problem> {
    let view = services::settings::shop_settings(&state, &merchant).await?;
    Ok(Json(Settings {
        settings: serde_json::to_value(&view.settings)
            .map_err(|_| Problem::from(ServiceError::Internal("settings JSON")))?,
        version: view.version,
        portal_path: view.portal_path,
    }))
}

/// The rules in their order, as JSON the rules editor also reads (see the README's "Return
/// rules" for the format and the semantics), with a plain-English line for each.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleSet {
    /// Send it back with a replacement; `conflict` when someone saved since.
    pub version: i64,
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<Rule>,
    /// "IF … THEN …", one per rule, in English.
    pub previews: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetInput {
    pub version: i64,
    /// The new rules in order (positions are renumbered from 1); ids may be omitted for new
    /// rules. An empty list removes every rule.
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<serde_json::Value>,
}

fn rule_set(view: app::backoffice::dto::RulesView) -> RuleSet {
    RuleSet {
        version: view.version,
        previews: view.previews,
        rules: view.rules,
    }
}

#[utoipa::path(
    get, path = "/rules", tag = "shop",
    responses(
        (status = 200, body = RuleSet),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn get_rules(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
) -> Result<Json<RuleSet>, Problem> {
    Ok(Json(rule_set(
        services::rules::rules_view(&state, &merchant).await?,
    )))
}

/// Replaces every rule at once. A rule that cannot be saved refuses the whole set with
/// `rule_invalid` and a `pointer` to it; nothing changes then.
#[utoipa::path(
    put, path = "/rules", tag = "shop",
    request_body = RuleSetInput,
    responses(
        (status = 200, body = RuleSet),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn replace_rules(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiJson(input): ApiJson<RuleSetInput>,
) -> Result<Json<RuleSet>, Problem> {
    let mut rules = Vec::with_capacity(input.rules.len());
    for (index, mut raw) in input.rules.into_iter().enumerate() {
        // New rules need no id, and positions come from the list's order.
        if let Some(fields) = raw.as_object_mut() {
            fields.entry("id").or_insert_with(|| "".into());
            fields.entry("position").or_insert_with(|| 0.into());
            fields.entry("enabled").or_insert_with(|| true.into());
        }
        let rule: Rule = serde_json::from_value(raw).map_err(|error| {
            let malformed = RuleError::Malformed {
                detail: error.to_string(),
            };
            Problem::invalid("rule_invalid", malformed.message(Locale::En))
                .at(format!("/rules/{index}"))
        })?;
        rules.push(rule);
    }
    let view = services::rules::save_rules(&state, &merchant, input.version, rules)
        .await
        .map_err(|error| match error {
            ServiceError::Rule(_) => Problem::from(error).at("/rules"),
            other => Problem::from(other),
        })?;
    Ok(Json(rule_set(view)))
}
