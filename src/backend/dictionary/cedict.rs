//! TEMPORARY STUB, replaced by the real CC-CEDICT loader.
