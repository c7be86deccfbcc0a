//! Merchant accounts on both backends: signing in and out over real HTTP, the session
//! cookie, the origin check, hashed storage, expiry, the attempt limit, creating users and
//! shops, and the command that creates a shop on a fresh install.

use app::{
    domain::{DomainError, Role},
    services::{accounts, ServiceError},
};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;
use std::time::{Duration, Instant};

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    the_demo_owner_signs_in_and_gets_a_session_cookie,
    a_wrong_email_and_a_wrong_password_get_the_same_answer_after_the_same_work,
    the_database_holds_neither_passwords_nor_session_tokens,
    an_expired_session_is_refused_and_later_forgotten,
    signing_out_ends_the_session,
    repeated_failures_for_one_email_from_one_client_are_slowed_down,
    a_shopper_order_token_is_not_a_merchant_session,
    creating_a_user_refuses_a_taken_email_a_short_password_and_an_unknown_shop,
    a_call_from_another_origin_is_refused,
    a_shop_and_its_first_owner_are_created_together_or_not_at_all,
    the_demo_seed_adds_its_merchants_once,
);

const OWNER: (&str, &str) = ("owner@demo.test", "demo-owner-pass");
const STAFF: (&str, &str) = ("staff@demo.test", "demo-staff-pass");

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A call to a server function as the back-office's own page makes it: with our origin.
async fn call(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    call_from(
        app,
        endpoint,
        form,
        cookie,
        &[(header::ORIGIN, app.address.clone())],
    )
    .await
}

async fn call_from(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
    headers: &[(header::HeaderName, String)],
) -> reqwest::Response {
    let mut request = app
        .http
        .post(format!("{}/api/{endpoint}", app.address))
        .form(form);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let Some(token) = cookie {
        request = request.header(
            header::COOKIE,
            format!("theme=dark; retour_session={token}"),
        );
    }
    request.send().await.expect("sent")
}

async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// The session token a `Set-Cookie` header carries.
fn session_token_of(response: &reqwest::Response) -> String {
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .expect("a cookie is set")
        .to_str()
        .unwrap();
    app::server_fns::cookie_value(cookie, "retour_session")
        .expect("the session cookie")
        .to_owned()
}

