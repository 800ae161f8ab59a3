//! A source as a BibTeX entry, escaped so that both BibTeX (which counts
//! every brace, escaped or not) and LaTeX read it as written.

use super::{Form, Name, address, names};
use crate::model::Source;
use crate::model::date::{Day, Edtf, Precision};

/// One BibTeX entry, ending in a newline.
pub(super) fn bibtex(source: &Source) -> String {
    let form = Form::of(source.kind);
    let (entry, publisher_field) = match form {
        Form::Newspaper | Form::Magazine => ("article", "journal"),
        Form::Report => ("techreport", "institution"),
        Form::Speech | Form::Document => ("misc", "howpublished"),
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(author) = &source.author {
        let authors: Vec<String> = names(author)
            .iter()
            .map(|name| match name {
                Name::Person { family, given } => {
                    format!("{}, {}", bib_escape(family), bib_escape(given))
                }
                Name::Literal(name) => format!("{{{}}}", bib_escape(name)),
            })
            .collect();
        if !authors.is_empty() {
            fields.push(("author", authors.join(" and ")));
        }
    }
    fields.push(("title", format!("{{{}}}", bib_escape(&source.title))));
    fields.push((publisher_field, bib_escape(&source.publisher)));
    if let Some(published) = &source.published {
        let (start, end) = (published.start(), published.end());
        if let (Some(start), Some(end)) = (start, end) {
            if start.year == end.year {
                fields.push(("year", year_text(start.year)));
                if published.precision() >= Precision::Month && start.month == end.month {
                    fields.push(("month", month_macro(start.month).to_string()));
                }
            }
        }
        if let Some(date) = iso_date(published) {
            fields.push(("date", date));
        }
    }
    if let Some(url) = address(source) {
        fields.push(("url", bib_url(url)));
    }
    if let Some(accessed) = source.accessed.as_ref().and_then(iso_date) {
        fields.push(("urldate", accessed));
    }
    if let Some(published) = source
        .published
        .as_ref()
        .filter(|d| d.is_approximate() || d.is_uncertain())
    {
        fields.push((
            "note",
            bib_escape(&format!("Publication date: {}", published.display())),
        ));
    }
    let mut out = format!("@{entry}{{{},\n", source.id);
    for (name, value) in fields {
        if name == "month" {
            out.push_str(&format!("  {name} = {value},\n"));
        } else {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
    }
    out.push_str("}\n");
    out
}

/// BibTeX's month macro.
fn month_macro(month: u8) -> &'static str {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .get(usize::from(month).saturating_sub(1))
        .copied()
        .unwrap_or("jan")
}

fn year_text(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// A date as ISO 8601 at its precision (`2018`, `2018-05`, `2018-05-03`),
/// or `start/end` when it covers more than that.
fn iso_date(date: &Edtf) -> Option<String> {
    let at = |day: Day| -> String {
        let year = year_text(day.year);
        match date.precision() {
            Precision::Day => format!("{year}-{:02}-{:02}", day.month, day.day),
            Precision::Month | Precision::Season => format!("{year}-{:02}", day.month),
            Precision::Year | Precision::Decade | Precision::Century => year,
        }
    };
    match (date.start(), date.end()) {
        (Some(start), Some(end)) if at(start) == at(end) => Some(at(start)),
        (Some(start), Some(end)) => Some(format!("{}/{}", at(start), at(end))),
        (Some(start), None) => Some(format!("{}/..", at(start))),
        (None, Some(end)) => Some(format!("../{}", at(end))),
        (None, None) => None,
    }
}

/// Text escaped for a braced BibTeX field read by LaTeX: the ten special
/// characters become commands (braces too, since BibTeX counts `\{` as an
/// opening brace), line breaks become spaces, other control characters go.
fn bib_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL for BibTeX's verbatim `url` field: the characters that would break
/// the field (braces, backslash, whitespace) are percent-encoded.
fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for ch in url.chars() {
        match ch {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    #[test]
    fn bibtex_escapes_what_latex_reads_specially() {
        assert_eq!(
            bib_escape("50% & $5 #1 a_b {x} ~^\\"),
            "50\\% \\& \\$5 \\#1 a\\_b \\textbraceleft{}x\\textbraceright{} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
        assert_eq!(
            bib_url("https://x.org/a b{c}"),
            "https://x.org/a%20b%7Bc%7D"
        );
        let entry = bibtex(&sample(Some("Thomas Joscelyn"), None, "2018-05~"));
        assert!(entry.starts_with("@article{lwj-2018,\n  author = {Joscelyn, Thomas},\n"));
        assert!(entry.contains("  year = {2018},\n  month = may,\n  date = {2018-05},\n"));
        assert!(entry.contains("  note = {Publication date: c. May 2018},\n"));
    }
}
