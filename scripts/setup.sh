# Installs what a fresh machine lacks, skipping what is already there. Sourced by
# scripts/demo and scripts/test. Everything comes from crates.io, npm and Debian's
# packages: nothing is downloaded from GitHub or a CDN (see README, "Toolchain").
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

# One build cache outside the clone, so fresh clones (CI) do not rebuild every dependency.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/retour/target}"
SCHEMATHESIS_VERSION=4.32.5
export PATH="$HOME/.cargo/bin:$REPO_ROOT/tools/node_modules/.bin:$REPO_ROOT/end2end/node_modules/.bin:$PATH"

# Our own crates are rebuilt for each clone (their paths differ), so their old copies only
# pile up in the shared cache: tens of GB after a day of CI runs filled this disk once.
# Dependencies are kept; our artifacts and incremental state untouched for a day go.
prune_build_cache() {
    [ -d "$CARGO_TARGET_DIR" ] || return 0
    # Below 20 GB free, every build of our own crates goes (they are rebuilt in minutes);
    # the dependencies stay.
    local free_kb
    free_kb=$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 {print $4}')
    if [ "${free_kb:-0}" -lt $((20 * 1024 * 1024)) ]; then
        find "$CARGO_TARGET_DIR" -path '*/deps/*' -type f \( -name 'libapp-*' -o -name 'app-*' -o -name 'libserver-*' \
            -o -name 'server-*' -o -name 'portal-*' -o -name 'libfrontend-*' -o -name 'frontend-*' \) -delete 2>/dev/null || true
        rm -rf "$CARGO_TARGET_DIR"/*/incremental "$CARGO_TARGET_DIR"/debug/examples
    fi
    find "$CARGO_TARGET_DIR" -path '*/deps/*' -type f -mtime +0 \( -name 'libapp-*' -o -name 'app-*' -o -name 'libserver-*' \
        -o -name 'server-*' -o -name 'portal-*' -o -name 'libfrontend-*' -o -name 'frontend-*' \) -delete 2>/dev/null || true
    find "$CARGO_TARGET_DIR" -path '*/incremental/*' -mindepth 1 -maxdepth 3 -type d -mtime +0 -prune -exec rm -rf {} + 2>/dev/null || true
}

have() { command -v "$1" >/dev/null 2>&1; }
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        step "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

setup_rust() {
    rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || { step "Adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
    if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
        step "Installing cargo-leptos 0.3.10 (about 25 minutes, once per machine)"
        cargo install cargo-leptos --version 0.3.10 --locked
    fi
    local wanted
    wanted=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
        step "Installing wasm-bindgen-cli $wanted (must match Cargo.lock)"
        cargo install wasm-bindgen-cli --version "$wanted"
    fi
}

setup_node_tools() {
    # wasm-opt from npm's binaryen: Debian's older one breaks hydration.
    [ -x tools/node_modules/.bin/wasm-opt ] || { step "Installing wasm-opt (npm binaryen)"; npm ci --prefix tools --no-audit --no-fund; }
}

setup_browser() {
    apt_install chromium
    [ -d end2end/node_modules/@playwright/test ] || { step "Installing Playwright and axe-core (npm; the browser is Debian's)"; npm ci --prefix end2end --no-audit --no-fund; }
}

# Test tools made elsewhere, from PyPI in a venv beside the build cache: aiosmtpd is the
# SMTP server the email tests send to; stripe (Stripe's own library) signs and checks the
# webhooks of the Stripe tests. poppler-utils reads the text of return labels and
# zbar-tools decodes their barcodes.
setup_test_tools() {
    apt_install poppler-utils zbar-tools
    local venv="$HOME/.cache/retour/venv"
    [ -x "$venv/bin/python" ] || { step "Making a Python venv for test tools"; python3 -m venv "$venv"; }
    "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null || { step "Installing aiosmtpd (PyPI)"; "$venv/bin/pip" install --quiet 'aiosmtpd==1.4.6'; }
    "$venv/bin/python" -c 'import stripe' 2>/dev/null || { step "Installing stripe (PyPI)"; "$venv/bin/pip" install --quiet 'stripe==16.1.0'; }
    "$venv/bin/python" -c 'import standardwebhooks' 2>/dev/null || { step "Installing standardwebhooks (PyPI)"; "$venv/bin/pip" install --quiet 'standardwebhooks==1.1.0'; }
    [ -x "$venv/bin/schemathesis" ] || { step "Installing schemathesis (PyPI)"; "$venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"; }
    export RETOUR_TEST_PYTHON="$venv/bin/python"
}

# Starts a local PostgreSQL and exports RETOUR_TEST_POSTGRES_URL, unless one is given.
setup_postgres() {
    if [ -n "${RETOUR_TEST_POSTGRES_URL:-}" ]; then
        return
    fi
    apt_install postgresql
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_lsclusters -h | awk '{print $4}' | grep -q online || { step "Starting PostgreSQL $version"; as_root pg_ctlcluster "$version" main start; }
    as_root runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'retour'" | grep -q 1 ||
        as_root runuser -u postgres -- psql -qc "CREATE ROLE retour LOGIN CREATEDB PASSWORD 'retour'"
    export RETOUR_TEST_POSTGRES_URL="postgres://retour:retour@127.0.0.1:5432/postgres"
}

# Builds the site (server binary, WASM, CSS) in release mode.
build_site() {
    step "Building the portal (release)"
    cargo leptos build --release
}
