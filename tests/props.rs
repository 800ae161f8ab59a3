//! Property tests: laws that must hold for every input, not just the
//! examples in the unit tests.
//!
//! - EDTF dates: what parses prints back as written and parses to the same
//!   date; bounds are ordered; the timeline's order is a total order
//!   consistent with equality and with start days; no text panics the
//!   parser.
//! - Ids: every well-formed id is accepted, nothing outside
//!   `[a-z0-9-]` ever is (so no id can name a path), and `suggest` only
//!   suggests valid ids.
//! - Escaping: hostile strings (markup, script payloads, quotes,
//!   ampersands, template syntax) in every text field a reader sees come
//!   out as text: a site built from them has no script, handler or
//!   `javascript:` address that the content could have produced, its feeds
//!   are well-formed XML, and its data exports keep the text exactly.

mod safety;

use std::cmp::Ordering;
use std::path::Path;

use dossier::model::date::{Day, Edtf};
use dossier::model::id;
use proptest::prelude::*;

// ---------------------------------------------------------------- EDTF

/// A four-digit year as EDTF writes it (`0044`, `-0044`, `2018`).
fn year_text(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| Day::new(year, month as u8, d as u8).is_some())
        .unwrap_or(28)
}

/// One date without qualifier or interval, anchored in `year`.
fn plain_date(year: i32) -> BoxedStrategy<String> {
    let y = year_text(year);
    let nonnegative = year >= 0;
    let mut forms: Vec<BoxedStrategy<String>> = vec![
        Just(y.clone()).boxed(),
        (1u32..=12)
            .prop_map({
                let y = y.clone();
                move |m| format!("{y}-{m:02}")
            })
            .boxed(),
        (1u32..=12, 1u32..=31)
            .prop_map({
                let y = y.clone();
                move |(m, d)| format!("{y}-{m:02}-{:02}", d.min(days_in_month(year, m)))
            })
            .boxed(),
        (21u32..=41)
            .prop_map({
                let y = y.clone();
                move |s| format!("{y}-{s}")
            })
            .boxed(),
        Just(format!("{y}-XX")).boxed(),
        (1u32..=12)
            .prop_map({
                let y = y.clone();
                move |m| format!("{y}-{m:02}-XX")
            })
            .boxed(),
    ];
    if nonnegative {
        forms.push(Just(format!("{}X", &y[..3])).boxed());
        forms.push(Just(format!("{}XX", &y[..2])).boxed());
    }
    proptest::strategy::Union::new(forms).boxed()
}

fn qualifier() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just(""), 1 => Just("~"), 1 => Just("?"), 1 => Just("%")]
}

fn year() -> impl Strategy<Value = i32> {
    prop_oneof![9 => 1000i32..=2100, 1 => 0i32..=999, 1 => -999i32..=-1]
}

/// A qualified date in `year`.
fn dated(year: i32) -> impl Strategy<Value = String> {
    (plain_date(year), qualifier()).prop_map(|(d, q)| format!("{d}{q}"))
}

/// Any valid EDTF text of the forms the content model lists: a date, an
/// interval (closed, open or unknown at either end), a one-of-a-set.
/// The later end of an interval or range lies in a later year, so the
/// text is always valid.
fn edtf_text() -> impl Strategy<Value = String> {
    fn single() -> BoxedStrategy<String> {
        year().prop_flat_map(dated).boxed()
    }
    fn pair() -> BoxedStrategy<(String, String)> {
        (year(), 1i32..=30)
            .prop_flat_map(|(a, gap)| (dated(a), dated(a + gap)))
            .boxed()
    }
    prop_oneof![
        4 => single(),
        2 => pair().prop_map(|(a, b)| format!("{a}/{b}")),
        1 => single().prop_map(|a| format!("{a}/..")),
        1 => single().prop_map(|a| format!("../{a}")),
        1 => single().prop_map(|a| format!("{a}/")),
        1 => single().prop_map(|a| format!("/{a}")),
        1 => pair().prop_map(|(a, b)| format!("[{a}..{b}]")),
        1 => pair().prop_map(|(a, b)| format!("[{a}, {b}]")),
        1 => single().prop_map(|a| format!("[..{a}]")),
        1 => single().prop_map(|a| format!("[{a}..]")),
    ]
}

