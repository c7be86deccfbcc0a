//! Services: open a transaction, ask the domain, write through the store, commit.
//! Server functions and the HTTP API call these and nothing below them.

pub mod accounts;
pub mod api;
pub mod backoffice;
pub mod demo;
pub mod keys;
pub mod labels;
pub mod lookup;
pub mod mail;
pub mod message_texts;
pub mod order_import;
pub mod payments;
pub mod photos;
pub mod privacy;
pub mod rate_limit;
pub mod rules;
pub mod settings;
pub mod status;
pub mod storage;
pub mod submit;
pub mod webhooks;
pub mod withdrawal;

use std::sync::Arc;
use tokio::sync::Semaphore;

use crate::{
    domain::{submission::Refusal, DomainError},
    photo::PhotoLimits,
    store::Db,
};

/// Everything a request needs, cloned into each one (all fields are cheap handles).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: Arc<keys::Keys>,
    pub photos: Arc<dyn storage::PhotoStorage>,
    pub lookup_limiter: Arc<rate_limit::AttemptLimiter>,
    /// Failed merchant sign-ins, per email and client.
    pub login_limiter: Arc<rate_limit::AttemptLimiter>,
    /// Decoded photos are large: at most this many are in memory at once, the rest wait.
    pub photo_slots: Arc<Semaphore>,
    pub photo_limits: PhotoLimits,
    /// Session cookies carry `Secure`; off only for local development over plain http.
    pub secure_cookies: bool,
    /// Shopper emails: queued with each change, sent by `mail::run_worker`.
    pub mailer: Arc<mail::Mailer>,
    /// Where shoppers reach the portal, e.g. `https://returns.example.com`: links in emails.
    pub public_url: Arc<str>,
    /// Who collects return fees.
    pub payments: Arc<payments::PaymentGateway>,
    /// How long a request may wait for its fee before it expires.
    pub payment_expiry_secs: i64,
}

impl AppState {
    pub fn new(db: Db, keys: keys::Keys, photos: Arc<dyn storage::PhotoStorage>) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            db,
            keys: Arc::new(keys),
            photos,
            lookup_limiter: Arc::new(rate_limit::AttemptLimiter::new(rate_limit::LOOKUP_POLICY)),
            login_limiter: Arc::new(rate_limit::AttemptLimiter::new(accounts::LOGIN_POLICY)),
            photo_slots: Arc::new(Semaphore::new(cores)),
            photo_limits: PhotoLimits::default(),
            secure_cookies: true,
            mailer: Arc::new(
                mail::Mailer::directory("outbox", mail::DEFAULT_FROM)
                    .expect("the default sender parses"),
            ),
            public_url: Arc::from("http://127.0.0.1:3000"),
            payments: Arc::new(payments::PaymentGateway::Unconfigured),
            payment_expiry_secs: 3600,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    /// One answer for a wrong number, a wrong email or both.
    #[error("no order matches this number and email")]
    OrderNotFound,
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("the order token is missing, forged or expired")]
    SessionExpired,
    /// No valid merchant session (signed out, expired, or a shopper token).
    #[error("sign in to the back-office")]
    Unauthorized,
    /// Signed in, but this user may not do that (a staff user changing settings, a
    /// state-changing call from another origin).
    #[error("not allowed")]
    Forbidden,
    /// Someone else changed the request since it was loaded (optimistic version check).
    #[error("the return request was changed by someone else")]
    Conflict,
    #[error("the shop does not take returns online")]
    ReturnsDisabled,
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// A return rule refuses item `item` of the request; `message` is in the shopper's language.
    #[error("item {item} refused by a return rule")]
    RefusedByRule { item: usize, message: String },
    /// A rule from the editor or the API that cannot be saved.
    #[error("rule: {0}")]
    Rule(crate::domain::rules::RuleError),
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A merchant's email text that cannot be saved.
    #[error("email text: {0}")]
    Template(#[from] crate::domain::message::TemplateError),
    /// A fee is owed but no payment provider can take it now.
    #[error("the payment provider is not available")]
    PaymentUnavailable,
    /// A withdrawal statement that cannot be accepted (period over, excluded line…).
    #[error("withdrawal: {0}")]
    Withdrawal(#[from] crate::domain::withdrawal::WithdrawalError),
    /// An order pushed in by the shop that cannot be taken as sent.
    #[error("order: {0}")]
    OrderSync(#[from] crate::domain::order_sync::OrderSyncError),
    #[error("photo refused: {0}")]
    Photo(&'static str),
    /// Bad input to a back-office call or command; the message key says what.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    /// Something that cannot fail did (a worker thread lost); the text says what.
    #[error("internal: {0}")]
    Internal(&'static str),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("storage: {0}")]
    Storage(#[from] std::io::Error),
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// ULIDs from one monotonic generator: ids made in order sort in order, even within one
/// millisecond (the status history relies on it as its tie-break).
pub fn new_id() -> String {
    static GENERATOR: std::sync::Mutex<ulid::Generator> =
        std::sync::Mutex::new(ulid::Generator::new());
    let next = GENERATOR
        .lock()
        .map_err(|_| ())
        .and_then(|mut generator| generator.generate().map_err(|_| ()));
    next.unwrap_or_else(|_| ulid::Ulid::new()).to_string()
}
