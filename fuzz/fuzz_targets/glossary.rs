//! The glossary loaders (TSV, CSV, TBX) never panic on any bytes: they load
//! or give an error naming the file; a loaded glossary annotates any text.
#![no_main]

use bitext::glossary::Glossary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("bitext-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for ext in ["tsv", "csv", "tbx"] {
        let path = dir.join(format!("g.{ext}"));
        if std::fs::write(&path, data).is_err() {
            return;
        }
        match Glossary::load(&path) {
            Ok(g) => {
                let text = String::from_utf8_lossy(data);
                for m in g.annotate(&text) {
                    assert!(text.get(m.span.clone()).is_some());
                }
            }
            Err(e) => assert!(e.to_string().contains("g.")),
        }
    }
});
