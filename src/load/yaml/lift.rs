//! Taking an event's summary out of its YAML before libyaml reads it.
//!
//! An event file is mostly its summary: a literal block scalar
//! (`summary: |`) of a few kilobytes of Markdown. libyaml decodes and scans
//! such a block a character at a time, at about 140 instructions a byte, and
//! that was a fifth of a full build's work. Its meaning is simple, though:
//! the lines indented at least as far as the first one, less that
//! indentation. So the common shape is cut out here, by lines, and libyaml
//! parses the rest with a one-line block in its place. The stand-in is a
//! block too, so libyaml still judges the header where it stands: a `|`
//! inside a flow collection (`{title: x,` on the line before) is an error
//! there, as it was in the original.
//!
//! Anything else is left to libyaml: a block with an indentation indicator or
//! a comment on its header, tabs where indentation is expected, a line break
//! other than `\n`, a character libyaml refuses, blank lines indented deeper
//! than the text, an empty block. The caller checks that the stand-in's
//! value came back as the key's value, and parses the whole text again
//! otherwise: a cut that guessed wrong (a header line inside a quoted
//! string, say) costs time, never a wrong value or a different error. The
//! tests compare the two ways on generated texts.

/// The line of the block libyaml parses in the lifted block's place. A text
/// that holds it is not cut.
const STAND_IN_LINE: &str = "dossier-lifted-block-scalar-7f3c";

/// The value libyaml reads from the stand-in block.
pub const STAND_IN: &str = "dossier-lifted-block-scalar-7f3c\n";

/// A text with one top-level literal block scalar taken out.
#[derive(Debug, PartialEq, Eq)]
pub struct Lifted {
    /// The text with the block replaced by a stand-in block whose value is
    /// [`STAND_IN`].
    pub rest: String,
    /// The block's value, as libyaml would have read it.
    pub value: String,
}

/// How a block's trailing line breaks are kept (`|`, `|-`, `|+`).
#[derive(Clone, Copy)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// Cuts the first top-level `key: |` block out of `text`, or says `None`
/// when the text does not have the simple shape this module reads.
pub fn lift(text: &str, key: &str) -> Option<Lifted> {
    if !readable(text) || memchr::memmem::find(text.as_bytes(), STAND_IN_LINE.as_bytes()).is_some()
    {
        return None;
    }
    let header_start = top_level_line(text, key)?;
    let after_key = header_start + key.len() + 1;
    let header_end = after_key + text[after_key..].find('\n')?;
    let chomp = header(&text[after_key..header_end])?;
    let body = header_end + 1;
    let (value, end) = block(&text[body..], chomp)?;
    let end = body + end;
    let mut rest = String::with_capacity(text.len() - (end - header_start) + 64);
    rest.push_str(&text[..header_start]);
    rest.push_str(key);
    rest.push_str(": |\n  ");
    rest.push_str(STAND_IN_LINE);
    rest.push('\n');
    rest.push_str(&text[end..]);
    Some(Lifted { rest, value })
}

/// Where the first line that starts with `key:` begins.
fn top_level_line(text: &str, key: &str) -> Option<usize> {
    let mut start = 0;
    loop {
        let line = &text[start..];
        if line.starts_with(key) && line[key.len()..].starts_with(':') {
            return Some(start);
        }
        start += line.find('\n')? + 1;
    }
}

/// The chomping of a header's rest (what follows `key:`): one or more
/// spaces, `|`, an optional `-` or `+`, optional blanks.
fn header(rest: &str) -> Option<Chomp> {
    let indicator = rest.strip_prefix(' ')?.trim_start_matches(' ');
    let (chomp, tail) = match indicator.strip_prefix('|')? {
        tail if tail.starts_with('-') => (Chomp::Strip, &tail[1..]),
        tail if tail.starts_with('+') => (Chomp::Keep, &tail[1..]),
        tail => (Chomp::Clip, tail),
    };
    tail.bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(chomp)
}

