//! One data folder, many hands: the real server binary and the real
//! command line on one folder. Commands delete, import and index while the
//! server serves, with web saves before and after; then processes are
//! killed (SIGKILL) at random points of deletion, import, index rebuild and
//! web save, over a bounded, seeded number of rounds. After each: no erased
//! person in any file of the folder, the web or the command line; every
//! imported person found; every search hit the right person; every record
//! whole; the audit log complete.
#![cfg(unix)]

mod common;
mod process;

use common::{fixture, lotse, run};
use lotse::audit::{self, Action};
use process::{encode, form_fields, http, Browser, Server, ADMIN};
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Every file under `dir` whose bytes contain `needle` (case-insensitive).
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let needle = needle.to_lowercase().into_bytes();
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let lower = bytes.to_ascii_lowercase();
                if lower.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// Leftovers of interrupted writers anywhere in the folder.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let bad = name.contains(".tmp-")
                || name.contains(".old-")
                || name.ends_with(".erasing")
                || (name.starts_with(".lotse-") && name.ends_with(".tmp"));
            if bad {
                found.push(path.clone());
            }
            if path.is_dir() && name != ".lotse-index" {
                stack.push(path);
            }
        }
    }
    found
}

/// `lotse search NAME` (a command: it recovers first) gives these ids.
fn cli_search(data: &Path, q: &str) -> Vec<String> {
    let (code, out, err) = run(data, &["search", q, "--top", "50"]);
    assert_eq!(code, 0, "search {q}: {err}");
    out.lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.contains('-'))
        .map(str::to_string)
        .collect()
}

fn setup() -> (tempfile::TempDir, Server, Browser) {
    let dir = fixture("mini");
    let add = lotse(dir.path())
        .args(["user", "add", ADMIN.0, "--role", "admin"])
        .write_stdin(format!("{}\n", ADMIN.1))
        .output()
        .unwrap();
    assert!(add.status.success(), "{add:?}");
    let server = Server::start(dir.path());
    let browser = Browser::login(&server.addr, ADMIN);
    (dir, server, browser)
}

/// Unique family names: ten random letters, so that no two are within
/// the search's typo tolerance and nobody in the fixture is called so.
fn family(i: usize) -> String {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(i as u64 ^ 0x5eed);
    let mut name: String = (0..10)
        .map(|_| char::from(b'a' + rng.random_range(0..26u8)))
        .collect();
    name[..1].make_ascii_uppercase();
    name
}

