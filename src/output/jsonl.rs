//! JSON Lines: one object per unit, in source order.

use std::io::{self, Write};

use super::{WriteContext, Writer};
use crate::document::Unit;

/// Writes one JSON object per unit: `id`, `paragraph`, `index`, `line`,
/// `source`, `target`, `backend`, `model`, `origin`, `terms` (with byte spans
/// into `source`) and `flags`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Jsonl;

impl Writer for Jsonl {
    fn name(&self) -> &str {
        "jsonl"
    }

    fn extension(&self) -> &str {
        "jsonl"
    }

    fn write(&self, _ctx: &WriteContext, units: &[Unit], out: &mut dyn Write) -> io::Result<()> {
        for unit in units {
            serde_json::to_writer(&mut *out, unit)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}
