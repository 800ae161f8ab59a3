//! The one place YAML is parsed.
//!
//! serde_yaml is deprecated upstream, so every YAML call in the crate goes
//! through this module and a swap touches nothing else. Text is deserialized
//! straight into typed records (parsing into a generic value first would lose
//! error locations), and errors carry the byte offset into the text so the
//! caller can add the front matter's offset and point into the real file.

use serde::de::DeserializeOwned;

/// A YAML problem: the message without serde_yaml's "at line … column …"
/// suffix, and the byte offset in the parsed text where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong, in serde's words (e.g. "missing field `title`").
    pub message: String,
    /// Byte offset into the parsed text, when the parser knows it.
    pub offset: Option<usize>,
}

/// Deserializes `text` into `T`, reporting the first problem with its place.
/// Duplicate keys are errors (serde's derive rejects a repeated field).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|error| {
        let offset = error.location().map(|location| location.index());
        let mut message = error.to_string();
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        YamlError {
            message: friendlier(message),
            offset,
        }
    })
}

/// Rewords serde's messages where a user would not follow them.
fn friendlier(message: String) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("unknown field {rest}");
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        return "this value has the wrong shape".to_string();
    }
    message
}

/// Whether a YAML document's top level is a list (a file of several records)
/// rather than a mapping (one record). Comments, blank lines and a leading
/// `---` document marker are skipped.
pub fn is_list(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|line| {
            !line.trim().is_empty() && !line.trim_start().starts_with('#') && *line != "---"
        })
        .is_some_and(|line| line == "-" || line.starts_with("- ") || line.starts_with('['))
}

/// The byte offsets where each top-level item of a block list starts
/// (lines beginning with `- ` in column one).
pub fn list_item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("- ") || line.trim_end() == "-" {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        title: String,
        count: Option<u32>,
    }

    #[test]
    fn errors_carry_the_offset_and_a_clean_message() {
        let err = from_str::<Rec>("title: a\ncont: 3\n").unwrap_err();
        assert_eq!(err.offset, Some(9));
        assert!(
            err.message.starts_with("unknown field `cont`, expected"),
            "{}",
            err.message
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = from_str::<Rec>("title: a\ntitle: b\n").unwrap_err();
        assert!(
            err.message.contains("duplicate field `title`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn lists_and_their_items_are_found() {
        let text = "# places\n- name: a\n  x: 1\n- name: b\n";
        assert!(is_list(text));
        assert!(!is_list("---\nname: a\n"));
        assert_eq!(list_item_starts(text), vec![9, 26]);
    }
}