async fn login(app: &TestApp, (email, password): (&str, &str)) -> String {
    let response = call(
        app,
        "merchant_login",
        &[("email", email), ("password", password)],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    session_token_of(&response)
}

async fn current(app: &TestApp, token: &str) -> Value {
    let (status, body) = json_of(call(app, "current_merchant", &[], Some(token)).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn login_answer(app: &TestApp, email: &str, password: &str) -> (StatusCode, Value) {
    json_of(
        call(
            app,
            "merchant_login",
            &[("email", email), ("password", password)],
            None,
        )
        .await,
    )
    .await
}

/// How long a refused sign-in with this email takes.
async fn timed_login(app: &TestApp, email: &str) -> Duration {
    let started = Instant::now();
    let result = accounts::login(
        &app.state,
        email,
        "not the password",
        "timing-client",
        now(),
    )
    .await;
    assert!(
        matches!(result, Err(ServiceError::Unauthorized)),
        "{result:?}"
    );
    started.elapsed()
}

async fn the_demo_owner_signs_in_and_gets_a_session_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = call(
        &app,
        "merchant_login",
        &[("email", " Owner@Demo.TEST "), ("password", OWNER.1)],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token = session_token_of(&response);
    assert_eq!(
        cookie,
        format!("retour_session={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600; Secure")
    );
    assert_eq!(token.len(), 43);
    let view = json!({ "email": "owner@demo.test", "role": "Owner", "shop_slug": "demo", "shop_name": "Maison Démo" });
    assert_eq!(response.json::<Value>().await.unwrap(), view);
    assert_eq!(current(&app, &token).await, view);
    assert_eq!(
        current(&app, "").await,
        Value::Null,
        "no session, nobody signed in"
    );

    let staff = login(&app, STAFF).await;
    assert_eq!(current(&app, &staff).await["role"], "Staff");
    let merchant = accounts::merchant_from_session(&app.state, &staff, now())
        .await
        .unwrap();
    assert_eq!(
        (
            merchant.shop_id.as_str(),
            merchant.email.as_str(),
            merchant.role
        ),
        ("shop_demo", "staff@demo.test", Role::Staff)
    );
}

async fn a_wrong_email_and_a_wrong_password_get_the_same_answer_after_the_same_work(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let wrong_password = login_answer(&app, OWNER.0, "demo-owner-pasS").await;
    assert_eq!(
        wrong_password,
        (StatusCode::UNAUTHORIZED, json!("Unauthorized"))
    );
    assert_eq!(
        login_answer(&app, "nobody@demo.test", OWNER.1).await,
        wrong_password
    );
    assert_eq!(
        login_answer(&app, "not an email", OWNER.1).await,
        wrong_password
    );
    assert_eq!(login_answer(&app, OWNER.0, "").await, wrong_password);

    // An unknown email is checked against a dummy hash: no quick "no such user".
    let (mut known, mut unknown) = (Duration::MAX, Duration::MAX);
    for _ in 0..2 {
        known = known.min(timed_login(&app, OWNER.0).await);
        unknown = unknown.min(timed_login(&app, "nobody@demo.test").await);
    }
    assert!(
        unknown * 2 > known && known * 2 > unknown,
        "known {known:?}, unknown {unknown:?}"
    );
}

async fn the_database_holds_neither_passwords_nor_session_tokens(backend: Backend) {
    let app = spawn_app(backend).await;
    let password = "a long and secret passphrase";
    accounts::create_user(
        &app.state,
        "shop_demo",
        "Claire@Demo.test",
        password,
        Role::Staff,
        now(),
    )
    .await
    .unwrap();
    let token = login(&app, ("claire@demo.test", password)).await;

    let users = sqlx::query("SELECT id, shop_id, email, password_hash, role FROM merchant_users")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let sessions = sqlx::query("SELECT token_hash, user_id FROM merchant_sessions")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let mut stored = Vec::new();
    for row in users.iter().chain(&sessions) {
        for column in 0..row.len() {
            stored.push(row.try_get::<String, _>(column).unwrap());
        }
    }
    assert!(
        stored
            .iter()
            .all(|value| !value.contains(password) && !value.contains(&token)),
        "{stored:?}"
    );
    let claire = users
        .iter()
        .find(|row| row.get::<String, _>("email") == "claire@demo.test")
        .expect("stored lower-cased");
    assert!(claire
        .get::<String, _>("password_hash")
        .starts_with("$argon2id$"));
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].get::<String, _>("token_hash"),
        accounts::session_token_hash(&token)
    );
}

async fn an_expired_session_is_refused_and_later_forgotten(backend: Backend) {
    let app = spawn_app(backend).await;
    let fifteen_days_ago = now() - 15 * 24 * 3600;
    let (token, _) = accounts::login(&app.state, OWNER.0, OWNER.1, "client", fifteen_days_ago)
        .await
        .unwrap();
    assert!(
        accounts::merchant_from_session(&app.state, &token, fifteen_days_ago + 3600)
            .await
            .is_ok()
    );
    assert!(matches!(
        accounts::merchant_from_session(&app.state, &token, now()).await,
        Err(ServiceError::Unauthorized)
    ));
    assert_eq!(current(&app, &token).await, Value::Null);

    // The next sign-in clears sessions that can no longer be used.
    let live = login(&app, OWNER).await;
    let hashes: Vec<String> = sqlx::query("SELECT token_hash FROM merchant_sessions")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(hashes, [accounts::session_token_hash(&live)]);
}

async fn signing_out_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = login(&app, OWNER).await;
    let other_device = login(&app, OWNER).await;
    let response = call(&app, "merchant_logout", &[], Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cleared = response
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cleared.starts_with("retour_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(current(&app, &token).await, Value::Null);
    assert!(matches!(
        accounts::merchant_from_session(&app.state, &token, now()).await,
        Err(ServiceError::Unauthorized)
    ));
    assert_eq!(
        current(&app, &other_device).await["email"],
        "owner@demo.test",
        "only this session ends"
    );
    // Signing out again, or without a session, is harmless.
    assert_eq!(
        call(&app, "merchant_logout", &[], Some(&token))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&app, "merchant_logout", &[], None).await.status(),
        StatusCode::OK
    );
}

async fn repeated_failures_for_one_email_from_one_client_are_slowed_down(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..5 {
        let result =
            accounts::login(&app.state, OWNER.0, "wrong password", "203.0.113.7", now()).await;
        assert!(
            matches!(result, Err(ServiceError::Unauthorized)),
            "{result:?}"
        );
    }
    let result = accounts::login(&app.state, OWNER.0, OWNER.1, "203.0.113.7", now()).await;
    assert!(
        matches!(result, Err(ServiceError::TooManyAttempts { retry_after_secs }) if retry_after_secs > 0),
        "even the right password waits: {result:?}"
    );
    assert!(
        accounts::login(&app.state, OWNER.0, OWNER.1, "198.51.100.1", now())
            .await
            .is_ok(),
        "another client is not affected"
    );
    assert!(
        accounts::login(&app.state, STAFF.0, STAFF.1, "203.0.113.7", now())
            .await
            .is_ok(),
        "nor another email"
    );

    // Over HTTP, the answer says how long to wait.
    for _ in 0..5 {
        call(
            &app,
            "merchant_login",
            &[("email", STAFF.0), ("password", "wrong password")],
            None,
        )
        .await;
    }
    let (status, body) = json_of(
        call(
            &app,
            "merchant_login",
            &[("email", STAFF.0), ("password", STAFF.1)],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(
        body["TooManyAttempts"]["retry_after_secs"]
            .as_u64()
            .unwrap()
            > 0
    );
}

async fn a_shopper_order_token_is_not_a_merchant_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let (order_token, _) = app.token("1001", "camille@example.fr").await;
    assert!(matches!(
        accounts::merchant_from_session(&app.state, &order_token, now()).await,
        Err(ServiceError::Unauthorized)
    ));
    assert_eq!(current(&app, &order_token).await, Value::Null);
    for forged in ["", "x", &"A".repeat(43), &"A".repeat(10_000)] {
        assert!(
            matches!(
                accounts::merchant_from_session(&app.state, forged, now()).await,
                Err(ServiceError::Unauthorized)
            ),
            "{forged:?}"
        );
    }
    // Nor is the stored hash of a real session.
    let token = login(&app, OWNER).await;
    assert_eq!(
        current(&app, &accounts::session_token_hash(&token)).await,
        Value::Null
    );
}

async fn creating_a_user_refuses_a_taken_email_a_short_password_and_an_unknown_shop(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let create = |email: &'static str, password: &'static str, shop: &'static str| {
        accounts::create_user(&app.state, shop, email, password, Role::Staff, now())
    };
    let overlong = "p".repeat(257);
    assert!(matches!(
        create(" OWNER@demo.test", "long enough password", "shop_demo").await,
        Err(ServiceError::Invalid("account.email_taken"))
    ));
    assert!(matches!(
        create("new@demo.test", "too short", "shop_demo").await,
        Err(ServiceError::Invalid("account.password_too_short"))
    ));
    assert!(matches!(
        accounts::create_user(
            &app.state,
            "shop_demo",
            "new@demo.test",
            &overlong,
            Role::Staff,
            now()
        )
        .await,
        Err(ServiceError::Invalid("account.password_too_long"))
    ));
    assert!(matches!(
        create("not an email", "long enough password", "shop_demo").await,
        Err(ServiceError::Domain(DomainError::EmailInvalid))
    ));
    assert!(matches!(
        create("new@demo.test", "long enough password", "shop_nowhere").await,
        Err(ServiceError::NotFound)
    ));

    let merchant = create(" New@Demo.test ", "long enough password", "shop_demo")
        .await
        .unwrap();
    assert_eq!(
        (
            merchant.email.as_str(),
            merchant.shop_id.as_str(),
            merchant.role
        ),
        ("new@demo.test", "shop_demo", Role::Staff)
    );
    assert!(matches!(
        create("new@demo.test", "another long password", "shop_demo").await,
        Err(ServiceError::Invalid("account.email_taken"))
    ));
    let (_, signed_in) = accounts::login(
        &app.state,
        "new@demo.test",
        "long enough password",
        "client",
        now(),
    )
    .await
    .unwrap();
    assert_eq!(signed_in, merchant);
}

async fn a_call_from_another_origin_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let form = [("email", OWNER.0), ("password", OWNER.1)];
    let forbidden = (StatusCode::FORBIDDEN, json!("Forbidden"));
    assert_eq!(
        json_of(call_from(&app, "merchant_login", &form, None, &[]).await).await,
        forbidden,
        "neither Origin nor Referer"
    );
    let evil = [(header::ORIGIN, "https://evil.example".to_owned())];
    assert_eq!(
        json_of(call_from(&app, "merchant_login", &form, None, &evil).await).await,
        forbidden
    );
    let look_alike = [(header::ORIGIN, format!("{}.evil.example", app.address))];
    assert_eq!(
        json_of(call_from(&app, "merchant_login", &form, None, &look_alike).await).await,
        forbidden
    );
    // Origin wins over a Referer that would pass.
    let both = [
        (header::ORIGIN, "null".to_owned()),
        (header::REFERER, format!("{}/admin", app.address)),
    ];
    assert_eq!(
        json_of(call_from(&app, "merchant_login", &form, None, &both).await).await,
        forbidden
    );

    let referer = [(
        header::REFERER,
        format!("{}/admin/login?next=%2Fadmin", app.address),
    )];
    let response = call_from(&app, "merchant_login", &form, None, &referer).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "without Origin, the Referer is checked"
    );
    let token = session_token_of(&response);

    // A session cookie does not make a cross-site change acceptable.
    assert_eq!(
        json_of(call_from(&app, "merchant_logout", &[], Some(&token), &evil).await).await,
        forbidden
    );
    assert_eq!(
        current(&app, &token).await["email"],
        "owner@demo.test",
        "the session survived"
    );
}

