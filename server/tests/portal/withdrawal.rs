//! The EU withdrawal function on both backends, over HTTP as the page calls it: the statement
//! is stored with its time, acknowledged once (a double click included), shown to the merchant
//! as a withdrawal with its refund deadline, and downloadable by the consumer; no rule, fee,
//! closed return window or disabled returns stop it, and a late, unknown, excluded or repeated
//! withdrawal is refused without changing anything.

use app::{
    domain::message::MessageKind,
    services::backoffice as office,
    store,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{backoffice::demo_staff, helpers::*, on_both_backends, rules::save_rules};

on_both_backends!(
    a_statement_is_stored_with_its_time_and_acknowledged_once,
    no_rule_fee_closed_window_or_disabled_returns_stop_a_withdrawal,
    a_late_unknown_excluded_or_repeated_withdrawal_is_refused_and_changes_nothing,
    the_consumer_downloads_the_receipt_and_the_portal_links_the_function,
);

async fn find(app: &TestApp, number: &str, email: &str) -> (StatusCode, Value) {
    let response = app
        .http
        .post(format!("{}/api/withdrawal_find_order", app.address))
        .form(&[("shop", "demo"), ("order_number", number), ("email", email)])
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

async fn withdraw(
    app: &TestApp,
    token: &str,
    key: &str,
    selection: Value,
    email: &str,
) -> (StatusCode, Value) {
    let response = app
        .http
        .post(format!("{}/api/withdraw", app.address))
        .json(&json!({
            "token": token,
            "idempotency_key": key,
            "input": { "name": "  Camille   Martin ", "email": email, "selection": selection },
            "locale": "Fr",
        }))
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

fn order_id(number: &str) -> String {
    format!("order_demo_{number}")
}

async fn statements(app: &TestApp, number: &str) -> i64 {
    store::withdrawals::count_for_order(&app.state.db, &order_id(number))
        .await
        .unwrap()
}

async fn withdrawal_emails(app: &TestApp) -> Vec<store::outbox::OutboxMessage> {
    store::outbox::shop_messages(&app.state.db, "shop_demo", 100)
        .await
        .unwrap()
        .into_iter()
        .map(|(message, _)| message)
        .filter(|m| m.kind == MessageKind::WithdrawalReceived)
        .collect()
}

async fn a_statement_is_stored_with_its_time_and_acknowledged_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, order) = find(&app, "1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["period_open"], true);
    assert_eq!(order["customer_name"], "Camille Martin");
    let token = order["token"].as_str().unwrap();
    let jeans = line_id(&order, "JN-SLM-32");

    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let key = "withdrawal-key-0001";
    let selection = json!({ "Lines": [[jeans, 1]] });
    // A double click: the same statement twice, at once.
    let (first, second) = tokio::join!(
        withdraw(&app, token, key, selection.clone(), "camille.m@example.fr"),
        withdraw(&app, token, key, selection.clone(), "camille.m@example.fr"),
    );
    let after = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    assert_eq!(first.1["reference"], second.1["reference"]);
    assert_eq!(statements(&app, "1001").await, 1, "one statement");

    let receipt = &first.1;
    let statement = receipt["statement"].as_str().unwrap();
    for part in [
        "Je vous notifie par la présente ma rétractation",
        "1 × Slim jeans (Indigo / 32)",
        "JN-SLM-32",
        "Camille Martin",
        "camille.m@example.fr",
        "#1001",
        "Maison Démo",
    ] {
        assert!(statement.contains(part), "{part:?} in\n{statement}");
    }
    // Paris time with its offset, and UTC.
    let received = receipt["received_at"].as_str().unwrap();
    assert!(received.contains("(UTC+01:00)") && received.ends_with(" UTC"), "{received}");

    // Stored as received: the merchant sees it as a withdrawal with the refund deadline.
    let staff = demo_staff();
    let page = office::inbox(&app.state, &staff, &Default::default())
        .await
        .unwrap();
    let row = page
        .rows
        .iter()
        .find(|r| r.reference == receipt["reference"].as_str().unwrap())
        .expect("in the inbox");
    assert!(row.withdrawal);
    let detail = office::return_detail(&app.state, &staff, &row.id)
        .await
        .unwrap();
    let withdrawal = detail.withdrawal.expect("the statement");
    assert_eq!(withdrawal.statement, statement);
    assert_eq!(withdrawal.received_at, received);
    let stored = store::withdrawals::find_statement(&app.state.db, "shop_demo", &row.id)
        .await
        .unwrap()
        .unwrap();
    assert!((before..=after).contains(&stored.statement.received_at));
    let received_on = time::OffsetDateTime::from_unix_timestamp(stored.statement.received_at)
        .unwrap()
        .to_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap())
        .date();
    assert_eq!(
        withdrawal.refund_due_on,
        (received_on + time::Duration::days(14)).to_string()
    );
    assert_eq!(detail.items.len(), 1);
    assert_eq!(detail.items[0].quantity, 1);
    assert_eq!(detail.items[0].reason_label, "Legal withdrawal (no reason needed)");
    assert_eq!(row.reasons, ["Legal withdrawal (no reason needed)"]);

    // One acknowledgement, to the address given, with the statement and the time.
    let emails = withdrawal_emails(&app).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].recipient, "camille.m@example.fr");
    assert!(emails[0].body.contains(statement), "{}", emails[0].body);
    assert!(emails[0].body.contains(received), "{}", emails[0].body);
    assert!(emails[0].subject.contains("rétractation"), "{}", emails[0].subject);
}

