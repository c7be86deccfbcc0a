//! Who acts in the back-office: a merchant user of exactly one shop.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Everything staff can do, plus the shop's settings and its users.
    Owner,
    /// Works the returns: decisions, receiving, settling, notes.
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
        }
    }

    pub fn can_change_settings(self) -> bool {
        self == Role::Owner
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "owner" => Ok(Role::Owner),
            "staff" => Ok(Role::Staff),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// The signed-in merchant user behind a back-office call. Every back-office query is
/// scoped by `shop_id` taken from here, never from the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merchant {
    pub user_id: String,
    pub shop_id: String,
    pub email: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in [Role::Owner, Role::Staff] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn only_owners_change_settings() {
        assert!(Role::Owner.can_change_settings());
        assert!(!Role::Staff.can_change_settings());
    }
}
