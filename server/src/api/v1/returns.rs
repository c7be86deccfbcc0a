//! Return requests: list and read them, and move them on as the merchant would.

use app::{
    backoffice::dto::ReturnDetailView,
    domain::{
        page::{page_size, Cursor},
        settlement::{ItemCondition, ReceivedItem, Settlement},
        Decision, Merchant, ReturnStatus,
    },
    services::{api as api_service, backoffice, now_unix, AppState},
};
use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{parse_rfc3339, rfc3339, ApiClient, ApiJson, ApiPath, ApiQuery, Problem};

/// A request in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnSummary {
    #[schema(example = "R-7KQ2-M9XD")]
    pub reference: String,
    /// `awaiting_payment`, `requested`, `approved`, `rejected`, `received`, `settled`, `cancelled` or `expired`.
    pub status: String,
    /// `commercial`, or `withdrawal` for an EU withdrawal statement.
    pub kind: String,
    /// Send it back with an action to make sure nobody acted since you read it.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub order_number: String,
    pub email: String,
    pub country: String,
    pub units: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnPage {
    pub data: Vec<ReturnSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListReturnsQuery {
    /// Only requests in this status.
    pub status: Option<String>,
    /// Only requests changed at or after this instant (RFC 3339).
    pub updated_since: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// Reads a cursor we handed out, refusing any other text.
pub fn cursor(text: Option<&str>) -> Result<Option<Cursor>, Problem> {
    text.filter(|t| !t.is_empty())
        .map(|t| {
            Cursor::decode(t).ok_or_else(|| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    "cursor: not one this API handed out",
                )
            })
        })
        .transpose()
}

/// Requests by last change, oldest first: walk the pages to sync.
#[utoipa::path(
    get, path = "/returns", tag = "returns",
    params(ListReturnsQuery),
    responses(
        (status = 200, body = ReturnPage),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn list_returns(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiQuery(query): ApiQuery<ListReturnsQuery>,
) -> Result<Json<ReturnPage>, Problem> {
    let status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ReturnStatus>().map_err(|_| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("status: unknown status {s:?}"),
                )
            })
        })
        .transpose()?;
    let since = query
        .updated_since
        .as_deref()
        .map(parse_rfc3339)
        .transpose()?;
    let after = cursor(query.cursor.as_deref())?;
    let (rows, next) = api_service::list_returns(
        &state,
        &merchant,
        status,
        since,
        after.as_ref(),
        page_size(query.limit),
    )
    .await?;
    Ok(Json(ReturnPage {
        data: rows
            .into_iter()
            .map(|row| ReturnSummary {
                reference: row.reference,
                status: row.status.as_str().to_owned(),
                kind: row.kind,
                version: row.version,
                created_at: rfc3339(row.created_at),
                updated_at: rfc3339(row.updated_at),
                order_number: row.order_number,
                email: row.email,
                country: row.country,
                units: row.units,
            })
            .collect(),
        next_cursor: next.map(|c| c.encode()),
    }))
}

