//! Output: rendered files -> a staging folder -> swapped in place of the
//! old output.
//!
//! The new site is assembled in a staging folder beside the target and only
//! renamed into place once complete, so a failed or interrupted build leaves
//! the previous output exactly as it was. A manifest of content hashes kept
//! in the output makes rebuilds cheap: when nothing changed nothing is
//! written at all, and when some pages changed the unchanged files are hard
//! links to the old ones. The previous output is removed off the critical
//! path (in the background, and finished by the next build if the process
//! exits first). An existing folder that dossier did not write is never
//! replaced.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::render::{File, Sink};

/// The manifest file that marks a folder as dossier's output and records
/// each file's length and content hash.
pub const MARKER: &str = ".dossier-output";

/// The hidden folder, beside the output, where builds are staged.
pub const STAGING: &str = ".dossier";

/// What went wrong while writing, with the path concerned.
#[derive(Debug)]
pub struct OutputError {
    /// The path that could not be written, read or moved.
    pub path: PathBuf,
    /// What the system said.
    pub error: io::Error,
    /// What to do about it.
    pub hint: &'static str,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.path.display(), self.error, self.hint)
    }
}

fn fail(path: &Path, hint: &'static str) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |error| OutputError { path, error, hint }
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    /// Files in the output.
    pub files: usize,
    /// Bytes in the output.
    pub bytes: u64,
    /// Files whose content changed (written anew).
    pub changed: usize,
}

/// A file's length and xxh3 hash, as recorded in the manifest.
type Fingerprint = (u64, u64);

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    (bytes.len() as u64, xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The staging folder of output `out`: `.dossier` beside it.
pub fn staging_folder(out: &Path) -> PathBuf {
    match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(STAGING),
        _ => PathBuf::from(STAGING),
    }
}

/// A build's output in the making.
///
/// [`Staging::begin`] prepares a staging folder beside the output; files
/// are then put in as they are rendered, from any thread: a file whose
/// content changed is written at once (so the whole site is never held in
/// memory), an unchanged one only noted. [`Staging::finish`] hard-links the
/// unchanged files in and swaps the folder into place, or, when nothing
/// changed, leaves the output untouched. Dropped unfinished (the build
/// failed), it removes its staging folder and the output stays as it was.
pub struct Staging {
    out: PathBuf,
    /// Whether changed files replace the old ones one by one ([`Mode::InPlace`]).
    in_place: bool,
    /// The folder being filled, inside `staging` (unused in place).
    temp: PathBuf,
    /// The old output's name in the staging folder once swapped out.
    aside: PathBuf,
    old: Option<OldManifest>,
    progress: Mutex<Progress>,
    finished: bool,
}

/// What has been put into a [`Staging`] so far.
#[derive(Default)]
struct Progress {
    /// Every file's path and fingerprint, and whether it was written anew.
    entries: Vec<(PathBuf, Fingerprint, bool)>,
    /// Folders already made inside the staging folder.
    folders: HashSet<PathBuf>,
    /// The first write that failed; the build fails with it at the end.
    error: Option<OutputError>,
}

/// How a build's files reach the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new folder, swapped in whole: a reader sees the old site or the
    /// new one, and a killed build leaves the old one (`build`).
    Swap,
    /// The changed files replace the old ones one by one, each in one
    /// rename, once every page has rendered; nothing else is touched
    /// (`serve`, which rebuilds on every save and reloads the open pages
    /// when all are in place). A new or foreign output is swapped.
    InPlace,
}

