//! The integration API. One version so far; a breaking change would add `v2` beside it.

pub mod v1;
