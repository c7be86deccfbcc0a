//! The merchant back-office: its pages and the data shapes they share with the server
//! functions.

pub mod api_keys;
pub mod dto;
pub mod embed;
pub mod import;
pub mod emails;
pub mod message_texts;
pub mod pages;
pub mod privacy;
pub mod rules;
pub mod settings;
pub mod webhooks;
