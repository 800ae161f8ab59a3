//! Output: rendered files -> a staging folder -> moved into the output.
//!
//! A build's changed files are written into a staging folder beside the
//! target and reach the output only once every page has rendered, so a
//! failed build leaves the previous output exactly as it was. A manifest
//! of content hashes kept in the output makes rebuilds cheap: when nothing
//! changed nothing is written at all, and a file removed or edited by
//! hand since (its length changed) is written again. When at most half
//! the files changed (an edit), each is renamed over its old copy, after a
//! journal of the moves is written: a build killed during those moves is
//! completed by the next one. When more changed (a template edit, a new
//! output), the unchanged files are hard-linked into the staging folder,
//! which is swapped in whole, and the previous output is removed off the
//! critical path (in the background, and finished by the next build if the
//! process exits first). An existing folder that dossier did not write is
//! never replaced. `serve`'s rebuild of the pages an edit touches writes
//! them over their old copies instead ([`InPlace`]).

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::render::{File, Sink};

mod in_place;

pub use in_place::InPlace;

/// The manifest file that marks a folder as dossier's output and records
/// each file's length and content hash.
pub const MARKER: &str = ".dossier-output";

/// The hidden folder, beside the output, where builds are staged.
pub const STAGING: &str = ".dossier";

/// What follows the output's name in the name of a journal of moves, in
/// the staging folder (`public.moves-<id>`).
const JOURNAL: &str = "moves-";

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

/// How far [`Staging::begin`] trusts the old output to be what its
/// manifest says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Each file the manifest lists is looked at: one that is missing,
    /// whose length changed or that was modified after the manifest was
    /// written (someone removed or edited it by hand) is written again
    /// even if the build makes the same bytes.
    Files,
    /// The manifest is taken at its word: for what `serve` writes after its
    /// own build of the whole site (the pages an edit touches, then the
    /// files made from the whole site), where looking at every file would
    /// add to each save's wait.
    Manifest,
}

/// A build's output in the making.
///
/// [`Staging::begin`] prepares a staging folder beside the output; files
/// are then put in as they are rendered, from any thread: a file whose
/// content changed is written at once (so the whole site is never held in
/// memory), an unchanged one only noted. [`Staging::finish`] moves the
/// changed files into the output or swaps the staging folder in whole, or,
/// when nothing changed, leaves the output untouched. Dropped unfinished
/// (the build failed), it removes its staging folder and the output stays
/// as it was.
pub struct Staging {
    out: PathBuf,
    /// The folder being filled, inside the staging folder.
    temp: PathBuf,
    /// The old output's name in the staging folder once swapped out.
    aside: PathBuf,
    /// Where the journal of an in-place completion is written, and the
    /// name it is renamed to once complete.
    journal: (PathBuf, PathBuf),
    old: Option<OldManifest>,
    progress: Mutex<Progress>,
    /// Whether the changed files have begun to move into the output: from
    /// then on the journal and the staged files stay until all are moved.
    committing: bool,
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

impl Staging {
    /// Prepares to replace the content of `out`: completes the moves of a
    /// build killed while making them, checks that `out` is dossier's (or
    /// new), reads its manifest (and with [`Trust::Files`] checks the
    /// files against it), and makes an empty staging folder. Leftovers of
    /// interrupted builds are removed in the background.
    pub fn begin(out: &Path, trust: Trust) -> Result<Staging, OutputError> {
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
        complete_interrupted_moves(&staging, &name, out)?;
        remove_leftovers_in_background(&staging, &name);
        let old = if out.exists() {
            let mut old = read_manifest(out)?;
            if trust == Trust::Files {
                old.forget_damaged(out);
            }
            Some(old)
        } else {
            None
        };
        let id = format!("{}-{}", std::process::id(), unique());
        let temp = staging.join(format!("{name}.tmp-{id}"));
        std::fs::create_dir(&temp).map_err(fail(
            &temp,
            "check that the output's parent folder is writable",
        ))?;
        Ok(Staging {
            out: out.to_path_buf(),
            aside: staging.join(format!("{name}.old-{id}")),
            journal: (
                staging.join(format!("{name}.tmp-{id}.journal")),
                staging.join(format!("{name}.{JOURNAL}{id}")),
            ),
            temp,
            old,
            progress: Mutex::new(Progress::default()),
            committing: false,
            finished: false,
        })
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes a changed file where it waits for the build to complete.
    fn write(&self, file: &File) -> Result<(), OutputError> {
        let path = self.staged(&file.path)?;
        std::fs::write(&path, &file.bytes).map_err(fail(&path, WRITE_HINT))
    }

    /// Where the file at `path` of the output is staged, its folder made.
    fn staged(&self, path: &Path) -> Result<PathBuf, OutputError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !self.progress().folders.contains(folder) {
                let made = self.temp.join(folder);
                std::fs::create_dir_all(&made).map_err(fail(&made, WRITE_HINT))?;
                self.progress().folders.insert(folder.to_path_buf());
            }
        }
        Ok(self.temp.join(path))
    }

