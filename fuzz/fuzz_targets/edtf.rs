//! The EDTF parser never panics; what it accepts has start <= end, shows
//! a display text, and parses again to the same date.
#![no_main]

use dossier::model::date::Edtf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match Edtf::parse(text) {
        Ok(date) => {
            if let (Some(start), Some(end)) = (date.start(), date.end()) {
                assert!(start <= end, "{text:?}");
            }
            assert!(!date.display().is_empty());
            let again = Edtf::parse(date.as_written()).expect("written form parses");
            assert_eq!(again, date);
        }
        Err(error) => assert!(error.column <= text.chars().count() + 1, "{text:?}"),
    }
});
