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

use common::{fixture, lotse, run};
use lotse::audit::{self, Action};
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const ADMIN: (&str, &str) = ("anna", "admin-passwort");

/// A running `lotse serve` on a free port.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lotse"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("server line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An answer: status, headers (lower-cased names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection.
fn http(addr: &str, method: &str, path: &str, cookie: Option<&str>, form: Option<&str>) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    let body = form.unwrap_or("");
    if form.is_some() {
        req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_string() };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A logged-in browser.
struct Browser {
    addr: String,
    cookie: String,
    csrf: String,
}

impl Browser {
    fn login(addr: &str, (user, password): (&str, &str)) -> Browser {
        let a = http(
            addr,
            "POST",
            "/login",
            None,
            Some(&encode(&[("username", user), ("password", password)])),
        );
        assert_eq!(a.status, 303, "login: {}", a.body);
        let cookie = a
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("cookie")
            .to_string();
        let page = http(addr, "GET", "/profiles", Some(&cookie), None);
        let csrf = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf token")
            .to_string();
        Browser {
            addr: addr.to_string(),
            cookie,
            csrf,
        }
    }

    fn get(&self, path: &str) -> Answer {
        http(&self.addr, "GET", path, Some(&self.cookie), None)
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        http(
            &self.addr,
            "POST",
            path,
            Some(&self.cookie),
            Some(&encode(&all)),
        )
    }

    /// Saves a new profile through the form.
    fn create(&self, id: &str, given: &str, family: &str) -> Answer {
        self.post(
            "/profiles/new",
            &[
                ("id", id),
                ("given_name", given),
                ("family_name", family),
                ("action", "save"),
            ],
        )
    }

    /// Opens a profile's form and saves it with new notes.
    fn edit_notes(&self, id: &str, notes: &str) -> Answer {
        let form = self.get(&format!("/profiles/{id}/edit"));
        assert_eq!(form.status, 200, "{id}: {}", form.body);
        let mut fields = form_fields(&form.body);
        fields.retain(|(k, _)| k != "notes" && k != "csrf" && k != "action");
        fields.push(("notes".into(), notes.into()));
        fields.push(("action".into(), "save".into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(&format!("/profiles/{id}/edit"), &pairs)
    }

    /// The profile ids the web list shows for a search.
    fn search(&self, q: &str) -> Vec<String> {
        let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let page = self.get(&format!("/profiles?q={q}"));
        assert_eq!(page.status, 200, "{}", page.body);
        linked_ids(&page.body)
    }
}

/// The filled inputs of a form page (text inputs, hidden fields, textareas,
/// selected options), enough to send the form back unchanged.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let start = tag.find(&key)? + key.len();
        Some(unescape(&tag[start..start + tag[start..].find('"')?]))
    };
    let mut out = Vec::new();
    for part in html.split("<input").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.contains("disabled") {
            continue;
        }
        let (Some(name), value) = (attr(tag, "name"), attr(tag, "value")) else {
            continue;
        };
        let kind = attr(tag, "type").unwrap_or_default();
        if (kind == "checkbox" || kind == "radio") && !tag.contains("checked") {
            continue;
        }
        out.push((name, value.unwrap_or_default()));
    }
    for part in html.split("<textarea").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if let Some(name) = attr(tag, "name") {
            let inner = &part[tag.len() + 1..];
            let text = &inner[..inner.find("</textarea>").unwrap_or(0)];
            out.push((name, unescape(text)));
        }
    }
    for part in html.split("<select").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let body = &part[..part.find("</select>").unwrap_or(part.len())];
        if let Some(opt) = body.split("<option").find(|o| o.contains("selected")) {
            let t = &opt[..opt.find('>').unwrap_or(opt.len())];
            out.push((name, attr(t, "value").unwrap_or_default()));
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Ids in links `/profiles/ID` of a page, in order, once each.
fn linked_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for part in html.split("href=\"/profiles/").skip(1) {
        let id: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if !id.is_empty() && id != "new" && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

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
        killed_count += killed(data, &["import", "profiles", file.to_str().unwrap()], wait) as usize;
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