    /// Streams the file `write` makes into the staging folder, returning
    /// its fingerprint; when that is the old output's, the staged copy is
    /// removed again (the old one is kept, as [`Sink::put`] keeps it).
    fn write_streamed(
        &self,
        path: &Path,
        write: &mut crate::render::WriteBytes,
    ) -> Result<(Fingerprint, bool), OutputError> {
        let staged = self.staged(path)?;
        let file = std::fs::File::create(&staged).map_err(fail(&staged, WRITE_HINT))?;
        // Hashed below the buffer, in large pieces, not in the many small
        // ones a serialiser writes.
        let mut out = io::BufWriter::with_capacity(1 << 20, Hashing::new(file));
        write(&mut out).map_err(fail(&staged, WRITE_HINT))?;
        let fingerprint = out
            .into_inner()
            .map_err(|e| fail(&staged, WRITE_HINT)(e.into_error()))?
            .fingerprint();
        let unchanged = self.is_unchanged(path, &fingerprint);
        if unchanged {
            let _ = std::fs::remove_file(&staged);
        }
        Ok((fingerprint, unchanged))
    }

    /// Whether the old output has this very file at `path`.
    fn is_unchanged(&self, path: &Path, fingerprint: &Fingerprint) -> bool {
        self.old.as_ref().and_then(|old| old.entries.get(path)) == Some(fingerprint)
    }

    /// Keeps the files of the old output that were not put and that `keep`
    /// accepts, as they are (the others are removed at the end): for a
    /// build that renders only some files. Called once every file is put.
    pub fn keep(&self, keep: impl Fn(&Path) -> bool) {
        let Some(old) = &self.old else { return };
        let mut progress = self.progress();
        let kept = kept_entries(old, &progress.entries, keep);
        progress.entries.extend(kept);
    }

    /// Completes the output: moves the changed files in, or links the
    /// unchanged ones into the staging folder and swaps it into place
    /// (unless nothing changed at all, when the output is left untouched).
    pub fn finish(mut self) -> Result<Written, OutputError> {
        let failed = self.progress().error.take();
        if let Some(error) = failed {
            return Err(error);
        }
        let mut entries = std::mem::take(&mut self.progress().entries);
        // By the paths' bytes: several times faster than comparing them
        // component by component, which matters at 100,000 files.
        entries.par_sort_unstable_by(|a, b| path_bytes(&a.0).cmp(path_bytes(&b.0)));
        let manifest = manifest_text(&entries);
        let written = Written {
            files: entries.len(),
            bytes: entries.iter().map(|(_, (len, _), _)| len).sum(),
            changed: entries.iter().filter(|(_, _, new)| *new).count(),
        };
        // A file written again to repair it leaves the manifest's text as
        // it was, so the count of changed files is asked too.
        if written.changed == 0 && self.old.as_ref().is_some_and(|old| old.text == manifest) {
            // Nothing changed: the output is left untouched (and the empty
            // staging folder is removed on drop).
            return Ok(written);
        }
        let marker = self.temp.join(MARKER);
        std::fs::write(&marker, manifest).map_err(fail(
            &marker,
            "check the disk has space and the folder is writable",
        ))?;
        match self.moves(&entries, written) {
            Some(moves) => {
                self.write_journal(&moves)?;
                self.committing = true;
                moves.make(&self.out, &self.temp)?;
                let _ = std::fs::remove_file(&self.journal.1);
                let _ = std::fs::remove_dir_all(&self.temp);
            }
            None => {
                let unchanged: Vec<&PathBuf> = entries
                    .iter()
                    .filter(|(_, _, new)| !new)
                    .map(|(path, _, _)| path)
                    .collect();
                let folders = std::mem::take(&mut self.progress().folders);
                self.link(&unchanged, &folders)?;
                swap(&self.out, &self.temp, &self.aside)?;
            }
        }
        self.finished = true;
        Ok(written)
    }

