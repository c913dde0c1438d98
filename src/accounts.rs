//! Accounts of the web interface: a users file in the data folder
//! (`users.ron`, readable by the owner only) holding each user's name, role
//! and a salted argon2id hash of the password — never the password.

use crate::error::{Error, Result};
use crate::records;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::TryRngCore;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Sees, creates and edits profiles, shortlists and allocations.
    Advisor,
    /// Everything an advisor does, and erases people.
    Admin,
}

impl Role {
    /// The spelling on the command line (`advisor`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Advisor => "advisor",
            Role::Admin => "admin",
        }
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Advisor => "Beratung",
            Role::Admin => "Administration",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "advisor" => Ok(Role::Advisor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "„{other}“ ist keine Rolle (erlaubt: advisor, admin)"
            )),
        }
    }
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    pub role: Role,
    /// PHC string of the argon2id hash, with its salt and parameters.
    pub hash: String,
    /// A disabled account cannot log in; its sessions end.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// All accounts, as stored in the users file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    #[serde(default)]
    pub users: Vec<Account>,
}

/// Checks a user name: 1–64 letters a–z, digits, `.`, `-`, `_`.
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "ungültiger Benutzername „{name}“: erlaubt sind 1–64 Zeichen aus Buchstaben a–z, Ziffern, „.“, „-“ und „_“"
        ))
    }
}

/// A salted argon2id hash of a password (PHC string).
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng
        .try_fill_bytes(&mut salt)
        .map_err(|e| Error::Internal(format!("Zufallszahlen: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("Passwort-Hash: {e}")))
}

/// Whether `password` matches a stored hash; a malformed hash never matches.
pub fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// [`password_matches`] with the caller's working memory for argon2, so
/// that a server checking many passwords reuses one block of memory per
/// thread instead of allocating (and keeping) a new one each time.
pub fn password_matches_in(hash: &str, password: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(argon2::Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let ok = Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok();
    // Compared in constant time (Output's equality).
    ok && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// A hash to check against when the user does not exist, so that the
/// answer takes as long as for a real user (no probing of names).
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("lotse-decoy-password").unwrap_or_default())
}

impl Accounts {
    /// Reads the users file; a missing file means no accounts yet.
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => records::parse(path, &text).map_err(|d| Error::Invalid(vec![d])),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Accounts::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Writes the users file atomically, readable by the owner only.
    pub fn save(&self, path: &Path) -> Result<()> {
        records::write_record(path, self)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io(path, e))?;
        }
        Ok(())
    }

    /// The account of a name.
    pub fn get(&self, name: &str) -> Option<&Account> {
        self.users.iter().find(|a| a.name == name)
    }

    /// Adds an account, or with `replace` sets a new password and role for
    /// an existing one.
    pub fn add(&mut self, name: &str, role: Role, password: &str, replace: bool) -> Result<()> {
        check_name(name).map_err(Error::Usage)?;
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(Error::Usage(format!(
                "das Passwort ist zu kurz: mindestens {MIN_PASSWORD_CHARS} Zeichen"
            )));
        }
        let hash = hash_password(password)?;
        match self.users.iter_mut().find(|a| a.name == name) {
            Some(existing) if replace => {
                existing.role = role;
                existing.hash = hash;
                existing.disabled = false;
            }
            Some(_) => {
                return Err(Error::Usage(format!(
                    "den Benutzer „{name}“ gibt es schon (neues Passwort: mit --replace)"
                )))
            }
            None => self.users.push(Account {
                name: name.to_string(),
                role,
                hash,
                disabled: false,
            }),
        }
        Ok(())
    }

    /// Disables an account (it can no longer log in; its sessions end).
    pub fn disable(&mut self, name: &str) -> Result<()> {
        let account = self
            .users
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| unknown(name))?;
        account.disabled = true;
        Ok(())
    }

    /// Removes an account.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        let before = self.users.len();
        self.users.retain(|a| a.name != name);
        if self.users.len() == before {
            return Err(unknown(name));
        }
        Ok(())
    }

    /// The role of a user whose password is right; `None` otherwise. Takes
    /// about as long for unknown names as for known ones.
    pub fn verify(&self, name: &str, password: &str) -> Option<Role> {
        self.verify_account(name, password).map(|a| a.role)
    }

    /// [`verify_account`](Self::verify_account) with the caller's argon2
    /// working memory (see [`password_matches_in`]).
    pub fn verify_account_in(
        &self,
        name: &str,
        password: &str,
        memory: &mut Vec<argon2::Block>,
    ) -> Option<&Account> {
        match self.get(name) {
            Some(account) => {
                let ok = password_matches_in(&account.hash, password, memory);
                (ok && !account.disabled).then_some(account)
            }
            None => {
                let _ = password_matches_in(decoy_hash(), password, memory);
                None
            }
        }
    }

    /// The account of a user whose password is right and who is not
    /// disabled; `None` otherwise, taking as long either way.
    pub fn verify_account(&self, name: &str, password: &str) -> Option<&Account> {
        match self.get(name) {
            Some(account) => {
                let ok = password_matches(&account.hash, password);
                (ok && !account.disabled).then_some(account)
            }
            None => {
                let _ = password_matches(decoy_hash(), password);
                None
            }
        }
    }
}

