//! Crash safety: a build killed at any moment, or stopped by a full disk or
//! an output folder that cannot be written, leaves the previous output
//! exactly as it was, or (killed in the milliseconds it spends moving the
//! few files an edit changed into the output) a journal from which the
//! next build completes the new one; the next build succeeds and clears
//! what the killed one left in the staging folder (`<parent>/.dossier/`).
//!
//! These run the real binary on a generated site large enough (a few
//! thousand events) to interrupt it at several points of its work. The
//! full-disk and read-only cases need root (a small tmpfs, `chattr +i`);
//! where that is not permitted they say so and pass without checking.

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes a valid site of `events` events (plus actors, sources, places)
/// under `root`; `edition` goes into every page, so two editions differ
/// on every page.
fn generate(root: &Path, events: usize, edition: &str) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let (actors, sources, places) = (events / 10, events / 5, events / 20);
    write(
        "site.yaml",
        &format!("title: Crash test, {edition}\nbase_url: /\nevent_types: [attack, statement]\n"),
    );
    write(
        "content/index.md",
        "---\ntitle: Home\n---\nA generated site [@s0].\n",
    );
    for s in 0..sources {
        write(
            &format!("content/sources/s{s}.md"),
            &format!(
                "---\ntitle: Report {s}\npublisher: Outlet {}\npublished: {}-{:02}\n---\nWhat report {s} says.\n",
                s % 30,
                2014 + s % 10,
                1 + s % 12
            ),
        );
    }
    for p in 0..places {
        write(
            &format!("content/places/p{p}.yaml"),
            &format!(
                "name: Place {p}\nkind: town\nlat: {:.2}\nlon: {:.2}\n",
                32.0 + (p % 60) as f64 / 10.0,
                36.0 + (p % 80) as f64 / 10.0
            ),
        );
    }
    for a in 0..actors {
        write(
            &format!("content/actors/a{a}.md"),
            &format!(
                "---\nname: Actor {a}\nkind: armed-group\n---\nA profile of actor {a} [@s{}].\n",
                a % sources
            ),
        );
    }
    for e in 0..events {
        let year = 2014 + e % 10;
        let mut summary = String::new();
        for sentence in 0..8 {
            let _ = writeln!(
                summary,
                "  Forces advanced on the village at dawn and the monitor reported casualties in sentence {sentence} [[a{}]] [@s{}, para {}].",
                (e + sentence) % actors,
                (e * 7 + sentence) % sources,
                1 + sentence
            );
        }
        write(
            &format!("content/events/{year}/e{e}.yaml"),
            &format!(
                "title: Event {e}\ndate: {year}-{:02}-{:02}\ntype: {}\nplaces: [p{}]\nactors:\n  - {{ actor: a{}, role: perpetrator }}\n  - {{ actor: a{}, role: target }}\ntags: [t{}]\nsummary: |\n{summary}sources: [s{}]\n",
                1 + e % 12,
                1 + e % 28,
                if e % 3 == 0 { "statement" } else { "attack" },
                e % places,
                e % actors,
                (e + 1) % actors,
                e % 20,
                e % sources
            ),
        );
    }
}

/// `dossier build --root ROOT --out OUT`, ready to run.
fn dossier(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out);
    command
}

