//! The back-office's server functions. Each one first resolves the merchant's session
//! (and, for changes, checks the request's origin), then makes one service call scoped to
//! that merchant's shop. Arguments are flat so plain HTML forms can post them too.

use leptos::prelude::*;

use super::AppError;
use crate::{
    backoffice::dto::{BulkOutcome, CreditNoteView, InboxFilters, InboxPage, ReturnDetailView},
    domain::{settlement::ItemCondition, Decision, InboxTab, ReturnStatus},
};

#[cfg(feature = "ssr")]
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The decision a form's `action` field names.
pub fn decision_from_form(
    action: &str,
    refund_fee: bool,
    explanation: String,
) -> Result<Decision, AppError> {
    match action {
        "approve_label" => Ok(Decision::Approve {
            with_label: true,
            refund_fee,
        }),
        "approve_no_label" => Ok(Decision::Approve {
            with_label: false,
            refund_fee,
        }),
        "reject" => Ok(Decision::Reject { explanation }),
        _ => Err(AppError::Invalid("action".into())),
    }
}

/// An amount typed by a merchant (`12.50`, `12,5`, `1500`) in minor units of a currency
/// with `exponent` decimals; `None` for an empty field.
pub fn parse_amount(text: &str, exponent: u32) -> Result<Option<i64>, AppError> {
    crate::domain::money::parse_amount(text, exponent)
        .map_err(|_| AppError::Invalid("amount".into()))
}

#[server(endpoint = "office/inbox", input = server_fn::codec::Json)]
pub async fn office_inbox(filters: InboxFilters) -> Result<InboxPage, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::backoffice::inbox(&state, &merchant, &filters).await?)
}

#[server(endpoint = "office/return")]
pub async fn office_return(id: String) -> Result<ReturnDetailView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::backoffice::return_detail(&state, &merchant, &id).await?)
}

#[server(endpoint = "office/decide")]
pub async fn office_decide(
    id: String,
    version: i64,
    action: String,
    refund_fee: Option<String>,
    explanation: Option<String>,
) -> Result<ReturnStatus, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let decision = decision_from_form(
        &action,
        refund_fee.is_some(),
        explanation.unwrap_or_default(),
    )?;
    Ok(
        crate::services::backoffice::decide(&state, &merchant, &id, version, decision, now())
            .await?,
    )
}

/// `targets` holds `id:version` pairs, as the list's checkboxes carry them.
#[server(endpoint = "office/bulk_decide")]
pub async fn office_bulk_decide(
    targets: Vec<String>,
    action: String,
    explanation: Option<String>,
) -> Result<BulkOutcome, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let decision = decision_from_form(&action, false, explanation.unwrap_or_default())?;
    use crate::backoffice::dto::BulkTarget;
    let targets: Vec<BulkTarget> = targets
        .iter()
        .filter_map(|pair| {
            let (id, version) = pair.rsplit_once(':')?;
            Some(BulkTarget {
                id: id.to_owned(),
                version: version.parse().ok()?,
            })
        })
        .collect();
    Ok(
        crate::services::backoffice::bulk_decide(&state, &merchant, &targets, decision, now())
            .await?,
    )
}

#[server(endpoint = "office/note")]
pub async fn office_add_note(id: String, body: String) -> Result<(), AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::backoffice::add_note(&state, &merchant, &id, &body, now()).await?)
}

/// One item of the receive form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceivedField {
    pub item_id: String,
    pub quantity: u32,
    pub condition: ItemCondition,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub restock: Option<String>,
}

#[server(endpoint = "office/receive", input = server_fn::codec::Json)]
pub async fn office_receive(
    id: String,
    version: i64,
    items: Vec<ReceivedField>,
) -> Result<ReturnStatus, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    use crate::domain::settlement::ReceivedItem;
    let received: Vec<ReceivedItem> = items
        .into_iter()
        .map(|f| ReceivedItem {
            item_id: f.item_id,
            quantity: f.quantity,
            condition: f.condition,
            restock: f.restock.is_some(),
        })
        .collect();
    Ok(
        crate::services::backoffice::receive(&state, &merchant, &id, version, &received, now())
            .await?,
    )
}

/// `kind` is `refund`, `store_credit` or `exchange`; `amount` is empty to take the quote.
#[server(endpoint = "office/settle")]
pub async fn office_settle(
    id: String,
    version: i64,
    kind: String,
    amount: Option<String>,
    reason: Option<String>,
    replacement: Option<String>,
) -> Result<String, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let detail = crate::services::backoffice::return_detail(&state, &merchant, &id).await?;
    use crate::domain::settlement::Settlement;
    let exponent = detail.fee.currency.exponent();
    let adjusted_minor = parse_amount(amount.as_deref().unwrap_or(""), exponent)?;
    let adjustment_reason = reason.unwrap_or_default();
    let settlement = match kind.as_str() {
        "refund" => Settlement::Refund {
            adjusted_minor,
            adjustment_reason,
        },
        "store_credit" => Settlement::StoreCredit {
            adjusted_minor,
            adjustment_reason,
        },
        "exchange" => Settlement::Exchange {
            replacement: replacement.unwrap_or_default(),
        },
        _ => return Err(AppError::Invalid("kind".into())),
    };
    Ok(
        crate::services::backoffice::settle(&state, &merchant, &id, version, &settlement, now())
            .await?,
    )
}

#[server(endpoint = "office/credit_note")]
pub async fn office_credit_note(id: String) -> Result<CreditNoteView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::backoffice::credit_note(&state, &merchant, &id).await?)
}