/// A request in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnRequest {
    pub reference: String,
    pub status: String,
    pub kind: String,
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub order: ReturnOrder,
    /// `refund`, `exchange` or `store_credit`.
    pub resolution: String,
    /// How the items come back, e.g. `drop_off`.
    pub return_method: String,
    /// The shopper's language: `en`, `fr`, `nl` or `de`.
    pub locale: String,
    /// Whether the approval came with a label; absent before a decision.
    pub with_label: Option<bool>,
    /// The explanation given with a rejection.
    pub decision_note: String,
    pub fee: Fee,
    pub items: Vec<ReturnItem>,
    /// What can be done next: `approve`/`reject`, `receive`, `settle`.
    pub next_actions: Vec<String>,
    pub credit_note_number: Option<String>,
    /// What the return rules did at submission, in words.
    pub rule_explanations: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnOrder {
    pub number: String,
    pub email: String,
    pub customer_name: String,
    pub country: String,
    #[schema(format = Date)]
    pub placed_on: String,
    #[schema(format = Date)]
    pub delivered_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Fee {
    pub amount_minor: i64,
    pub currency: String,
    pub refunded: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnItem {
    /// Name it in `receive`.
    pub id: String,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
    pub reason: String,
    pub comment: String,
    pub received: Option<Receipt>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Receipt {
    pub quantity: u32,
    /// `as_new`, `used` or `damaged`.
    pub condition: String,
    pub restock: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub status: String,
    pub event: String,
    /// `shopper`, `automatic`, a merchant's email, or `API key “name”`.
    pub actor: String,
    pub note: String,
    #[schema(format = DateTime)]
    pub at: String,
}

fn to_resource(detail: ReturnDetailView) -> ReturnRequest {
    let mut next_actions = Vec::new();
    if detail.actions.decide {
        next_actions.extend(["approve".to_owned(), "reject".to_owned()]);
    }
    if detail.actions.receive {
        next_actions.push("receive".to_owned());
    }
    if detail.actions.settle {
        next_actions.push("settle".to_owned());
    }
    ReturnRequest {
        reference: detail.reference,
        status: detail.status.as_str().to_owned(),
        kind: if detail.withdrawal.is_some() {
            "withdrawal"
        } else {
            "commercial"
        }
        .to_owned(),
        version: detail.version,
        created_at: rfc3339(detail.created_at_unix),
        order: ReturnOrder {
            number: detail.order_number,
            email: detail.email,
            customer_name: detail.customer_name,
            country: detail.country,
            placed_on: detail.placed_on,
            delivered_on: detail.delivered_on,
        },
        resolution: detail.resolution.as_str().to_owned(),
        return_method: detail.method.as_str().to_owned(),
        locale: detail.locale.code().to_owned(),
        with_label: detail.with_label,
        decision_note: detail.decision_note,
        fee: Fee {
            amount_minor: detail.fee.minor,
            currency: detail.fee.currency.code().to_owned(),
            refunded: detail.fee_refunded,
        },
        items: detail
            .items
            .into_iter()
            .map(|item| ReturnItem {
                id: item.id,
                sku: item.sku,
                title: item.title,
                variant: item.variant,
                quantity: item.quantity,
                unit_price_minor: item.unit_price.minor,
                reason: item.reason_code,
                comment: item.comment,
                received: item.received.map(|r| Receipt {
                    quantity: r.quantity,
                    condition: r.condition.as_str().to_owned(),
                    restock: r.restock,
                }),
            })
            .collect(),
        next_actions,
        credit_note_number: detail.credit_note_number,
        rule_explanations: detail.rule_explanations,
        history: detail
            .history
            .into_iter()
            .map(|h| HistoryEntry {
                status: h.status.as_str().to_owned(),
                event: h.event,
                actor: h.actor,
                note: h.note,
                at: rfc3339(h.at_unix),
            })
            .collect(),
    }
}

async fn read(
    state: &AppState,
    merchant: &Merchant,
    id: &str,
) -> Result<Json<ReturnRequest>, Problem> {
    Ok(Json(to_resource(
        backoffice::return_detail(state, merchant, id).await?,
    )))
}

#[utoipa::path(
    get, path = "/returns/{reference}", tag = "returns",
    params(("reference" = String, Path, description = "The return reference", example = "R-0000-1004")),
    responses(
        (status = 200, body = ReturnRequest),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn get_return(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<ReturnRequest>, Problem> {
    let (id, _) = api_service::find_return(&state, &merchant, &reference).await?;
    read(&state, &merchant, &id).await
}

/// The request and the version to act on: the one sent, else the current one.
async fn target(
    state: &AppState,
    merchant: &Merchant,
    reference: &str,
    version: Option<i64>,
) -> Result<(String, i64), Problem> {
    let (id, current) = api_service::find_return(state, merchant, reference).await?;
    Ok((id, version.unwrap_or(current)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveInput {
    /// Send the shopper a return label; false lets them keep the item.
    #[serde(default = "yes")]
    pub with_label: bool,
    /// Give back the return fee the shopper paid.
    #[serde(default)]
    pub refund_fee: bool,
    /// The version read; the action fails with `conflict` if the request changed since.
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

#[utoipa::path(
    post, path = "/returns/{reference}/approve", tag = "returns",
    params(("reference" = String, Path, example = "R-0000-1004"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ApproveInput,
    responses(
        (status = 200, body = ReturnRequest),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn approve_return(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiPath(reference): ApiPath<String>,
    ApiJson(input): ApiJson<ApproveInput>,
) -> Result<Json<ReturnRequest>, Problem> {
    let (id, version) = target(&state, &merchant, &reference, input.version).await?;
    let decision = Decision::Approve {
        with_label: input.with_label,
        refund_fee: input.refund_fee,
    };
    backoffice::decide(&state, &merchant, &id, version, decision, now_unix()).await?;
    read(&state, &merchant, &id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    /// Shown to the shopper and sent by email; a paid fee is refunded.
    pub explanation: String,
    pub version: Option<i64>,
}

#[utoipa::path(
    post, path = "/returns/{reference}/reject", tag = "returns",
    params(("reference" = String, Path, example = "R-0000-1004"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = RejectInput,
    responses(
        (status = 200, body = ReturnRequest),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn reject_return(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiPath(reference): ApiPath<String>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Result<Json<ReturnRequest>, Problem> {
    let (id, version) = target(&state, &merchant, &reference, input.version).await?;
    let decision = Decision::Reject {
        explanation: input.explanation,
    };
    backoffice::decide(&state, &merchant, &id, version, decision, now_unix()).await?;
    read(&state, &merchant, &id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveInput {
    /// Every item of the request, with what arrived.
    pub items: Vec<ReceivedInput>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedInput {
    pub item_id: String,
    /// Units that arrived, 0 to the item's quantity.
    pub quantity: u32,
    pub condition: ConditionInput,
    /// Put the units back into stock (a stock movement is recorded).
    pub restock: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionInput {
    AsNew,
    Used,
    Damaged,
}

#[utoipa::path(
    post, path = "/returns/{reference}/receive", tag = "returns",
    params(("reference" = String, Path, example = "R-0000-1004"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ReceiveInput,
    responses(
        (status = 200, body = ReturnRequest),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn receive_return(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiPath(reference): ApiPath<String>,
    ApiJson(input): ApiJson<ReceiveInput>,
) -> Result<Json<ReturnRequest>, Problem> {
    let (id, version) = target(&state, &merchant, &reference, input.version).await?;
    let received: Vec<ReceivedItem> = input
        .items
        .into_iter()
        .map(|item| ReceivedItem {
            item_id: item.item_id,
            quantity: item.quantity,
            condition: match item.condition {
                ConditionInput::AsNew => ItemCondition::AsNew,
                ConditionInput::Used => ItemCondition::Used,
                ConditionInput::Damaged => ItemCondition::Damaged,
            },
            restock: item.restock,
        })
        .collect();
    backoffice::receive(&state, &merchant, &id, version, &received, now_unix()).await?;
    read(&state, &merchant, &id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleInput {
    pub kind: SettleKind,
    /// Another amount than the quote, in minor units; needs `adjustment_reason`.
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub adjustment_reason: String,
    /// For an exchange: what is sent instead.
    #[serde(default)]
    pub replacement: String,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettleKind {
    Refund,
    StoreCredit,
    Exchange,
}

#[utoipa::path(
    post, path = "/returns/{reference}/settle", tag = "returns",
    params(("reference" = String, Path, example = "R-0000-1004"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = SettleInput,
    responses(
        (status = 200, description = "Settled; the credit note is numbered", body = ReturnRequest),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn settle_return(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiPath(reference): ApiPath<String>,
    ApiJson(input): ApiJson<SettleInput>,
) -> Result<Json<ReturnRequest>, Problem> {
    let (id, version) = target(&state, &merchant, &reference, input.version).await?;
    let settlement = match input.kind {
        SettleKind::Refund => Settlement::Refund {
            adjusted_minor: input.amount_minor,
            adjustment_reason: input.adjustment_reason,
        },
        SettleKind::StoreCredit => Settlement::StoreCredit {
            adjusted_minor: input.amount_minor,
            adjustment_reason: input.adjustment_reason,
        },
        SettleKind::Exchange => Settlement::Exchange {
            replacement: input.replacement,
        },
    };
    backoffice::settle(&state, &merchant, &id, version, &settlement, now_unix()).await?;
    read(&state, &merchant, &id).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StockMovement {
    pub id: String,
    pub sku: String,
    /// Units put back into stock.
    pub quantity: i64,
    pub return_reference: String,
    #[schema(format = DateTime)]
    pub at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StockMovementPage {
    pub data: Vec<StockMovement>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMovementsQuery {
    /// Only movements at or after this instant (RFC 3339).
    pub since: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// Units put back into stock by received returns, oldest first.
#[utoipa::path(
    get, path = "/stock-movements", tag = "stock",
    params(ListMovementsQuery),
    responses(
        (status = 200, body = StockMovementPage),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn list_stock_movements(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiQuery(query): ApiQuery<ListMovementsQuery>,
) -> Result<Json<StockMovementPage>, Problem> {
    let since = query.since.as_deref().map(parse_rfc3339).transpose()?;
    let after = cursor(query.cursor.as_deref())?;
    let (rows, next) = api_service::stock_movements(
        &state,
        &merchant,
        since,
        after.as_ref(),
        page_size(query.limit),
    )
    .await?;
    Ok(Json(StockMovementPage {
        data: rows
            .into_iter()
            .map(|row| StockMovement {
                id: row.id,
                sku: row.sku,
                quantity: row.quantity,
                return_reference: row.return_reference,
                at: rfc3339(row.at),
            })
            .collect(),
        next_cursor: next.map(|c| c.encode()),
    }))
}
