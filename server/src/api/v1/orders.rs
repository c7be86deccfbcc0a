//! Orders pushed in by the shop: created the first time a number is seen, updated after.

use app::{
    domain::{
        order_sync::{IncomingLine, MAX_ORDERS_PER_BATCH},
        shop::PostalAddress,
        withdrawal::Exclusion,
        Currency, EmailAddress, Money, Order, OrderLine, OrderNumber,
    },
    services::{api::Upserted, now_unix, AppState},
};
use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::{ApiClient, ApiJson, Problem};

/// An order as the shop knows it. Sending the same number again replaces the order's
/// fields and lines: lines are matched by `line_id`; a line missing from the new version is
/// removed unless a return points at it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// The order number shoppers type, e.g. `1001` or `#FR-1001`; matched case-insensitively.
    #[schema(example = "2001")]
    pub number: String,
    /// As shown to the shopper; defaults to `#<number>`.
    pub display_number: Option<String>,
    #[schema(example = "ada@example.org")]
    pub email: String,
    #[serde(default)]
    pub customer_name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "FR")]
    pub shipping_country: String,
    pub shipping_address: Option<AddressInput>,
    /// ISO 4217; amounts are in its minor unit.
    #[schema(example = "EUR")]
    pub currency: String,
    #[schema(example = "2026-11-20", format = Date)]
    pub placed_on: String,
    /// Absent until delivered; the return window counts from it.
    #[schema(format = Date)]
    pub delivered_on: Option<String>,
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// The shop's own id of the line, unique within the order.
    #[schema(example = "li-1")]
    pub line_id: String,
    pub sku: String,
    pub title: String,
    #[serde(default)]
    pub variant: String,
    #[schema(minimum = 1, maximum = 10000)]
    pub quantity: u32,
    /// What the shopper paid for one unit, in minor units.
    #[schema(minimum = 0)]
    pub unit_price_minor: i64,
    /// An order discount allocated to the whole line, in minor units.
    #[serde(default)]
    pub discount_minor: i64,
    #[serde(default)]
    pub image_url: String,
    /// False for final-sale lines.
    #[serde(default = "yes")]
    pub returnable: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    pub category: Option<String>,
    /// Set when the law excludes the line from the EU right of withdrawal (Art. 16).
    pub withdrawal_exclusion: Option<ExclusionInput>,
}

fn yes() -> bool {
    true
}

/// Art. 16 exclusions: personalised goods, perishables, unsealed hygiene goods, goods mixed
/// inseparably, unsealed media, periodicals.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionInput {
    Personalised,
    Perishable,
    SealedHygiene,
    Mixed,
    SealedMedia,
    Periodical,
}