async fn a_shop_and_its_first_owner_are_created_together_or_not_at_all(backend: Backend) {
    let app = spawn_app(backend).await;
    let (shop, owner) = accounts::create_shop(
        &app.state,
        " Boutique-Two ",
        " Boutique Two ",
        "Founder@Two.test",
        "founder password",
        now(),
    )
    .await
    .unwrap();
    assert_eq!(
        (shop.slug.as_str(), shop.name.as_str()),
        ("boutique-two", "Boutique Two")
    );
    assert_eq!(
        (owner.shop_id.as_str(), owner.email.as_str(), owner.role),
        (shop.id.as_str(), "founder@two.test", Role::Owner)
    );
    let stored = app::store::shops::find_shop_by_slug(&app.state.db, "boutique-two")
        .await
        .unwrap()
        .expect("shop stored");
    assert_eq!(
        (
            stored.return_window_days,
            stored.languages.len(),
            stored.reasons.len()
        ),
        (30, 4, 7)
    );
    assert!(stored.allowed_origins.is_empty());
    let (_, signed_in) = accounts::login(
        &app.state,
        "founder@two.test",
        "founder password",
        "client",
        now(),
    )
    .await
    .unwrap();
    assert_eq!(signed_in, owner);
    assert_eq!(
        app.get("/boutique-two").await.status(),
        StatusCode::OK,
        "the portal is there"
    );

    let refused = |slug: &'static str, email: &'static str| {
        accounts::create_shop(&app.state, slug, "Name", email, "founder password", now())
    };
    assert!(matches!(
        refused("boutique-two", "other@two.test").await,
        Err(ServiceError::Invalid("shop.slug_taken"))
    ));
    for reserved in ["admin", "api", "pkg", "photos", "healthz", "favicon.svg"] {
        assert!(
            matches!(
                refused(reserved, "other@two.test").await,
                Err(ServiceError::Invalid("shop.slug_reserved"))
            ),
            "{reserved}"
        );
    }
    assert!(matches!(
        refused("boutique three", "other@two.test").await,
        Err(ServiceError::Invalid("shop.slug_invalid"))
    ));
    // The owner's email is taken: the shop is not created either.
    assert!(matches!(
        refused("boutique-three", "founder@two.test").await,
        Err(ServiceError::Invalid("account.email_taken"))
    ));
    assert!(
        app::store::shops::find_shop_by_slug(&app.state.db, "boutique-three")
            .await
            .unwrap()
            .is_none()
    );
}

