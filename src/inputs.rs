//! The fingerprint of everything a build reads, so that a build whose
//! inputs have not changed since the last one can skip all its work.
//!
//! A build reads `site.yaml`, the `content/`, `templates/` and `static/`
//! folders, the base URL given on the command line, and the program itself
//! (its built-in theme). Each file counts by its path, length and
//! modification time, as `make` and `cargo` count them: saving a file
//! changes its time, and so does putting an old copy back.
//!
//! The fingerprint is kept in the staging folder beside the output
//! (`.dossier/inputs-<name>`), with what the build reported and a stamp of
//! the output's manifest. It is written after a build that succeeded
//! without warnings (a build with warnings runs again, to show them again)
//! and no file changed in the last two seconds (a second save within the
//! same tick of the clock would keep the time), and it is trusted only
//! while the output's manifest is the one that build left and every file
//! it lists is there with its length, unmodified since
//! ([`output::intact`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::output::{self, Written};

/// The fingerprint of a build's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    key: u64,
    /// Whether a file changed so recently that another change in the same
    /// tick of the clock could go unseen (then nothing is recorded).
    racy: bool,
}

/// How recent a change makes the fingerprint [`Inputs::racy`]: more than
/// the file system's clock tick, with room to spare.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// What the last build from the same inputs reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// Pages rendered.
    pub pages: usize,
    /// The path links start with.
    pub base_path: String,
    /// What the output holds.
    pub written: Written,
}

impl Inputs {
    /// Fingerprints the inputs of a build of `root` with `base_url`.
    pub fn of(root: &Path, base_url: Option<&str>) -> Inputs {
        let mut text = format!("dossier {}\n", env!("CARGO_PKG_VERSION"));
        let program = std::env::current_exe().ok();
        let _ = write!(text, "program");
        // The program counts, but is not a file the analyst saves.
        stamp(&mut text, program.and_then(|p| std::fs::metadata(p).ok()));
        let _ = writeln!(text, "base_url {base_url:?}");
        let site = std::fs::metadata(root.join("site.yaml")).ok();
        let mut newest = modified(site.as_ref()).unwrap_or(UNIX_EPOCH);
        let _ = write!(text, "site.yaml");
        stamp(&mut text, site);
        for folder in ["content", "templates", "static"] {
            // Sorted, so that the same files give the same fingerprint.
            let (entries, errors) = crate::load::walk::sorted(&root.join(folder));
            // Looked at in parallel, a slice at a time: a large site has
            // tens of thousands of files, and this is the whole of a build
            // that finds nothing to do.
            let slices: Vec<(String, SystemTime)> = entries
                .par_chunks(1024)
                .map(|slice| stamped(root, slice))
                .collect();
            for (lines, slice_newest) in slices {
                text.push_str(&lines);
                newest = newest.max(slice_newest);
            }
            for error in errors {
                let _ = writeln!(text, "unreadable {error}");
            }
        }
        let racy = newest.elapsed().map_or(true, |age| age < RACY);
        Inputs {
            key: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            racy,
        }
    }

    /// What the last build into `out` reported, if it was built from these
    /// same inputs and its output has not been replaced since.
    pub fn done(self, out: &Path) -> Option<Done> {
        let text = std::fs::read_to_string(record_path(out)?).ok()?;
        let (numbers, base_path) = text.split_once('\n')?;
        let mut fields = numbers.split_whitespace();
        let mut next = || fields.next().and_then(|f| u64::from_str_radix(f, 16).ok());
        let (inputs, manifest) = (next()?, next()?);
        let (pages, files, bytes) = (next()?, next()?, next()?);
        if inputs != self.key || manifest != manifest_stamp(out)? || !output::intact(out) {
            return None;
        }
        Some(Done {
            pages: usize::try_from(pages).ok()?,
            base_path: base_path.strip_suffix('\n')?.to_string(),
            written: Written {
                files: usize::try_from(files).ok()?,
                bytes,
                changed: 0,
            },
        })
    }

    /// Records that `out` now holds the build of these inputs. A failure
    /// to record only costs the next build its shortcut.
    pub fn record(self, out: &Path, done: &Done) {
        let (Some(path), Some(manifest)) = (record_path(out), manifest_stamp(out)) else {
            return;
        };
        if self.racy {
            return Inputs::forget(out);
        }
        let text = format!(
            "{:x} {manifest:x} {:x} {:x} {:x}\n{}\n",
            self.key, done.pages, done.written.files, done.written.bytes, done.base_path
        );
        let temp = path.with_extension("tmp");
        if std::fs::write(&temp, text).is_ok() && std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }

    /// Forgets the record for `out` (the last build had warnings to show).
    pub fn forget(out: &Path) {
        if let Some(path) = record_path(out) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Where the record of the last build into `out` is kept.
fn record_path(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy();
    Some(output::staging_folder(out).join(format!("inputs-{name}")))
}

/// A stamp of the output's manifest: it changes whenever a build swaps in
/// a new output or someone replaces the folder.
fn manifest_stamp(out: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(out.join(output::MARKER)).ok()?;
    let mut text = format!("inode {}", metadata.ino());
    stamp(&mut text, Some(metadata));
    Some(xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// The fingerprint's lines for `entries` (a folder by its name, a file by
/// its path, length and time), and the newest time among them.
fn stamped(root: &Path, entries: &[walkdir::DirEntry]) -> (String, SystemTime) {
    let mut text = String::new();
    let mut newest = UNIX_EPOCH;
    for entry in entries {
        let name = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let _ = write!(text, "{}", name.display());
        // A folder counts by its name: what it holds counts file by file.
        if entry.file_type().is_dir() {
            text.push_str(" folder\n");
            continue;
        }
        let metadata = entry.metadata().ok();
        if let Some(time) = modified(metadata.as_ref()) {
            newest = newest.max(time);
        }
        stamp(&mut text, metadata);
    }
    (text, newest)
}

/// When a file was last modified, if known.
fn modified(metadata: Option<&std::fs::Metadata>) -> Option<SystemTime> {
    metadata.and_then(|m| m.modified().ok())
}

/// Appends the length and modification time of a file (or `missing`) and
/// ends the line.
fn stamp(text: &mut String, metadata: Option<std::fs::Metadata>) {
    let since = modified(metadata.as_ref()).and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    match (metadata, since) {
        (Some(m), Some(t)) => {
            let _ = writeln!(text, " {} {}.{}", m.len(), t.as_secs(), t.subsec_nanos());
        }
        _ => text.push_str(" missing\n"),
    }
}
