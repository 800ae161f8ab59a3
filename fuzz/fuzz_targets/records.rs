//! Every record parser accepts or rejects any text without panicking, and
//! a reported error offset lies inside the text; an event read with its
//! summary lifted out first is the event read whole.
#![no_main]

use dossier::load::raw::{RawActor, RawEvent, RawPage, RawPlace, RawSource};
use dossier::load::yaml;
use libfuzzer_sys::fuzz_target;

fn check<T: serde::de::DeserializeOwned>(text: &str) {
    if let Err(error) = yaml::from_str::<T>(text) {
        assert!(error.offset.is_none_or(|o| o <= text.len()));
    }
    let _ = yaml::from_str::<Vec<T>>(text);
}

fuzz_target!(|text: &str| {
    check::<RawEvent>(text);
    let lifted = yaml::from_str_lifting(text, "summary", |event: &mut RawEvent| {
        Some(&mut event.summary)
    });
    let whole = yaml::from_str::<RawEvent>(text);
    assert_eq!(format!("{lifted:?}"), format!("{whole:?}"));
    check::<RawActor>(text);
    check::<RawPlace>(text);
    check::<RawSource>(text);
    check::<RawPage>(text);
    check::<dossier::config::RawConfig>(text);
    let _ = yaml::is_list(text);
    let _ = yaml::list_item_starts(text);
});
