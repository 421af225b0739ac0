# The developer loop: `just` lists the recipes. CI runs `.ci/run` (setup,
# the README's test command, deny, bench and fuzz builds); `just ci` adds
# the lint step.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List the recipes.
default:
    @just --list

# Install what the tests need (xmllint, translate-toolkit, ...) and run them.
test *ARGS:
    bash .ci/setup
    cargo test --locked {{ARGS}}

# Formatting, clippy with warnings as errors, docs without broken links.
lint:
    cargo fmt --all --check
    cargo clippy --locked --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps

# Licences, bans and sources of every dependency (see deny.toml).
deny:
    cargo deny -L error check licenses bans sources

# The RustSec advisories (needs the network to fetch the database).
advisories:
    cargo deny check advisories

# Benchmarks against local mock servers; NAME is segment, align, backends, ...
bench NAME="":
    cargo bench --locked {{ if NAME == "" { "" } else { "--bench " + NAME } }}

# Run one fuzz target for SECS seconds (needs cargo-fuzz).
fuzz TARGET="segment" SECS="60":
    cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run {{TARGET}} -- -max_total_time={{SECS}}

# Regenerate output/ and accept changed snapshots (then read `git diff`).
regen:
    cargo run --locked --release -- translate examples/article.txt --force
    INSTA_UPDATE=always cargo test --locked --test testsuite || true
    cargo test --locked

# Everything CI checks, plus lint and deny.
ci: lint deny
    bash .ci/run