fn import_file(dir: &Path, first: usize, n: usize) -> PathBuf {
    let mut csv = String::from("id,given_name,family_name,german_level\n");
    for i in first..first + n {
        csv.push_str(&format!("I-{i:04},Imke,{},B1\n", family(i)));
    }
    let path = dir.parent().unwrap().join(format!(
        "{}-import-{first}.csv",
        dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, csv).unwrap();
    path
}

fn assert_found(data: &Path, browser: &Browser, id: &str, name: &str) {
    let cli = cli_search(data, name);
    assert_eq!(cli, [id], "CLI search for {name}");
    assert_eq!(browser.search(name), [id], "web search for {name}");
}

fn assert_gone(data: &Path, browser: &Browser, id: &str, name: &str) {
    assert!(
        files_containing(data, name).is_empty(),
        "{name} ({id}) still in {:?}",
        files_containing(data, name)
    );
    assert!(cli_search(data, name).is_empty(), "CLI finds {name}");
    assert!(browser.search(name).is_empty(), "web finds {name}");
    assert_eq!(browser.get(&format!("/profiles/{id}")).status, 404);
    let (code, _, _) = run(data, &["match", "--profile", id]);
    assert_ne!(code, 0, "lotse match still knows {id}");
}

fn every_record_whole(data: &Path) {
    let (code, out, err) = run(data, &["validate"]);
    assert_eq!(code, 0, "validate: {out}{err}");
}

#[test]
fn commands_and_the_server_share_a_folder() {
    let (dir, server, web) = setup();
    let data = dir.path();
    let audit_path = data.join("audit.jsonl");

    // A web save before any command.
    assert_eq!(web.create("W-0001", "Wilma", &family(500)).status, 303);
    assert_found(data, &web, "W-0001", &family(500));

    // Import while the server serves, then a web save at once.
    let file = import_file(data, 0, 5);
    let (code, _, err) = run(data, &["import", "profiles", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_file(&file);
    assert_eq!(web.edit_notes("W-0001", "nach dem Import").status, 303);
    for i in 0..5 {
        assert_found(data, &web, &format!("I-{i:04}"), &family(i));
    }

    // Delete while the server serves, then a web save at once.
    let (code, _, err) = run(data, &["delete", "--profile", "I-0002"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(web.edit_notes("W-0001", "nach dem Löschen").status, 303);
    assert_eq!(web.create("W-0002", "Walter", &family(501)).status, 303);
    assert_gone(data, &web, "I-0002", &family(2));

    // Rebuild the index while the server serves, then a web save.
    let (code, _, err) = run(data, &["index"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(web.edit_notes("W-0002", "nach dem Index").status, 303);
    for (id, name) in [
        ("I-0000".to_string(), family(0)),
        ("I-0004".to_string(), family(4)),
        ("W-0001".to_string(), family(500)),
        ("W-0002".to_string(), family(501)),
    ] {
        assert_found(data, &web, &id, &name);
    }
    assert_gone(data, &web, "I-0002", &family(2));

    // The id of the erased person is not offered again.
    let form = web.get("/profiles/new");
    assert!(!form.body.contains("value=\"I-0002\""));
    let reuse = web.create("I-0002", "Neu", "Jemand");
    assert_eq!(reuse.status, 422, "{}", reuse.body);
    assert!(reuse.body.contains("schon vergeben"), "{}", reuse.body);

    every_record_whole(data);
    assert!(leftovers(data).is_empty(), "{:?}", leftovers(data));
    let log = audit::read(&audit_path).unwrap();
    let has = |action: Action, id: &str| log.iter().any(|e| e.action == action && e.profile == id);
    assert!(has(Action::Create, "W-0001") && has(Action::Update, "W-0001"));
    assert!(has(Action::Create, "I-0004"), "import audited");
    assert!(has(Action::Delete, "I-0002"));
    assert!(log
        .iter()
        .any(|e| e.action == Action::Delete && e.user.starts_with("cli:")));
    drop(server);
}

/// Runs a command and kills it with SIGKILL after `after`.
fn killed(data: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lotse"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    !finished
}

#[test]
fn sigkill_at_random_points_leaves_a_whole_folder() {
    let seed: u64 = std::env::var("LOTSE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261201);
    let rounds: usize = std::env::var("LOTSE_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let started = Instant::now();
    let (dir, mut server, mut web) = setup();
    let data = dir.path().to_path_buf();
    let data = data.as_path();
    // How long a command takes here, to kill it anywhere within that time.
    let t = Instant::now();
    run(data, &["index"]);
    let span = t.elapsed().as_millis() as u64 + 50;
    let mut next = 100;
    let mut imported: Vec<(String, String)> = Vec::new();
    let mut erased: Vec<(String, String)> = Vec::new();
    let mut killed_count = 0;
    for round in 0..rounds {
        // Import, killed somewhere; afterwards all or none of the rows are in.
        let file = import_file(data, next, 4);
        let ids: Vec<(String, String)> = (next..next + 4)
            .map(|i| (format!("I-{i:04}"), family(i)))
            .collect();
        next += 4;
        let wait = Duration::from_millis(rng.random_range(0..span));
        killed_count +=
            killed(data, &["import", "profiles", file.to_str().unwrap()], wait) as usize;
        let present: Vec<bool> = ids
            .iter()
            .map(|(id, _)| data.join(format!("profiles/{id}.ron")).exists())
            .collect();
        // The next command completes what the journal holds.
        every_record_whole(data);
        let present_after: Vec<bool> = ids
            .iter()
            .map(|(id, _)| data.join(format!("profiles/{id}.ron")).exists())
            .collect();
        assert!(
            present_after.iter().all(|&p| p) || present_after.iter().all(|&p| !p),
            "round {round}: import half done: {present:?} → {present_after:?}"
        );
        if !present_after[0] {
            let (code, _, err) = run(data, &["import", "profiles", file.to_str().unwrap()]);
            assert_eq!(code, 0, "round {round}: import again: {err}");
        }
        imported.extend(ids);
        let _ = std::fs::remove_file(&file);

        // Delete, killed somewhere; then, if the record is still there,
        // delete again. The person is gone everywhere afterwards.
        let (victim, name) = imported.remove(rng.random_range(0..imported.len()));
        let wait = Duration::from_millis(rng.random_range(0..span));
        killed_count += killed(data, &["delete", "--profile", &victim], wait) as usize;
        every_record_whole(data);
        if data.join(format!("profiles/{victim}.ron")).exists() {
            let (code, _, err) = run(data, &["delete", "--profile", &victim]);
            assert_eq!(code, 0, "round {round}: delete again: {err}");
        }
        erased.push((victim, name));

        // Index rebuild, killed somewhere.
        let wait = Duration::from_millis(rng.random_range(0..span));
        killed_count += killed(data, &["index"], wait) as usize;

        // A web save, with the server killed somewhere during it.
        let (id, _) = imported[rng.random_range(0..imported.len())].clone();
        let note = format!("Runde {round}");
        let form = web.get(&format!("/profiles/{id}/edit"));
        assert_eq!(form.status, 200, "{}", form.body);
        let mut fields = form_fields(&form.body);
        fields.retain(|(k, _)| k != "notes" && k != "csrf" && k != "action");
        fields.push(("notes".into(), note.clone()));
        fields.push(("action".into(), "save".into()));
        fields.push(("csrf".into(), web.csrf.clone()));
        let body = encode(
            &fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        );
        let (addr, cookie) = (web.addr.clone(), web.cookie.clone());
        let path = format!("/profiles/{id}/edit");
        let saver =
            std::thread::spawn(move || http(&addr, "POST", &path, Some(&cookie), Some(&body)));
        std::thread::sleep(Duration::from_millis(rng.random_range(0..60)));
        server.kill();
        let _ = saver.join();
        let record = std::fs::read_to_string(data.join(format!("profiles/{id}.ron"))).unwrap();
        if record.contains(&note) {
            let log = audit::read(&data.join("audit.jsonl")).unwrap();
            assert!(
                log.iter()
                    .any(|e| e.action == Action::Update && e.profile == id),
                "round {round}: a saved change without its audit entry"
            );
        }
        server = Server::start(data);
        web = Browser::login(&server.addr, ADMIN);

        // After each round: the folder is whole and true.
        every_record_whole(data);
        assert!(
            leftovers(data).is_empty(),
            "round {round}: {:?}",
            leftovers(data)
        );
        for (id, name) in &erased {
            assert_gone(data, &web, id, name);
        }
        for (id, name) in &imported {
            assert_found(data, &web, id, name);
        }
        let log = audit::read(&data.join("audit.jsonl")).unwrap();
        for (id, _) in &erased {
            assert!(
                log.iter()
                    .any(|e| e.action == Action::Delete && &e.profile == id),
                "round {round}: the deletion of {id} is not in the audit log"
            );
        }
        for (id, _) in &imported {
            assert!(
                log.iter()
                    .any(|e| e.action == Action::Create && &e.profile == id),
                "round {round}: the import of {id} is not in the audit log"
            );
        }
    }
    eprintln!(
        "{rounds} Runden (Seed {seed}), {killed_count} Befehle mitten im Lauf beendet, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let _ = server.pid();
}

#[test]
fn a_writer_that_must_wait_says_so_and_gives_up_in_time() {
    use fs4::fs_std::FileExt;
    let dir = fixture("mini");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".lotse.lock"))
        .unwrap();
    assert!(FileExt::try_lock_exclusive(&lock).unwrap());
    let started = Instant::now();
    let out = lotse(dir.path())
        .env("LOTSE_LOCK_TIMEOUT", "1")
        .args(["delete", "--profile", "T-COOK"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Warte auf einen anderen Schreibvorgang im Datenordner"),
        "{err}"
    );
    assert!(err.contains("belegt"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(dir.path().join("profiles/T-COOK.ron").exists());
    // Once the other writer is done, the command goes through.
    FileExt::unlock(&lock).unwrap();
    let (code, _, err) = run(dir.path(), &["delete", "--profile", "T-COOK"]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.path().join("profiles/T-COOK.ron").exists());
}
