//! Signed, expiring tokens: the order token that authorises the wizard's calls (no cookie,
//! so it works in a third-party iframe) and the keys of status links and photo URLs.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a found order stays open in the wizard.
pub const ORDER_TOKEN_TTL_SECS: i64 = 2 * 60 * 60;

pub struct Keys {
    secret: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderGrant {
    pub shop_id: String,
    pub order_id: String,
    pub expires_at: i64,
}

impl Keys {
    /// At least 32 bytes of secret.
    pub fn new(secret: Vec<u8>) -> Option<Keys> {
        (secret.len() >= 32).then_some(Keys { secret })
    }

    fn mac(&self, purpose: &str, message: &[u8]) -> Vec<u8> {
        // Keys made by `new` are never empty, and HMAC takes keys of any length.
        let mut mac =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    fn verify(&self, purpose: &str, message: &[u8], signature: &[u8]) -> bool {
        let mut mac =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    pub fn sign_order(&self, grant: &OrderGrant) -> String {
        let payload = serde_json::to_vec(grant).unwrap_or_default();
        let signature = self.mac("order", &payload);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }

    /// None for a forged, mangled or expired token.
    pub fn verify_order(&self, token: &str, now: i64) -> Option<OrderGrant> {
        if token.len() > 1024 {
            return None;
        }
        let (payload, signature) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        if !self.verify("order", &payload, &signature) {
            return None;
        }
        let grant: OrderGrant = serde_json::from_slice(&payload).ok()?;
        (grant.expires_at > now).then_some(grant)
    }

    /// The secret a webhook endpoint's deliveries are signed with. Derived rather than
    /// stored, so the database alone signs nothing; a new endpoint (new id) has a new one.
    pub fn webhook_secret(&self, endpoint_id: &str) -> Vec<u8> {
        self.mac("webhook-secret", endpoint_id.as_bytes())
    }

    /// A short key that proves a link was made by us for this object, e.g. a status page.
    pub fn link_key(&self, purpose: &str, id: &str) -> String {
        URL_SAFE_NO_PAD.encode(&self.mac(purpose, id.as_bytes())[..16])
    }

    pub fn verify_link_key(&self, purpose: &str, id: &str, key: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(key)
            .is_ok_and(|k| k.len() == 16 && self.mac(purpose, id.as_bytes())[..16] == k[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(byte: u8) -> Keys {
        Keys::new(vec![byte; 32]).unwrap()
    }

    fn grant(expires_at: i64) -> OrderGrant {
        OrderGrant {
            shop_id: "shop".into(),
            order_id: "order".into(),
            expires_at,
        }
    }

    #[test]
    fn a_signed_order_token_opens_its_order_until_it_expires() {
        let token = keys(1).sign_order(&grant(100));
        assert_eq!(keys(1).verify_order(&token, 99), Some(grant(100)));
        assert_eq!(keys(1).verify_order(&token, 100), None);
    }

    #[test]
    fn a_token_signed_with_another_secret_or_edited_is_refused() {
        let token = keys(1).sign_order(&grant(100));
        assert_eq!(keys(2).verify_order(&token, 0), None);
        let (_, signature) = token.split_once('.').unwrap();
        let forged_payload = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&OrderGrant {
                order_id: "other".into(),
                ..grant(100)
            })
            .unwrap(),
        );
        assert_eq!(
            keys(1).verify_order(&format!("{forged_payload}.{signature}"), 0),
            None
        );
        assert_eq!(keys(1).verify_order("garbage", 0), None);
        assert_eq!(keys(1).verify_order("", 0), None);
    }

    #[test]
    fn link_keys_are_bound_to_their_purpose_and_object() {
        let k = keys(1);
        let key = k.link_key("status", "return-1");
        assert!(k.verify_link_key("status", "return-1", &key));
        assert!(!k.verify_link_key("status", "return-2", &key));
        assert!(!k.verify_link_key("photo", "return-1", &key));
        assert!(!k.verify_link_key("status", "return-1", "AAAA"));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Keys::new(vec![0; 31]).is_none());
    }
}
