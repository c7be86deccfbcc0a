//! Stripe Checkout: opens a hosted checkout for a return fee, reads whether it was paid,
//! refunds it, and verifies the webhooks Stripe sends when a checkout completes.
//! Stripe's API takes form-encoded bodies and answers JSON (https://docs.stripe.com/api);
//! the shapes read here are the documented Checkout Session, Refund, Error and Event objects.

use std::{fmt, time::Duration};

use hmac::{Hmac, Mac};
use reqwest::{RequestBuilder, StatusCode};
use serde::{de::DeserializeOwned, Deserialize};
use sha2::Sha256;

use super::{Checkout, CheckoutRequest, CheckoutState, PaymentError, RefundRequest};

/// How far a webhook's signed timestamp may be from our clock, in either direction: Stripe's
/// libraries accept 300 s (they check only the past; a timestamp from the future is as suspect).
pub const WEBHOOK_TOLERANCE_SECS: i64 = 300;

/// A call that takes longer is reported unavailable; the caller retries with the same
/// idempotency key, so a call that did reach Stripe is not repeated.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The event types whose `data.object` is a Checkout Session that may have been paid.
const COMPLETED_EVENTS: [&str; 2] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
];

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct StripeGateway {
    secret_key: String,
    api_base: String,
    webhook_secret: String,
    http: reqwest::Client,
}

/// Shows where it talks to, never the keys.
impl fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeGateway")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// A Checkout Session object, as far as we read it.
#[derive(Deserialize)]
struct Session {
    id: String,
    /// Null once the session is complete or expired.
    url: Option<String>,
    /// `open`, `complete` or `expired`.
    status: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    payment_status: Option<String>,
    /// The PaymentIntent id (not expanded), null until one exists.
    payment_intent: Option<String>,
    client_reference_id: Option<String>,
}

#[derive(Deserialize)]
struct Refund {
    id: String,
}

/// `{"error": {"type": .., "message": ..}}`
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    message: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    data: serde_json::Value,
}

impl StripeGateway {
    /// `api_base` is `https://api.stripe.com` except in tests.
    pub fn new(secret_key: &str, webhook_secret: &str, api_base: &str) -> StripeGateway {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            // Stripe's API does not redirect: a 3xx is reported, not followed.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect(
                "the HTTP client builds: rustls with bundled roots needs nothing from the system",
            );
        StripeGateway {
            secret_key: secret_key.to_owned(),
            api_base: api_base.trim_end_matches('/').to_owned(),
            webhook_secret: webhook_secret.to_owned(),
            http,
        }
    }

    pub async fn create_checkout(
        &self,
        request: &CheckoutRequest<'_>,
    ) -> Result<Checkout, PaymentError> {
        let currency = request.amount.currency.code().to_ascii_lowercase();
        let unit_amount = request.amount.minor.to_string();
        let form = [
            ("mode", "payment"),
            ("line_items[0][price_data][currency]", &currency),
            ("line_items[0][price_data][unit_amount]", &unit_amount),
            (
                "line_items[0][price_data][product_data][name]",
                request.description,
            ),
            ("line_items[0][quantity]", "1"),
            ("success_url", request.success_url),
            ("cancel_url", request.cancel_url),
            ("client_reference_id", request.payment_id),
            ("customer_email", request.customer_email),
            ("locale", request.locale.code()),
            ("metadata[payment_id]", request.payment_id),
            ("metadata[return_id]", request.return_id),
            ("metadata[reference]", request.reference),
            (
                "payment_intent_data[metadata][payment_id]",
                request.payment_id,
            ),
        ];
        let call = self
            .http
            .post(format!("{}/v1/checkout/sessions", self.api_base))
            .header(
                "Idempotency-Key",
                format!("retour-checkout-{}", request.payment_id),
            )
            .form(&form);
        let session: Session = self.send(call).await?;
        let url = session.url.ok_or_else(|| {
            PaymentError::Refused(format!("checkout session {} has no URL", session.id))
        })?;
        Ok(Checkout {
            session_id: session.id,
            url,
        })
    }

    pub async fn checkout_state(&self, session_id: &str) -> Result<CheckoutState, PaymentError> {
        // The id goes into the path: anything but Stripe's id characters could change the route.
        if !is_stripe_id(session_id) {
            return Err(PaymentError::Refused(
                "not a Stripe checkout session id".into(),
            ));
        }
        let call = self.http.get(format!(
            "{}/v1/checkout/sessions/{session_id}",
            self.api_base
        ));
        let session: Session = self.send(call).await?;
        if session.payment_status.as_deref() == Some("paid") {
            let payment_ref = session.payment_intent.ok_or_else(|| {
                PaymentError::Refused(format!(
                    "checkout session {} is paid without a payment intent",
                    session.id
                ))
            })?;
            return Ok(CheckoutState::Paid { payment_ref });
        }
        Ok(match session.status.as_deref() {
            Some("expired") => CheckoutState::Expired,
            // `complete` but unpaid: a delayed method (SEPA debit…) still on its way.
            _ => CheckoutState::Open,
        })
    }

    /// Refunds `amount` of the payment; returns Stripe's refund id.
    pub async fn refund(&self, request: &RefundRequest<'_>) -> Result<String, PaymentError> {
        let amount = request.amount.minor.to_string();
        let form = [
            ("payment_intent", request.payment_ref),
            ("amount", &amount),
            ("metadata[payment_id]", request.payment_id),
        ];
        let call = self
            .http
            .post(format!("{}/v1/refunds", self.api_base))
            .header(
                "Idempotency-Key",
                format!("retour-refund-{}", request.payment_id),
            )
            .form(&form);
        let refund: Refund = self.send(call).await?;
        Ok(refund.id)
    }

    /// [`verify_webhook`] with this gateway's endpoint secret.
    pub fn verify_webhook(
        &self,
        signature_header: &str,
        body: &[u8],
        now_unix: i64,
    ) -> Result<WebhookEvent, WebhookError> {
        verify_webhook(&self.webhook_secret, signature_header, body, now_unix)
    }

    async fn send<T: DeserializeOwned>(&self, call: RequestBuilder) -> Result<T, PaymentError> {
        let response = call
            .bearer_auth(&self.secret_key)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport_error)?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|_| {
                PaymentError::Unavailable(format!("unreadable answer from Stripe ({status})"))
            });
        }
        let message = serde_json::from_slice::<ErrorBody>(&body)
            .ok()
            .and_then(|body| body.error.message.or(body.error.kind))
            .unwrap_or_else(|| format!("HTTP {status}"));
        // 429: rate limited; 409: another call with the same idempotency key is still
        // running (Stripe's own libraries retry it, as they do 5xx).
        let retry_later = !status.is_client_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::CONFLICT;
        Err(if retry_later {
            PaymentError::Unavailable(message)
        } else {
            PaymentError::Refused(message)
        })
    }
}

