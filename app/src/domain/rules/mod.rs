//! Return rules: a merchant's "IF condition THEN action" policies, evaluated per item.
//!
//! A [`Rule`] has an id, a name, an `enabled` flag, a `position`, one [`Condition`] (a test on
//! one field, or an `all_of`/`any_of` group of conditions, nested at most [`MAX_DEPTH`] levels
//! and [`MAX_CONDITIONS`] parts) and one or more [`Action`]s.
//!
//! # How rules are evaluated ([`evaluate`])
//!
//! - Rules run in rule order: `position`, then `id` for ties. Disabled rules are skipped
//!   entirely: they never match, never appear in an outcome and change nothing.
//! - Every enabled rule whose condition is true for an item applies to that item; this is not
//!   first-match-wins. Conditions on the request (country, dates, order total, resolution,
//!   customer history) are the same for every item.
//! - Per item, conflicts are settled like this:
//!   - any refusal wins over everything else; the shopper sees the message of the first
//!     matching refusal in rule order (a translated default when the merchant left it empty);
//!   - otherwise `RequireManualApproval` wins over `ApproveAutomatically`, and automatic
//!     approval makes a return label if any matching rule asks for one;
//!   - when no rule decides approval, the shop's setting does: manual approval, or automatic
//!     approval with a label;
//!   - `WaiveFee` wins over `SetFee`; among `SetFee`s the first in rule order wins, skipping a
//!     fee in another currency than the order (it could not be charged);
//!   - the resolutions offered are the shop's, narrowed to the intersection of every matching
//!     `LimitResolutions`. When nothing is left (two limits with nothing in common, or a limit
//!     the shop does not offer), the item goes to manual approval with all of the shop's
//!     resolutions: a configuration conflict between two non-refusing rules should not refuse
//!     the shopper, and the merchant is the one who can settle it.
//! - The request as a whole ([`Outcome`]): all items refused → refused; otherwise, among the
//!   items left, any manual approval → manual approval; otherwise approved automatically, with a
//!   label if any item asks for one. The resolutions offered are the intersection of the items'
//!   left (nothing in common → manual approval with all of the shop's resolutions). The fee is
//!   the highest fee set on an item left (one parcel, one fee); if no item has one it is waived
//!   when every item left is waived, otherwise the shop's default fee applies. A request with no
//!   item is left to the shop's setting.
//!
//! Everything above is independent of rule order except two picks: which refusal message is
//! shown and which `SetFee` amount is charged (the property tests check exactly this).
//!
//! # Partial answers
//!
//! In the wizard the reason, quantity and resolution may not be chosen yet ([`ItemContext`]
//! and [`RuleContext`] hold them as `Option`). A test on an unknown field is unknown, and groups
//! follow three-valued logic (Kleene): `all_of` is false if any part is false, true if all are
//! true, unknown otherwise; `any_of` the other way round. Only rules whose condition is
//! definitely true apply, so an item is shown as refused only when a refusal certainly applies;
//! rules still unknown are listed in [`ItemOutcome::undecided`] and the outcome is not
//! [`Outcome::complete`]. At submission everything is known and nothing is undecided.
//!
//! # Legal withdrawal
//!
//! For a [`RequestKind::Withdrawal`] (the EU right of withdrawal) the engine never refuses an
//! item, never charges a fee and never narrows the resolutions: the law grants the refund.
//! Such actions still show in the matched rules, marked [`Effect::NotForWithdrawal`].
//!
//! # Fields
//!
//! - Days since delivery counts from the order date when the shop never recorded a delivery,
//!   like the return window; a date in the future counts as 0 days.
//! - A price or total test in another currency than the order's is false, never an error.
//! - Country codes compare ignoring case; tags and categories compare ignoring case and
//!   surrounding spaces (a line matches a tag test if any of its tags does); SKUs ignore ASCII
//!   case.
//! - "Customer returns in the last N days" counts the customer's earlier requests made on or
//!   after `today - N` days.
//!
//! The code is split the same way: `json` (a condition's JSON shape), `evaluate`, `validate`
//! and `describe` (plain language); the types every part shares are here.

use serde::{Deserialize, Serialize};

use super::{shop::LocalizedText, Money, ReasonCode, Resolution};

mod describe;
mod evaluate;
mod json;
#[cfg(test)]
mod tests;
mod validate;

// `describe` adds methods only (`Rule::describe`, `RuleMatch::explain`).

pub use evaluate::*;
pub use json::*;
pub use validate::*;

use describe::tr;
use json::RawCondition;

/// Conditions nest at most this many levels: a lone test is one level, `all_of` of tests two.
pub const MAX_DEPTH: usize = 4;
/// Tests and groups in one rule's condition, all levels together.
pub const MAX_CONDITIONS: usize = 50;
/// Values in one `one_of` / `none_of` list.
pub const MAX_VALUES: usize = 100;
pub const NAME_MAX_CHARS: usize = 80;
/// Per language, for a refusal message.
pub const MESSAGE_MAX_CHARS: usize = 300;

// ---------------------------------------------------------------------------------------------
// Rules, conditions, actions
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub enabled: bool,
    /// Rule order, lowest first; the back office numbers rules from 1 and shows this number.
    pub position: u32,
    pub condition: Condition,
    pub actions: Vec<Action>,
}

/// One test on one field, or a group. Stored and exchanged as JSON, for example
/// `{"field":"reason","op":"none_of","values":["damaged","wrong_item"]}` or
/// `{"all_of":[…]}` (see [`RawCondition`] for the shape and its checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCondition", into = "RawCondition")]
pub enum Condition {
    AllOf(Vec<Condition>),
    AnyOf(Vec<Condition>),
    /// The item's reason code.
    Reason(Membership<ReasonCode>),
    /// The order's shipping country, ISO 3166-1 alpha-2.
    Country(Membership<String>),
    /// The resolution the shopper chose.
    Resolution(Membership<Resolution>),
    /// The product's tags (true when any tag of the line passes).
    Tag(Membership<String>),
    /// The product's category; a line without one is never "is" anything.
    Category(Membership<String>),
    Sku(SkuTest),
    DaysSinceDelivery(Bound<u32>),
    DaysSinceOrder(Bound<u32>),
    /// Units of the line being returned.
    Quantity(Bound<u32>),
    UnitPrice(Bound<Money>),
    OrderTotal(Bound<Money>),
    /// How many earlier return requests this customer (email) made in the last `within_days`.
    CustomerReturns {
        within_days: u32,
        count: Bound<u32>,
    },
}

/// `one_of` reads "is a or b", `none_of` "is neither a nor b".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership<T> {
    Is(T),
    IsNot(T),
    OneOf(Vec<T>),
    NoneOf(Vec<T>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkuTest {
    Is(String),
    OneOf(Vec<String>),
    StartsWith(String),
}

/// Both ends included: "at least 30 days" is true on day 30.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound<T> {
    AtLeast(T),
    AtMost(T),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// The item cannot be returned; the message is shown to the shopper in their language.
    Refuse {
        #[serde(default)]
        message: LocalizedText,
    },
    RequireManualApproval,
    /// `with_label: false`: the shopper keeps the item (not worth shipping back).
    ApproveAutomatically {
        with_label: bool,
    },
    SetFee {
        fee: Money,
    },
    WaiveFee,
    LimitResolutions {
        resolutions: Vec<Resolution>,
    },
}

/// Commercial returns follow the shop's rules; a legal withdrawal is never refused or charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    #[default]
    Commercial,
    Withdrawal,
}
