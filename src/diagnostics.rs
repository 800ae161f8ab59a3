//! Problems found in a site, with where they are and what to do about them.
//!
//! Every stage reports into a [`Diagnostics`] collector instead of stopping at
//! the first problem, so one build lists everything at once. A diagnostic
//! carries the file (relative to the site root), a 1-based line and column,
//! a message, an optional hint, and the offending line of text so it can be
//! shown under the message as rustc does (via annotate-snippets).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build succeeds, but something deserves a look.
    Warning,
}

/// One problem, located in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when we can tell.
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at a position in a file whose text is `text` (the line is
    /// copied from it for display).
    pub fn error(file: &Path, text: &str, at: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, text, at, message)
    }

    /// An error at a position in a file whose text is no longer at hand
    /// (no line is shown under the message).
    pub fn error_at(file: &Path, at: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, "", at, message)
    }

    /// A warning at a position in a file whose text is `text`.
    pub fn warning(file: &Path, text: &str, at: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, text, at, message)
    }

    /// A problem with a whole file (unreadable, empty, misplaced).
    pub fn file_level(severity: Severity, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            severity,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    fn new(
        severity: Severity,
        file: &Path,
        text: &str,
        at: Position,
        message: impl Into<String>,
    ) -> Self {
        let source_line = text
            .lines()
            .nth(at.line.saturating_sub(1))
            .map(str::to_string);
        Diagnostic {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
            severity,
            message: message.into(),
            hint: None,
            source_line,
        }
    }

    /// Adds a hint ("did you mean …", "write it as …").
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// `file:line:col`, or just the file when the position is unknown.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (line, 0) => format!("{file}:{line}"),
            (line, col) => format!("{file}:{line}:{col}"),
        }
    }

    /// The human form: `file:line:col: error: message`, then the line with a
    /// caret under the column, then the hint.
    pub fn render_text(&self) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}: {label}: {}\n", self.location(), self.message);
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut elements = Vec::new();
        if let (Some(line), true) = (&self.source_line, self.line > 0) {
            let start = char_to_byte(line, self.column.saturating_sub(1));
            let end = token_end(line, start);
            elements.push(
                Group::with_level(level.clone()).element(
                    Snippet::source(line.as_str())
                        .line_start(self.line)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                ),
            );
        }
        if let Some(hint) = &self.hint {
            elements.push(Group::with_level(level).element(Level::HELP.message(hint.as_str())));
        }
        if !elements.is_empty() {
            let rendered = Renderer::plain().render(&elements);
            let _ = writeln!(out, "{rendered}");
        }
        out
    }

    /// The GitHub Actions annotation form.
    pub fn render_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str(" (");
            message.push_str(hint);
            message.push(')');
        }
        format!(
            "::{kind} file={},line={},col={}::{}",
            escape_github_property(&self.file.display().to_string()),
            self.line,
            self.column,
            escape_github_data(&message)
        )
    }
}

fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(text: &str) -> String {
    escape_github_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// The byte index of the `chars`-th character of `line` (clamped).
fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(index, _)| index)
}

/// The end of the token starting at `start`: up to the next space or
/// punctuation that ends a YAML scalar, at least one character.
fn token_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '"' | '\''))
        .unwrap_or(rest.len());
    if len == 0 {
        rest.chars().next().map_or(start, |c| start + c.len_utf8())
    } else {
        start + len
    }
}

/// A 1-based line and column (in characters) in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// All the problems of one run, in the order found; sorted before printing.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors and warnings there are.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, self.items.len() - errors)
    }

    /// The problems sorted by file, line and column, duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 5),
            Position { line: 2, column: 1 }
        );
        // "x" sits after "bé: " (4 characters, 5 bytes).
        assert_eq!(
            Position::of_offset(text, 10),
            Position { line: 2, column: 5 }
        );
    }

    #[test]
    fn text_form_names_file_line_column_and_shows_the_line() {
        let text = "title: x\ntype: atack\n";
        let d = Diagnostic::error(
            Path::new("content/events/a.yaml"),
            text,
            Position { line: 2, column: 7 },
            "unknown event type `atack`",
        )
        .with_hint("did you mean `attack`?");
        let out = d.render_text();
        assert!(out.starts_with("content/events/a.yaml:2:7: error: unknown event type `atack`\n"));
        assert!(out.contains("2 | type: atack"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `attack`?"), "{out}");
    }

    #[test]
    fn github_form_escapes_properties() {
        let d = Diagnostic::file_level(Severity::Warning, Path::new("a,b.md"), "50% odd\nthing");
        assert_eq!(
            d.render_github(),
            "::warning file=a%2Cb.md,line=0,col=0::50%25 odd%0Athing"
        );
    }
}