fn transport_error(error: reqwest::Error) -> PaymentError {
    let error = error.without_url();
    if error.is_builder() {
        // A request we could not even build (a header value that is not one): ours to fix.
        PaymentError::Refused(format!("invalid request to Stripe: {error}"))
    } else {
        PaymentError::Unavailable(format!("Stripe unreachable: {error}"))
    }
}

/// Stripe ids are a prefix, an underscore and letters and digits (`cs_test_a1B2…`).
fn is_stripe_id(id: &str) -> bool {
    (1..=255).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A webhook whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `evt_…`: the caller records it, so a replayed event is applied once.
    pub id: String,
    /// The event type, e.g. `checkout.session.completed`.
    pub kind: String,
    /// For the completed and async-payment-succeeded events of a checkout we opened.
    pub completed: Option<CompletedCheckout>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedCheckout {
    pub session_id: String,
    /// Our payment id, sent as `client_reference_id`.
    pub payment_id: String,
    /// False for a delayed method not yet settled: `async_payment_succeeded` follows.
    pub paid: bool,
    /// The PaymentIntent id, which a refund needs.
    pub payment_ref: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the Stripe-Signature header is malformed")]
    MalformedHeader,
    #[error("no v1 signature matches the body")]
    NoValidSignature,
    #[error("the signed timestamp is outside the tolerance")]
    StaleTimestamp,
    #[error("the signed body is not a Stripe event")]
    MalformedBody,
}

/// Checks a webhook per https://docs.stripe.com/webhooks#verify-manually: the header is
/// `t=<unix>,v1=<hex>,…`; some `v1` must be HMAC-SHA256 of `"{t}.{body}"` keyed with the
/// whole `whsec_…` secret, and `t` within [`WEBHOOK_TOLERANCE_SECS`] of `now_unix`.
/// Other schemes (`v0`, test mode's legacy one) are ignored. No I/O: the caller records
/// event ids against replays.
pub fn verify_webhook(
    secret: &str,
    signature_header: &str,
    body: &[u8],
    now_unix: i64,
) -> Result<WebhookEvent, WebhookError> {
    let (timestamp, signatures) = parse_signature_header(signature_header)?;
    // An empty key would let anyone sign.
    if secret.trim().is_empty() {
        return Err(WebhookError::NoValidSignature);
    }
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    // verify_slice compares in constant time; a value that is not hex matches nothing.
    let signed = signatures
        .iter()
        .filter_map(|signature| hex::decode(signature).ok())
        .any(|signature| mac.clone().verify_slice(&signature).is_ok());
    if !signed {
        return Err(WebhookError::NoValidSignature);
    }
    if now_unix.abs_diff(timestamp) > WEBHOOK_TOLERANCE_SECS.unsigned_abs() {
        return Err(WebhookError::StaleTimestamp);
    }
    parse_event(body)
}

/// The timestamp and the `v1` signatures. Stricter than Stripe's libraries (one `t`, every
/// item `key=value`, no spaces), so whatever passes here passes there too.
fn parse_signature_header(header: &str) -> Result<(i64, Vec<&str>), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let (key, value) = item.split_once('=').ok_or(WebhookError::MalformedHeader)?;
        match key {
            "t" if timestamp.is_none() => {
                let t = value.parse().map_err(|_| WebhookError::MalformedHeader)?;
                timestamp = Some(t);
            }
            "t" => return Err(WebhookError::MalformedHeader),
            "v1" => signatures.push(value),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::MalformedHeader)?;
    if signatures.is_empty() {
        return Err(WebhookError::NoValidSignature);
    }
    Ok((timestamp, signatures))
}