/// Builds, failing the test with the build's messages if it fails.
fn build(root: &Path, out: &Path) {
    let output = dossier(root, out).output().unwrap();
    assert!(
        output.status.success(),
        "the build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The staging folders left in `<parent>/.dossier/` for output `name`.
fn leftovers(parent: &Path, name: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent.join(".dossier")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{name}.")))
        .collect();
    names.sort();
    names
}

/// Starts a build and kills it with SIGKILL once `when` says so (polled
/// every millisecond); returns whether it was still running when killed.
fn kill_build(root: &Path, out: &Path, when: impl Fn(Duration) -> bool) -> bool {
    let mut child = dossier(root, out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if when(started.elapsed()) {
            // `Child::kill` sends SIGKILL on Unix: no handler, no cleanup.
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_killed_build_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("public"));
    generate(&root, 1000, "first edition");
    build(&root, &out);
    let before = common::snapshot(&out);
    assert!(before.len() > 1000, "{} files", before.len());

    // The second edition changes every page; its complete output, built
    // elsewhere, is what a finished build would leave.
    generate(&root, 1000, "second edition");
    let started = Instant::now();
    build(&root, &dir.path().join("expected"));
    let typical = started.elapsed();
    let after = common::snapshot(&dir.path().join("expected"));
    assert_ne!(before, after);
    // The staging folder of the build into `expected` is not ours to count.
    let _ = std::fs::remove_dir_all(dir.path().join(".dossier"));

    // After each kill the output is the old site or, if the kill came after
    // the swap, the new one: never a mix. Put the old one back if needed.
    let outcomes = std::cell::RefCell::new(Vec::new());
    let check = |label: String| {
        let now = common::snapshot(&out);
        assert!(
            now == before || now == after,
            "killed {label}: the output is neither the old site nor the new one"
        );
        if now == after {
            std::fs::remove_dir_all(&out).unwrap();
            copy(&before, &out);
        }
        let kept = if now == before {
            "old output intact"
        } else {
            "new output complete"
        };
        outcomes
            .borrow_mut()
            .push(format!("killed {label}: {kept}"));
    };
    let mut killed = 0;
    for fraction in [0.1, 0.5, 0.9] {
        let at = typical.mul_f64(fraction);
        killed += usize::from(kill_build(&root, &out, |elapsed| elapsed >= at));
        check(format!("at {:.0}% of {typical:.1?}", fraction * 100.0));
    }
    // Kill while the staging folder is being filled (the riskiest moment):
    // as soon as a new `public.tmp-…` appears, and a little after.
    for delay in [0, 50].map(Duration::from_millis) {
        let earlier = leftovers(dir.path(), "public");
        let seen: Cell<Option<Instant>> = Cell::new(None);
        killed += usize::from(kill_build(&root, &out, |_| {
            if seen.get().is_none() {
                let staging = leftovers(dir.path(), "public")
                    .into_iter()
                    .any(|n| n.contains(".tmp-") && !earlier.contains(&n));
                if staging {
                    seen.set(Some(Instant::now()));
                }
            }
            seen.get().is_some_and(|at| at.elapsed() >= delay)
        }));
        check(format!("{delay:?} into staging"));
    }
    eprintln!("{}", outcomes.borrow().join("\n"));
    assert!(
        killed >= 3,
        "the builds ended before they could be killed ({typical:?} each)"
    );
    assert_eq!(
        common::snapshot(&out),
        before,
        "the old output is intact, byte for byte"
    );

    // The next build succeeds, gives the new site, and removes what the
    // killed builds left behind before it exits.
    // (A kill just after a staging folder appears may still land after the
    // swap, when hard links make staging quick: what it leaves varies, so
    // only the cleanup below is asserted.)
    let left = leftovers(dir.path(), "public");
    build(&root, &out);
    assert_eq!(common::snapshot(&out), after);
    assert_eq!(
        leftovers(dir.path(), "public"),
        Vec::<String>::new(),
        "the rerun cleaned the staging folder (it held {left:?})"
    );
}

#[test]
fn a_build_killed_after_an_edit_leaves_the_old_site_or_completes_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("public"));
    generate(&root, 1000, "first edition");
    build(&root, &out);
    let before = common::snapshot(&out);

    // A new title for one event changes a few pages: the build moves them
    // into the output one by one, after writing a journal of the moves.
    let event = root.join("content/events/2014/e0.yaml");
    let text = std::fs::read_to_string(&event).unwrap();
    std::fs::write(
        &event,
        text.replace("title: Event 0\n", "title: Event zero\n"),
    )
    .unwrap();
    let started = Instant::now();
    build(&root, &out);
    let typical = started.elapsed();
    let after = common::snapshot(&out);
    let restore = || {
        std::fs::remove_dir_all(&out).unwrap();
        copy(&before, &out);
        // So that the next build does not take the old site for the one
        // it recorded as built.
        let _ = std::fs::remove_file(dir.path().join(".dossier/inputs-public"));
    };
    restore();
    let changed = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .count();
    assert!(
        (1..after.len() / 2).contains(&changed),
        "{changed} of {} files changed",
        after.len()
    );

    // Killed while rendering, the build leaves the old site, with nothing
    // of its own in the output; killed while moving files in (a few
    // milliseconds), the next build completes the moves.
    let mut killed = 0;
    for fraction in [0.1, 0.5, 0.9, 0.97] {
        let at = typical.mul_f64(fraction);
        killed += usize::from(kill_build(&root, &out, |elapsed| elapsed >= at));
        let now = common::snapshot(&out);
        let moving = leftovers(dir.path(), "public")
            .iter()
            .any(|name| name.starts_with("public.moves-"));
        assert!(
            now == before || now == after || moving,
            "killed at {:.0}%: the output is a mix, and no journal says how to complete it",
            fraction * 100.0
        );
        if now != before {
            build(&root, &out);
            assert_eq!(common::snapshot(&out), after, "completed by the next build");
            restore();
        }
    }
    assert!(
        killed >= 2,
        "the builds ended before they could be killed ({typical:?} each)"
    );
    build(&root, &out);
    assert_eq!(common::snapshot(&out), after);
    assert_eq!(leftovers(dir.path(), "public"), Vec::<String>::new());
}

/// Writes a snapshot back as files.
fn copy(files: &BTreeMap<PathBuf, Vec<u8>>, to: &Path) {
    for (path, bytes) in files {
        let path = to.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Runs a command for its side effect, saying whether it worked.
fn run_quietly<A: AsRef<OsStr>>(program: &str, args: impl IntoIterator<Item = A>) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Undoes a mount or an immutable flag when the test ends, however it ends.
struct Undo(&'static str, Vec<OsString>);

impl Drop for Undo {
    fn drop(&mut self) {
        run_quietly(self.0, &self.1);
    }
}

/// A copy of the basic fixture.
fn basic_site(into: &Path) -> PathBuf {
    let root = into.join("site");
    common::copy_tree(&common::fixture("basic"), &root);
    root
}

/// Runs a build that must fail with exit code 2, naming `names` in its
/// message, and leave `out` as `before` with no staging folder behind.
fn assert_environment_failure(
    root: &Path,
    out: &Path,
    names: &str,
    before: &BTreeMap<PathBuf, Vec<u8>>,
) {
    let output = dossier(root, out).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(names),
        "the message names the path: {stderr}"
    );
    assert_eq!(
        &common::snapshot(out),
        before,
        "the old output is kept, byte for byte"
    );
    let parent = out.parent().unwrap();
    let name = out.file_name().unwrap().to_string_lossy();
    let staging: Vec<String> = leftovers(parent, &name)
        .into_iter()
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(staging.is_empty(), "the failed build left {staging:?}");
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let args = ["-t", "tmpfs", "-o", "size=1m", "tmpfs"].map(OsStr::new);
    let mounted = run_quietly("mount", args.into_iter().chain([disk.as_os_str()]));
    if !mounted {
        eprintln!(
            "skipped: cannot mount a 1 MB tmpfs here (needs root); the full-disk case is untested"
        );
        return;
    }
    let _unmount = Undo("umount", vec![disk.clone().into_os_string()]);
    let root = basic_site(dir.path());
    let out = disk.join("public");
    build(&root, &out);
    let before = common::snapshot(&out);
    // A page far bigger than the disk.
    let big = "Words that fill the disk. ".repeat(80_000);
    std::fs::write(
        root.join("content/pages/big.md"),
        format!("---\ntitle: Big\n---\n{big}\n"),
    )
    .unwrap();
    assert_environment_failure(&root, &out, "No space left on device", &before);
}

#[test]
fn an_output_folder_that_cannot_be_written_fails_clearly_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = basic_site(dir.path());

    // Through a regular file: fails for every user, root included.
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let output = dossier(&root, &file.join("public")).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("notes.txt: it is a file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");

    // An output folder and its parent nobody may change, root included
    // (`chattr +i`): the new site is staged, then can neither be moved in
    // nor swapped in.
    let parent = dir.path().join("www");
    let out = parent.join("public");
    build(&root, &out);
    let before = common::snapshot(&out);
    std::fs::write(
        root.join("content/pages/new.md"),
        "---\ntitle: New\n---\nNew.\n",
    )
    .unwrap();
    if !run_quietly("chattr", [OsStr::new("+i"), parent.as_os_str()]) {
        eprintln!("skipped: `chattr +i` is not available here; the read-only case is untested");
        return;
    }
    let _mutable = Undo("chattr", vec!["-i".into(), parent.clone().into_os_string()]);
    assert!(run_quietly("chattr", [OsStr::new("+i"), out.as_os_str()]));
    let _output_mutable = Undo("chattr", vec!["-i".into(), out.clone().into_os_string()]);
    assert_environment_failure(&root, &out, &out.display().to_string(), &before);
}