fn parse(text: &str) -> Edtf {
    Edtf::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e} at {}", e.column))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn edtf_round_trips_through_its_written_form(text in edtf_text()) {
        let date = parse(&text);
        prop_assert_eq!(date.as_written(), text.as_str());
        prop_assert_eq!(date.to_string(), text.clone());
        prop_assert_eq!(&parse(&date.to_string()), &date);
        prop_assert_eq!(&parse(&format!("  {text}\n")), &date, "surrounding space is ignored");
        let display = date.display();
        prop_assert!(!display.trim().is_empty());
        prop_assert_eq!(display, parse(&text).display(), "the display text is deterministic");
        if let (Some(start), Some(end)) = (date.start(), date.end()) {
            prop_assert!(start <= end, "{} has start {} after end {}", text, start, end);
        }
        prop_assert!(date.start().is_some() || date.end().is_some());
        prop_assert_eq!(date.year(), date.start().or(date.end()).map(|d| d.year));
    }

    #[test]
    fn edtf_order_is_a_total_order_consistent_with_start_days(
        a in edtf_text(), b in edtf_text(), c in edtf_text()
    ) {
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        // Antisymmetric, and consistent with Eq.
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
        // Transitive.
        if a <= b && b <= c {
            prop_assert!(a <= c, "{} <= {} <= {} but not {} <= {}", a, b, c, a, c);
        }
        if a < b && b < c {
            prop_assert!(a < c);
        }
        // A date that starts earlier sorts earlier.
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
            if let (Some(sx), Some(sy)) = (x.start(), y.start()) {
                if sx < sy {
                    prop_assert!(x < y, "{} starts before {} but sorts after it", x, y);
                }
                if sx > sy {
                    prop_assert!(x > y, "{} starts after {} but sorts before it", x, y);
                }
            }
        }
        // Sorting any order of the three gives the same list.
        let mut forward = vec![a.clone(), b.clone(), c.clone()];
        let mut backward = vec![c, b, a];
        forward.sort();
        backward.sort();
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn edtf_never_panics_and_points_inside_the_text(text in "\\PC{0,40}") {
        match Edtf::parse(&text) {
            Ok(date) => prop_assert_eq!(&parse(date.as_written()), &date),
            Err(error) => {
                prop_assert!(error.column <= text.chars().count() + 1);
                prop_assert!(!error.message.is_empty());
            }
        }
    }

    #[test]
    fn edtf_near_misses_never_panic(text in "[0-9X?~%/\\.\\[\\], -]{0,24}") {
        if let Ok(date) = Edtf::parse(&text) {
            if let (Some(start), Some(end)) = (date.start(), date.end()) {
                prop_assert!(start <= end, "{}", text);
            }
            prop_assert_eq!(&parse(date.as_written()), &date);
        }
    }
}

// ------------------------------------------------------------------ ids

/// A well-formed id: words of `[a-z0-9]` joined by single hyphens.
fn valid_id() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,7}"
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_well_formed_id_is_accepted(id in valid_id()) {
        prop_assert_eq!(id::validate(&id), Ok(()));
        prop_assert_eq!(id::suggest(&id), Some(id.clone()), "a valid id is its own suggestion");
    }

    #[test]
    fn no_accepted_id_can_name_a_path(text in prop_oneof![
        "\\PC{0,30}",
        "[a-z0-9./\\\\-]{0,30}",
        "[a-z0-9-]{95,105}",
    ]) {
        if id::validate(&text).is_ok() {
            prop_assert!(!text.is_empty() && text.len() <= id::MAX_LEN);
            prop_assert!(text.chars().all(is_id_char), "{:?}", text);
            prop_assert!(!text.contains(['/', '.', '\\']));
            prop_assert!(!text.starts_with('-') && !text.ends_with('-') && !text.contains("--"));
            prop_assert_eq!(Path::new(&text).components().count(), 1);
        } else {
            prop_assert!(
                text.is_empty()
                    || text.len() > id::MAX_LEN
                    || !text.chars().all(is_id_char)
                    || text.starts_with('-')
                    || text.ends_with('-')
                    || text.contains("--"),
                "{:?} is well formed but was refused", text
            );
        }
    }

    #[test]
    fn suggestions_are_always_valid_ids(text in prop_oneof!["\\PC{0,120}", "[A-Za-z .'/_-]{0,120}"]) {
        if let Some(suggestion) = id::suggest(&text) {
            prop_assert_eq!(id::validate(&suggestion), Ok(()), "{:?} -> {:?}", text, suggestion);
        }
    }
}

// ------------------------------------------------------------- escaping

/// Pieces of hostile text: markup, script payloads, broken quoting,
/// entities, template syntax, CDATA and comment delimiters.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=\"javascript:alert(1)\"></iframe>",
    "</title><script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:alert(1)",
    "<div onclick=\"alert(1)\">x</div>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<object data=\"data:text/html,x\"></object>",
    "<style>body{display:none}</style>",
    "<x-pwn>",
    "<form action=\"https://evil.example/\"><button>x</button></form>",
    "&",
    "&amp;",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "<",
    ">",
    "\"",
    "'",
    "`",
    "{{ site.title }}",
    "{% raw %}",
    "]]>",
    "<!--",
    "-->",
    "<![CDATA[",
    "\\",
    "é ü 中文",
];

