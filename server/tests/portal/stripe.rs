//! The Stripe Checkout adapter against a local stand-in that answers with the documented
//! payload shapes (https://docs.stripe.com/api/checkout/sessions/object, /refunds/object,
//! /errors), and its webhook verification against signatures made by Stripe's own Python
//! library (`stripe` from PyPI, in the test venv). No database.

use app::{
    domain::{Currency, Locale, Money},
    services::payments::{
        stripe::{verify_webhook, StripeGateway, WebhookError, WEBHOOK_TOLERANCE_SECS},
        Checkout, CheckoutRequest, CheckoutState, PaymentError, RefundRequest,
    },
};
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    Json, Router,
};
use serde_json::{json, Value};
use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
};

const SECRET_KEY: &str = "sk_test_51RetourStandIn";
const WEBHOOK_SECRET: &str = "whsec_retour_test_endpoint_secret";

/// One request as the stand-in received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: Method,
    path: String,
    headers: HeaderMap,
    form: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Reply = Arc<dyn Fn(&Recorded) -> (StatusCode, Value) + Send + Sync>;
type Log = Arc<Mutex<Vec<Recorded>>>;

/// Stands in for api.stripe.com on loopback: answers each request with `reply` and keeps it.
struct StripeStandIn {
    url: String,
    log: Log,
}

impl StripeStandIn {
    async fn start(
        reply: impl Fn(&Recorded) -> (StatusCode, Value) + Send + Sync + 'static,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Log::default();
        let router = Router::new()
            .fallback(record)
            .with_state((log.clone(), Arc::new(reply) as Reply));
        tokio::spawn(async move { axum::serve(listener, router).await });
        StripeStandIn { url, log }
    }

    fn gateway(&self) -> StripeGateway {
        StripeGateway::new(SECRET_KEY, WEBHOOK_SECRET, &self.url)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }
}

async fn record(
    State((log, reply)): State<(Log, Reply)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    // application/x-www-form-urlencoded is a query string: let the URL parser decode it.
    let query = format!("http://form.invalid/?{}", String::from_utf8_lossy(&body));
    let form = reqwest::Url::parse(&query)
        .unwrap()
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let request = Recorded {
        method,
        path: uri.path().to_owned(),
        headers,
        form,
    };
    let (status, body) = reply(&request);
    log.lock().unwrap().push(request);
    (status, Json(body))
}

/// A Checkout Session object as Stripe documents it, trimmed to a realistic subset.
fn session(id: &str, status: &str, payment_status: &str, payment_intent: Option<&str>) -> Value {
    let url = (status == "open")
        .then(|| format!("https://checkout.stripe.com/c/pay/{id}#fidkdWxOYHwnPyd1blpxYHZxWjA0"));
    json!({
        "id": id,
        "object": "checkout.session",
        "amount_subtotal": 595,
        "amount_total": 595,
        "cancel_url": "https://returns.example.test/status/R-7K3M-9QXT",
        "client_reference_id": "01JPAYMENT0000000000000001",
        "currency": "eur",
        "customer_email": "ana@example.test",
        "expires_at": 1_767_225_600,
        "livemode": false,
        "locale": "fr",
        "metadata": { "payment_id": "01JPAYMENT0000000000000001" },
        "mode": "payment",
        "payment_intent": payment_intent,
        "payment_method_types": ["card"],
        "payment_status": payment_status,
        "status": status,
        "success_url": "https://returns.example.test/status/R-7K3M-9QXT?paid=1",
        "url": url,
    })
}

fn stripe_error(kind: &str, message: &str) -> Value {
    json!({ "error": {
        "type": kind,
        "message": message,
        "doc_url": "https://docs.stripe.com/error-codes",
        "request_log_url": "https://dashboard.stripe.com/test/logs/req_Retour",
    }})
}

fn checkout_request<'a>(payment_id: &'a str, amount: Money) -> CheckoutRequest<'a> {
    CheckoutRequest {
        payment_id,
        return_id: "01JRETURN00000000000000001",
        reference: "R-7K3M-9QXT",
        amount,
        customer_email: "ana+returns@example.test",
        description: "Frais de retour — R-7K3M-9QXT",
        success_url: "https://returns.example.test/status/R-7K3M-9QXT?paid=1&lang=fr",
        cancel_url: "https://returns.example.test/status/R-7K3M-9QXT",
        locale: Locale::Fr,
    }
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

