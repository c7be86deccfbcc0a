//! An order as the shop sent it to us.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{settlement::LinePayment, Money};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub shop_id: String,
    /// As the shopper saw it, e.g. `#FR-1001`.
    pub display_number: String,
    pub number: super::OrderNumber,
    pub email: super::EmailAddress,
    pub customer_name: String,
    /// ISO 3166-1 alpha-2, e.g. `FR`.
    pub shipping_country: String,
    /// Where the order went, which is where a return comes from; may be empty.
    #[serde(default)]
    pub shipping_address: super::shop::PostalAddress,
    pub currency: super::Currency,
    pub placed_on: Date,
    pub delivered_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: u32,
    /// What the shopper paid for one unit, its own discounts included.
    pub unit_price: Money,
    /// An order-level discount (a coupon) allocated to this line as a whole.
    pub discount: Money,
    pub image_url: String,
    /// False for final-sale lines.
    pub returnable: bool,
    /// The shop's product tags and category, which return rules can test.
    pub tags: Vec<String>,
    pub category: Option<String>,
    /// Set when the law excludes the line from withdrawal (it can still be returned
    /// commercially if the shop allows).
    pub withdrawal_exclusion: Option<super::withdrawal::Exclusion>,
}

impl OrderLine {
    /// What the shopper paid for this line, for refunds and for rules on the order total.
    pub fn payment(&self) -> LinePayment {
        LinePayment {
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount: self.discount,
        }
    }
}
