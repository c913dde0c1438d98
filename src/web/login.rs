//! What keeps the login standing: the accounts as they are now (reread
//! when the users file changes, so that every request checks its account
//! cheaply), a bound on concurrent password hashing, throttling of failed
//! logins per account and per client address, and a short-lived cache of
//! verified HTTP Basic credentials.
//!
//! - At most [`HASHING`] argon2 checks run at once (each needs ~19 MiB);
//!   a request that cannot start one within [`HASH_WAIT`] gets 503.
//! - After [`FREE_FAILURES`] failed logins of one account or from one
//!   address, further attempts are refused with 429 for a time that doubles
//!   with every further failure (from 1 s up to [`MAX_LOCK`]); a success
//!   clears the account's and the address's count.
//! - A Basic credential that was verified is remembered for [`BASIC_TTL`]
//!   under a keyed hash of the credential (never the password itself); the
//!   entry counts only while the account's stamp is unchanged.

use crate::accounts::{Account, Accounts, Role};
use crate::error::Result;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Semaphore;

/// Password checks at once.
pub const HASHING: usize = 2;
/// How long a login waits for a free password check before 503.
pub const HASH_WAIT: Duration = Duration::from_secs(2);
/// Failed attempts before throttling starts.
pub const FREE_FAILURES: u32 = 5;
/// The longest lock after failed attempts.
pub const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Failures are forgotten after this long without one.
const FORGET: Duration = Duration::from_secs(30 * 60);
/// How long a verified Basic credential is trusted without a new check.
pub const BASIC_TTL: Duration = Duration::from_secs(60);
/// Most entries kept in the failure and Basic tables.
const MAX_ENTRIES: usize = 10_000;

/// A stamp of an account: changes with its role, password and status.
pub fn stamp(account: &Account) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    account.hash(&mut h);
    h.finish()
}

/// The accounts, reread only when the users file changed.
#[derive(Debug, Default)]
pub struct AccountCache {
    cached: Mutex<Option<(FileStamp, Arc<Accounts>)>>,
}

type FileStamp = (u64, Option<SystemTime>, u64);

fn file_stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok(), inode))
}

impl AccountCache {
    /// The accounts as the users file holds them now.
    pub fn get(&self, path: &Path) -> Result<Arc<Accounts>> {
        let now = file_stamp(path);
        if let Ok(cached) = self.cached.lock() {
            if let (Some(now), Some((seen, accounts))) = (now, cached.as_ref()) {
                if *seen == now {
                    return Ok(accounts.clone());
                }
            }
        }
        let accounts = Arc::new(Accounts::load(path)?);
        if let (Some(now), Ok(mut cached)) = (now, self.cached.lock()) {
            *cached = Some((now, accounts.clone()));
        }
        Ok(accounts)
    }

    /// The role of an account that is active and still has `stamp`.
    pub fn current(&self, path: &Path, name: &str, stamp_then: u64) -> Option<Role> {
        let accounts = self.get(path).ok()?;
        let account = accounts.get(name)?;
        (!account.disabled && stamp(account) == stamp_then).then_some(account.role)
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    until: Option<Instant>,
}

/// Why a login could not even be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures: wait this many seconds (429).
    Throttled(u64),
    /// Too many logins at once (503).
    Busy,
}

type Job = Box<dyn FnOnce() + Send>;

