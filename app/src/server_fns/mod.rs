//! Server functions: thin doors from the browser to the services.

mod auth;
pub mod backoffice;
mod error;
mod mail;
pub mod portal;
pub mod rules;
pub mod settings;

pub use auth::*;
pub use backoffice::*;
pub use error::AppError;
pub use mail::*;
pub use portal::*;
pub use rules::*;
pub use settings::*;
