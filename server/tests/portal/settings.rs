//! The shop's settings: what the switches do to the wizard, and the settings page's
//! server functions over real HTTP (owner only, checked, versioned, effective at once).

use app::services::accounts;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    without_manual_approval_a_request_is_approved_at_once_and_the_history_says_so,
    a_shop_with_returns_switched_off_explains_and_takes_no_request,
    an_owner_saves_settings_and_the_next_wizard_step_follows_them,
    staff_read_the_settings_but_cannot_save_them,
    a_save_based_on_an_old_version_is_refused_and_changes_nothing,
    unusable_settings_are_refused_with_a_translated_reason_and_change_nothing,
    settings_calls_need_a_merchant_session_and_stay_in_its_shop,
    the_embedding_kit_names_the_portal_and_the_sites_allowed_to_frame_it,
);

async fn the_embedding_kit_names_the_portal_and_the_sites_allowed_to_frame_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = session(&app, "staff@demo.test", "demo-staff-pass").await;
    let (status, kit) = office(&app, "embed_kit", Value::Null, Some(&staff)).await;
    assert_eq!(status, StatusCode::OK, "{kit}");
    assert_eq!(kit["portal_url"], "http://127.0.0.1:3000/demo");
    assert_eq!(kit["script_url"], "http://127.0.0.1:3000/embed.js");
    assert_eq!(kit["allowed_origins"], json!(["http://localhost:8080", "http://127.0.0.1:8080"]));
    let (status, _) = office(&app, "embed_kit", Value::Null, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn read_settings(app: &TestApp, token: &str) -> Value {
    let (status, body) = office(app, "settings", Value::Null, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn save(
    app: &TestApp,
    token: &str,
    version: &Value,
    settings: &Value,
) -> (StatusCode, Value) {
    office(
        app,
        "save_settings",
        json!({ "version": version, "settings": settings }),
        Some(token),
    )
    .await
}

async fn stored_shop(app: &TestApp) -> app::domain::shop::Shop {
    app::store::shops::find_shop_by_id(&app.state.db, "shop_demo")
        .await
        .unwrap()
        .unwrap()
}

async fn without_manual_approval_a_request_is_approved_at_once_and_the_history_says_so(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    assert!(
        app::store::shops::set_shop_switches(&app.state.db, "shop_demo", true, false)
            .await
            .unwrap()
    );
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let (status, submitted) = app
        .submit(
            &token,
            "auto-approve-key",
            json!([item(&line_id(&order, "CB-USB-2M"), 2, "changed_mind")]),
            "store_credit",
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
    let steps: Vec<_> = history
        .iter()
        .map(|h| (h.to_status.as_str(), h.actor.as_str()))
        .collect();
    assert_eq!(steps, [("requested", "shopper"), ("approved", "automatic")]);
}

async fn a_shop_with_returns_switched_off_explains_and_takes_no_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    assert!(
        app::store::shops::set_shop_switches(&app.state.db, "shop_demo", false, true)
            .await
            .unwrap()
    );
    let (status, body) = app.find_order("1006", "jan@example.nl").await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!("ReturnsDisabled"))
    );
    // A token from before the switch opens nothing either.
    let (status, body) = app
        .submit(
            &token,
            "disabled-shop-key",
            json!([item(&line_id(&order, "CB-USB-2M"), 1, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!("ReturnsDisabled"))
    );
    let page = app.get("/demo?lang=fr").await.text().await.unwrap();
    assert!(
        page.contains("Cette boutique ne gère pas les retours en ligne"),
        "the portal explains, in the shopper's language"
    );
}

async fn an_owner_saves_settings_and_the_next_wizard_step_follows_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = demo_owner(&app).await;
    let view = read_settings(&app, &token).await;
    assert_eq!(view["can_edit"], true);
    assert_eq!(view["portal_path"], "/demo");
    // A shopper is half-way through the wizard with order 1001 (delivered five days ago).
    let (shopper_token, _) = app.token("1001", "camille@example.fr").await;

    let mut settings = view["settings"].clone();
    settings["return_window_days"] = json!(3);
    settings["reasons"].as_array_mut().unwrap().push(json!({
        "code": "arrived_late", "label": { "en": "Arrived too late", "fr": "Arrivé trop tard", "nl": "", "de": "" },
        "photo_required": false, "comment_required": true, "defective": false,
    }));
    settings["resolutions"] = json!(["store_credit"]);
    settings["policy"]["nl"] = json!("Retourneren kan binnen 3 dagen.");
    settings["logo_url"] = json!("https://cdn.shop.example/logo.png");
    settings["accent_colour"] = json!("#1F3A93");
    settings["theme"] = json!({ "font": "serif", "corner_radius_px": 0 });
    settings["allowed_origins"] = json!(["https://maison.example/"]);
    settings["return_address"] = json!({ "name": " Maison ", "lines": ["2 quai Sud", ""], "postcode": "13002", "city": "Marseille", "country": "fr" });
    let (status, saved) = save(&app, &token, &view["version"], &settings).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], view["version"].as_i64().unwrap() + 1);
    assert_eq!(saved["settings"]["accent_colour"], "#1f3a93", "normalised");
    assert_eq!(
        saved["settings"]["allowed_origins"],
        json!(["https://maison.example"])
    );
    assert_eq!(
        saved["settings"]["return_address"],
        json!({ "name": "Maison", "lines": ["2 quai Sud"], "postcode": "13002", "city": "Marseille", "country": "FR" }),
        "trimmed, blank lines dropped, the country in capitals"
    );
    assert_eq!(stored_shop(&app).await.return_address.city, "Marseille");

    // No restart: the next lookup sees the shorter window and the new reason…
    let (status, order) = app.find_order("1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert!(
        order["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["eligibility"].get("Eligible").is_none()),
        "window passed: {order}"
    );
    let (status, portal) = app.find_order("1006", "jan@example.nl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        portal["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "arrived_late" && r["comment_required"] == true),
        "{portal}"
    );
    // …the half-finished request is judged by the settings in force when it is sent…
    let (_, order_1001) = app.find_order("1001", "camille@example.fr").await;
    let (status, body) = app
        .submit(
            &shopper_token,
            "after-settings",
            json!([item(&line_id(&order_1001, "JN-SLM-32"), 1, "too_large")]),
            "store_credit",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // …and the portal page shows the policy, the logo, the colour and the new framing policy.
    let response = app.get("/demo?lang=nl").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(csp, "frame-ancestors 'self' https://maison.example");
    let page = response.text().await.unwrap();
    assert!(page.contains("Retourneren kan binnen 3 dagen."));
    assert!(page.contains(r#"src="https://cdn.shop.example/logo.png""#));
    assert!(page.contains("--accent: #1f3a93"));
    assert!(
        page.contains("--font: Charter,") && page.contains("--radius: 0px"),
        "the shop's font and square corners reach the portal's style"
    );
    assert_eq!(stored_shop(&app).await.theme.corner_radius_px, 0);
    assert_eq!(
        stored_shop(&app).await.resolutions,
        [app::domain::Resolution::StoreCredit]
    );
}

async fn staff_read_the_settings_but_cannot_save_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = session(&app, "staff@demo.test", "demo-staff-pass").await;
    let view = read_settings(&app, &token).await;
    assert_eq!(view["can_edit"], false);
    let mut settings = view["settings"].clone();
    settings["returns_enabled"] = json!(false);
    let (status, body) = save(&app, &token, &view["version"], &settings).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, json!("Forbidden")));
    assert!(stored_shop(&app).await.returns_enabled);
}

