use anyhow::Context;
use clap::Parser;
use server::{
    config::{Command, Config, CreateApiKey, CreateShop},
    startup,
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = Config::parse();
    match &config.command {
        None => serve(&config).await,
        Some(Command::CreateShop(command)) => create_shop(&config, command).await,
        Some(Command::CreateApiKey(command)) => create_api_key(&config, command).await,
    }
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let mut state = startup::build_state(config).await?;
    state.secure_cookies = !config.insecure_cookies;
    if config.demo {
        let now = time::OffsetDateTime::now_utc();
        let created = app::services::demo::seed_demo(&state.db, now.date(), now.unix_timestamp())
            .await
            .context("seeding the demo shop")?;
        tracing::info!(created, "demo shop ready");
    }
    startup::spawn_workers(&state);
    tracing::info!(emails = %state.mailer.describe(), public_url = %state.public_url, "shopper emails");
    let router = startup::router(state, startup::leptos_options(&config.site_root));
    let application = startup::Application::bind(config.addr, router).await?;
    let url = format!("http://{}:{}/demo", config.addr.ip(), application.port());
    tracing::info!(%url, "Retour is listening");
    if config.demo {
        println!("\n  Retour is running: open {url}\n");
    }
    application.run_until_stopped().await.context("serving")
}

async fn create_shop(config: &Config, command: &CreateShop) -> anyhow::Result<()> {
    let password = match &command.owner_password {
        Some(password) => password.clone(),
        None => {
            eprintln!(
                "Password for {} (10 to 256 characters), then Enter:",
                command.owner_email
            );
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the owner's password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let state = startup::build_state(config).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let (shop, owner) = app::services::accounts::create_shop(
        &state,
        &command.slug,
        &command.name,
        &command.owner_email,
        &password,
        now,
    )
    .await
    .context("creating the shop and its owner")?;
    tracing::info!(shop.id = %shop.id, shop.slug = %shop.slug, "shop created");
    println!(
        "Created the shop {} at /{} with its owner {}.",
        shop.name, shop.slug, owner.email
    );
    Ok(())
}

async fn create_api_key(config: &Config, command: &CreateApiKey) -> anyhow::Result<()> {
    let state = startup::build_state(config).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let made = app::services::api::create_key_for_shop(
        &state,
        &command.shop,
        &command.name,
        "command line",
        now,
    )
    .await
    .context("making the API key")?;
    // Alone on standard output, so that scripts can take it.
    println!("{}", made.secret);
    Ok(())
}