#[tokio::test]
async fn a_checkout_is_opened_with_the_amount_urls_and_our_references() {
    let stripe = StripeStandIn::start(|_| {
        (
            StatusCode::OK,
            session("cs_test_a1Open", "open", "unpaid", None),
        )
    })
    .await;
    let request = checkout_request("01JPAYMENT0000000000000001", eur(595));

    let checkout = stripe.gateway().create_checkout(&request).await.unwrap();

    assert_eq!(
        checkout,
        Checkout {
            session_id: "cs_test_a1Open".into(),
            url: "https://checkout.stripe.com/c/pay/cs_test_a1Open#fidkdWxOYHwnPyd1blpxYHZxWjA0"
                .into(),
        }
    );
    let [sent] = stripe.requests().try_into().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/checkout/sessions")
    );
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer sk_test_51RetourStandIn")
    );
    assert_eq!(
        sent.header("idempotency-key"),
        Some("retour-checkout-01JPAYMENT0000000000000001")
    );
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let expected = [
        ("mode", "payment"),
        ("line_items[0][price_data][currency]", "eur"),
        ("line_items[0][price_data][unit_amount]", "595"),
        (
            "line_items[0][price_data][product_data][name]",
            "Frais de retour — R-7K3M-9QXT",
        ),
        ("line_items[0][quantity]", "1"),
        (
            "success_url",
            "https://returns.example.test/status/R-7K3M-9QXT?paid=1&lang=fr",
        ),
        (
            "cancel_url",
            "https://returns.example.test/status/R-7K3M-9QXT",
        ),
        ("client_reference_id", "01JPAYMENT0000000000000001"),
        ("customer_email", "ana+returns@example.test"),
        ("locale", "fr"),
        ("metadata[payment_id]", "01JPAYMENT0000000000000001"),
        ("metadata[return_id]", "01JRETURN00000000000000001"),
        ("metadata[reference]", "R-7K3M-9QXT"),
        (
            "payment_intent_data[metadata][payment_id]",
            "01JPAYMENT0000000000000001",
        ),
    ];
    let mut sent_form: Vec<(&str, &str)> = sent
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sent_form.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(sent_form, expected);
}

#[tokio::test]
async fn currencies_go_lower_case_in_minor_units_and_the_locale_follows_the_shopper() {
    let stripe = StripeStandIn::start(|_| {
        (
            StatusCode::OK,
            session("cs_test_a1Yen", "open", "unpaid", None),
        )
    })
    .await;
    let gateway = stripe.gateway();
    let yen = Money::new(1500, Currency::parse("JPY").unwrap());
    let dinar = Money::new(2750, Currency::parse("KWD").unwrap());

    for (amount, locale) in [(yen, Locale::De), (dinar, Locale::Nl)] {
        let request = CheckoutRequest {
            locale,
            ..checkout_request("01JPAYMENT0000000000000002", amount)
        };
        gateway.create_checkout(&request).await.unwrap();
    }

    let sent = stripe.requests();
    let fields = |i: usize| {
        [
            "line_items[0][price_data][currency]",
            "line_items[0][price_data][unit_amount]",
            "locale",
        ]
        .map(|name| sent[i].field(name).unwrap().to_owned())
    };
    assert_eq!(fields(0), ["jpy", "1500", "de"]);
    assert_eq!(fields(1), ["kwd", "2750", "nl"]);
}

#[tokio::test]
async fn opening_the_same_checkout_twice_sends_the_same_idempotency_key() {
    let stripe = StripeStandIn::start(|_| {
        (
            StatusCode::OK,
            session("cs_test_a1Same", "open", "unpaid", None),
        )
    })
    .await;
    let gateway = stripe.gateway();

    for payment_id in [
        "01JPAYMENTAAAAAAAAAAAAAAAA",
        "01JPAYMENTAAAAAAAAAAAAAAAA",
        "01JPAYMENTBBBBBBBBBBBBBBBB",
    ] {
        gateway
            .create_checkout(&checkout_request(payment_id, eur(595)))
            .await
            .unwrap();
    }

    let keys: Vec<_> = stripe
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], "retour-checkout-01JPAYMENTAAAAAAAAAAAAAAAA");
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[2], "retour-checkout-01JPAYMENTBBBBBBBBBBBBBBBB");
}

