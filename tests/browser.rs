//! End-to-end checks in a real browser: the entry point `cargo test` runs
//! for the Node project in `tests/browser/`.
//!
//! It builds the `basic` fixture twice with the binary, once for a domain's
//! root and once for the sub-path `/repo/`, serves both on an ephemeral
//! loopback port (`tests/browser/serve.mjs`), and runs `node --test` there:
//! Chromium (driven by playwright-core) filters the timeline, opens a
//! citation preview, searches, follows map and graph links, checks keyboard
//! focus, runs axe-core and takes screenshots; the W3C Nu HTML checker
//! (vnu-jar, on the machine's Java) validates every page.
//!
//! Without Chromium, Node, Java or `tests/browser/node_modules`, the test
//! says what is missing and passes, unless `DOSSIER_REQUIRE_BROWSER=1` (as
//! in CI), when it fails. Screenshots go to `DOSSIER_SCREENSHOTS`, by
//! default `target/screenshots/`.

mod common;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Node project with the browser tests.
fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// How long the whole Node run may take.
const DEADLINE: Duration = Duration::from_secs(20 * 60);

/// Prints past the test harness's capture, so a skip shows in `cargo test`.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Whether `program args…` runs and exits 0; its standard output if so.
fn run_ok(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// The Chromium to drive.
fn chromium() -> PathBuf {
    std::env::var_os("DOSSIER_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What the browser tests need and this machine lacks.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if !chromium().is_file() {
        missing.push(format!("{} (Chromium)", chromium().display()));
    }
    match run_ok("node", &["--version"]) {
        None => missing.push("node".to_string()),
        Some(version) => {
            let major: u32 = version
                .trim_start_matches('v')
                .split('.')
                .next()
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            if major < 20 {
                missing.push(format!("node 20 or newer (found {version})"));
            }
        }
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        let manifest = project()
            .join("node_modules")
            .join(package)
            .join("package.json");
        if !manifest.is_file() {
            missing.push(format!("tests/browser/node_modules/{package}"));
        }
    }
    if run_ok("java", &["-version"]).is_none() {
        missing.push("java (a JRE, for vnu-jar)".to_string());
    }
    missing
}

/// `serve.mjs` running; stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Serves `root` at `/` and `repo` at `/repo/` (built later).
    fn start(root: &Path, repo: &Path) -> Server {
        let mut child = Command::new("node")
            .arg(project().join("serve.mjs"))
            .arg(root)
            .arg(repo)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node tests/browser/serve.mjs: {e}"));
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let url = line.trim().to_string();
        let mut server = Server { child, url };
        if !server.url.starts_with("http://127.0.0.1:") {
            server.stop();
            panic!("tests/browser/serve.mjs did not print its address (got {line:?})");
        }
        server
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The sources added to the `basic` fixture: one more than a page of the
/// bibliography holds, so that it takes two pages.
const EXTRA_SOURCES: usize = 500;

/// A copy of the `basic` fixture in `dir` with [`EXTRA_SOURCES`] more
/// sources, uncited, from one publisher that sorts after the fixture's.
fn site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    common::copy_tree(&common::fixture("basic"), &root);
    for i in 0..EXTRA_SOURCES {
        let text = format!("---\ntitle: Bulletin {i:03}\npublisher: Zz Monitor Press\n---\n");
        std::fs::write(
            root.join(format!("content/sources/bulletin-{i:03}.md")),
            text,
        )
        .expect("a source in the copy of the fixture");
    }
    root
}

/// Where the screenshots go.
fn screenshots() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOSSIER_SCREENSHOTS") {
        return PathBuf::from(dir);
    }
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

#[test]
fn browser_end_to_end() {
    let missing = missing();
    if !missing.is_empty() {
        let message = format!(
            "missing {}; run `npm ci --prefix tests/browser` and `apt-get install chromium` \
             (and a JRE if java is missing)",
            missing.join(", ")
        );
        if std::env::var("DOSSIER_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("the browser tests cannot run (DOSSIER_REQUIRE_BROWSER=1): {message}");
        }
        say(&format!("SKIPPED browser tests: {message}"));
        return;
    }

    let dir = tempfile::tempdir().expect("a temporary folder");
    let (root, repo) = (dir.path().join("root"), dir.path().join("repo"));
    let server = Server::start(&root, &repo);
    let repo_url = format!("{}repo/", server.url);
    let site = site(dir.path());
    common::build_with_binary(&site, &root, &server.url);
    common::build_with_binary(&site, &repo, &repo_url);
    let shots = screenshots();
    std::fs::create_dir_all(&shots)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", shots.display()));

    let log_path = dir.path().join("node-test.log");
    let log = File::create(&log_path).expect("a log file in the temporary folder");
    let log_err = log.try_clone().expect("a second handle on the log file");
    let mut node = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .current_dir(project())
        .env("DOSSIER_URL", &server.url)
        .env("DOSSIER_REPO_URL", &repo_url)
        .env("DOSSIER_SITE", &root)
        .env("DOSSIER_REPO_SITE", &repo)
        .env("DOSSIER_SCREENSHOTS", &shots)
        .env("DOSSIER_CHROMIUM", chromium())
        .env("FORCE_COLOR", "0")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run node --test: {e}"));
    let started = Instant::now();
    let status = loop {
        match node.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = node.kill();
                let _ = node.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => panic!("waiting for node --test: {e}"),
        }
    };
    let report = std::fs::read_to_string(&log_path).unwrap_or_default();
    match status {
        Some(status) if status.success() => {
            let summary: Vec<&str> = report
                .lines()
                .filter_map(|l| l.strip_prefix("ℹ "))
                .filter(|l| {
                    ["tests ", "pass ", "skipped "]
                        .iter()
                        .any(|p| l.starts_with(p))
                })
                .collect();
            say(&format!(
                "browser tests: {}; screenshots in {}",
                summary.join(", "),
                shots.display()
            ));
        }
        Some(status) => panic!("the browser tests failed ({status}):\n{report}"),
        None => panic!(
            "the browser tests took longer than {} s:\n{report}",
            DEADLINE.as_secs()
        ),
    }
}
