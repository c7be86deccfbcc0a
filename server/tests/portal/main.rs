//! The portal's server functions over real HTTP, on SQLite and on PostgreSQL.

mod accounts;
mod api;
mod backoffice;
mod emails;
mod helpers;
mod lookup;
mod order_import;
mod office_isolation;
mod payments;
mod photos;
mod privacy;
mod rules;
mod settings;
mod stripe;
mod submit;
mod webhooks;
mod withdrawal;
