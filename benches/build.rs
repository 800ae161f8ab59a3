//! The build benchmark: full builds, rebuilds after an edit and no-op
//! rebuilds of synthetic sites.
//!
//! ```text
//! cargo bench --bench build                        sizes 1000 and 10000, 5 runs each
//! cargo bench --bench build -- 1000 100000         the sizes as arguments
//! DOSSIER_BENCH_RUNS=3 cargo bench --bench build   (bench/run.sh wraps this)
//! ```
//!
//! For each size N it generates (once, then reuses) a deterministic site with
//! `examples/synth.rs` under `<target>/bench-sites/site-N/`, then runs the
//! release `dossier build --timings` R times into an empty folder, R times
//! as a no-op rebuild of the last output, R times after an edit (a new
//! title for the site's first event, put back at the end) into that output,
//! and R times `dossier check` (everything a build does but writing, plus
//! the pages' links and anchors).
//! For each run it measures the wall time, the user and system CPU time and
//! the peak resident memory of the child (`wait4(2)`, which reports them for
//! that one process), and reads the pages, files, kilobytes and changed
//! files from the build's summary line and the stage times from
//! `--timings`. It prints medians, with the range for wall time and memory;
//! `?` where the build did not say (a rebuild that finds its output up to
//! date prints no stage times). A last line per size gives what a reader
//! downloads from the built site (`build/reader.rs`): event pages, the
//! stylesheet, the largest page, timeline data and a first search.
//!
//! Settings (environment): `DOSSIER_BENCH_SIZES` (events, comma-separated;
//! default `1000,10000`; 100000 takes minutes), `DOSSIER_BENCH_RUNS`
//! (default 5), `DOSSIER_BENCH_DIR` (default `<target>/bench-sites`). The
//! outputs of all runs are kept until the end: about 31 MB a run at 1,000
//! events, 10 times that at 10,000. Delete `site-N` there to regenerate a
//! site (after changing the generator).
//!
//! The binaries: Cargo gives benchmarks `CARGO_BIN_EXE_dossier`, as it does
//! integration tests, and `cargo bench` builds it with the `bench` profile,
//! which is `release`: `<target>/release/dossier`. Examples are not built by
//! `cargo bench`, so the harness runs `cargo build --release --example synth`
//! itself (a no-op when it is up to date).
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it only checks
//! itself: one build and one rebuild of the `basic` test fixture with the
//! debug binary.

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

// The tests' helpers: the search index's posting-list decoder.
#[path = "../tests/common.rs"]
mod common;
#[path = "build/reader.rs"]
mod reader;
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

/// What to measure, from the environment and the arguments.
struct Settings {
    sizes: Vec<usize>,
    runs: usize,
    dir: PathBuf,
}

impl Settings {
    fn read(binary: &Path) -> Settings {
        let sizes = sizes("1000,10000");
        let runs = number("DOSSIER_BENCH_RUNS", &env_or("DOSSIER_BENCH_RUNS", "5")).max(1);
        let dir = sites_dir(binary);
        Settings { sizes, runs, dir }
    }
}

/// The full benchmark.
fn bench(binary: &Path) {
    let settings = Settings::read(binary);
    let synth = build_synth(binary);
    println!("{}", machine());
    println!(
        "dossier: {}; {} runs per measurement",
        binary.display(),
        settings.runs
    );
    // Every full build goes into a fresh folder that was never used, and all
    // of them are deleted only at the end: on ext4 without a journal (as on
    // the machine this was written on), deleting a tree and at once creating
    // another makes inode allocation very slow, as the kernel scans the
    // recently freed inodes, and that would be measured as write time.
    let outputs = settings.dir.join(format!("outputs-{}", unique()));
    println!("{HEADER}");
    for &events in &settings.sizes {
        let site = ensure_site(&synth, &settings.dir, events);
        let build = |out: &Path, log: &Path| measure(&mut build_command(binary, &site, out), log);
        let full: Vec<Sample> = (1..=settings.runs)
            .map(|run| {
                let out = outputs.join(format!("out-{events}-{run}"));
                build(&out, &outputs.join(format!("full-{events}-{run}.log")))
            })
            .collect();
        let last = outputs.join(format!("out-{events}-{}", settings.runs));
        let event = first_event(&site);
        let original = Restore::of(&event);
        let reader = reader::report(&last, &title(&original.text));
        let noop: Vec<Sample> = (1..=settings.runs)
            .map(|run| build(&last, &outputs.join(format!("noop-{events}-{run}.log"))))
            .collect();
        let edit: Vec<Sample> = (1..=settings.runs)
            .map(|run| {
                std::fs::write(&event, retitled(&original.text, run))
                    .expect("the event is writable");
                build(&last, &outputs.join(format!("edit-{events}-{run}.log")))
            })
            .collect();
        drop(original);
        let check: Vec<Sample> = (1..=settings.runs)
            .map(|run| {
                measure(
                    &mut check_command(binary, &site),
                    &outputs.join(format!("check-{events}-{run}.log")),
                )
            })
            .collect();
        println!("{}", row(events, "full", &full));
        println!("{}", row(events, "no-op", &noop));
        println!("{}", row(events, "edit", &edit));
        println!("{}", row(events, "check", &check));
        println!("{events:<7} {reader}");
    }
    println!("removing {}", outputs.display());
    std::fs::remove_dir_all(&outputs)
        .unwrap_or_else(|e| panic!("cannot remove {}: {e}", outputs.display()));
}