#[tokio::test]
async fn a_session_is_paid_open_or_expired_as_stripe_says() {
    let stripe = StripeStandIn::start(|request| {
        let body = match request.path.rsplit('/').next().unwrap() {
            "cs_test_paid" => session("cs_test_paid", "complete", "paid", Some("pi_3RetourPaid")),
            "cs_test_open" => session("cs_test_open", "open", "unpaid", None),
            // A delayed method (SEPA debit): complete, not yet paid.
            "cs_test_delayed" => session(
                "cs_test_delayed",
                "complete",
                "unpaid",
                Some("pi_3RetourSepa"),
            ),
            "cs_test_expired" => session("cs_test_expired", "expired", "unpaid", None),
            _ => {
                return (
                    StatusCode::NOT_FOUND,
                    stripe_error("invalid_request_error", "No such checkout.session"),
                )
            }
        };
        (StatusCode::OK, body)
    })
    .await;
    let gateway = stripe.gateway();

    let paid = gateway.checkout_state("cs_test_paid").await.unwrap();
    let open = gateway.checkout_state("cs_test_open").await.unwrap();
    let delayed = gateway.checkout_state("cs_test_delayed").await.unwrap();
    let expired = gateway.checkout_state("cs_test_expired").await.unwrap();
    let unknown = gateway.checkout_state("cs_test_unknown").await;

    assert_eq!(
        paid,
        CheckoutState::Paid {
            payment_ref: "pi_3RetourPaid".into()
        }
    );
    assert_eq!(open, CheckoutState::Open);
    assert_eq!(delayed, CheckoutState::Open);
    assert_eq!(expired, CheckoutState::Expired);
    assert_eq!(
        unknown,
        Err(PaymentError::Refused("No such checkout.session".into()))
    );
    let sent = stripe.requests();
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path.as_str()),
        ("GET", "/v1/checkout/sessions/cs_test_paid")
    );
    assert!(sent
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer sk_test_51RetourStandIn")));
}

#[tokio::test]
async fn a_session_id_that_is_not_stripes_never_reaches_the_url() {
    let stripe = StripeStandIn::start(|_| (StatusCode::OK, json!({}))).await;
    let gateway = stripe.gateway();

    for id in [
        "../../v1/refunds",
        "cs_1?expand[]=payment_intent",
        "",
        "cs_1%2F..",
        "cs_1#x",
    ] {
        let result = gateway.checkout_state(id).await;
        assert!(
            matches!(result, Err(PaymentError::Refused(_))),
            "{id:?}: {result:?}"
        );
    }

    assert!(stripe.requests().is_empty());
}

#[tokio::test]
async fn a_refund_is_sent_with_its_amount_and_idempotency_key() {
    let stripe = StripeStandIn::start(|request| {
        (
            StatusCode::OK,
            json!({
                "id": "re_3RetourRefund",
                "object": "refund",
                "amount": request.field("amount").unwrap().parse::<i64>().unwrap(),
                "charge": "ch_3RetourCharge",
                "created": 1_767_225_600,
                "currency": "eur",
                "metadata": { "payment_id": request.field("metadata[payment_id]").unwrap() },
                "payment_intent": request.field("payment_intent").unwrap(),
                "reason": null,
                "status": "succeeded",
            }),
        )
    })
    .await;
    let refund = RefundRequest {
        payment_id: "01JPAYMENT0000000000000001",
        payment_ref: "pi_3RetourPaid",
        amount: eur(595),
    };

    let refund_id = stripe.gateway().refund(&refund).await.unwrap();

    assert_eq!(refund_id, "re_3RetourRefund");
    let [sent] = stripe.requests().try_into().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/refunds")
    );
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer sk_test_51RetourStandIn")
    );
    assert_eq!(
        sent.header("idempotency-key"),
        Some("retour-refund-01JPAYMENT0000000000000001")
    );
    let form: Vec<_> = sent
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        form,
        [
            ("payment_intent", "pi_3RetourPaid"),
            ("amount", "595"),
            ("metadata[payment_id]", "01JPAYMENT0000000000000001"),
        ]
    );
}