    /// The moves that put the build into the old output in place, when at
    /// most half its files changed (fewer to move than to link), none needs
    /// a folder where the old output has a file or the reverse, and every
    /// folder they change may be written (one that may not, by permissions
    /// or `chattr +i`, would stop them halfway); `None` when the new output
    /// is better swapped in whole.
    fn moves(&self, entries: &[(PathBuf, Fingerprint, bool)], written: Written) -> Option<Moves> {
        let old = self.old.as_ref().filter(|old| !old.entries.is_empty())?;
        if written.changed > written.files - written.changed {
            return None;
        }
        let changed: Vec<PathBuf> = entries
            .iter()
            .filter(|(_, _, new)| *new)
            .map(|(path, _, _)| path.clone())
            .collect();
        let writable =
            |folder: &Path| rustix::fs::access(folder, rustix::fs::Access::WRITE_OK).is_ok();
        let fits = |path: &PathBuf| {
            let target = self.out.join(path);
            // The folder it goes into, or the nearest one that exists.
            let folder = target.ancestors().skip(1).find(|folder| folder.exists());
            !target.is_dir() && folder.is_some_and(|f| f.is_dir() && writable(f))
        };
        if !changed.iter().all(fits) {
            return None;
        }
        // By the paths' bytes, hashed fast: a path's own hash goes
        // component by component, slow over 100,000 files.
        let kept: FxHashSet<&[u8]> = entries
            .iter()
            .map(|(path, _, _)| path_bytes(path))
            .collect();
        let gone: Vec<PathBuf> = old
            .entries
            .keys()
            .filter(|path| !kept.contains(path_bytes(path)))
            .cloned()
            .collect();
        let removable = |path: &PathBuf| self.out.join(path).parent().is_some_and(writable);
        gone.iter()
            .all(removable)
            .then_some(Moves { changed, gone })
    }

    /// Writes the journal of `moves` in one step (written under another
    /// name, then renamed), so that it is whole wherever it is found.
    fn write_journal(&self, moves: &Moves) -> Result<(), OutputError> {
        let (writing, written) = &self.journal;
        std::fs::write(writing, moves.text())
            .and_then(|()| std::fs::rename(writing, written))
            .map_err(fail(
                written,
                "check the disk has space and the folder is writable",
            ))
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
        let unchanged = self.is_unchanged(&file.path, &fingerprint);
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

    fn put_written(&self, path: PathBuf, _size_hint: usize, write: &mut crate::render::WriteBytes) {
        if self.progress().error.is_some() {
            // The build has failed already, and nothing of it is kept.
            return;
        }
        let result = self.write_streamed(&path, write);
        let mut progress = self.progress();
        match result {
            Ok((fingerprint, unchanged)) => progress.entries.push((path, fingerprint, !unchanged)),
            Err(error) => {
                progress.error.get_or_insert(error);
            }
        }
    }
}

/// What to do when the staging folder cannot be written.
const WRITE_HINT: &str = "check the disk has space and the folder is writable";

/// A writer that passes bytes on and keeps their [`Fingerprint`] (the
/// length and the xxh3 hash [`fingerprint`] gives the same bytes).
struct Hashing<W> {
    inner: W,
    len: u64,
    hash: xxhash_rust::xxh3::Xxh3Default,
}

impl<W: io::Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            len: 0,
            hash: xxhash_rust::xxh3::Xxh3Default::new(),
        }
    }

    fn fingerprint(&self) -> Fingerprint {
        (self.len, self.hash.digest())
    }
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.hash.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Once the moves have begun, what they need stays for the next
        // build to complete them.
        if !self.finished && !self.committing {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// The moves that complete a build in place, as its journal lists them.
#[derive(Debug, PartialEq)]
struct Moves {
    /// The changed files, staged in the build's staging folder.
    changed: Vec<PathBuf>,
    /// The old output's files the build no longer makes.
    gone: Vec<PathBuf>,
}

impl Moves {
    /// The journal's text: a line a path, after `+` for a changed file and
    /// `-` for a gone one (paths hold no line breaks, as in the manifest).
    fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut text = String::new();
        for (sign, paths) in [('+', &self.changed), ('-', &self.gone)] {
            for path in paths {
                let _ = writeln!(text, "{sign}\t{}", path.display());
            }
        }
        text
    }

    /// The moves a journal's text lists.
    fn parse(text: &str) -> Moves {
        let mut moves = Moves {
            changed: Vec::new(),
            gone: Vec::new(),
        };
        for line in text.lines() {
            match line.split_once('\t') {
                Some(("+", path)) => moves.changed.push(PathBuf::from(path)),
                Some(("-", path)) => moves.gone.push(PathBuf::from(path)),
                _ => {}
            }
        }
        moves
    }

    /// Makes the moves from `temp` into `out`: each changed file is renamed
    /// over its old copy (one an interrupted attempt moved already is
    /// passed over), gone files are removed with the folders they leave
    /// empty, and the manifest is moved in last.
    fn make(&self, out: &Path, temp: &Path) -> Result<(), OutputError> {
        let hint = "check the output folder is writable; the next build completes the move";
        let move_in = |path: &Path| -> Result<(), OutputError> {
            let (from, to) = (temp.join(path), out.join(path));
            if let Some(folder) = to.parent().filter(|folder| !folder.is_dir()) {
                std::fs::create_dir_all(folder).map_err(fail(folder, hint))?;
            }
            match std::fs::rename(&from, &to) {
                Err(_) if !from.exists() => Ok(()),
                result => result.map_err(fail(&to, hint)),
            }
        };
        self.changed.par_iter().try_for_each(|path| move_in(path))?;
        for path in &self.gone {
            remove_with_empty_folders(out, path);
        }
        move_in(Path::new(MARKER))
    }
}

