//! The one place YAML is parsed.
//!
//! serde_yaml is deprecated upstream, so every YAML call in the crate goes
//! through this module and a swap touches nothing else. Text is deserialized
//! straight into typed records (parsing into a generic value first would lose
//! error locations), and errors carry the byte offset into the text so the
//! caller can add the front matter's offset and point into the real file.

use std::sync::Arc;

use serde::de::DeserializeOwned;

mod lift;

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

/// [`from_str`] for a mapping whose `key` is usually a long literal block
/// (an event's `summary: |`): the block is cut out by lines and libyaml
/// parses the rest (see [`lift`]). `slot` finds the key's value in the
/// result. Unless the stand-in's value came back there, the whole text is
/// parsed as [`from_str`] would, so the result and any error are the same.
pub fn from_str_lifting<T: DeserializeOwned>(
    text: &str,
    key: &str,
    slot: impl FnOnce(&mut T) -> Option<&mut Arc<str>>,
) -> Result<T, YamlError> {
    if let Some(lifted) = lift::lift(text, key) {
        if let Ok(mut value) = serde_yaml::from_str::<T>(&lifted.rest) {
            if let Some(place) = slot(&mut value).filter(|s| &***s == lift::STAND_IN) {
                *place = lifted.value.into();
                return Ok(value);
            }
        }
    }
    from_str(text)
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
    use crate::testing::Random;
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

    /// A mapping with an optional summary and anything else beside it.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Doc {
        summary: Option<Arc<str>>,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, serde_yaml::Value>,
    }

    /// `usual`, or once in `odds` times one of `pieces`.
    fn usually<'a>(
        random: &mut Random,
        usual: &'a str,
        odds: usize,
        pieces: &[&'a str],
    ) -> &'a str {
        if random.below(odds) == 0 {
            random.pick(pieces)
        } else {
            usual
        }
    }

    /// A text with a summary block that is easy to read wrongly by lines:
    /// headers of every kind, quoted and flow values left open across
    /// lines, tabs, other line breaks, characters libyaml refuses, comments
    /// and document markers, around and inside the block.
    fn tricky_text(random: &mut Random) -> String {
        const HEADERS: &[&str] = &[
            "summary: |",
            "summary: |-",
            "summary: |+",
            "summary: |  ",
            "summary:  |",
            "summary: >",
            "summary: | # c",
            "summary: |2",
            "summary: 'q",
            "summary: \"q",
        ];
        const LEFT: &[&str] = &[
            "title: \"a",
            "title: 'a",
            "b'",
            "c\"",
            "tags: [a,",
            "b]",
            "n: {a: 1,",
            "}",
            "---",
            "...",
            "# c",
            "- x",
            "summary: again",
            "{title: x,",
            "{",
            "[a,",
            "? k",
            "other: |",
            "",
        ];
        const TEXTS: &[&str] = &[
            "", "\t", "\tb", "- i", "# h", "k: v", "é ü", "x  ", "\"", "'", "]", "|",
        ];
        const RARE: &[&str] = &["a\u{2028}b", "\r", "\u{85}", "\u{feff}x", "\u{7}"];
        let mut text = String::new();
        let mut line = |random: &mut Random, piece: &str, spaces: usize| {
            text.push_str(&" ".repeat(spaces));
            text.push_str(piece);
            text.push_str(if random.below(100) == 0 { "\r\n" } else { "\n" });
        };
        for _ in 0..random.below(4) {
            let piece = usually(random, "title: x", 3, LEFT);
            line(random, piece, 0);
        }
        let header = usually(random, "summary: |", 2, HEADERS);
        line(random, header, 0);
        for _ in 0..random.below(7) {
            let piece = match random.below(10) {
                0 => random.pick(RARE),
                1..=4 => "a",
                _ => random.pick(TEXTS),
            };
            let spaces = if random.below(3) == 0 {
                random.below(6)
            } else {
                2
            };
            line(random, piece, spaces);
        }
        for _ in 0..random.below(3) {
            let piece = usually(random, "next: 1", 3, LEFT);
            line(random, piece, 0);
        }
        if random.below(5) == 0 {
            text.pop();
        }
        text
    }

    #[test]
    fn lifting_the_summary_changes_no_value_and_no_error() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let mut lifted = 0;
        for _ in 0..50_000 {
            let text = tricky_text(&mut random);
            let fast = from_str_lifting::<Doc>(&text, "summary", |doc| doc.summary.as_mut());
            let whole = from_str::<Doc>(&text);
            assert_eq!(fast, whole, "{text:?}");
            let cut = lift::lift(&text, "summary").and_then(|cut| from_str::<Doc>(&cut.rest).ok());
            if cut.is_some_and(|doc| doc.summary.as_deref() == Some(lift::STAND_IN)) {
                lifted += 1;
            }
        }
        assert!(lifted > 5_000, "only {lifted} texts were cut");
    }

    #[test]
    fn a_block_header_inside_a_flow_mapping_stays_an_error() {
        let text = "{title: x,\nsummary: |\n  a\n}\n";
        let lifted = from_str_lifting::<Doc>(text, "summary", |doc| doc.summary.as_mut());
        assert_eq!(lifted, from_str::<Doc>(text));
        assert!(lifted.is_err());
    }

    #[test]
    fn lists_and_their_items_are_found() {
        let text = "# places\n- name: a\n  x: 1\n- name: b\n";
        assert!(is_list(text));
        assert!(!is_list("---\nname: a\n"));
        assert_eq!(list_item_starts(text), vec![9, 26]);
    }
}