async fn no_rule_fee_closed_window_or_disabled_returns_stop_a_withdrawal(backend: Backend) {
    let app = spawn_app(backend).await;
    save_rules(
        &app,
        json!([{ "id": "", "name": "No returns from France", "enabled": true, "position": 0,
            "condition": { "field": "country", "op": "is", "value": "FR" },
            "actions": [{ "action": "refuse", "message": { "en": "", "fr": "", "nl": "", "de": "" } }] }]),
    )
    .await;
    crate::payments::charge_fee(&app, false).await;
    sqlx::query(
        "UPDATE shops SET returns_enabled = 0, return_window_days = 1 WHERE id = 'shop_demo'",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    // The wizard is closed to this shopper...
    let (status, _) = app.find_order("1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // ...the withdrawal function is not.
    let (status, order) = find(&app, "1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let token = order["token"].as_str().unwrap();
    let (status, receipt) = withdraw(&app, token, "withdrawal-key-0002", json!("WholeOrder"), "").await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    // Every unit of every line, acknowledged at the order's address; nothing to pay.
    assert_eq!(receipt["email"], "camille@example.fr");
    let statement = receipt["statement"].as_str().unwrap();
    for part in ["2 × Organic cotton T-shirt", "1 × Slim jeans", "1 × Running sneakers", "toute la commande"] {
        assert!(statement.contains(part), "{part:?} in\n{statement}");
    }
    let return_id: String =
        sqlx::query_scalar("SELECT id FROM return_requests WHERE reference = $1")
            .bind(receipt["reference"].as_str().unwrap())
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let record = store::backoffice::find_return(&app.state.db, "shop_demo", &return_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.record.status.as_str(), "requested");
    assert_eq!(record.fee_minor, 0);
    assert!(store::payments::payment_for_return(&app.state.db, &return_id)
        .await
        .unwrap()
        .is_none());
}

async fn a_late_unknown_excluded_or_repeated_withdrawal_is_refused_and_changes_nothing(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let requests = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM return_requests")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    let start = requests().await;

    // Unknown order: the same answer as the wizard's.
    let (status, body) = find(&app, "9999", "nobody@example.fr").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Delivered 60 days ago: found, the period is shown as over, and a statement is refused.
    let (status, late) = find(&app, "1003", "lukas@example.de").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(late["period_open"], false);
    let (status, body) = withdraw(
        &app,
        late["token"].as_str().unwrap(),
        "withdrawal-key-0003",
        json!("WholeOrder"),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body, json!({ "Withdrawal": "PeriodOver" }));

    // Sealed in-ear headphones: the law excludes them, the cable can still be withdrawn.
    let (_, order) = find(&app, "1006", "jan@example.nl").await;
    let token = order["token"].as_str().unwrap();
    let headphones = line_id(&order, "HP-WRL-BK");
    let headphone_line = order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "HP-WRL-BK")
        .unwrap();
    assert_eq!(headphone_line["state"], json!({ "Excluded": "sealed_hygiene" }));
    let (status, body) = withdraw(
        &app,
        token,
        "withdrawal-key-0004",
        json!({ "Lines": [[headphones, 1]] }),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body, json!({ "Withdrawal": "LineExcluded" }));
    assert_eq!(requests().await, start, "nothing saved");

    let (status, _) = withdraw(&app, token, "withdrawal-key-0005", json!("WholeOrder"), "").await;
    assert_eq!(status, StatusCode::OK);
    // Twice for the same items, with a new key: refused, one statement kept.
    let (status, body) = withdraw(&app, token, "withdrawal-key-0006", json!("WholeOrder"), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body, json!({ "Withdrawal": "AlreadyWithdrawn" }));
    assert_eq!(statements(&app, "1006").await, 1);
    assert_eq!(requests().await, start + 1);

    // A name is required; nothing else is.
    let (_, order) = find(&app, "1002", "sanne@example.nl").await;
    let response = app
        .http
        .post(format!("{}/api/withdraw", app.address))
        .json(&json!({
            "token": order["token"],
            "idempotency_key": "withdrawal-key-0007",
            "input": { "name": "  ", "email": "", "selection": "WholeOrder" },
            "locale": "Nl",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "Withdrawal": "NameMissing" })
    );
    assert_eq!(requests().await, start + 1);
}

async fn the_consumer_downloads_the_receipt_and_the_portal_links_the_function(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, order) = find(&app, "1004", "emma@example.be").await;
    let (status, receipt) = withdraw(
        &app,
        order["token"].as_str().unwrap(),
        "withdrawal-key-0008",
        json!("WholeOrder"),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");

    let path = receipt["receipt_path"].as_str().unwrap();
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(text.contains(receipt["statement"].as_str().unwrap()), "{text}");
    assert!(text.contains(receipt["received_at"].as_str().unwrap()), "{text}");
    assert!(text.starts_with("Accusé de réception d'une rétractation"), "{text}");

    // The key is checked: a forged one finds nothing.
    let forged = format!("{}x", path);
    assert_eq!(app.get(&forged).await.status(), StatusCode::NOT_FOUND);

    // The status page shows the withdrawal with its receipt.
    let status_page = app
        .get(receipt["status_path"].as_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(status_page.contains("data-testid=\"withdrawal-receipt\""));

    // Every portal page links the function, in its language; the page itself opens.
    for (lang, entry) in [
        ("en", "Withdraw from contract here"),
        ("fr", "Se rétracter du contrat ici"),
        ("nl", "Hier de overeenkomst herroepen"),
        ("de", "Vertrag hier widerrufen"),
    ] {
        let first_page = app.get(&format!("/demo?lang={lang}")).await.text().await.unwrap();
        assert!(first_page.contains(entry), "{lang}: {entry}");
        assert!(first_page.contains(&format!("/demo/withdraw?lang={lang}")));
    }
    let page = app.get("/demo/withdraw?lang=de").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Ihren Kauf widerrufen"));
}
