//! Shop isolation of every back-office server function over real HTTP, on both backends:
//! a user of one shop neither reads nor changes anything of another shop, and nothing but
//! a live merchant session (no shopper token, no forged or ended session) opens any of them.
//!
//! The calls are one table, `ENDPOINTS`: a new back-office function gets a row there and
//! every test below covers it. `every_office_server_function_has_a_row` fails until it does.

use app::{
    backoffice::dto::{InboxFilters, ReturnDetailView, TabCounts},
    domain::{
        settlement::Settlement, shop::PostalAddress, Currency, Decision, EmailAddress, InboxTab,
        Merchant, Money, Order, OrderLine, OrderNumber,
    },
    services::{accounts, backoffice as office},
    store::{self, backoffice::CreditNoteRecord},
};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    the_shops_own_merchant_gets_through_with_every_call,
    a_user_of_another_shop_neither_reads_nor_changes_anything,
    without_a_session_every_office_call_is_refused,
    a_shopper_order_token_opens_nothing_in_the_back_office,
    a_forged_or_ended_session_opens_nothing,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A request of the shop under test, as its own merchant last saw it.
struct Target {
    id: String,
    version: i64,
    /// Item ids and quantities, for the receive form.
    items: Vec<(String, u32)>,
}

/// One request per kind of call, each in the state where that call succeeds for the
/// shop's own merchant: an intruder's refusal then owes nothing to the request's state.
struct Targets {
    /// Awaiting a decision: decide, note, detail.
    requested: Target,
    /// Awaiting a decision too, for the bulk decision.
    bulk: Target,
    /// Approved with a label: receive.
    receivable: Target,
    /// Approved without a label: settle.
    settleable: Target,
    /// Settled, with a credit note.
    settled: Target,
    /// The settings page as the shop's owner reads it (`office/settings`).
    settings: Value,
    /// An email of the shop that could not be sent, for `office/retry_email`.
    failed_email: String,
    /// A shopper of the shop, for the data export and erasure (erased last).
    shopper_email: String,
    /// An active API key of the shop, for `office/revoke_api_key`.
    api_key: String,
    /// A webhook endpoint of the shop and one of its deliveries.
    webhook: String,
    delivery: String,
}

