//! Webhooks, signed per the Standard Webhooks specification (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`), so the receivers'
//! existing verifiers work.
//!
//! Two steps run in the background: `announce` turns each new line of a request's history
//! into one delivery per subscribed endpoint (in the same transaction that marks the line),
//! and `deliver_due` posts them, oldest first and one at a time per request and endpoint,
//! retrying with doubling waits for a day. Both live in the database, so a restart loses
//! nothing: deliveries arrive at least once, in order per request.

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::{sync::OnceLock, time::Duration};

use super::{new_id, now_unix, AppState, ServiceError};
use crate::{
    backoffice::dto::{WebhookDeliveryView, WebhookEndpointView, WebhooksView},
    domain::{
        webhook::{self, WebhookError, WebhookEvent, MAX_ENDPOINTS},
        Merchant,
    },
    store::{
        self,
        webhooks::{DeliveryRecord, EndpointRecord},
    },
};

/// How long one attempt may take before it counts as failed.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// An attempt's delivery is out of other workers' reach this long.
const LEASE_SECS: i64 = 60;
const BATCH: i64 = 50;

/// The endpoint's secret as receivers configure it: `whsec_` and base64.
pub fn signing_secret(state: &AppState, endpoint_id: &str) -> String {
    format!("whsec_{}", STANDARD.encode(state.keys.webhook_secret(endpoint_id)))
}

/// `v1,<signature>` of `<id>.<timestamp>.<body>`, as Standard Webhooks defines it.
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

use super::api::require_owner;

fn invalid(error: WebhookError) -> ServiceError {
    ServiceError::Invalid(error.message_key())
}

pub async fn webhooks_view(state: &AppState, merchant: &Merchant) -> Result<WebhooksView, ServiceError> {
    require_owner(merchant)?;
    let endpoints = store::webhooks::endpoints(&state.db, &merchant.shop_id).await?;
    let deliveries = store::webhooks::deliveries(&state.db, &merchant.shop_id, 100).await?;
    let url_of = |id: &str| endpoints.iter().find(|e| e.id == id).map(|e| e.url.clone()).unwrap_or_default();
    Ok(WebhooksView {
        deliveries: deliveries
            .iter()
            .map(|d| WebhookDeliveryView {
                id: d.id.clone(),
                event: d.event.clone(),
                reference: serde_json::from_str::<serde_json::Value>(&d.payload)
                    .ok()
                    .and_then(|p| p["data"]["reference"].as_str().map(str::to_owned))
                    .unwrap_or_default(),
                url: url_of(&d.endpoint_id),
                status: d.status.clone(),
                attempts: d.attempts,
                last_response: d.last_response.clone(),
                created_at_unix: d.created_at,
                next_attempt_at_unix: (d.status == "pending").then_some(d.next_attempt_at),
            })
            .collect(),
        endpoints: endpoints
            .into_iter()
            .map(|e| WebhookEndpointView {
                secret: signing_secret(state, &e.id),
                id: e.id,
                url: e.url,
                events: e.events,
                created_at_unix: e.created_at,
            })
            .collect(),
        events: WebhookEvent::ALL.iter().map(|e| e.as_str().to_owned()).collect(),
    })
}

pub async fn add_endpoint(
    state: &AppState,
    merchant: &Merchant,
    url: &str,
    events: &[String],
    now: i64,
) -> Result<WebhooksView, ServiceError> {
    require_owner(merchant)?;
    let url = webhook::parse_endpoint_url(url).map_err(invalid)?;
    let events = webhook::parse_events(events).map_err(invalid)?;
    if store::webhooks::endpoints(&state.db, &merchant.shop_id).await?.len() >= MAX_ENDPOINTS {
        return Err(invalid(WebhookError::TooManyEndpoints));
    }
    let endpoint = EndpointRecord {
        id: new_id(),
        shop_id: merchant.shop_id.clone(),
        url,
        events: events.iter().map(|e| e.as_str().to_owned()).collect(),
        created_by: merchant.email.clone(),
        created_at: now,
    };
    store::webhooks::insert_endpoint(&state.db, &endpoint).await?;
    tracing::info!(shop.id = %merchant.shop_id, endpoint.id = %endpoint.id, "webhook endpoint added");
    webhooks_view(state, merchant).await
}

pub async fn delete_endpoint(state: &AppState, merchant: &Merchant, id: &str) -> Result<WebhooksView, ServiceError> {
    require_owner(merchant)?;
    if !store::webhooks::delete_endpoint(&state.db, &merchant.shop_id, id).await? {
        return Err(ServiceError::NotFound);
    }
    webhooks_view(state, merchant).await
}

pub async fn redeliver(state: &AppState, merchant: &Merchant, id: &str, now: i64) -> Result<WebhooksView, ServiceError> {
    require_owner(merchant)?;
    if !store::webhooks::redeliver(&state.db, &merchant.shop_id, id, now).await? {
        return Err(ServiceError::NotFound);
    }
    webhooks_view(state, merchant).await
}