/// Everything stored about one shopper email in the shop, as pretty JSON (owner only).
#[server(endpoint = "office/export_shopper")]
pub async fn office_export_shopper(email: String) -> Result<String, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    let export = crate::services::privacy::export_shopper(&state, &merchant, &email, now()).await?;
    serde_json::to_string_pretty(&export).map_err(|_| AppError::Internal)
}

/// Erases one shopper's personal data (owner only). `confirm` repeats the email: an erasure
/// cannot be undone.
#[server(endpoint = "office/erase_shopper")]
pub async fn office_erase_shopper(
    email: String,
    confirm: String,
) -> Result<crate::backoffice::dto::Erased, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    if confirm.trim().to_lowercase() != email.trim().to_lowercase() {
        return Err(crate::services::ServiceError::Invalid("confirm").into());
    }
    Ok(crate::services::privacy::erase_shopper(&state, &merchant, &email, now()).await?)
}

/// The tab names the inbox's URL uses.
pub fn tab_from_query(text: Option<String>) -> InboxTab {
    text.as_deref()
        .and_then(InboxTab::parse)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_way_merchants_type_them() {
        assert_eq!(parse_amount("12.50", 2), Ok(Some(1250)));
        assert_eq!(parse_amount("12,5", 2), Ok(Some(1250)));
        assert_eq!(parse_amount(" 7 ", 2), Ok(Some(700)));
        assert_eq!(parse_amount(".99", 2), Ok(Some(99)));
        assert_eq!(parse_amount("1500", 0), Ok(Some(1500)));
        assert_eq!(parse_amount("", 2), Ok(None));
        for bad in ["12.505", "-3", "1e3", "abc", ".", "15.5"] {
            let exponent = if bad == "15.5" { 0 } else { 2 };
            assert!(parse_amount(bad, exponent).is_err(), "{bad}");
        }
        assert!(parse_amount("9999999999999", 2).is_err(), "bounded");
    }

    #[test]
    fn a_form_action_names_one_decision() {
        assert_eq!(
            decision_from_form("approve_label", true, String::new()),
            Ok(Decision::Approve {
                with_label: true,
                refund_fee: true
            })
        );
        assert_eq!(
            decision_from_form("approve_no_label", false, String::new()),
            Ok(Decision::Approve {
                with_label: false,
                refund_fee: false
            })
        );
        assert_eq!(
            decision_from_form("reject", false, "Worn".into()),
            Ok(Decision::Reject {
                explanation: "Worn".into()
            })
        );
        assert!(decision_from_form("delete", false, String::new()).is_err());
    }
}

/// The shop's API keys (owner only), newest first.
#[server(endpoint = "office/api_keys")]
pub async fn office_api_keys() -> Result<Vec<crate::backoffice::dto::ApiKeyView>, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::api::list_keys(&state, &merchant).await?)
}

/// A new API key (owner only); its secret is in this answer and nowhere else.
#[server(endpoint = "office/create_api_key")]
pub async fn office_create_api_key(
    name: String,
) -> Result<crate::backoffice::dto::NewApiKey, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::api::create_key(&state, &merchant, &name, now()).await?)
}

/// Multipart fields: `mode` (`check` or `import`), then `file`, the CSV. A file over the
/// limit is read only up to it, and refused.
#[server(endpoint = "office/import_orders", input = server_fn::codec::MultipartFormData)]
pub async fn office_import_orders(
    data: server_fn::codec::MultipartData,
) -> Result<crate::backoffice::dto::ImportReport, AppError> {
    use crate::{
        domain::order_import::MAX_FILE_BYTES,
        services::order_import::{import_orders, ImportMode},
    };
    let (state, merchant) = super::auth::require_merchant().await?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut mode = ImportMode::Check;
    let mut csv = Vec::new();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        match field.name() {
            Some("mode") => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| AppError::Transport(e.to_string()))?;
                if text == "import" {
                    mode = ImportMode::Import;
                }
            }
            Some("file") => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    csv.extend_from_slice(&chunk);
                    // Read no further than the limit; the import refuses what passes it.
                    if csv.len() > MAX_FILE_BYTES {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(import_orders(&state, &merchant, &csv, mode, now()).await?)
}

#[server(endpoint = "office/revoke_api_key")]
pub async fn office_revoke_api_key(id: String) -> Result<(), AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::api::revoke_key(&state, &merchant, &id, now()).await?)
}

/// The webhooks page: endpoints with their secrets, and the delivery log (owner only).
#[server(endpoint = "office/webhooks")]
pub async fn office_webhooks() -> Result<crate::backoffice::dto::WebhooksView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::webhooks::webhooks_view(&state, &merchant).await?)
}

#[server(endpoint = "office/add_webhook", input = server_fn::codec::Json)]
pub async fn office_add_webhook(
    url: String,
    events: Vec<String>,
) -> Result<crate::backoffice::dto::WebhooksView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::webhooks::add_endpoint(&state, &merchant, &url, &events, now()).await?)
}

#[server(endpoint = "office/delete_webhook")]
pub async fn office_delete_webhook(
    id: String,
) -> Result<crate::backoffice::dto::WebhooksView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::webhooks::delete_endpoint(&state, &merchant, &id).await?)
}

/// Sends a delivery again, with a fresh day of retries.
#[server(endpoint = "office/redeliver_webhook")]
pub async fn office_redeliver_webhook(
    id: String,
) -> Result<crate::backoffice::dto::WebhooksView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::webhooks::redeliver(&state, &merchant, &id, now()).await?)
}

/// The embedding snippet's addresses for the shop (anyone in the shop may read them).
#[server(endpoint = "office/embed_kit")]
pub async fn office_embed_kit() -> Result<crate::backoffice::dto::EmbedKitView, AppError> {
    let (state, merchant) = super::auth::require_merchant().await?;
    Ok(crate::services::settings::embed_kit(&state, &merchant).await?)
}
