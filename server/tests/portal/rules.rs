//! Return rules at work over real HTTP: the wizard learns of a refusal as soon as the
//! answers it needs are known, submission decides again and records what matched, and the
//! editor's saves are checked, versioned and owner-only.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    no_returns_from_france_refuses_french_orders_in_the_shoppers_language,
    only_damaged_or_wrong_items_come_back_and_the_wizard_knows_once_the_reason_is_chosen,
    a_rule_approves_automatically_and_the_back_office_says_which_rule_did,
    limited_resolutions_are_offered_and_enforced,
    bad_rules_are_refused_with_a_clear_error_and_not_saved,
    the_dry_run_shows_what_the_rules_would_have_done_to_recent_requests,
    a_customer_with_a_recent_return_is_refused_by_a_history_rule,
);

/// Replaces the demo shop's rules as its owner; returns the saved view.
pub(crate) async fn save_rules(app: &TestApp, rules: Value) -> Value {
    let token = demo_owner(app).await;
    let (status, view) = office(app, "rules", Value::Null, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let (status, saved) = office(
        app,
        "save_rules",
        json!({ "version": view["version"], "rules": rules }),
        Some(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    saved
}

fn rule(name: &str, condition: Value, actions: Value) -> Value {
    json!({ "id": "", "name": name, "enabled": true, "position": 0, "condition": condition, "actions": actions })
}

async fn check_rules(
    app: &TestApp,
    token: &str,
    items: Value,
    resolution: Value,
    locale: &str,
) -> Value {
    let response = app
        .http
        .post(format!("{}/api/check_rules", app.address))
        .json(
            &json!({ "token": token, "items": items, "resolution": resolution, "locale": locale }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn no_returns_from_france_refuses_french_orders_in_the_shoppers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let saved = save_rules(
        &app,
        json!([rule(
            "No returns from France",
            json!({ "field": "country", "op": "is", "value": "FR" }),
            json!([{ "action": "refuse", "message": { "en": "", "fr": "", "nl": "", "de": "" } }])
        )]),
    )
    .await;
    assert_eq!(
        saved["previews"][0],
        "IF origin country IS France THEN refuse the item"
    );

    let (token, order) = app.token("1001", "camille@example.fr").await;
    let jeans = line_id(&order, "JN-SLM-32");
    // Known from the first step: the country needs no answer.
    let preview = check_rules(
        &app,
        &token,
        json!([{ "line_id": jeans, "reason": null, "quantity": null }]),
        Value::Null,
        "Fr",
    )
    .await;
    assert_eq!(
        preview["items"][0]["refusal"],
        "Impossible de retourner l'article."
    );
    let (status, body) = app
        .submit(
            &token,
            "france-refused",
            json!([item(&jeans, 1, "too_large")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["RefusedByRule"]["item"], 0, "{body}");
    assert_eq!(
        app::store::returns::count_returns_for_order(&app.state.db, "order_demo_1001")
            .await
            .unwrap(),
        0
    );

    // A Dutch order is not concerned.
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let cable = line_id(&order, "CB-USB-2M");
    let preview = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": null, "quantity": null }]),
        Value::Null,
        "Nl",
    )
    .await;
    assert_eq!(preview["items"][0]["refusal"], Value::Null);
    assert_eq!(
        app.submit(
            &token,
            "netherlands-fine",
            json!([item(&cable, 1, "changed_mind")]),
            "refund",
            "mail"
        )
        .await
        .0,
        StatusCode::OK
    );
}

async fn only_damaged_or_wrong_items_come_back_and_the_wizard_knows_once_the_reason_is_chosen(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    save_rules(&app, json!([rule("Only faults",
        json!({ "field": "reason", "op": "none_of", "values": ["damaged", "wrong_item"] }),
        json!([{ "action": "refuse", "message": { "en": "Only damaged or wrong items can be returned.", "fr": "Seuls les articles abîmés ou erronés peuvent être retournés.", "nl": "", "de": "" } }]))])).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let cable = line_id(&order, "CB-USB-2M");
    let unknown = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": null, "quantity": 1 }]),
        Value::Null,
        "Fr",
    )
    .await;
    assert_eq!(
        unknown["items"][0]["refusal"],
        Value::Null,
        "no reason yet: nothing is refused"
    );
    let refused = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": "changed_mind", "quantity": 1 }]),
        Value::Null,
        "Fr",
    )
    .await;
    assert_eq!(
        refused["items"][0]["refusal"],
        "Seuls les articles abîmés ou erronés peuvent être retournés."
    );
    let dutch = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": "changed_mind", "quantity": 1 }]),
        Value::Null,
        "Nl",
    )
    .await;
    assert_eq!(
        dutch["items"][0]["refusal"], "Only damaged or wrong items can be returned.",
        "untranslated: English"
    );
    let allowed = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": "damaged", "quantity": 1 }]),
        Value::Null,
        "Fr",
    )
    .await;
    assert_eq!(allowed["items"][0]["refusal"], Value::Null);

    let (status, body) = app
        .submit(
            &token,
            "changed-mind-refused",
            json!([item(&cable, 1, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    // The test client submits in French.
    assert_eq!(
        (status, &body["RefusedByRule"]["message"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("Seuls les articles abîmés ou erronés peuvent être retournés.")
        )
    );
    // "Damaged" needs a photo of the damage.
    let (_, uploaded) = app
        .upload(
            &token,
            std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap(),
            "photo.jpg",
        )
        .await;
    let mut damaged = item(&cable, 1, "damaged");
    damaged["photo_id"] = uploaded["Stored"]["id"].clone();
    let (status, body) = app
        .submit(
            &token,
            "damaged-accepted",
            json!([damaged]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["status"], "Requested",
        "no rule decided: the shop's manual approval applies"
    );
}

async fn a_rule_approves_automatically_and_the_back_office_says_which_rule_did(backend: Backend) {
    let app = spawn_app(backend).await;
    save_rules(&app, json!([
        rule("Cheap cables", json!({ "all_of": [
            { "field": "category", "op": "is", "value": "electronics" },
            { "field": "unit_price", "op": "at_most", "value": { "minor": 2000, "currency": "EUR" } },
        ] }), json!([{ "action": "approve_automatically", "with_label": false }])),
    ])).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let (status, submitted) = app
        .submit(
            &token,
            "cheap-cable-auto",
            json!([item(&line_id(&order, "CB-USB-2M"), 2, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "Approved");
    let record = app::store::returns::find_by_reference(
        &app.state.db,
        "shop_demo",
        submitted["reference"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let history = app::store::returns::history(&app.state.db, &record.id)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.to_status.as_str(), last.actor.as_str()),
        ("approved", "rule")
    );
    assert!(
        last.note.contains("Rule 1 “Cheap cables” matched"),
        "{}",
        last.note
    );
    let response = app
        .http
        .post(format!("{}/api/office/return", app.address))
        .header(reqwest::header::ORIGIN, &app.address)
        .header(
            reqwest::header::COOKIE,
            format!("retour_session={}", demo_owner(&app).await),
        )
        .form(&[("id", record.id.as_str())])
        .send()
        .await
        .unwrap();
    let detail: Value = response.json().await.unwrap();
    let explanations = detail["rule_explanations"].as_array().unwrap();
    assert_eq!(explanations.len(), 1, "{detail}");
    assert!(
        explanations[0]
            .as_str()
            .unwrap()
            .starts_with("USB-C cable: Rule 1 “Cheap cables” matched"),
        "{detail}"
    );
    assert_eq!(detail["with_label"], false, "nothing to send back");

    // The headphones cost more: no rule decides, the shop's manual approval does.
    let (_, submitted) = app
        .submit(
            &token,
            "headphones-manual",
            json!([item(&line_id(&order, "HP-WRL-BK"), 1, "not_as_described")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(submitted["status"], "Requested");
}

async fn limited_resolutions_are_offered_and_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    save_rules(
        &app,
        json!([rule(
            "Store credit for changed minds",
            json!({ "field": "reason", "op": "is", "value": "changed_mind" }),
            json!([{ "action": "limit_resolutions", "resolutions": ["store_credit"] }])
        )]),
    )
    .await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let cable = line_id(&order, "CB-USB-2M");
    let preview = check_rules(
        &app,
        &token,
        json!([{ "line_id": cable, "reason": "changed_mind", "quantity": 1 }]),
        Value::Null,
        "En",
    )
    .await;
    assert_eq!(preview["resolutions"], json!(["store_credit"]));
    let (status, body) = app
        .submit(
            &token,
            "refund-not-offered",
            json!([item(&cable, 1, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "Refused": { "item": null, "error": "ResolutionNotOffered" } })
        )
    );
    assert_eq!(
        app.submit(
            &token,
            "store-credit-fine",
            json!([item(&cable, 1, "changed_mind")]),
            "store_credit",
            "mail"
        )
        .await
        .0,
        StatusCode::OK
    );
}

async fn bad_rules_are_refused_with_a_clear_error_and_not_saved(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = demo_owner(&app).await;
    let (_, view) = office(&app, "rules", Value::Null, Some(&token)).await;
    let save = |rules: Value| {
        office(
            &app,
            "save_rules",
            json!({ "version": view["version"], "rules": rules }),
            Some(&token),
        )
    };
    let refuse = json!([{ "action": "refuse" }]);
    let (status, body) = save(json!([rule(
        "Empty",
        json!({ "any_of": [] }),
        refuse.clone()
    )]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["Rule"]["EmptyGroup"].is_object(), "{body}");
    let (status, body) = save(json!([rule(
        "Never",
        json!({ "all_of": [
        { "field": "days_since_delivery", "op": "at_least", "value": 10 },
        { "field": "days_since_delivery", "op": "at_most", "value": 5 },
    ] }),
        refuse.clone()
    )]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Rule"]["NeverTrue"].is_object(), "{body}");
    let (status, body) = save(json!([rule(
        "Unknown reason",
        json!({ "field": "reason", "op": "is", "value": "broken" }),
        refuse.clone()
    )]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Rule"]["UnknownReason"].is_object(), "{body}");
    // An unknown field never decodes.
    let (status, _) = save(json!([rule(
        "Colour",
        json!({ "field": "colour", "op": "is", "value": "red" }),
        refuse.clone()
    )]))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Staff cannot save; a stale version is refused.
    let staff = session(&app, "staff@demo.test", "demo-staff-pass").await;
    let good = json!([rule(
        "France",
        json!({ "field": "country", "op": "is", "value": "FR" }),
        refuse.clone()
    )]);
    let (status, _) = office(
        &app,
        "save_rules",
        json!({ "version": view["version"], "rules": good }),
        Some(&staff),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(save(good.clone()).await.0, StatusCode::OK);
    assert_eq!(
        save(good).await.0,
        StatusCode::CONFLICT,
        "the version moved on"
    );
    let (_, after) = office(&app, "rules", Value::Null, Some(&token)).await;
    assert_eq!(after["rules"].as_array().unwrap().len(), 1);
    assert_eq!(after["rules"][0]["position"], 1);
}

async fn the_dry_run_shows_what_the_rules_would_have_done_to_recent_requests(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1001", "camille@example.fr").await;
    let (status, submitted) = app
        .submit(
            &token,
            "before-rules",
            json!([item(&line_id(&order, "JN-SLM-32"), 1, "too_large")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let draft = json!([rule(
        "No returns from France",
        json!({ "field": "country", "op": "is", "value": "FR" }),
        json!([{ "action": "refuse" }])
    )]);
    let (status, rows) = office(
        &app,
        "dry_run_rules",
        json!({ "rules": draft }),
        Some(&demo_owner(&app).await),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["reference"] == submitted["reference"])
        .expect("the new request is in the dry run");
    assert_eq!(row["actual"], "Requested");
    assert_eq!(row["verdict"]["verdict"], "refused");
    assert!(
        row["explanations"][0]
            .as_str()
            .unwrap()
            .contains("origin country IS France"),
        "{row}"
    );
    // The seeded Belgian request is not refused.
    assert!(
        rows.iter().any(|r| r["verdict"]["verdict"] != "refused"),
        "{rows:?}"
    );
    // Nothing was saved by a dry run.
    let (_, view) = office(&app, "rules", Value::Null, Some(&demo_owner(&app).await)).await;
    assert_eq!(view["rules"], json!([]));
}

async fn a_customer_with_a_recent_return_is_refused_by_a_history_rule(backend: Backend) {
    let app = spawn_app(backend).await;
    save_rules(&app, json!([rule("One return a month",
        json!({ "field": "customer_returns", "op": "at_least", "value": 1, "within_days": 30 }),
        json!([{ "action": "refuse", "message": { "en": "One return per month.", "fr": "", "nl": "", "de": "" } }]))])).await;
    // Emma's demo order already has a request on its way back.
    let (token, order) = app.token("1004", "emma@example.be").await;
    let scarf =
        json!([{ "line_id": line_id(&order, "SC-CSH-01"), "reason": null, "quantity": null }]);
    assert_eq!(
        check_rules(&app, &token, scarf, Value::Null, "En").await["items"][0]["refusal"],
        "One return per month."
    );
    // Jan has none, until he makes one.
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let cable = line_id(&order, "CB-USB-2M");
    let ask = json!([{ "line_id": cable, "reason": null, "quantity": null }]);
    assert_eq!(
        check_rules(&app, &token, ask.clone(), Value::Null, "En").await["items"][0]["refusal"],
        Value::Null
    );
    assert_eq!(
        app.submit(
            &token,
            "first-of-the-month",
            json!([item(&cable, 1, "changed_mind")]),
            "refund",
            "mail"
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        check_rules(&app, &token, ask, Value::Null, "En").await["items"][0]["refusal"],
        "One return per month."
    );
    let (status, _) = app
        .submit(
            &token,
            "second-of-the-month",
            json!([item(&cable, 1, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