#[tokio::test]
async fn a_400_from_stripe_is_refused_with_stripes_message() {
    let stripe = StripeStandIn::start(|request| {
        let message = if request.path == "/v1/refunds" {
            "Charge ch_3RetourCharge has already been refunded."
        } else {
            "The Checkout Session's total amount due must add up to at least €0.50 eur"
        };
        (
            StatusCode::BAD_REQUEST,
            stripe_error("invalid_request_error", message),
        )
    })
    .await;
    let gateway = stripe.gateway();
    let refund = RefundRequest {
        payment_id: "01JPAY",
        payment_ref: "pi_3RetourPaid",
        amount: eur(595),
    };

    let checkout = gateway
        .create_checkout(&checkout_request("01JPAY", eur(10)))
        .await;
    let refunded = gateway.refund(&refund).await;

    assert_eq!(
        checkout,
        Err(PaymentError::Refused(
            "The Checkout Session's total amount due must add up to at least €0.50 eur".into()
        ))
    );
    assert_eq!(
        refunded,
        Err(PaymentError::Refused(
            "Charge ch_3RetourCharge has already been refunded.".into()
        ))
    );
}

#[tokio::test]
async fn a_500_or_a_429_from_stripe_is_unavailable() {
    let stripe = StripeStandIn::start(|request| match request.path.as_str() {
        "/v1/refunds" => (
            StatusCode::TOO_MANY_REQUESTS,
            stripe_error("invalid_request_error", "Request rate limit exceeded."),
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            stripe_error("api_error", "An unknown error occurred"),
        ),
    })
    .await;
    let gateway = stripe.gateway();
    let refund = RefundRequest {
        payment_id: "01JPAY",
        payment_ref: "pi_3RetourPaid",
        amount: eur(595),
    };

    let checkout = gateway
        .create_checkout(&checkout_request("01JPAY", eur(595)))
        .await;
    let state = gateway.checkout_state("cs_test_paid").await;
    let refunded = gateway.refund(&refund).await;

    assert_eq!(
        checkout,
        Err(PaymentError::Unavailable(
            "An unknown error occurred".into()
        ))
    );
    assert_eq!(
        state,
        Err(PaymentError::Unavailable(
            "An unknown error occurred".into()
        ))
    );
    assert_eq!(
        refunded,
        Err(PaymentError::Unavailable(
            "Request rate limit exceeded.".into()
        ))
    );
}

#[tokio::test]
async fn a_stripe_that_cannot_be_reached_is_unavailable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let gateway = StripeGateway::new(SECRET_KEY, WEBHOOK_SECRET, &url);

    let checkout = gateway
        .create_checkout(&checkout_request("01JPAY", eur(595)))
        .await;

    assert!(
        matches!(checkout, Err(PaymentError::Unavailable(_))),
        "{checkout:?}"
    );
}

// Webhooks: signed by stripe-python, verified by us (and by stripe-python again).

fn python() -> PathBuf {
    let python = std::env::var("RETOUR_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/retour/venv/bin/python")
        });
    assert!(
        python.exists(),
        "{} not found: run scripts/test (it makes a venv with stripe from PyPI), or set RETOUR_TEST_PYTHON",
        python.display()
    );
    python
}

/// Runs `script` with the venv's Python, `stdin` as its input; Ok(stdout) if it exits 0.
fn run_python(script: &str, args: &[&str], stdin: &[u8]) -> Result<String, String> {
    let mut child = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The `Stripe-Signature` header stripe-python computes for `body` at `timestamp`.
fn stripe_python_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    const SIGN: &str = r#"
import sys
from stripe._webhook import WebhookSignature
secret, timestamp = sys.argv[1], int(sys.argv[2])
payload = sys.stdin.buffer.read().decode("utf-8")
print("t=%d,%s=%s" % (timestamp, WebhookSignature.EXPECTED_SCHEME,
      WebhookSignature._compute_signature("%d.%s" % (timestamp, payload), secret)))
"#;
    run_python(SIGN, &[secret, &timestamp.to_string()], body).unwrap_or_else(|error| {
        panic!("stripe-python did not sign (setup_test_tools installs it): {error}")
    })
}

