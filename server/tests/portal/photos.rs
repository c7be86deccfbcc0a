use reqwest::StatusCode;
use serde_json::json;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    a_phone_photo_is_stored_upright_small_and_without_metadata,
    a_refused_photo_says_why_and_keeps_the_request_possible,
    an_upload_needs_a_valid_order_token,
    a_photo_url_without_its_key_shows_nothing,
);

async fn a_phone_photo_is_stored_upright_small_and_without_metadata(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    // 4000x3000 with EXIF orientation 6: upright it is portrait.
    let bytes = std::fs::read(testdata("images/camera_exif/Xiaomi_Mi_9T_KeyError.jpg")).unwrap();
    let (status, outcome) = app.upload(&token, bytes, "IMG_0001.jpg").await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let photo = &outcome["Stored"];
    assert!(
        photo["height"].as_u64().unwrap() == 1600 && photo["width"].as_u64().unwrap() == 1200,
        "{photo}"
    );

    let thumb = app.get(photo["thumb_url"].as_str().unwrap()).await;
    assert_eq!(thumb.status(), StatusCode::OK);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let thumb = thumb.bytes().await.unwrap();
    assert!(
        !thumb.windows(4).any(|w| w == b"Exif"),
        "no EXIF in the stored copy"
    );

    // And it can be used in a request.
    let mut damaged = item(&line_id(&order, "HP-WRL-BK"), 1, "damaged");
    damaged["photo_id"] = photo["id"].clone();
    let (status, body) = app
        .submit(
            &token,
            "with-photo-key",
            json!([damaged]),
            "exchange",
            "in_store",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_refused_photo_says_why_and_keeps_the_request_possible(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, order) = app.token("1006", "jan@example.nl").await;
    let cases = [
        (
            "images/not_images/notimage_pdf_renamed.jpg",
            "photo.unsupported",
        ),
        ("images/modern_formats/iphone_13_pro_max.HEIC", "photo.heic"),
        (
            "images/bombs/bomb_png_50000x50000_rgb8_headeronly.png",
            "photo.too_many_pixels",
        ),
        ("images/pngsuite/xc1n0g08.png", "photo.corrupt"),
    ];
    for (file, key) in cases {
        let (status, outcome) = app
            .upload(&token, std::fs::read(testdata(file)).unwrap(), "photo.jpg")
            .await;
        assert_eq!(
            (status, outcome),
            (StatusCode::OK, json!({ "Refused": { "message_key": key } })),
            "{file}"
        );
    }
    // The server stops reading an oversized body and closes that connection: use its own client.
    let (status, outcome) = app
        .upload_from(
            &reqwest::Client::new(),
            &token,
            vec![0xff; 16 * 1024 * 1024 - 4096],
            "huge.jpg",
        )
        .await;
    assert_eq!(
        (status, outcome),
        (
            StatusCode::OK,
            json!({ "Refused": { "message_key": "photo.too_large" } })
        )
    );
    // Nothing was lost: the shopper can still submit.
    let (status, _) = app
        .submit(
            &token,
            "after-refusal-key",
            json!([item(&line_id(&order, "CB-USB-2M"), 1, "too_small")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_upload_needs_a_valid_order_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let bytes = std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap();
    let (status, body) = app.upload("not-a-token", bytes, "photo.jpg").await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!("SessionExpired"))
    );
}

async fn a_photo_url_without_its_key_shows_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, _) = app.token("1006", "jan@example.nl").await;
    let bytes = std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap();
    let (_, outcome) = app.upload(&token, bytes, "photo.jpg").await;
    let id = outcome["Stored"]["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/photos/{id}/thumb")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/photos/{id}/thumb?k=AAAAAAAAAAAAAAAAAAAAAA"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let good = outcome["Stored"]["thumb_url"]
        .as_str()
        .unwrap()
        .replace("/thumb?", "/display?");
    assert_eq!(app.get(&good).await.status(), StatusCode::OK);
}
