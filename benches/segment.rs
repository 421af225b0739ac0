//! Segmentation throughput: the reference article repeated to about 20 MB,
//! once as one paragraph per article line (as it is), once as a single
//! 20 MB line, and once as a single line with every full stop made a comma
//! (one 20 MB sentence, which the length limit splits at its commas). Run
//! with `cargo bench --bench segment`.

use std::time::Instant;

use bitext::segment::{Position, Segmenter};

fn main() {
    let article =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/article.txt"))
            .expect("examples/article.txt");
    let mut lines = String::new();
    while lines.len() < 20 << 20 {
        lines.push_str(&article);
        lines.push('\n');
    }
    let one_line = lines.replace('\n', "");
    let one_sentence = one_line.replace('.', ",");
    let segmenter = Segmenter::default();
    for (name, text) in [
        ("paragraphs", &lines),
        ("one 20 MB line", &one_line),
        ("one 20 MB sentence", &one_sentence),
    ] {
        let mut best = f64::MAX;
        let mut segments = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let mut position = Position::default();
            let paragraphs = segmenter.paragraphs(text, &mut position);
            segments = paragraphs.iter().map(|p| p.segments.len()).sum::<usize>();
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mb = text.len() as f64 / (1 << 20) as f64;
        println!(
            "segment {name}: {mb:.1} MB, {segments} segments, best of 3: {best:.3} s = {:.1} MB/s",
            mb / best
        );
    }
}
