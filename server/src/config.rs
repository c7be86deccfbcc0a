//! Configuration, read once from the command line and the environment.

use clap::Parser;
use std::{net::SocketAddr, path::PathBuf};

/// Retour: a self-hostable customer return portal.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "RETOUR_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: `sqlite:<file>` (the embedded default) or `postgres://…`.
    /// Defaults to `sqlite:<data dir>/retour.db`, created on first start.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Directory for the SQLite database, photos and the generated secret key.
    #[arg(long, env = "RETOUR_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Secret for signing order tokens and links, hex, at least 32 bytes. Generated and
    /// stored in `<data dir>/secret.key` on first start when not given.
    #[arg(long, env = "RETOUR_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Create the demo shop and its orders if they do not exist.
    #[arg(long, env = "RETOUR_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Directory of the built site (WASM, CSS, assets), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("retour.db").display()))
    }
}
