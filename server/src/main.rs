use anyhow::Context;
use clap::Parser;
use server::{config::Config, startup};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))).init();
    let config = Config::parse();
    let state = startup::build_state(&config).await?;
    if config.demo {
        let now = time::OffsetDateTime::now_utc();
        let created = app::services::demo::seed_demo(&state.db, now.date(), now.unix_timestamp()).await.context("seeding the demo shop")?;
        tracing::info!(created, "demo shop ready");
    }
    let router = startup::router(state, startup::leptos_options(&config.site_root));
    let application = startup::Application::bind(config.addr, router).await?;
    let url = format!("http://{}:{}/demo", config.addr.ip(), application.port());
    tracing::info!(%url, "Retour is listening");
    if config.demo {
        println!("\n  Retour is running: open {url}\n");
    }
    application.run_until_stopped().await.context("serving")
}