async fn a_save_based_on_an_old_version_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (first, second) = (demo_owner(&app).await, demo_owner(&app).await);
    let seen_by_first = read_settings(&app, &first).await;
    let seen_by_second = read_settings(&app, &second).await;
    let mut mine = seen_by_first["settings"].clone();
    mine["return_window_days"] = json!(45);
    assert_eq!(
        save(&app, &first, &seen_by_first["version"], &mine).await.0,
        StatusCode::OK
    );
    let mut theirs = seen_by_second["settings"].clone();
    theirs["return_window_days"] = json!(10);
    let (status, body) = save(&app, &second, &seen_by_second["version"], &theirs).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, json!("Conflict")));
    assert_eq!(stored_shop(&app).await.return_window_days, 45);
}

async fn unusable_settings_are_refused_with_a_translated_reason_and_change_nothing(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let token = demo_owner(&app).await;
    let view = read_settings(&app, &token).await;
    let before = stored_shop(&app).await;
    let cases: [(&str, Value, &str); 7] = [
        ("accent_colour", json!("#ffeb3b"), "AccentColourLowContrast"),
        (
            "theme",
            json!({ "font": "system", "corner_radius_px": 40 }),
            "CornerRadiusOutOfRange",
        ),
        ("return_window_days", json!(0), "ReturnWindowOutOfRange"),
        ("resolutions", json!([]), "ResolutionsEmpty"),
        (
            "allowed_origins",
            json!(["https://a.example; script-src *"]),
            "OriginInvalid",
        ),
        ("logo_url", json!("javascript:alert(1)"), "LogoUrlInvalid"),
        (
            "return_address",
            json!({ "name": "Atelier", "lines": ["1 rue X"], "postcode": "75001", "city": "", "country": "France" }),
            "ReturnAddressInvalid",
        ),
    ];
    for (field, value, error) in cases {
        let mut settings = view["settings"].clone();
        settings[field] = value;
        settings["name"] = json!("Changed, but not saved");
        let (status, body) = save(&app, &token, &view["version"], &settings).await;
        assert_eq!(
            (status, &body),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "Domain": error })
            ),
            "{field}"
        );
        let key = serde_json::from_value::<app::domain::DomainError>(body["Domain"].clone())
            .unwrap()
            .message_key();
        assert_ne!(
            app::i18n::text_for_key(key, app::domain::Locale::Fr),
            app::i18n::Msg::ErrorTryAgain.text(app::domain::Locale::Fr),
            "{key} is translated"
        );
    }
    // Unknown fields and wrong types never reach the domain.
    let mut settings = view["settings"].clone();
    settings["return_window_days"] = json!("thirty");
    assert_eq!(
        save(&app, &token, &view["version"], &settings).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(stored_shop(&app).await, before);
    assert_eq!(
        read_settings(&app, &token).await["version"],
        view["version"]
    );
}

