//! bitext's JSONL (`translate`, `align`): one JSON object a line with
//! `source` and `target`; `id` and `flags` are used where present. A row
//! whose target is empty and that `translate` flagged `untranslated` has no
//! translation.

use serde_json::Value;

use super::{BilingualFile, QaUnit, ReadContext, Reader, extension, read_error};
use crate::error::Result;

/// The JSONL reader.
pub(super) struct Jsonl;

impl Reader for Jsonl {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn detects(&self, ctx: &ReadContext<'_>) -> bool {
        matches!(extension(ctx.path).as_str(), "jsonl" | "ndjson")
            || ctx.text.trim_start().starts_with('{')
    }

    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile> {
        let mut file = BilingualFile::default();
        for (n, line) in ctx.text.lines().enumerate() {
            let number = n + 1;
            if line.trim().is_empty() {
                continue;
            }
            let error = |message: String| read_error(ctx.path, number, message);
            let row: Value =
                serde_json::from_str(line).map_err(|e| error(format!("not a JSON object: {e}")))?;
            let text = |key: &str| -> Result<String> {
                row.get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        error(format!(
                            "no \"{key}\" string; each line needs \"source\" and \"target\""
                        ))
                    })
            };
            let source = text("source")?;
            let target = text("target")?;
            let id = match row.get("id") {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) => s.clone(),
                _ => (file.units.len() + 1).to_string(),
            };
            let missing = row
                .get("flags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|f| f.get("kind").and_then(Value::as_str) == Some("untranslated"))
                .filter_map(|f| f.get("detail").and_then(Value::as_str))
                .find(|d| d.starts_with("no translation"))
                .filter(|_| target.is_empty())
                .map(str::to_string);
            file.units.push(QaUnit {
                id,
                line: Some(number),
                source,
                target: missing.is_none().then_some(target),
                codes: None,
                missing,
            });
        }
        Ok(file)
    }
}
