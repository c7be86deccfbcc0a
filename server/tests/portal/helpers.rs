use app::services::{keys::Keys, storage::LocalDirStorage, AppState};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::{path::PathBuf, sync::Arc};

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test once per backend: `mod sqlite { fn name() }` and `mod postgres { … }`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Postgres).await })*
        }
    };
}

pub struct TestApp {
    pub address: String,
    /// The database's URL, for a second process-like start on the same data.
    pub database_url: String,
    pub state: AppState,
    pub http: reqwest::Client,
    _data_dir: tempfile::TempDir,
}

pub fn testdata(relative: &str) -> PathBuf {
    let root = std::env::var("RETOUR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/testdata"
            ))
        });
    root.join(relative)
}

async fn database_url(backend: Backend, data_dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite:{}", data_dir.join("test.db").display()),
        Backend::Postgres => {
            let admin = std::env::var("RETOUR_TEST_POSTGRES_URL")
                .expect("RETOUR_TEST_POSTGRES_URL must point at a PostgreSQL server (scripts/test starts one)");
            sqlx::any::install_default_drivers();
            let name = format!(
                "retour_test_{}",
                ulid::Ulid::new().to_string().to_lowercase()
            );
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("URL has a database path");
            format!("{base}/{name}")
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = database_url(backend, data_dir.path()).await;
    let db = app::store::connect(&database_url)
        .await
        .expect("database ready");
    let now = time::OffsetDateTime::now_utc();
    app::services::demo::seed_demo(&db, now.date(), now.unix_timestamp())
        .await
        .expect("demo seeded");
    let mut state = AppState::new(
        db,
        Keys::new(vec![7; 32]).unwrap(),
        Arc::new(LocalDirStorage::new(data_dir.path().join("photos"))),
    );
    // As in the demo: fees are paid with the built-in test checkout.
    state.payments = Arc::new(app::services::payments::PaymentGateway::Test);
    let router = server::startup::router(
        state.clone(),
        server::startup::leptos_options("target/site"),
    );
    let application = server::startup::Application::bind("127.0.0.1:0".parse().unwrap(), router)
        .await
        .expect("bind");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        database_url,
        state,
        // A call that hangs fails the test with its URL instead of stalling the run.
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("HTTP client"),
        _data_dir: data_dir,
    }
}

impl TestApp {
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    pub async fn find_order_from(
        &self,
        client: &reqwest::Client,
        number: &str,
        email: &str,
    ) -> (StatusCode, Value) {
        let response = client
            .post(format!("{}/api/find_order", self.address))
            .form(&[("shop", "demo"), ("order_number", number), ("email", email)])
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    pub async fn find_order(&self, number: &str, email: &str) -> (StatusCode, Value) {
        self.find_order_from(&self.http, number, email).await
    }

    /// The order token of a demo order that must exist.
    pub async fn token(&self, number: &str, email: &str) -> (String, Value) {
        let (status, order) = self.find_order(number, email).await;
        assert_eq!(status, StatusCode::OK, "{order}");
        (order["token"].as_str().expect("token").to_owned(), order)
    }

    pub async fn upload(
        &self,
        token: &str,
        bytes: Vec<u8>,
        file_name: &str,
    ) -> (StatusCode, Value) {
        self.upload_from(&self.http, token, bytes, file_name).await
    }

    pub async fn upload_from(
        &self,
        client: &reqwest::Client,
        token: &str,
        bytes: Vec<u8>,
        file_name: &str,
    ) -> (StatusCode, Value) {
        let form = reqwest::multipart::Form::new()
            .text("token", token.to_owned())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name.to_owned())
                    .mime_str("image/jpeg")
                    .unwrap(),
            );
        let response = client
            .post(format!("{}/api/upload_photo", self.address))
            .multipart(form)
            .send()
            .await
            .expect("sent");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    pub async fn submit(
        &self,
        token: &str,
        key: &str,
        items: Value,
        resolution: &str,
        method: &str,
    ) -> (StatusCode, Value) {
        let body = json!({
            "token": token,
            "idempotency_key": key,
            "answers": { "items": items, "resolution": resolution, "method": method },
            "locale": "Fr",
        });
        let response = self
            .http
            .post(format!("{}/api/submit_return", self.address))
            .json(&body)
            .send()
            .await
            .expect("sent");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("sent")
    }
}

/// The id of the order line whose SKU is `sku`.
pub fn line_id(order: &Value, sku: &str) -> String {
    order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == sku)
        .unwrap_or_else(|| panic!("no line {sku}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn item(line_id: &str, quantity: u32, reason: &str) -> Value {
    json!({ "line_id": line_id, "quantity": quantity, "reason": reason, "comment": "", "photo_id": null })
}

/// A signed-in merchant's session token, made by the service (signing in over HTTP is
/// tested in `accounts`).
pub async fn session(app: &TestApp, email: &str, password: &str) -> String {
    let (token, _) = app::services::accounts::login(
        &app.state,
        email,
        password,
        "server-test",
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )
    .await
    .expect("signed in");
    token
}

/// The demo shop's owner, signed in.
pub async fn demo_owner(app: &TestApp) -> String {
    session(app, "owner@demo.test", "demo-owner-pass").await
}

/// A back-office call as its pages make it: our origin, the session cookie, and a JSON
/// body (or an empty form when `body` is null).
pub async fn office(
    app: &TestApp,
    endpoint: &str,
    body: Value,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = app
        .http
        .post(format!("{}/api/office/{endpoint}", app.address))
        .header(reqwest::header::ORIGIN, &app.address);
    request = if body.is_null() {
        request.form(&[] as &[(&str, &str)])
    } else {
        request.json(&body)
    };
    if let Some(token) = token {
        request = request.header(reqwest::header::COOKIE, format!("retour_session={token}"));
    }
    let response = request.send().await.expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// A back-office call with a form body, as server functions without a JSON codec take.
pub async fn office_form(
    app: &TestApp,
    endpoint: &str,
    pairs: &[(&str, &str)],
    token: &str,
) -> (StatusCode, Value) {
    let response = app
        .http
        .post(format!("{}/api/office/{endpoint}", app.address))
        .header(reqwest::header::ORIGIN, &app.address)
        .header(reqwest::header::COOKIE, format!("retour_session={token}"))
        .form(pairs)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}