impl Staging {
    /// Prepares to replace the content of `out`: checks that `out` is
    /// dossier's (or new), reads its manifest, and makes an empty staging
    /// folder. Leftovers of interrupted builds are removed in the background.
    pub fn begin(out: &Path, mode: Mode) -> Result<Staging, OutputError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError {
                path: out.to_path_buf(),
                error: io::Error::other("the output path has no folder name"),
                hint: "give --out a folder such as `public`",
            })?;
        let staging = staging_folder(out);
        let parent = staging.parent().unwrap_or(Path::new("."));
        if let Some(file) = parent.ancestors().find(|p| p.is_file()) {
            return Err(OutputError {
                path: file.to_path_buf(),
                error: io::Error::other("it is a file, so the output cannot go inside it"),
                hint: "give --out a folder path that does not pass through a file",
            });
        }
        std::fs::create_dir_all(parent).map_err(fail(
            parent,
            "check that the output's parent folder can be created",
        ))?;
        std::fs::create_dir_all(&staging).map_err(fail(
            &staging,
            "check that the output's parent folder is writable",
        ))?;
        // Git and other tools should never see the staging folder.
        let _ = std::fs::write(staging.join(".gitignore"), "*\n");
        remove_leftovers_in_background(&staging, &name);
        let old = if out.exists() {
            Some(read_manifest(out)?)
        } else {
            None
        };
        let id = format!("{}-{}", std::process::id(), unique());
        let temp = staging.join(format!("{name}.tmp-{id}"));
        let aside = staging.join(format!("{name}.old-{id}"));
        let in_place = mode == Mode::InPlace && old.as_ref().is_some_and(|o| !o.entries.is_empty());
        if !in_place {
            std::fs::create_dir(&temp).map_err(fail(
                &temp,
                "check that the output's parent folder is writable",
            ))?;
        }
        Ok(Staging {
            out: out.to_path_buf(),
            in_place,
            temp,
            aside,
            old,
            progress: Mutex::new(Progress::default()),
            finished: false,
        })
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where a changed file is written until the build completes: its
    /// place in the staging folder, or, in place, a hidden file beside the
    /// one it replaces (which `serve` never serves).
    fn staged(&self, path: &Path) -> PathBuf {
        if !self.in_place {
            return self.temp.join(path);
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        self.out
            .join(path)
            .with_file_name(format!(".{name}.dossier-new"))
    }

    /// Writes a changed file where it waits for the build to complete.
    fn write(&self, file: &File) -> Result<(), OutputError> {
        let base = if self.in_place { &self.out } else { &self.temp };
        if let Some(folder) = file.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !self.progress().folders.contains(folder) {
                let made = base.join(folder);
                std::fs::create_dir_all(&made).map_err(fail(
                    &made,
                    "check the disk has space and the folder is writable",
                ))?;
                self.progress().folders.insert(folder.to_path_buf());
            }
        }
        let path = self.staged(&file.path);
        std::fs::write(&path, &file.bytes).map_err(fail(
            &path,
            "check the disk has space and the folder is writable",
        ))
    }

    /// Keeps the files of the old output that were not put and that `keep`
    /// accepts, as they are (the others are removed at the end): for a
    /// build that renders only some files. Called once every file is put.
    pub fn keep(&self, keep: impl Fn(&Path) -> bool) {
        let Some(old) = &self.old else { return };
        let mut progress = self.progress();
        let put: HashSet<&Path> = progress.entries.iter().map(|e| e.0.as_path()).collect();
        let kept: Vec<(PathBuf, Fingerprint, bool)> = old
            .entries
            .iter()
            .filter(|(path, _)| !put.contains(path.as_path()) && keep(path))
            .map(|(path, &fingerprint)| (path.clone(), fingerprint, false))
            .collect();
        progress.entries.extend(kept);
    }

    /// Completes the output: links the unchanged files in, writes the
    /// manifest and swaps the staging folder into place (unless nothing
    /// changed at all, when the output is left untouched).
    pub fn finish(mut self) -> Result<Written, OutputError> {
        let failed = self.progress().error.take();
        if let Some(error) = failed {
            return Err(error);
        }
        let mut entries = std::mem::take(&mut self.progress().entries);
        // By the paths' bytes: several times faster than comparing them
        // component by component, which matters at 100,000 files.
        entries.sort_unstable_by(|a, b| path_bytes(&a.0).cmp(path_bytes(&b.0)));
        let manifest = manifest_text(&entries);
        let written = Written {
            files: entries.len(),
            bytes: entries.iter().map(|(_, (len, _), _)| len).sum(),
            changed: entries.iter().filter(|(_, _, new)| *new).count(),
        };
        if self.old.as_ref().is_some_and(|old| old.text == manifest) {
            // Nothing changed: the output is left untouched (and the empty
            // staging folder is removed on drop).
            return Ok(written);
        }
        if self.in_place {
            let result = self.replace(&entries, &manifest);
            // Whatever happened, the staged files are moved or to be removed.
            self.progress().entries = entries;
            result?;
            self.finished = true;
        } else {
            let unchanged: Vec<&PathBuf> = entries
                .iter()
                .filter(|(_, _, new)| !new)
                .map(|(path, _, _)| path)
                .collect();
            let folders = std::mem::take(&mut self.progress().folders);
            self.link(&unchanged, &folders)?;
            let marker = self.temp.join(MARKER);
            std::fs::write(&marker, manifest).map_err(fail(
                &marker,
                "check the disk has space and the folder is writable",
            ))?;
            swap(&self.out, &self.temp, &self.aside)?;
            self.finished = true;
        }
        Ok(written)
    }

    /// Completes an output in place: each changed file replaces the old one
    /// in one rename, files of the old output the build no longer makes
    /// are removed (with folders left empty), and the manifest is replaced
    /// last.
    fn replace(
        &self,
        entries: &[(PathBuf, Fingerprint, bool)],
        manifest: &str,
    ) -> Result<(), OutputError> {
        entries
            .par_iter()
            .filter(|(_, _, new)| *new)
            .try_for_each(|(path, _, _)| {
                let target = self.out.join(path);
                std::fs::rename(self.staged(path), &target)
                    .map_err(fail(&target, "check the output folder is writable"))
            })?;
        if let Some(old) = &self.old {
            // By the paths' bytes, hashed fast: a path's own hash goes
            // component by component, slow over 100,000 files.
            let kept: FxHashSet<&[u8]> = entries
                .iter()
                .map(|(path, _, _)| path_bytes(path))
                .collect();
            for path in old.entries.keys().filter(|p| !kept.contains(path_bytes(p))) {
                let gone = self.out.join(path);
                if std::fs::remove_file(&gone).is_ok() {
                    // Folders the removed file leaves empty go too.
                    for folder in gone.ancestors().skip(1) {
                        if folder == self.out || std::fs::remove_dir(folder).is_err() {
                            break;
                        }
                    }
                }
            }
        }
        let marker = self.out.join(MARKER);
        let temp = self.out.join(format!("{MARKER}.new"));
        std::fs::write(&temp, manifest)
            .and_then(|()| std::fs::rename(&temp, &marker))
            .map_err(fail(&marker, "check the output folder is writable"))
    }

    /// Puts hard links to the old output's copies of `files` (unchanged)
    /// into the staging folder, copying where a link cannot be made.
    fn link(&self, files: &[&PathBuf], made: &HashSet<PathBuf>) -> Result<(), OutputError> {
        let mut folders: Vec<&Path> = files
            .iter()
            .filter_map(|f| f.parent())
            .filter(|p| !p.as_os_str().is_empty() && !made.contains(*p))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            let path = self.temp.join(folder);
            std::fs::create_dir_all(&path).map_err(fail(
                &path,
                "check the disk has space and the folder is writable",
            ))?;
        }
        files.par_iter().try_for_each(|file| {
            let (from, to) = (self.out.join(file), self.temp.join(file));
            if std::fs::hard_link(&from, &to).is_ok() {
                return Ok(());
            }
            std::fs::copy(&from, &to).map(|_| ()).map_err(fail(
                &to,
                "check the disk has space and the folder is writable",
            ))
        })
    }
}