/// Completes the moves of the in-place builds into `out` that were killed
/// while making them: their journals are still in the staging folder.
fn complete_interrupted_moves(staging: &Path, name: &str, out: &Path) -> Result<(), OutputError> {
    let prefix = format!("{name}.{JOURNAL}");
    let Ok(entries) = std::fs::read_dir(staging) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let journal = entry.path();
        if !out.join(MARKER).is_file() {
            // The output was removed since: there is nothing to complete,
            // and moving files in would make an output of those alone.
            let _ = std::fs::remove_file(&journal);
            continue;
        }
        let text = std::fs::read_to_string(&journal).map_err(fail(
            &journal,
            "an interrupted build's journal cannot be read; remove it and the output, and build again",
        ))?;
        let temp = staging.join(format!("{name}.tmp-{id}"));
        Moves::parse(&text).make(out, &temp)?;
        // Its staging folder goes with the other leftovers.
        let _ = std::fs::remove_file(&journal);
    }
    Ok(())
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
/// The joins happen under the lock, so that a second caller returns only
/// once the removals the first one took are finished too.
pub fn wait_for_removals() {
    let Ok(mut handles) = REMOVALS.lock() else {
        return;
    };
    for handle in handles.drain(..) {
        let _ = handle.join();
    }
}

/// A number that differs between calls in one process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The entries of the files of `old` that were not `put` and that `keep`
/// accepts, as unchanged.
fn kept_entries(
    old: &OldManifest,
    put: &[(PathBuf, Fingerprint, bool)],
    keep: impl Fn(&Path) -> bool,
) -> Vec<(PathBuf, Fingerprint, bool)> {
    let put: HashSet<&Path> = put.iter().map(|e| e.0.as_path()).collect();
    old.entries
        .iter()
        .filter(|(path, _)| !put.contains(path.as_path()) && keep(path))
        .map(|(path, &fingerprint)| (path.clone(), fingerprint, false))
        .collect()
}

