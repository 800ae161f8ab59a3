//! The term index: words -> the records they occur in, cut into small
//! chunks of consecutive terms.
//!
//! Text is normalised the same way here and in `search.js`: lowercased,
//! decomposed (NFD) with the combining diacritics U+0300–U+036F dropped (so
//! `Türkiye` is found by `turkiye`), then split into runs of alphanumeric
//! characters (Rust's `char::is_alphanumeric`, JavaScript's
//! `[\p{Alphabetic}\p{N}]`). Terms of one character, of more than
//! [`MAX_TERM_CHARS`], and stop words are left out.
//!
//! Each term keeps two posting lists: the records that have it in a title,
//! name or alias, and those that have it only in their text. A list is a
//! string of gaps between ascending record numbers, each gap written as a
//! variable-length number in a 64-character alphabet that JSON never
//! escapes: characters 0–31 of [`DIGITS`] end a number, 32–63 carry five
//! more bits with more to follow (most significant first).

use std::cmp::Ordering;

use icu_normalizer::DecomposingNormalizerBorrowed;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The 64 characters postings are written with.
pub const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

/// Longer terms are not indexed (they are identifiers and noise, not words).
pub const MAX_TERM_CHARS: usize = 40;

/// Stop words of English, left out of the index when the site is in English:
/// they occur in nearly every record and would make the chunks holding them
/// large. `search.js` drops them from a query too (except the word being
/// typed, which matches as a prefix).
pub const STOP_WORDS_EN: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
    "them", "they", "this", "to", "was", "were", "which", "who", "with",
];

/// How large (in bytes of JSON) a chunk of terms grows before the next
/// term starts a new one; a single term with a very long posting list gets
/// a chunk of its own.
pub const CHUNK_BYTES: usize = 12 * 1024;

/// The searchable text of one record, in two weights.
#[derive(Debug, Default)]
pub struct Fields {
    /// Title, name, short name, aliases.
    pub title: String,
    /// Summary, description, profile, publisher.
    pub body: String,
}

/// One indexed term and where it occurs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The normalised term.
    pub text: String,
    /// Records with the term in a title field, ascending.
    pub title: Vec<u32>,
    /// Records with the term only in their text, ascending.
    pub body: Vec<u32>,
}

/// `text` lowercased, with diacritics dropped (ASCII text takes a fast path).
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let lower = text.to_lowercase();
    DecomposingNormalizerBorrowed::new_nfd()
        .normalize(&lower)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// The indexable words of normalised text, in order (repeats included).
pub fn words<'t: 'a, 'a>(
    normalised: &'t str,
    stop: &'a Stop,
) -> impl Iterator<Item = &'t str> + 'a {
    let ascii = normalised.is_ascii();
    Runs {
        text: normalised,
        at: 0,
        ascii,
    }
    .filter(move |word| {
        let chars = if ascii {
            word.len()
        } else {
            word.chars().count()
        };
        (2..=MAX_TERM_CHARS).contains(&chars) && !stop.contains(word)
    })
}

/// Stop words, ready to be looked up: made once for an index, not once
/// for each text.
pub struct Stop<'s> {
    /// The words, sorted.
    words: &'s [&'s str],
    /// The words of up to eight bytes as numbers ([`packed`]), sorted.
    packed: Vec<u64>,
    /// The length of the longest word.
    longest: usize,
}

impl<'s> Stop<'s> {
    /// The stop words `words` (sorted).
    pub fn new(words: &'s [&'s str]) -> Stop<'s> {
        let mut packed: Vec<u64> = words.iter().filter_map(|w| packed(w)).collect();
        packed.sort_unstable();
        Stop {
            words,
            packed,
            longest: words.iter().map(|w| w.len()).max().unwrap_or(0),
        }
    }

    /// Whether `word` is one of the stop words.
    fn contains(&self, word: &str) -> bool {
        if word.len() > self.longest {
            return false;
        }
        match packed(word) {
            Some(key) => self.packed.binary_search(&key).is_ok(),
            None => self.words.binary_search(&word).is_ok(),
        }
    }
}

/// A word of at most eight bytes as one number, zero-padded (a word holds
/// no zero byte), so that stop words are found without comparing strings:
/// those comparisons were a third of the index's time.
fn packed(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    let mut key = [0u8; 8];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u64::from_be_bytes(key))
}

/// The runs of alphanumeric characters of a text, in order. ASCII text is
/// scanned byte by byte: decoding it into characters took half of the
/// index's time (a 10,000-event site's text is ASCII).
struct Runs<'t> {
    /// The text.
    text: &'t str,
    /// Where the next run is looked for.
    at: usize,
    /// Whether the text is all ASCII.
    ascii: bool,
}

