//! Server-side sessions: a random token in an HttpOnly, SameSite=Strict
//! cookie names a session held in memory, with its user, role, CSRF token
//! and expiry. Restarting the server logs everybody out.

use crate::accounts::Role;
use base64::Engine as _;
use rand::TryRngCore;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Name of the session cookie.
pub const COOKIE: &str = "lotse_session";
/// A session ends after this long without a request …
pub const IDLE: Duration = Duration::from_secs(2 * 60 * 60);
/// … and at the latest this long after the login (a working day).
pub const ABSOLUTE: Duration = Duration::from_secs(10 * 60 * 60);

/// A logged-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub role: Role,
    /// The account's stamp at the login: when the account changes (role,
    /// password, disabled) or goes, the session ends.
    pub stamp: u64,
    /// Token that every form changing data must send back.
    pub csrf: String,
    created: Instant,
    last_seen: Instant,
}

impl Session {
    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.last_seen) > IDLE || now.duration_since(self.created) > ABSOLUTE
    }
}

/// All sessions by token.
#[derive(Debug, Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes from the operating system, URL-safe base64.
pub fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

impl Sessions {
    /// Starts a session and returns its token (`None`: no randomness available).
    pub fn start(&self, user: &str, role: Role, stamp: u64) -> Option<String> {
        let token = random_token()?;
        let csrf = random_token()?;
        let now = Instant::now();
        let mut map = self.by_token.lock().ok()?;
        map.retain(|_, s| !s.expired(now));
        map.insert(
            token.clone(),
            Session {
                user: user.to_string(),
                role,
                stamp,
                csrf,
                created: now,
                last_seen: now,
            },
        );
        Some(token)
    }

    /// The live session of a token, renewing its idle time.
    pub fn get(&self, token: &str) -> Option<Session> {
        let now = Instant::now();
        let mut map = self.by_token.lock().ok()?;
        let session = map.get_mut(token)?;
        if session.expired(now) {
            map.remove(token);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends a session.
    pub fn end(&self, token: &str) {
        if let Ok(mut map) = self.by_token.lock() {
            map.remove(token);
        }
    }
}

/// The session token from a `Cookie` header, if there is one.
pub fn token_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that stores a token.
pub fn set_cookie(token: &str) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        ABSOLUTE.as_secs()
    )
}

/// The `Set-Cookie` value that removes the cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_start_get_and_end() {
        let s = Sessions::default();
        let token = s.start("anna", Role::Advisor, 1).unwrap();
        assert_eq!(token.len(), 43);
        let got = s.get(&token).unwrap();
        assert_eq!(got.user, "anna");
        assert_ne!(got.csrf, token);
        assert!(s.get("anderes").is_none());
        s.end(&token);
        assert!(s.get(&token).is_none());
    }

    #[test]
    fn finds_the_cookie_among_others() {
        assert_eq!(
            token_from_cookies("a=1; lotse_session=abc ; b=2"),
            Some("abc")
        );
        assert_eq!(token_from_cookies("lotse_session="), None);
        assert_eq!(token_from_cookies("x_lotse_session=abc"), None);
    }
}
