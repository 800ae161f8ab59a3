//! What "no content can run script" means for a built page, as a check
//! shared by the hostile-content tests (`tests/hostile.rs`) and the
//! property tests (`tests/props.rs`).
//!
//! [`unsafe_markup`] reads a page the way a browser's tokenizer would at
//! the level that matters here (tags, attribute names and values, with
//! character references decoded) and lists every construct that could run
//! script or take the page elsewhere: a `<script>` that is not one of the
//! site's own external files, frames, objects, `<base>`, a meta refresh, an
//! event-handler attribute, a `javascript:`, `vbscript:` or `data:` address,
//! `srcdoc`, and style attributes other than the site's own. Text is escaped
//! by the templates, so every `<` left in a page opens a real tag.

#![allow(dead_code)]

/// One tag: its lowercased name and attributes (lowercased names, decoded
/// values).
#[derive(Debug)]
pub struct Tag {
    /// The element name, lowercased; empty for `</…>`, `<!…>` and `<?…>`.
    pub name: String,
    /// Attributes in order: name (lowercased) and decoded value.
    pub attributes: Vec<(String, String)>,
    /// The tag as written, for messages.
    pub text: String,
    /// The byte offset just after the `>` that closes it.
    pub end: usize,
}

impl Tag {
    /// The value of an attribute, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, in order (end tags, comments and doctypes are
/// skipped; raw text inside `<script>` and `<style>` is skipped too).
pub fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let rest = &html[start + 1..];
        if rest.starts_with("!--") {
            // `<!-->` and `<!--->` close at once, as in a browser.
            let body = start + 4;
            at = ["->", ">"]
                .iter()
                .find(|close| html[body..].starts_with(*close))
                .map(|close| body + close.len())
                .or_else(|| html[body..].find("-->").map(|end| body + end + 3))
                .unwrap_or(html.len());
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // `</x>`, `<!DOCTYPE>`, `<?xml ?>`: not a start tag.
            at = start + 1;
            continue;
        }
        let (tag, end) = start_tag(html, start);
        at = end.min(bytes.len());
        if matches!(tag.name.as_str(), "script" | "style") {
            let close = format!("</{}", tag.name);
            at = html[at..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |i| at + i);
        }
        found.push(tag);
    }
    found
}

/// Parses the start tag at `start` (a `<` followed by a letter); returns it
/// and the offset just after its `>`. Every delimiter is ASCII, so the walk
/// goes by bytes and slices on ASCII boundaries only.
fn start_tag(html: &str, start: usize) -> (Tag, usize) {
    let bytes = html.as_bytes();
    let space = |b: u8| b.is_ascii_whitespace();
    let mut i = start + 1;
    let name_start = i;
    while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        let attribute_start = i;
        // A leading `=` belongs to the name, as in a browser.
        i += 1;
        while i < bytes.len() && !space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute = html[attribute_start..i].to_ascii_lowercase();
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                i = value_start;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                value = &html[value_start..i];
                i = (i + 1).min(bytes.len());
            } else {
                let value_start = i;
                while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = &html[value_start..i];
            }
        }
        attributes.push((attribute, decode(value)));
    }
    let tag = Tag {
        name,
        attributes,
        text: html[start..i].to_string(),
        end: i,
    };
    (tag, i)
}

