//! Decoding any bytes never panics: it gives text or a one-line error.
#![no_main]

use bitext::input::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = decode(std::path::Path::new("fuzz.txt"), data, None) {
        assert!(!e.to_string().contains('\n'));
    }
});