/// The value of a block whose lines start `body`, and where the block ends
/// (the start of the first line after it, or the end of the text).
///
/// This follows libyaml's `yaml_parser_scan_block_scalar` for a block
/// under a key in column one: the indentation is that of the first
/// non-blank line; blank lines before it count as line breaks; the block
/// ends at a non-blank line indented less.
fn block(body: &str, chomp: Chomp) -> Option<(String, usize)> {
    let bytes = body.as_bytes();
    let spaces_at = |at: usize| bytes[at..].iter().take_while(|&&b| b == b' ').count();

    // Leading blank lines, then the first line of text sets the indentation.
    let mut at = 0;
    let mut breaks = 0;
    let mut deepest_blank = 0;
    let indent = loop {
        let spaces = spaces_at(at);
        match bytes.get(at + spaces) {
            Some(b'\n') => {
                deepest_blank = deepest_blank.max(spaces);
                breaks += 1;
                at += spaces + 1;
            }
            Some(b'\t') | None => return None,
            Some(_) if spaces == 0 || spaces < deepest_blank => return None,
            Some(_) => break spaces,
        }
    };

    let mut value = String::with_capacity(body.len());
    value.extend(std::iter::repeat_n('\n', breaks));
    loop {
        // `at` is the start of a line of text, indented by `indent`.
        let text_start = at + indent;
        let Some(length) = body[text_start..].find('\n') else {
            value.push_str(&body[text_start..]);
            return Some((value, body.len()));
        };
        value.push_str(&body[text_start..text_start + length]);
        at = text_start + length + 1;

        // Blank lines: up to `indent` spaces, then a line break.
        breaks = 0;
        let more_text = loop {
            let spaces = spaces_at(at).min(indent);
            match bytes.get(at + spaces) {
                Some(b'\n') => {
                    breaks += 1;
                    at += spaces + 1;
                }
                Some(b'\t') if spaces < indent => return None,
                Some(_) if spaces == indent => break true,
                _ => break false,
            }
        };
        if more_text {
            value.push('\n');
            value.extend(std::iter::repeat_n('\n', breaks));
        } else {
            match chomp {
                Chomp::Clip => value.push('\n'),
                Chomp::Keep => value.extend(std::iter::repeat_n('\n', breaks + 1)),
                Chomp::Strip => {}
            }
            return Some((value, at));
        }
    }
}

/// Whether libyaml would read `text` as this module does: no line break but
/// `\n` (libyaml also breaks lines at `\r`, U+0085, U+2028 and U+2029), no
/// byte-order mark, and only characters libyaml accepts.
fn readable(text: &str) -> bool {
    let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\t' || b == b'\n';
    // No early exit inside a chunk, so the check runs on vectors.
    let mut chunks = text.as_bytes().chunks(64);
    if chunks.all(|chunk| chunk.iter().fold(true, |all, &b| all & plain(b))) {
        return true;
    }
    text.chars().all(|c| match c {
        '\t' | '\n' => true,
        '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' => {
            !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        }
        c => c >= '\u{10000}',
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Option<String> {
        lift(text, "summary").map(|lifted| lifted.value)
    }

    #[test]
    fn an_event_summary_is_cut_out_and_the_rest_kept() {
        let text = "title: A\nsummary: |\n  One [[a]].\n\n  Two\n    code\nsources: [s]\n";
        let lifted = lift(text, "summary").unwrap();
        assert_eq!(lifted.value, "One [[a]].\n\nTwo\n  code\n");
        assert_eq!(
            lifted.rest,
            format!("title: A\nsummary: |\n  {STAND_IN}sources: [s]\n")
        );
    }

    #[test]
    fn chomping_follows_the_indicator() {
        let tail = "  a\n\n  \n \nnext: 1\n";
        assert_eq!(value(&format!("summary: |\n{tail}")).unwrap(), "a\n");
        assert_eq!(value(&format!("summary: |-\n{tail}")).unwrap(), "a");
        assert_eq!(value(&format!("summary: |+\n{tail}")).unwrap(), "a\n\n\n\n");
        assert_eq!(value("summary: |\n  a").unwrap(), "a");
        assert_eq!(value("summary: |  \n\n  a\n").unwrap(), "\na\n");
    }

    #[test]
    fn lines_indented_deeper_or_blank_stay_in_the_block() {
        assert_eq!(
            value("summary: |\n  a\n      \n  \t\n b\n").unwrap(),
            "a\n    \n\t\n"
        );
    }

    #[test]
    fn shapes_left_to_libyaml() {
        for text in [
            "summary: >\n  a\n",
            "summary: |2\n  a\n",
            "summary: | # note\n  a\n",
            "summary:|\n  a\n",
            "summary: |\n\ta\n",
            "summary: |\n  a\n \tb\n",
            "summary: |\n    \n  a\n",
            "summary: |\nnext: 1\n",
            "summary: |\n",
            "summary: |\r\n  a\r\n",
            "summary: |\n  a\u{2028}b\n",
            "summary: |\n  a\u{7}\n",
            "title: x\r\nsummary: |\n  a\n",
            "summary: \"a\"\n",
        ] {
            assert_eq!(value(text), None, "{text:?}");
        }
        let holding = format!("title: {STAND_IN_LINE}\nsummary: |\n  a\n");
        assert_eq!(value(&holding), None);
    }
}
