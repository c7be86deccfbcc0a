//! What travels between the browser and the server functions.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::{
    shop::LocalizedText, LineEligibility, Locale, Money, Resolution, ReturnMethod, ReturnStatus,
};

/// The portal's first answer: which shop, in which language, with which look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalInfo {
    pub shop_slug: String,
    pub shop_name: String,
    pub locale: Locale,
    pub languages: Vec<Locale>,
    pub returns_enabled: bool,
    pub accent_colour: String,
    /// The shop's font and corner radius.
    #[serde(default)]
    pub theme: crate::domain::theme::Theme,
    /// Empty when the shop has no logo: the name alone heads the portal.
    pub logo_url: String,
    pub policy: String,
    /// Where the embedded portal may post its height and progress.
    pub allowed_origins: Vec<String>,
    /// The EU withdrawal function is offered (shown whether or not returns are enabled).
    #[serde(default)]
    pub withdrawal_offered: bool,
    /// The withdrawal period the shop gives, in days from delivery.
    #[serde(default)]
    pub withdrawal_days: u32,
}

/// An order found by the withdrawal function, with the token that authorises the statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawalOrderView {
    pub token: String,
    pub display_number: String,
    /// Prefills the name field: the consumer proved the order number and email.
    pub customer_name: String,
    pub placed_on: Date,
    pub delivered_on: Option<Date>,
    /// The last day a statement is accepted; `None` until the delivery is recorded.
    pub last_day: Option<Date>,
    pub period_open: bool,
    pub lines: Vec<WithdrawalLineView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawalLineView {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    pub image_url: String,
    pub state: crate::domain::withdrawal::LineWithdrawal,
}

/// What the consumer declares: no reason, no photo, nothing the law does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalInput {
    pub name: String,
    /// Where the acknowledgement goes; the order's address when left empty.
    pub email: String,
    pub selection: crate::domain::withdrawal::Selection,
}

/// The acknowledgement shown right after the statement (and sent by email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalReceipt {
    pub reference: String,
    pub received_at: String,
    pub statement: String,
    pub email: String,
    pub status_path: String,
    /// The plain-text receipt to download.
    pub receipt_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonView {
    pub code: String,
    pub label: LocalizedText,
    pub photo_required: bool,
    pub comment_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub image_url: String,
    pub eligibility: LineEligibility,
}

/// A found order, with the token that authorises the rest of the wizard. The token rides
/// in the calls, not in a cookie, so the portal works inside a third-party iframe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub token: String,
    pub display_number: String,
    pub placed_on: Date,
    pub lines: Vec<LineView>,
    pub reasons: Vec<ReasonView>,
    pub resolutions: Vec<Resolution>,
    pub methods: Vec<ReturnMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: String,
    pub thumb_url: String,
    pub width: u32,
    pub height: u32,
}

/// A refused photo is an answer, not a failure: the wizard shows why and keeps the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadOutcome {
    Stored(PhotoRef),
    Refused { message_key: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub reference: String,
    /// A signed link the shopper can reopen later.
    pub status_path: String,
    pub status: ReturnStatus,
    /// While the return fee is unpaid: the checkout page to send the shopper to.
    #[serde(default)]
    pub payment_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusItemView {
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    pub reason: LocalizedText,
    pub comment: String,
    pub thumb_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusEntryView {
    pub status: ReturnStatus,
    pub at_unix: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusView {
    pub reference: String,
    pub order_number: String,
    pub status: ReturnStatus,
    pub resolution: Resolution,
    pub method: ReturnMethod,
    pub created_at_unix: i64,
    pub items: Vec<StatusItemView>,
    pub history: Vec<StatusEntryView>,
    /// The shop's explanation when it declined the request.
    pub explanation: Option<String>,
    /// Approved with nothing to send back: the shopper keeps the items.
    pub keep_items: bool,
    /// The settlement, once the return is completed.
    pub settled_as: Option<crate::domain::settlement::SettlementKind>,
    pub settled_amount: Option<crate::domain::Money>,
    pub fee: Option<FeeView>,
    /// Not decided yet: the shopper may still withdraw the request.
    pub can_cancel: bool,
    /// Approved with a label: where to download it.
    pub label_path: Option<String>,
    /// Approved with a label: the reference as a QR code (SVG) for drop-off points.
    pub drop_off_qr_svg: Option<String>,
    /// A legal withdrawal: when its statement was received, and its receipt to download.
    #[serde(default)]
    pub withdrawal: Option<WithdrawalStatusView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalStatusView {
    pub received_at: String,
    pub receipt_path: String,
}

/// The built-in test checkout page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCheckoutView {
    pub shop_name: String,
    pub reference: String,
    pub amount: crate::domain::Money,
    /// Not paid yet (and not expired).
    pub open: bool,
    pub status_path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeView {
    pub amount: crate::domain::Money,
    pub state: FeeState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeState {
    ToPay,
    Paid,
    Refunded,
    Deducted,
}

/// The signed-in merchant user, as the back-office shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantView {
    pub email: String,
    pub role: crate::domain::Role,
    pub shop_slug: String,
    pub shop_name: String,
}

/// One item as far as the wizard knows it, for the rules to judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleItemInput {
    pub line_id: String,
    pub reason: Option<String>,
    pub quantity: Option<u32>,
}

/// What the shop's rules say so far: refused items with the message to show, and the
/// resolutions still offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesPreview {
    pub items: Vec<ItemRuleView>,
    pub resolutions: Vec<Resolution>,
    /// The return fee the answers so far would owe (zero: free).
    pub fee: crate::domain::Money,
    /// The shopper may leave the fee to be kept out of a refund instead of paying now.
    pub fee_deductible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRuleView {
    pub line_id: String,
    /// In the shopper's language; `None` unless a rule certainly refuses the item.
    pub refusal: Option<String>,
    pub resolutions: Vec<Resolution>,
}
