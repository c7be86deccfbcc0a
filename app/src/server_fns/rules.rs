//! The rules editor's server functions: read for every merchant user of the shop, save
//! for owners, and a dry run of a draft over the shop's recent requests.

use leptos::prelude::*;

use super::AppError;
use crate::{
    backoffice::dto::{DryRunRow, RulesView},
    domain::rules::Rule,
};

#[server(endpoint = "office/rules")]
pub async fn office_rules() -> Result<RulesView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::rules::rules_view(&state, &merchant).await?)
}

#[server(endpoint = "office/save_rules", input = server_fn::codec::Json)]
pub async fn office_save_rules(version: i64, rules: Vec<Rule>) -> Result<RulesView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::rules::save_rules(&state, &merchant, version, rules).await?)
}

#[server(endpoint = "office/dry_run_rules", input = server_fn::codec::Json)]
pub async fn office_dry_run_rules(rules: Vec<Rule>) -> Result<Vec<DryRunRow>, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::rules::dry_run(&state, &merchant, &rules).await?)
}
