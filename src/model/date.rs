//! Dates in the Library of Congress Extended Date/Time Format (EDTF, ISO 8601-2).
//!
//! Every date field in the content is written in EDTF: levels 0 and 1 in full
//! (days, months, years, date and time, seasons, `?` `~` `%` qualifiers,
//! unspecified `X` digits, long `Y` years, intervals with open or unknown ends)
//! plus level 2's "one of a set" (`[2018-01..2018-04]`, `[2016, 2017]`) for
//! "at some moment within", and level 2's extra seasons 25–41. The parser is
//! written by hand so that every rejected form gets a message that says what
//! is wrong, at which column, and how to write it instead.
//!
//! An [`Edtf`] knows its strict bounds (the first and last calendar day it can
//! cover: `~` and `?` do not widen them), its [`Precision`], its English
//! display text, and the order the timeline sorts dates in.
//!
//! Years use the proleptic Gregorian calendar with astronomical numbering, as
//! ISO 8601 does: year `0000` is 1 BCE and `-0044` is 45 BCE.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A calendar day (proleptic Gregorian, astronomical year numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year; 0 is 1 BCE, -1 is 2 BCE.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Day {
    /// The day, or `None` if it does not exist (`2023-02-29`, `2018-04-31`).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Day { year, month, day })
    }

    /// The ISO 8601 form: `2018-02-07`, `-0044-03-15`.
    pub fn iso(&self) -> String {
        let sign = if self.year < 0 { "-" } else { "" };
        let year = self.year.unsigned_abs();
        format!("{sign}{year:04}-{:02}-{:02}", self.month, self.day)
    }

    /// The first day of a month (the month must be 1 to 12).
    fn first_of(year: i32, month: u8) -> Day {
        Day {
            year,
            month,
            day: 1,
        }
    }

    /// The last day of a month (the month must be 1 to 12).
    fn last_of(year: i32, month: u8) -> Day {
        let day = days_in_month(year, month);
        Day { year, month, day }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Whether a year has a 29 February (2000 does, 1900 does not).
fn is_leap(year: i32) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// How many days a month has; 0 for a month that does not exist.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// How fine a date is: used to sort coarser dates first when starts tie.
///
/// Unspecified digits count as unknown: `2018-XX` is a `Year` and
/// `2018-05-XX` a `Month`, because that is what they tell the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// A hundred years: `20XX`.
    Century,
    /// Ten years: `201X`.
    Decade,
    /// A year: `2018`, `Y170000002`.
    Year,
    /// A season, quarter, third or half of a year: `2018-21`.
    Season,
    /// A month: `2018-05`.
    Month,
    /// A day, with or without a time: `2018-05-07`.
    Day,
}

/// A parse failure: what is wrong, where in the input, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong, in a sentence without a final full stop.
    pub message: String,
    /// Where: a 0-based column in characters of the text given to [`Edtf::parse`].
    pub column: usize,
    /// How to write it instead, when there is something useful to say.
    pub hint: Option<String>,
}

impl DateError {
    /// The same error with a hint added.
    fn hint(mut self, hint: impl Into<String>) -> DateError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// A parsed EDTF date.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edtf {
    /// The trimmed input.
    written: String,
    /// What it says.
    kind: Kind,
    /// First day it can cover (computed once).
    start: Option<Day>,
    /// Last day it can cover (computed once).
    end: Option<Day>,
    /// Precision of the date giving the start, else of the one giving the end.
    precision: Precision,
}

impl Edtf {
    /// Parses EDTF text; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Edtf, DateError> {
        let written = text.trim();
        let offset = text.chars().take_while(|c| c.is_whitespace()).count();
        let kind = Parser::new(written, offset).kind()?;
        let (first, last) = kind.bounding_dates();
        let Some(precision) = first.or(last).map(Date::precision) else {
            return Err(DateError {
                message: "this set is open at both ends, so it says nothing about when".into(),
                column: offset,
                hint: Some("remove one of the open ends (..)".into()),
            });
        };
        Ok(Edtf {
            written: written.to_string(),
            start: first.map(Date::start),
            end: last.map(Date::end),
            precision,
            kind,
        })
    }

    /// The date as written (trimmed).
    pub fn as_written(&self) -> &str {
        &self.written
    }

    /// The first day it can cover; `None` for an open or unknown start.
    pub fn start(&self) -> Option<Day> {
        self.start
    }

    /// The last day it can cover; `None` for an open or unknown end.
    pub fn end(&self) -> Option<Day> {
        self.end
    }

    /// The English form shown to readers: "7 February 2018", "c. June 2018
    /// (uncertain)", "19–21 May 2018", "between January and April 2018".
    pub fn display(&self) -> String {
        self.kind.display()
    }

    /// Whether any part is approximate (`~` or `%`).
    pub fn is_approximate(&self) -> bool {
        self.kind.dates().iter().any(|d| d.qualifier.approximate)
    }

    /// Whether any part is uncertain (`?` or `%`).
    pub fn is_uncertain(&self) -> bool {
        self.kind.dates().iter().any(|d| d.qualifier.uncertain)
    }

    /// How fine the start is (or the end, when there is no start).
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The year the timeline files it under: the start's year, else the end's.
    pub fn year(&self) -> Option<i32> {
        self.start.or(self.end).map(|day| day.year)
    }

    /// Whether the days it can cover meet `from..=to` (`None` = unbounded).
    pub fn overlaps(&self, from: Option<Day>, to: Option<Day>) -> bool {
        let starts_in_time = match (self.start, to) {
            (Some(start), Some(to)) => start <= to,
            _ => true,
        };
        let ends_in_time = match (self.end, from) {
            (Some(end), Some(from)) => end >= from,
            _ => true,
        };
        starts_in_time && ends_in_time
    }

    /// What the timeline sorts by, in order (see [`Ord`]).
    fn sort_key(&self) -> (Option<Day>, bool, Precision, bool, Option<Day>, &str) {
        (
            self.start.or(self.end),
            self.start.is_some(),
            self.precision,
            self.end.is_none(),
            self.end,
            &self.written,
        )
    }
}

/// The timeline's order: by start day (a date with no start sorts by its end,
/// before others on that day); where starts tie, the coarser date first; then
/// by end (an open end last); then by the written text, so that only equal
/// dates compare equal.
impl Ord for Edtf {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Edtf {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Shows the date as written.
impl fmt::Display for Edtf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl FromStr for Edtf {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Edtf, DateError> {
        Edtf::parse(text)
    }
}

/// Serialises as the written string.
impl serde::Serialize for Edtf {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written)
    }
}

/// The shapes an EDTF string can take.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// `2018-05`.
    Single(Date),
    /// `2018-04-19/2018-05-21`.
    Span(Date, Date),
    /// `2018-09/..` or `2018-09/`.
    From(Date, Openness),
    /// `../2011-03` or `/2011-03`.
    Until(Openness, Date),
    /// `[2018-01..2018-04]`, `[2016, 2017]`: one moment among these.
    Set(Vec<Member>),
}

/// A missing end of an interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Openness {
    /// `..`: it goes on (or back) without limit.
    Open,
    /// Empty: it has an end, but nobody knows it.
    Unknown,
}

/// One member of a one-of-a-set date.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Member {
    /// `2018`.
    One(Date),
    /// `2018-01..2018-04`.
    Range(Date, Date),
    /// `..2018-04` (only first in a set).
    OrBefore(Date),
    /// `2018-01..` (only last in a set).
    OrAfter(Date),
}

impl Member {
    /// The date its earliest moment comes from; `None` when open.
    fn low(&self) -> Option<&Date> {
        match self {
            Member::One(d) | Member::Range(d, _) | Member::OrAfter(d) => Some(d),
            Member::OrBefore(_) => None,
        }
    }

    /// The date its latest moment comes from; `None` when open.
    fn high(&self) -> Option<&Date> {
        match self {
            Member::One(d) | Member::Range(_, d) | Member::OrBefore(d) => Some(d),
            Member::OrAfter(_) => None,
        }
    }

    /// Its English form inside a set.
    fn display(&self) -> String {
        match self {
            Member::One(d) => d.display(),
            Member::Range(a, b) => between(a, b),
            Member::OrBefore(d) => format!("on or before {}", d.display()),
            Member::OrAfter(d) => format!("on or after {}", d.display()),
        }
    }
}