/// Which bytes are ASCII letters and digits (one lookup a byte, cheaper
/// than the range tests of `u8::is_ascii_alphanumeric`: the index of a
/// 1,000-event site took 14% fewer instructions).
static ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

impl<'t> Iterator for Runs<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let rest = self.text.get(self.at..)?;
        let (start, end) = if self.ascii {
            let bytes = rest.as_bytes();
            let start = bytes.iter().position(|&b| ALNUM[usize::from(b)])?;
            let len = bytes[start..]
                .iter()
                .position(|&b| !ALNUM[usize::from(b)])
                .unwrap_or(bytes.len() - start);
            (start, start + len)
        } else {
            let (start, _) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())?;
            let end = rest[start..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(rest.len(), |(len, _)| start + len);
            (start, end)
        };
        self.at += end;
        rest.get(start..end)
    }
}

/// Posting lists under construction: term -> (title records, body records).
/// Every word of every record is looked up here: Fx hashing makes the
/// search files of a 10,000-event site a sixth faster than SipHash did.
type Lists = FxHashMap<String, (Vec<u32>, Vec<u32>)>;

/// Builds the term index of `records` (numbered by position), sorted by
/// term in UTF-16 order (the order JavaScript compares strings in).
pub fn index(records: &[Fields], stop: &[&str]) -> Vec<Term> {
    let stop = &Stop::new(stop);
    let lists = records
        .par_iter()
        .enumerate()
        .fold(Lists::default, |mut lists, (n, fields)| {
            // Records arrive in ascending order within one fold, so a
            // record already listed for a term is the list's last entry.
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let title = normalise(&fields.title);
            for word in words(&title, stop) {
                match lists.get_mut(word) {
                    Some(entry) if entry.0.last() != Some(&n) => entry.0.push(n),
                    Some(_) => {}
                    None => {
                        lists.insert(word.to_string(), (vec![n], Vec::new()));
                    }
                }
            }
            let body = normalise(&fields.body);
            for word in words(&body, stop) {
                match lists.get_mut(word) {
                    Some(entry) if entry.0.last() != Some(&n) && entry.1.last() != Some(&n) => {
                        entry.1.push(n)
                    }
                    Some(_) => {}
                    None => {
                        lists.insert(word.to_string(), (Vec::new(), vec![n]));
                    }
                }
            }
            lists
        })
        .reduce(Lists::default, |mut left, right| {
            for (term, (title, body)) in right {
                let entry = left.entry(term).or_default();
                entry.0.extend(title);
                entry.1.extend(body);
            }
            left
        });
    let mut terms: Vec<Term> = lists
        .into_iter()
        .map(|(text, (mut title, mut body))| {
            title.sort_unstable();
            body.sort_unstable();
            Term { text, title, body }
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| utf16_order(&a.text, &b.text));
    terms
}

impl Term {
    /// The posting list of `weight`.
    fn postings(&mut self, weight: Weight) -> &mut Vec<u32> {
        match weight {
            Weight::Title => &mut self.title,
            Weight::Body => &mut self.body,
        }
    }
}

/// Where a record has a term: in a title field, only in its text, or not
/// at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Weight {
    Title,
    Body,
}

/// The terms of one record and where it has each (a term in its title is
/// not also listed for its text).
fn record_terms(fields: &Fields, stop: &Stop) -> FxHashMap<String, Weight> {
    let mut terms = FxHashMap::default();
    for word in words(&normalise(&fields.title), stop) {
        terms.insert(word.to_string(), Weight::Title);
    }
    for word in words(&normalise(&fields.body), stop) {
        terms.entry(word.to_string()).or_insert(Weight::Body);
    }
    terms
}

