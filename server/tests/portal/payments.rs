//! Return fees on both backends, paid through the built-in test checkout: the merchant sees
//! a request once its fee is paid, paying twice records once, a rejection refunds the fee
//! on the request's timeline, unpaid requests expire, and a fee can be left to the refund.

use app::{
    domain::{fee::PaymentStatus, Decision, ReturnStatus},
    services::{backoffice as office, payments, AppState},
    store,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::{backoffice::demo_staff, helpers::*, on_both_backends};

on_both_backends!(
    a_fee_is_paid_before_the_shop_sees_the_request_and_a_rejection_refunds_it,
    an_unpaid_request_expires_and_a_late_payment_goes_back,
    a_fee_left_to_the_refund_needs_a_refund_and_is_not_paid_now,
    without_a_payment_provider_a_request_that_owes_a_fee_is_not_saved,
    a_shopper_cancels_a_paid_request_and_gets_the_fee_back,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The demo shop charges 4.95 per request, and may let shoppers leave it to the refund.
pub(crate) async fn charge_fee(app: &TestApp, deduct_from_refund: bool) {
    let fee = json!({ "basis": "per_request", "amount": { "minor": 495, "currency": "EUR" }, "deduct_from_refund": deduct_from_refund });
    sqlx::query("UPDATE shops SET fee_json = $1 WHERE id = 'shop_demo'")
        .bind(fee.to_string())
        .execute(&app.state.db)
        .await
        .unwrap();
}

async fn submit_with(
    app: &TestApp,
    key: &str,
    resolution: &str,
    fee_payment: &str,
) -> (StatusCode, Value) {
    let (token, order) = app.token("1001", "camille@example.fr").await;
    let body = json!({
        "token": token,
        "idempotency_key": key,
        "answers": {
            "items": [item(&line_id(&order, "JN-SLM-32"), 1, "too_large")],
            "resolution": resolution,
            "method": "mail",
            "fee_payment": fee_payment,
        },
        "locale": "Fr",
    });
    let response = app
        .http
        .post(format!("{}/api/submit_return", app.address))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The jeans of order 1001 returned for a refund through the service with `state`'s
/// payment provider (the HTTP portal always has the test checkout).
pub(crate) async fn submit_through(
    state: &AppState,
    app: &TestApp,
    key: &str,
) -> Result<app::dto::Submitted, app::services::ServiceError> {
    let (token, order) = app.token("1001", "camille@example.fr").await;
    let answers = serde_json::from_value(json!({
        "items": [item(&line_id(&order, "JN-SLM-32"), 1, "too_large")],
        "resolution": "refund",
        "method": "mail",
    }))
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    app::services::submit::submit_return(state, &token, key, answers, app::domain::Locale::Fr, now)
        .await
}

/// `/demo/pay/test/<payment id>?k=<key>` → (payment id, key).
fn checkout_of(payment_url: &Value) -> (String, String) {
    let url = payment_url.as_str().expect("a payment link");
    let rest = url
        .strip_prefix("/demo/pay/test/")
        .unwrap_or_else(|| panic!("{url}"));
    let (id, key) = rest.split_once("?k=").unwrap();
    (id.to_owned(), key.to_owned())
}

async fn portal_call(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = app
        .http
        .post(format!("{}/api/{endpoint}", app.address))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn pay(app: &TestApp, (payment, key): &(String, String), pay: bool) -> (StatusCode, Value) {
    let pay = pay.to_string();
    portal_call(
        app,
        "complete_test_checkout",
        &[
            ("shop", "demo"),
            ("payment", payment),
            ("key", key),
            ("pay", &pay),
        ],
    )
    .await
}

async fn payment_of(app: &TestApp, return_id: &str) -> store::payments::PaymentRecord {
    store::payments::payment_for_return(&app.state.db, return_id)
        .await
        .unwrap()
        .expect("a payment")
}

async fn return_id_of(app: &TestApp, reference: &str) -> String {
    store::returns::find_by_reference(&app.state.db, "shop_demo", reference)
        .await
        .unwrap()
        .expect("saved")
        .id
}

/// The status page's view through its signed link.
async fn status_view(app: &TestApp, status_path: &str) -> Value {
    let (path, key) = status_path.split_once("?k=").unwrap();
    let reference = path.rsplit('/').next().unwrap();
    let (status, view) = portal_call(
        app,
        "return_status",
        &[("shop", "demo"), ("reference", reference), ("key", key)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

async fn a_fee_is_paid_before_the_shop_sees_the_request_and_a_rejection_refunds_it(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    charge_fee(&app, false).await;
    let (status, submitted) = submit_with(&app, "fee-request-0001", "exchange", "pay_now").await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "AwaitingPayment");
    let checkout = checkout_of(&submitted["payment_url"]);
    let id = return_id_of(&app, submitted["reference"].as_str().unwrap()).await;

    // A double click: the same request, the same checkout, one payment.
    let (_, again) = submit_with(&app, "fee-request-0001", "exchange", "pay_now").await;
    assert_eq!(
        (&again["reference"], &again["payment_url"]),
        (&submitted["reference"], &submitted["payment_url"])
    );
    let payment = payment_of(&app, &id).await;
    assert_eq!(
        (payment.amount.minor, payment.status),
        (495, PaymentStatus::Pending)
    );

    // Unpaid, the shop does not see it and the shopper got no "received" email yet.
    let owner = demo_owner(&app).await;
    let inbox_body = json!({ "filters": app::backoffice::dto::InboxFilters::default() });
    let (status, inbox) = office(&app, "inbox", inbox_body.clone(), Some(&owner)).await;
    assert_eq!(status, StatusCode::OK, "{inbox}");
    assert!(
        !inbox
            .to_string()
            .contains(submitted["reference"].as_str().unwrap()),
        "{inbox}"
    );
    assert!(store::outbox::return_messages(&app.state.db, &id)
        .await
        .unwrap()
        .is_empty());
    let view = status_view(&app, submitted["status_path"].as_str().unwrap()).await;
    assert_eq!(
        view["fee"],
        json!({ "amount": { "minor": 495, "currency": "EUR" }, "state": "ToPay" })
    );

    // The test checkout shows what is paid; declining changes nothing.
    let (status, page) = portal_call(
        &app,
        "test_checkout",
        &[
            ("shop", "demo"),
            ("payment", &checkout.0),
            ("key", &checkout.1),
        ],
    )
    .await;
    assert_eq!(
        (status, &page["amount"]["minor"], &page["open"]),
        (StatusCode::OK, &json!(495), &json!(true)),
        "{page}"
    );
    let (status, next) = pay(&app, &checkout, false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(next.as_str().unwrap().ends_with("&declined=1"), "{next}");
    assert_eq!(payment_of(&app, &id).await.status, PaymentStatus::Pending);
    // A forged key opens nothing.
    let forged = (checkout.0.clone(), "AAAAAAAAAAAAAAAAAAAAAA".to_owned());
    assert_eq!(pay(&app, &forged, true).await.0, StatusCode::NOT_FOUND);

    // Paid (twice: two tabs): recorded once, then the request reaches the shop.
    assert_eq!(pay(&app, &checkout, true).await.0, StatusCode::OK);
    assert_eq!(pay(&app, &checkout, true).await.0, StatusCode::OK);
    let paid = payment_of(&app, &id).await;
    assert_eq!(
        (paid.status, paid.payment_ref.as_str()),
        (PaymentStatus::Paid, format!("test_pi_{}", paid.id).as_str())
    );
    let detail = office::return_detail(&app.state, &demo_staff(), &id)
        .await
        .unwrap();
    assert_eq!(detail.status, ReturnStatus::Requested);
    assert_eq!(
        detail
            .history
            .iter()
            .filter(|h| h.event == "fee_paid")
            .count(),
        1,
        "{:?}",
        detail.history
    );
    let emails = store::outbox::return_messages(&app.state.db, &id)
        .await
        .unwrap();
    assert_eq!(emails.len(), 1, "one 'received' email once paid");
    let (_, inbox) = office(&app, "inbox", inbox_body, Some(&owner)).await;
    assert!(
        inbox
            .to_string()
            .contains(submitted["reference"].as_str().unwrap()),
        "{inbox}"
    );

    // Rejected: the fee goes back through the provider, on the timeline and in the email.
    let decision = Decision::Reject {
        explanation: "Article porté.".into(),
    };
    office::decide(
        &app.state,
        &demo_staff(),
        &id,
        detail.version,
        decision,
        now(),
    )
    .await
    .unwrap();
    let refunded = payment_of(&app, &id).await;
    assert_eq!(
        (refunded.status, refunded.refund_ref.clone()),
        (
            PaymentStatus::Refunded,
            format!("test_refund_{}", refunded.id)
        )
    );
    let detail = office::return_detail(&app.state, &demo_staff(), &id)
        .await
        .unwrap();
    let refund_line = detail
        .history
        .iter()
        .find(|h| h.event == "fee_refunded")
        .expect("the refund is on the timeline");
    assert!(refund_line.note.contains("4.95"), "{}", refund_line.note);
    let rejection = store::outbox::return_messages(&app.state.db, &id)
        .await
        .unwrap()
        .pop()
        .unwrap()
        .0;
    assert!(
        rejection.body.contains("Article porté.") && rejection.body.contains("4,95"),
        "{}",
        rejection.body
    );
    let view = status_view(&app, submitted["status_path"].as_str().unwrap()).await;
    assert_eq!(view["fee"]["state"], "Refunded");
    // Refunds run once: another pass finds nothing owed.
    assert_eq!(
        payments::refund_due_payments(&app.state, now())
            .await
            .unwrap(),
        0
    );
}

async fn an_unpaid_request_expires_and_a_late_payment_goes_back(backend: Backend) {
    let app = spawn_app(backend).await;
    charge_fee(&app, false).await;
    let (_, submitted) = submit_with(&app, "fee-request-0002", "refund", "pay_now").await;
    let checkout = checkout_of(&submitted["payment_url"]);
    let id = return_id_of(&app, submitted["reference"].as_str().unwrap()).await;

    // Not yet: the window is an hour.
    assert_eq!(
        payments::expire_unpaid(&app.state, now() + 60)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        payments::expire_unpaid(&app.state, now() + app.state.payment_expiry_secs + 1)
            .await
            .unwrap(),
        1
    );
    let record = store::backoffice::find_return(&app.state.db, "shop_demo", &id)
        .await
        .unwrap()
        .unwrap()
        .record;
    assert_eq!(record.status, ReturnStatus::Expired);
    assert_eq!(payment_of(&app, &id).await.status, PaymentStatus::Expired);

    // The shopper pays in a tab left open: the money goes straight back; nothing reopens.
    assert_eq!(pay(&app, &checkout, true).await.0, StatusCode::OK);
    assert_eq!(payment_of(&app, &id).await.status, PaymentStatus::Refunded);
    let record = store::backoffice::find_return(&app.state.db, "shop_demo", &id)
        .await
        .unwrap()
        .unwrap()
        .record;
    assert_eq!(record.status, ReturnStatus::Expired);
    // The expired request's units can be asked for again.
    let (status, body) = submit_with(&app, "fee-request-0003", "refund", "pay_now").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_fee_left_to_the_refund_needs_a_refund_and_is_not_paid_now(backend: Backend) {
    let app = spawn_app(backend).await;
    charge_fee(&app, true).await;
    let (status, body) =
        submit_with(&app, "fee-request-0004", "exchange", "deduct_from_refund").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Refused"]["error"], "FeeDeductionNotOffered", "{body}");

    let (status, submitted) =
        submit_with(&app, "fee-request-0005", "refund", "deduct_from_refund").await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(
        (&submitted["status"], &submitted["payment_url"]),
        (&json!("Requested"), &Value::Null)
    );
    let id = return_id_of(&app, submitted["reference"].as_str().unwrap()).await;
    assert!(store::payments::payment_for_return(&app.state.db, &id)
        .await
        .unwrap()
        .is_none());
    let request = store::backoffice::find_return(&app.state.db, "shop_demo", &id)
        .await
        .unwrap()
        .unwrap();
    assert!(request.fee_deducted && request.fee_minor == 495);
    let view = status_view(&app, submitted["status_path"].as_str().unwrap()).await;
    assert_eq!(view["fee"]["state"], "Deducted");
}

async fn without_a_payment_provider_a_request_that_owes_a_fee_is_not_saved(backend: Backend) {
    let app = spawn_app(backend).await;
    charge_fee(&app, false).await;
    let state = AppState {
        payments: Arc::new(payments::PaymentGateway::Unconfigured),
        ..app.state.clone()
    };
    let result = submit_through(&state, &app, "fee-request-0006").await;
    assert!(
        matches!(result, Err(app::services::ServiceError::PaymentUnavailable)),
        "{result:?}"
    );
    let order_id: String =
        sqlx::query_scalar("SELECT id FROM orders WHERE shop_id = 'shop_demo' AND number = '1001'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        store::returns::count_returns_for_order(&app.state.db, &order_id)
            .await
            .unwrap(),
        0
    );
}

async fn a_shopper_cancels_a_paid_request_and_gets_the_fee_back(backend: Backend) {
    let app = spawn_app(backend).await;
    charge_fee(&app, false).await;
    let (_, submitted) = submit_with(&app, "fee-request-0007", "refund", "pay_now").await;
    let checkout = checkout_of(&submitted["payment_url"]);
    pay(&app, &checkout, true).await;
    let status_path = submitted["status_path"].as_str().unwrap();
    assert_eq!(status_view(&app, status_path).await["can_cancel"], true);
    let (path, key) = status_path.split_once("?k=").unwrap();
    let reference = path.rsplit('/').next().unwrap();
    let (status, body) = portal_call(
        &app,
        "cancel_return",
        &[("shop", "demo"), ("reference", reference), ("key", key)],
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!("Cancelled")));
    let id = return_id_of(&app, reference).await;
    assert_eq!(payment_of(&app, &id).await.status, PaymentStatus::Refunded);
    let view = status_view(&app, status_path).await;
    assert_eq!(
        (&view["status"], &view["can_cancel"], &view["fee"]["state"]),
        (&json!("Cancelled"), &json!(false), &json!("Refunded"))
    );
    // Once cancelled it cannot be cancelled again, and a wrong key cancels nothing.
    let (status, _) = portal_call(
        &app,
        "cancel_return",
        &[("shop", "demo"), ("reference", reference), ("key", key)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
