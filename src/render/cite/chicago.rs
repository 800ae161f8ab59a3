//! A source in Chicago style (17th edition, notes and bibliography), as
//! HTML for the "cite this" box.

use super::super::markdown::escape_html;
use super::{Form, Name, address, genre, names};
use crate::model::Source;
use crate::model::date::{Day, Edtf, Precision};

/// Which Chicago form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// The footnote: "Given Family, “Title,” <i>Outlet</i>, Date, URL."
    Note,
    /// The bibliography entry: "Family, Given. “Title.” <i>Outlet</i>, Date. URL."
    Bibliography,
}

/// A source in Chicago style (17th edition, notes and bibliography), as
/// HTML.
pub(super) fn chicago(source: &Source, style: Style) -> String {
    let (separator, end) = match style {
        Style::Note => (", ", "."),
        Style::Bibliography => (". ", "."),
    };
    let mut text = String::new();
    let names = source.author.as_deref().map(names).unwrap_or_default();
    if !names.is_empty() {
        text.push_str(&escape_html(&author_list(&names, style)));
        text.push_str(if text.ends_with('.') { " " } else { separator });
    }
    let title = source.title.trim();
    let closing = if title.ends_with(['?', '!', '.']) {
        ""
    } else if style == Style::Note {
        ","
    } else {
        "."
    };
    text.push_str(&format!("“{}{closing}” ", escape_html(title)));
    let form = Form::of(source.kind);
    if form.periodical() {
        text.push_str(&format!("<i>{}</i>", escape_html(&source.publisher)));
    } else {
        if let Some(genre) = genre(source.kind) {
            text.push_str(&escape_html(&capitalised(genre)));
            text.push_str(", ");
        }
        text.push_str(&escape_html(&source.publisher));
    }
    match (&source.published, &source.accessed) {
        (Some(published), _) => {
            text.push_str(", ");
            text.push_str(&escape_html(&chicago_date(published)));
        }
        (None, Some(accessed)) => {
            text.push_str(if style == Style::Note {
                ", accessed "
            } else {
                ". Accessed "
            });
            text.push_str(&escape_html(&chicago_date(accessed)));
        }
        (None, None) => {}
    }
    if let Some(url) = address(source) {
        text.push_str(separator);
        let url = escape_html(url);
        text.push_str(&format!("<a href=\"{url}\">{url}</a>"));
    }
    text.push_str(end);
    text
}

/// The authors as Chicago lists them: notes "A, B, and C" (four or more:
/// "A et al."), the bibliography with the first name inverted.
fn author_list(names: &[Name], style: Style) -> String {
    let shown: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i == 0 && style == Style::Bibliography {
                name.inverted()
            } else {
                name.natural()
            }
        })
        .collect();
    match (shown.as_slice(), style) {
        ([], _) => String::new(),
        ([one], _) => one.clone(),
        ([first, ..], Style::Note) if shown.len() > 3 => format!("{first} et al."),
        ([first, second], Style::Note) => format!("{first} and {second}"),
        ([first, second], Style::Bibliography) => format!("{first}, and {second}"),
        ([rest @ .., last], _) => format!("{}, and {last}", rest.join(", ")),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A date as Chicago writes it: "May 3, 2018", "May 2018", "July–December
/// 2018", with "ca." for an approximate date; an uncertain one is
/// bracketed with a question mark ("[January 2017?]").
fn chicago_date(date: &Edtf) -> String {
    let month = |day: Day| crate::model::date::month_name(day.month);
    let precision = date.precision();
    let at = |day: Day| -> String {
        match precision {
            Precision::Day => format!("{} {}, {}", month(day), day.day, day.year),
            Precision::Month | Precision::Season => format!("{} {}", month(day), day.year),
            Precision::Year | Precision::Decade | Precision::Century => day.year.to_string(),
        }
    };
    let text = match (date.start(), date.end()) {
        (Some(start), Some(end)) if at(start) == at(end) => at(start),
        (Some(start), Some(end))
            if start.year == end.year
                && matches!(precision, Precision::Month | Precision::Season) =>
        {
            format!("{}–{} {}", month(start), month(end), start.year)
        }
        (Some(start), Some(end)) => format!("{}–{}", at(start), at(end)),
        _ => date.display(),
    };
    let text = if date.is_approximate() {
        format!("ca. {text}")
    } else {
        text
    };
    if date.is_uncertain() {
        format!("[{text}?]")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;
    use crate::model::kinds::SourceKind;

    #[test]
    fn chicago_reads_as_the_manual_shows() {
        let s = sample(
            Some("Thomas Joscelyn"),
            Some(SourceKind::Analysis),
            "2018-05~",
        );
        assert_eq!(
            chicago(&s, Style::Bibliography),
            "Joscelyn, Thomas. “Islamic State continues to battle Assad regime, allies.” <i>FDD&#39;s Long War Journal</i>, ca. May 2018. <a href=\"https://www.longwarjournal.org/archives/2018/05/x.php\">https://www.longwarjournal.org/archives/2018/05/x.php</a>."
        );
        assert_eq!(
            chicago(&s, Style::Note),
            "Thomas Joscelyn, “Islamic State continues to battle Assad regime, allies,” <i>FDD&#39;s Long War Journal</i>, ca. May 2018, <a href=\"https://www.longwarjournal.org/archives/2018/05/x.php\">https://www.longwarjournal.org/archives/2018/05/x.php</a>."
        );
        let d = |text: &str| chicago_date(&Edtf::parse(text).unwrap());
        assert_eq!(d("2018-02-07"), "February 7, 2018");
        assert_eq!(d("[2018-07..2018-12]"), "July–December 2018");
        assert_eq!(d("2017-01?"), "[January 2017?]");
        assert_eq!(d("2018-06%"), "[ca. June 2018?]");
    }
}
