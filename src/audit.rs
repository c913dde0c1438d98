//! The audit log: who saw, changed, exported or deleted whose profile, and
//! when. One JSON object per line in `audit.jsonl` in the data folder
//! (`{"time", "user", "action", "profile"}`, plus `"offer"` where the access
//! happened through an offer). The file is only ever appended to; each line
//! is written with a single `write` call on a file opened in append mode, so
//! lines of concurrent writers never interleave, and the file is synced to
//! disk before the data is shown.
//!
//! Entries name the profile by its id only, never by name, so that the log
//! itself holds no further personal data and survives an erasure as proof.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What was done with a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The profile page or the match list of one person (page or API).
    View,
    /// The person appeared in a search result list (name, status, place).
    List,
    /// The person appeared in the shortlist of an offer (page or API).
    Shortlist,
    /// The person appeared in a batch allocation.
    Allocation,
    /// The person's data left the program in a file (shortlist CSV).
    Export,
    /// The profile was created.
    Create,
    /// The profile was changed.
    Update,
    /// The profile was erased.
    Delete,
    /// A user logged in (no profile).
    Login,
    /// A login failed (the name as typed, no profile).
    #[serde(rename = "login_failed")]
    LoginFailed,
    /// A user logged out (no profile).
    Logout,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// UTC, RFC 3339 with seconds (`2016-02-01T09:30:00Z`).
    pub time: String,
    pub user: String,
    pub action: Action,
    /// Empty for logins and logouts.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// The offer through which the profile was seen or exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// The client address of a login, failed login or logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
}

impl Entry {
    /// An entry stamped with the current time.
    pub fn now(user: &str, action: Action, profile: &str, offer: Option<&str>) -> Self {
        Entry {
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            user: user.to_string(),
            action,
            profile: profile.to_string(),
            offer: offer.map(str::to_string),
            client: None,
        }
    }

    /// A login, failed login or logout of `user` from `client`.
    pub fn session(user: &str, action: Action, client: &str) -> Self {
        let user: String = user.chars().filter(|c| !c.is_control()).take(64).collect();
        Entry {
            client: Some(client.to_string()),
            ..Entry::now(&user, action, "", None)
        }
    }
}

/// The name under which the command line writes to the log:
/// `cli:` and the operating-system user.
pub fn cli_user() -> String {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unbekannt".into());
    format!("cli:{who}")
}

/// Writes the command line's access to profiles (as [`cli_user`]) to the
/// data folder's log, before anything is shown.
pub fn record_cli<'a>(
    data: &crate::records::DataDir,
    action: Action,
    profiles: impl IntoIterator<Item = &'a str>,
    offer: Option<&str>,
) -> Result<()> {
    let user = cli_user();
    let entries: Vec<Entry> = profiles
        .into_iter()
        .map(|p| Entry::now(&user, action, p, offer))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    AuditLog::open(&data.audit_log())?.record(&entries)
}

/// The audit log, open for appending.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl AuditLog {
    /// Opens (or creates, readable by the owner only) the log at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(|e| Error::io(path, e))?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// The file of the log.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends entries, one line each, and syncs the file. An error means
    /// the access must not happen (the caller shows nothing).
    pub fn record(&self, entries: &[Entry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut file = self
            .file
            .lock()
            .map_err(|_| Error::Internal("Protokoll gesperrt".into()))?;
        for entry in entries {
            let mut line = serde_json::to_string(entry)
                .map_err(|e| Error::Internal(format!("Protokolleintrag: {e}")))?;
            line.push('\n');
            file.write_all(line.as_bytes())
                .map_err(|e| Error::io(&self.path, e))?;
        }
        file.sync_data().map_err(|e| Error::io(&self.path, e))
    }

    /// Appends one entry.
    pub fn record_one(&self, entry: Entry) -> Result<()> {
        self.record(std::slice::from_ref(&entry))
    }
}

/// Reads every entry of a log (for tests and reports); a missing file is empty.
pub fn read(path: &Path) -> Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).map_err(|e| {
                Error::Internal(format!("{}: Protokollzeile unlesbar: {e}", path.display()))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::open(&path).unwrap();
        log.record_one(Entry::now("anna", Action::View, "P-1", None))
            .unwrap();
        log.record(&[
            Entry::now("anna", Action::Export, "P-1", Some("koch-eq")),
            Entry::now("anna", Action::Export, "P-2", Some("koch-eq")),
        ])
        .unwrap();
        drop(log);
        // Reopening appends; it never truncates.
        AuditLog::open(&path)
            .unwrap()
            .record_one(Entry::now("ben", Action::Delete, "P-2", None))
            .unwrap();
        let entries = read(&path).unwrap();
        let actions: Vec<Action> = entries.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [Action::View, Action::Export, Action::Export, Action::Delete]
        );
        assert_eq!(entries[1].offer.as_deref(), Some("koch-eq"));
        let text = std::fs::read_to_string(&path).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        let mut keys: Vec<&str> = first
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort();
        assert_eq!(keys, ["action", "profile", "time", "user"]);
        assert_eq!(first["action"], "view");
    }
}
