//! The back-office's CSV import of orders over real HTTP, on both backends: a check changes
//! nothing, an import takes the whole file or none of it, and the report names each line.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    a_checked_file_changes_nothing_and_its_import_lets_shoppers_find_the_orders,
    one_bad_row_keeps_the_whole_file_out_and_the_report_names_its_line,
    an_import_cannot_take_back_what_a_return_holds_and_then_imports_nothing,
    only_the_owner_of_the_shop_imports_and_files_are_bounded,
);

/// The import page's call: our origin, the session, `mode` then `file` as multipart.
async fn import(app: &TestApp, token: Option<&str>, mode: &str, csv: Vec<u8>) -> (StatusCode, Value) {
    let form = reqwest::multipart::Form::new().text("mode", mode.to_owned()).part(
        "file",
        reqwest::multipart::Part::bytes(csv)
            .file_name("orders.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let mut request = app
        .http
        .post(format!("{}/api/office/import_orders", app.address))
        .header(reqwest::header::ORIGIN, &app.address)
        .multipart(form);
    if let Some(token) = token {
        request = request.header(reqwest::header::COOKIE, format!("retour_session={token}"));
    }
    let response = request.send().await.expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

fn days_ago(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days)).to_string()
}

/// Two orders, the first with two lines on rows that are not together, in the semicolon
/// and decimal-comma form of a French spreadsheet.
fn two_orders() -> Vec<u8> {
    let (placed, delivered) = (days_ago(6), days_ago(2));
    format!(
        "\u{feff}order_number;email;customer_name;shipping_country;currency;placed_on;delivered_on;line_id;sku;title;variant;quantity;unit_price;tags\r\n\
         CSV-1;ada@example.org;Ada Lovelace;FR;EUR;{placed};{delivered};1;TS-LIN-M;Chemise en lin;M;2;49,90;summer|linen\r\n\
         CSV-2;grace@example.org;Grace Hopper;NL;EUR;{placed};{delivered};1;SK-WOOL;Wool socks;;1;12,00;\r\n\
         CSV-1;;;;;;;2;SC-SILK;\"Foulard; soie\";;1;35;\r\n"
    )
    .into_bytes()
}

async fn a_checked_file_changes_nothing_and_its_import_lets_shoppers_find_the_orders(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = demo_owner(&app).await;

    let (status, report) = import(&app, Some(&owner), "check", two_orders()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], false);
    assert_eq!(report["rows"], 3);
    assert_eq!(report["created"], json!(["CSV-1", "CSV-2"]));
    assert_eq!(report["problems"], json!([]));
    let (status, _) = app.find_order("CSV-1", "ada@example.org").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a check imports nothing");

    let (status, report) = import(&app, Some(&owner), "import", two_orders()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["imported"].clone(), report["created"].clone()), (json!(true), json!(["CSV-1", "CSV-2"])));
    let (status, found) = app.find_order("csv-1", "Ada@Example.org").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let lines = found["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["title"], "Chemise en lin");
    assert_eq!(lines[0]["quantity"], 2);
    assert_eq!(lines[0]["unit_price"]["minor"], 4990);
    assert_eq!(lines[1]["title"], "Foulard; soie");
    assert!(
        lines.iter().all(|l| l["eligibility"].get("Eligible").is_some()),
        "delivered two days ago, inside the window: {found}"
    );

    // The same file again brings both orders up to date and keeps each line (same ids).
    let (status, report) = import(&app, Some(&owner), "import", two_orders()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["created"].clone(), report["updated"].clone()), (json!([]), json!(["CSV-1", "CSV-2"])));
    let (_, again) = app.find_order("CSV-1", "ada@example.org").await;
    assert_eq!(again["lines"], found["lines"]);
}