async fn the_demo_seed_adds_its_merchants_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let today = time::OffsetDateTime::now_utc();
    assert!(
        !app::services::demo::seed_demo(&app.state.db, today.date(), now())
            .await
            .unwrap(),
        "already seeded"
    );
    let count: i64 = sqlx::query("SELECT COUNT(*) FROM merchant_users")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, 2);
    for (email, password) in [OWNER, STAFF] {
        assert!(
            accounts::login(&app.state, email, password, "client", now())
                .await
                .is_ok(),
            "{email}"
        );
    }
}

/// `server create-shop` on a fresh install, the password on standard input.
#[test]
fn the_create_shop_command_sets_up_a_fresh_install() {
    use std::{
        io::Write,
        process::{Command, Stdio},
    };
    let data_dir = tempfile::tempdir().unwrap();
    let command = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .args(args)
            .env("RETOUR_DATA_DIR", data_dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("RETOUR_OWNER_PASSWORD")
            .env("RUST_LOG", "warn");
        command
    };
    let create = [
        "create-shop",
        "--slug",
        "atelier",
        "--name",
        "L'Atelier",
        "--owner-email",
        "Marie@Atelier.test",
    ];
    let mut child = command(&create)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"marie's long password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("marie@atelier.test"));

    let again = command(&create)
        .env("RETOUR_OWNER_PASSWORD", "marie's long password")
        .output()
        .unwrap();
    assert!(!again.status.success(), "the slug is taken now");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("shop.slug_taken"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = app::store::connect(&format!(
            "sqlite:{}",
            data_dir.path().join("retour.db").display()
        ))
        .await
        .unwrap();
        let email = app::domain::EmailAddress::parse("marie@atelier.test").unwrap();
        let user = app::store::accounts::find_user_by_email(&db, &email)
            .await
            .unwrap()
            .expect("owner created");
        assert_eq!(user.merchant.role, Role::Owner);
        assert!(accounts::password_matches(
            "marie's long password",
            &user.password_hash
        ));
        let shop = app::store::shops::find_shop_by_id(&db, &user.merchant.shop_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (shop.slug.as_str(), shop.name.as_str()),
            ("atelier", "L'Atelier")
        );
    });

    let help = command(&["--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for variable in [
        "RETOUR_ADDR",
        "DATABASE_URL",
        "RETOUR_DATA_DIR",
        "RETOUR_SECRET_KEY",
        "RETOUR_DEMO",
        "RETOUR_INSECURE_COOKIES",
        "LEPTOS_SITE_ROOT",
        "create-shop",
    ] {
        assert!(help.contains(variable), "--help names {variable}:\n{help}");
    }
    let help = command(&["create-shop", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("RETOUR_OWNER_PASSWORD"));
}
