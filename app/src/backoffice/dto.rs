//! What the back-office pages and its server functions exchange.

use serde::{Deserialize, Serialize};

use crate::domain::{
    settlement::{ItemCondition, RefundQuote, SettlementKind},
    InboxTab, Locale, Money, Resolution, ReturnMethod, ReturnStatus,
};

/// Rows per inbox page.
pub const PAGE_SIZE: u32 = 25;

/// The inbox's list query, as the page's URL carries it. Empty strings do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilters {
    pub tab: InboxTab,
    pub status: Option<ReturnStatus>,
    pub reason: String,
    pub country: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    pub search: String,
    /// Zero-based.
    pub page: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabCounts {
    /// Awaiting a decision: the badge on the Requests tab.
    pub requests: i64,
    pub returns: i64,
    pub closed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRowView {
    pub id: String,
    pub reference: String,
    pub status: ReturnStatus,
    pub version: i64,
    pub created_at_unix: i64,
    pub order_number: String,
    pub email: String,
    pub customer_name: String,
    pub country: String,
    pub units: i64,
    pub reasons: Vec<String>,
    /// A legal withdrawal: shown apart from commercial returns.
    #[serde(default)]
    pub withdrawal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub shop_name: String,
    pub counts: TabCounts,
    pub rows: Vec<InboxRowView>,
    pub total: i64,
    pub page: u32,
    pub page_count: u32,
    /// The shop's reasons as (code, English label), for the filter.
    pub reasons: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub quantity: u32,
    pub condition: ItemCondition,
    pub restock: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailItemView {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub reason_code: String,
    pub reason_label: String,
    /// The shopper's reason means damaged or defective: restock defaults to no.
    pub defective: bool,
    pub comment: String,
    pub photo_thumb_url: Option<String>,
    pub photo_url: Option<String>,
    pub received: Option<ReceiptView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntryView {
    pub status: ReturnStatus,
    pub event: String,
    /// `shopper`, `automatic`, or the merchant user's email.
    pub actor: String,
    pub note: String,
    pub at_unix: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub author: String,
    pub body: String,
    pub at_unix: i64,
}

/// What the merchant can do next with a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedActions {
    pub decide: bool,
    pub receive: bool,
    pub settle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDetailView {
    pub id: String,
    pub reference: String,
    pub status: ReturnStatus,
    pub version: i64,
    pub created_at_unix: i64,
    pub order_number: String,
    pub email: String,
    pub customer_name: String,
    pub country: String,
    pub placed_on: String,
    pub delivered_on: Option<String>,
    pub resolution: Resolution,
    pub method: ReturnMethod,
    pub locale: Locale,
    pub with_label: Option<bool>,
    pub decision_note: String,
    pub fee: Money,
    pub fee_refunded: bool,
    pub items: Vec<DetailItemView>,
    pub history: Vec<TimelineEntryView>,
    pub notes: Vec<NoteView>,
    pub actions: AllowedActions,
    /// The refund the numbers call for, once the request can be settled.
    pub quote: Option<RefundQuote>,
    pub credit_note_number: Option<String>,
    /// A legal withdrawal: the statement as received and the refund deadline.
    #[serde(default)]
    pub withdrawal: Option<WithdrawalDetailView>,
    /// What the return rules did at submission, in plain words ("Rule 2 … matched: …").
    pub rule_explanations: Vec<String>,
    /// The emails sent (or waiting) about this request.
    pub emails: Vec<EmailView>,
}

/// What erasing one shopper's data touched.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    pub orders: usize,
    pub requests: usize,
    pub photos: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalDetailView {
    pub consumer_name: String,
    pub email: String,
    pub received_at: String,
    /// The statement's text exactly as acknowledged to the consumer.
    pub statement: String,
    /// The last day to refund (14 days after the statement, Art. 13).
    pub refund_due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteLineView {
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub units: u32,
    pub amount: Money,
}

/// The accounting record of a settled return, printable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    pub number: String,
    pub shop_name: String,
    pub return_id: String,
    pub reference: String,
    pub order_number: String,
    pub customer_name: String,
    pub email: String,
    pub kind: SettlementKind,
    pub lines: Vec<CreditNoteLineView>,
    pub goods: Money,
    pub fee_kept: Money,
    pub amount: Money,
    pub memo: String,
    pub issued_by: String,
    pub issued_at_unix: i64,
}

/// One request of a bulk decision, with the version the list showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkTarget {
    pub id: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    /// References decided.
    pub done: Vec<String>,
    /// References left as they were, with the message key saying why.
    pub failed: Vec<(String, String)>,
}

/// The settings page: the shop's settings, the version they were read at (sent back on
/// save), and whether this user may change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: crate::domain::settings::ShopSettings,
    pub version: i64,
    pub can_edit: bool,
    /// The portal's address on this server, e.g. `/demo`.
    pub portal_path: String,
}

/// The rules editor: the rules in order, each one's plain-language preview, the version to
/// send back, and what conditions can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    pub rules: Vec<crate::domain::rules::Rule>,
    pub previews: Vec<String>,
    pub version: i64,
    pub can_edit: bool,
    pub reasons: Vec<crate::domain::Reason>,
    pub resolutions: Vec<Resolution>,
    /// The shop's currency (its return fee's): new amounts in the editor start in it.
    pub currency: crate::domain::Currency,
}

