//! What the benchmarks share: the synthetic sites they run on, the
//! machine line to quote with figures, and medians.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

pub fn number(what: &str, text: &str) -> usize {
    text.parse()
        .unwrap_or_else(|_| panic!("{what}: `{text}` is not a whole number"))
}

/// `<target>` of `<target>/<profile>/dossier`.
fn target_dir(binary: &Path) -> PathBuf {
    binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary lies in <target>/<profile>/")
        .to_path_buf()
}

/// The number of cores, the CPU and the load average, to quote with figures.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown CPU", |l| l.trim_start_matches([' ', '\t', ':']));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!(
        "machine: {cores} cores, {cpu}, load average {}",
        load.join(" ")
    )
}

/// Builds the synth example (release) and returns its path.
pub fn build_synth(binary: &Path) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let target = target_dir(binary);
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--example", "synth"])
        .arg("--manifest-path")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --example synth failed");
    target.join("release/examples/synth")
}

/// The synthetic site of `events` events under `dir`, generated unless a
/// complete one is there.
pub fn ensure_site(synth: &Path, dir: &Path, events: usize) -> PathBuf {
    let site = dir.join(format!("site-{events}"));
    let done = site.join(".complete");
    if !done.exists() {
        eprintln!("generating {} ...", site.display());
        generate(synth, &site, events);
        std::fs::write(&done, "").expect("the site folder is writable");
    }
    site
}

/// Runs `synth --events N --out site`.
pub fn generate(synth: &Path, site: &Path, events: usize) {
    let output = Command::new(synth)
        .arg("--events")
        .arg(events.to_string())
        .arg("--out")
        .arg(site)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", synth.display()));
    assert!(
        output.status.success(),
        "synth failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The median of some values (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    }
}

/// `median (min-max)` with `decimals` decimals.
pub fn spread(values: &[f64], decimals: usize) -> String {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!(
        "{:.decimals$} ({min:.decimals$}-{max:.decimals$})",
        median(values)
    )
}

/// The site sizes (events) to measure: the arguments, else
/// `DOSSIER_BENCH_SIZES` (comma-separated), else `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    let from_args: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| number("a size argument", &a))
        .collect();
    if !from_args.is_empty() {
        return from_args;
    }
    env_or("DOSSIER_BENCH_SIZES", default)
        .split(',')
        .map(|s| number("DOSSIER_BENCH_SIZES", s.trim()))
        .collect()
}

/// Where the synthetic sites are kept: `DOSSIER_BENCH_DIR`, else
/// `<target>/bench-sites`.
pub fn sites_dir(binary: &Path) -> PathBuf {
    std::env::var_os("DOSSIER_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir(binary).join("bench-sites"))
}

/// The first event file of a site, by path.
pub fn first_event(site: &Path) -> PathBuf {
    let mut events: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/events"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    events.sort();
    events.into_iter().next().expect("the site has an event")
}

/// Puts a file's text back when dropped, even when the benchmark fails.
pub struct Restore {
    pub path: PathBuf,
    pub text: String,
}

impl Restore {
    /// Remembers the text of the file at `path`.
    pub fn of(path: &Path) -> Restore {
        Restore {
            text: std::fs::read_to_string(path).expect("the file is readable"),
            path: path.to_path_buf(),
        }
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.text);
    }
}