/// Brings `terms` (as [`index`] made them) and their chunk `entries` (one
/// [`entry`] per term) up to date after record `n` changed from `before`
/// to `after`: the postings of the terms it lost, gained or moved between
/// title and text change, and a term no record has any more goes. The
/// result is what [`index`] makes from the records as they are now.
/// Returns whether any term changed.
pub fn update(
    terms: &mut Vec<Term>,
    entries: &mut Vec<String>,
    n: u32,
    before: &Fields,
    after: &Fields,
    stop: &[&str],
) -> bool {
    let stop = &Stop::new(stop);
    let old = record_terms(before, stop);
    let new = record_terms(after, stop);
    let mut changed: Vec<(&String, Option<Weight>, Option<Weight>)> = old
        .iter()
        .map(|(term, &weight)| (term, Some(weight), new.get(term).copied()))
        .chain(
            new.iter()
                .filter(|(term, _)| !old.contains_key(*term))
                .map(|(term, &weight)| (term, None, Some(weight))),
        )
        .filter(|(_, was, is)| was != is)
        .collect();
    changed.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let any = !changed.is_empty();
    for (text, was, is) in changed {
        let found = terms.binary_search_by(|t| utf16_order(&t.text, text));
        let at = match (found, is) {
            (Ok(at), _) => at,
            (Err(at), Some(_)) => {
                terms.insert(
                    at,
                    Term {
                        text: text.clone(),
                        title: Vec::new(),
                        body: Vec::new(),
                    },
                );
                entries.insert(at, String::new());
                at
            }
            // A term the record lost that the index does not have: nothing
            // to take out.
            (Err(_), None) => continue,
        };
        let term = &mut terms[at];
        if let Some(weight) = was {
            let postings = term.postings(weight);
            if let Ok(i) = postings.binary_search(&n) {
                postings.remove(i);
            }
        }
        if let Some(weight) = is {
            let postings = term.postings(weight);
            if let Err(i) = postings.binary_search(&n) {
                postings.insert(i, n);
            }
        }
        if term.title.is_empty() && term.body.is_empty() {
            terms.remove(at);
            entries.remove(at);
        } else {
            entries[at] = entry(term);
        }
    }
    any
}

/// Compares strings as JavaScript does (by UTF-16 code units).
pub fn utf16_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends the posting list `records` (ascending) to `out`.
pub fn encode(records: &[u32], out: &mut String) {
    let mut previous = 0u32;
    for (i, &n) in records.iter().enumerate() {
        let gap = if i == 0 { n } else { n - previous };
        previous = n;
        let mut digits = [0u8; 7];
        let mut len = 0;
        let mut rest = gap;
        loop {
            digits[len] = (rest & 31) as u8;
            len += 1;
            rest >>= 5;
            if rest == 0 {
                break;
            }
        }
        for (k, &digit) in digits[..len].iter().enumerate().rev() {
            let continued = if k > 0 { 32 } else { 0 };
            out.push(char::from(DIGITS[usize::from(digit + continued)]));
        }
    }
}

/// A term's entry in its chunk: `[term, title postings, body postings]`.
pub fn entry(term: &Term) -> String {
    let mut entry = String::with_capacity(term.text.len() + term.title.len() + term.body.len());
    entry.push('[');
    push_json_string(&mut entry, &term.text);
    entry.push_str(",\"");
    encode(&term.title, &mut entry);
    entry.push_str("\",\"");
    encode(&term.body, &mut entry);
    entry.push_str("\"]");
    entry
}

/// The terms cut into chunks, from each term's [`entry`]: each chunk's
/// JSON text (`[[term, title postings, body postings], …]`) and its first
/// term.
pub fn chunks_of(terms: &[Term], entries: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::from("[");
    let mut first: Option<&str> = None;
    for (term, entry) in terms.iter().zip(entries) {
        if let Some(start) = first
            && current.len() + entry.len() > CHUNK_BYTES
        {
            current.push(']');
            out.push((std::mem::take(&mut current), start.to_string()));
            current.push('[');
            first = None;
        }
        if first.is_some() {
            current.push(',');
        } else {
            first = Some(&term.text);
        }
        current.push_str(entry);
    }
    if let Some(start) = first {
        current.push(']');
        out.push((current, start.to_string()));
    }
    out
}