/// One recent request in the dry run: what happened, and what the rules would decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunRow {
    pub id: String,
    pub reference: String,
    pub actual: ReturnStatus,
    pub verdict: crate::domain::rules::Verdict,
    pub explanations: Vec<String>,
}

/// An email to a shopper as the back-office lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailView {
    pub id: String,
    pub return_id: Option<String>,
    pub reference: String,
    pub kind: crate::domain::message::MessageKind,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: crate::domain::message::DeliveryStatus,
    pub attempts: u32,
    pub last_error: String,
    pub created_at_unix: i64,
    pub sent_at_unix: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailsPage {
    pub shop_name: String,
    pub failed: i64,
    pub emails: Vec<EmailView>,
}

/// One email as the shop sends it in one language: the merchant's text, or ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTextView {
    pub kind: crate::domain::message::MessageKind,
    pub locale: Locale,
    pub text: crate::domain::message::MessageText,
    /// The merchant wrote this text (false: the default).
    pub custom: bool,
}

/// Every email in every language, for the texts editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTextsView {
    pub shop_name: String,
    pub can_edit: bool,
    pub texts: Vec<MessageTextView>,
}

/// An API key as its shop's owner sees it: never its secret, which is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    /// The key's visible start (`rtk_01J…`), to tell keys apart.
    pub prefix: String,
    pub created_by: String,
    pub created_at_unix: i64,
    pub last_used_at_unix: Option<i64>,
    pub revoked: bool,
}

/// A key just made: the only time its whole text exists outside the client's hands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKeyView,
    pub secret: String,
}

/// The webhooks page: the shop's endpoints with their signing secrets, the latest
/// deliveries, and the events one can subscribe to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub endpoints: Vec<WebhookEndpointView>,
    pub deliveries: Vec<WebhookDeliveryView>,
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    /// `whsec_…`, for the receiver's Standard Webhooks verifier.
    pub secret: String,
    pub created_at_unix: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDeliveryView {
    pub id: String,
    pub event: String,
    pub reference: String,
    pub url: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    /// The receiver's HTTP status, or why nothing was received.
    pub last_response: String,
    pub created_at_unix: i64,
    pub next_attempt_at_unix: Option<i64>,
}

/// What the embedding page needs to write a shop's snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedKitView {
    /// The portal's full address, e.g. `https://returns.example.com/demo`.
    pub portal_url: String,
    /// Where `embed.js` is served.
    pub script_url: String,
    /// The sites allowed to frame the portal (and to hear its messages).
    pub allowed_origins: Vec<String>,
}

/// What an order import did, or would do: `imported` is false for a check, and whenever a
/// problem kept the whole file out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: bool,
    /// Rows with anything in them.
    pub rows: usize,
    /// Order numbers new to the shop, and those brought up to date.
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub problems: Vec<ImportProblemView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblemView {
    /// The line in the file, from 1 (the header row); 0 for the file as a whole.
    pub line: usize,
    pub order_number: String,
    /// Stable, as in the API's problems.
    pub code: String,
    pub message: String,
}