fn unknown(name: &str) -> Error {
    Error::NotFound(format!("den Benutzer „{name}“ gibt es nicht"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_hashes_and_verifies_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.ron");
        let mut accounts = Accounts::load(&path).unwrap();
        accounts
            .add("anna", Role::Admin, "geheim-genug", false)
            .unwrap();
        accounts.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("geheim-genug"), "{text}");
        assert!(text.contains("$argon2id$"), "{text}");

        let loaded = Accounts::load(&path).unwrap();
        assert_eq!(loaded.verify("anna", "geheim-genug"), Some(Role::Admin));
        assert_eq!(loaded.verify("anna", "falsch-falsch"), None);
        assert_eq!(loaded.verify("niemand", "geheim-genug"), None);
        let mut memory = Vec::new();
        for (name, password, ok) in [
            ("anna", "geheim-genug", true),
            ("anna", "falsch-falsch", false),
            ("niemand", "geheim-genug", false),
            ("anna", "geheim-genug", true),
        ] {
            assert_eq!(
                loaded
                    .verify_account_in(name, password, &mut memory)
                    .is_some(),
                ok,
                "{name} {password}"
            );
        }
        assert!(!password_matches_in("kein-hash", "x", &mut memory));
    }

    #[test]
    fn rejects_bad_names_short_passwords_and_duplicates() {
        let mut a = Accounts::default();
        assert!(a.add("../x", Role::Advisor, "lang-genug", false).is_err());
        assert!(a.add("ben", Role::Advisor, "", false).is_err());
        assert!(a.add("ben", Role::Advisor, "kurz", false).is_err());
        a.add("ben", Role::Advisor, "lang-genug", false).unwrap();
        assert!(a.add("ben", Role::Admin, "anders-lang", false).is_err());
        a.add("ben", Role::Admin, "anders-lang", true).unwrap();
        assert_eq!(a.verify("ben", "anders-lang"), Some(Role::Admin));
        assert_eq!(a.users.len(), 1);
    }

    #[test]
    fn disabled_accounts_cannot_log_in_and_removed_ones_are_gone() {
        let mut a = Accounts::default();
        a.add("ben", Role::Advisor, "lang-genug", false).unwrap();
        a.add("cara", Role::Admin, "auch-lang-genug", false)
            .unwrap();
        a.disable("ben").unwrap();
        assert_eq!(a.verify("ben", "lang-genug"), None);
        assert!(a.disable("niemand").is_err());
        a.remove("cara").unwrap();
        assert!(a.get("cara").is_none());
        assert!(a.remove("cara").is_err());
        a.add("ben", Role::Advisor, "wieder-lang", true).unwrap();
        assert_eq!(a.verify("ben", "wieder-lang"), Some(Role::Advisor));
    }

    #[test]
    fn salts_differ() {
        assert_ne!(
            hash_password("dasselbe").unwrap(),
            hash_password("dasselbe").unwrap()
        );
    }
}
