//! Return rules at work: what the wizard shows while the shopper answers, what decides at
//! submission, the editor's load and save, and the dry run over recent requests. The
//! semantics live in `domain::rules`; this module only gathers the facts they need.

use time::{Date, OffsetDateTime};

use super::{lookup::open_grant, AppState, ServiceError};
use crate::{
    backoffice::dto::{DryRunRow, RulesView},
    domain::fee::fee_due,
    domain::{
        rules::{
            evaluate, history_window_days, validate_rule_set, ItemContext, Outcome, RequestKind,
            Rule, RuleContext, ShopDefaults,
        },
        settlement::LinePayment,
        shop::Shop,
        DomainError, Locale, Merchant, Order, OrderLine, Resolution,
    },
    dto::{ItemRuleView, RuleItemInput, RulesPreview},
    store,
};

const DRY_RUN_REQUESTS: i64 = 50;

fn date_of(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix).map_or(Date::MIN, |t| t.date())
}

/// The facts rules test, for the items given (answers not given yet stay `None`).
pub fn rule_context(
    order: &Order,
    lines: &[OrderLine],
    items: &[RuleItemInput],
    resolution: Option<Resolution>,
    earlier_requests: Vec<Date>,
    today: Date,
) -> Result<RuleContext, DomainError> {
    Ok(RuleContext {
        kind: RequestKind::Commercial,
        today,
        placed_on: order.placed_on,
        delivered_on: order.delivered_on,
        shipping_country: order.shipping_country.clone(),
        order_total: LinePayment::order_total(
            order.currency,
            lines.iter().map(OrderLine::payment),
        )?,
        resolution,
        earlier_requests,
        items: items
            .iter()
            .filter_map(|item| {
                let line = lines.iter().find(|l| l.id == item.line_id)?;
                Some(ItemContext {
                    line_id: line.id.clone(),
                    sku: line.sku.clone(),
                    unit_price: line.unit_price,
                    tags: line.tags.clone(),
                    category: line.category.clone(),
                    reason: item.reason.clone().filter(|r| !r.is_empty()),
                    quantity: item.quantity,
                })
            })
            .collect(),
    })
}

/// The days of this customer's other requests made up to `until`, as far back as the rules
/// look; nothing is read when no rule asks about a customer's history.
async fn earlier_requests(
    state: &AppState,
    rules: &[Rule],
    shop: &Shop,
    order: &Order,
    until: i64,
    except: &str,
) -> Result<Vec<Date>, ServiceError> {
    let Some(days) = history_window_days(rules) else {
        return Ok(Vec::new());
    };
    let since = date_of(until)
        .saturating_sub(time::Duration::days(i64::from(days)))
        .midnight()
        .assume_utc()
        .unix_timestamp();
    let times = store::rules::customer_request_times(
        &state.db,
        &shop.id,
        order.email.as_str(),
        since,
        until,
        except,
    )
    .await?;
    Ok(times.into_iter().map(date_of).collect())
}

