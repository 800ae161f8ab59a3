//! Helpers shared by the integration tests: copying fixture sites into
//! temporary folders, building them, and reading the output.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a folder tree (files only) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the `basic` fixture, with `overlay` (another
/// fixture folder) copied over it when given.
pub fn site_copy(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("basic"), dir.path());
    if let Some(overlay) = overlay {
        copy_tree(overlay, dir.path());
    }
    dir
}

/// Builds `root` into `out`, panicking with the diagnostics on failure.
pub fn build_ok(root: &Path, out: &Path, base_url: Option<&str>) -> dossier::Built {
    match dossier::build(root, out, base_url) {
        Ok(built) => built,
        Err(dossier::Failure::Content(diagnostics)) => {
            let text: String = diagnostics.iter().map(|d| d.render_text()).collect();
            panic!("the build failed:\n{text}");
        }
        Err(dossier::Failure::Environment(message)) => panic!("the build failed: {message}"),
    }
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            files.insert(relative, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Reads an output file as text.
pub fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `href="…"` and `src="…"` value in a page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attribute) {
            rest = &rest[i + attribute.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    found
}

/// Every `id="…"` in a page.
pub fn ids(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            found.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    found
}

/// Builds `root` into `out` with the real binary for `base_url`, panicking
/// with its output when it fails.
pub fn build_with_binary(root: &Path, out: &Path, base_url: &str) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--base-url", base_url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the build failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The 64 digits of the search index's posting lists, as in `search.js`.
const POSTING_DIGITS: &str = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

/// A posting list of `search/terms/<n>.json`, read as `search.js` reads
/// it: numbers in base 32, the digits before a number's last one taken
/// from the upper half of the alphabet, each number the gap from the one
/// before.
pub fn decode_postings(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let (mut value, mut previous) = (0u64, 0u64);
    for ch in text.chars() {
        let digit = POSTING_DIGITS
            .find(ch)
            .unwrap_or_else(|| panic!("bad digit {ch}")) as u64;
        value = value * 32 + (digit & 31);
        if digit < 32 {
            previous += value;
            out.push(previous);
            value = 0;
        }
    }
    out
}
