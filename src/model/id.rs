//! Ids: the names records and tags go by.
//!
//! An id is lowercase ASCII letters, digits and single hyphens, at most 100
//! characters, so it is safe as a URL segment and a folder name: no id can
//! name a path outside the output folder.

/// The longest id allowed.
pub const MAX_LEN: usize = 100;

/// Checks an id, returning what is wrong with it.
pub fn validate(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id cannot be empty".to_string());
    }
    if id.len() > MAX_LEN {
        return Err(format!(
            "an id can be at most {MAX_LEN} characters (this one has {})",
            id.len()
        ));
    }
    // Byte by byte: every citation and cross-link of a site is checked, and
    // a char iterator and a substring search cost several times as much.
    let bytes = id.as_bytes();
    let allowed = |byte: &u8| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'-';
    if let Some(at) = bytes.iter().position(|byte| !allowed(byte)) {
        // A lead byte comes before its continuation bytes: `at` starts a char.
        let bad = id
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or_default();
        return Err(format!(
            "`{id}` is not a valid id: `{bad}` is not allowed (use lowercase letters, digits and single hyphens)"
        ));
    }
    let double = bytes.windows(2).any(|pair| pair == b"--");
    if bytes.first() == Some(&b'-') || bytes.last() == Some(&b'-') || double {
        return Err(format!(
            "`{id}` is not a valid id: use single hyphens, between letters or digits"
        ));
    }
    Ok(())
}

/// A valid id suggested for an invalid one: lowercased, with every run of
/// other characters turned into one hyphen.
pub fn suggest(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(MAX_LEN).collect();
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty() && validate(&out).is_ok()).then_some(out)
}

/// The known id closest to `wanted`, if one is close enough to be a likely
/// typo: edit distance at most a third of its length, a prefix of it, or
/// an id holding every word of it (`syrian-army` for `syrian-arab-army`).
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    let words: Vec<&str> = wanted.split('-').filter(|w| !w.is_empty()).collect();
    let holds_words = |candidate: &str| {
        words.len() > 1 && words.iter().all(|w| candidate.split('-').any(|c| c == *w))
    };
    known
        .into_iter()
        .map(|candidate| (distance(wanted, candidate), candidate))
        .filter(|(d, candidate)| {
            *d <= limit
                || (wanted.len() >= 3 && candidate.starts_with(wanted))
                || holds_words(candidate)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over bytes (ids are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ids_pass() {
        for id in ["sdf", "islamic-state", "2018-02-07-attack", "a1"] {
            assert_eq!(validate(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn invalid_ids_say_why() {
        assert!(validate("").is_err());
        assert!(validate("SDF").unwrap_err().contains("`S` is not allowed"));
        assert!(
            validate("../etc")
                .unwrap_err()
                .contains("`.` is not allowed")
        );
        assert!(validate("a--b").unwrap_err().contains("single"));
        assert!(validate("café").unwrap_err().contains("`é` is not allowed"));
        assert!(validate("-É").unwrap_err().contains("`É` is not allowed"));
        assert!(validate("-a").is_err());
        assert!(validate("a-").is_err());
        assert!(
            validate(&"a".repeat(101))
                .unwrap_err()
                .contains("at most 100")
        );
        assert!(validate("café").is_err());
    }

    #[test]
    fn suggestions_are_valid_ids() {
        assert_eq!(suggest("Islamic State").as_deref(), Some("islamic-state"));
        assert_eq!(suggest("../../etc/passwd").as_deref(), Some("etc-passwd"));
        assert_eq!(suggest("!!!"), None);
    }

    #[test]
    fn nearest_finds_likely_typos() {
        let known = ["sdf", "syrian-arab-army", "islamic-state"];
        assert_eq!(nearest("islamic-stat", known), Some("islamic-state"));
        assert_eq!(nearest("syrian-army", known), Some("syrian-arab-army"));
        assert_eq!(nearest("hezbollah", known), None);
    }
}