/// Evaluates the shop's rules for one request as far as it is known.
pub async fn outcome_for(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    lines: &[OrderLine],
    items: &[RuleItemInput],
    resolution: Option<Resolution>,
    now: OffsetDateTime,
) -> Result<(Outcome, Vec<Rule>), ServiceError> {
    let (rules, _) = store::rules::shop_rules(&state.db, &shop.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let earlier = earlier_requests(state, &rules, shop, order, now.unix_timestamp(), "").await?;
    let context = rule_context(order, lines, items, resolution, earlier, now.date())?;
    Ok((evaluate(&rules, &context, ShopDefaults::from(shop)), rules))
}

/// The wizard's question while the shopper answers: which items rules refuse, and which
/// resolutions remain. Only rules that certainly apply refuse.
pub async fn preview(
    state: &AppState,
    token: &str,
    items: &[RuleItemInput],
    resolution: Option<Resolution>,
    locale: Locale,
    now: OffsetDateTime,
) -> Result<RulesPreview, ServiceError> {
    if items.len() > 100 {
        return Err(ServiceError::Invalid("items"));
    }
    let (shop, order) = open_grant(state, token, now.unix_timestamp()).await?;
    let lines = store::orders::order_lines(&state.db, &order).await?;
    let (outcome, _) = outcome_for(state, &shop, &order, &lines, items, resolution, now).await?;
    Ok(RulesPreview {
        items: outcome
            .items
            .iter()
            .map(|item| ItemRuleView {
                line_id: item.line_id.clone(),
                refusal: item.refusal_message(locale),
                resolutions: item.resolutions.clone(),
            })
            .collect(),
        resolutions: outcome.resolutions.clone(),
        fee: fee_due(
            &shop.fee,
            &outcome.fee,
            items.iter().filter_map(|i| i.quantity).sum(),
            order.currency,
        ),
        fee_deductible: shop.fee.deduct_from_refund,
    })
}

/// The back-office's plain words for what matched, one line per rule and item.
pub fn explanations(
    outcome: &Outcome,
    rules: &[Rule],
    shop: &Shop,
    titles: &[(String, String)],
) -> Vec<String> {
    let title = |line_id: &str| {
        titles
            .iter()
            .find(|(id, _)| id == line_id)
            .map_or(line_id.to_owned(), |(_, t)| t.clone())
    };
    outcome
        .items
        .iter()
        .flat_map(|item| item.matched.iter().map(move |m| (item, m)))
        .map(|(item, m)| {
            format!(
                "{}: {}",
                title(&item.line_id),
                m.explain(rules, Locale::En, &shop.reasons)
            )
        })
        .collect()
}

pub async fn rules_view(state: &AppState, merchant: &Merchant) -> Result<RulesView, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (rules, version) = store::rules::shop_rules(&state.db, &shop.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let previews = rules
        .iter()
        .map(|rule| rule.describe(Locale::En, &shop.reasons))
        .collect();
    Ok(RulesView {
        rules,
        previews,
        version,
        can_edit: merchant.role.can_change_settings(),
        reasons: shop.reasons.clone(),
        resolutions: shop.resolutions.clone(),
        currency: shop.fee.amount.currency,
    })
}

/// Replaces the shop's rules after the domain's checks; owners only, versioned.
pub async fn save_rules(
    state: &AppState,
    merchant: &Merchant,
    version: i64,
    mut rules: Vec<Rule>,
) -> Result<RulesView, ServiceError> {
    if !merchant.role.can_change_settings() {
        return Err(ServiceError::Forbidden);
    }
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // The list's order is the rule order: positions are renumbered 1, 2, 3…
    for (index, rule) in rules.iter_mut().enumerate() {
        rule.position = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if rule.id.trim().is_empty() {
            rule.id = super::new_id();
        }
    }
    validate_rule_set(&rules, &shop.reasons).map_err(|(_, error)| ServiceError::Rule(error))?;
    if !store::rules::replace_rules(&state.db, &shop.id, version, &rules).await? {
        return Err(ServiceError::Conflict);
    }
    tracing::info!(shop.id = %shop.id, user.id = %merchant.user_id, rules = rules.len(), "return rules saved");
    rules_view(state, merchant).await
}

/// What `rules` (the saved ones, or a draft from the editor) would have done to the shop's
/// last 50 requests, next to what actually happened to them.
pub async fn dry_run(
    state: &AppState,
    merchant: &Merchant,
    rules: &[Rule],
) -> Result<Vec<DryRunRow>, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    validate_rule_set(rules, &shop.reasons).map_err(|(_, error)| ServiceError::Rule(error))?;
    let mut rows = Vec::new();
    for request in store::rules::recent_requests(&state.db, &shop.id, DRY_RUN_REQUESTS).await? {
        let Some(order) = store::orders::find_order(&state.db, &shop.id, &request.order_id).await?
        else {
            continue;
        };
        let lines = store::orders::order_lines(&state.db, &order).await?;
        let items: Vec<RuleItemInput> = store::returns::return_items(&state.db, &request.id)
            .await?
            .into_iter()
            .map(|item| RuleItemInput {
                line_id: item.order_line_id,
                reason: Some(item.reason_code),
                quantity: Some(item.quantity),
            })
            .collect();
        let earlier =
            earlier_requests(state, rules, &shop, &order, request.created_at, &request.id).await?;
        let context = rule_context(
            &order,
            &lines,
            &items,
            Some(request.resolution),
            earlier,
            date_of(request.created_at),
        )?;
        let outcome = evaluate(rules, &context, ShopDefaults::from(&shop));
        let titles: Vec<(String, String)> = lines
            .iter()
            .map(|l| (l.id.clone(), l.title.clone()))
            .collect();
        rows.push(DryRunRow {
            id: request.id,
            reference: request.reference,
            actual: request.status,
            verdict: outcome.verdict,
            explanations: explanations(&outcome, rules, &shop, &titles),
        });
    }
    Ok(rows)
}