impl Sink for Staging {
    fn put(&self, file: File) {
        let fingerprint = fingerprint(&file.bytes);
        let unchanged = self
            .old
            .as_ref()
            .and_then(|old| old.entries.get(&file.path))
            == Some(&fingerprint);
        let failed = self.progress().error.is_some();
        let result = if unchanged || failed {
            Ok(())
        } else {
            self.write(&file)
        };
        let mut progress = self.progress();
        progress.entries.push((file.path, fingerprint, !unchanged));
        if let Err(error) = result {
            progress.error.get_or_insert(error);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if self.in_place {
            // The build failed: its staged files go, the old ones stay, and
            // so do the folders it made for new pages.
            let progress = self.progress();
            for (path, _, new) in &progress.entries {
                if *new {
                    let _ = std::fs::remove_file(self.staged(path));
                }
            }
            let mut folders: Vec<&PathBuf> = progress.folders.iter().collect();
            folders.sort_unstable_by(|a, b| b.cmp(a));
            for folder in folders {
                // Only an empty folder can be removed: one of the old
                // output's holds its files still.
                let _ = std::fs::remove_dir(self.out.join(folder));
            }
        } else {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// Moves `temp` into `out`'s place; the old output is removed in the
/// background. Where the system can (Linux), the two folders trade places
/// in one step, so that `out` never goes missing, even for a moment, to a
/// reader such as `serve`; elsewhere the old output is first moved to `old`.
fn swap(out: &Path, temp: &Path, old: &Path) -> Result<(), OutputError> {
    if !out.exists() {
        return std::fs::rename(temp, out).map_err(|error| OutputError {
            path: out.to_path_buf(),
            error,
            hint: "the new output could not be moved into place",
        });
    }
    let cwd = rustix::fs::CWD;
    let aside = if rustix::fs::renameat_with(cwd, temp, cwd, out, rustix::fs::RenameFlags::EXCHANGE)
        .is_ok()
    {
        temp.to_path_buf()
    } else {
        std::fs::rename(out, old).map_err(|error| OutputError {
            path: out.to_path_buf(),
            error,
            hint: "the old output could not be moved aside; it is unchanged",
        })?;
        if let Err(error) = std::fs::rename(temp, out) {
            let _ = std::fs::rename(old, out);
            return Err(OutputError {
                path: out.to_path_buf(),
                error,
                hint: "the new output could not be moved into place; the old one is restored",
            });
        }
        old.to_path_buf()
    };
    remove_in_background(move || {
        let _ = std::fs::remove_dir_all(aside);
    });
    Ok(())
}

/// Removals still running in the background (see [`wait_for_removals`]).
static REMOVALS: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Runs `removal` on its own thread, remembered so that a process about to
/// exit can wait for it.
fn remove_in_background(removal: impl FnOnce() + Send + 'static) {
    let handle = std::thread::spawn(removal);
    if let Ok(mut handles) = REMOVALS.lock() {
        handles.retain(|h| !h.is_finished());
        handles.push(handle);
    }
}

/// Waits for the background removals (the previous output, leftovers of
/// interrupted builds) to finish. A short-lived process calls it before
/// exiting, after reporting its result: otherwise the exit cuts them short
/// and every build leaves its old output behind in the staging folder.
pub fn wait_for_removals() {
    let handles = match REMOVALS.lock() {
        Ok(mut handles) => std::mem::take(&mut *handles),
        Err(_) => return,
    };
    for handle in handles {
        let _ = handle.join();
    }
}

/// A number that differs between calls in one process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The old output's manifest, parsed.
struct OldManifest {
    text: String,
    entries: FxHashMap<PathBuf, Fingerprint>,
}

/// Reads the manifest of an existing output, refusing a folder dossier did
/// not write.
fn read_manifest(out: &Path) -> Result<OldManifest, OutputError> {
    if !out.is_dir() {
        return Err(OutputError {
            path: out.to_path_buf(),
            error: io::Error::other("it exists and is not a folder"),
            hint: "choose another --out",
        });
    }
    match std::fs::read_to_string(out.join(MARKER)) {
        Ok(text) => {
            let entries = parse_manifest(&text);
            Ok(OldManifest { text, entries })
        }
        Err(_) => {
            let empty = std::fs::read_dir(out)
                .map_err(fail(out, "check the output folder's permissions"))?
                .next()
                .is_none();
            if empty {
                Ok(OldManifest {
                    text: String::new(),
                    entries: FxHashMap::default(),
                })
            } else {
                Err(OutputError {
                    path: out.to_path_buf(),
                    error: io::Error::other("the folder exists and was not written by dossier"),
                    hint: "dossier replaces its output folder on every build; choose an empty or new --out, or remove the folder",
                })
            }
        }
    }
}

fn manifest_text(entries: &[(PathBuf, Fingerprint, bool)]) -> String {
    use std::fmt::Write as _;
    let mut text =
        String::from("# Written by dossier and replaced on every build: path, length, xxh3.\n");
    for (path, (len, hash), _) in entries {
        let _ = writeln!(text, "{}\t{len}\t{hash:016x}", path.display());
    }
    text
}

/// A path as bytes, to compare and hash fast.
fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

fn parse_manifest(text: &str) -> FxHashMap<PathBuf, Fingerprint> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let path = PathBuf::from(parts.next()?);
            let len = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            Some((path, (len, hash)))
        })
        .collect()
}

/// Removes staging folders left by earlier builds (interrupted, or whose
/// old output was still being removed when the process exited), without
/// waiting for it.
fn remove_leftovers_in_background(staging: &Path, name: &str) {
    let prefixes = [format!("{name}.tmp-"), format!("{name}.old-")];
    let Ok(entries) = std::fs::read_dir(staging) else {
        return;
    };
    let leftovers: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
        })
        .map(|e| e.path())
        .collect();
    if !leftovers.is_empty() {
        remove_in_background(move || {
            for path in leftovers {
                let _ = std::fs::remove_dir_all(path);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the new content of `out`, as a build would.
    fn write_site(out: &Path, files: &[File]) -> Result<Written, OutputError> {
        let staging = Staging::begin(out, Mode::Swap)?;
        for file in files {
            staging.put(file.clone());
        }
        staging.finish()
    }

    fn file(path: &str, text: &str) -> File {
        File {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_old_output_and_keeps_the_staging_folder_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists());
        assert_eq!(
            names(dir.path()),
            vec![".dossier".to_string(), "public".to_string()]
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".dossier/.gitignore")).unwrap(),
            "*\n"
        );
    }

    #[test]
    fn an_unchanged_site_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [file("index.html", "one"), file("a/index.html", "a")];
        let first = write_site(&out, &files).unwrap();
        assert_eq!(first.changed, 2);
        let inode = std::fs::metadata(out.join("index.html")).unwrap();
        let second = write_site(&out, &files).unwrap();
        assert_eq!(second.changed, 0);
        let after = std::fs::metadata(out.join("index.html")).unwrap();
        assert_eq!(
            inode.modified().unwrap(),
            after.modified().unwrap(),
            "the file was not touched"
        );
    }

    #[test]
    fn only_changed_files_are_written_and_the_rest_are_linked() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        let before = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let written = write_site(
            &out,
            &[file("index.html", "two"), file("a/index.html", "a")],
        )
        .unwrap();
        assert_eq!(written.changed, 1);
        assert_eq!(
            std::fs::metadata(out.join("a/index.html")).unwrap().ino(),
            before,
            "hard-linked"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
    }

    /// Every file under `dir`, relative, with its text.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let name = e.path().strip_prefix(dir).unwrap().display().to_string();
                (name, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn in_place_only_the_changed_files_are_replaced_and_gone_ones_removed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file("index.html", "one"),
                file("a/index.html", "a"),
                file("b/c/index.html", "c"),
            ],
        )
        .unwrap();
        let folder = std::fs::metadata(&out).unwrap().ino();
        let kept = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let staging = Staging::begin(&out, Mode::InPlace).unwrap();
        staging.put(file("index.html", "two"));
        staging.put(file("a/index.html", "a"));
        staging.put(file("d/index.html", "new"));
        let written = staging.finish().unwrap();
        assert_eq!((written.files, written.changed), (3, 2));
        assert_eq!(
            std::fs::metadata(&out).unwrap().ino(),
            folder,
            "not swapped"
        );
        assert_eq!(
            std::fs::metadata(out.join("a/index.html")).unwrap().ino(),
            kept,
            "the unchanged file was left alone"
        );
        let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                ".dossier-output",
                "a/index.html",
                "d/index.html",
                "index.html"
            ],
            "b/c/ went with its only file, and no staged file is left"
        );
        assert!(!out.join("b").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        // The manifest describes the new content: a swap build next time
        // finds nothing changed.
        let again = write_site(
            &out,
            &[
                file("index.html", "two"),
                file("a/index.html", "a"),
                file("d/index.html", "new"),
            ],
        )
        .unwrap();
        assert_eq!(again.changed, 0);
    }

    #[test]
    fn in_place_a_failed_build_leaves_the_old_files_and_no_staged_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        let before = tree(&out);
        let staging = Staging::begin(&out, Mode::InPlace).unwrap();
        staging.put(file("index.html", "two"));
        staging.put(file("e/index.html", "new"));
        drop(staging); // the build failed before finishing
        assert_eq!(tree(&out), before);
        assert!(
            !out.join("e").exists(),
            "the folder made for a new page went"
        );
    }

    #[test]
    fn in_place_a_new_output_is_made_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::begin(&out, Mode::InPlace).unwrap();
        staging.put(file("index.html", "one"));
        staging.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.tex"), "precious").unwrap();
        let error = write_site(&out, &[file("index.html", "x")]).unwrap_err();
        assert!(
            error.to_string().contains("not written by dossier"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.tex")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn waiting_for_removals_leaves_nothing_in_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let leftover = dir.path().join(".dossier/public.old-99999-3/a");
        std::fs::create_dir_all(&leftover).unwrap();
        std::fs::write(leftover.join("index.html"), "old").unwrap();
        write_site(&out, &[file("index.html", "one")]).unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        wait_for_removals();
        assert_eq!(
            names(&dir.path().join(".dossier")),
            vec![".gitignore".to_string()]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
    }

    #[test]
    fn leftovers_of_an_interrupted_build_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let leftover = dir.path().join(".dossier/public.tmp-99999-0/x");
        std::fs::create_dir_all(&leftover).unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while dir.path().join(".dossier/public.tmp-99999-0").exists()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!dir.path().join(".dossier/public.tmp-99999-0").exists());
    }
}
