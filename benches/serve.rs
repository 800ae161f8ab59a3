//! The serve benchmark: from saving one event to the open pages' reload.
//!
//! ```text
//! cargo bench --bench serve                  10,000 events, 20 edits
//! cargo bench --bench serve -- 1000 100000   the sizes as arguments
//!                                            (or DOSSIER_BENCH_SIZES)
//! DOSSIER_BENCH_EDITS=50 cargo bench --bench serve
//! DOSSIER_BENCH_PAUSE_MS=4000 cargo bench --bench serve -- 100000
//! ```
//!
//! For each size it starts the release `dossier serve` on the synthetic
//! site (`examples/synth.rs`, shared with the build benchmark under
//! `<target>/bench-sites/`), listens to the reload channel as an open page
//! does (`/__dossier/events`), and edits one event E times: its title (the
//! common save, which changes what pages say), then its tags (a tag added,
//! then removed: the event moves between lists, so indexes and counts
//! change); then it adds a copy of the event as a new file and removes it
//! again, E times in all (a new event joins every list it names, and the
//! place pages of its places' trees count it). Each edit is timed from just
//! before the file is written until the `reload` message arrives: the
//! debounce, reading, resolving, rendering what the edit touches, writing
//! it and telling the page, as a reader of the page sees it. Edits are a
//! second apart (`DOSSIER_BENCH_PAUSE_MS`),
//! so the files made from the whole site (written after the reload) are
//! done before the next one; at 100,000 events they take seconds. It
//! prints the median and range, and serve's own figures for its rebuilds
//! (pages rendered, milliseconds). The event file is restored at the end.
//!
//! Under `cargo test --all-targets` it only checks itself: three tag edits
//! of the `basic` test fixture with the debug binary.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// The tests' helpers, for copying a fixture.
#[path = "../tests/common.rs"]
mod common;
mod sites;

use sites::{
    Restore, build_synth, ensure_site, env_or, first_event, machine, median, number, sites_dir,
    sizes, spread,
};

fn main() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_dossier"));
    if std::env::args().any(|a| a == "--bench") {
        bench(&binary);
    } else {
        smoke(&binary);
    }
}

/// The full benchmark.
fn bench(binary: &Path) {
    let sizes = sizes("10000");
    let edits = number("DOSSIER_BENCH_EDITS", &env_or("DOSSIER_BENCH_EDITS", "20")).max(1);
    let pause = number(
        "DOSSIER_BENCH_PAUSE_MS",
        &env_or("DOSSIER_BENCH_PAUSE_MS", "1000"),
    );
    let pause = Duration::from_millis(pause as u64);
    let dir = sites_dir(binary);
    let synth = build_synth(binary);
    println!("{}", machine());
    println!("dossier: {}; {edits} edits per size", binary.display());
    println!(
        "events  edit    save -> reload, median (range)   serve's rebuild: pages, ms (median)"
    );
    for events in sizes {
        let site = ensure_site(&synth, &dir, events);
        for edit in [Edit::Title, Edit::Tags, Edit::Added] {
            let run = edit_run(binary, &site, edit, edits, pause);
            let ms: Vec<f64> = run
                .reloads
                .iter()
                .map(|d| d.as_secs_f64() * 1000.0)
                .collect();
            let rebuilt_ms: Vec<f64> = run.rebuilds.iter().map(|r| r.1 as f64).collect();
            let pages: Vec<f64> = run.rebuilds.iter().map(|r| r.0 as f64).collect();
            println!(
                "{events:>7}  {:<6}  {:>25} ms   {:.0} pages, {:.0} ms",
                edit.name(),
                spread(&ms, 1),
                median(&pages),
                median(&rebuilt_ms)
            );
        }
    }
}

/// What an edit changes in the event.
#[derive(Clone, Copy)]
enum Edit {
    /// Its title, a new one each time.
    Title,
    /// Its tags: a tag of its own added, then removed again.
    Tags,
    /// A copy of it as a new event file, then that file removed again.
    Added,
}

impl Edit {
    fn name(self) -> &'static str {
        match self {
            Edit::Title => "title",
            Edit::Tags => "tags",
            Edit::Added => "added",
        }
    }

    /// Makes the `n`th edit of `event` (whose text was `original`).
    fn save(self, event: &Path, original: &str, n: usize) {
        let copy = added(event);
        match self {
            Edit::Added if n % 2 == 1 => std::fs::write(&copy, Edit::Title.apply(original, n))
                .expect("a new event is written"),
            Edit::Added => std::fs::remove_file(&copy).expect("the new event is removed"),
            _ => std::fs::write(event, self.apply(original, n)).expect("the event is writable"),
        }
    }

    /// The event's text for the `n`th edit.
    fn apply(self, text: &str, n: usize) -> String {
        let line = |line: &str| match self {
            Edit::Title if line.starts_with("title:") => format!("title: \"Edit {n}\""),
            Edit::Tags if n % 2 == 1 && line.starts_with("tags: [") => {
                line.replacen("tags: [", "tags: [bench-tag, ", 1)
            }
            _ => line.to_string(),
        };
        text.lines().map(line).collect::<Vec<_>>().join("\n") + "\n"
    }
}

