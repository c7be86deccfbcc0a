//! `/api/v1` over real HTTP, on both backends: keys, problems, orders, the actions on a
//! request, pagination, idempotency, rules, and the OpenAPI document.

use app::services::{accounts, api as api_service};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    an_owner_makes_a_key_that_opens_only_its_shop_until_revoked,
    an_order_is_created_then_updated_without_breaking_its_returns,
    a_batch_reports_each_order_on_its_own,
    a_request_goes_from_approval_to_settlement_through_the_api,
    a_retried_post_with_the_same_idempotency_key_runs_once,
    the_pages_of_a_list_hold_every_request_exactly_once,
    rules_are_read_and_replaced_as_a_whole,
    the_openapi_document_describes_every_route,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A key of the demo shop, made by its owner.
async fn demo_key(app: &TestApp) -> String {
    let token = demo_owner(app).await;
    let owner = accounts::merchant_from_session(&app.state, &token, now())
        .await
        .unwrap();
    api_service::create_key(&app.state, &owner, "tests", now())
        .await
        .unwrap()
        .secret
}

struct Api<'a> {
    app: &'a TestApp,
    key: String,
}

impl Api<'_> {
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let response = request.bearer_auth(&self.key).send().await.expect("sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, headers, body)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (status, _, body) = self
            .send(
                self.app
                    .http
                    .get(format!("{}/api/v1{path}", self.app.address)),
            )
            .await;
        (status, body)
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, body) = self
            .send(
                self.app
                    .http
                    .post(format!("{}/api/v1{path}", self.app.address))
                    .json(&body),
            )
            .await;
        (status, body)
    }

    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, body) = self
            .send(
                self.app
                    .http
                    .put(format!("{}/api/v1{path}", self.app.address))
                    .json(&body),
            )
            .await;
        (status, body)
    }
}

fn order(number: &str, lines: Value) -> Value {
    let today = time::OffsetDateTime::now_utc().date();
    json!({
        "number": number,
        "email": "ada@example.org",
        "customer_name": "Ada Lovelace",
        "shipping_country": "fr",
        "currency": "EUR",
        "placed_on": (today - time::Duration::days(5)).to_string(),
        "delivered_on": (today - time::Duration::days(2)).to_string(),
        "lines": lines,
    })
}

fn line(id: &str, sku: &str, quantity: u32) -> Value {
    json!({ "line_id": id, "sku": sku, "title": format!("Item {sku}"), "quantity": quantity, "unit_price_minor": 2500 })
}

