//! Configuration, read once from the command line and the environment.

use clap::{Args, Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf};

/// Retour: a self-hostable customer return portal.
///
/// Without a command, serves the portal and the back-office.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct Config {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on.
    #[arg(long, env = "RETOUR_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: `sqlite:<file>` (the embedded default) or `postgres://…`.
    /// Defaults to `sqlite:<data dir>/retour.db`, created on first start.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory for the SQLite database, photos and the generated secret key.
    #[arg(long, env = "RETOUR_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Secret for signing order tokens and links, hex, at least 32 bytes. Generated and
    /// stored in `<data dir>/secret.key` on first start when not given.
    #[arg(long, env = "RETOUR_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,

    /// Create the demo shop and its orders if they do not exist.
    #[arg(long, env = "RETOUR_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Send the session cookie without `Secure`, so that signing in works over plain http.
    /// For local development only (`scripts/demo`, the browser tests).
    #[arg(long, env = "RETOUR_INSECURE_COOKIES", default_value_t = false)]
    pub insecure_cookies: bool,

    /// Where shoppers reach the portal, for the links in emails, e.g.
    /// `https://returns.example.com`. Defaults to `http://<addr>`.
    #[arg(long, env = "RETOUR_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// SMTP server for shopper emails: `smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587?tls=required`, or `smtp://127.0.0.1:25` for a local relay.
    /// Without it, each email is written as an `.eml` file in `<data dir>/outbox`.
    #[arg(long, env = "RETOUR_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender address of shopper emails; the shop's name is shown with it.
    #[arg(long, env = "RETOUR_MAIL_FROM", default_value = app::services::mail::DEFAULT_FROM)]
    pub mail_from: String,

    /// Seconds before the first retry of an email that could not be sent; each next retry
    /// waits twice as long, at most an hour.
    #[arg(long, env = "RETOUR_MAIL_RETRY_SECS", default_value_t = 30)]
    pub mail_retry_secs: i64,

    /// Stripe's secret API key (`sk_live_…` / `sk_test_…`): return fees are paid through
    /// Stripe Checkout. Needs RETOUR_STRIPE_WEBHOOK_SECRET too.
    #[arg(long, env = "RETOUR_STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<String>,

    /// The signing secret (`whsec_…`) of the webhook endpoint `<public url>/webhooks/stripe`.
    #[arg(long, env = "RETOUR_STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<String>,

    /// Stripe's API address; only tests change it.
    #[arg(
        long,
        env = "RETOUR_STRIPE_API_BASE",
        default_value = "https://api.stripe.com"
    )]
    pub stripe_api_base: String,

    /// Take return fees with the built-in test checkout (no money moves). On with --demo
    /// when Stripe is not configured.
    #[arg(long, env = "RETOUR_TEST_PAYMENTS", default_value_t = false)]
    pub test_payments: bool,

    /// Minutes a request waits for its return fee before it expires.
    #[arg(long, env = "RETOUR_PAYMENT_EXPIRY_MINUTES", default_value_t = 60)]
    pub payment_expiry_minutes: i64,

    /// Directory of the built site (WASM, CSS, assets), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Create a shop and its first owner, then exit. The owner's password comes from
    /// RETOUR_OWNER_PASSWORD or, when that is not set, from the first line of standard input.
    CreateShop(CreateShop),
    /// Make an API key for a shop and print it, then exit: for provisioning without the
    /// back-office. The key is printed once; only its hash is stored.
    CreateApiKey(CreateApiKey),
}

#[derive(Debug, Clone, Args)]
pub struct CreateApiKey {
    /// The shop's slug.
    #[arg(long)]
    pub shop: String,

    /// What the key is for, as the back-office lists it.
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Clone, Args)]
pub struct CreateShop {
    /// The shop's address in the portal: lower case letters, digits and dashes.
    #[arg(long)]
    pub slug: String,

    /// The shop's name, as shoppers see it.
    #[arg(long)]
    pub name: String,

    /// The first owner's email address, used to sign in to the back-office.
    #[arg(long)]
    pub owner_email: String,

    /// The first owner's password (10 to 256 characters). Prefer the variable or standard
    /// input to the flag, which other users of the machine can see.
    #[arg(long, env = "RETOUR_OWNER_PASSWORD", hide_env_values = true)]
    pub owner_password: Option<String>,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("retour.db").display()))
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_command_the_server_serves_as_before() {
        let config = Config::try_parse_from([
            "server",
            "--demo",
            "--addr",
            "127.0.0.1:3100",
            "--insecure-cookies",
        ])
        .unwrap();
        assert!(config.command.is_none());
        assert!(config.demo && config.insecure_cookies);
        assert_eq!(config.addr.port(), 3100);
    }

    #[test]
    fn create_shop_takes_its_arguments_and_the_global_ones_on_either_side() {
        let config = Config::try_parse_from([
            "server",
            "--data-dir",
            "/srv/retour",
            "create-shop",
            "--slug",
            "atelier",
            "--name",
            "L'Atelier",
            "--owner-email",
            "marie@atelier.test",
            "--database-url",
            "sqlite:/tmp/x.db",
        ])
        .unwrap();
        let Some(Command::CreateShop(command)) = &config.command else {
            panic!("create-shop expected")
        };
        assert_eq!(
            (
                command.slug.as_str(),
                command.name.as_str(),
                command.owner_email.as_str()
            ),
            ("atelier", "L'Atelier", "marie@atelier.test")
        );
        assert_eq!(config.data_dir, PathBuf::from("/srv/retour"));
        assert_eq!(config.database_url(), "sqlite:/tmp/x.db");
        assert!(
            Config::try_parse_from(["server", "create-shop", "--slug", "atelier"]).is_err(),
            "name and owner are required"
        );
    }
}