/// Where [`Edit::Added`] writes its copy of `event`: beside it, under a new
/// id.
fn added(event: &Path) -> PathBuf {
    event.with_file_name("bench-added-event.yaml")
}

/// What one series of edits measured.
struct Run {
    /// From each save to its reload message.
    reloads: Vec<Duration>,
    /// Serve's report of each rebuild: pages rendered and milliseconds.
    rebuilds: Vec<(u64, u64)>,
}

/// Serves `site`, makes `edit` to its first event `edits` times, `pause`
/// apart, and times each save to its reload message.
fn edit_run(binary: &Path, site: &Path, edit: Edit, edits: usize, pause: Duration) -> Run {
    let event = first_event(site);
    let original = Restore::of(&event);
    let log = tempfile::NamedTempFile::new().expect("a temporary file");
    let mut serve = Serve(
        Command::new(binary)
            .arg("--root")
            .arg(site)
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("the log reopens"))
            .spawn()
            .expect("dossier serve starts"),
    );
    let address = wait_for_address(log.path(), &mut serve.0);
    let mut events = subscribe(&address);
    let mut reloads = Vec::new();
    for n in 1..=edits {
        std::thread::sleep(pause);
        let saved = Instant::now();
        edit.save(&event, &original.text, n);
        wait_for_reload(&mut events);
        reloads.push(saved.elapsed());
    }
    let _ = std::fs::remove_file(added(&event));
    drop(original);
    drop(serve);
    let text = std::fs::read_to_string(log.path()).unwrap_or_default();
    Run {
        reloads,
        rebuilds: text.lines().filter_map(rebuilt).collect(),
    }
}

/// Stops the server when dropped: asks it to stop (SIGTERM), so that it
/// removes its output folder (3.8 GB at 100,000 events), and kills it if it
/// has not stopped within a minute.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.0.id()) {
            // SAFETY: kill(2) on the child we started and have not waited
            // for, so the pid is still ours.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `host:port` serve prints once its first build is served.
fn wait_for_address(log: &Path, serve: &mut Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let served = text
            .lines()
            .find_map(|l| l.strip_prefix("serving http://"))
            .and_then(|rest| rest.split('/').next());
        if let Some(address) = served {
            return address.to_string();
        }
        if let Ok(Some(status)) = serve.try_wait() {
            panic!("dossier serve stopped ({status}):\n{text}");
        }
        assert!(Instant::now() < deadline, "serve did not start:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Opens the reload channel as a page does, past the greeting.
fn subscribe(address: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).expect("serve accepts a connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout can be set");
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("the request is sent");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with("event: hello") {
        line.clear();
        let read = reader.read_line(&mut line).expect("the channel greets");
        assert!(read > 0, "the reload channel closed");
    }
    reader
}

/// Reads the channel until a `reload` message.
fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("a reload arrives");
        assert!(read > 0, "the reload channel closed");
        assert!(
            !line.starts_with("event: build-error"),
            "the rebuild failed"
        );
        if line.starts_with("event: reload") {
            return;
        }
    }
}

/// `(pages, ms)` from serve's `rebuilt N pages in M ms (…)` line.
fn rebuilt(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("rebuilt ")?;
    let mut words = rest.split_whitespace();
    let pages = words.next()?.parse().ok()?;
    let ms = words.nth(2)?.parse().ok()?;
    Some((pages, ms))
}

/// Under `cargo test`: three edits of the tags of an event of a copy of the
/// `basic` fixture with the debug binary, each of which must reload the
/// page.
fn smoke(binary: &Path) {
    let copy = tempfile::tempdir().expect("a temporary folder");
    common::copy_tree(&common::fixture("basic"), copy.path());
    let run = edit_run(
        binary,
        copy.path(),
        Edit::Tags,
        3,
        Duration::from_millis(300),
    );
    assert_eq!(run.reloads.len(), 3);
    assert_eq!(run.rebuilds.len(), 3, "serve reported {:?}", run.rebuilds);
    assert!(
        run.rebuilds.iter().all(|&(pages, _)| pages > 0),
        "{:?}",
        run.rebuilds
    );
    let new_file = edit_run(
        binary,
        copy.path(),
        Edit::Added,
        2,
        Duration::from_millis(300),
    );
    assert_eq!(new_file.reloads.len(), 2);
    assert!(
        !added(&first_event(copy.path())).exists(),
        "the added event is removed at the end"
    );
    println!(
        "bench serve: smoke check passed (reloads after {:?}); \
         run `cargo bench --bench serve` to benchmark",
        run.reloads
    );
}
