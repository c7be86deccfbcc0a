//! Webhooks over real HTTP, on both backends: deliveries verified by the `standardwebhooks`
//! package from PyPI, in order per request, retried after a failure and across a restart.

use app::services::{accounts, api as api_service, keys::Keys, storage::LocalDirStorage, webhooks, AppState};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    every_change_reaches_the_endpoint_signed_and_in_order,
    a_failed_delivery_is_retried_and_survives_a_restart,
    a_delivery_given_up_after_a_day_can_be_sent_again,
    an_endpoint_that_fails_waits_for_the_next_pass_and_holds_up_no_other,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Receiver {
    child: Child,
    log: PathBuf,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Receiver {
    async fn start(port: u16, secret: &str, dir: &Path) -> Receiver {
        let python = std::env::var("RETOUR_TEST_PYTHON").map(PathBuf::from).unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/retour/venv/bin/python")
        });
        assert!(python.exists(), "{} not found: run scripts/test (it makes a venv with standardwebhooks from PyPI)", python.display());
        let log = dir.join(format!("webhooks-{port}.jsonl"));
        let child = Command::new(python)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/portal/webhook_receiver.py"))
            .arg(port.to_string())
            .arg(secret)
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the receiver starts");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Receiver { child, log };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the receiver did not listen on {port}");
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// What arrived about one request. Tests run side by side and a port another test
    /// gave up may be this receiver's: their deliveries are not this test's business.
    fn about(&self, reference: &str) -> Vec<Value> {
        self.received().into_iter().filter(|d| d["reference"] == reference).collect()
    }
}

/// The demo owner, as the back-office sees them.
async fn owner(app: &TestApp) -> app::domain::Merchant {
    let token = demo_owner(app).await;
    accounts::merchant_from_session(&app.state, &token, now()).await.unwrap()
}

