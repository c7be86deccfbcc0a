//! Builds the application from its parts, so `main` and the tests start the same thing.

use anyhow::Context;
use app::{
    services::{
        keys::Keys,
        mail::{self, Mailer},
        payments::{self, stripe::StripeGateway, PaymentGateway},
        storage::LocalDirStorage,
        AppState,
    },
    shell, App,
};
use axum::{
    extract::DefaultBodyLimit,
    middleware,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::{net::SocketAddr, path::Path, sync::Arc};
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, services::ServeFile};

use crate::{config::Config, routes};

/// Photos are at most 15 MB; the multipart envelope adds a little.
const BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

pub fn leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("retour")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .build()
}

/// The secret from the configuration, else the one stored in the data directory, else a
/// new one written there (readable by the owner only).
pub fn load_or_create_secret(config_secret: Option<&str>, data_dir: &Path) -> anyhow::Result<Keys> {
    let from_hex = |text: &str| hex::decode(text.trim()).context("RETOUR_SECRET_KEY must be hex");
    let secret = match config_secret {
        Some(text) => from_hex(text)?,
        None => {
            let path = data_dir.join("secret.key");
            match std::fs::read_to_string(&path) {
                Ok(text) => from_hex(&text)?,
                Err(_) => {
                    let secret: [u8; 32] = rand::random();
                    std::fs::write(&path, hex::encode(secret))
                        .with_context(|| format!("writing {}", path.display()))?;
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
                    }
                    secret.to_vec()
                }
            }
        }
    };
    Keys::new(secret).context("the secret key must be at least 32 bytes (64 hex digits)")
}

pub async fn build_state(config: &Config) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating {}", config.data_dir.display()))?;
    let db = app::store::connect(&config.database_url())
        .await
        .context("connecting to the database and migrating it")?;
    let keys = load_or_create_secret(config.secret_key.as_deref(), &config.data_dir)?;
    let photos = Arc::new(LocalDirStorage::new(config.data_dir.join("photos")));
    let mailer = match &config.smtp_url {
        Some(url) => Mailer::smtp(url, &config.mail_from),
        None => Mailer::directory(config.data_dir.join("outbox"), &config.mail_from),
    }
    .map_err(anyhow::Error::msg)?
    .with_retry_base(config.mail_retry_secs);
    let mut state = AppState::new(db, keys, photos);
    state.mailer = Arc::new(mailer);
    state.public_url = Arc::from(config.public_url());
    state.payments = Arc::new(payment_gateway(config)?);
    state.payment_expiry_secs = config.payment_expiry_minutes.max(1) * 60;
    Ok(state)
}

/// Stripe when configured; the test checkout when asked for (or in the demo); else none.
fn payment_gateway(config: &Config) -> anyhow::Result<PaymentGateway> {
    match (&config.stripe_secret_key, &config.stripe_webhook_secret) {
        (Some(key), Some(secret)) => Ok(PaymentGateway::Stripe(StripeGateway::new(
            key,
            secret,
            &config.stripe_api_base,
        ))),
        (Some(_), None) | (None, Some(_)) => {
            anyhow::bail!(
                "Stripe needs both RETOUR_STRIPE_SECRET_KEY and RETOUR_STRIPE_WEBHOOK_SECRET"
            )
        }
        (None, None) if config.test_payments || config.demo => Ok(PaymentGateway::Test),
        (None, None) => Ok(PaymentGateway::Unconfigured),
    }
}

/// The background work of a running server: sending shopper emails and webhooks, expiring
/// unpaid requests, retrying fee refunds, and deleting photos and comments past their retention.
pub fn spawn_workers(state: &AppState) {
    tokio::spawn(mail::run_worker(state.clone(), EMAIL_POLL));
    tokio::spawn(payments::run_worker(state.clone()));
    tokio::spawn(app::services::webhooks::run_worker(
        state.clone(),
        std::time::Duration::from_secs(2),
    ));
    tokio::spawn(app::services::privacy::run_worker(
        state.clone(),
        std::time::Duration::from_secs(3600),
    ));
}

/// How often the email worker looks for due retries when nothing woke it.
const EMAIL_POLL: std::time::Duration = std::time::Duration::from_secs(5);

pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    Router::new()
        .route(
            "/photos/{id}/{variant}",
            get(routes::photo).with_state(state.clone()),
        )
        .route("/healthz", get(|| async { "ok" }))
        .nest_service("/api/v1", crate::api::v1::router(state.clone()))
        .route(
            "/{shop}/label/{reference}",
            get(routes::label).with_state(state.clone()),
        )
        .route(
            "/{shop}/withdrawal/{reference}/receipt.txt",
            get(routes::withdrawal_receipt).with_state(state.clone()),
        )
        .route(
            "/webhooks/stripe",
            post(routes::stripe_webhook).with_state(state.clone()),
        )
        // Top-level files would otherwise be taken for a shop's slug by `/{shop}`.
        .route_service(
            "/favicon.svg",
            ServeFile::new(format!("{}/favicon.svg", options.site_root)),
        )
        // The script shops put beside the portal's iframe (see public/embed.js).
        .route_service(
            "/embed.js",
            ServeFile::new(format!("{}/embed.js", options.site_root)),
        )
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(middleware::from_fn_with_state(state, routes::frame_policy))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        // The WASM is a megabyte raw and a third of that in brotli: phones feel the difference.
        .layer(CompressionLayer::new())
        .with_state(options)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn bind(addr: SocketAddr, router: Router) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        Ok(Application { listener, router })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Connect info gives the look-up limit the client's address.
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
