//! Server functions: thin doors from the browser to the services.

pub mod backoffice;
mod mail;
mod auth;
mod error;
pub mod portal;
pub mod rules;
pub mod settings;

pub use auth::*;
pub use error::AppError;
pub use backoffice::*;
pub use mail::*;
pub use portal::*;
pub use rules::*;
pub use settings::*;