/// The versioned body of an event about one request. Receivers read the rest from the API.
fn payload(line: &store::webhooks::HistoryLine, event: WebhookEvent) -> String {
    let timestamp = time::OffsetDateTime::from_unix_timestamp(line.at)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    serde_json::json!({
        "type": event.as_str(),
        "timestamp": timestamp,
        "version": 1,
        "data": {
            "object": "return",
            "reference": line.reference,
            "kind": line.kind,
            "status": line.to_status,
            "previous_status": line.from_status,
            "order_number": line.order_number,
            "actor": line.actor,
        },
    })
    .to_string()
}

/// Turns new history lines into deliveries; returns how many lines it announced.
pub async fn announce(state: &AppState, now: i64) -> Result<usize, ServiceError> {
    let mut tx = state.db.begin().await?;
    let lines = store::webhooks::unannounced(&mut tx, BATCH).await?;
    if lines.is_empty() {
        return Ok(0);
    }
    let endpoints = store::webhooks::all_endpoints(&mut *tx).await?;
    for line in &lines {
        if !store::webhooks::mark_announced(&mut tx, &line.id).await? {
            continue;
        }
        let Some(event) = WebhookEvent::of_history(&line.event) else {
            continue;
        };
        // An endpoint hears what happens from its creation on, not the shop's past.
        let subscribed = endpoints.iter().filter(|e| {
            e.shop_id == line.shop_id
                && e.created_at <= line.at
                && e.events.iter().any(|name| name == event.as_str())
        });
        for endpoint in subscribed {
            let delivery = DeliveryRecord {
                id: format!("msg_{}", new_id()),
                shop_id: line.shop_id.clone(),
                endpoint_id: endpoint.id.clone(),
                return_id: Some(line.return_id.clone()),
                event: event.as_str().to_owned(),
                payload: payload(line, event),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: now,
                first_attempt_at: None,
                last_response: String::new(),
                created_at: now,
                delivered_at: None,
            };
            store::webhooks::insert_delivery(&mut tx, &delivery).await?;
        }
    }
    tx.commit().await?;
    Ok(lines.len())
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(ATTEMPT_TIMEOUT)
            // A receiver that moved says so by failing, not by sending us elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Retour-Webhooks/1")
            .build()
            .expect("the HTTP client builds")
    })
}

/// One attempt: `Ok(status)` for a 2xx, else what went wrong.
async fn post(state: &AppState, url: &str, delivery: &DeliveryRecord) -> Result<String, String> {
    // Signed at send time with the real clock: verifiers refuse old timestamps.
    let timestamp = now_unix();
    let secret = state.keys.webhook_secret(&delivery.endpoint_id);
    let response = client()
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature(&secret, &delivery.id, timestamp, &delivery.payload))
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|error| {
            if error.is_timeout() {
                "no answer within 10 s".to_owned()
            } else if error.is_connect() {
                "could not connect".to_owned()
            } else {
                format!("request failed: {error}")
            }
        })?;
    let status = response.status();
    if status.is_success() {
        Ok(format!("HTTP {}", status.as_u16()))
    } else {
        Err(format!("HTTP {}", status.as_u16()))
    }
}

/// Makes one attempt of every delivery due at `now`; returns how many were delivered.
pub async fn deliver_due(state: &AppState, now: i64) -> Result<usize, ServiceError> {
    let mut delivered = 0;
    let due = store::webhooks::due(&state.db, now, BATCH).await?;
    let endpoints = store::webhooks::all_endpoints(&state.db).await?;
    // An endpoint that failed once in this pass is left for the next one: a receiver that
    // hangs costs one timeout per pass, not one per delivery, and other shops' deliveries
    // are not held up behind it. Its skipped deliveries stay due, in their order.
    let mut failing: std::collections::HashSet<String> = std::collections::HashSet::new();
    for delivery in due {
        if failing.contains(&delivery.endpoint_id) {
            continue;
        }
        let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.endpoint_id) else {
            store::webhooks::mark_failed_attempt(&state.db, &delivery.id, "endpoint deleted", None).await?;
            continue;
        };
        if !store::webhooks::claim(&state.db, &delivery.id, now, now + LEASE_SECS).await? {
            continue;
        }
        let attempts = u32::try_from(delivery.attempts + 1).unwrap_or(u32::MAX);
        let first = delivery.first_attempt_at.unwrap_or(now);
        match post(state, &endpoint.url, &delivery).await {
            Ok(response) => {
                store::webhooks::mark_delivered(&state.db, &delivery.id, &response, now).await?;
                delivered += 1;
            }
            Err(response) => {
                let retry = webhook::next_attempt_at(attempts, first, now);
                tracing::warn!(delivery.id = %delivery.id, attempts, response = %response, gave_up = retry.is_none(), "webhook delivery failed");
                store::webhooks::mark_failed_attempt(&state.db, &delivery.id, &response, retry).await?;
                failing.insert(delivery.endpoint_id.clone());
            }
        }
    }
    Ok(delivered)
}

/// The background loop: announce, then deliver, every `poll`.
pub async fn run_worker(state: AppState, poll: Duration) {
    loop {
        let now = now_unix();
        if let Err(error) = announce(&state, now).await {
            tracing::error!(error = %error, "webhook events could not be announced");
        }
        if let Err(error) = deliver_due(&state, now).await {
            tracing::error!(error = %error, "webhook deliveries could not be made");
        }
        tokio::time::sleep(poll).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn the_signature_matches_the_specifications_example() {
        let secret = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