async fn one_bad_row_keeps_the_whole_file_out_and_the_report_names_its_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = demo_owner(&app).await;
    let placed = days_ago(6);
    let csv = format!(
        "order_number,email,shipping_country,currency,placed_on,sku,title,quantity,unit_price\n\
         CSV-1,ada@example.org,FR,EUR,{placed},A,Shirt,1,10\n\
         CSV-2,grace@example.org,NL,EUR,{placed},B,Socks,1,ten euros\n\
         CSV-3,linus@example.org,FI,EUR,{placed},C,Hat,1,20\n"
    );
    let (status, report) = import(&app, Some(&owner), "import", csv.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], false);
    assert_eq!(
        report["problems"],
        json!([{
            "line": 3, "order_number": "CSV-2", "code": "value_invalid",
            "message": "unit_price: “ten euros” is not an amount such as 49.90 or 49,90",
        }])
    );
    for (number, email) in [("CSV-1", "ada@example.org"), ("CSV-3", "linus@example.org")] {
        let (status, _) = app.find_order(number, email).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{number} was not imported alone");
    }

    // A file a spreadsheet saved in Latin-1 is refused as a whole, with what to do.
    let (_, report) = import(&app, Some(&owner), "check", b"order_number\n\xe9t\xe9\n".to_vec()).await;
    assert_eq!(report["problems"][0]["code"], "file_not_utf8");
    assert!(report["problems"][0]["message"].as_str().unwrap().contains("CSV UTF-8"));
}

async fn an_import_cannot_take_back_what_a_return_holds_and_then_imports_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = demo_owner(&app).await;
    assert_eq!(import(&app, Some(&owner), "import", two_orders()).await.1["imported"], true);
    // Ada returns both shirts.
    let (token, found) = app.token("CSV-1", "ada@example.org").await;
    let (status, body) = app
        .submit(
            &token,
            "import-hold",
            json!([item(&line_id(&found, "TS-LIN-M"), 2, "changed_mind")]),
            "refund",
            "mail",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A new version of the file gives her one shirt, and adds an order.
    let (placed, delivered) = (days_ago(6), days_ago(2));
    let csv = format!(
        "order_number,email,shipping_country,currency,placed_on,delivered_on,line_id,sku,title,quantity,unit_price\n\
         CSV-9,alan@example.org,GB,EUR,{placed},{delivered},1,A,Shirt,1,10\n\
         CSV-1,ada@example.org,FR,EUR,{placed},{delivered},1,TS-LIN-M,Chemise en lin,1,49.90\n\
         CSV-1,,,,,,2,SC-SILK,Foulard,1,35\n"
    );
    let (status, report) = import(&app, Some(&owner), "import", csv.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], false);
    assert_eq!(report["problems"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["problems"][0]["line"], 3, "the order's first row");
    assert_eq!(report["problems"][0]["code"], "quantity_below_returned");
    let (status, _) = app.find_order("CSV-9", "alan@example.org").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the good order stays out too");
    let (_, after) = app.find_order("CSV-1", "ada@example.org").await;
    assert_eq!(
        after["lines"][0]["quantity"], 2,
        "the order is as it was: {after}"
    );
}

async fn only_the_owner_of_the_shop_imports_and_files_are_bounded(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = session(&app, "staff@demo.test", "demo-staff-pass").await;
    let (status, body) = import(&app, Some(&staff), "import", two_orders()).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, json!("Forbidden")));
    let (status, _) = import(&app, None, "import", two_orders()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A form posted from another site with the owner's cookie is refused.
    let owner = demo_owner(&app).await;
    let form = reqwest::multipart::Form::new()
        .text("mode", "import")
        .part("file", reqwest::multipart::Part::bytes(two_orders()).file_name("o.csv"));
    let response = app
        .http
        .post(format!("{}/api/office/import_orders", app.address))
        .header(reqwest::header::ORIGIN, "https://evil.example")
        .header(reqwest::header::COOKIE, format!("retour_session={owner}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.find_order("CSV-1", "ada@example.org").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Three megabytes are refused once two have arrived.
    let big = vec![b'a'; 3 * 1024 * 1024];
    let (status, report) = import(&app, Some(&owner), "check", big).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["problems"][0]["code"], "file_too_large");
}