impl From<ExclusionInput> for Exclusion {
    fn from(input: ExclusionInput) -> Exclusion {
        match input {
            ExclusionInput::Personalised => Exclusion::Personalised,
            ExclusionInput::Perishable => Exclusion::Perishable,
            ExclusionInput::SealedHygiene => Exclusion::SealedHygiene,
            ExclusionInput::Mixed => Exclusion::Mixed,
            ExclusionInput::SealedMedia => Exclusion::SealedMedia,
            ExclusionInput::Periodical => Exclusion::Periodical,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpsertResult {
    /// The number as stored (upper case, without `#`).
    pub number: String,
    /// `created` or `updated`.
    #[schema(example = "created")]
    pub outcome: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBatch {
    /// At most 500 orders.
    pub orders: Vec<OrderInput>,
}

/// One entry of a batch: its result, or the problem that kept it out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchEntry {
    /// The entry's position in `orders`, from 0.
    pub index: usize,
    pub number: String,
    pub result: Option<UpsertResult>,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchResult {
    pub created: usize,
    pub updated: usize,
    pub refused: usize,
    pub entries: Vec<BatchEntry>,
}

fn parse_date(text: &str, field: &str) -> Result<Date, Problem> {
    Date::parse(text, &time::format_description::well_known::Iso8601::DATE).map_err(|_| {
        Problem::invalid(
            "date_invalid",
            format!("{field}: {text:?} is not a date (YYYY-MM-DD)"),
        )
    })
}

/// Reads the shop's JSON into the domain's order, refusing what does not parse.
pub fn to_domain(input: OrderInput) -> Result<(Order, Vec<IncomingLine>), Problem> {
    let number = OrderNumber::parse(&input.number).map_err(|_| {
        Problem::invalid(
            "order_number_invalid",
            "number: 1 to 64 letters, digits, - _ . /",
        )
    })?;
    let email = EmailAddress::parse(&input.email)
        .map_err(|_| Problem::invalid("email_invalid", "email is not an address"))?;
    let currency = Currency::parse(&input.currency)
        .map_err(|_| Problem::invalid("currency_invalid", "currency: three letters (ISO 4217)"))?;
    let address = input
        .shipping_address
        .map_or_else(PostalAddress::default, |a| PostalAddress {
            name: a.name,
            lines: a.lines,
            postcode: a.postcode,
            city: a.city,
            country: a.country.to_ascii_uppercase(),
        });
    let order = Order {
        id: String::new(),
        shop_id: String::new(),
        display_number: input
            .display_number
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| format!("#{}", number.as_str())),
        number,
        email,
        customer_name: input.customer_name.trim().to_owned(),
        shipping_country: input.shipping_country.trim().to_ascii_uppercase(),
        shipping_address: address,
        currency,
        placed_on: parse_date(&input.placed_on, "placed_on")?,
        delivered_on: input
            .delivered_on
            .as_deref()
            .map(|d| parse_date(d, "delivered_on"))
            .transpose()?,
    };
    let lines = input
        .lines
        .into_iter()
        .map(|line| IncomingLine {
            key: line.line_id,
            line: OrderLine {
                id: String::new(),
                sku: line.sku.trim().to_owned(),
                title: line.title.trim().to_owned(),
                variant: line.variant.trim().to_owned(),
                quantity: line.quantity,
                unit_price: Money::new(line.unit_price_minor, currency),
                discount: Money::new(line.discount_minor, currency),
                image_url: line.image_url,
                returnable: line.returnable,
                tags: line.tags,
                category: line.category.filter(|c| !c.trim().is_empty()),
                withdrawal_exclusion: line.withdrawal_exclusion.map(Exclusion::from),
            },
        })
        .collect();
    Ok((order, lines))
}

fn result(number: &str, upserted: Upserted) -> UpsertResult {
    UpsertResult {
        number: number.to_owned(),
        outcome: match upserted {
            Upserted::Created => "created",
            Upserted::Updated => "updated",
        }
        .to_owned(),
    }
}

/// Create or update one order.
#[utoipa::path(
    post, path = "/orders", tag = "orders",
    request_body = OrderInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST run once")),
    responses(
        (status = 201, description = "Created", body = UpsertResult),
        (status = 200, description = "Updated", body = UpsertResult),
        (status = "4XX", description = "Refused; nothing changed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn upsert_order(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiJson(input): ApiJson<OrderInput>,
) -> Result<(StatusCode, Json<UpsertResult>), Problem> {
    let (order, lines) = to_domain(input)?;
    let number = order.number.as_str().to_owned();
    let upserted =
        app::services::api::upsert_order(&state, &merchant, order, lines, now_unix()).await?;
    let status = match upserted {
        Upserted::Created => StatusCode::CREATED,
        Upserted::Updated => StatusCode::OK,
    };
    Ok((status, Json(result(&number, upserted))))
}

/// Create or update up to 500 orders. Each order stands or fails on its own; the answer
/// says which, in the batch's order.
#[utoipa::path(
    post, path = "/orders/batch", tag = "orders",
    request_body = OrderBatch,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST run once")),
    responses(
        (status = 200, description = "Every order's outcome", body = BatchResult),
        (status = "4XX", description = "The batch itself is refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub async fn upsert_orders(
    State(state): State<AppState>,
    ApiClient(merchant): ApiClient,
    ApiJson(batch): ApiJson<OrderBatch>,
) -> Result<Json<BatchResult>, Problem> {
    if batch.orders.len() > MAX_ORDERS_PER_BATCH {
        return Err(Problem::invalid(
            "batch_too_large",
            format!("at most {MAX_ORDERS_PER_BATCH} orders per batch"),
        ));
    }
    let now = now_unix();
    let mut outcome = BatchResult {
        created: 0,
        updated: 0,
        refused: 0,
        entries: Vec::new(),
    };
    for (index, input) in batch.orders.into_iter().enumerate() {
        let number = input.number.clone();
        let done = match to_domain(input) {
            Ok((order, lines)) => {
                app::services::api::upsert_order(&state, &merchant, order, lines, now)
                    .await
                    .map_err(Problem::from)
            }
            Err(problem) => Err(problem),
        };
        let entry = match done {
            Ok(upserted) => {
                match upserted {
                    Upserted::Created => outcome.created += 1,
                    Upserted::Updated => outcome.updated += 1,
                }
                let stored = OrderNumber::parse(&number)
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or(number.clone());
                BatchEntry {
                    index,
                    number,
                    result: Some(result(&stored, upserted)),
                    problem: None,
                }
            }
            Err(problem) if problem.status >= 500 => return Err(problem),
            Err(problem) => {
                outcome.refused += 1;
                BatchEntry {
                    index,
                    number,
                    result: None,
                    problem: Some(problem.at(format!("/orders/{index}"))),
                }
            }
        };
        outcome.entries.push(entry);
    }
    Ok(Json(outcome))
}
