//! Logins against the real server process: a flood of parallel wrong
//! logins stays within a small, bounded memory (measured from the server's
//! `/proc/PID/status`), and HTTP Basic on the API is verified once and then
//! served at a rate no per-request password hash would allow.
#![cfg(target_os = "linux")]

mod common;
mod process;

use common::{fixture, lotse};
use process::{parse, Server, ADMIN};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// A field of `/proc/PID/status` in KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("{field} not in /proc/{pid}/status"))
}

fn add_admin(data: &Path) {
    let add = lotse(data)
        .args(["user", "add", ADMIN.0, "--role", "admin"])
        .write_stdin(format!("{}\n", ADMIN.1))
        .output()
        .unwrap();
    assert!(add.status.success(), "{add:?}");
}

fn request(addr: &str, head: &str, body: &str) -> process::Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let req = format!(
        "{head}Host: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

#[test]
fn a_flood_of_parallel_logins_leaves_memory_bounded() {
    let dir = fixture("mini");
    add_admin(dir.path());
    let server = Server::start(dir.path());
    let pid = server.pid();
    // One right login first, so that everything lazily set up is set up.
    let body = "username=anna&password=admin-passwort";
    let head = "POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n";
    assert_eq!(request(&server.addr, head, body).status, 303);
    let before = status_kib(pid, "VmRSS:");
    let threads: Vec<_> = (0..64)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                // Many names and no account needed: nothing to throttle per account.
                let body = format!("username=niemand{i}&password=falsch-{i}");
                request(&addr, head, &body).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let peak = status_kib(pid, "VmHWM:");
    let after = status_kib(pid, "VmRSS:");
    let growth_mib = peak.saturating_sub(before) / 1024;
    eprintln!(
        "64 parallele Anmeldungen: RSS vorher {} MiB, Spitze {} MiB, danach {} MiB; Antworten {:?}",
        before / 1024,
        peak / 1024,
        after / 1024,
        {
            let mut s = statuses.clone();
            s.sort();
            s.dedup();
            s
        }
    );
    assert!(growth_mib < 200, "memory grew by {growth_mib} MiB");
    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&401), "some were checked: {statuses:?}");
}

#[test]
fn http_basic_is_verified_once_and_then_served_fast() {
    let dir = fixture("mini");
    add_admin(dir.path());
    let server = Server::start(dir.path());
    use base64::Engine as _;
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", ADMIN.0, ADMIN.1));
    let head =
        format!("GET /api/offers/koch-eq/shortlist HTTP/1.1\r\nAuthorization: Basic {token}\r\n");
    let first = request(&server.addr, &head, "");
    assert_eq!(first.status, 200, "{}", first.body);
    let seconds = 3.0;
    let started = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (addr, head) = (server.addr.clone(), head.clone());
            std::thread::spawn(move || {
                let mut n = 0u32;
                while started.elapsed().as_secs_f64() < seconds {
                    assert_eq!(request(&addr, &head, "").status, 200);
                    n += 1;
                }
                n
            })
        })
        .collect();
    let total: u32 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let rate = f64::from(total) / started.elapsed().as_secs_f64();
    eprintln!("HTTP Basic: {total} Anfragen, {rate:.0} Anfragen/s (4 Verbindungen nacheinander)");
    // One argon2 check takes tens of milliseconds: at 2 at a time that
    // would be at most ~40 per second.
    assert!(rate >= 100.0, "{rate:.0} requests/s");
    // A wrong password is still checked (and refused), not taken from the cache.
    let wrong = base64::engine::general_purpose::STANDARD.encode(format!("{}:falsch", ADMIN.0));
    let head =
        format!("GET /api/offers/koch-eq/shortlist HTTP/1.1\r\nAuthorization: Basic {wrong}\r\n");
    assert_eq!(request(&server.addr, &head, "").status, 401);
}
