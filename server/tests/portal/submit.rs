use reqwest::StatusCode;
use serde_json::json;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    a_return_is_submitted_and_its_status_page_opens_from_the_link,
    submitting_twice_with_one_key_creates_one_request,
    two_concurrent_submissions_never_return_more_than_was_bought,
    quantities_and_ineligible_lines_are_checked_again_on_the_server,
    a_forged_token_or_status_key_opens_nothing,
    a_reason_that_needs_a_photo_is_refused_without_one,
);

async fn a_return_is_submitted_and_its_status_page_opens_from_the_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1001", "camille@example.fr").await;
    let mut shirt = item(&line_id(&order, "TS-ORG-M"), 2, "too_small");
    shirt["comment"] = json!("  Runs small  ");
    let (status, submitted) = app
        .submit(&token, "key-0000-0001", json!([shirt]), "refund", "mail")
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let reference = submitted["reference"].as_str().unwrap();
    assert!(
        app::domain::ReturnReference::parse(reference).is_ok(),
        "{reference}"
    );
    assert_eq!(submitted["status"], "Requested");

    let path = submitted["status_path"].as_str().unwrap();
    let (slug_and_ref, key) = path.split_once("?k=").unwrap();
    assert_eq!(slug_and_ref, format!("/demo/status/{reference}"));
    let response = app
        .http
        .post(format!("{}/api/return_status", app.address))
        .form(&[("shop", "demo"), ("reference", reference), ("key", key)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let view: serde_json::Value = response.json().await.unwrap();
    assert_eq!(view["items"][0]["quantity"], 2);
    assert_eq!(view["items"][0]["comment"], "Runs small");
    assert_eq!(view["history"][0]["status"], "Requested");
    assert_eq!(
        app.get(path).await.status(),
        StatusCode::OK,
        "the status page renders"
    );

    // What was requested is no longer offered.
    let (_, again) = app.token("1001", "camille@example.fr").await;
    let shirt_line = again["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "TS-ORG-M")
        .unwrap();
    assert_eq!(
        shirt_line["eligibility"],
        json!({ "Ineligible": "AlreadyReturned" })
    );
}

async fn submitting_twice_with_one_key_creates_one_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let items = json!([item(&line_id(&order, "CB-USB-2M"), 1, "changed_mind")]);
    let (first, second) = tokio::join!(
        app.submit(&token, "double-click-key", items.clone(), "refund", "mail"),
        app.submit(&token, "double-click-key", items.clone(), "refund", "mail"),
    );
    let (third_status, third) = app
        .submit(&token, "double-click-key", items, "refund", "mail")
        .await;
    assert_eq!(
        (first.0, second.0, third_status),
        (StatusCode::OK, StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(first.1["reference"], second.1["reference"]);
    assert_eq!(first.1["reference"], third["reference"]);
    let count = app::store::returns::count_returns_for_order(&app.state.db, "order_demo_1006")
        .await
        .unwrap();
    assert_eq!(count, 1);
}

async fn two_concurrent_submissions_never_return_more_than_was_bought(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1001", "camille@example.fr").await;
    let shirts = json!([item(&line_id(&order, "TS-ORG-M"), 2, "too_large")]);
    let (a, b) = tokio::join!(
        app.submit(&token, "concurrent-key-a", shirts.clone(), "refund", "mail"),
        app.submit(&token, "concurrent-key-b", shirts.clone(), "refund", "mail"),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "{a:?} {b:?}"
    );
    let refused = if a.0 == StatusCode::OK { b.1 } else { a.1 };
    assert_eq!(refused["Refused"]["error"], "LineNotReturnable");
    let count = app::store::returns::count_returns_for_order(&app.state.db, "order_demo_1001")
        .await
        .unwrap();
    assert_eq!(count, 1);
}

async fn quantities_and_ineligible_lines_are_checked_again_on_the_server(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1002", "sanne@example.nl").await;
    let (status, body) = app
        .submit(
            &token,
            "final-sale-key",
            json!([item(&line_id(&order, "SK-WOL-3P"), 1, "too_small")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["Refused"],
        json!({ "item": 0, "error": "LineNotReturnable" })
    );
    let (status, body) = app
        .submit(
            &token,
            "too-many-key",
            json!([item(&line_id(&order, "RC-YEL-S"), 2, "too_small")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Refused"]["error"], "QuantityTooHigh");
    let (status, body) = app
        .submit(
            &token,
            "unknown-reason",
            json!([item(&line_id(&order, "RC-YEL-S"), 1, "bored")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body["Refused"]["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("UnknownReason"))
    );
    let (status, body) = app
        .submit(&token, "nothing-selected", json!([]), "refund", "mail")
        .await;
    assert_eq!(
        (status, body["Refused"]["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("NothingSelected"))
    );
    let other_order_line = "order_demo_1001_line_1";
    let (status, body) = app
        .submit(
            &token,
            "foreign-line-key",
            json!([item(other_order_line, 1, "too_small")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body["Refused"]["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("UnknownLine"))
    );
    assert_eq!(
        app::store::returns::count_returns_for_order(&app.state.db, "order_demo_1002")
            .await
            .unwrap(),
        0
    );
}

async fn a_forged_token_or_status_key_opens_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let forged = format!("{}x", token);
    let items = json!([item(&line_id(&order, "CB-USB-2M"), 1, "changed_mind")]);
    let (status, body) = app
        .submit(&forged, "forged-token-key", items.clone(), "refund", "mail")
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!("SessionExpired"))
    );

    let (_, submitted) = app
        .submit(&token, "real-token-key", items, "refund", "mail")
        .await;
    let reference = submitted["reference"].as_str().unwrap();
    let response = app
        .http
        .post(format!("{}/api/return_status", app.address))
        .form(&[
            ("shop", "demo"),
            ("reference", reference),
            ("key", "AAAAAAAAAAAAAAAAAAAAAA"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_reason_that_needs_a_photo_is_refused_without_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let (status, body) = app
        .submit(
            &token,
            "no-photo-key",
            json!([item(&line_id(&order, "HP-WRL-BK"), 1, "damaged")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body["Refused"]["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("PhotoRequired"))
    );
    let mut with_unknown_photo = item(&line_id(&order, "HP-WRL-BK"), 1, "damaged");
    with_unknown_photo["photo_id"] = json!("01JUNKNOWNPHOTO");
    let (status, body) = app
        .submit(
            &token,
            "unknown-photo-key",
            json!([with_unknown_photo]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body["Refused"]["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("PhotoRequired"))
    );
}