impl Kind {
    /// The dates giving the start and the end (`None` where open or unknown).
    fn bounding_dates(&self) -> (Option<&Date>, Option<&Date>) {
        match self {
            Kind::Single(d) => (Some(d), Some(d)),
            Kind::Span(a, b) => (Some(a), Some(b)),
            Kind::From(a, _) => (Some(a), None),
            Kind::Until(_, b) => (None, Some(b)),
            Kind::Set(members) => (set_low(members), set_high(members)),
        }
    }

    /// Every date written in it.
    fn dates(&self) -> Vec<&Date> {
        match self {
            Kind::Single(d) | Kind::From(d, _) | Kind::Until(_, d) => vec![d],
            Kind::Span(a, b) => vec![a, b],
            Kind::Set(members) => members
                .iter()
                .flat_map(|m| [m.low(), m.high()])
                .flatten()
                .collect(),
        }
    }

    /// Its English form.
    fn display(&self) -> String {
        match self {
            Kind::Single(d) => d.display(),
            Kind::Span(a, b) => dash_span(a, b),
            Kind::From(a, Openness::Open) => format!("from {}", a.display()),
            Kind::From(a, Openness::Unknown) => format!("from {} to an unknown date", a.display()),
            Kind::Until(Openness::Open, b) => format!("until {}", b.display()),
            Kind::Until(Openness::Unknown, b) => {
                format!("from an unknown date until {}", b.display())
            }
            Kind::Set(members) => or_list(members.iter().map(Member::display).collect()),
        }
    }
}

/// The member date a set starts with, or `None` if the set is open before.
fn set_low(members: &[Member]) -> Option<&Date> {
    let lows: Option<Vec<&Date>> = members.iter().map(Member::low).collect();
    lows?.into_iter().min_by_key(|d| (d.start(), d.precision()))
}

/// The member date a set ends with, or `None` if the set is open after.
fn set_high(members: &[Member]) -> Option<&Date> {
    let highs: Option<Vec<&Date>> = members.iter().map(Member::high).collect();
    highs?.into_iter().max_by_key(|d| d.end())
}

/// `a, b or c`.
fn or_list(mut items: Vec<String>) -> String {
    match items.pop() {
        Some(last) if items.is_empty() => last,
        Some(last) => format!("{} or {last}", items.join(", ")),
        None => String::new(),
    }
}

/// A span with an en dash: "19–21 May 2018", "2017–2018", "19 April – 21
/// May 2018". The dash is spaced unless it joins single words: the first part
/// must be one word, and so must the second unless the first shares its rest.
fn dash_span(a: &Date, b: &Date) -> String {
    let (first, second) = span_parts(a, b);
    if first == second {
        return second;
    }
    let shares_rest = first != a.display();
    let tight = !first.contains(' ') && (shares_rest || !second.contains(' '));
    let dash = if tight { "–" } else { " – " };
    format!("{first}{dash}{second}")
}

/// "between January and April 2018".
fn between(a: &Date, b: &Date) -> String {
    let (first, second) = span_parts(a, b);
    if first == second {
        return second;
    }
    format!("between {first} and {second}")
}

/// Both ends of a span as shown, the first without the year (or month and
/// year) it shares with the second. Qualified ends and times are shown whole.
fn span_parts(a: &Date, b: &Date) -> (String, String) {
    let second = b.display();
    if !a.is_plain() || !b.is_plain() || a == b {
        return (a.display(), second);
    }
    let first = match (&a.value, &b.value) {
        (Value::Day(x), Value::Day(y)) if (x.year, x.month) == (y.year, y.month) => {
            x.day.to_string()
        }
        (Value::Day(x), Value::Day(y)) if x.year == y.year => {
            format!("{} {}", x.day, month_name(x.month))
        }
        (Value::Month(y1, m), Value::Month(y2, _)) if y1 == y2 => month_name(*m).to_string(),
        _ => a.display(),
    };
    (first, second)
}

/// One date: a value, its qualifier, and for a single day perhaps a time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Date {
    value: Value,
    qualifier: Qualifier,
    time: Option<Time>,
}

impl Date {
    /// The first day it covers.
    fn start(&self) -> Day {
        match &self.value {
            Value::Century(year) | Value::Decade(year) | Value::Year(year) => {
                Day::first_of(*year, 1)
            }
            Value::Season(year, season) => Day::first_of(*year, season.first),
            Value::Month(year, month) => Day::first_of(*year, *month),
            Value::Day(day) => *day,
        }
    }

    /// The last day it covers.
    fn end(&self) -> Day {
        match &self.value {
            Value::Century(year) => Day::last_of(year.saturating_add(99), 12),
            Value::Decade(year) => Day::last_of(year.saturating_add(9), 12),
            Value::Year(year) => Day::last_of(*year, 12),
            Value::Season(year, season) => season.end(*year),
            Value::Month(year, month) => Day::last_of(*year, *month),
            Value::Day(day) => *day,
        }
    }

    /// How fine it is.
    fn precision(&self) -> Precision {
        match self.value {
            Value::Century(_) => Precision::Century,
            Value::Decade(_) => Precision::Decade,
            Value::Year(_) => Precision::Year,
            Value::Season(..) => Precision::Season,
            Value::Month(..) => Precision::Month,
            Value::Day(_) => Precision::Day,
        }
    }

    /// Without qualifier or time, so its year or month may be shared in a span.
    fn is_plain(&self) -> bool {
        self.qualifier == Qualifier::default() && self.time.is_none()
    }

    /// Its English form: "c. June 2018 (uncertain)".
    fn display(&self) -> String {
        let mut text = self.value.display();
        if let Some(time) = &self.time {
            text = format!("{text}, {time}");
        }
        if self.qualifier.approximate {
            text = format!("c. {text}");
        }
        if self.qualifier.uncertain {
            text.push_str(" (uncertain)");
        }
        text
    }
}

/// What a date names, at its precision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Value {
    /// `20XX`: the first year of the hundred.
    Century(i32),
    /// `201X`: the first year of the ten.
    Decade(i32),
    /// `2018`, `2018-XX`, `2018-XX-XX`, `Y170000002`.
    Year(i32),
    /// `2018-21`.
    Season(i32, &'static Season),
    /// `2018-05`, `2018-05-XX`.
    Month(i32, u8),
    /// `2018-05-07`.
    Day(Day),
}

impl Value {
    /// Its English form without qualifiers.
    fn display(&self) -> String {
        match self {
            Value::Century(first) => format!("the {} century", ordinal(first / 100 + 1)),
            Value::Decade(first) => format!("the {first}s"),
            Value::Year(year) => year_text(*year),
            Value::Season(year, season) => season.display(*year),
            Value::Month(year, month) => format!("{} {}", month_name(*month), year_text(*year)),
            Value::Day(day) => {
                format!(
                    "{} {} {}",
                    day.day,
                    month_name(day.month),
                    year_text(day.year)
                )
            }
        }
    }
}

/// `?`, `~` or `%` (both) after a date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Qualifier {
    uncertain: bool,
    approximate: bool,
}

/// A time of day after a full date (`T10:30:00`, `T10:30:00Z`, `T10:30:00+04:30`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Time {
    hour: u8,
    minute: u8,
    second: u8,
    zone: Zone,
}

/// The time zone of a [`Time`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Zone {
    /// No zone given: local time where it happened.
    Local,
    /// `Z`.
    Utc,
    /// `+04:30`, `-04`.
    Offset { ahead: bool, hours: u8, minutes: u8 },
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        match self.zone {
            Zone::Local => Ok(()),
            Zone::Utc => f.write_str(" UTC"),
            Zone::Offset {
                ahead,
                hours,
                minutes,
            } => {
                let sign = if ahead { '+' } else { '-' };
                write!(f, " UTC{sign}{hours:02}:{minutes:02}")
            }
        }
    }
}

/// A season or other part of a year (EDTF codes 21–41).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Season {
    code: u8,
    /// The month it starts in.
    first: u8,
    /// The month it ends in; before `first` when it ends in the next year.
    last: u8,
    name: &'static str,
    hemisphere: Hemisphere,
}

/// How a season's name is placed around its year.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Hemisphere {
    /// "spring 2018".
    North,
    /// "spring 2018 (Southern Hemisphere)".
    South,
    /// Not a season but a part of the year: "first quarter of 2018".
    Calendar,
}

