//! Server functions: thin doors from the browser to the services.

mod error;
pub mod portal;

pub use error::AppError;
pub use portal::*;
