//! Syntax highlighting of fenced code blocks, as static HTML and CSS.
//!
//! Code is split into `<span>`s carrying CSS classes (`hl-keyword`,
//! `hl-string`, …) rather than inline styles, so one stylesheet
//! ([`stylesheet`]) themes every page, light and dark. syntect's syntax
//! definitions take a while to load, so they are loaded once, and only when
//! the first block that names a language is highlighted.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::markdown::push_escaped;

/// How syntect names the classes: each scope atom prefixed with `hl-`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The class on a highlighted block's `<pre>`: the theme's colours and background.
pub const BLOCK_CLASS: &str = "hl-code";

/// The theme for light mode.
const LIGHT_THEME: &str = "InspiredGitHub";

/// The theme for `prefers-color-scheme: dark`.
const DARK_THEME: &str = "base16-ocean.dark";

/// The syntax definitions, loaded on first use.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language a fenced block's info string names: its first word
/// (`rust` in `rust,ignore` or `rust title="x"`), if any.
pub fn language(info: &str) -> Option<&str> {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .find(|word| !word.is_empty())
}

/// The HTML of a code block whose fence had the info string `info`:
/// highlighted when it names a language syntect knows, otherwise the code
/// escaped in a plain `<pre><code>`.
pub fn code_block(code: &str, info: &str) -> String {
    language(info)
        .and_then(|language| highlight(code, language))
        .unwrap_or_else(|| plain(code))
}

/// `code` in a plain `<pre><code>`, escaped.
pub fn plain(code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 32);
    html.push_str("<pre><code>");
    push_escaped(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

/// `code` highlighted as `language` (a name or file extension, any case),
/// or `None` when syntect does not know the language or fails on the code.
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let syntaxes = syntaxes();
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let spans = generator.finalize();
    let mut html = String::with_capacity(spans.len() + 48);
    html.push_str("<pre class=\"");
    html.push_str(BLOCK_CLASS);
    html.push_str("\"><code>");
    html.push_str(&spans);
    html.push_str("</code></pre>\n");
    Some(html)
}

/// The CSS for the highlighting classes: the light theme (InspiredGitHub),
/// then the dark one (base16-ocean.dark) under
/// `@media (prefers-color-scheme: dark)`.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css_for = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
    };
    let mut css = String::new();
    if let Some(light) = css_for(LIGHT_THEME) {
        css.push_str(&light);
    }
    if let Some(dark) = css_for(DARK_THEME) {
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        css.push_str(&dark);
        css.push_str("}\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_is_the_first_word() {
        assert_eq!(language("rust"), Some("rust"));
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language("  python title=\"x.py\""), Some("python"));
        assert_eq!(language("js{.line-numbers}"), Some("js"));
        assert_eq!(language(""), None);
        assert_eq!(language("   "), None);
    }

    #[test]
    fn known_language_gets_classes_and_no_inline_style() {
        let html = code_block("fn main() { let x = \"<b>\"; }\n", "rust");
        assert!(html.starts_with("<pre class=\"hl-code\"><code>"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("hl-keyword"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn language_names_are_case_insensitive_and_extensions_work() {
        assert!(highlight("x = 1\n", "Python").is_some());
        assert!(highlight("x = 1\n", "py").is_some());
    }

    #[test]
    fn unknown_or_missing_language_is_plain_and_escaped() {
        let code = "a < b && c\n";
        let expected = "<pre><code>a &lt; b &amp;&amp; c\n</code></pre>\n";
        assert_eq!(code_block(code, "no-such-language"), expected);
        assert_eq!(code_block(code, ""), expected);
        assert_eq!(plain(code), expected);
    }

    #[test]
    fn odd_code_does_not_break_highlighting() {
        for code in [
            "",
            "\n",
            "\"unterminated",
            "/* open",
            "é ü 漢字 \u{0}\n",
            "\r\n\r\n",
        ] {
            let html = code_block(code, "rust");
            assert!(html.ends_with("</code></pre>\n"), "{html}");
        }
    }

    #[test]
    fn stylesheet_has_light_and_dark_themes() {
        let css = stylesheet();
        assert!(css.contains(".hl-code"), "{css}");
        assert!(css.contains(".hl-comment"), "{css}");
        let dark = css.find("@media (prefers-color-scheme: dark) {");
        assert!(dark.is_some(), "{css}");
        let light = css.find(".hl-code");
        assert!(light < dark, "light theme first");
        assert!(css.trim_end().ends_with('}'));
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }

    #[test]
    fn stylesheet_is_deterministic() {
        assert_eq!(stylesheet(), stylesheet());
    }
}