/// The seasons and parts of a year, by EDTF code. Seasons are meteorological
/// and northern unless marked: spring is March–May, summer June–August,
/// autumn September–November, and winter runs from December of its year to
/// February of the next (so `2018-24` is December 2018 to February 2019).
const SEASONS: [Season; 21] = [
    season(21, 3, 5, "spring", Hemisphere::North),
    season(22, 6, 8, "summer", Hemisphere::North),
    season(23, 9, 11, "autumn", Hemisphere::North),
    season(24, 12, 2, "winter", Hemisphere::North),
    season(25, 3, 5, "spring", Hemisphere::North),
    season(26, 6, 8, "summer", Hemisphere::North),
    season(27, 9, 11, "autumn", Hemisphere::North),
    season(28, 12, 2, "winter", Hemisphere::North),
    season(29, 9, 11, "spring", Hemisphere::South),
    season(30, 12, 2, "summer", Hemisphere::South),
    season(31, 3, 5, "autumn", Hemisphere::South),
    season(32, 6, 8, "winter", Hemisphere::South),
    season(33, 1, 3, "first quarter", Hemisphere::Calendar),
    season(34, 4, 6, "second quarter", Hemisphere::Calendar),
    season(35, 7, 9, "third quarter", Hemisphere::Calendar),
    season(36, 10, 12, "fourth quarter", Hemisphere::Calendar),
    season(37, 1, 4, "first third", Hemisphere::Calendar),
    season(38, 5, 8, "second third", Hemisphere::Calendar),
    season(39, 9, 12, "last third", Hemisphere::Calendar),
    season(40, 1, 6, "first half", Hemisphere::Calendar),
    season(41, 7, 12, "second half", Hemisphere::Calendar),
];

/// A row of [`SEASONS`].
const fn season(
    code: u8,
    first: u8,
    last: u8,
    name: &'static str,
    hemisphere: Hemisphere,
) -> Season {
    Season {
        code,
        first,
        last,
        name,
        hemisphere,
    }
}

impl Season {
    /// The season with this EDTF code, if there is one.
    fn by_code(code: u8) -> Option<&'static Season> {
        SEASONS.iter().find(|s| s.code == code)
    }

    /// Whether it ends in the year after it starts.
    fn crosses_year(&self) -> bool {
        self.last < self.first
    }

    /// Its last day when it starts in `year`.
    fn end(&self, year: i32) -> Day {
        let end_year = if self.crosses_year() {
            year.saturating_add(1)
        } else {
            year
        };
        Day::last_of(end_year, self.last)
    }

    /// "spring 2018", "winter 2018–2019", "first quarter of 2018".
    fn display(&self, year: i32) -> String {
        let mut years = year_text(year);
        if self.crosses_year() {
            years = format!("{years}–{}", year_text(year.saturating_add(1)));
        }
        match self.hemisphere {
            Hemisphere::North => format!("{} {years}", self.name),
            Hemisphere::South => format!("{} {years} (Southern Hemisphere)", self.name),
            Hemisphere::Calendar => format!("{} of {years}", self.name),
        }
    }
}

/// English month names.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of month 1 to 12 ("?" for anything else).
pub fn month_name(month: u8) -> &'static str {
    let index = usize::from(month).wrapping_sub(1);
    MONTHS.get(index).copied().unwrap_or("?")
}

