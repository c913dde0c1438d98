//! The real server binary for tests: started on a free port, spoken to
//! with plain HTTP/1.1 over TCP, and a logged-in browser with its cookie
//! and CSRF token.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

pub const ADMIN: (&str, &str) = ("anna", "admin-passwort");

/// A running `lotse serve` on a free port.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(data: &Path) -> Server {
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

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn kill(&mut self) {
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
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> Answer {
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

pub fn parse(raw: &[u8]) -> Answer {
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
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut body: &str) -> String {
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

pub fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A logged-in browser.
pub struct Browser {
    pub addr: String,
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub fn login(addr: &str, (user, password): (&str, &str)) -> Browser {
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

    pub fn get(&self, path: &str) -> Answer {
        http(&self.addr, "GET", path, Some(&self.cookie), None)
    }

    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
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
    pub fn create(&self, id: &str, given: &str, family: &str) -> Answer {
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
    pub fn edit_notes(&self, id: &str, notes: &str) -> Answer {
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
    pub fn search(&self, q: &str) -> Vec<String> {
        let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let page = self.get(&format!("/profiles?q={q}"));
        assert_eq!(page.status, 200, "{}", page.body);
        linked_ids(&page.body)
    }
}

/// The filled inputs of a form page (text inputs, hidden fields, textareas,
/// selected options), enough to send the form back unchanged.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
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

pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Ids in links `/profiles/ID` of a page, in order, once each.
pub fn linked_ids(html: &str) -> Vec<String> {
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