enum Body {
    Form(Vec<(&'static str, String)>),
    Json(Value),
    /// Named parts, as the order import's page sends its file.
    Multipart(Vec<(&'static str, Vec<u8>)>),
}

fn form(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

/// What a user of another shop must get back.
enum Intruder {
    NotFound,
    /// A bulk call answers per request: none done, none failed, none named.
    NothingDone,
    /// The caller's own shop (its name), nothing of the other.
    OwnShop,
    /// A save of the other shop's settings names no shop: it reaches only the caller's
    /// own, where the other's version is stale.
    Conflict,
    /// Answered from the caller's own shop only (its rules, a dry run over its requests).
    OwnData,
}

struct Endpoint {
    /// The server function's name in `app/src/server_fns/backoffice.rs`.
    function: &'static str,
    /// Its `endpoint = "…"`, served under `/api/`.
    path: &'static str,
    body: fn(&Targets) -> Body,
    intruder: Intruder,
}

const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        function: "office_inbox",
        path: "office/inbox",
        body: |_| Body::Json(json!({ "filters": InboxFilters::default() })),
        intruder: Intruder::OwnShop,
    },
    Endpoint {
        function: "office_return",
        path: "office/return",
        body: |t| form(&[("id", &t.requested.id)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_decide",
        path: "office/decide",
        body: |t| {
            form(&[
                ("id", &t.requested.id),
                ("version", &t.requested.version.to_string()),
                ("action", "approve_label"),
            ])
        },
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_bulk_decide",
        path: "office/bulk_decide",
        body: |t| {
            form(&[
                ("targets[0]", &format!("{}:{}", t.bulk.id, t.bulk.version)),
                ("action", "approve_label"),
            ])
        },
        intruder: Intruder::NothingDone,
    },
    Endpoint {
        function: "office_add_note",
        path: "office/note",
        body: |t| form(&[("id", &t.requested.id), ("body", "Written from outside")]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_receive",
        path: "office/receive",
        body: |t| {
            let items: Vec<Value> = t.receivable.items.iter().map(|(id, n)| json!({ "item_id": id, "quantity": n, "condition": "as_new", "restock": "on" })).collect();
            Body::Json(
                json!({ "id": t.receivable.id, "version": t.receivable.version, "items": items }),
            )
        },
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_settle",
        path: "office/settle",
        body: |t| {
            form(&[
                ("id", &t.settleable.id),
                ("version", &t.settleable.version.to_string()),
                ("kind", "refund"),
            ])
        },
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_credit_note",
        path: "office/credit_note",
        body: |t| form(&[("id", &t.settled.id)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_settings",
        path: "office/settings",
        body: |_| form(&[]),
        intruder: Intruder::OwnShop,
    },
    Endpoint {
        function: "office_save_settings",
        path: "office/save_settings",
        body: |t| {
            Body::Json(
                json!({ "version": t.settings["version"], "settings": t.settings["settings"] }),
            )
        },
        intruder: Intruder::Conflict,
    },
    Endpoint {
        function: "office_rules",
        path: "office/rules",
        body: |_| form(&[]),
        intruder: Intruder::OwnData,
    },
    // Rules carry no request id: an empty list saved at version 0 changes no rule of anyone.
    Endpoint {
        function: "office_save_rules",
        path: "office/save_rules",
        body: |_| Body::Json(json!({ "version": 0, "rules": [] })),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_dry_run_rules",
        path: "office/dry_run_rules",
        body: |_| Body::Json(json!({ "rules": [] })),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_emails",
        path: "office/emails",
        body: |_| form(&[]),
        intruder: Intruder::OwnShop,
    },
    Endpoint {
        function: "office_retry_email",
        path: "office/retry_email",
        body: |t| form(&[("id", &t.failed_email)]),
        intruder: Intruder::NotFound,
    },
    // Email texts carry no id: each call reaches the caller's own shop only.
    Endpoint {
        function: "office_message_texts",
        path: "office/message_texts",
        body: |_| form(&[]),
        intruder: Intruder::OwnShop,
    },
    Endpoint {
        function: "office_save_message_text",
        path: "office/save_message_text",
        body: |_| Body::Json(json!({ "kind": "received", "locale": "En", "text": null })),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_preview_message",
        path: "office/preview_message",
        body: |_| {
            Body::Json(
                json!({ "kind": "received", "locale": "En", "text": { "subject": "Hi {{name}}", "body": "{{status_link}}" } }),
            )
        },
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_send_test_message",
        path: "office/send_test_message",
        body: |_| {
            Body::Json(
                json!({ "kind": "received", "locale": "En", "text": { "subject": "Hi {{name}}", "body": "{{status_link}}" } }),
            )
        },
        intruder: Intruder::OwnData,
    },
    // Last: the erasure blanks the shopper's order. Another shop has no order of theirs.
    Endpoint {
        function: "office_api_keys",
        path: "office/api_keys",
        body: |_| form(&[]),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_create_api_key",
        path: "office/create_api_key",
        body: |_| form(&[("name", "isolation 2")]),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_revoke_api_key",
        path: "office/revoke_api_key",
        body: |t| form(&[("id", &t.api_key)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_embed_kit",
        path: "office/embed_kit",
        body: |_| form(&[]),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_webhooks",
        path: "office/webhooks",
        body: |_| form(&[]),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_add_webhook",
        path: "office/add_webhook",
        body: |_| Body::Json(json!({ "url": "https://hooks.example/isolation", "events": ["return.created"] })),
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_redeliver_webhook",
        path: "office/redeliver_webhook",
        body: |t| form(&[("id", &t.delivery)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_delete_webhook",
        path: "office/delete_webhook",
        body: |t| form(&[("id", &t.webhook)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_import_orders",
        path: "office/import_orders",
        // A check: it reads the caller's own shop's orders and changes nothing.
        body: |_| {
            Body::Multipart(vec![
                ("mode", b"check".to_vec()),
                (
                    "file",
                    b"order_number,email,shipping_country,currency,placed_on,sku,title,quantity,unit_price\n\
                      ISOLATION-CHECK,iso@example.org,FR,EUR,2026-11-01,ISO-SKU,Isolation,1,10\n"
                        .to_vec(),
                ),
            ])
        },
        intruder: Intruder::OwnData,
    },
    Endpoint {
        function: "office_export_shopper",
        path: "office/export_shopper",
        body: |t| form(&[("email", &t.shopper_email)]),
        intruder: Intruder::NotFound,
    },
    Endpoint {
        function: "office_erase_shopper",
        path: "office/erase_shopper",
        body: |t| form(&[("email", &t.shopper_email), ("confirm", &t.shopper_email)]),
        intruder: Intruder::NotFound,
    },
];

/// How a call carries (or claims) who makes it.
enum Caller<'a> {
    Nobody,
    /// The `retour_session` cookie.
    Session(&'a str),
    /// A whole `Cookie` header.
    Cookies(String),
    Header(header::HeaderName, String),
    /// An extra field in the call's body.
    Field(&'static str, String),
}

/// Posts to a server function as the back-office's own page does (with our origin).
async fn post(app: &TestApp, path: &str, body: Body, caller: &Caller<'_>) -> (StatusCode, String) {
    let body = match (body, caller) {
        (Body::Form(mut pairs), Caller::Field(name, value)) => {
            pairs.push((*name, value.clone()));
            Body::Form(pairs)
        }
        (Body::Json(mut object), Caller::Field(name, value)) => {
            object[*name] = json!(value);
            Body::Json(object)
        }
        (Body::Multipart(mut parts), Caller::Field(name, value)) => {
            parts.insert(0, (*name, value.clone().into_bytes()));
            Body::Multipart(parts)
        }
        (body, _) => body,
    };
    let request = app
        .http
        .post(format!("{}/api/{path}", app.address))
        .header(header::ORIGIN, &app.address);
    let request = match body {
        Body::Form(pairs) => request.form(&pairs),
        Body::Json(object) => request.json(&object),
        Body::Multipart(parts) => request.multipart(parts.into_iter().fold(
            reqwest::multipart::Form::new(),
            |form, (name, bytes)| form.part(name, reqwest::multipart::Part::bytes(bytes).file_name(name)),
        )),
    };
    let request = match caller {
        Caller::Session(token) => request.header(
            header::COOKIE,
            format!("theme=dark; retour_session={token}"),
        ),
        Caller::Cookies(cookies) => request.header(header::COOKIE, cookies),
        Caller::Header(name, value) => request.header(name, value),
        Caller::Nobody | Caller::Field(..) => request,
    };
    let response = request.send().await.expect("sent");
    (response.status(), response.text().await.expect("body"))
}

async fn call(
    app: &TestApp,
    endpoint: &Endpoint,
    targets: &Targets,
    caller: &Caller<'_>,
) -> (StatusCode, String) {
    post(app, endpoint.path, (endpoint.body)(targets), caller).await
}

fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("JSON body: {body}"))
}

/// Everything a shop's merchant can see of its requests, to show that a call changed nothing.
#[derive(Debug, PartialEq)]
struct ShopState {
    requests: Vec<ReturnDetailView>,
    counts: TabCounts,
    credit_notes: Vec<CreditNoteRecord>,
    restocked: BTreeMap<String, i64>,
    settings: Value,
    rules: Value,
}

/// A shop with requests in every state, and a signed-in owner.
struct Shop {
    name: String,
    merchant: Merchant,
    session: String,
    targets: Targets,
    /// All its requests.
    ids: Vec<String>,
    /// What must never reach a user of another shop: ids, references, order numbers,
    /// emails, names, SKUs, amounts, its name and a staff note.
    secrets: Vec<String>,
}

impl Shop {
    async fn state(&self, app: &TestApp) -> ShopState {
        let mut requests = Vec::new();
        for id in &self.ids {
            requests.push(
                office::return_detail(&app.state, &self.merchant, id)
                    .await
                    .expect("the shop sees its request"),
            );
        }
        let shop_id = &self.merchant.shop_id;
        ShopState {
            requests,
            counts: office::tab_counts(&app.state, shop_id).await.unwrap(),
            credit_notes: store::backoffice::credit_notes(&app.state.db, shop_id)
                .await
                .unwrap(),
            restocked: store::backoffice::restocked_by_sku(&app.state.db, shop_id)
                .await
                .unwrap()
                .into_iter()
                .collect(),
            settings: settings(app, &self.session).await,
            rules: store::rules::shop_rules(&app.state.db, shop_id)
                .await
                .unwrap()
                .map(|(rules, _)| serde_json::to_value(rules).unwrap())
                .unwrap_or_default(),
        }
    }

    fn assert_not_in(&self, body: &str, context: &str) {
        for secret in &self.secrets {
            assert!(
                !body.contains(secret.as_str()),
                "{context} reveals {secret:?}: {body}"
            );
        }
    }
}

/// An endpoint of the shop, made before its requests: it hears from its creation on.
async fn add_webhook(app: &TestApp, merchant: &Merchant) {
    app::services::webhooks::add_endpoint(&app.state, merchant, "http://127.0.0.1:9/hooks", &["return.created".into()], now())
        .await
        .expect("endpoint added");
}

/// The shop's endpoint, and a delivery to it of the shop's requests made since.
async fn webhook_and_delivery(app: &TestApp, merchant: &Merchant) -> (String, String) {
    use app::services::webhooks;
    while webhooks::announce(&app.state, now()).await.unwrap() > 0 {}
    let view = webhooks::webhooks_view(&app.state, merchant).await.unwrap();
    (view.endpoints[0].id.clone(), view.deliveries[0].id.clone())
}

/// Submits a return of one line through the real portal of `shop_slug`.
async fn submit(
    app: &TestApp,
    shop: &Merchant,
    shop_slug: &str,
    (number, email, sku, reason): (&str, &str, &str, &str),
) -> String {
    let form = [
        ("shop", shop_slug),
        ("order_number", number),
        ("email", email),
    ];
    let response = app
        .http
        .post(format!("{}/api/find_order", app.address))
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let order: Value = response.json().await.unwrap();
    let token = order["token"].as_str().unwrap();
    let key = format!("key-{}", ulid::Ulid::new());
    let (status, submitted) = app
        .submit(
            token,
            &key,
            json!([item(&line_id(&order, sku), 1, reason)]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let reference = submitted["reference"].as_str().unwrap();
    store::returns::find_by_reference(&app.state.db, &shop.shop_id, reference)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn settings(app: &TestApp, session: &str) -> Value {
    let (status, body) = post(app, "office/settings", form(&[]), &Caller::Session(session)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    parsed(&body)
}

async fn target(app: &TestApp, merchant: &Merchant, id: &str) -> Target {
    let detail = office::return_detail(&app.state, merchant, id)
        .await
        .unwrap();
    Target {
        id: detail.id,
        version: detail.version,
        items: detail
            .items
            .iter()
            .map(|i| (i.id.clone(), i.quantity))
            .collect(),
    }
}

/// Five requests, one per target, the last three moved on by the shop's own merchant.
async fn populate(
    app: &TestApp,
    (session, merchant): (&str, &Merchant),
    slug: &str,
    picks: [(&str, &str, &str, &str); 5],
) -> Targets {
    add_webhook(app, merchant).await;
    let mut ids = Vec::new();
    for pick in picks {
        ids.push(submit(app, merchant, slug, pick).await);
    }
    let decide = |id: String, with_label: bool| async move {
        let version = target(app, merchant, &id).await.version;
        office::decide(
            &app.state,
            merchant,
            &id,
            version,
            Decision::Approve {
                with_label,
                refund_fee: false,
            },
            now(),
        )
        .await
        .unwrap();
        id
    };
    let [requested, bulk, receivable, settleable, settled] = <[String; 5]>::try_from(ids).unwrap();
    let (receivable, settleable, settled) = (
        decide(receivable, true).await,
        decide(settleable, false).await,
        decide(settled, false).await,
    );
    let refund = Settlement::Refund {
        adjusted_minor: None,
        adjustment_reason: String::new(),
    };
    office::settle(
        &app.state,
        merchant,
        &settled,
        target(app, merchant, &settled).await.version,
        &refund,
        now(),
    )
    .await
    .unwrap();
    let note = format!("Private note of {slug}");
    office::add_note(&app.state, merchant, &requested, &note, now())
        .await
        .unwrap();
    let webhook = webhook_and_delivery(app, merchant).await;
    Targets {
        requested: target(app, merchant, &requested).await,
        bulk: target(app, merchant, &bulk).await,
        receivable: target(app, merchant, &receivable).await,
        settleable: target(app, merchant, &settleable).await,
        settled: target(app, merchant, &settled).await,
        settings: settings(app, session).await,
        failed_email: failed_email(app, &merchant.shop_id).await,
        // The demo's order 1007 is none of the targets; shop B has one order only.
        shopper_email: if slug == "demo" {
            "lena@example.de"
        } else {
            picks[0].1
        }
        .to_owned(),
        api_key: app::services::api::create_key(&app.state, merchant, "isolation", now())
            .await
            .expect("key made")
            .key
            .id,
        webhook: webhook.0,
        delivery: webhook.1,
    }
}

/// Marks the shop's first email failed for good, as after its last retry.
async fn failed_email(app: &TestApp, shop_id: &str) -> String {
    let id = store::outbox::shop_messages(&app.state.db, shop_id, 1)
        .await
        .unwrap()
        .remove(0)
        .0
        .id;
    store::outbox::mark_attempt_failed(&app.state.db, &id, "connection refused", None)
        .await
        .unwrap();
    id
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (String, Merchant) {
    accounts::login(&app.state, email, password, "isolation-test", now())
        .await
        .expect("signed in")
}

async fn shop_name(app: &TestApp, shop: &Merchant) -> String {
    store::shops::find_shop_by_id(&app.state.db, &shop.shop_id)
        .await
        .unwrap()
        .unwrap()
        .name
}

async fn secrets(app: &TestApp, shop: &Merchant, ids: &[String]) -> Vec<String> {
    let mut secrets = vec![shop_name(app, shop).await, shop.shop_id.clone()];
    for id in ids {
        let detail = office::return_detail(&app.state, shop, id).await.unwrap();
        secrets.extend([
            detail.id,
            detail.reference,
            detail.order_number,
            detail.email,
            detail.customer_name,
        ]);
        secrets.extend(detail.notes.into_iter().map(|n| n.body));
        for item in detail.items {
            secrets.extend([
                item.id,
                item.sku,
                item.title,
                format!("\"minor\":{}", item.unit_price.minor),
            ]);
        }
    }
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Shop A is the demo shop; shop B is created as `create-shop` does, with an order of its own.
async fn two_shops(app: &TestApp) -> (Shop, Shop) {
    let (session, merchant) = sign_in(app, "owner@demo.test", "demo-owner-pass").await;
    let picks = [
        ("1001", "camille@example.fr", "TS-ORG-M", "too_small"),
        ("1004", "emma@example.be", "SC-CSH-01", "changed_mind"),
        ("1006", "jan@example.nl", "CB-USB-2M", "changed_mind"),
        ("1001", "camille@example.fr", "JN-SLM-32", "too_small"),
        ("1002", "sanne@example.nl", "RC-YEL-S", "too_large"),
    ];
    // One save, so the two shops' settings versions differ.
    let view = settings(app, &session).await;
    let (status, body) = post(
        app,
        "office/save_settings",
        Body::Json(json!({ "version": view["version"], "settings": view["settings"] })),
        &Caller::Session(&session),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let targets = populate(app, (&session, &merchant), "demo", picks).await;
    // The seeded request of order 1004 belongs to shop A too.
    let mut ids = vec!["return_demo_1004".to_owned()];
    ids.extend(
        [
            &targets.requested,
            &targets.bulk,
            &targets.receivable,
            &targets.settleable,
            &targets.settled,
        ]
        .map(|t| t.id.clone()),
    );
    let a = Shop {
        name: shop_name(app, &merchant).await,
        secrets: secrets(app, &merchant, &ids).await,
        merchant,
        session,
        targets,
        ids,
    };

    let (shop, _) = accounts::create_shop(
        &app.state,
        "boutique-b",
        "Boutique Bis",
        "owner@boutique-b.test",
        "boutique b password",
        now(),
    )
    .await
    .unwrap();
    // Approving with a label needs the shop's return address. Written straight to the row:
    // a save through the settings would move the version the stale-save row relies on.
    let address = PostalAddress {
        lines: vec!["Rue Bis 2".into()],
        postcode: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        ..Default::default()
    };
    sqlx::query("UPDATE shops SET return_address_json = $1 WHERE id = $2")
        .bind(serde_json::to_string(&address).unwrap())
        .bind(&shop.id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let order = Order {
        id: "order_b_2001".into(),
        shop_id: shop.id.clone(),
        display_number: "#B-2001".into(),
        number: OrderNumber::parse("2001").unwrap(),
        email: EmailAddress::parse("bea@boutique-b.test").unwrap(),
        customer_name: "Béatrice Bis".into(),
        shipping_country: "BE".into(),
        currency: Currency::EUR,
        placed_on: today - time::Duration::days(5),
        delivered_on: Some(today - time::Duration::days(2)),
        shipping_address: Default::default(),
    };
    let line = |n: u32, sku: &str, price: i64| OrderLine {
        id: format!("order_b_2001_line_{n}"),
        sku: sku.into(),
        title: format!("Bis article {n}"),
        variant: String::new(),
        quantity: 1,
        unit_price: Money::new(price, Currency::EUR),
        discount: Money::zero(Currency::EUR),
        image_url: String::new(),
        returnable: true,
        tags: Vec::new(),
        category: None,
        withdrawal_exclusion: None,
    };
    let lines = [
        line(1, "B-HAT", 3100),
        line(2, "B-GLOVES", 4300),
        line(3, "B-BAG", 15700),
        line(4, "B-MUG", 1700),
        line(5, "B-PEN", 900),
    ];
    let mut tx = app.state.db.begin().await.unwrap();
    store::orders::insert_order(&mut tx, &order, &lines, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (session, merchant) = sign_in(app, "owner@boutique-b.test", "boutique b password").await;
    let pick = |sku| ("2001", "bea@boutique-b.test", sku, "too_small");
    let targets = populate(
        app,
        (&session, &merchant),
        "boutique-b",
        [
            pick("B-HAT"),
            pick("B-GLOVES"),
            pick("B-BAG"),
            pick("B-MUG"),
            pick("B-PEN"),
        ],
    )
    .await;
    let ids: Vec<String> = [
        &targets.requested,
        &targets.bulk,
        &targets.receivable,
        &targets.settleable,
        &targets.settled,
    ]
    .map(|t| t.id.clone())
    .into();
    let b = Shop {
        name: shop_name(app, &merchant).await,
        secrets: secrets(app, &merchant, &ids).await,
        merchant,
        session,
        targets,
        ids,
    };
    (a, b)
}

/// The table must name every back-office server function, or a new one would go untested
/// for isolation. Server functions leave no list of names to read, so the names come from
/// `backoffice.rs` itself, each with the endpoint and input encoding its row must match;
/// the registry of served paths then catches an `office/` endpoint declared in another file.
#[test]
fn every_office_server_function_has_a_row() {
    let source = [
        include_str!("../../../app/src/server_fns/backoffice.rs"),
        include_str!("../../../app/src/server_fns/settings.rs"),
        include_str!("../../../app/src/server_fns/rules.rs"),
        include_str!("../../../app/src/server_fns/mail.rs"),
    ]
    .concat();
    let mut declared = Vec::new();
    let mut attribute = "";
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[server") {
            attribute = line;
        }
        if let Some(name) = line
            .strip_prefix("pub async fn ")
            .and_then(|rest| rest.split('(').next())
        {
            assert!(
                attribute.starts_with("#[server") && name.starts_with("office_"),
                "{name}: back-office server functions are named office_*"
            );
            declared.push((name, attribute));
            attribute = "";
        }
    }
    assert!(declared.len() >= 8, "the source was read: {declared:?}");
    let targets = Targets {
        requested: dummy(),
        bulk: dummy(),
        receivable: dummy(),
        settleable: dummy(),
        settled: dummy(),
        settings: Value::Null,
        failed_email: String::new(),
        shopper_email: String::new(),
        api_key: String::new(),
        webhook: String::new(),
        delivery: String::new(),
    };
    for (name, attribute) in declared {
        let endpoint = ENDPOINTS
            .iter()
            .find(|e| e.function == name)
            .unwrap_or_else(|| panic!("{name} has no row in ENDPOINTS"));
        assert!(
            attribute.contains(&format!("endpoint = \"{}\"", endpoint.path)),
            "{name}: {attribute}"
        );
        let body = (endpoint.body)(&targets);
        assert_eq!(
            attribute.contains("MultipartFormData"),
            matches!(body, Body::Multipart(_)),
            "{name}: multipart on one side only"
        );
        let json = matches!(body, Body::Json(_));
        assert_eq!(
            attribute.contains("codec::Json"),
            json,
            "{name}: the row sends {}",
            if json { "JSON" } else { "a form" }
        );
    }
    let mut served: Vec<_> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|p| p.starts_with("/api/office/"))
        .collect();
    let mut listed: Vec<_> = ENDPOINTS
        .iter()
        .map(|e| format!("/api/{}", e.path))
        .collect();
    served.sort();
    listed.sort();
    assert_eq!(
        served, listed,
        "every served office/ endpoint has a row, and every row is served"
    );
}

fn dummy() -> Target {
    Target {
        id: String::new(),
        version: 0,
        items: Vec::new(),
    }
}

async fn the_shops_own_merchant_gets_through_with_every_call(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, _) = two_shops(&app).await;
    for endpoint in ENDPOINTS {
        let (status, body) = call(&app, endpoint, &a.targets, &Caller::Session(&a.session)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", endpoint.function);
    }
    // So an intruder's identical call would have worked, had the shop not been checked.
    let after = a.state(&app).await;
    let status_of = |id: &str| {
        after
            .requests
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .status
            .as_str()
    };
    let t = &a.targets;
    assert_eq!(
        [&t.requested, &t.bulk, &t.receivable, &t.settleable].map(|t| status_of(&t.id)),
        ["approved", "approved", "received", "settled"]
    );
    assert_eq!(
        after
            .requests
            .iter()
            .find(|r| r.id == t.requested.id)
            .unwrap()
            .notes
            .len(),
        2
    );
    assert_eq!(after.credit_notes.len(), 2);
}

async fn a_user_of_another_shop_neither_reads_nor_changes_anything(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b) = two_shops(&app).await;
    for (intruder, victim) in [(&b, &a), (&a, &b)] {
        let before = (victim.state(&app).await, intruder.state(&app).await);
        let as_intruder = Caller::Session(&intruder.session);
        for endpoint in ENDPOINTS {
            let (status, body) = call(&app, endpoint, &victim.targets, &as_intruder).await;
            victim.assert_not_in(&body, endpoint.function);
            match endpoint.intruder {
                Intruder::NotFound => assert_eq!(
                    (status, parsed(&body)),
                    (StatusCode::NOT_FOUND, json!("NotFound")),
                    "{}",
                    endpoint.function
                ),
                Intruder::NothingDone => assert_eq!(
                    (status, parsed(&body)),
                    (StatusCode::OK, json!({ "done": [], "failed": [] })),
                    "{}",
                    endpoint.function
                ),
                Intruder::OwnShop => {
                    assert_eq!(status, StatusCode::OK, "{}: {body}", endpoint.function);
                    assert!(
                        body.contains(&intruder.name),
                        "{}: {body}",
                        endpoint.function
                    );
                }
                Intruder::Conflict => assert_eq!(
                    (status, parsed(&body)),
                    (StatusCode::CONFLICT, json!("Conflict")),
                    "{}",
                    endpoint.function
                ),
                Intruder::OwnData => assert!(
                    matches!(status, StatusCode::OK | StatusCode::CONFLICT),
                    "{}: {body}",
                    endpoint.function
                ),
            }
        }
        // Searching for the other shop's requests finds none of them, on any tab.
        let victim_details = &before.0.requests;
        let searches = victim_details.iter().flat_map(|r| {
            [
                r.reference.clone(),
                r.email.clone(),
                r.order_number.clone(),
                r.id.clone(),
            ]
        });
        for search in searches.chain(["".to_owned(), "@".to_owned(), "R-".to_owned()]) {
            for tab in InboxTab::ALL {
                let filters = InboxFilters {
                    tab,
                    search: search.clone(),
                    ..Default::default()
                };
                let (status, body) = post(
                    &app,
                    "office/inbox",
                    Body::Json(json!({ "filters": filters })),
                    &as_intruder,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                victim.assert_not_in(&body, &format!("searching {search:?} on {tab:?}"));
                let page = parsed(&body);
                let rows = page["rows"].as_array().unwrap();
                assert!(
                    rows.iter()
                        .all(|r| intruder.ids.iter().any(|id| r["id"] == id.as_str())),
                    "{body}"
                );
                if search.is_empty() && tab == InboxTab::Requests {
                    assert_eq!(
                        rows.len() as i64,
                        before.1.counts.requests,
                        "the intruder's own requests are listed: {body}"
                    );
                }
            }
        }
        assert_eq!(
            before,
            (victim.state(&app).await, intruder.state(&app).await),
            "neither shop changed"
        );
    }
}

/// Every call as `caller` against `shop`'s requests is `Unauthorized`, and changes nothing.
async fn assert_every_call_refused(app: &TestApp, shop: &Shop, caller: &Caller<'_>, context: &str) {
    let before = shop.state(app).await;
    for endpoint in ENDPOINTS {
        let (status, body) = call(app, endpoint, &shop.targets, caller).await;
        assert_eq!(
            (status, parsed(&body)),
            (StatusCode::UNAUTHORIZED, json!("Unauthorized")),
            "{} {context}",
            endpoint.function
        );
    }
    assert_eq!(before, shop.state(app).await, "{context}: nothing changed");
}

async fn without_a_session_every_office_call_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b) = two_shops(&app).await;
    for shop in [&a, &b] {
        assert_every_call_refused(&app, shop, &Caller::Nobody, "without cookies").await;
        assert_every_call_refused(
            &app,
            shop,
            &Caller::Cookies("theme=dark; lang=fr".into()),
            "without a session cookie",
        )
        .await;
    }
}

async fn a_shopper_order_token_opens_nothing_in_the_back_office(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b) = two_shops(&app).await;
    // The shopper of the very order the requests were made on.
    let (order_token, _) = app.token("1001", "camille@example.fr").await;
    for shop in [&a, &b] {
        let carriers = [
            ("as the session cookie", Caller::Session(&order_token)),
            (
                "as another cookie",
                Caller::Cookies(format!("token={order_token}; order_token={order_token}")),
            ),
            (
                "as a bearer token",
                Caller::Header(header::AUTHORIZATION, format!("Bearer {order_token}")),
            ),
            (
                "as a header of its own",
                Caller::Header(
                    header::HeaderName::from_static("x-order-token"),
                    order_token.clone(),
                ),
            ),
            ("as a field", Caller::Field("token", order_token.clone())),
        ];
        for (how, caller) in &carriers {
            assert_every_call_refused(&app, shop, caller, how).await;
        }
    }
}

async fn a_forged_or_ended_session_opens_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b) = two_shops(&app).await;
    let (ended, _) = sign_in(&app, "owner@boutique-b.test", "boutique b password").await;
    let (status, body) = post(&app, "merchant_logout", form(&[]), &Caller::Session(&ended)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fifteen_days_ago = now() - 15 * 24 * 3600;
    let (expired, _) = accounts::login(
        &app.state,
        "owner@demo.test",
        "demo-owner-pass",
        "isolation-test",
        fifteen_days_ago,
    )
    .await
    .unwrap();
    let mut tampered = a.session.clone();
    let last = if tampered.ends_with('A') { "B" } else { "A" };
    tampered.replace_range(tampered.len() - 1.., last);
    let forged = [
        ("signed out", ended),
        ("expired", expired),
        ("tampered", tampered),
        (
            "the stored hash of a live session",
            accounts::session_token_hash(&a.session),
        ),
        ("empty", String::new()),
        ("garbage", "x".into()),
        ("token-shaped", "A".repeat(43)),
        ("overlong", "A".repeat(10_000)),
    ];
    for shop in [&a, &b] {
        for (what, token) in &forged {
            assert_every_call_refused(&app, shop, &Caller::Session(token), what).await;
        }
        // A live session under another cookie's name is not a session.
        let misnamed = Caller::Cookies(format!(
            "xretour_session={0}; retour_session_old={0}",
            a.session
        ));
        assert_every_call_refused(&app, shop, &misnamed, "under another name").await;
    }
    // Signing B's other session out ended only that one.
    let (status, _) = post(
        &app,
        "office/return",
        form(&[("id", &b.targets.requested.id)]),
        &Caller::Session(&b.session),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