/// A hostile string: a marker (so required fields are never blank) and
/// fragments mixed with arbitrary printable ASCII except `[`, `]` and `|`
/// (which would start citations and cross-links, a different test).
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "[ -Z^-{}~\\\\]{1,8}",
    ];
    (any::<u16>(), prop::collection::vec(piece, 1..5))
        .prop_map(|(n, pieces)| format!("P{n} {}", pieces.concat()))
}

/// A YAML scalar holding `text` exactly (a JSON string is YAML).
fn y(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The strings of one hostile site, one per field.
#[derive(Debug, Clone)]
struct Payloads(Vec<String>);

impl Payloads {
    fn get(&self, i: usize) -> &str {
        &self.0[i % self.0.len()]
    }
    fn y(&self, i: usize) -> String {
        y(self.get(i))
    }
}

/// Writes a small site whose every reader-visible text field holds a
/// hostile string, and which is otherwise valid.
fn write_hostile_site(root: &Path, p: &Payloads) {
    let write = |path: &str, text: String| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    // A URL field may hold anything but whitespace after a real host.
    let url = |i: usize| {
        y(&format!(
            "https://example.org/{}",
            p.get(i).replace(char::is_whitespace, "")
        ))
    };
    write(
        "site.yaml",
        format!(
            "title: {}\ndescription: {}\nauthor: {}\nbase_url: https://example.org/repo/\n\
             event_types:\n  - {{ id: attack, label: {} }}\n  - statement\n",
            p.y(0),
            p.y(1),
            p.y(2),
            p.y(3)
        ),
    );
    write(
        "content/index.md",
        format!(
            "---\ntitle: {}\ndescription: {}\n---\n{}\n\nSee [[sdf]], [[actor:sdf|{}]], [[town]] and [[about]] [@src-a].\n",
            p.y(4),
            p.y(5),
            p.get(6),
            // A label cannot hold brackets or a bar, nor end in `\`
            // (which would escape the closing bracket): those are errors.
            p.get(44).replace(['[', ']', '|', '\\'], "")
        ),
    );
    write(
        "content/pages/about.md",
        format!(
            "---\ntitle: {}\ndescription: {}\nkind: analysis\ndate: 2018-03\n---\n# {}\n\n{}\n\n> {}\n\n| a | b |\n|:-:|--:|\n| {} | 2 |\n",
            p.y(7),
            p.y(8),
            p.get(9),
            p.get(10),
            p.get(11),
            p.get(12).replace('|', "\\|")
        ),
    );
    write(
        "content/actors/sdf.md",
        format!(
            "---\nname: {}\nshort: {}\naliases: [{}, {}]\nkind: armed-group\ndescription: {}\n\
             relations:\n  - {{ type: backed-by, actor: coalition, from: 2015, note: {}, cite: {{ source: src-a, loc: {} }} }}\n---\n{}\n",
            p.y(13),
            p.y(14),
            p.y(15),
            p.y(16),
            p.y(17),
            p.y(18),
            p.y(19),
            p.get(20)
        ),
    );
    write(
        "content/actors/coalition.md",
        format!("---\nname: {}\nkind: coalition\n---\n", p.y(21)),
    );
    write(
        "content/places/town.yaml",
        format!(
            "name: {}\naliases: [{}]\nkind: town\nlat: 35.3\nlon: 40.1\ndescription: {}\n",
            p.y(22),
            p.y(23),
            p.y(24)
        ),
    );
    write(
        "content/sources/src-a.md",
        format!(
            "---\ntitle: {}\npublisher: {}\npublisher_url: {}\nauthor: {}\npublished: 2018-05~\n\
             date_note: {}\nurl: {}\narchive_url: {}\nreliability: B\nreliability_note: {}\n---\n{}\n",
            p.y(25),
            p.y(26),
            url(27),
            p.y(28),
            p.y(29),
            url(30),
            url(31),
            p.y(32),
            p.get(33)
        ),
    );
    write(
        "content/events/2018/e1.yaml",
        format!(
            "title: {}\ndate: 2018-02-07\ndate_note: {}\ntype: attack\nplaces: [town]\n\
             actors:\n  - {{ actor: sdf, role: target }}\n  - {{ actor: coalition, role: perpetrator }}\n\
             tags: [a-tag]\nsummary: {}\nsources:\n  - {{ source: src-a, loc: {}, quote: {} }}\n\
             claims:\n  - {{ by: coalition, text: {}, status: unverified, cite: src-a }}\n\
             casualties:\n  - {{ group: {}, killed: 3, as_stated: {}, by: sdf, status: disputed, cite: src-a }}\n",
            p.y(34),
            p.y(35),
            y(&format!("{} [[sdf]] [@src-a]", p.get(36))),
            p.y(37),
            p.y(38),
            p.y(39),
            p.y(40),
            p.y(41)
        ),
    );
    write(
        "content/events/2018/e2.yaml",
        format!(
            "title: {}\ndate: 2018-03~\ntype: statement\nactors: [{{ actor: coalition, role: claimant }}]\n\
             summary: {}\nsources: [src-a]\nrelated: [e1]\n",
            p.y(42),
            p.y(43)
        ),
    );
}

/// Every problem in a compiled site: unsafe markup in a page or in a
/// feed's HTML, malformed XML, invalid JSON.
fn problems_in(compiled: &dossier::Compiled) -> Vec<String> {
    let mut problems = Vec::new();
    for file in &compiled.files {
        let path = file.path.display().to_string();
        let Ok(text) = std::str::from_utf8(&file.bytes) else {
            continue;
        };
        match file.path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                for problem in safety::unsafe_markup(text, &compiled.report.base_path) {
                    problems.push(format!("{path}: {problem}"));
                }
            }
            Some("xml") => match roxmltree::Document::parse(text) {
                Ok(doc) => {
                    for node in doc
                        .descendants()
                        .filter(|n| n.attribute("type") == Some("html"))
                    {
                        let html = node.text().unwrap_or_default();
                        for problem in safety::unsafe_markup(html, &compiled.report.base_path) {
                            problems.push(format!("{path} (feed HTML): {problem}"));
                        }
                    }
                }
                Err(error) => problems.push(format!("{path}: not well-formed XML: {error}")),
            },
            Some("json") => {
                if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
                    problems.push(format!("{path}: not valid JSON: {error}"));
                }
            }
            _ => {}
        }
    }
    problems
}

