//! JSON Lines: one object per unit, in source order.

use std::io::{self, Write};

use super::{DocumentWriter, Started, Summary, WriteContext, Writer};
use crate::document::Unit;

/// Writes one JSON object per unit: `id`, `paragraph`, `index`, `line`,
/// `source`, `target`, `backend`, `model`, `origin`, `terms` (with byte spans
/// into `source`), `repaired` (when true), `flags`, and `bead` (type,
/// score, segment ids) for aligned units.
#[derive(Debug, Clone, Copy, Default)]
pub struct Jsonl;

impl Writer for Jsonl {
    fn name(&self) -> &str {
        "jsonl"
    }

    fn start<'a>(&self, _ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a> {
        Ok(Box::new(JsonlDocument { out }))
    }
}

struct JsonlDocument<'a> {
    out: &'a mut dyn Write,
}

impl DocumentWriter for JsonlDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        for unit in units {
            serde_json::to_writer(&mut *self.out, unit)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