/// Decodes the character references a browser decodes in an attribute
/// value: numeric ones and the named ones that matter for URLs.
pub fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let reference = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(&rest[1..], |end| &rest[1..1 + end]);
        let decoded = if let Some(number) = reference.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.and_then(char::from_u32)
        } else {
            match reference {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "sol" => Some('/'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[1 + reference.len()..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a URL's scheme (read as a browser does: whitespace and control
/// characters dropped, case ignored) can run script or carry a document.
pub fn is_dangerous_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "livescript:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// The attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
];

/// Elements no page of the site may hold.
const FORBIDDEN: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "x-pwn",
    "portal",
    "math",
    "template",
    "noscript",
    "textarea",
    "xmp",
    "plaintext",
    "isindex",
    "marquee",
];

/// Every construct in `html` that could run script or redirect the page,
/// described for a failure message. `base` is the site's base path
/// (`/` or `/repo/`): the site's own scripts live under `{base}assets/`.
pub fn unsafe_markup(html: &str, base: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for tag in tags(html) {
        let mut problem = |what: &str| problems.push(format!("{what}: {}", tag.text));
        if FORBIDDEN.contains(&tag.name.as_str()) {
            problem("a forbidden element");
        }
        match tag.name.as_str() {
            "script" => {
                let own = tag.get("src").is_some_and(|src| {
                    src.starts_with(&format!("{base}assets/"))
                        && src.ends_with(".js")
                        && !src.contains("..")
                });
                let closes_at_once = html[tag.end..].starts_with("</script>");
                if !own || !closes_at_once {
                    problem("a script that is not one of the site's own files");
                }
            }
            "meta"
                if tag
                    .get("http-equiv")
                    .is_some_and(|e| !e.eq_ignore_ascii_case("content-security-policy")) =>
            {
                problem("a meta http-equiv other than the CSP");
            }
            // No action: the page itself. Otherwise a page of the site.
            "form" if tag.get("action").is_some_and(|a| !a.starts_with(base)) => {
                problem("a form that sends its data off the site");
            }
            "link"
                if !matches!(
                    tag.get("rel").unwrap_or_default(),
                    "stylesheet" | "canonical" | "alternate" | "icon"
                ) =>
            {
                problem("a link element of an unexpected kind");
            }
            _ => {}
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                problem("an event-handler attribute");
            }
            if name == "srcdoc" || name == "formaction" {
                problem("an attribute that loads a document");
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) && is_dangerous_url(value) {
                problem("a script or data URL");
            }
            if name == "style" && !is_own_style(&tag.name, value) {
                problem("a style attribute the site does not write");
            }
            if name.contains(['<', '"', '\'']) {
                problem("a malformed attribute");
            }
        }
        if tag.name.contains(['<', '"', '\'', '=']) {
            problem("a malformed tag name");
        }
    }
    problems
}

/// The style attributes dossier itself writes: table-cell alignment from
/// Markdown tables, and the network graph's width.
fn is_own_style(element: &str, value: &str) -> bool {
    let value = value.trim().trim_end_matches(';').replace(' ', "");
    match element {
        "th" | "td" => matches!(
            value.as_str(),
            "text-align:left" | "text-align:center" | "text-align:right"
        ),
        "svg" => value
            .strip_prefix("--net-width:")
            .and_then(|rest| rest.strip_suffix("px"))
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())),
        _ => false,
    }
}

#[test]
fn the_checker_sees_what_a_browser_would_run() {
    let bad = [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<script src=\"/assets/cite.js\">alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href='  JavaScript&colon;alert(1)'>x</a>",
        "<iframe src=\"https://example.org\"></iframe>",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<object data=\"data:text/html,x\"></object>",
        "<p style=\"background:url(x)\">",
        "<form action=\"https://evil.example/\">",
        "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
        "<!--><script>alert(1)</script>-->",
        "<!---><img src=x onerror=alert(1)>-->",
    ];
    for html in bad {
        assert!(!unsafe_markup(html, "/").is_empty(), "missed: {html}");
    }
    let good = [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<meta name=\"description\" content=\"&lt;img src=x onerror=alert(1)&gt;\">",
        "<a href=\"https://example.org/&quot;&gt;&lt;script&gt;\">x</a>",
        "<script src=\"/assets/cite.js\" defer></script>",
        "<!-- <script>alert(1)</script> -->",
        "<td style=\"text-align: center\">1</td>",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">",
        "<p title='a \"quoted\" onerror=x'>",
    ];
    for html in good {
        assert_eq!(unsafe_markup(html, "/"), Vec::<String>::new(), "{html}");
    }
}
