//! End to end in a real headless Chromium: the test starts ChromeDriver and
//! `lotse serve` (the real binary) on free ports of 127.0.0.1, creates an
//! account with `lotse user add`, then logs in, fills in the Profilingbogen
//! form, sees the new person's matches on the profile page and opens an
//! offer's shortlist with its explanations.
//!
//! A second test prints every bundled profile, a 20-candidate shortlist and
//! the allocation through the WebDriver print command and counts the pages.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`bash .ci/deps`); without
//! them the test fails and says so. With `LOTSE_SCREENSHOTS=DIR` it saves
//! screenshots of the profile and the offer page there.

mod common;

use common::{fixture, lotse};
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any single wait may take.
const PATIENCE: Duration = Duration::from_secs(30);

/// Kills a child process when dropped, so nothing outlives the test.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The full path of a program on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn require(name: &str) -> PathBuf {
    on_path(name).unwrap_or_else(|| {
        panic!(
            "`{name}` wurde nicht gefunden: der Browsertest braucht Chromium und ChromeDriver. \
             Installieren mit `bash .ci/deps` (Debian: apt-get install chromium chromium-driver)."
        )
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < PATIENCE,
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `lotse serve` on a free port; returns the guard and the address it bound.
fn start_server(data: &Path) -> (Guard, SocketAddr) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lotse"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start lotse serve");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Guard(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(PATIENCE)
        .expect("lotse serve prints its address");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (guard, addr)
}

fn start_chromedriver(driver: &Path) -> (Guard, u16) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = Guard(child);
    wait_for_port(port, "chromedriver");
    (guard, port)
}

async fn browser(chromium: &Path, driver_port: u16, profile_dir: &Path) -> Client {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile_dir.display()),
            ],
        },
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a Chromium session through chromedriver")
}