/// The title of an event's text, unquoted.
fn title(text: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix("title:"))
        .map(|title| title.trim().trim_matches('"').to_string())
        .unwrap_or_default()
}

/// An event's text with a new title, the `run`th.
fn retitled(text: &str, run: usize) -> String {
    let line = |line: &str| {
        if line.starts_with("title:") {
            format!("title: \"Bench edit {run}\"")
        } else {
            line.to_string()
        }
    };
    text.lines().map(line).collect::<Vec<_>>().join("\n") + "\n"
}

/// A name no earlier run used: the time and this process.
fn unique() -> String {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}-{}", since.as_secs(), std::process::id())
}

/// What one run of the binary cost and reported.
struct Sample {
    wall: Duration,
    user: Duration,
    sys: Duration,
    peak_kib: u64,
    report: Report,
}

/// Runs `command` (its standard error into `log`) and measures it.
#[expect(
    clippy::zombie_processes,
    reason = "wait4 reaps the child, which Child::wait cannot do with its usage"
)]
fn measure(command: &mut Command, log: &Path) -> Sample {
    if let Some(folder) = log.parent() {
        std::fs::create_dir_all(folder).expect("the bench folder is writable");
    }
    let stderr = File::create(log).expect("the log file can be created");
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let (status, usage) = wait4(child.id());
    let wall = started.elapsed();
    let text = std::fs::read_to_string(log).unwrap_or_default();
    assert!(status.success(), "{command:?} failed ({status}):\n{text}");
    Sample {
        wall,
        user: duration(usage.ru_utime),
        sys: duration(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        report: Report::parse(&text),
    }
}

/// Waits for the child `pid` and returns its exit status and its own
/// resource usage (`wait4(2)`). The `Child` it came from is then never
/// waited on.
fn wait4(pid: u32) -> (ExitStatus, libc::rusage) {
    let pid = libc::pid_t::try_from(pid).expect("a process id fits pid_t");
    let mut status = 0;
    // SAFETY: rusage is a C struct of integers, for which all zeros is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped, and both pointers
        // point to live locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return (ExitStatus::from_raw(status), usage);
        }
        let error = std::io::Error::last_os_error();
        assert!(
            error.kind() == std::io::ErrorKind::Interrupted,
            "wait4: {error}"
        );
    }
}

fn duration(time: libc::timeval) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u32::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(micros.into())
}

/// What a build says on standard error:
/// `built N pages (F files, K KB, C changed) into DIR in X ms` and, with
/// `--timings`, `timings: load A ms, resolve B ms, render C ms, write D ms`;
/// or, when it finds nothing changed since the last build, `up to date: N
/// pages (F files, K KB) in DIR, …` and no timings. `check` says `ok: N
/// pages, W warnings`.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Report {
    pages: Option<u64>,
    files: Option<u64>,
    kb: Option<u64>,
    changed: Option<u64>,
    load_ms: Option<u64>,
    resolve_ms: Option<u64>,
    render_ms: Option<u64>,
    write_ms: Option<u64>,
}

impl Report {
    fn parse(stderr: &str) -> Report {
        let mut report = Report::default();
        for line in stderr.lines() {
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || "(),:".contains(c))
                .filter(|w| !w.is_empty())
                .collect();
            let up_to_date = line.starts_with("up to date:");
            if line.starts_with("built ") || up_to_date {
                report.pages = before(&words, "pages");
                report.files = before(&words, "files");
                report.kb = before(&words, "KB");
                report.changed = if up_to_date {
                    Some(0)
                } else {
                    before(&words, "changed")
                };
            } else if line.starts_with("ok:") {
                report.pages = before(&words, "pages");
            } else if line.starts_with("timings:") {
                report.load_ms = after(&words, "load");
                report.resolve_ms = after(&words, "resolve");
                report.render_ms = after(&words, "render");
                report.write_ms = after(&words, "write");
            }
        }
        report
    }
}

