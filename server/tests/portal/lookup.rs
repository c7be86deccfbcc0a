use reqwest::StatusCode;
use serde_json::json;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    an_order_is_found_whatever_the_case_spaces_and_hash,
    a_wrong_number_and_a_wrong_email_get_the_same_answer,
    repeated_failures_from_one_client_are_slowed_down,
    ineligible_lines_come_with_their_reason,
    the_portal_speaks_the_browsers_language_unless_told_otherwise,
    the_portal_page_may_only_be_framed_by_the_shops_origins,
);

async fn an_order_is_found_whatever_the_case_spaces_and_hash(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, order) = app.find_order("  #1001 ", " Camille@Example.FR").await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["display_number"], "#1001");
    assert_eq!(order["lines"].as_array().unwrap().len(), 3);
    assert!(order["token"].as_str().unwrap().contains('.'));
    assert_eq!(order["reasons"].as_array().unwrap().len(), 7);
}

async fn a_wrong_number_and_a_wrong_email_get_the_same_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let wrong_email = app.find_order("1001", "sanne@example.nl").await;
    let wrong_number = app.find_order("1002", "camille@example.fr").await;
    let unknown = app.find_order("9999", "nobody@example.com").await;
    assert_eq!(wrong_email.0, StatusCode::NOT_FOUND);
    assert_eq!(wrong_email, wrong_number);
    assert_eq!(wrong_email, unknown);
    assert_eq!(wrong_email.1, json!("OrderNotFound"));
}

async fn repeated_failures_from_one_client_are_slowed_down(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..5 {
        assert_eq!(
            app.find_order("1001", "wrong@example.fr").await.0,
            StatusCode::NOT_FOUND
        );
    }
    let (status, body) = app.find_order("1001", "camille@example.fr").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right pair waits: {body}"
    );
    assert!(
        body["TooManyAttempts"]["retry_after_secs"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Another client (another loopback address) is not affected.
    let other = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        app.find_order_from(&other, "1001", "camille@example.fr")
            .await
            .0,
        StatusCode::OK
    );
}

async fn ineligible_lines_come_with_their_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, sanne) = app.token("1002", "sanne@example.nl").await;
    let socks = sanne["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "SK-WOL-3P")
        .unwrap();
    assert_eq!(socks["eligibility"], json!({ "Ineligible": "FinalSale" }));

    let (_, lukas) = app.token("1003", "lukas@example.de").await;
    assert!(
        lukas["lines"][0]["eligibility"]["Ineligible"]["WindowClosed"]["closed_on"].is_array()
            || lukas["lines"][0]["eligibility"]["Ineligible"]["WindowClosed"].is_object()
    );

    let (_, emma) = app.token("1004", "emma@example.be").await;
    let sweater = emma["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "SW-MER-L")
        .unwrap();
    assert_eq!(
        sweater["eligibility"],
        json!({ "Eligible": { "max_quantity": 1 } }),
        "one of two is already requested"
    );
}

async fn the_portal_speaks_the_browsers_language_unless_told_otherwise(backend: Backend) {
    let app = spawn_app(backend).await;
    let call = |lang: Option<&str>, accept: &str| {
        let mut form = vec![("shop", "demo".to_owned())];
        if let Some(lang) = lang {
            form.push(("lang", lang.to_owned()));
        }
        app.http
            .post(format!("{}/api/load_portal", app.address))
            .header("Accept-Language", accept)
            .form(&form)
            .send()
    };
    let french: serde_json::Value = call(None, "fr-BE,fr;q=0.9,en;q=0.5")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(french["locale"], "Fr");
    let dutch: serde_json::Value = call(Some("nl"), "fr-BE")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dutch["locale"], "Nl");
}

async fn the_portal_page_may_only_be_framed_by_the_shops_origins(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/demo?lang=de").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        csp,
        "frame-ancestors 'self' http://localhost:8080 http://127.0.0.1:8080"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Bestellung finden"),
        "rendered in German on the server"
    );
    let unknown = app.get("/no-such-shop").await;
    assert_eq!(
        unknown.headers()["content-security-policy"],
        "frame-ancestors 'self'"
    );
}