async fn settings_calls_need_a_merchant_session_and_stay_in_its_shop(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    accounts::create_shop(
        &app.state,
        "other",
        "Other shop",
        "owner@other.test",
        "other-owner-pass",
        now,
    )
    .await
    .unwrap();
    let demo_view = read_settings(&app, &demo_owner(&app).await).await;

    for token in [None, Some("forged-session-token")] {
        assert_eq!(
            office(&app, "settings", Value::Null, token).await,
            (StatusCode::UNAUTHORIZED, json!("Unauthorized"))
        );
        assert_eq!(
            save(
                &app,
                token.unwrap_or(""),
                &demo_view["version"],
                &demo_view["settings"]
            )
            .await
            .0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (shopper_token, _) = app.token("1001", "camille@example.fr").await;
    assert_eq!(
        office(&app, "settings", Value::Null, Some(&shopper_token))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // The other shop's owner reads and saves their own shop, whatever they send.
    let other = session(&app, "owner@other.test", "other-owner-pass").await;
    let other_view = read_settings(&app, &other).await;
    assert_eq!(other_view["settings"]["name"], "Other shop");
    assert_eq!(other_view["portal_path"], "/other");
    let mut settings = demo_view["settings"].clone();
    settings["name"] = json!("Taken over");
    let (status, saved) = save(&app, &other, &other_view["version"], &settings).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["portal_path"], "/other");
    assert_eq!(stored_shop(&app).await.name, "Maison Démo");

    // A page on another origin cannot save with the owner's cookie.
    let response = app
        .http
        .post(format!("{}/api/office/save_settings", app.address))
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, format!("retour_session={other}"))
        .json(&json!({ "version": saved["version"], "settings": settings }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