/// Removes the file at `path` of `out` and the folders it leaves empty.
fn remove_with_empty_folders(out: &Path, path: &Path) {
    let file = out.join(path);
    if std::fs::remove_file(&file).is_ok() {
        for folder in file.ancestors().skip(1) {
            if folder == out || std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// The old output's manifest, parsed.
struct OldManifest {
    text: String,
    entries: FxHashMap<PathBuf, Fingerprint>,
}

impl OldManifest {
    /// Forgets the files that are not in `out` as the manifest has them,
    /// so that the build counts them as changed and writes them again.
    fn forget_damaged(&mut self, out: &Path) {
        let written = manifest_written(out);
        let damaged: Vec<PathBuf> = self
            .entries
            .par_iter()
            .filter(|&(path, &(len, _))| !as_recorded(out, path, len, written))
            .map(|(path, _)| path.clone())
            .collect();
        for path in &damaged {
            self.entries.remove(path);
        }
    }
}

/// Whether file `path` of `out` is there as the manifest recorded it: with
/// length `len`, and not modified since the manifest was `written` (a
/// build writes the manifest after every file, so a later time is a hand
/// edit, even one that kept the length).
fn as_recorded(out: &Path, path: &Path, len: u64, written: Option<SystemTime>) -> bool {
    std::fs::symlink_metadata(out.join(path)).is_ok_and(|m| {
        let modified = m.modified().ok();
        m.is_file()
            && m.len() == len
            && written
                .zip(modified)
                .is_none_or(|(written, modified)| modified <= written)
    })
}

/// When the manifest of `out` was written, where the system says.
fn manifest_written(out: &Path) -> Option<SystemTime> {
    std::fs::metadata(out.join(MARKER)).ok()?.modified().ok()
}

/// Whether every file the manifest of `out` lists is there as it recorded
/// it: nobody removed or edited one by hand since the build.
pub fn intact(out: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(out.join(MARKER)) else {
        return false;
    };
    let written = manifest_written(out);
    let entries: Vec<(PathBuf, Fingerprint)> = manifest_entries(&text).collect();
    entries
        .par_iter()
        .all(|(path, (len, _))| as_recorded(out, path, *len, written))
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
            let entries = manifest_entries(&text).collect();
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

/// The manifest of `entries` (sorted): a line per file. Made in parallel,
/// a slice of lines at a time: at 100,000 files it was most of what a
/// build did on one core at its end.
fn manifest_text(entries: &[(PathBuf, Fingerprint, bool)]) -> String {
    let header = "# Written by dossier and replaced on every build: path, length, xxh3.\n";
    let lines: Vec<String> = entries
        .par_chunks(4096)
        .map(|chunk| {
            let mut text = String::with_capacity(chunk.len() * 64);
            let mut number = itoa::Buffer::new();
            for (path, (len, hash), _) in chunk {
                text.push_str(&path.to_string_lossy());
                text.push('\t');
                text.push_str(number.format(*len));
                text.push('\t');
                push_hex(&mut text, *hash);
                text.push('\n');
            }
            text
        })
        .collect();
    [header.to_string()].into_iter().chain(lines).collect()
}

/// Appends `value` as 16 lower-case hexadecimal digits (`{value:016x}`).
fn push_hex(text: &mut String, value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        text.push(char::from(DIGITS[(value >> (shift * 4)) as usize & 0xf]));
    }
}

/// A path as bytes, to compare and hash fast.
fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The files a manifest lists, with their fingerprints.
fn manifest_entries(text: &str) -> impl Iterator<Item = (PathBuf, Fingerprint)> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let path = PathBuf::from(parts.next()?);
            let len = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            Some((path, (len, hash)))
        })
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
                // A staging folder, or a journal cut short while written.
                if std::fs::remove_dir_all(&path).is_err() {
                    let _ = std::fs::remove_file(&path);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the new content of `out`, as a build would.
    fn write_site(out: &Path, files: &[File]) -> Result<Written, OutputError> {
        let staging = Staging::begin(out, Trust::Files)?;
        for file in files {
            staging.put(file.clone());
        }
        staging.finish()
    }

    /// [`write_site`], with `streamed` given as a build gives its exports
    /// ([`Sink::put_written`]).
    fn write_site_streaming(
        out: &Path,
        files: &[File],
        streamed: &[File],
    ) -> Result<Written, OutputError> {
        let staging = Staging::begin(out, Trust::Files)?;
        for file in files {
            staging.put(file.clone());
        }
        for file in streamed {
            staging.put_written(file.path.clone(), 0, &mut |out| {
                // In small pieces, as a serialiser writes.
                file.bytes
                    .chunks(3)
                    .try_for_each(|piece| out.write_all(piece))
            });
        }
        staging.finish()
    }

    /// The manifest reads back as written, a line per file, the hash as 16
    /// hexadecimal digits, across the slices it is made in.
    #[test]
    fn the_manifest_lists_every_file_and_reads_back() {
        let entries: Vec<(PathBuf, Fingerprint, bool)> = (0..10_000u64)
            .map(|i| {
                let hash = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                (
                    PathBuf::from(format!("p/{i}/index.html")),
                    (i * 7, hash),
                    false,
                )
            })
            .collect();
        let text = manifest_text(&entries);
        assert!(text.starts_with("# Written by dossier"));
        assert_eq!(text.lines().count(), entries.len() + 1);
        assert!(
            text.contains("\np/1/index.html\t7\t9e3779b97f4a7c15\n"),
            "{}",
            &text[..200]
        );
        assert!(text.contains("\np/0/index.html\t0\t0000000000000000\n"));
        let read: Vec<(PathBuf, Fingerprint)> = manifest_entries(&text).collect();
        let written: Vec<(PathBuf, Fingerprint)> = entries
            .into_iter()
            .map(|(path, print, _)| (path, print))
            .collect();
        assert_eq!(read, written);
    }

    /// An edit's rebuild written in place leaves the output a whole build
    /// of the same files would: the changed file rewritten over its old
    /// copy (the same inode), the unchanged one untouched, a new one in a
    /// new folder, a gone one removed with its folder, the same manifest.
    #[test]
    fn a_rebuild_in_place_leaves_what_a_whole_build_would() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let (out, whole) = (dir.path().join("site"), dir.path().join("whole"));
        let before = [
            file("index.html", "home, a longer text than the next one"),
            file("a/index.html", "a"),
            file("gone/index.html", "gone"),
        ];
        write_site(&out, &before).unwrap();
        let inode = |path: &str| std::fs::metadata(out.join(path)).unwrap().ino();
        let (home, a) = (inode("index.html"), inode("a/index.html"));
        let modified = |path: &str| std::fs::metadata(out.join(path)).unwrap().modified();
        let a_written = modified("a/index.html").unwrap();

        let sink = InPlace::begin(&out).unwrap();
        sink.put(file("index.html", "home, shorter"));
        sink.put(file("a/index.html", "a"));
        sink.put(file("new/page/index.html", "new"));
        sink.keep(|path| path != Path::new("gone/index.html"));
        let written = sink.finish().unwrap();

        assert_eq!((written.files, written.changed), (3, 2));
        let after = [
            file("index.html", "home, shorter"),
            file("a/index.html", "a"),
            file("new/page/index.html", "new"),
        ];
        write_site(&whole, &after).unwrap();
        assert_eq!(tree(&out), tree(&whole), "the same files and manifest");
        assert_eq!(inode("index.html"), home, "rewritten over its old copy");
        assert_eq!(inode("a/index.html"), a);
        assert_eq!(modified("a/index.html").unwrap(), a_written, "untouched");
        assert!(!out.join("gone").exists(), "a gone page's folder goes");
    }

    /// A rebuild in place that does not finish (a page failed to render)
    /// writes nothing.
    #[test]
    fn a_rebuild_in_place_dropped_unfinished_leaves_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("index.html", "home")]).unwrap();
        let before = tree(&out);
        let sink = InPlace::begin(&out).unwrap();
        sink.put(file("index.html", "changed"));
        sink.put(file("new/index.html", "new"));
        drop(sink);
        assert_eq!(tree(&out), before);
    }

    #[test]
    fn a_streamed_file_is_written_and_kept_as_a_put_one_is() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let (put, streamed) = (dir.path().join("put"), dir.path().join("streamed"));
        let pages = [file("index.html", "one"), file("a/index.html", "a")];
        let export = file("data/events.json", "[1, 2, 3, 4, 5, 6, 7]\n");
        let exports = std::slice::from_ref(&export);
        let all = [pages.as_slice(), exports].concat();
        write_site(&put, &all).unwrap();
        let first = write_site_streaming(&streamed, &pages, exports).unwrap();
        assert_eq!((first.files, first.changed), (3, 3));
        assert_eq!(tree(&put), tree(&streamed), "the same files and manifest");
        let inode = |path: &str| std::fs::metadata(streamed.join(path)).unwrap().ino();
        let kept = inode("data/events.json");
        // One page changes (moved in place): the export, made again the
        // same, is left as it was and nothing of it stays staged.
        let edited = [file("index.html", "two"), file("a/index.html", "a")];
        let second = write_site_streaming(&streamed, &edited, exports).unwrap();
        assert_eq!(second.changed, 1);
        assert_eq!(inode("data/events.json"), kept);
        assert_nothing_staged(dir.path());
        // Every page changes (swapped in whole): the export is still there.
        let rewritten = [file("index.html", "three"), file("a/index.html", "b")];
        let third = write_site_streaming(&streamed, &rewritten, exports).unwrap();
        assert_eq!(third.changed, 2);
        assert_eq!(inode("data/events.json"), kept, "linked, not copied");
        let read = |path: &str| std::fs::read_to_string(streamed.join(path)).unwrap();
        assert_eq!(read("data/events.json"), "[1, 2, 3, 4, 5, 6, 7]\n");
        // The export changes: it is written anew.
        let changed = file("data/events.json", "[]\n");
        let fourth = write_site_streaming(&streamed, &rewritten, &[changed]).unwrap();
        assert_eq!(fourth.changed, 1);
        assert_eq!(read("data/events.json"), "[]\n");
        assert_eq!(
            write_site(
                &streamed,
                &[rewritten.as_slice(), &[file("data/events.json", "[]\n")]].concat()
            )
            .unwrap()
            .changed,
            0
        );
        assert_nothing_staged(dir.path());
    }

    fn file(path: &str, text: &str) -> File {
        File {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Waits for the background removals, then checks that the staging
    /// folder beside the output in `dir` holds its `.gitignore` alone.
    fn assert_nothing_staged(dir: &Path) {
        wait_for_removals();
        assert_eq!(names(&dir.join(".dossier")), vec![".gitignore".to_string()]);
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
    fn files_removed_or_cut_by_hand_are_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            file("index.html", "one"),
            file("a/index.html", "a"),
            file("b/index.html", "bee"),
            file("c/index.html", "c"),
            file("d/index.html", "d"),
        ];
        write_site(&out, &files).unwrap();
        std::fs::remove_file(out.join("a/index.html")).unwrap();
        std::fs::write(out.join("b/index.html"), "b").unwrap();
        let again = write_site(&out, &files).unwrap();
        assert_eq!(again.changed, 2, "the removed file and the cut one");
        let read = |path: &str| std::fs::read_to_string(out.join(path)).unwrap();
        assert_eq!(
            (read("a/index.html"), read("b/index.html")),
            ("a".into(), "bee".into())
        );
        assert!(intact(&out));
        // A manifest taken at its word does not see a removed file.
        std::fs::remove_file(out.join("c/index.html")).unwrap();
        assert!(!intact(&out));
        let staging = Staging::begin(&out, Trust::Manifest).unwrap();
        for file in &files {
            staging.put(file.clone());
        }
        assert_eq!(staging.finish().unwrap().changed, 0);
        assert!(!out.join("c/index.html").exists());
    }

    #[test]
    fn when_most_files_changed_the_rest_are_linked_and_the_output_swapped() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file("index.html", "one"),
                file("a/index.html", "a"),
                file("b/index.html", "b"),
            ],
        )
        .unwrap();
        let folder = std::fs::metadata(&out).unwrap().ino();
        let before = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let written = write_site(
            &out,
            &[
                file("index.html", "two"),
                file("a/index.html", "a"),
                file("b/index.html", "B"),
            ],
        )
        .unwrap();
        assert_eq!(written.changed, 2);
        assert_ne!(std::fs::metadata(&out).unwrap().ino(), folder, "swapped");
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

    /// The files of an old output, and of a build that changes two of
    /// them (at most half: it completes in place), drops `c/d/` and adds
    /// `e/`.
    fn an_edit() -> ([File; 5], [File; 5]) {
        let old = [
            file("index.html", "one"),
            file("a/index.html", "a"),
            file("b/index.html", "b"),
            file("c/d/index.html", "d"),
            file("f/index.html", "f"),
        ];
        let new = [
            file("index.html", "two"),
            file("a/index.html", "a"),
            file("b/index.html", "b"),
            file("e/index.html", "new"),
            file("f/index.html", "f"),
        ];
        (old, new)
    }

    #[test]
    fn when_at_most_half_changed_they_replace_the_old_files_in_place() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, new) = an_edit();
        write_site(&out, &old).unwrap();
        let folder = std::fs::metadata(&out).unwrap().ino();
        let kept = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let written = write_site(&out, &new).unwrap();
        assert_eq!((written.files, written.changed), (5, 2));
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
        let files: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            files,
            [
                ".dossier-output",
                "a/index.html",
                "b/index.html",
                "e/index.html",
                "f/index.html",
                "index.html"
            ],
            "c/d/ went with its only file, and no staged file is left"
        );
        assert!(!out.join("c").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        // The manifest describes the new content, and the staging folder
        // holds nothing more.
        assert_eq!(write_site(&out, &new).unwrap().changed, 0);
        assert_nothing_staged(dir.path());
    }

    /// Leaves beside `dir/public` what an in-place build killed during its
    /// moves leaves: the journal of `moves` and, staged, `e/index.html`
    /// (which it had yet to move).
    fn leave_killed_moves(dir: &Path, moves: &Moves) {
        let temp = dir.join(".dossier/public.tmp-99999-7");
        std::fs::create_dir_all(temp.join("e")).unwrap();
        std::fs::write(temp.join("e/index.html"), "new").unwrap();
        std::fs::write(dir.join(".dossier/public.moves-99999-7"), moves.text()).unwrap();
    }

    #[test]
    fn moves_cut_short_by_a_kill_are_completed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, new) = an_edit();
        write_site(&out, &old).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let expected = elsewhere.path().join("public");
        write_site(&expected, &new).unwrap();
        // What a build killed after its first move (`index.html`) leaves:
        // its journal, the staged file it had yet to move and the new
        // manifest.
        let moves = Moves {
            changed: vec![PathBuf::from("e/index.html"), PathBuf::from("index.html")],
            gone: vec![PathBuf::from("c/d/index.html")],
        };
        assert_eq!(Moves::parse(&moves.text()), moves);
        leave_killed_moves(dir.path(), &moves);
        let temp = dir.path().join(".dossier/public.tmp-99999-7");
        std::fs::copy(expected.join(MARKER), temp.join(MARKER)).unwrap();
        std::fs::write(out.join("index.html"), "two").unwrap();

        let again = write_site(&out, &new).unwrap();
        assert_eq!(again.changed, 0, "the killed build's manifest is in place");
        assert_eq!(tree(&out), tree(&expected));
        assert_nothing_staged(dir.path());
    }

    #[test]
    fn moves_left_by_a_kill_are_dropped_when_the_output_was_removed_since() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, new) = an_edit();
        write_site(&out, &old).unwrap();
        let moves = Moves {
            changed: vec![PathBuf::from("e/index.html")],
            gone: Vec::new(),
        };
        leave_killed_moves(dir.path(), &moves);
        std::fs::remove_dir_all(&out).unwrap();

        let written = write_site(&out, &new).unwrap();
        assert_eq!(written.changed, 5, "a whole new output");
        assert_eq!(tree(&out).len(), 6, "the five files and the manifest");
        assert_nothing_staged(dir.path());
    }

    #[test]
    fn a_failed_build_leaves_the_old_files_and_nothing_staged() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, _) = an_edit();
        write_site(&out, &old).unwrap();
        let before = tree(&out);
        let staging = Staging::begin(&out, Trust::Files).unwrap();
        staging.put(file("index.html", "two"));
        staging.put(file("e/index.html", "new"));
        drop(staging); // the build failed before finishing
        assert_eq!(tree(&out), before);
        assert_nothing_staged(dir.path());
    }

    #[test]
    fn a_page_where_the_old_output_has_a_folder_is_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, mut new) = an_edit();
        write_site(&out, &old).unwrap();
        // `c` was a folder; now it is a file, and `index.html/` a folder.
        new[3] = file("c", "a file now");
        new[0] = file("index.html/x", "under a former file");
        write_site(&out, &new).unwrap();
        let mut expected: Vec<(String, String)> = new
            .iter()
            .map(|f| {
                let text = String::from_utf8(f.bytes.clone()).unwrap();
                (f.path.display().to_string(), text)
            })
            .collect();
        expected.sort();
        let made: Vec<(String, String)> = tree(&out)
            .into_iter()
            .filter(|(name, _)| name != MARKER)
            .collect();
        assert_eq!(made, expected);
    }

    #[test]
    fn a_new_output_is_made_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::begin(&out, Trust::Files).unwrap();
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
        assert_nothing_staged(dir.path());
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
        let journal = dir.path().join(".dossier/public.tmp-99999-1.journal");
        std::fs::write(&journal, "+\tindex.").unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        wait_for_removals();
        assert!(!dir.path().join(".dossier/public.tmp-99999-0").exists());
        assert!(!journal.exists(), "a journal cut short while written goes");
    }
}