fn parse_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let event: Event = serde_json::from_slice(body).map_err(|_| WebhookError::MalformedBody)?;
    let completed = if COMPLETED_EVENTS.contains(&event.kind.as_str()) {
        let object = event
            .data
            .get("object")
            .ok_or(WebhookError::MalformedBody)?;
        let session = Session::deserialize(object).map_err(|_| WebhookError::MalformedBody)?;
        // No client_reference_id: a checkout someone else opened on the same Stripe account.
        session
            .client_reference_id
            .map(|payment_id| CompletedCheckout {
                session_id: session.id,
                payment_id,
                paid: session.payment_status.as_deref() == Some("paid"),
                payment_ref: session.payment_intent,
            })
    } else {
        None
    };
    Ok(WebhookEvent {
        id: event.id,
        kind: event.kind,
        completed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_vector_secret";
    const T: i64 = 1_700_000_000;
    // Signed with stripe-python 16.1.0:
    //   WebhookSignature._compute_signature(f"{T}.{BODY}", SECRET)
    const BODY: &str = r#"{"id":"evt_1Vector","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_a1Vector","object":"checkout.session","client_reference_id":"01JPAYMENTVECTOR","payment_status":"paid","payment_intent":"pi_3Vector","status":"complete"}}}"#;
    const V1: &str = "4dc5768ba6c47bd342e0411253c6a7ceb5a0df4de986817ee4c7b53d90f7678b";

    fn header(t: i64, v1: &str) -> String {
        format!("t={t},v1={v1}")
    }

    /// Our own signer, for bodies other than the vector; checked against it first.
    fn sign(t: i64, body: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(format!("{t}.{body}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn the_signature_from_stripes_library_verifies_and_yields_the_checkout() {
        let event = verify_webhook(SECRET, &header(T, V1), BODY.as_bytes(), T + 10).unwrap();
        assert_eq!(event.id, "evt_1Vector");
        assert_eq!(event.kind, "checkout.session.completed");
        assert_eq!(
            event.completed,
            Some(CompletedCheckout {
                session_id: "cs_test_a1Vector".into(),
                payment_id: "01JPAYMENTVECTOR".into(),
                paid: true,
                payment_ref: Some("pi_3Vector".into()),
            })
        );
        assert_eq!(sign(T, BODY), V1);
    }

    #[test]
    fn a_wrong_secret_or_a_changed_body_has_no_valid_signature() {
        let wrong = verify_webhook("whsec_other", &header(T, V1), BODY.as_bytes(), T);
        assert_eq!(wrong, Err(WebhookError::NoValidSignature));
        let changed = BODY.replace("\"paid\"", "\"unpaid\"");
        let changed = verify_webhook(SECRET, &header(T, V1), changed.as_bytes(), T);
        assert_eq!(changed, Err(WebhookError::NoValidSignature));
        let moved = verify_webhook(SECRET, &header(T + 1, V1), BODY.as_bytes(), T);
        assert_eq!(moved, Err(WebhookError::NoValidSignature));
        let empty = verify_webhook("", &header(T, &sign(T, BODY)), BODY.as_bytes(), T);
        assert_eq!(empty, Err(WebhookError::NoValidSignature));
    }

    #[test]
    fn the_timestamp_may_be_off_by_the_tolerance_in_either_direction_and_no_more() {
        let check = |now| verify_webhook(SECRET, &header(T, V1), BODY.as_bytes(), now).map(|_| ());
        assert_eq!(check(T + WEBHOOK_TOLERANCE_SECS), Ok(()));
        assert_eq!(check(T - WEBHOOK_TOLERANCE_SECS), Ok(()));
        let too_old = check(T + WEBHOOK_TOLERANCE_SECS + 1);
        assert_eq!(too_old, Err(WebhookError::StaleTimestamp));
        let from_the_future = check(T - WEBHOOK_TOLERANCE_SECS - 1);
        assert_eq!(from_the_future, Err(WebhookError::StaleTimestamp));
    }

    #[test]
    fn one_right_signature_among_several_is_enough_and_v0_is_ignored() {
        let several = format!("t={T},v1={},v1=zz,v1={V1},v0={V1}", "0".repeat(64));
        assert!(verify_webhook(SECRET, &several, BODY.as_bytes(), T).is_ok());
        let only_v0 = format!("t={T},v0={V1}");
        let only_v0 = verify_webhook(SECRET, &only_v0, BODY.as_bytes(), T);
        assert_eq!(only_v0, Err(WebhookError::NoValidSignature));
        let upper_half = format!("t={T},v1={}", &V1[..32]);
        let truncated = verify_webhook(SECRET, &upper_half, BODY.as_bytes(), T);
        assert_eq!(truncated, Err(WebhookError::NoValidSignature));
    }

    #[test]
    fn headers_without_a_single_timestamp_or_with_bare_items_are_malformed() {
        for bad in [
            String::new(),
            format!("v1={V1}"),
            format!("t=soon,v1={V1}"),
            format!("t={T},t={T},v1={V1}"),
            format!("t={T},v1"),
            format!("t={T}, v1={V1}"),
            format!("t= {T},v1={V1}"),
        ] {
            let result = verify_webhook(SECRET, &bad, BODY.as_bytes(), T);
            let expected = if bad.contains(", v1") {
                // " v1" is not the v1 scheme: nothing is signed.
                WebhookError::NoValidSignature
            } else {
                WebhookError::MalformedHeader
            };
            assert_eq!(result, Err(expected), "{bad:?}");
        }
    }

    #[test]
    fn a_signed_body_that_is_not_an_event_is_malformed() {
        for body in [
            "not json",
            r#"{"object":"event"}"#,
            r#"{"id":"evt_1","type":"checkout.session.completed","data":{}}"#,
            r#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":7}}}"#,
        ] {
            let result = verify_webhook(SECRET, &header(T, &sign(T, body)), body.as_bytes(), T);
            assert_eq!(result, Err(WebhookError::MalformedBody), "{body}");
        }
    }

    #[test]
    fn only_checkouts_we_opened_are_completed_and_unsettled_ones_are_not_paid() {
        let verify = |body: &str| {
            verify_webhook(SECRET, &header(T, &sign(T, body)), body.as_bytes(), T).unwrap()
        };
        let other =
            verify(r#"{"id":"evt_2","type":"charge.refunded","data":{"object":{"id":"ch_1"}}}"#);
        assert_eq!(
            (other.kind.as_str(), other.completed),
            ("charge.refunded", None)
        );
        let foreign = verify(
            r#"{"id":"evt_3","type":"checkout.session.completed","data":{"object":{"id":"cs_1","client_reference_id":null,"payment_status":"paid","payment_intent":"pi_1"}}}"#,
        );
        assert_eq!(foreign.completed, None);
        let delayed = verify(
            r#"{"id":"evt_4","type":"checkout.session.completed","data":{"object":{"id":"cs_2","client_reference_id":"01JPAY","payment_status":"unpaid","payment_intent":null}}}"#,
        );
        let delayed = delayed.completed.unwrap();
        assert_eq!((delayed.paid, delayed.payment_ref), (false, None));
        let settled = verify(
            r#"{"id":"evt_5","type":"checkout.session.async_payment_succeeded","data":{"object":{"id":"cs_2","client_reference_id":"01JPAY","payment_status":"paid","payment_intent":"pi_2"}}}"#,
        );
        assert!(settled.completed.unwrap().paid);
    }

    #[test]
    fn only_stripe_id_characters_may_go_into_a_url() {
        assert!(is_stripe_id("cs_test_a1B2c3"));
        for bad in [
            "",
            "../v1/refunds",
            "cs_1?expand=x",
            "cs_1/x",
            "cs 1",
            "cs_é",
        ] {
            assert!(!is_stripe_id(bad), "{bad:?}");
        }
        assert!(!is_stripe_id(&"a".repeat(256)));
    }

    #[test]
    fn debug_output_hides_the_keys() {
        let gateway =
            StripeGateway::new("sk_test_hidden", "whsec_hidden", "https://api.stripe.com/");
        let shown = format!("{gateway:?}");
        assert!(shown.contains("https://api.stripe.com"), "{shown}");
        assert!(!shown.contains("hidden"), "{shown}");
    }
}