std::thread_local! {
    /// The argon2 working memory of a password thread, reused by each check.
    static MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with the current thread's argon2 working memory.
pub fn with_memory<T>(f: impl FnOnce(&mut Vec<argon2::Block>) -> T) -> T {
    MEMORY.with(|m| f(&mut m.borrow_mut()))
}

/// [`HASHING`] threads that do nothing but check passwords. Always the same
/// threads: each keeps one argon2 working memory in its allocator arena,
/// where changing threads of the blocking pool would each keep their own.
#[derive(Debug)]
struct HashPool {
    jobs: Mutex<std::sync::mpsc::Sender<Job>>,
}

impl HashPool {
    fn new() -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..HASHING {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("lotse-passwort-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
        }
        HashPool {
            jobs: Mutex::new(tx),
        }
    }
}

/// Password checks, failures and the Basic cache of a server.
#[derive(Debug)]
pub struct Logins {
    pool: HashPool,
    hashing: Semaphore,
    failures: Mutex<HashMap<String, Failures>>,
    basic: Mutex<HashMap<u64, (String, u64, Instant)>>,
    keys: RandomState,
}

impl Default for Logins {
    fn default() -> Self {
        Logins {
            pool: HashPool::new(),
            hashing: Semaphore::new(HASHING),
            failures: Mutex::new(HashMap::new()),
            basic: Mutex::new(HashMap::new()),
            keys: RandomState::new(),
        }
    }
}

fn keys_of(name: &str, client: &str) -> [String; 2] {
    [format!("u:{name}"), format!("a:{client}")]
}

impl Logins {
    /// Refuses while the account or the address is locked.
    pub fn check_throttle(&self, name: &str, client: &str) -> Result<(), Refusal> {
        let now = Instant::now();
        let map = self.failures.lock().map_err(|_| Refusal::Busy)?;
        let wait = keys_of(name, client)
            .iter()
            .filter_map(|k| map.get(k)?.until)
            .filter(|&until| until > now)
            .map(|until| until.duration_since(now))
            .max();
        match wait {
            Some(w) => Err(Refusal::Throttled(w.as_secs().max(1))),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against the account and the address.
    pub fn failed(&self, name: &str, client: &str) {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, f| now.duration_since(f.last) < FORGET);
        }
        for key in keys_of(name, client) {
            let f = map.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                until: None,
            });
            if now.duration_since(f.last) > FORGET {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
            if f.count >= FREE_FAILURES {
                let doublings = (f.count - FREE_FAILURES).min(20);
                let lock = Duration::from_secs(1u64 << doublings).min(MAX_LOCK);
                f.until = Some(now + lock);
            }
        }
    }

    /// Clears the failures of an account and an address after a success.
    pub fn succeeded(&self, name: &str, client: &str) {
        if let Ok(mut map) = self.failures.lock() {
            for key in keys_of(name, client) {
                map.remove(&key);
            }
        }
    }

    /// Runs one password check on the password threads, waiting at most
    /// [`HASH_WAIT`] for a free one (503 otherwise).
    pub async fn check<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        let permit = match tokio::time::timeout(HASH_WAIT, self.hashing.acquire()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(Refusal::Busy),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        self.pool
            .jobs
            .lock()
            .map_err(|_| Refusal::Busy)?
            .send(job)
            .map_err(|_| Refusal::Busy)?;
        let result = rx.await.map_err(|_| Refusal::Busy);
        drop(permit);
        result
    }

    fn credential_key(&self, name: &str, password: &str) -> u64 {
        let mut h = self.keys.build_hasher();
        name.hash(&mut h);
        password.hash(&mut h);
        h.finish()
    }

    /// The user of a Basic credential verified within [`BASIC_TTL`].
    pub fn cached_basic(&self, name: &str, password: &str) -> Option<(String, u64)> {
        let key = self.credential_key(name, password);
        let mut map = self.basic.lock().ok()?;
        match map.get(&key) {
            Some((user, stamp, at)) if at.elapsed() < BASIC_TTL && user == name => {
                Some((user.clone(), *stamp))
            }
            Some(_) => {
                map.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Remembers a verified Basic credential.
    pub fn remember_basic(&self, name: &str, password: &str, stamp: u64) {
        let key = self.credential_key(name, password);
        if let Ok(mut map) = self.basic.lock() {
            if map.len() >= MAX_ENTRIES {
                map.retain(|_, (_, _, at)| at.elapsed() < BASIC_TTL);
            }
            map.insert(key, (name.to_string(), stamp, Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_lock_the_account_and_the_address_with_growing_waits() {
        let l = Logins::default();
        for _ in 0..FREE_FAILURES - 1 {
            l.failed("anna", "10.0.0.1");
        }
        assert_eq!(l.check_throttle("anna", "10.0.0.1"), Ok(()));
        l.failed("anna", "10.0.0.1");
        assert_eq!(
            l.check_throttle("anna", "10.0.0.2"),
            Err(Refusal::Throttled(1))
        );
        assert_eq!(
            l.check_throttle("ben", "10.0.0.1"),
            Err(Refusal::Throttled(1))
        );
        assert_eq!(l.check_throttle("ben", "10.0.0.2"), Ok(()));
        for _ in 0..3 {
            l.failed("anna", "10.0.0.1");
        }
        assert!(matches!(
            l.check_throttle("anna", "x"),
            Err(Refusal::Throttled(s)) if (7..=8).contains(&s)
        ));
        l.succeeded("anna", "10.0.0.1");
        assert_eq!(l.check_throttle("anna", "10.0.0.1"), Ok(()));
    }

    #[test]
    fn basic_credentials_are_remembered_by_a_keyed_hash() {
        let l = Logins::default();
        assert_eq!(l.cached_basic("anna", "pw"), None);
        l.remember_basic("anna", "pw", 7);
        assert_eq!(l.cached_basic("anna", "pw"), Some(("anna".into(), 7)));
        assert_eq!(l.cached_basic("anna", "anders"), None);
        let map = l.basic.lock().unwrap();
        assert!(map.values().all(|(name, _, _)| name == "anna"));
    }
}