/// The number just before the word `label` (`1475 pages`).
fn before(words: &[&str], label: &str) -> Option<u64> {
    let i = words.iter().position(|w| *w == label)?;
    words.get(i.checked_sub(1)?)?.parse().ok()
}

/// The number just after the word `label` (`load 12 ms`).
fn after(words: &[&str], label: &str) -> Option<u64> {
    let i = words.iter().position(|w| *w == label)?;
    words.get(i + 1)?.parse().ok()
}

/// The head of the results table.
const HEADER: &str = "events  build  wall s (min-max)    user s  sys s   peak MiB (min-max)  pages   files   MB      changed  load/resolve/render/write ms (medians)";

/// One line of the results table: medians of the samples.
fn row(events: usize, kind: &str, samples: &[Sample]) -> String {
    let secs = |f: fn(&Sample) -> Duration| -> Vec<f64> {
        samples.iter().map(|s| f(s).as_secs_f64()).collect()
    };
    let wall = secs(|s| s.wall);
    let peak: Vec<f64> = samples.iter().map(|s| s.peak_kib as f64 / 1024.0).collect();
    // A reported number's median, divided by `scale`; `?` if none said it.
    let reported = |f: fn(&Report) -> Option<u64>, scale: f64, decimals: usize| -> String {
        let values: Vec<f64> = samples
            .iter()
            .filter_map(|s| f(&s.report))
            .map(|v| v as f64 / scale)
            .collect();
        if values.is_empty() {
            "?".to_string()
        } else {
            format!("{:.decimals$}", median(&values))
        }
    };
    let count = |f| reported(f, 1.0, 0);
    let stages = [
        count(|r| r.load_ms),
        count(|r| r.resolve_ms),
        count(|r| r.render_ms),
        count(|r| r.write_ms),
    ]
    .join("/");
    format!(
        "{events:<7} {kind:<6} {:<20} {:<7.2} {:<7.2} {:<19} {:<7} {:<7} {:<7} {:<8} {stages}",
        spread(&wall, 2),
        median(&secs(|s| s.user)),
        median(&secs(|s| s.sys)),
        spread(&peak, 0),
        count(|r| r.pages),
        count(|r| r.files),
        reported(|r| r.kb, 1024.0, 1),
        count(|r| r.changed),
    )
}

/// `dossier build --timings` of `site` into `out`.
fn build_command(binary: &Path, site: &Path, out: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("--out")
        .arg(out)
        .arg("--timings");
    command
}

/// `dossier check` of `site`.
fn check_command(binary: &Path, site: &Path) -> Command {
    let mut command = Command::new(binary);
    command.arg("--root").arg(site).arg("check");
    command
}

/// Under `cargo test`: builds, rebuilds and checks the `basic` test fixture
/// with the debug binary, and checks the measurements and the summaries can
/// be read.
fn smoke(binary: &Path) {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let run = |log: &str| {
        measure(
            &mut build_command(binary, &site, &out),
            &dir.path().join(log),
        )
    };
    let full = run("full.log");
    let noop = run("noop.log");
    let report = full.report;
    assert!(report.pages.is_some_and(|p| p > 10), "{report:?}");
    assert!(
        report.files >= report.pages && report.kb > Some(0),
        "{report:?}"
    );
    assert_eq!(
        report.changed, report.files,
        "a first build writes every file"
    );
    assert!(report.write_ms.is_some(), "no --timings line: {report:?}");
    assert_eq!(noop.report.pages, report.pages, "{:?}", noop.report);
    assert_eq!(noop.report.changed, Some(0), "a no-op rebuild wrote files");
    let check = measure(
        &mut check_command(binary, &site),
        &dir.path().join("check.log"),
    );
    assert_eq!(check.report.pages, report.pages, "{:?}", check.report);
    assert!(full.peak_kib > 1024, "peak memory {} KiB", full.peak_kib);
    let event = std::fs::read_to_string(sites::first_event(&site)).expect("an event");
    let reader = reader::report(&out, &title(&event));
    assert!(
        reader.contains("style.css ")
            && !reader.contains("first search ?")
            && !reader.contains("filtered by one actor ?")
            && !reader.contains("filtered by one type ?"),
        "{reader}"
    );
    println!(
        "bench build: smoke check passed ({} pages in {:.0} ms, {} KiB peak); \
         run `cargo bench --bench build` to benchmark",
        report.pages.unwrap_or(0),
        full.wall.as_secs_f64() * 1000.0,
        full.peak_kib
    );
}
