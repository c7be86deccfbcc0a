#![recursion_limit = "256"]
//! Retour's application: the pure domain core, the shopper portal's pages and the
//! server functions behind them. Server-only modules sit behind the `ssr` feature.

pub mod backoffice;
pub mod browser;
pub mod components;
pub mod domain;
pub mod dto;
pub mod i18n;
pub mod pages;
pub mod server_fns;
pub mod wizard;

#[cfg(feature = "ssr")]
pub mod label;
#[cfg(feature = "ssr")]
pub mod photo;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod store;

pub use pages::{shell, App};
