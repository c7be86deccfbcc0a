//! The Retour server: configuration, start-up and the HTTP routes around the Leptos app.

pub mod api;
pub mod config;
pub mod routes;
pub mod startup;
