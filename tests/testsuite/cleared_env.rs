//! The environment variables a test or benchmark run of `bitext` removes;
//! the benchmarks include this file too (`benches/common`).

/// Environment variables that would make a run depend on the machine it runs
/// on (API keys, proxies): removed from every run unless a test sets them.
pub const CLEARED_ENV: &[&str] = &[
    "OPENAI_API_KEY",
    "DEEPL_AUTH_KEY",
    "GOOGLE_API_KEY",
    "LIBRETRANSLATE_API_KEY",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "BITEXT_CACHE",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSSLMODE",
];
