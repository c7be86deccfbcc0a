//! Shopper data protection on both backends: photos and comments go once their request has
//! been closed for the retention period (with a clock the test controls), abandoned uploads go
//! after a day, a shopper's export holds every stored field of theirs and nothing of anyone
//! else, erasure leaves no personal field in any table, and the privacy notice is on every
//! portal page.

use app::{
    domain::{Decision, Role},
    services::{backoffice as office, privacy},
    store,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Column, Row};

use crate::{backoffice::demo_staff, helpers::*, on_both_backends};

on_both_backends!(
    the_retention_task_deletes_exactly_what_is_due,
    an_export_holds_every_stored_field_of_the_shopper_and_nothing_of_another,
    erasure_leaves_no_personal_field_in_any_table,
    only_the_owner_exports_or_erases,
    every_portal_page_links_the_privacy_notice,
);

const DAY: i64 = 86_400;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn demo_owner_merchant() -> app::domain::Merchant {
    app::domain::Merchant {
        role: Role::Owner,
        email: "owner@demo.test".into(),
        ..demo_staff()
    }
}

/// Submits a return of one unit of `sku` with a photo and `comment`; returns the request id
/// and the photo's id.
async fn return_with_photo(
    app: &TestApp,
    number: &str,
    email: &str,
    sku: &str,
    comment: &str,
) -> (String, String) {
    let (token, order) = app.token(number, email).await;
    let photo = std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap();
    let (status, uploaded) = app.upload(&token, photo, "damage.jpg").await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    let photo_id = uploaded["Stored"]["id"].as_str().unwrap().to_owned();
    let mut answer = item(&line_id(&order, sku), 1, "damaged");
    answer["photo_id"] = json!(photo_id);
    answer["comment"] = json!(comment);
    let key = format!("key-{}", ulid::Ulid::new());
    let (status, submitted) = app
        .submit(&token, &key, json!([answer]), "refund", "mail")
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let id = store::returns::find_by_reference(
        &app.state.db,
        "shop_demo",
        submitted["reference"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    (id, photo_id)
}

async fn reject(app: &TestApp, id: &str) {
    let staff = demo_staff();
    let version = office::return_detail(&app.state, &staff, id)
        .await
        .unwrap()
        .version;
    office::decide(
        &app.state,
        &staff,
        id,
        version,
        Decision::Reject {
            explanation: "Not damaged on arrival.".into(),
        },
        now(),
    )
    .await
    .unwrap();
}

/// The storage keys of a photo, while its row exists.
async fn photo_keys(app: &TestApp, photo_id: &str) -> Option<(String, String)> {
    sqlx::query("SELECT storage_key, thumb_key FROM photos WHERE id = $1")
        .bind(photo_id)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
        .map(|row| (row.get("storage_key"), row.get("thumb_key")))
}

async fn file_exists(app: &TestApp, key: &str) -> bool {
    app.state.photos.get(key).await.unwrap().is_some()
}

async fn the_retention_task_deletes_exactly_what_is_due(backend: Backend) {
    let app = spawn_app(backend).await;
    let (closed, closed_photo) =
        return_with_photo(&app, "1001", "camille@example.fr", "JN-SLM-32", "Torn seam on the left leg").await;
    let (open, open_photo) =
        return_with_photo(&app, "1006", "jan@example.nl", "CB-USB-2M", "Cable frayed").await;
    reject(&app, &closed).await;
    // Uploaded in a wizard that was never sent.
    let (token, _) = app.token("1002", "sanne@example.nl").await;
    let photo = std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap();
    let (_, abandoned) = app.upload(&token, photo, "left.jpg").await;
    let abandoned = abandoned["Stored"]["id"].as_str().unwrap().to_owned();

    let closed_keys = photo_keys(&app, &closed_photo).await.unwrap();
    let open_keys = photo_keys(&app, &open_photo).await.unwrap();
    let abandoned_keys = photo_keys(&app, &abandoned).await.unwrap();
    let t = now();

    // A day in nothing is due but the abandoned upload.
    let purged = privacy::purge_due(&app.state, t + DAY + 60).await.unwrap();
    assert_eq!(purged, privacy::Purged { items: 0, photos: 1 });
    assert!(photo_keys(&app, &abandoned).await.is_none());
    assert!(!file_exists(&app, &abandoned_keys.0).await && !file_exists(&app, &abandoned_keys.1).await);
    // The day before the 90th after closing: nothing.
    let purged = privacy::purge_due(&app.state, t + 89 * DAY).await.unwrap();
    assert_eq!(purged, privacy::Purged::default());
    assert!(file_exists(&app, &closed_keys.0).await);

    let purged = privacy::purge_due(&app.state, t + 90 * DAY + 60).await.unwrap();
    assert_eq!(purged, privacy::Purged { items: 1, photos: 1 });
    // The closed request's photo and comment are gone, its history says so.
    assert!(photo_keys(&app, &closed_photo).await.is_none());
    assert!(!file_exists(&app, &closed_keys.0).await && !file_exists(&app, &closed_keys.1).await);
    let items = store::returns::return_items(&app.state.db, &closed).await.unwrap();
    assert_eq!((items[0].photo_id.clone(), items[0].comment.as_str()), (None, ""));
    assert_eq!(items[0].quantity, 1, "what was returned stays");
    let history = store::returns::history(&app.state.db, &closed).await.unwrap();
    let note = history.iter().find(|h| h.event == "data_retention").expect("a timeline line");
    assert!(note.note.contains("Photos (1) and comments removed 90 days"), "{}", note.note);
    assert_eq!(history.last().unwrap().to_status.as_str(), "rejected");
    // The open request keeps everything.
    assert!(file_exists(&app, &open_keys.0).await);
    let items = store::returns::return_items(&app.state.db, &open).await.unwrap();
    assert_eq!(items[0].photo_id.as_deref(), Some(open_photo.as_str()));
    assert_eq!(items[0].comment, "Cable frayed");
    // Nothing twice.
    assert_eq!(
        privacy::purge_due(&app.state, t + 200 * DAY).await.unwrap(),
        privacy::Purged::default()
    );
}

/// Every text value of every row of every table, with the table's name.
async fn every_text(app: &TestApp) -> Vec<(String, String, String)> {
    const TABLES: &[&str] = &[
        "shops", "orders", "order_lines", "photos", "return_requests", "return_items",
        "return_status_history", "merchant_users", "merchant_sessions", "credit_notes",
        "stock_movements", "staff_notes", "outbox_messages", "message_texts", "payments",
        "payment_events", "withdrawal_statements",
    ];
    let mut out = Vec::new();
    for table in TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&app.state.db)
            .await
            .unwrap();
        for row in rows {
            for column in row.columns() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(column.ordinal()) {
                    out.push((table.to_string(), column.name().to_owned(), text));
                }
            }
        }
    }
    out
}