/// Adds an endpoint through the back-office call and returns its id and secret.
async fn add_endpoint(app: &TestApp, url: &str, events: &[&str]) -> (String, String) {
    let session = demo_owner(app).await;
    let (status, page) = office(app, "add_webhook", json!({ "url": url, "events": events }), Some(&session)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let endpoint = page["endpoints"].as_array().unwrap().last().unwrap().clone();
    assert!(endpoint["secret"].as_str().unwrap().starts_with("whsec_"));
    (endpoint["id"].as_str().unwrap().to_owned(), endpoint["secret"].as_str().unwrap().to_owned())
}

/// Runs the worker's two steps until nothing is left to do at `at`.
async fn work(state: &AppState, at: i64) {
    for _ in 0..20 {
        let announced = webhooks::announce(state, at).await.unwrap();
        let delivered = webhooks::deliver_due(state, at).await.unwrap();
        if announced == 0 && delivered == 0 {
            return;
        }
    }
}

async fn submit(app: &TestApp, number: &str, email: &str, sku: &str) -> String {
    let (token, found) = app.token(number, email).await;
    let (status, body) = app
        .submit(&token, &format!("k-{}", ulid::Ulid::new()), json!([item(&line_id(&found, sku), 1, "changed_mind")]), "refund", "mail")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["reference"].as_str().unwrap().to_owned()
}

async fn api_post(app: &TestApp, key: &str, path: &str, body: Value) -> Value {
    let response = app.http.post(format!("{}/api/v1{path}", app.address)).bearer_auth(key).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn every_change_reaches_the_endpoint_signed_and_in_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let port = free_port();
    let (_, secret) = add_endpoint(
        &app,
        &format!("http://127.0.0.1:{port}/hooks"),
        &["return.created", "return.approved", "return.received", "return.settled", "return.rejected"],
    )
    .await;
    let receiver = Receiver::start(port, &secret, app.data_dir()).await;
    // Another shop's endpoint hears nothing of the demo shop.
    let (_, other_owner) = accounts::create_shop(&app.state, "other", "Other", "boss@other.test", "other password", now()).await.unwrap();
    let other_port = free_port();
    webhooks::add_endpoint(&app.state, &other_owner, &format!("http://127.0.0.1:{other_port}/"), &["return.created".into()], now()).await.unwrap();
    let other_secret = webhooks::webhooks_view(&app.state, &other_owner).await.unwrap().endpoints[0].secret.clone();
    let other = Receiver::start(other_port, &other_secret, app.data_dir()).await;

    let key = api_service::create_key(&app.state, &owner(&app).await, "hooks", now()).await.unwrap().secret;
    let first = submit(&app, "1001", "camille@example.fr", "TS-ORG-M").await;
    let second = submit(&app, "1002", "sanne@example.nl", "RC-YEL-S").await;
    let approved = api_post(&app, &key, &format!("/returns/{first}/approve"), json!({})).await;
    let item = approved["items"][0]["id"].as_str().unwrap().to_owned();
    api_post(&app, &key, &format!("/returns/{first}/receive"), json!({ "items": [{ "item_id": item, "quantity": 1, "condition": "used", "restock": false }] })).await;
    api_post(&app, &key, &format!("/returns/{second}/reject"), json!({ "explanation": "Outside our policy." })).await;
    api_post(&app, &key, &format!("/returns/{first}/settle"), json!({ "kind": "store_credit" })).await;
    work(&app.state, now()).await;

    let received: Vec<Value> = receiver
        .received()
        .into_iter()
        .filter(|d| d["reference"] == first.as_str() || d["reference"] == second.as_str())
        .collect();
    assert!(received.iter().all(|d| d["verified"] == true), "{received:?}");
    let of = |reference: &str| -> Vec<String> {
        received.iter().filter(|d| d["reference"] == reference).map(|d| d["type"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(of(&first), ["return.created", "return.approved", "return.received", "return.settled"]);
    assert_eq!(of(&second), ["return.created", "return.rejected"]);
    // Each delivery once, each with its own id.
    let mut ids: Vec<&str> = received.iter().map(|d| d["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len());
    assert!(other.about(&first).is_empty() && other.about(&second).is_empty(), "{:?}", other.received());
    // The log shows them delivered.
    let view = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap();
    assert_eq!(view.deliveries.len(), 6);
    assert!(view.deliveries.iter().all(|d| d.status == "delivered" && d.last_response == "HTTP 204"), "{:?}", view.deliveries);
}

async fn a_failed_delivery_is_retried_and_survives_a_restart(backend: Backend) {
    let app = spawn_app(backend).await;
    let port = free_port();
    let (_, secret) = add_endpoint(&app, &format!("http://127.0.0.1:{port}/hooks"), &["return.created", "return.cancelled"]).await;
    let reference = submit(&app, "1001", "camille@example.fr", "TS-ORG-M").await;
    // Nobody listens yet: the attempt fails and is scheduled 30 s later.
    let start = now();
    work(&app.state, start).await;
    let view = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap();
    let delivery = &view.deliveries[0];
    assert_eq!((delivery.status.as_str(), delivery.attempts), ("pending", 1), "{delivery:?}");
    assert_eq!(delivery.last_response, "could not connect");
    assert_eq!(delivery.next_attempt_at_unix, Some(start + 30));

    // Retour restarts (a new state on the same database) and the receiver comes up.
    let restarted = AppState::new(
        app::store::connect(&app.database_url).await.unwrap(),
        Keys::new(vec![7; 32]).unwrap(),
        Arc::new(LocalDirStorage::new(app.data_dir().join("photos"))),
    );
    let receiver = Receiver::start(port, &secret, app.data_dir()).await;
    work(&restarted, start + 10).await;
    assert!(receiver.about(&reference).is_empty(), "retried before its time");
    work(&restarted, start + 31).await;
    let received = receiver.about(&reference);
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!((received[0]["type"].clone(), received[0]["reference"].clone(), received[0]["verified"].clone()), (json!("return.created"), json!(reference), json!(true)));
    // Nothing is sent twice.
    work(&restarted, start + 3600).await;
    assert_eq!(receiver.about(&reference).len(), 1);
}

async fn a_delivery_given_up_after_a_day_can_be_sent_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let port = free_port();
    let (_, secret) = add_endpoint(&app, &format!("http://127.0.0.1:{port}/hooks"), &["return.created"]).await;
    let reference = submit(&app, "1001", "camille@example.fr", "TS-ORG-M").await;
    let start = now();
    let mut at = start;
    let attempts = loop {
        work(&app.state, at).await;
        let view = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap();
        let delivery = view.deliveries[0].clone();
        match delivery.next_attempt_at_unix {
            Some(next) => at = next,
            None => {
                assert_eq!(delivery.status, "failed");
                break delivery.attempts;
            }
        }
        assert!(at <= start + 24 * 3600, "retried past a day");
    };
    // Doubling waits from 30 s to an hour over a day: about 30 attempts, not hundreds.
    assert!((25..=40).contains(&attempts), "{attempts} attempts");
    // Sent again by hand from the log, once the receiver is back.
    let receiver = Receiver::start(port, &secret, app.data_dir()).await;
    let session = demo_owner(&app).await;
    let id = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap().deliveries[0].id.clone();
    let (status, page) = office_form(&app, "redeliver_webhook", &[("id", &id)], &session).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    work(&app.state, now()).await;
    let received = receiver.about(&reference);
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["verified"], true);
}

async fn an_endpoint_that_fails_waits_for_the_next_pass_and_holds_up_no_other(backend: Backend) {
    let app = spawn_app(backend).await;
    let dead = format!("http://127.0.0.1:{}/hooks", free_port());
    add_endpoint(&app, &dead, &["return.created"]).await;
    let port = free_port();
    let (_, secret) = add_endpoint(&app, &format!("http://127.0.0.1:{port}/hooks"), &["return.created"]).await;
    let receiver = Receiver::start(port, &secret, app.data_dir()).await;
    let first = submit(&app, "1001", "camille@example.fr", "TS-ORG-M").await;
    let second = submit(&app, "1002", "sanne@example.nl", "RC-YEL-S").await;

    let start = now();
    webhooks::announce(&app.state, start).await.unwrap();
    webhooks::deliver_due(&app.state, start).await.unwrap();
    let attempts_to_dead = |view: &app::backoffice::dto::WebhooksView| -> Vec<i64> {
        let mut attempts: Vec<i64> = view.deliveries.iter().filter(|d| d.url == dead).map(|d| d.attempts).collect();
        attempts.sort();
        attempts
    };
    let view = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap();
    assert_eq!(attempts_to_dead(&view), [0, 1], "one failure, then the endpoint waits: {view:?}");
    assert_eq!((receiver.about(&first).len(), receiver.about(&second).len()), (1, 1), "the other endpoint got both in the same pass");

    // The next pass tries the one left, not the one waiting out its backoff.
    webhooks::deliver_due(&app.state, start + 2).await.unwrap();
    let view = webhooks::webhooks_view(&app.state, &owner(&app).await).await.unwrap();
    assert_eq!(attempts_to_dead(&view), [1, 1], "{view:?}");
}