/// Waits until the browser shows a page whose path starts with `prefix`.
async fn wait_for_path(c: &Client, prefix: &str) -> String {
    let start = Instant::now();
    loop {
        let url = c.current_url().await.expect("url");
        if url.path().starts_with(prefix) {
            return format!(
                "{}{}",
                url.path(),
                url.query().map(|q| format!("?{q}")).unwrap_or_default()
            );
        }
        if start.elapsed() > PATIENCE {
            let shown = c.find(Locator::Css("main")).await.ok();
            let shown = match shown {
                Some(m) => m.text().await.unwrap_or_default(),
                None => String::new(),
            };
            panic!("still at {url}, expected {prefix}; the page shows: {shown}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn fill(c: &Client, name: &str, value: &str) {
    let field = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .expect(name);
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

async fn choose(c: &Client, name: &str, value: &str) {
    c.find(Locator::Css(&format!("select[name='{name}']")))
        .await
        .expect(name)
        .select_by_value(value)
        .await
        .expect("select");
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("LOTSE_SCREENSHOTS") {
        c.set_window_size(1280, 2400).await.expect("resize");
        let png = c.screenshot().await.expect("screenshot");
        c.set_window_size(1280, 1000).await.expect("resize");
        std::fs::write(Path::new(&dir).join(name), png).expect("write screenshot");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_create_a_profile_see_matches_and_a_shortlist() {
    let chromium = require("chromium");
    let driver = require("chromedriver");
    let data = fixture("mini");
    let added = lotse(data.path())
        .args(["user", "add", "lena", "--role", "advisor"])
        .write_stdin("lena-passwort\n")
        .output()
        .expect("lotse user add");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let (server, addr) = start_server(data.path());
    let (_driver, driver_port) = start_chromedriver(&driver);
    let browser_dir = tempfile::tempdir().expect("temp dir");
    let c = browser(&chromium, driver_port, browser_dir.path()).await;
    let result = drive(&c, addr, driver_port).await;
    let _ = c.close().await;
    result.expect("browser steps");
    stops_on_ctrl_c(server);
}

/// Ctrl-C (SIGINT) ends the server cleanly, with exit code 0.
fn stops_on_ctrl_c(mut server: Guard) {
    let pid = server.0.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let start = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            assert!(status.success(), "lotse serve ended with {status}");
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "lotse serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn drive(
    c: &Client,
    addr: SocketAddr,
    driver_port: u16,
) -> Result<(), fantoccini::error::CmdError> {
    let base = format!("http://{addr}");
    // Without a session every page leads to the login.
    c.goto(&format!("{base}/profiles")).await?;
    wait_for_path(c, "/login").await;
    fill(c, "username", "lena").await;
    fill(c, "password", "lena-passwort").await;
    c.find(Locator::Css("form.login button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/profiles").await;
    assert!(text(c, "main").await.contains("Test Koch"));

    // A new profile through the form; „Weitere Zeilen“ keeps what was typed.
    c.find(Locator::LinkText("Neues Profil"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/profiles/new").await;
    let id = c
        .find(Locator::Css("[name='id']"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(id.starts_with("P-"), "suggested id {id:?}");
    fill(c, "given_name", "Mariam").await;
    fill(c, "family_name", "Browsertest").await;
    choose(c, "german", "B1").await;
    choose(c, "residence_status", "erlaubnis").await;
    choose(c, "work_permit", "ja").await;
    fill(c, "postcode", "56068").await;
    fill(c, "municipality", "Koblenz").await;
    fill(c, "we_0_activity", "Köchin im Restaurant").await;
    fill(c, "we_0_years", "6").await;
    c.find(Locator::Css("button[value='more-we']"))
        .await?
        .click()
        .await?;
    let start = Instant::now();
    while c
        .find_all(Locator::Css("[name^='we_'][name$='_activity']"))
        .await?
        .len()
        != 5
    {
        assert!(
            start.elapsed() < PATIENCE,
            "expected one filled row, one empty, three more"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kept = c
        .find(Locator::Css("[name='we_0_activity']"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some("Köchin im Restaurant"));
    screenshot(c, "form.png").await;
    fill(c, "we_1_activity", "Kellnerin").await;
    fill(c, "we_1_years", "2,5").await;
    fill(c, "interests", "Köchin").await;
    fill(c, "sk_0_written", "Gemüse schneiden").await;
    choose(c, "sk_0_level", "4").await;
    choose(c, "sk_0_source", "Observed").await;
    choose(c, "rating_Reliability", "5").await;
    c.find(Locator::Css(".actions button[value='save']"))
        .await?
        .click()
        .await?;
    let path = wait_for_path(c, &format!("/profiles/{id}")).await;
    assert!(path.ends_with("gespeichert=1"), "{path}");

    // The profile page: the record and its matches with reasons.
    let page = text(c, "main").await;
    for expected in [
        "Gespeichert.",
        "Mariam Browsertest",
        "Köchin im Restaurant",
        "„Kellnerin“, 2,5 Jahre",
        "Passende Berufe und Angebote",
        "Einstiegsqualifizierung Koch/Köchin",
        "Fähigkeiten",
    ] {
        assert!(page.contains(expected), "profile page lacks {expected:?}");
    }
    assert!(!c.find_all(Locator::Css("table.criteria")).await?.is_empty());
    screenshot(c, "profile.png").await;
    let pages = printed_pages(c, driver_port).await;
    assert!(
        pages <= 2,
        "a profile made in the form prints on {pages} pages"
    );

    // The offer's shortlist, with the new person and the reasons of a score.
    c.find(Locator::Css("a[href='/offers/koch-eq']"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/offers/koch-eq").await;
    let page = text(c, "main").await;
    assert!(page.contains("Kandidatinnen und Kandidaten"));
    assert!(
        page.contains("Mariam Browsertest"),
        "new person on the shortlist"
    );
    let summary = c.find(Locator::Css("details.explain summary")).await?;
    summary.click().await?;
    let table = c
        .find(Locator::Css("details.explain[open] table.criteria"))
        .await?;
    assert!(table.text().await?.contains("Gewicht"));
    screenshot(c, "offer.png").await;

    // The allocation of all places.
    c.find(Locator::LinkText("Zuteilung"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/batch").await;
    assert!(text(c, "main").await.contains("Zuteilung aller Plätze"));
    screenshot(c, "batch.png").await;

    // Logging out ends the session.
    c.find(Locator::Css("form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/login").await;
    c.goto(&format!("{base}/profiles/{id}")).await?;
    wait_for_path(c, "/login").await;
    Ok(())
}

/// Prints the page the browser shows through WebDriver's print command
/// (`POST /session/{id}/print`, A4, which fantoccini does not wrap) and
/// counts the pages of the PDF (its `/Type /Page` objects).
async fn printed_pages(c: &Client, driver_port: u16) -> usize {
    use base64::Engine as _;
    use http_body_util::{BodyExt, Full};
    let session = c.session_id().await.expect("session").expect("session id");
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<axum::body::Bytes>>();
    let body = serde_json::json!({
        "page": { "width": 21.0, "height": 29.7 },
        "background": true,
    })
    .to_string();
    let req = axum::http::Request::post(format!(
        "http://127.0.0.1:{driver_port}/session/{session}/print"
    ))
    .header("content-type", "application/json")
    .body(Full::new(axum::body::Bytes::from(body)))
    .expect("print request");
    let res = client.request(req).await.expect("print answer");
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&bytes).expect("print JSON");
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(json["value"].as_str().expect("base64 PDF"))
        .expect("PDF");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    count_pages(&pdf)
}

fn count_pages(pdf: &[u8]) -> usize {
    let mut n = 0;
    for needle in [&b"/Type /Page"[..], &b"/Type/Page"[..]] {
        n += pdf
            .windows(needle.len() + 1)
            .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
            .count();
    }
    n
}

#[test]
fn pages_are_counted_in_a_pdf() {
    let pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page /Parent 1 0 R>>\n3 0 obj <</Type/Page>>";
    assert_eq!(count_pages(pdf), 2);
}

/// On paper: every bundled profile fits on two A4 pages, a shortlist of 20
/// candidates on two, and the allocation prints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_and_shortlists_print_on_few_pages() {
    let chromium = require("chromium");
    let driver = require("chromedriver");
    let data = fixture("bundled");
    let added = lotse(data.path())
        .args(["user", "add", "lena", "--role", "advisor"])
        .write_stdin("lena-passwort\n")
        .output()
        .expect("lotse user add");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let ids: Vec<String> = std::fs::read_dir(data.path().join("profiles"))
        .expect("profiles")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "ron").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    assert!(ids.len() > 50, "the bundled data has its profiles");
    let (_server, addr) = start_server(data.path());
    let (_driver, driver_port) = start_chromedriver(&driver);
    let browser_dir = tempfile::tempdir().expect("temp dir");
    let c = browser(&chromium, driver_port, browser_dir.path()).await;
    let result = print_all(&c, addr, driver_port, &ids).await;
    let _ = c.close().await;
    result.expect("browser steps");
}

async fn print_all(
    c: &Client,
    addr: SocketAddr,
    driver_port: u16,
    ids: &[String],
) -> Result<(), fantoccini::error::CmdError> {
    let base = format!("http://{addr}");
    c.goto(&format!("{base}/login")).await?;
    fill(c, "username", "lena").await;
    fill(c, "password", "lena-passwort").await;
    c.find(Locator::Css("form.login button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/profiles").await;
    let mut most = (0, String::new());
    for id in ids {
        c.goto(&format!("{base}/profiles/{id}")).await?;
        wait_for_path(c, &format!("/profiles/{id}")).await;
        let pages = printed_pages(c, driver_port).await;
        assert!(pages >= 1);
        if pages > most.0 {
            most = (pages, id.clone());
        }
    }
    eprintln!("Profile: höchstens {} Seite(n) ({})", most.0, most.1);
    assert!(most.0 <= 2, "profile {} prints on {} pages", most.1, most.0);
    c.goto(&format!(
        "{base}/offers/koch-stelle-betriebsrestaurant-koblenz?top=20"
    ))
    .await?;
    wait_for_path(c, "/offers/").await;
    let rows = c
        .find_all(Locator::Css("table.shortlist > tbody > tr"))
        .await?
        .len();
    assert!(rows >= 20, "{rows} candidates");
    let pages = printed_pages(c, driver_port).await;
    eprintln!("Kandidatenliste mit {rows} Personen: {pages} Seite(n)");
    assert!(pages <= 2, "a shortlist of 20 prints on {pages} pages");
    c.goto(&format!("{base}/batch")).await?;
    wait_for_path(c, "/batch").await;
    let pages = printed_pages(c, driver_port).await;
    eprintln!("Zuteilung: {pages} Seite(n)");
    assert!(pages >= 1);
    Ok(())
}
