//! All SQL lives here: one module per table group, `$n` placeholders that both SQLite and
//! PostgreSQL accept, and only TEXT and BIGINT columns so `AnyPool` decodes both alike.

pub mod accounts;
pub mod api;
pub mod backoffice;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod photos;
pub mod privacy;
pub mod returns;
pub mod rules;
pub mod shops;
pub mod webhooks;
pub mod withdrawals;

use sqlx::{any::AnyPoolOptions, AnyPool, Executor};
use std::time::Duration;

pub type Db = AnyPool;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects to `sqlite:…` or `postgres://…`, creating a SQLite file when missing, and
/// brings the schema up to date.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let is_sqlite = url.starts_with("sqlite:");
    let url = if is_sqlite && !url.contains("mode=") {
        format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
    } else {
        url.to_owned()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(if is_sqlite { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if is_sqlite {
                    // WAL lets readers work while a submission writes; busy_timeout makes a
                    // second writer wait instead of failing.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