/// A year for readers: "2018", and "45 BCE" for the astronomical year -44.
fn year_text(year: i32) -> String {
    if year > 0 {
        year.to_string()
    } else {
        format!("{} BCE", 1 - i64::from(year))
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The end of an interval as written, before it is known which ends are dates.
enum End {
    Date(Date),
    Missing(Openness),
}

/// The known digits of a four-digit year, and how many X follow them.
enum Year {
    Known(i32),
    Decade(i32),
    Century(i32),
}

/// A two-character month or day.
enum Field {
    Number(u8),
    /// `XX`.
    Unspecified,
}

/// The value of an ASCII digit.
fn digit(c: Option<char>) -> Option<u8> {
    c.and_then(|c| c.to_digit(10))
        .and_then(|d| u8::try_from(d).ok())
}

/// Whether a character may stand in a month or day: a digit or `X`.
fn is_digit_or_x(c: char) -> bool {
    c.is_ascii_digit() || c == 'X'
}

/// The error for a qualifier on a date with a time of day.
const QUALIFIED_TIME: &str = "a date with a time of day cannot carry ?, ~ or %";

/// A cursor over the trimmed text of a date.
struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Characters trimmed from the front, added to every reported column.
    offset: usize,
}

impl Parser {
    fn new(text: &str, offset: usize) -> Parser {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
            offset,
        }
    }

    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos.saturating_add(ahead)).copied()
    }

    /// Moves past `c` if it is next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Moves past `..` if it is next.
    fn eat_dots(&mut self) -> bool {
        let found = self.peek() == Some('.') && self.peek_at(1) == Some('.');
        if found {
            self.pos += 2;
        }
        found
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    /// Moves past the characters that satisfy `keep` and returns them.
    fn run(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut taken = String::new();
        while let Some(c) = self.peek().filter(|c| keep(*c)) {
            taken.push(c);
            self.pos += 1;
        }
        taken
    }

    fn error(&self, at: usize, message: impl Into<String>) -> DateError {
        DateError {
            message: message.into(),
            column: self.offset + at,
            hint: None,
        }
    }

    /// The whole text: a set, an interval or a single date.
    fn kind(&mut self) -> Result<Kind, DateError> {
        match self.peek() {
            None => Err(self
                .error(0, "the date is empty")
                .hint("write a date such as 2018-02-07")),
            Some('[') => self.set(),
            Some('{') => Err(self
                .error(0, "'{…}' (all of a set) is not supported")
                .hint("list the dates as separate records, or use [a, b] for one of a set")),
            Some(_) => self.single_or_interval(),
        }
    }

    /// `date`, `date/date`, `date/..`, `../date`, `date/`, `/date`.
    fn single_or_interval(&mut self) -> Result<Kind, DateError> {
        let start = self.interval_end()?;
        if !self.eat('/') {
            return match start {
                End::Date(date) => self.single(date),
                End::Missing(_) => Err(self.error(0, "'..' alone is not a date").hint(
                    "write ../2011-03 for until March 2011, or 2018-09/.. for from September 2018",
                )),
            };
        }
        let end_at = self.pos;
        let end = self.interval_end()?;
        self.finish("the interval")?;
        match (start, end) {
            (End::Date(a), End::Date(b)) if a.start() > b.end() => Err(self
                .error(
                    end_at,
                    format!(
                        "the interval ends ({}) before it starts ({})",
                        b.display(),
                        a.display()
                    ),
                )
                .hint("write the earlier date first")),
            (End::Date(a), End::Date(b)) => Ok(Kind::Span(a, b)),
            (End::Date(a), End::Missing(openness)) => Ok(Kind::From(a, openness)),
            (End::Missing(openness), End::Date(b)) => Ok(Kind::Until(openness, b)),
            (End::Missing(_), End::Missing(_)) => Err(self
                .error(0, "an interval needs a date at one end at least")
                .hint(
                    "write 2018-09/.. for from September 2018, or ../2011-03 for until March 2011",
                )),
        }
    }

    /// One end of an interval: `..`, nothing, or a date.
    fn interval_end(&mut self) -> Result<End, DateError> {
        if self.eat_dots() {
            return Ok(End::Missing(Openness::Open));
        }
        match self.peek() {
            None | Some('/') => Ok(End::Missing(Openness::Unknown)),
            Some(_) => Ok(End::Date(self.date()?)),
        }
    }

    /// A single date, perhaps with a time of day.
    fn single(&mut self, mut date: Date) -> Result<Kind, DateError> {
        if self.peek() == Some('T') {
            let at = self.pos;
            if !matches!(date.value, Value::Day(_)) {
                return Err(self
                    .error(at, "a time of day needs a full date before it")
                    .hint("write 2018-02-07T10:30:00"));
            }
            if !date.is_plain() {
                return Err(self.error(at, QUALIFIED_TIME));
            }
            self.pos += 1;
            date.time = Some(self.time()?);
            match self.peek() {
                Some('?' | '~' | '%') => return Err(self.error(self.pos, QUALIFIED_TIME)),
                Some('/') => {
                    return Err(self.error(self.pos, "an interval cannot have a time of day"));
                }
                _ => {}
            }
        }
        self.finish("the date")?;
        Ok(Kind::Single(date))
    }

    /// Succeeds at the end of the text; otherwise names what is left over.
    fn finish(&self, what: &str) -> Result<(), DateError> {
        let at = self.pos;
        match self.peek() {
            None => Ok(()),
            Some(c) if c.is_whitespace() => Err(self
                .error(at, "unexpected space")
                .hint("write EDTF dates without spaces")),
            Some('T') => Err(self
                .error(at, "a time of day can only follow a single full date")
                .hint("write 2018-02-07T10:30:00")),
            Some(c) => Err(self.error(at, format!("unexpected '{c}' after {what}"))),
        }
    }

    /// `[a, b..c, ..d]` from the opening bracket.
    fn set(&mut self) -> Result<Kind, DateError> {
        self.pos += 1;
        let mut members = Vec::new();
        loop {
            self.skip_spaces();
            let at = self.pos;
            let member = self.member()?;
            if matches!(member, Member::OrBefore(_)) && !members.is_empty() {
                return Err(self.error(at, "an open start (..) can only come first in a set"));
            }
            self.skip_spaces();
            let closed = match self.peek() {
                Some(']') => true,
                Some(',') => false,
                Some(c) => {
                    return Err(self.error(
                        self.pos,
                        format!("expected ',' or ']' in the set, found '{c}'"),
                    ));
                }
                None => {
                    return Err(self
                        .error(self.pos, "the set is not closed")
                        .hint("end it with ']'"));
                }
            };
            if matches!(member, Member::OrAfter(_)) && !closed {
                return Err(self.error(at, "an open end (..) can only come last in a set"));
            }
            self.pos += 1;
            members.push(member);
            if closed {
                break;
            }
        }
        match self.peek() {
            Some('?' | '~' | '%') => Err(self
                .error(self.pos, "a qualifier cannot follow a set")
                .hint("qualify the dates inside it, as in [2018-01?..2018-04]")),
            _ => self.finish("the set").map(|()| Kind::Set(members)),
        }
    }

    /// One member of a set: `a`, `a..b`, `..b` or `a..`.
    fn member(&mut self) -> Result<Member, DateError> {
        let at = self.pos;
        if self.eat_dots() {
            if matches!(self.peek(), None | Some(']' | ',')) {
                return Err(self
                    .error(at, "'..' needs a date beside it")
                    .hint("write [..2018-04] for on or before April 2018"));
            }
            return Ok(Member::OrBefore(self.date()?));
        }
        if matches!(self.peek(), Some(']' | ',')) {
            return Err(self
                .error(at, "expected a date in the set")
                .hint("write [2016, 2017] or [2018-01..2018-04]"));
        }
        let low = self.date()?;
        if !self.eat_dots() {
            return Ok(Member::One(low));
        }
        if matches!(self.peek(), None | Some(']' | ',')) {
            return Ok(Member::OrAfter(low));
        }
        let high_at = self.pos;
        let high = self.date()?;
        if low.start() > high.end() {
            return Err(self
                .error(
                    high_at,
                    format!(
                        "the range ends ({}) before it starts ({})",
                        high.display(),
                        low.display()
                    ),
                )
                .hint("write the earlier date first"));
        }
        Ok(Member::Range(low, high))
    }

    /// A date without time: value and qualifier.
    fn date(&mut self) -> Result<Date, DateError> {
        let value = self.value()?;
        let qualifier = self.qualifier()?;
        Ok(Date {
            value,
            qualifier,
            time: None,
        })
    }

    /// The error for a qualifier that is not at the end of a date.
    fn misplaced_qualifier(&self, at: usize) -> DateError {
        self.error(at, "?, ~ and % can only stand at the end of a date")
            .hint("qualify the whole date, as in 2018-06~")
    }

    /// `?`, `~`, `%` or nothing.
    fn qualifier(&mut self) -> Result<Qualifier, DateError> {
        let at = self.pos;
        let (uncertain, approximate) = match self.peek() {
            Some('?') => (true, false),
            Some('~') => (false, true),
            Some('%') => (true, true),
            _ => return Ok(Qualifier::default()),
        };
        self.pos += 1;
        match self.peek() {
            Some('?' | '~' | '%') => Err(self
                .error(self.pos, "only one of ?, ~ and % may follow a date")
                .hint("write % for both uncertain and approximate")),
            Some('-') => Err(self.misplaced_qualifier(at)),
            _ => Ok(Qualifier {
                uncertain,
                approximate,
            }),
        }
    }

    /// A year with perhaps a month (or season) and day.
    fn value(&mut self) -> Result<Value, DateError> {
        if let Some('?' | '~' | '%') = self.peek() {
            return Err(self.misplaced_qualifier(self.pos));
        }
        if self.eat('Y') {
            return self.long_year();
        }
        match self.year()? {
            Year::Century(first) => self
                .no_month("a year with X")
                .map(|()| Value::Century(first)),
            Year::Decade(first) => self
                .no_month("a year with X")
                .map(|()| Value::Decade(first)),
            Year::Known(year) => self.month_and_day(year),
        }
    }

    /// Fails if a month follows a year that cannot have one.
    fn no_month(&self, what: &str) -> Result<(), DateError> {
        match self.peek() {
            Some('-') => Err(self.error(self.pos, format!("{what} cannot have a month or day"))),
            _ => Ok(()),
        }
    }

    /// Four characters of year, digits or a trailing `X` or two, perhaps after `-`.
    fn year(&mut self) -> Result<Year, DateError> {
        let at = self.pos;
        let negative = self.eat('-');
        let digits_at = self.pos;
        let run = self.run(is_digit_or_x);
        match self.peek() {
            Some('x' | 'u') => {
                return Err(self
                    .error(self.pos, "unspecified digits are written with a capital X")
                    .hint("write 201X for the 2010s"));
            }
            Some('S') => return Err(self.significant_digits()),
            _ => {}
        }
        if run.is_empty() {
            return Err(self.expected_year(negative));
        }
        if run.len() != 4 {
            return Err(self.year_length(digits_at, &run, negative));
        }
        let known = run.trim_end_matches('X');
        let unspecified = 4 - known.len();
        if known.contains('X') || unspecified > 2 {
            return Err(self
                .error(
                    digits_at,
                    "only the last one or two digits of a year can be X",
                )
                .hint("write 201X for the 2010s, or 20XX for the 21st century"));
        }
        if negative && unspecified > 0 {
            return Err(self.error(at, "a negative year cannot have X digits"));
        }
        let value: i32 = known
            .parse()
            .map_err(|_| self.error(digits_at, "expected a year"))?;
        match (unspecified, negative) {
            (0, true) if value == 0 => Err(self
                .error(at, "-0000 is not a year")
                .hint("write 0000 for the year zero (1 BCE)")),
            (0, true) => Ok(Year::Known(-value)),
            (0, false) => Ok(Year::Known(value)),
            (1, _) => Ok(Year::Decade(value * 10)),
            _ => Ok(Year::Century(value * 100)),
        }
    }

    /// The error for a missing year.
    fn expected_year(&self, negative: bool) -> DateError {
        let at = self.pos;
        match self.peek() {
            Some('?' | '~' | '%') => self.misplaced_qualifier(at),
            None if negative => self.error(at, "expected a year after '-'"),
            None => self.error(at, "expected a year"),
            Some(c) => self
                .error(at, format!("expected a year, found '{c}'"))
                .hint("write dates as 2018, 2018-05 or 2018-05-07"),
        }
    }

    /// The error for a year that is not four characters long.
    fn year_length(&self, at: usize, run: &str, negative: bool) -> DateError {
        let error = self.error(at, "a year has four digits");
        let all_digits = run.chars().all(|c| c.is_ascii_digit());
        let sign = if negative { "-" } else { "" };
        match (run.len() < 4, all_digits) {
            (true, true) => error.hint(format!("pad it with zeros: {sign}{run:0>4}")),
            (false, true) => error.hint(format!(
                "write a year beyond 9999 with Y, as in Y{sign}{run}"
            )),
            _ => error.hint("write 201X for the 2010s, or 20XX for the 21st century"),
        }
    }

    /// The error for level 2's significant digits (`1950S2`).
    fn significant_digits(&self) -> DateError {
        self.error(self.pos, "significant digits (S) are not supported")
            .hint("write 195X for the 1950s, or an interval such as 1950/1959")
    }

    /// `Y170000002`, `Y-170000002`, after the `Y`.
    fn long_year(&mut self) -> Result<Value, DateError> {
        let negative = self.eat('-');
        let at = self.pos;
        let run = self.run(|c| c.is_ascii_digit());
        match self.peek() {
            Some('E') => {
                return Err(self
                    .error(self.pos, "exponents in years (Y17E7) are not supported")
                    .hint("write the year in full, as in Y170000000"));
            }
            Some('S') => return Err(self.significant_digits()),
            _ => {}
        }
        if run.is_empty() {
            return Err(self.error(at, "expected the digits of a year after Y"));
        }
        let too_long = || self.error(at, "years beyond 999999999 are not supported");
        if run.len() > 9 {
            return Err(too_long());
        }
        let value: i32 = run.parse().map_err(|_| too_long())?;
        if value <= 9999 {
            let sign = if negative { "-" } else { "" };
            return Err(self
                .error(at, "Y is only for years of more than four digits")
                .hint(format!("write {sign}{value:04}")));
        }
        self.no_month("a year written with Y")?;
        Ok(Value::Year(if negative { -value } else { value }))
    }

    /// After a known year: nothing, `-MM`, `-SS` (a season), `-MM-DD`, with `XX` for unknowns.
    fn month_and_day(&mut self, year: i32) -> Result<Value, DateError> {
        if !self.eat('-') {
            return Ok(Value::Year(year));
        }
        let month_at = self.pos;
        let month = self.field("month", "05")?;
        let day_dash = self.pos;
        let has_day = self.eat('-');
        match month {
            Field::Unspecified if has_day => self.day_of_unknown_month(year),
            Field::Unspecified => Ok(Value::Year(year)),
            Field::Number(month @ 1..=12) if has_day => self.day(year, month),
            Field::Number(month @ 1..=12) => Ok(Value::Month(year, month)),
            Field::Number(code) => match Season::by_code(code) {
                Some(_) if has_day => Err(self.error(day_dash, "a season cannot have a day")),
                Some(season) => Ok(Value::Season(year, season)),
                None => Err(self
                    .error(month_at, format!("there is no month {code:02}"))
                    .hint("months are 01 to 12; seasons 21 (spring) to 24 (winter), or 25 to 41")),
            },
        }
    }

    /// `XX` after an unknown month: a day of an unknown month cannot be given.
    fn day_of_unknown_month(&mut self, year: i32) -> Result<Value, DateError> {
        let at = self.pos;
        match self.field("day", "07")? {
            Field::Unspecified => Ok(Value::Year(year)),
            Field::Number(_) => Err(self
                .error(at, "a day needs a known month")
                .hint("write XX for the day too, or give the month")),
        }
    }

    /// The day of a known month, which must exist.
    fn day(&mut self, year: i32, month: u8) -> Result<Value, DateError> {
        let at = self.pos;
        match self.field("day", "07")? {
            Field::Unspecified => Ok(Value::Month(year, month)),
            Field::Number(day) => match Day::new(year, month, day) {
                Some(day) => Ok(Value::Day(day)),
                None => Err(self.error(at, no_such_day(year, month, day))),
            },
        }
    }

    /// Two digits, or `XX`, of a month or day.
    fn field(&mut self, what: &str, example: &str) -> Result<Field, DateError> {
        let at = self.pos;
        let (first, second) = (self.peek(), self.peek_at(1));
        let field = match (digit(first), digit(second)) {
            (Some(a), Some(b)) => Field::Number(a * 10 + b),
            _ if first == Some('X') && second == Some('X') => Field::Unspecified,
            _ => return Err(self.bad_field(what, example)),
        };
        self.pos += 2;
        if self.peek().is_some_and(is_digit_or_x) {
            return Err(self
                .error(at, format!("a {what} has two digits"))
                .hint(format!("write {example}")));
        }
        Ok(field)
    }

    /// The error for a month or day that is not two digits or `XX`.
    fn bad_field(&self, what: &str, example: &str) -> DateError {
        let at = self.pos;
        match (self.peek(), self.peek_at(1)) {
            (Some(a), Some(b)) if is_digit_or_x(a) && is_digit_or_x(b) => self
                .error(at, format!("X can only replace the whole {what}"))
                .hint(format!("write XX for an unknown {what}")),
            (Some('?' | '~' | '%'), _) => self.misplaced_qualifier(at),
            (Some(a), _) if is_digit_or_x(a) => self
                .error(at, format!("a {what} has two digits"))
                .hint(format!("write {example}")),
            _ => self.error(at, format!("expected the two digits of the {what}")),
        }
    }

    /// `hh:mm:ss` and a zone, after the `T`.
    fn time(&mut self) -> Result<Time, DateError> {
        let hour = self.clock("hour", 23)?;
        self.colon()?;
        let minute = self.clock("minute", 59)?;
        self.colon()?;
        let second = self.clock("second", 59)?;
        let zone = self.zone()?;
        Ok(Time {
            hour,
            minute,
            second,
            zone,
        })
    }

    /// Two digits of a time, at most `max`.
    fn clock(&mut self, what: &str, max: u8) -> Result<u8, DateError> {
        let at = self.pos;
        match (digit(self.peek()), digit(self.peek_at(1))) {
            (Some(a), Some(b)) if a * 10 + b <= max => {
                self.pos += 2;
                Ok(a * 10 + b)
            }
            (Some(a), Some(b)) => Err(self.error(at, format!("there is no {what} {a}{b}"))),
            _ => Err(self
                .error(at, format!("expected the two digits of the {what}"))
                .hint("write times as 10:30:00")),
        }
    }

    fn colon(&mut self) -> Result<(), DateError> {
        if self.eat(':') {
            Ok(())
        } else {
            Err(self
                .error(self.pos, "expected ':' in the time")
                .hint("write times as 10:30:00"))
        }
    }

    /// `Z`, `+hh`, `-hh:mm` or nothing.
    fn zone(&mut self) -> Result<Zone, DateError> {
        if self.eat('Z') {
            return Ok(Zone::Utc);
        }
        let ahead = match self.peek() {
            Some('+') => true,
            Some('-') => false,
            _ => return Ok(Zone::Local),
        };
        self.pos += 1;
        let hours = self.clock("hour of the offset", 23)?;
        let minutes = if self.eat(':') {
            self.clock("minute of the offset", 59)?
        } else {
            0
        };
        Ok(Zone::Offset {
            ahead,
            hours,
            minutes,
        })
    }
}

