//! The pure domain core: no I/O, no clock, no randomness. Everything that decides
//! something about a return lives here and is tested exhaustively.

pub mod decision;
pub mod eligibility;
pub mod error;
pub mod fee;
pub mod locale;
pub mod lookup;
pub mod merchant;
pub mod message;
pub mod money;
pub mod order;
pub mod order_import;
pub mod order_sync;
pub mod page;
pub mod photo_check;
pub mod privacy;
pub mod reference;
pub mod rules;
pub mod settings;
pub mod settlement;
pub mod shop;
pub mod status;
pub mod webhook;
pub mod submission;
pub mod theme;
pub mod withdrawal;

pub use decision::{Decision, InboxTab};
pub use eligibility::{Ineligible, LineEligibility, ReturnWindow};
pub use error::DomainError;
pub use locale::Locale;
pub use lookup::{EmailAddress, OrderNumber};
pub use merchant::{Merchant, Role};
pub use money::{Currency, Money};
pub use order::{Order, OrderLine};
pub use reference::ReturnReference;
pub use shop::{Reason, ReasonCode, Resolution, ReturnMethod};
pub use status::{ReturnEvent, ReturnStatus};
