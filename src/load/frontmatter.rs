//! Splitting a Markdown file into its YAML front matter and its body.

/// The parts of a `.md` file: byte ranges into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines.
    pub yaml: std::ops::Range<usize>,
    /// The Markdown after the closing `---` line.
    pub body: std::ops::Range<usize>,
}

/// Why a file has no usable front matter, with the byte offset to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// What is wrong.
    pub message: &'static str,
    /// What to do.
    pub hint: &'static str,
    /// Where to point.
    pub offset: usize,
}

/// Splits `text` at its `---` front matter fences. The opening fence must be
/// the first line; the closing one is the next line that is `---` alone.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(SplitError {
            message: "a Markdown file must start with YAML front matter",
            hint: "put a line `---`, the fields (e.g. `title: …`), and another `---` line at the top of the file",
            offset: 0,
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        message: "the front matter is not closed",
        hint: "end the front matter with a line that holds only `---`",
        offset: text.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml.clone()], "title: A\n");
        assert_eq!(&text[split.body.clone()], "Body\n");
    }

    #[test]
    fn windows_line_endings_and_empty_bodies_work() {
        let text = "---\r\ntitle: A\r\n---\r\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml.clone()], "title: A\r\n");
        assert!(split.body.is_empty());
    }

    #[test]
    fn missing_fences_are_errors() {
        assert_eq!(split("title: A\n").unwrap_err().offset, 0);
        let err = split("---\ntitle: A\n").unwrap_err();
        assert_eq!(err.message, "the front matter is not closed");
        assert_eq!(err.offset, 13);
        assert!(split("").is_err());
    }
}
