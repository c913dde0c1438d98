//! Helpers for the integration tests: each test runs the real binary in a
//! temporary copy of a fixture data folder.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root (holds the bundled data).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of `tests/data/<name>` (or of the repository's bundled
/// data for `"bundled"`), without any index.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if name == "bundled" {
        for part in ["profiles", "occupations"] {
            copy_dir(&repo().join(part), &dir.path().join(part));
        }
        std::fs::copy(repo().join("lotse.ron"), dir.path().join("lotse.ron"))
            .expect("copy lotse.ron");
    } else {
        copy_dir(&repo().join("tests/data").join(name), dir.path());
    }
    dir
}

/// Copies a folder recursively, leaving out index folders.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".lotse-index") {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// `lotse --data DIR …`
pub fn lotse(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lotse").expect("binary");
    cmd.arg("--data").arg(data);
    cmd
}

/// Runs `lotse --data DIR args…` and returns (exit code, stdout, stderr).
pub fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = lotse(data).args(args).output().expect("run lotse");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a command that must succeed and parses its JSON output.
pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = run(data, args);
    assert_eq!(code, 0, "lotse {args:?} failed: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}