fn push_json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(terms: &[Term]) -> Vec<(String, String)> {
        chunks_of(terms, &terms.iter().map(entry).collect::<Vec<_>>())
    }

    fn decode(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut value, mut previous) = (0u32, 0u32);
        for byte in text.bytes() {
            let digit = DIGITS.iter().position(|&d| d == byte).unwrap() as u32;
            value = (value << 5) | (digit & 31);
            if digit < 32 {
                previous += value;
                out.push(previous);
                value = 0;
            }
        }
        out
    }

    #[test]
    fn postings_round_trip_through_the_encoding() {
        let lists: [&[u32]; 4] = [
            &[],
            &[0],
            &[0, 1, 2, 31, 32, 33, 1000, 1_000_000],
            &[5, 70000],
        ];
        for list in lists {
            let mut text = String::new();
            encode(list, &mut text);
            assert_eq!(decode(&text), list, "{text}");
            assert!(!text.contains(['"', '\\']));
        }
        let mut small = String::new();
        encode(&[0, 1, 2, 3], &mut small);
        assert_eq!(small, "0111", "a gap below 32 takes one character");
    }

    #[test]
    fn words_are_lowercased_folded_and_split() {
        let text = normalise("Deir ez-Zor, Türkiye's ÇAĞLAYAN and Ḥalab: a x 2018!");
        let found: Vec<&str> = words(&text, &Stop::new(STOP_WORDS_EN)).collect();
        assert_eq!(
            found,
            ["deir", "ez", "zor", "turkiye", "caglayan", "halab", "2018"]
        );
        let arabic = normalise("دير الزور");
        assert_eq!(words(&arabic, &Stop::new(&[])).count(), 2);
        // Runs at either end, one-letter runs, and a non-ASCII separator
        // (the em dash keeps the text off the ASCII path).
        let ascii: Vec<&str> = words("--ab--c-de9--x", &Stop::new(&[])).collect();
        assert_eq!(ascii, ["ab", "de9"]);
        let dashed = normalise("Naïve—café, x 12");
        let found: Vec<&str> = words(&dashed, &Stop::new(&[])).collect();
        assert_eq!(found, ["naive", "cafe", "12"]);
        // Stop words of up to eight bytes and longer ones are both dropped,
        // and only whole: a word they begin is kept.
        let stop = ["an", "and", "nevertheless"];
        let kept: Vec<&str> =
            words("an ann and andes nevertheless never", &Stop::new(&stop)).collect();
        assert_eq!(kept, ["ann", "andes", "never"]);
    }

    #[test]
    fn title_terms_are_kept_apart_from_body_terms() {
        let records = [
            Fields {
                title: "Syrian Democratic Forces".into(),
                body: "The forces of the north; forces again.".into(),
            },
            Fields {
                title: "Raqqa".into(),
                body: "Democratic forces took Raqqa.".into(),
            },
        ];
        let terms = index(&records, STOP_WORDS_EN);
        let find = |t: &str| terms.iter().find(|x| x.text == t).unwrap();
        assert_eq!(find("forces").title, [0]);
        assert_eq!(find("forces").body, [1]);
        assert_eq!(find("raqqa").title, [1]);
        assert!(find("raqqa").body.is_empty());
        assert!(terms.iter().all(|t| t.text != "the"));
        let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
    }

    #[test]
    fn an_updated_index_is_the_index_of_the_records_as_they_are_now() {
        let record = |title: &str, body: &str| Fields {
            title: title.into(),
            body: body.into(),
        };
        let mut records = vec![
            record("Battle of Raqqa", "Forces took the city of Raqqa."),
            record("Siege of Deir ez-Zor", "Raqqa forces moved south."),
            record("Hajin", "The last town; Türkiye watched."),
        ];
        let mut terms = index(&records, STOP_WORDS_EN);
        let mut entries: Vec<String> = terms.iter().map(entry).collect();
        // Each edit: record 1 gains, loses and moves terms between its
        // title and text, adds a word no record had, drops one only it
        // had, and finally empties.
        let edits = [
            record("Siege of Raqqa", "Forces moved south; drones overhead."),
            record("Deir ez-Zor", "Raqqa forces moved south."),
            record("Hajin and Raqqa", "Türkiye forces"),
            record("", ""),
            record("Siege of Deir ez-Zor", "Raqqa forces moved south."),
        ];
        for after in edits {
            let before_terms = terms.clone();
            let changed = update(
                &mut terms,
                &mut entries,
                1,
                &records[1],
                &after,
                STOP_WORDS_EN,
            );
            assert_eq!(changed, terms != before_terms, "{after:?}");
            records[1] = after;
            let fresh = index(&records, STOP_WORDS_EN);
            assert_eq!(terms, fresh, "{:?}", records[1]);
            assert_eq!(chunks_of(&terms, &entries), chunks(&fresh));
        }
    }

    #[test]
    fn chunks_stay_small_and_cover_every_term_in_order() {
        let records: Vec<Fields> = (0..3000)
            .map(|n| Fields {
                title: format!("word{n} common"),
                body: format!("text{} other{}", n % 97, n % 13),
            })
            .collect();
        let terms = index(&records, &[]);
        let chunks = chunks(&terms);
        assert!(chunks.len() > 1);
        let mut seen = 0;
        for (json, first) in &chunks {
            let parsed: Vec<(String, String, String)> = serde_json::from_str(json).unwrap();
            assert_eq!(&parsed[0].0, first);
            assert!(
                parsed.len() == 1 || json.len() <= CHUNK_BYTES,
                "{}",
                json.len()
            );
            seen += parsed.len();
        }
        assert_eq!(seen, terms.len());
        assert!(chunks.windows(2).all(|w| w[0].1 < w[1].1));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS_EN.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn order_is_javascripts() {
        assert_eq!(utf16_order("abc", "abd"), Ordering::Less);
        // U+FF5E (one UTF-16 unit) sorts after U+1F600 (a surrogate pair)
        // in JavaScript, though before it by code point.
        assert_eq!(utf16_order("\u{ff5e}", "\u{1f600}"), Ordering::Greater);
    }
}