/// Why a day of a real month does not exist.
fn no_such_day(year: i32, month: u8, day: u8) -> String {
    let name = month_name(month);
    let length = days_in_month(year, month);
    let year = year_text(year);
    match (month, day) {
        (_, 0) => "there is no day 00".to_string(),
        (2, 29) => format!("there is no 29 February {year}: {year} is not a leap year"),
        _ => format!("there is no {day} {name} {year}: {name} has {length} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Edtf {
        Edtf::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse, got {e:?}"))
    }

    fn error(text: &str) -> DateError {
        match Edtf::parse(text) {
            Ok(date) => panic!("{text:?} should not parse, got {date:?}"),
            Err(e) => e,
        }
    }

    /// The bounds as `start..end`, with an empty side for `None`.
    fn bounds(date: &Edtf) -> String {
        let iso = |day: Option<Day>| day.map(|d| d.iso()).unwrap_or_default();
        format!("{}..{}", iso(date.start()), iso(date.end()))
    }

    /// Asserts each row's bounds and display text.
    fn check(rows: &[(&str, &str, &str)]) {
        for &(text, expected_bounds, display) in rows {
            let date = parse(text);
            assert_eq!(bounds(&date), expected_bounds, "bounds of {text}");
            assert_eq!(date.display(), display, "display of {text}");
            assert_eq!(date.as_written(), text);
        }
    }

    #[test]
    fn every_row_of_the_content_model_table() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-02-07", "2018-02-07..2018-02-07", "7 February 2018"),
            ("2018-05", "2018-05-01..2018-05-31", "May 2018"),
            ("2018", "2018-01-01..2018-12-31", "2018"),
            ("2016-12~", "2016-12-01..2016-12-31", "c. December 2016"),
            ("2018-06?", "2018-06-01..2018-06-30", "June 2018 (uncertain)"),
            ("2018-06%", "2018-06-01..2018-06-30", "c. June 2018 (uncertain)"),
            ("201X", "2010-01-01..2019-12-31", "the 2010s"),
            ("2018-21", "2018-03-01..2018-05-31", "spring 2018"),
            ("2018-04-19/2018-05-21", "2018-04-19..2018-05-21", "19 April – 21 May 2018"),
            ("2018-09/..", "2018-09-01..", "from September 2018"),
            ("../2011-03", "..2011-03-31", "until March 2011"),
            ("[2018-01..2018-04]", "2018-01-01..2018-04-30", "between January and April 2018"),
        ];
        check(ROWS);
    }

    #[test]
    fn qualifiers_are_reported_and_do_not_widen_bounds() {
        let cases = [
            ("2018-06", false, false),
            ("2018-06~", true, false),
            ("2018-06?", false, true),
            ("2018-06%", true, true),
            ("2018-01~/2018-03", true, false),
            ("2018-01/2018-03?", false, true),
            ("[2018-01..2018-03%]", true, true),
            ("[..2018-03~]", true, false),
        ];
        for (text, approximate, uncertain) in cases {
            let date = parse(text);
            assert_eq!(date.is_approximate(), approximate, "{text}");
            assert_eq!(date.is_uncertain(), uncertain, "{text}");
        }
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-02-07~", "2018-02-07..2018-02-07", "c. 7 February 2018"),
            ("2018?", "2018-01-01..2018-12-31", "2018 (uncertain)"),
            ("201X~", "2010-01-01..2019-12-31", "c. the 2010s"),
        ];
        check(ROWS);
    }

    #[test]
    fn unspecified_digits() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("20XX", "2000-01-01..2099-12-31", "the 21st century"),
            ("19XX", "1900-01-01..1999-12-31", "the 20th century"),
            ("200X", "2000-01-01..2009-12-31", "the 2000s"),
            ("2018-XX", "2018-01-01..2018-12-31", "2018"),
            ("2018-05-XX", "2018-05-01..2018-05-31", "May 2018"),
            ("2016-02-XX", "2016-02-01..2016-02-29", "February 2016"),
            ("2018-XX-XX", "2018-01-01..2018-12-31", "2018"),
        ];
        check(ROWS);
        assert_eq!(parse("20XX").precision(), Precision::Century);
        assert_eq!(parse("201X").precision(), Precision::Decade);
        assert_eq!(parse("2018-XX").precision(), Precision::Year);
        assert_eq!(parse("2018-05-XX").precision(), Precision::Month);
    }

    #[test]
    fn centuries_get_english_ordinals() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("00XX", "0000-01-01..0099-12-31", "the 1st century"),
            ("01XX", "0100-01-01..0199-12-31", "the 2nd century"),
            ("02XX", "0200-01-01..0299-12-31", "the 3rd century"),
            ("10XX", "1000-01-01..1099-12-31", "the 11th century"),
            ("11XX", "1100-01-01..1199-12-31", "the 12th century"),
            ("12XX", "1200-01-01..1299-12-31", "the 13th century"),
            ("21XX", "2100-01-01..2199-12-31", "the 22nd century"),
        ];
        check(ROWS);
    }

    #[test]
    fn seasons_and_parts_of_a_year() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-22", "2018-06-01..2018-08-31", "summer 2018"),
            ("2018-23", "2018-09-01..2018-11-30", "autumn 2018"),
            ("2018-24", "2018-12-01..2019-02-28", "winter 2018–2019"),
            ("2019-24", "2019-12-01..2020-02-29", "winter 2019–2020"),
            ("2018-25", "2018-03-01..2018-05-31", "spring 2018"),
            ("2018-28", "2018-12-01..2019-02-28", "winter 2018–2019"),
            ("2018-29", "2018-09-01..2018-11-30", "spring 2018 (Southern Hemisphere)"),
            ("2018-30", "2018-12-01..2019-02-28", "summer 2018–2019 (Southern Hemisphere)"),
            ("2018-32", "2018-06-01..2018-08-31", "winter 2018 (Southern Hemisphere)"),
            ("2018-33", "2018-01-01..2018-03-31", "first quarter of 2018"),
            ("2018-36", "2018-10-01..2018-12-31", "fourth quarter of 2018"),
            ("2018-37", "2018-01-01..2018-04-30", "first third of 2018"),
            ("2018-39", "2018-09-01..2018-12-31", "last third of 2018"),
            ("2018-40", "2018-01-01..2018-06-30", "first half of 2018"),
            ("2018-41", "2018-07-01..2018-12-31", "second half of 2018"),
            ("2018-21~", "2018-03-01..2018-05-31", "c. spring 2018"),
        ];
        check(ROWS);
        assert_eq!(parse("2018-21").precision(), Precision::Season);
    }

    #[test]
    fn negative_long_and_early_years() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("-0044-03-15", "-0044-03-15..-0044-03-15", "15 March 45 BCE"),
            ("-0044", "-0044-01-01..-0044-12-31", "45 BCE"),
            ("0000", "0000-01-01..0000-12-31", "1 BCE"),
            ("0044-03", "0044-03-01..0044-03-31", "March 44"),
            ("Y170000002", "170000002-01-01..170000002-12-31", "170000002"),
            ("Y-170000002", "-170000002-01-01..-170000002-12-31", "170000003 BCE"),
            ("Y10000", "10000-01-01..10000-12-31", "10000"),
            ("9999-12-31", "9999-12-31..9999-12-31", "31 December 9999"),
        ];
        check(ROWS);
        assert_eq!(parse("-0044").year(), Some(-44));
        assert_eq!(parse("Y170000002").precision(), Precision::Year);
    }

    #[test]
    fn dates_with_a_time_of_day() {
        const DAY: &str = "2018-02-07..2018-02-07";
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-02-07T10:30:00", DAY, "7 February 2018, 10:30:00"),
            ("2018-02-07T10:30:00Z", DAY, "7 February 2018, 10:30:00 UTC"),
            ("2018-02-07T23:20:30-04", DAY, "7 February 2018, 23:20:30 UTC-04:00"),
            ("2018-02-07T23:20:30+04:30", DAY, "7 February 2018, 23:20:30 UTC+04:30"),
        ];
        check(ROWS);
        assert_eq!(parse("2018-02-07T10:30:00").precision(), Precision::Day);
    }

    #[test]
    fn intervals_collapse_what_their_ends_share() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-05-19/2018-05-21", "2018-05-19..2018-05-21", "19–21 May 2018"),
            ("2017-12/2018-03", "2017-12-01..2018-03-31", "December 2017 – March 2018"),
            ("2018-01/2018-04", "2018-01-01..2018-04-30", "January–April 2018"),
            ("2017/2018", "2017-01-01..2018-12-31", "2017–2018"),
            ("2017-12-30/2018-01-02", "2017-12-30..2018-01-02", "30 December 2017 – 2 January 2018"),
            ("2018/2018-05-03", "2018-01-01..2018-05-03", "2018 – 3 May 2018"),
            ("2018-05/2018-05", "2018-05-01..2018-05-31", "May 2018"),
            ("2018-05/2018", "2018-05-01..2018-12-31", "May 2018 – 2018"),
            ("-0044/-0043", "-0044-01-01..-0043-12-31", "45 BCE – 44 BCE"),
            ("2010/2018-XX", "2010-01-01..2018-12-31", "2010–2018"),
            ("2018-21/2018-23", "2018-03-01..2018-11-30", "spring 2018 – autumn 2018"),
        ];
        check(ROWS);
    }

    #[test]
    fn intervals_show_qualifiers_per_end() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018-04~/2018-06", "2018-04-01..2018-06-30", "c. April 2018 – June 2018"),
            ("2018-04/2018-06?", "2018-04-01..2018-06-30", "April 2018 – June 2018 (uncertain)"),
            ("2018-04%/2018-06", "2018-04-01..2018-06-30", "c. April 2018 (uncertain) – June 2018"),
            ("2018-09~/..", "2018-09-01..", "from c. September 2018"),
        ];
        check(ROWS);
    }

    #[test]
    fn open_and_unknown_interval_ends() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2018/", "2018-01-01..", "from 2018 to an unknown date"),
            ("/2011-03", "..2011-03-31", "from an unknown date until March 2011"),
            ("2018-05-07/..", "2018-05-07..", "from 7 May 2018"),
            ("../2011", "..2011-12-31", "until 2011"),
        ];
        check(ROWS);
        assert_eq!(parse("../2011-03").precision(), Precision::Month);
        assert_eq!(parse("../2011-03").year(), Some(2011));
        assert_eq!(parse("2018-09/..").year(), Some(2018));
    }

    #[test]
    fn one_of_a_set() {
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("[2018-05-19..2018-05-21]", "2018-05-19..2018-05-21", "between 19 and 21 May 2018"),
            ("[2018-04-19..2018-05-21]", "2018-04-19..2018-05-21", "between 19 April and 21 May 2018"),
            ("[2017-12..2018-03]", "2017-12-01..2018-03-31", "between December 2017 and March 2018"),
            ("[2016, 2017, 2019]", "2016-01-01..2019-12-31", "2016, 2017 or 2019"),
            ("[2016,2017]", "2016-01-01..2017-12-31", "2016 or 2017"),
            ("[ 2016 , 2017 ]", "2016-01-01..2017-12-31", "2016 or 2017"),
            ("[2018]", "2018-01-01..2018-12-31", "2018"),
            ("[2018..2018]", "2018-01-01..2018-12-31", "2018"),
            ("[..2018-04]", "..2018-04-30", "on or before April 2018"),
            ("[2018-01..]", "2018-01-01..", "on or after January 2018"),
            ("[1667, 1668, 1670..1672]", "1667-01-01..1672-12-31", "1667, 1668 or between 1670 and 1672"),
            ("[2019, 2016-05]", "2016-05-01..2019-12-31", "2019 or May 2016"),
            ("[..2015, 2017]", "..2017-12-31", "on or before 2015 or 2017"),
            ("[2015, 2017..]", "2015-01-01..", "2015 or on or after 2017"),
        ];
        check(ROWS);
        assert_eq!(parse("[2018-01..2018-04]").precision(), Precision::Month);
        assert_eq!(parse("[2019, 2016-05]").precision(), Precision::Month);
        assert_eq!(parse("[..2018-04]").precision(), Precision::Month);
    }

    #[test]
    fn whitespace_is_trimmed_and_the_text_kept() {
        let date = parse("  2018-05~ \n");
        assert_eq!(date.as_written(), "2018-05~");
        assert_eq!(date.to_string(), "2018-05~");
        let written = [
            "2018",
            "2018-05",
            "2018-05-07",
            "2018-06%",
            "201X",
            "2018-21",
            "2018/..",
            "../2018",
            "2018/",
            "/2018",
            "[2016, 2017]",
            "2018-02-07T10:30:00Z",
            "Y170000002",
            "-0044",
        ];
        for text in written {
            let date = parse(text);
            assert_eq!(date.as_written(), text);
            assert_eq!(parse(date.as_written()), date, "round trip of {text}");
            assert_eq!(text.parse::<Edtf>().as_ref(), Ok(&date));
        }
    }

    #[test]
    fn serialises_as_written() {
        let json = serde_json::to_string(&parse(" 2018-05~ ")).ok();
        assert_eq!(json.as_deref(), Some("\"2018-05~\""));
    }

    #[test]
    fn leap_days() {
        for (year, month, day) in [(2000, 2, 29), (2024, 2, 29), (0, 2, 29), (-4, 2, 29)] {
            assert!(Day::new(year, month, day).is_some(), "{year}-{month}-{day}");
        }
        let missing = [
            (1900, 2, 29),
            (2023, 2, 29),
            (-1, 2, 29),
            (2024, 2, 30),
            (2018, 4, 31),
            (2018, 13, 1),
            (2018, 0, 1),
            (2018, 1, 0),
        ];
        for (year, month, day) in missing {
            assert!(Day::new(year, month, day).is_none(), "{year}-{month}-{day}");
        }
        assert!(Day::new(i32::MIN, 12, 31).is_some());
        #[rustfmt::skip]
        const ROWS: &[(&str, &str, &str)] = &[
            ("2000-02-29", "2000-02-29..2000-02-29", "29 February 2000"),
            ("2000-02", "2000-02-01..2000-02-29", "February 2000"),
            ("1900-02", "1900-02-01..1900-02-28", "February 1900"),
        ];
        check(ROWS);
        let error = error("1900-02-29");
        assert_eq!(
            error.message,
            "there is no 29 February 1900: 1900 is not a leap year"
        );
        assert_eq!(error.column, 8);
    }

    #[test]
    fn day_iso_and_display() {
        let day = Day {
            year: 2018,
            month: 2,
            day: 7,
        };
        assert_eq!(day.iso(), "2018-02-07");
        assert_eq!(day.to_string(), "2018-02-07");
        assert_eq!(
            Day {
                year: -44,
                month: 3,
                day: 15
            }
            .iso(),
            "-0044-03-15"
        );
        assert_eq!(
            Day {
                year: 5,
                month: 1,
                day: 1
            }
            .iso(),
            "0005-01-01"
        );
        assert_eq!(
            Day {
                year: i32::MIN,
                month: 1,
                day: 1
            }
            .iso(),
            "-2147483648-01-01"
        );
    }

    #[test]
    fn invalid_forms_say_what_and_where() {
        #[rustfmt::skip]
        const CASES: &[(&str, usize, &str)] = &[
            ("", 0, "the date is empty"),
            ("   ", 3, "the date is empty"),
            ("2023-02-29", 8, "there is no 29 February 2023: 2023 is not a leap year"),
            ("  2023-02-29", 10, "there is no 29 February 2023: 2023 is not a leap year"),
            ("2018-04-31", 8, "there is no 31 April 2018: April has 30 days"),
            ("2018-01-32", 8, "there is no 32 January 2018: January has 31 days"),
            ("2018-01-00", 8, "there is no day 00"),
            ("2018-13", 5, "there is no month 13"),
            ("2018-00", 5, "there is no month 00"),
            ("2018-42", 5, "there is no month 42"),
            ("2018-5", 5, "a month has two digits"),
            ("2018-123", 5, "a month has two digits"),
            ("2018-05-7", 8, "a day has two digits"),
            ("2018-", 5, "expected the two digits of the month"),
            ("2018-05-", 8, "expected the two digits of the day"),
            ("2018-1X", 5, "X can only replace the whole month"),
            ("2018-05-X1", 8, "X can only replace the whole day"),
            ("2018-XX-05", 8, "a day needs a known month"),
            ("2018-21-05", 7, "a season cannot have a day"),
            ("18", 0, "a year has four digits"),
            ("201", 0, "a year has four digits"),
            ("20180", 0, "a year has four digits"),
            ("1XXX", 0, "only the last one or two digits of a year can be X"),
            ("XXXX", 0, "only the last one or two digits of a year can be X"),
            ("1X8X", 0, "only the last one or two digits of a year can be X"),
            ("201x", 3, "unspecified digits are written with a capital X"),
            ("201u", 3, "unspecified digits are written with a capital X"),
            ("-201X", 0, "a negative year cannot have X digits"),
            ("-0000", 0, "-0000 is not a year"),
            ("201X-05", 4, "a year with X cannot have a month or day"),
            ("Y2018", 1, "Y is only for years of more than four digits"),
            ("Y", 1, "expected the digits of a year after Y"),
            ("Y17E7", 3, "exponents in years (Y17E7) are not supported"),
            ("Y1234567890", 1, "years beyond 999999999 are not supported"),
            ("Y170000002-01", 10, "a year written with Y cannot have a month or day"),
            ("1950S2", 4, "significant digits (S) are not supported"),
            ("2018?~", 5, "only one of ?, ~ and % may follow a date"),
            ("2018?-05", 4, "?, ~ and % can only stand at the end of a date"),
            ("2018-?05", 5, "?, ~ and % can only stand at the end of a date"),
            ("?2018", 0, "?, ~ and % can only stand at the end of a date"),
            ("2018-05-07x", 10, "unexpected 'x' after the date"),
            ("2018 05", 4, "unexpected space"),
            ("2018 / 2019", 4, "unexpected space"),
            ("May 2018", 0, "expected a year, found 'M'"),
            ("-", 1, "expected a year after '-'"),
            ("/", 0, "an interval needs a date at one end at least"),
            ("../..", 0, "an interval needs a date at one end at least"),
            ("..", 0, "'..' alone is not a date"),
            ("2018/2017", 5, "the interval ends (2017) before it starts (2018)"),
            ("2018-05/2018-03", 8, "the interval ends (March 2018) before it starts (May 2018)"),
            ("2018/2019/2020", 9, "unexpected '/' after the interval"),
            ("2018-05T10:00:00", 7, "a time of day needs a full date before it"),
            ("2018-05-07~T10:00:00", 11, "a date with a time of day cannot carry ?, ~ or %"),
            ("2018-05-07T10:00:00?", 19, "a date with a time of day cannot carry ?, ~ or %"),
            ("2018-05-07T10:00:00/2019", 19, "an interval cannot have a time of day"),
            ("2018/2019-05-07T10:00:00", 15, "a time of day can only follow a single full date"),
            ("2018-05-07T25:00:00", 11, "there is no hour 25"),
            ("2018-05-07T10:60:00", 14, "there is no minute 60"),
            ("2018-05-07T10:00", 16, "expected ':' in the time"),
            ("2018-05-07T10:00:00+2", 20, "expected the two digits of the hour of the offset"),
            ("[]", 1, "expected a date in the set"),
            ("[..]", 1, "'..' needs a date beside it"),
            ("[2018", 5, "the set is not closed"),
            ("[2018,]", 6, "expected a date in the set"),
            ("[2018 2019]", 6, "expected ',' or ']' in the set, found '2'"),
            ("[2018, ..2019]", 7, "an open start (..) can only come first in a set"),
            ("[2018.., 2019]", 1, "an open end (..) can only come last in a set"),
            ("[..2015, 2017..]", 0, "this set is open at both ends, so it says nothing about when"),
            ("[2019..2018]", 7, "the range ends (2018) before it starts (2019)"),
            ("[2018]?", 6, "a qualifier cannot follow a set"),
            ("[2018]x", 6, "unexpected 'x' after the set"),
            ("{2018, 2019}", 0, "'{…}' (all of a set) is not supported"),
        ];
        for &(text, column, message) in CASES {
            let error = error(text);
            let got = (error.message.as_str(), error.column);
            assert_eq!(got, (message, column), "for {text:?}");
        }
    }

    #[test]
    fn errors_carry_helpful_hints() {
        let hint = |text: &str| error(text).hint.unwrap_or_default();
        assert_eq!(
            hint("20180"),
            "write a year beyond 9999 with Y, as in Y20180"
        );
        assert_eq!(
            hint("-20180"),
            "write a year beyond 9999 with Y, as in Y-20180"
        );
        assert_eq!(hint("196"), "pad it with zeros: 0196");
        assert_eq!(hint("-44"), "pad it with zeros: -0044");
        assert_eq!(hint("2018-5"), "write 05");
        assert_eq!(hint("2018?~"), "write % for both uncertain and approximate");
        assert_eq!(hint("Y2018"), "write 2018");
        assert_eq!(hint("-0000"), "write 0000 for the year zero (1 BCE)");
        assert!(hint("2018-13").contains("01 to 12"));
        assert_eq!(error("2018-13").to_string(), "there is no month 13");
    }

    #[test]
    fn sorting_follows_the_content_model() {
        let mut dates: Vec<Edtf> = [
            "2018-05-07/..",
            "2018-05-07",
            "2018-05",
            "2018",
            "2018/2019",
            "2018/..",
            "201X",
            "20XX",
            "../2018-01-01",
            "2018-21",
            "2018-03",
            "2017-12-31",
            "[2018-01..2018-04]",
            "2018-01",
            "2018~",
            "2018-05-07T10:00:00Z",
        ]
        .iter()
        .map(|text| parse(text))
        .collect();
        dates.sort();
        let order: Vec<&str> = dates.iter().map(Edtf::as_written).collect();
        let expected = [
            "20XX",
            "201X",
            "2017-12-31",
            "../2018-01-01",
            "2018",
            "2018~",
            "2018/2019",
            "2018/..",
            "2018-01",
            "[2018-01..2018-04]",
            "2018-21",
            "2018-03",
            "2018-05",
            "2018-05-07",
            "2018-05-07T10:00:00Z",
            "2018-05-07/..",
        ];
        assert_eq!(order, expected);
    }

    #[test]
    fn the_order_is_lawful_and_agrees_with_equality() {
        let dates: Vec<Edtf> = [
            "2018",
            " 2018",
            "2018~",
            "2018?",
            "2018-XX",
            "2018-XX-XX",
            "2018/2018",
            "[2018]",
            "2018-01",
            "2018-01-01",
            "../2018-01-01",
            "/2018-01-01",
            "2018/..",
            "2018/",
            "201X",
            "[..2018]",
            "[2018..]",
            "-0044",
            "Y10000",
        ]
        .iter()
        .map(|text| parse(text))
        .collect();
        for a in &dates {
            for b in &dates {
                assert_eq!(a.cmp(b) == Ordering::Equal, a == b, "{a} vs {b}");
                assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{a} vs {b}");
                assert_eq!(a.partial_cmp(b), Some(a.cmp(b)));
                for c in &dates {
                    assert!(!(a <= b && b <= c) || a <= c, "{a} <= {b} <= {c}");
                }
            }
        }
    }

    #[test]
    fn overlaps_a_range_of_days() {
        let day = |y, m, d| Day::new(y, m, d);
        let may = parse("2018-05");
        assert!(may.overlaps(day(2018, 5, 31), day(2018, 6, 30)));
        assert!(may.overlaps(day(2018, 4, 1), day(2018, 5, 1)));
        assert!(!may.overlaps(day(2018, 6, 1), None));
        assert!(!may.overlaps(None, day(2018, 4, 30)));
        assert!(may.overlaps(None, None));
        let from = parse("2018-09/..");
        assert!(from.overlaps(day(2030, 1, 1), None));
        assert!(!from.overlaps(None, day(2018, 8, 31)));
        let until = parse("../2011-03");
        assert!(until.overlaps(day(1900, 1, 1), day(1900, 1, 1)));
        assert!(!until.overlaps(day(2011, 4, 1), None));
    }

    #[test]
    fn odd_input_never_panics() {
        let long_digits = "9".repeat(10_000);
        let odd = [
            "",
            "/",
            "//",
            "[..]",
            "[",
            "]",
            "[,]",
            "-",
            "--",
            "Y",
            "Y-",
            "Y-9",
            "-Y2018",
            "..",
            "...",
            "T",
            "?",
            "２０１８",
            "é",
            "2018-0é",
            "2018-05-07T",
            "2018-05-07T1",
            "[2018..",
            "[2018..2019",
            "0000-00-00",
            "99999999999999999999",
            "Y99999999999999999999",
            "\u{feff}2018",
            "2018\u{0}",
            &long_digits,
        ];
        for text in odd {
            let result = Edtf::parse(text);
            assert!(result.is_err(), "{text:?}");
        }
        assert_eq!(parse("9999-12-31").end(), Day::new(9999, 12, 31));
        let long_set = format!("[{}]", vec!["2018"; 2_000].join(", "));
        assert_eq!(parse(&long_set).display().matches("2018").count(), 2_000);
        let late = parse("2018-05-07T23:59:59-23:59");
        assert_eq!(late.display(), "7 May 2018, 23:59:59 UTC-23:59");
    }

    #[test]
    fn generated_input_never_panics_and_keeps_its_promises() {
        let alphabet: Vec<char> = "0129X-/.[],?~%YTZ: u".chars().collect();
        let mut seed: u64 = 0x2018_0207;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let length = (seed >> 60) as usize;
            let text: String = (0..length)
                .filter_map(|i| alphabet.get((seed >> (4 * i % 56)) as usize % alphabet.len()))
                .collect();
            match Edtf::parse(&text) {
                Ok(date) => {
                    assert!(date.start().is_some() || date.end().is_some(), "{text}");
                    if let (Some(start), Some(end)) = (date.start(), date.end()) {
                        assert!(start <= end, "{text}");
                    }
                    assert!(!date.display().is_empty(), "{text}");
                }
                Err(e) => assert!(e.column <= text.chars().count(), "{text}: {e:?}"),
            }
        }
    }
}
