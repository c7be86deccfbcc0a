use reqwest::StatusCode;
use serde_json::json;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    without_manual_approval_a_request_is_approved_at_once_and_the_history_says_so,
    a_shop_with_returns_switched_off_explains_and_takes_no_request,
);

async fn without_manual_approval_a_request_is_approved_at_once_and_the_history_says_so(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(app::store::shops::set_shop_switches(&app.state.db, "shop_demo", true, false).await.unwrap());
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let (status, submitted) = app.submit(&token, "auto-approve-key", json!([item(&line_id(&order, "CB-USB-2M"), 2, "changed_mind")]), "store_credit", "mail").await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "Approved");
    let record = app::store::returns::find_by_reference(&app.state.db, "shop_demo", submitted["reference"].as_str().unwrap()).await.unwrap().unwrap();
    let history = app::store::returns::history(&app.state.db, &record.id).await.unwrap();
    let steps: Vec<_> = history.iter().map(|h| (h.to_status.as_str(), h.actor.as_str())).collect();
    assert_eq!(steps, [("requested", "shopper"), ("approved", "automatic")]);
}

async fn a_shop_with_returns_switched_off_explains_and_takes_no_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    assert!(app::store::shops::set_shop_switches(&app.state.db, "shop_demo", false, true).await.unwrap());
    let (status, body) = app.find_order("1006", "jan@example.nl").await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, json!("ReturnsDisabled")));
    // A token from before the switch opens nothing either.
    let (status, body) = app.submit(&token, "disabled-shop-key", json!([item(&line_id(&order, "CB-USB-2M"), 1, "changed_mind")]), "refund", "mail").await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, json!("ReturnsDisabled")));
    let page = app.get("/demo?lang=fr").await.text().await.unwrap();
    assert!(page.contains("Cette boutique ne gère pas les retours en ligne"), "the portal explains, in the shopper's language");
}