fn file<'a>(compiled: &'a dossier::Compiled, path: &str) -> &'a str {
    let found = compiled.files.iter().find(|f| f.path == Path::new(path));
    found
        .and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .unwrap_or_else(|| panic!("{path} is missing"))
}

proptest! {
    // Each case builds a whole site: fewer cases, still many payloads each.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn hostile_text_in_any_field_comes_out_as_text(
        payloads in prop::collection::vec(hostile(), 45)
    ) {
        let p = Payloads(payloads);
        let dir = tempfile::tempdir().unwrap();
        write_hostile_site(dir.path(), &p);
        let compiled = match dossier::compile(dir.path(), None) {
            Ok(compiled) => compiled,
            Err(dossier::Failure::Content(diagnostics)) => {
                let text: String = diagnostics.iter().map(|d| d.render_text()).collect();
                return Err(TestCaseError::fail(format!("the hostile site did not build:\n{text}")));
            }
            Err(dossier::Failure::Environment(message)) => {
                return Err(TestCaseError::fail(message));
            }
        };
        let problems = problems_in(&compiled);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));

        // Plain-text fields reach the page escaped, character for character.
        let event = file(&compiled, "events/e1/index.html");
        let escaped = |text: &str| {
            text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        };
        for field in [34, 41] {
            let text = p.get(field);
            let shown = escaped(text).replace('"', "&quot;").replace('\'', "&#39;");
            prop_assert!(
                event.contains(&shown) || event.contains(&escaped(text)),
                "field {} ({:?}) is not shown escaped on the event page", field, text
            );
        }

        // The other exports parse, and keep the text.
        let bib = file(&compiled, "data/sources.bib");
        let bibliography = biblatex::Bibliography::parse(bib)
            .map_err(|e| TestCaseError::fail(format!("sources.bib does not parse: {e}\n{bib}")))?;
        prop_assert_eq!(bibliography.len(), 1);
        let csv = file(&compiled, "data/events.csv");
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(format!("events.csv does not parse: {e}")))?;
        prop_assert_eq!(rows.len(), 2);
        prop_assert!(rows.iter().any(|row| row.iter().any(|cell| cell == p.get(34))));

        // The data export keeps every text exactly as written.
        let events: serde_json::Value = serde_json::from_str(file(&compiled, "data/events.json")).unwrap();
        let e1 = events.as_array().and_then(|list| list.iter().find(|e| e["id"] == "e1")).cloned();
        let e1 = e1.unwrap_or_default();
        prop_assert_eq!(e1["title"].as_str(), Some(p.get(34)));
        prop_assert_eq!(e1["date_note"].as_str(), Some(p.get(35)));
    }
}
