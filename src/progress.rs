//! Progress reporting: the pipeline says what it has done, the command line
//! decides how to show it (a bar on a terminal, log lines otherwise).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the pipeline reports while it runs. All methods may be called from
/// several tasks at once.
pub trait Progress: Send + Sync {
    /// Segments of `input` were found (more may follow, chunk by chunk).
    fn found(&self, input: &str, segments: usize);
    /// Segments got their translation (or were given up).
    fn translated(&self, segments: usize);
    /// An input is done: its outputs are written.
    fn finished(&self, input: &str, segments: usize);
}

/// Reports nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn found(&self, _: &str, _: usize) {}
    fn translated(&self, _: usize) {}
    fn finished(&self, _: &str, _: usize) {}
}

/// The progress a person sees on standard error: a bar when it is a
/// terminal, a log line per finished input (and every ten seconds in a long
/// one) when it is not.
///
/// Time is tokio's clock ([`tokio::time::Instant`]), which is the system's
/// except in a test that pauses it: the ten seconds are tested that way,
/// without waiting for them.
pub struct Stderr {
    bar: Option<ProgressBar>,
    log: std::sync::Mutex<LogState>,
}

struct LogState {
    total: usize,
    done: usize,
    last: Instant,
    out: Box<dyn Write + Send>,
}

/// How often a log line reports a long input's progress.
pub const LOG_EVERY: Duration = Duration::from_secs(10);

impl Stderr {
    /// A bar if standard error is a terminal, log lines otherwise.
    pub fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Stderr::log_to(Box::new(std::io::stderr()));
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} segments, {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Stderr {
            bar: Some(bar),
            log: LogState::new(Box::new(std::io::sink())),
        }
    }

    /// Log lines, never a bar, written to `out` (standard error when it is
    /// not a terminal): a line per finished input, and a count of the
    /// segments translated at most every [`LOG_EVERY`] while an input runs.
    pub fn log_to(out: Box<dyn Write + Send>) -> Self {
        Stderr {
            bar: None,
            log: LogState::new(out),
        }
    }
}

impl LogState {
    fn new(out: Box<dyn Write + Send>) -> std::sync::Mutex<Self> {
        std::sync::Mutex::new(LogState {
            total: 0,
            done: 0,
            last: Instant::now(),
            out,
        })
    }
}

impl Default for Stderr {
    fn default() -> Self {
        Stderr::new()
    }
}

impl Progress for Stderr {
    fn found(&self, input: &str, segments: usize) {
        match &self.bar {
            Some(bar) => {
                bar.set_message(input.to_string());
                bar.inc_length(segments as u64);
            }
            None => {
                if let Ok(mut log) = self.log.lock() {
                    log.total += segments;
                }
            }
        }
    }

    fn translated(&self, segments: usize) {
        match &self.bar {
            Some(bar) => bar.inc(segments as u64),
            None => {
                if let Ok(mut log) = self.log.lock() {
                    log.done += segments;
                    let now = Instant::now();
                    if now.duration_since(log.last) >= LOG_EVERY {
                        log.last = now;
                        let line =
                            format!("bitext: {}/{} segments translated", log.done, log.total);
                        // Progress is best effort: a closed stderr stops nothing.
                        let _ = writeln!(log.out, "{line}");
                    }
                }
            }
        }
    }

    fn finished(&self, input: &str, segments: usize) {
        match &self.bar {
            Some(bar) => bar.println(format!("{input}: {}", plural(segments, "segment"))),
            None => {
                if let Ok(mut log) = self.log.lock() {
                    let line = format!("bitext: {input}: {} written", plural(segments, "segment"));
                    let _ = writeln!(log.out, "{line}");
                }
            }
        }
    }
}

impl Drop for Stderr {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `n thing` or `n things`.
fn plural(n: usize, thing: &str) -> String {
    crate::text::count(n, thing, &format!("{thing}s"))
}