/// Submits a return of `units` of `sku` from the demo order through the real portal.
async fn submit_return(app: &TestApp, number: &str, email: &str, sku: &str, units: u32) -> String {
    let (token, found) = app.token(number, email).await;
    let key = format!("key-{}", ulid::Ulid::new());
    let (status, body) = app
        .submit(
            &token,
            &key,
            json!([item(&line_id(&found, sku), units, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["reference"].as_str().unwrap().to_owned()
}

fn is_problem(status: StatusCode, body: &Value, code: &str) -> bool {
    body["code"] == code
        && body["status"] == status.as_u16()
        && body["type"].as_str().is_some_and(|t| t.ends_with(code))
}

async fn an_owner_makes_a_key_that_opens_only_its_shop_until_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let session = demo_owner(&app).await;
    // Made in the back-office, as the owner's page does.
    let (status, made) =
        office_form(&app, "create_api_key", &[("name", "Shop sync")], &session).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let secret = made["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("rtk_") && secret.len() == 95, "{secret}");
    // Only its hash is stored; the listing never shows the secret.
    let stored: Vec<String> = sqlx::query_scalar("SELECT secret_hash FROM api_keys")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert!(stored
        .iter()
        .all(|hash| !secret.contains(hash.as_str()) && hash.len() == 64));
    let (_, listed) = office(&app, "api_keys", Value::Null, Some(&session)).await;
    assert!(!listed.to_string().contains(&secret[31..]));
    assert_eq!(listed[0]["last_used_at_unix"], Value::Null);

    let api = Api {
        app: &app,
        key: secret.clone(),
    };
    let (status, page) = api.get("/returns").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let references: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert_eq!(references, ["R-0000-1004"]);
    let (_, listed) = office(&app, "api_keys", Value::Null, Some(&session)).await;
    assert!(
        listed[0]["last_used_at_unix"].as_i64().is_some(),
        "{listed}"
    );

    // Another shop's key sees none of the demo's requests, even by reference.
    let (_, other_owner) = accounts::create_shop(
        &app.state,
        "other",
        "Other",
        "boss@other.test",
        "other password",
        now(),
    )
    .await
    .unwrap();
    let other = Api {
        app: &app,
        key: api_service::create_key(&app.state, &other_owner, "theirs", now())
            .await
            .unwrap()
            .secret,
    };
    let (status, page) = other.get("/returns").await;
    assert_eq!((status, page["data"].clone()), (StatusCode::OK, json!([])));
    let (status, body) = other.get("/returns/R-0000-1004").await;
    assert!(
        is_problem(StatusCode::NOT_FOUND, &body, "not_found"),
        "{status} {body}"
    );
    let (status, body) = other.post("/returns/R-0000-1004/approve", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Staff may not make keys; a key may not make keys either.
    let staff = session_of(&app, "staff@demo.test", "demo-staff-pass").await;
    let (status, _) = office_form(&app, "create_api_key", &[("name", "mine")], &staff).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Missing, malformed, forged and revoked keys: one answer, as a problem.
    let forged = format!(
        "{}{}",
        &secret[..secret.len() - 1],
        if secret.ends_with('0') { '1' } else { '0' }
    );
    let id = made["key"]["id"].as_str().unwrap().to_owned();
    let (status, _) = office_form(&app, "revoke_api_key", &[("id", &id)], &session).await;
    assert_eq!(status, StatusCode::OK);
    for key in ["", "rtk_nope", forged.as_str(), secret.as_str()] {
        let response = app
            .http
            .get(format!("{}/api/v1/returns", app.address))
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{key}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
        let body: Value = response.json().await.unwrap();
        assert!(
            is_problem(StatusCode::UNAUTHORIZED, &body, "unauthorized"),
            "{body}"
        );
    }
}

async fn session_of(app: &TestApp, email: &str, password: &str) -> String {
    session(app, email, password).await
}

async fn an_order_is_created_then_updated_without_breaking_its_returns(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let (status, body) = api
        .post(
            "/orders",
            order(
                "#api-2001",
                json!([line("a", "SHIRT", 2), line("b", "CAP", 1)]),
            ),
        )
        .await;
    assert_eq!(
        (status, body.clone()),
        (
            StatusCode::CREATED,
            json!({ "number": "API-2001", "outcome": "created" })
        )
    );
    // A shopper finds it at once, with the lines as sent.
    let (_, found) = app.token("API-2001", "ADA@example.org").await;
    assert_eq!(found["lines"].as_array().unwrap().len(), 2, "{found}");

    let reference = submit_return(&app, "API-2001", "ada@example.org", "SHIRT", 2).await;

    // Removing the returned line, or selling fewer than are being returned, is refused
    // and changes nothing.
    let (status, body) = api
        .post("/orders", order("API-2001", json!([line("b", "CAP", 1)])))
        .await;
    assert!(
        is_problem(StatusCode::UNPROCESSABLE_ENTITY, &body, "line_in_returns"),
        "{status} {body}"
    );
    let (status, body) = api
        .post("/orders", order("API-2001", json!([line("a", "SHIRT", 1)])))
        .await;
    assert!(
        is_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            &body,
            "quantity_below_returned"
        ),
        "{status} {body}"
    );

    // A new version: a line changes, one goes, one comes, the email changes.
    let mut updated = order(
        "API-2001",
        json!([line("a", "SHIRT", 3), line("c", "SOCKS", 4)]),
    );
    updated["email"] = json!("ada@new.example");
    updated["lines"][1]["withdrawal_exclusion"] = json!("sealed_hygiene");
    let (status, body) = api.post("/orders", updated).await;
    assert_eq!(
        (status, body["outcome"].clone()),
        (StatusCode::OK, json!("updated")),
        "{body}"
    );
    let (status, _) = app.find_order("API-2001", "ada@example.org").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, found) = app.token("API-2001", "ada@new.example").await;
    let skus: Vec<(String, u64)> = found["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["sku"].as_str().unwrap().to_owned(),
                l["quantity"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(skus, [("SHIRT".to_owned(), 3), ("SOCKS".to_owned(), 4)]);
    let exclusion: String =
        sqlx::query_scalar("SELECT withdrawal_exclusion FROM order_lines WHERE sku = 'SOCKS'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(exclusion, "sealed_hygiene");
    // The request still reads, against its line.
    let (status, request) = api.get(&format!("/returns/{reference}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(request["items"][0]["sku"], "SHIRT");
    assert_eq!(request["order"]["email"], "ada@new.example");

    // Bad input: a problem naming the field, nothing stored.
    for (bad, code) in [
        (order("API-2002", json!([])), "order_without_lines"),
        (
            order("API-2002", json!([line("a", "X", 0)])),
            "quantity_out_of_range",
        ),
        (
            order("API-2002", json!([line("a", "X", 1), line("a", "Y", 1)])),
            "line_id_duplicate",
        ),
        (json!({ "number": "API-2002" }), "invalid_body"),
    ] {
        let (status, body) = api.post("/orders", bad).await;
        assert!(is_problem(status, &body, code), "{code}: {status} {body}");
    }
    let (status, _) = app.find_order("API-2002", "ada@example.org").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Over the size limit.
    let huge = "x".repeat(3 * 1024 * 1024);
    let (status, body) = api.post("/orders", json!({ "number": huge })).await;
    assert!(
        is_problem(StatusCode::PAYLOAD_TOO_LARGE, &body, "body_too_large"),
        "{status}"
    );
}

async fn a_batch_reports_each_order_on_its_own(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let batch = json!({ "orders": [
        order("B-1", json!([line("1", "A", 1)])),
        order("B-2", json!([line("1", "A", 0)])),
        order("1001", json!([line("x", "NEW", 1)])),
    ]});
    let (status, body) = api.post("/orders/batch", batch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["created"].clone(),
            body["updated"].clone(),
            body["refused"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(
        body["entries"][1]["problem"]["code"],
        "quantity_out_of_range"
    );
    assert_eq!(body["entries"][1]["problem"]["pointer"], "/orders/1");
    assert_eq!(body["entries"][0]["result"]["outcome"], "created");
    assert_eq!(
        app.find_order("B-1", "ada@example.org").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.find_order("B-2", "ada@example.org").await.0,
        StatusCode::NOT_FOUND
    );
}

async fn a_request_goes_from_approval_to_settlement_through_the_api(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let reference = submit_return(&app, "1001", "camille@example.fr", "TS-ORG-M", 1).await;
    let (status, request) = api.get(&format!("/returns/{reference}")).await;
    assert_eq!(status, StatusCode::OK, "{request}");
    assert_eq!(request["status"], "requested");
    assert_eq!(request["next_actions"], json!(["approve", "reject"]));

    // A stale version is a conflict and changes nothing.
    let stale = request["version"].as_i64().unwrap() - 1;
    let (status, body) = api
        .post(
            &format!("/returns/{reference}/approve"),
            json!({ "version": stale }),
        )
        .await;
    assert!(
        is_problem(StatusCode::CONFLICT, &body, "conflict"),
        "{status} {body}"
    );
    // Receiving before approval is not a move the status allows.
    let (status, body) = api
        .post(
            &format!("/returns/{reference}/receive"),
            json!({ "items": [] }),
        )
        .await;
    assert!(
        is_problem(StatusCode::CONFLICT, &body, "invalid_transition"),
        "{status} {body}"
    );

    let (status, approved) = api
        .post(
            &format!("/returns/{reference}/approve"),
            json!({ "with_label": true, "version": request["version"] }),
        )
        .await;
    assert_eq!(
        (status, approved["status"].clone()),
        (StatusCode::OK, json!("approved")),
        "{approved}"
    );
    let actor = approved["history"].as_array().unwrap().last().unwrap()["actor"].clone();
    assert_eq!(actor, "API key “tests”");
    let item = approved["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, received) = api
        .post(&format!("/returns/{reference}/receive"), json!({ "items": [{ "item_id": item, "quantity": 1, "condition": "as_new", "restock": true }] }))
        .await;
    assert_eq!(
        (status, received["status"].clone()),
        (StatusCode::OK, json!("received")),
        "{received}"
    );
    let (status, settled) = api
        .post(
            &format!("/returns/{reference}/settle"),
            json!({ "kind": "refund" }),
        )
        .await;
    assert_eq!(
        (status, settled["status"].clone()),
        (StatusCode::OK, json!("settled")),
        "{settled}"
    );
    assert!(
        settled["credit_note_number"]
            .as_str()
            .is_some_and(|n| n.starts_with("CN-")),
        "{settled}"
    );

    // The same emails as a merchant's decisions: received, approved, parcel received, settled.
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT o.kind FROM outbox_messages o JOIN return_requests r ON r.id = o.return_id WHERE r.reference = $1 ORDER BY o.created_at, o.id",
    )
    .bind(&reference)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(kinds.len(), 4, "{kinds:?}");

    let (status, movements) = api.get("/stock-movements").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(movements["data"][0]["sku"], "TS-ORG-M");
    assert_eq!(movements["data"][0]["quantity"], 1);
    assert_eq!(movements["data"][0]["return_reference"], reference.as_str());

    // A rejection needs its explanation.
    let (status, body) = api
        .post("/returns/R-0000-1004/reject", json!({ "explanation": " " }))
        .await;
    assert!(
        is_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            &body,
            "explanation_required"
        ),
        "{status} {body}"
    );
    let (status, rejected) = api
        .post(
            "/returns/R-0000-1004/reject",
            json!({ "explanation": "Worn." }),
        )
        .await;
    assert_eq!(
        (status, rejected["decision_note"].clone()),
        (StatusCode::OK, json!("Worn."))
    );
}

async fn a_retried_post_with_the_same_idempotency_key_runs_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let url = format!("{}/api/v1/returns/R-0000-1004/approve", app.address);
    let approve = |key: &str, body: Value| {
        app.http
            .post(&url)
            .header("Idempotency-Key", key)
            .json(&body)
    };
    let (first_status, first_headers, first) = api
        .send(approve("approve-1004", json!({ "with_label": false })))
        .await;
    assert_eq!(first_status, StatusCode::OK, "{first}");
    assert!(first_headers.get("idempotent-replayed").is_none());
    let (again_status, again_headers, again) = api
        .send(approve("approve-1004", json!({ "with_label": false })))
        .await;
    assert_eq!((again_status, again.clone()), (first_status, first.clone()));
    assert_eq!(again_headers["idempotent-replayed"], "true");
    let approvals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM return_status_history WHERE return_id = 'return_demo_1004' AND event = 'approve'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(approvals, 1);
    // The same key for another request is refused; a bad key too.
    let (status, _, body) = api
        .send(approve("approve-1004", json!({ "with_label": true })))
        .await;
    assert!(
        is_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            &body,
            "idempotency_key_reused"
        ),
        "{status} {body}"
    );
    let (status, _, body) = api.send(approve("with space", json!({}))).await;
    assert!(
        is_problem(StatusCode::BAD_REQUEST, &body, "idempotency_key_invalid"),
        "{status} {body}"
    );
    // Without a key, a second approval is refused by the status machine, not replayed.
    let (status, _, body) = api.send(app.http.post(&url).json(&json!({}))).await;
    assert!(
        is_problem(StatusCode::CONFLICT, &body, "invalid_transition"),
        "{status} {body}"
    );
    // Two identical orders sent at once under one key make one order.
    let post = |_: usize| {
        api.send(
            app.http
                .post(format!("{}/api/v1/orders", app.address))
                .header("Idempotency-Key", "order-3001")
                .json(&order("3001", json!([line("a", "A", 1)]))),
        )
    };
    let (a, b) = tokio::join!(post(0), post(1));
    let statuses: BTreeSet<u16> = [a.0.as_u16(), b.0.as_u16()].into();
    assert!(statuses.contains(&201), "{statuses:?} {} {}", a.2, b.2);
    assert!(statuses.is_subset(&[201, 409].into()), "{statuses:?}");
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE number = '3001'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(orders, 1);
}

async fn the_pages_of_a_list_hold_every_request_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let mut expected = BTreeSet::from(["R-0000-1004".to_owned()]);
    for (number, email, sku) in [
        ("1001", "camille@example.fr", "TS-ORG-M"),
        ("1002", "sanne@example.nl", "RC-YEL-S"),
        ("1006", "jan@example.nl", "CB-USB-2M"),
    ] {
        expected.insert(submit_return(&app, number, email, sku, 1).await);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/returns?limit=1&cursor={c}"),
            None => "/returns?limit=1".to_owned(),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reference"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() <= 10, "the pages do not end");
    }
    assert_eq!(seen.len(), expected.len(), "{seen:?}");
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), expected);
    // Filters: by status, and changes since a moment in the future find nothing.
    let (_, requested) = api.get("/returns?status=requested").await;
    assert_eq!(requested["data"].as_array().unwrap().len(), 4);
    let (_, none) = api.get("/returns?updated_since=2999-01-01T00:00:00Z").await;
    assert_eq!(none["data"], json!([]));
    for bad in [
        "/returns?cursor=nonsense",
        "/returns?status=lost",
        "/returns?updated_since=yesterday",
        "/returns?limit=-1",
    ] {
        let (status, body) = api.get(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["code"], "invalid_query", "{bad}");
    }
}

async fn rules_are_read_and_replaced_as_a_whole(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api {
        app: &app,
        key: demo_key(&app).await,
    };
    let (status, current) = api.get("/rules").await;
    assert_eq!(status, StatusCode::OK, "{current}");
    let version = current["version"].clone();
    let france = json!({
        "name": "No returns from France",
        "condition": { "field": "country", "op": "is", "value": "FR" },
        "actions": [{ "action": "refuse", "message": { "en": "We cannot take returns from France.", "fr": "", "nl": "", "de": "" } }],
    });
    let (status, saved) = api
        .put("/rules", json!({ "version": version, "rules": [france] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["rules"].as_array().unwrap().len(), 1);
    assert_eq!(saved["rules"][0]["position"], 1);
    assert!(
        saved["previews"][0].as_str().unwrap().contains("France"),
        "{saved}"
    );
    // The wizard follows at once: a French order's items are refused.
    let (_, found) = app.token("1001", "camille@example.fr").await;
    let (token, _) = app.token("1001", "camille@example.fr").await;
    let (status, body) = app
        .submit(
            &token,
            "rules-key",
            json!([item(&line_id(&found, "TS-ORG-M"), 1, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A stale version, and a rule that cannot be saved, change nothing.
    let (status, body) = api
        .put("/rules", json!({ "version": version, "rules": [] }))
        .await;
    assert!(
        is_problem(StatusCode::CONFLICT, &body, "conflict"),
        "{status} {body}"
    );
    let version = saved["version"].clone();
    let unknown_field = json!({ "name": "x", "condition": { "field": "colour", "op": "is", "value": "red" }, "actions": [{ "action": "refuse", "message": { "en": "", "fr": "", "nl": "", "de": "" } }] });
    let (status, body) = api
        .put(
            "/rules",
            json!({ "version": version, "rules": [unknown_field] }),
        )
        .await;
    assert!(
        is_problem(StatusCode::UNPROCESSABLE_ENTITY, &body, "rule_invalid"),
        "{status} {body}"
    );
    assert_eq!(body["pointer"], "/rules/0");
    let empty_any_of = json!({ "name": "x", "condition": { "any_of": [] }, "actions": [{ "action": "require_manual_approval" }] });
    let (status, body) = api
        .put(
            "/rules",
            json!({ "version": version, "rules": [empty_any_of] }),
        )
        .await;
    assert!(
        is_problem(StatusCode::UNPROCESSABLE_ENTITY, &body, "rule_invalid"),
        "{status} {body}"
    );
    let (_, after) = api.get("/rules").await;
    assert_eq!(after["rules"], saved["rules"]);
    // Settings read back as the back-office has them.
    let (status, settings) = api.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["portal_path"], "/demo");
    assert!(settings["settings"]["reasons"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
}

async fn the_openapi_document_describes_every_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        document["openapi"]
    );
    let source = include_str!("../../src/api/v1/mod.rs");
    // Every route the router serves (but the documentation's own) is in the document.
    for route in source
        .lines()
        .filter_map(|l| l.trim().strip_prefix(".route(\""))
    {
        let path = route.split('"').next().unwrap();
        if path == "/openapi.json" || path == "/reference" {
            continue;
        }
        assert!(
            document["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }
    assert!(document["components"]["securitySchemes"]["api_key"].is_object());
    let page = app.get("/api/v1/reference").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for needle in [
        "/api/v1/returns/{reference}/settle",
        "problem-idempotency_key_reused",
        "Idempotency-Key",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // An unknown API path is a problem too, not the portal's page.
    let response = app.get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );
}
