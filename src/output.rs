//! Output: rendered files -> a temporary folder -> swapped in place of the
//! old output.
//!
//! The new site is written into a hidden folder beside the target and only
//! renamed into place once complete, so a failed or interrupted build leaves
//! the previous output exactly as it was. Leftovers of an interrupted build
//! are removed at the start of the next one. An existing folder that dossier
//! did not write is never replaced.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::File;

/// The marker file that says a folder is dossier's output.
pub const MARKER: &str = ".dossier-output";

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes `files` as the new content of `out`, atomically replacing what
/// was there.
pub fn write_site(out: &Path, files: &[File]) -> Result<Written, OutputError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| OutputError {
            path: out.to_path_buf(),
            error: io::Error::other("the output path has no folder name"),
            hint: "give --out a folder such as `public`",
        })?;
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    };
    std::fs::create_dir_all(&parent).map_err(fail(
        &parent,
        "check that the output's parent folder can be created",
    ))?;

    if out.exists() {
        check_ours(out)?;
    }
    clean_leftovers(&parent, &name);

    let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = match fill(&temp, files) {
        Ok(written) => written,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(error);
        }
    };

    if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(|error| {
            let _ = std::fs::remove_dir_all(&temp);
            OutputError {
                path: out.to_path_buf(),
                error,
                hint: "the old output could not be moved aside; it is unchanged",
            }
        })?;
        if let Err(error) = std::fs::rename(&temp, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&temp);
            return Err(OutputError {
                path: out.to_path_buf(),
                error,
                hint: "the new output could not be moved into place; the old one is restored",
            });
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&temp, out).map_err(|error| {
            let _ = std::fs::remove_dir_all(&temp);
            OutputError {
                path: out.to_path_buf(),
                error,
                hint: "the new output could not be moved into place",
            }
        })?;
    }
    Ok(written)
}

/// Refuses to replace a folder dossier did not write.
fn check_ours(out: &Path) -> Result<(), OutputError> {
    if !out.is_dir() {
        return Err(OutputError {
            path: out.to_path_buf(),
            error: io::Error::other("it exists and is not a folder"),
            hint: "choose another --out",
        });
    }
    let empty = std::fs::read_dir(out)
        .map_err(fail(out, "check the output folder's permissions"))?
        .next()
        .is_none();
    if empty || out.join(MARKER).is_file() {
        Ok(())
    } else {
        Err(OutputError {
            path: out.to_path_buf(),
            error: io::Error::other("the folder exists and was not written by dossier"),
            hint: "dossier replaces its output folder on every build; choose an empty or new --out, or remove the folder",
        })
    }
}

/// Removes temporary folders left by an interrupted build.
fn clean_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes every file under `folder` (created fresh).
fn fill(folder: &Path, files: &[File]) -> Result<Written, OutputError> {
    std::fs::create_dir(folder).map_err(fail(
        folder,
        "check that the output's parent folder is writable",
    ))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.path.parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        let path = folder.join(dir);
        std::fs::create_dir_all(&path).map_err(fail(
            &path,
            "check the disk has space and the folder is writable",
        ))?;
    }
    files.par_iter().try_for_each(|file| {
        let path = folder.join(&file.path);
        std::fs::write(&path, &file.bytes).map_err(fail(
            &path,
            "check the disk has space and the folder is writable",
        ))
    })?;
    let marker = folder.join(MARKER);
    std::fs::write(
        &marker,
        "This folder is written by dossier and replaced on every build.\n",
    )
    .map_err(fail(
        &marker,
        "check the disk has space and the folder is writable",
    ))?;
    Ok(Written {
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> File {
        File {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_old_output_and_leaves_no_temporary_folders() {
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
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["public".to_string()]);
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
    fn leftovers_of_an_interrupted_build_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(dir.path().join(".public.tmp-99999/x")).unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        assert!(!dir.path().join(".public.tmp-99999").exists());
    }
}