/// What `stripe.Webhook.construct_event` makes of a webhook (it checks the time against its
/// own clock, tolerating 300 s in the past only): "id type session" or its refusal.
fn stripe_python_accepts(secret: &str, header: &str, body: &[u8]) -> Result<String, String> {
    const VERIFY: &str = r#"
import sys, stripe
event = stripe.Webhook.construct_event(sys.stdin.buffer.read(), sys.argv[2], sys.argv[1])
print(event["id"], event["type"], event["data"]["object"]["id"])
"#;
    run_python(VERIFY, &[secret, header], body)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn completed_event() -> Vec<u8> {
    // Pretty-printed, with non-ASCII text, as Stripe sends it: the bytes are what is signed.
    let mut object = session("cs_test_a1Done", "complete", "paid", Some("pi_3RetourPaid"));
    object["metadata"] = json!({ "reference": "R-7K3M-9QXT", "note": "Rücksendung — frais" });
    serde_json::to_vec_pretty(&json!({
        "id": "evt_1RetourCompleted",
        "object": "event",
        "api_version": "2025-06-30.basil",
        "created": 1_767_225_600,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": "checkout.session.completed",
    }))
    .unwrap()
}

#[test]
fn a_webhook_signed_by_stripes_library_verifies_and_yields_the_checkout() {
    let body = completed_event();
    let now = now();
    let header = stripe_python_header(WEBHOOK_SECRET, now, &body);

    let event = verify_webhook(WEBHOOK_SECRET, &header, &body, now).unwrap();
    let through_gateway = StripeGateway::new(SECRET_KEY, WEBHOOK_SECRET, "http://127.0.0.1:9")
        .verify_webhook(&header, &body, now)
        .unwrap();

    assert_eq!(event.id, "evt_1RetourCompleted");
    assert_eq!(event.kind, "checkout.session.completed");
    let completed = event.completed.clone().unwrap();
    assert_eq!(completed.session_id, "cs_test_a1Done");
    assert_eq!(completed.payment_id, "01JPAYMENT0000000000000001");
    assert!(completed.paid);
    assert_eq!(completed.payment_ref.as_deref(), Some("pi_3RetourPaid"));
    assert_eq!(through_gateway, event);
    assert_eq!(
        stripe_python_accepts(WEBHOOK_SECRET, &header, &body),
        Ok("evt_1RetourCompleted checkout.session.completed cs_test_a1Done".into())
    );
}

#[test]
fn a_wrong_secret_or_a_modified_body_is_refused_here_and_by_stripes_library() {
    let body = completed_event();
    let now = now();
    let forged = stripe_python_header("whsec_someone_else", now, &body);
    let header = stripe_python_header(WEBHOOK_SECRET, now, &body);
    let modified = String::from_utf8(body.clone())
        .unwrap()
        .replace("pi_3RetourPaid", "pi_3Attacker");

    let wrong_secret = verify_webhook(WEBHOOK_SECRET, &forged, &body, now);
    let wrong_body = verify_webhook(WEBHOOK_SECRET, &header, modified.as_bytes(), now);
    let gateway = StripeGateway::new(SECRET_KEY, "whsec_another_endpoint", "http://127.0.0.1:9");

    assert_eq!(wrong_secret, Err(WebhookError::NoValidSignature));
    assert_eq!(wrong_body, Err(WebhookError::NoValidSignature));
    assert_eq!(
        gateway.verify_webhook(&header, &body, now),
        Err(WebhookError::NoValidSignature)
    );
    assert!(stripe_python_accepts(WEBHOOK_SECRET, &forged, &body).is_err());
    assert!(stripe_python_accepts(WEBHOOK_SECRET, &header, modified.as_bytes()).is_err());
}

#[test]
fn a_timestamp_outside_the_tolerance_is_refused_in_both_directions() {
    let body = completed_event();
    let now = now();
    let at = |t: i64| stripe_python_header(WEBHOOK_SECRET, t, &body);
    let too_old = at(now - WEBHOOK_TOLERANCE_SECS - 5);
    let from_the_future = at(now + WEBHOOK_TOLERANCE_SECS + 5);
    let a_bit_late = at(now - WEBHOOK_TOLERANCE_SECS + 30);

    assert_eq!(
        verify_webhook(WEBHOOK_SECRET, &too_old, &body, now),
        Err(WebhookError::StaleTimestamp)
    );
    assert_eq!(
        verify_webhook(WEBHOOK_SECRET, &from_the_future, &body, now),
        Err(WebhookError::StaleTimestamp)
    );
    assert!(verify_webhook(WEBHOOK_SECRET, &a_bit_late, &body, now).is_ok());
    // stripe-python agrees on both sides of the past limit (it does not check the future).
    assert!(stripe_python_accepts(WEBHOOK_SECRET, &too_old, &body)
        .unwrap_err()
        .contains("Timestamp outside the tolerance zone"));
    assert!(stripe_python_accepts(WEBHOOK_SECRET, &a_bit_late, &body).is_ok());
}

#[test]
fn a_header_without_v1_or_malformed_is_refused_here_and_by_stripes_library() {
    let body = completed_event();
    let now = now();
    let header = stripe_python_header(WEBHOOK_SECRET, now, &body);
    let v1 = header.split_once(",v1=").unwrap().1;

    let cases = [
        (format!("t={now},v0={v1}"), WebhookError::NoValidSignature),
        (format!("t={now}"), WebhookError::NoValidSignature),
        (format!("v1={v1}"), WebhookError::MalformedHeader),
        (
            format!("t=yesterday,v1={v1}"),
            WebhookError::MalformedHeader,
        ),
        (format!("{now},{v1}"), WebhookError::MalformedHeader),
        (String::new(), WebhookError::MalformedHeader),
    ];

    for (bad, expected) in cases {
        assert_eq!(
            verify_webhook(WEBHOOK_SECRET, &bad, &body, now),
            Err(expected),
            "{bad:?}"
        );
        assert!(
            stripe_python_accepts(WEBHOOK_SECRET, &bad, &body).is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn a_header_with_several_v1_signatures_verifies_when_one_is_right() {
    let body = completed_event();
    let now = now();
    let right = stripe_python_header(WEBHOOK_SECRET, now, &body);
    let right = right.split_once(",v1=").unwrap().1;
    // What Stripe sends while an endpoint's secret is being rolled: one signature per secret.
    let old = stripe_python_header("whsec_rolled_secret", now, &body);
    let old = old.split_once(",v1=").unwrap().1;

    for header in [
        format!("t={now},v1={old},v1={right}"),
        format!("t={now},v1={right},v1={old},v0={old}"),
        format!("v1={old},t={now},v1={right}"),
    ] {
        let event = verify_webhook(WEBHOOK_SECRET, &header, &body, now);
        assert_eq!(
            event.map(|e| e.id),
            Ok("evt_1RetourCompleted".into()),
            "{header}"
        );
        assert!(
            stripe_python_accepts(WEBHOOK_SECRET, &header, &body).is_ok(),
            "{header}"
        );
    }
    let only_wrong = format!("t={now},v1={old},v1={old}");
    assert_eq!(
        verify_webhook(WEBHOOK_SECRET, &only_wrong, &body, now),
        Err(WebhookError::NoValidSignature)
    );
}

/// The whole fee flow with Stripe: the checkout is opened at submission, the webhook (signed
/// by stripe-python) makes the request reach the shop once however often it is replayed, and
/// a rejection refunds through the Refunds API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fee_paid_through_stripe_is_recorded_once_from_the_webhook_and_refunded_on_rejection() {
    use crate::{
        backoffice::demo_staff,
        helpers::{spawn_app, Backend},
        payments::{charge_fee, submit_through},
    };
    use app::{
        domain::{fee::PaymentStatus, Decision, ReturnStatus},
        services::{backoffice as office, payments, AppState, ServiceError},
        store,
    };

    let stand_in = StripeStandIn::start(|request| match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/v1/checkout/sessions") => (StatusCode::OK, session("cs_test_flow1", "open", "unpaid", None)),
        ("GET", _) => (StatusCode::OK, session("cs_test_flow1", "open", "unpaid", None)),
        _ => (StatusCode::OK, json!({ "id": "re_flow1", "object": "refund", "amount": 495, "currency": "eur", "status": "succeeded" })),
    })
    .await;
    let app = spawn_app(Backend::Sqlite).await;
    charge_fee(&app, false).await;
    let state = AppState {
        payments: Arc::new(payments::PaymentGateway::Stripe(stand_in.gateway())),
        ..app.state.clone()
    };
    let submitted = submit_through(&state, &app, "stripe-flow-0001")
        .await
        .unwrap();
    assert_eq!(submitted.status, ReturnStatus::AwaitingPayment);
    assert!(submitted
        .payment_url
        .as_deref()
        .unwrap()
        .starts_with("https://checkout.stripe.com/c/pay/cs_test_flow1"));
    let id = store::returns::find_by_reference(&app.state.db, "shop_demo", &submitted.reference)
        .await
        .unwrap()
        .unwrap()
        .id;
    let payment = store::payments::payment_for_return(&app.state.db, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (payment.provider.as_str(), payment.session_id.as_str()),
        ("stripe", "cs_test_flow1")
    );
    let opened = &stand_in.requests()[0];
    assert_eq!(
        opened.header("idempotency-key"),
        Some(format!("retour-checkout-{}", payment.id).as_str())
    );
    assert_eq!(
        opened.field("line_items[0][price_data][unit_amount]"),
        Some("495")
    );
    assert!(opened
        .field("success_url")
        .unwrap()
        .contains(&format!("/demo/status/{}?k=", submitted.reference)));

    // checkout.session.completed for our session, signed by Stripe's library.
    let mut object = session("cs_test_flow1", "complete", "paid", Some("pi_flow1"));
    object["client_reference_id"] = json!(payment.id);
    let event = serde_json::to_vec(&json!({
        "id": "evt_flow1", "object": "event", "type": "checkout.session.completed",
        "created": now(), "livemode": false, "data": { "object": object },
    }))
    .unwrap();
    let forged = stripe_python_header("whsec_not_ours", now(), &event);
    let refused = payments::stripe_webhook(&state, &forged, &event, now()).await;
    assert!(
        matches!(refused, Err(ServiceError::Unauthorized)),
        "{refused:?}"
    );
    assert_eq!(
        store::payments::payment_for_return(&app.state.db, &id)
            .await
            .unwrap()
            .unwrap()
            .status,
        PaymentStatus::Pending
    );

    let header = stripe_python_header(WEBHOOK_SECRET, now(), &event);
    payments::stripe_webhook(&state, &header, &event, now())
        .await
        .unwrap();
    // Stripe retries and replays: nothing happens twice.
    payments::stripe_webhook(&state, &header, &event, now())
        .await
        .unwrap();
    let paid = store::payments::payment_for_return(&app.state.db, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (paid.status, paid.payment_ref.as_str()),
        (PaymentStatus::Paid, "pi_flow1")
    );
    let detail = office::return_detail(&state, &demo_staff(), &id)
        .await
        .unwrap();
    assert_eq!(detail.status, ReturnStatus::Requested);
    assert_eq!(
        detail
            .history
            .iter()
            .filter(|h| h.event == "fee_paid")
            .count(),
        1
    );
    assert_eq!(
        store::outbox::return_messages(&app.state.db, &id)
            .await
            .unwrap()
            .len(),
        1
    );

    office::decide(
        &state,
        &demo_staff(),
        &id,
        detail.version,
        Decision::Reject {
            explanation: "Porté.".into(),
        },
        now(),
    )
    .await
    .unwrap();
    let refund = stand_in
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/refunds")
        .expect("a refund was asked for");
    assert_eq!(
        (refund.field("payment_intent"), refund.field("amount")),
        (Some("pi_flow1"), Some("495"))
    );
    assert_eq!(
        refund.header("idempotency-key"),
        Some(format!("retour-refund-{}", paid.id).as_str())
    );
    let refunded = store::payments::payment_for_return(&app.state.db, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (refunded.status, refunded.refund_ref.as_str()),
        (PaymentStatus::Refunded, "re_flow1")
    );
}