/// Camille's return with a comment, a staff note and a withdrawal; Jan's return too.
async fn two_shoppers(app: &TestApp) -> (String, String) {
    let (camille, _) =
        return_with_photo(app, "1001", "camille@example.fr", "JN-SLM-32", "Torn seam on the left leg").await;
    office::add_note(&app.state, &demo_staff(), &camille, "Camille called about it", now())
        .await
        .unwrap();
    let (jan, _) = return_with_photo(app, "1006", "jan@example.nl", "CB-USB-2M", "Cable frayed").await;
    let (token, _) = app.token("1001", "camille@example.fr").await;
    let response = app
        .http
        .post(format!("{}/api/withdraw", app.address))
        .json(&json!({ "token": token, "idempotency_key": "privacy-withdrawal-1",
            "input": { "name": "Camille Martin", "email": "camille.perso@example.fr", "selection": "WholeOrder" },
            "locale": "Fr" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    (camille, jan)
}

async fn an_export_holds_every_stored_field_of_the_shopper_and_nothing_of_another(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (camille, _) = two_shoppers(&app).await;
    let owner = demo_owner_merchant();
    let export = privacy::export_shopper(&app.state, &owner, " Camille@Example.fr ", now())
        .await
        .unwrap();
    assert_eq!(export["shopper"], "camille@example.fr");
    let tables = &export["tables"];
    // Every column of the order, as stored.
    let order = &tables["orders"][0];
    let columns: Vec<String> = sqlx::query("SELECT * FROM orders WHERE id = 'order_demo_1001'")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    for column in &columns {
        assert!(order.get(column).is_some(), "orders.{column} exported");
    }
    assert_eq!(order["customer_name"], "Camille Martin");
    assert!(order["shipping_address_json"].as_str().unwrap().contains("8 rue Oberkampf"));
    let text = export.to_string();
    for theirs in [
        "Torn seam on the left leg",
        "Camille called about it",
        "camille.perso@example.fr",
        "Je vous notifie par la présente",
        camille.as_str(),
    ] {
        assert!(text.contains(theirs), "{theirs} in the export");
    }
    for table in ["photos", "return_items", "outbox_messages", "withdrawal_statements", "return_status_history"] {
        assert!(!tables[table].as_array().unwrap().is_empty(), "{table}");
    }
    for others in ["jan@example.nl", "Jan Jansen", "Cable frayed", "Oudegracht", "sanne@example.nl"] {
        assert!(!text.contains(others), "{others} must not be in Camille's export");
    }
    // The export is on the timeline.
    let history = store::returns::history(&app.state.db, &camille).await.unwrap();
    assert!(history.iter().any(|h| h.event == "data_exported" && h.actor == "owner@demo.test"));
    // An address with no order here finds nothing.
    let unknown = privacy::export_shopper(&app.state, &owner, "nobody@example.fr", now()).await;
    assert!(matches!(unknown, Err(app::services::ServiceError::NotFound)));
}

async fn erasure_leaves_no_personal_field_in_any_table(backend: Backend) {
    let app = spawn_app(backend).await;
    let (camille, jan) = two_shoppers(&app).await;
    let photo = store::returns::return_items(&app.state.db, &camille).await.unwrap()[0]
        .photo_id
        .clone()
        .unwrap();
    let keys = photo_keys(&app, &photo).await.unwrap();
    let owner = demo_owner_merchant();
    let erased = privacy::erase_shopper(&app.state, &owner, "camille@example.fr", now())
        .await
        .unwrap();
    assert_eq!((erased.orders, erased.requests, erased.photos), (1, 2, 1));

    let personal = [
        "camille@example.fr",
        "camille.perso@example.fr",
        "Camille Martin",
        "Camille",
        "Oberkampf",
        "Torn seam on the left leg",
        "Camille called about it",
        "Not damaged on arrival",
    ];
    for (table, column, text) in every_text(&app).await {
        for word in personal {
            assert!(!text.contains(word), "{table}.{column} still holds {word:?}: {text}");
        }
    }
    assert!(!file_exists(&app, &keys.0).await && !file_exists(&app, &keys.1).await);
    // What the accounts need stays: the requests, their items and amounts.
    let items = store::returns::return_items(&app.state.db, &camille).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].quantity, 1);
    let history = store::returns::history(&app.state.db, &camille).await.unwrap();
    assert!(history.iter().any(|h| h.event == "data_erased"));
    // The request still opens in the back-office and can be decided; no email goes out.
    let staff = demo_staff();
    let detail = office::return_detail(&app.state, &staff, &camille).await.unwrap();
    assert_eq!((detail.customer_name.as_str(), detail.email.ends_with("@erased.invalid")), ("", true));
    let emails_before = store::outbox::return_messages(&app.state.db, &camille).await.unwrap().len();
    reject(&app, &camille).await;
    assert_eq!(
        store::outbox::return_messages(&app.state.db, &camille).await.unwrap().len(),
        emails_before
    );
    // The shopper can no longer be found by their address; Jan is untouched.
    let (status, _) = app.find_order("1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let items = store::returns::return_items(&app.state.db, &jan).await.unwrap();
    assert_eq!(items[0].comment, "Cable frayed");
    let (status, _) = app.find_order("1006", "jan@example.nl").await;
    assert_eq!(status, StatusCode::OK);
}

async fn only_the_owner_exports_or_erases(backend: Backend) {
    let app = spawn_app(backend).await;
    two_shoppers(&app).await;
    let staff = demo_staff();
    assert!(matches!(
        privacy::export_shopper(&app.state, &staff, "camille@example.fr", now()).await,
        Err(app::services::ServiceError::Forbidden)
    ));
    assert!(matches!(
        privacy::erase_shopper(&app.state, &staff, "camille@example.fr", now()).await,
        Err(app::services::ServiceError::Forbidden)
    ));
    // Over HTTP, as the page's forms post: the erasure needs the address typed twice.
    let token = demo_owner(&app).await;
    let post = |endpoint: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let request = app
            .http
            .post(format!("{}/api/office/{endpoint}", app.address))
            .header(reqwest::header::ORIGIN, &app.address)
            .header(reqwest::header::COOKIE, format!("retour_session={token}"))
            .form(&fields);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = post(
        "erase_shopper",
        vec![("email", "camille@example.fr"), ("confirm", "camile@example.fr")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.find_order("1001", "camille@example.fr").await;
    assert_eq!(status, StatusCode::OK, "nothing erased");
    let (status, body) = post("export_shopper", vec![("email", "camille@example.fr")]).await;
    assert_eq!(status, StatusCode::OK);
    let export: Value = serde_json::from_str(body.as_str().unwrap()).unwrap();
    assert_eq!(export["shopper"], "camille@example.fr");
}

async fn every_portal_page_links_the_privacy_notice(backend: Backend) {
    let app = spawn_app(backend).await;
    sqlx::query("UPDATE shops SET privacy_json = $1 WHERE id = 'shop_demo'")
        .bind(json!({ "retention_days": 30, "contact": "privacy@maison-demo.test", "notice": { "en": "", "fr": "", "nl": "Onze eigen tekst.", "de": "" } }).to_string())
        .execute(&app.state.db)
        .await
        .unwrap();
    for (lang, link, expected) in [
        ("en", "How we handle your data", "photos and comments are deleted 30 days"),
        ("fr", "Comment nous traitons vos données", "supprimés 30 jours"),
        ("nl", "Hoe we met je gegevens omgaan", "Onze eigen tekst."),
        ("de", "Wie wir mit Ihren Daten umgehen", "30 Tage nach Abschluss"),
    ] {
        for page in ["/demo", "/demo/withdraw"] {
            let html = app.get(&format!("{page}?lang={lang}")).await.text().await.unwrap();
            assert!(html.contains(link) && html.contains(&format!("/demo/privacy?lang={lang}")), "{page} {lang}");
        }
        let html = app.get(&format!("/demo/privacy?lang={lang}")).await.text().await.unwrap();
        assert!(html.contains(expected), "{lang}: {expected}");
        if lang != "nl" {
            assert!(html.contains("privacy@maison-demo.test"), "{lang}: the contact");
        }
    }
}
