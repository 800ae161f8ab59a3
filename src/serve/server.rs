//! The HTTP side of `serve`: files of the output, the 404 page, the reload
//! script and its event stream.
//!
//! One thread accepts connections and gives each a thread of its own (at
//! most [`MAX_CONNECTIONS`] at once; past that a connection is told 503 and
//! closed), which reads its requests through [`http::Connection`] (the time
//! and size limits are there) and answers them. Every request reads the
//! file from the output folder as it is at that moment: a rebuild replaces
//! each changed file in one rename, so a request gets a whole file, the old
//! or the new, and the folder itself never goes missing. HTML
//! pages get the reload script's tag as they are served (the output on
//! disk is left as built). Until a first build succeeds every page is a
//! placeholder that shows the problems and reloads once fixed.
//!
//! An event-stream client keeps its connection's thread, which writes
//! messages as they come and a comment every [`KEEPALIVE`], which is also
//! how a client that went away is noticed.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use super::http::{self, Connection, Head, Refused};
use super::paths::{self, Found, Route};
use super::reload::{self, Live};

/// How many connections are served at once (each holds a thread and a
/// socket; a browser opens about six, plus one per open page for reloads).
const MAX_CONNECTIONS: usize = 512;

/// How often an idle event stream gets a keep-alive comment.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// How long accepting pauses after it failed (too many open files).
const BACKOFF: Duration = Duration::from_millis(50);

/// What the server serves: the output folder and the live state.
pub struct Site {
    /// The output folder (replaced whole by each successful build).
    pub out: PathBuf,
    /// The current build, error and reload clients.
    pub live: Arc<Live>,
    /// Held for reading while a file is read, so that no page is read
    /// while it is written ([`crate::session::Session::output_lock`]).
    pub writing: Arc<RwLock<()>>,
}

/// Starts answering requests on `listener` in background threads.
pub fn start(listener: TcpListener, site: Site) -> Result<(), String> {
    let site = Arc::new(site);
    std::thread::Builder::new()
        .name("dossier-accept".into())
        .spawn(move || accept(&listener, &site))
        .map(drop)
        .map_err(|error| format!("cannot start the server: {error}"))
}

/// Accepts connections for as long as the process runs, each served on a
/// thread of its own.
fn accept(listener: &TcpListener, site: &Arc<Site>) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut failing = false;
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            // The client gave up before it was accepted.
            Err(error) if matches!(error.kind(), io::ErrorKind::ConnectionAborted) => continue,
            Err(error) => {
                if !failing {
                    eprintln!("warning: accepting a connection failed: {error}; serving on");
                }
                failing = true;
                std::thread::sleep(BACKOFF);
                continue;
            }
        };
        failing = false;
        let Some(slot) = Slot::take(&open) else {
            too_busy(stream);
            continue;
        };
        let site = Arc::clone(site);
        // A thread that cannot start drops the stream, closing it.
        let _ = std::thread::Builder::new()
            .name("dossier-http".into())
            .spawn(move || {
                converse(Connection::new(stream), &site);
                drop(slot);
            });
    }
}

/// One of the [`MAX_CONNECTIONS`] places, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        let taken = open.fetch_add(1, Ordering::AcqRel);
        if taken >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Tells a connection past the limit to come back later, without waiting
/// for it: the few bytes fit the socket's buffer, or are lost.
fn too_busy(stream: TcpStream) {
    let reply = Reply::text(503, "503 Service Unavailable: too many connections");
    let head = reply.head(false);
    let _ = stream.set_nonblocking(true);
    let _ = io::Write::write_all(&mut &stream, head.as_bytes());
    let _ = io::Write::write_all(&mut &stream, &reply.body);
}

/// Answers the requests of one connection until it closes.
fn converse(mut connection: Connection, site: &Site) {
    loop {
        let head = match connection.read_head() {
            Ok(head) => head,
            Err(Refused::Gone) => return,
            Err(Refused::Status(status)) => {
                let text = format!("{status} {}", http::reason(status));
                let _ = Reply::text(status, &text).send(&mut connection, false, false);
                return connection.close();
            }
        };
        let path = head.target.split(['?', '#']).next().unwrap_or_default();
        if head.method == "GET" && path == reload::EVENTS_PATH {
            return events(connection, site);
        }
        let reply = answer(&head, site);
        let head_only = head.method == "HEAD";
        if reply
            .send(&mut connection, head.keep_alive, head_only)
            .is_err()
        {
            return;
        }
        if !head.keep_alive {
            return connection.close();
        }
    }
}

/// A response body and its headers, before it is sent.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            body: body.into(),
            location: None,
        }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    fn redirect(location: String) -> Reply {
        let mut reply = Reply::text(302, &format!("see {location}"));
        reply.location = Some(location);
        reply
    }

    /// The status line and headers. The length is always given (`HEAD`
    /// included), never chunks.
    fn head(&self, keep_alive: bool) -> String {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
            self.status,
            http::reason(self.status),
            self.content_type,
            self.body.len()
        );
        if self.status == 405 {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        // A location comes from the request target (visible ASCII only) or
        // the base path; a line break in it would forge a header.
        if let Some(location) = self.location.as_ref().filter(|l| !l.contains(['\r', '\n'])) {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        let connection = if keep_alive { "keep-alive" } else { "close" };
        head.push_str(&format!("Connection: {connection}\r\n\r\n"));
        head
    }

    fn send(
        &self,
        connection: &mut Connection,
        keep_alive: bool,
        head_only: bool,
    ) -> io::Result<()> {
        let body: &[u8] = if head_only { &[] } else { &self.body };
        connection.write(&[self.head(keep_alive).as_bytes(), body])
    }
}

/// The reply to a request (other than the event stream).
fn answer(head: &Head, site: &Site) -> Reply {
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        return Reply::text(405, "405 Method Not Allowed: this server only reads");
    }
    let url = head.target.as_str();
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path == reload::EVENTS_PATH {
        Reply::new(200, "text/event-stream; charset=utf-8", "")
    } else if path == reload::SCRIPT_PATH {
        Reply::new(200, "text/javascript; charset=utf-8", reload::SCRIPT)
    } else if path.starts_with("/__dossier/") {
        Reply::text(404, "404 Not Found")
    } else {
        page(url, site)
    }
}

/// The reply for a URL of the site.
fn page(url: &str, site: &Site) -> Reply {
    let Some(current) = site.live.current() else {
        return placeholder();
    };
    let (relative, slash) = match paths::route(url, &current.base_path) {
        Route::Output { relative, slash } => (relative, slash),
        Route::Redirect(location) => return Reply::redirect(location),
        Route::NotFound => return not_found(site, &current.build),
    };
    match read(site, &relative, slash) {
        Read::File(file, bytes) => file_reply(200, &file, bytes, &current.build),
        Read::Folder => {
            let (path, query) = url.split_once('?').unwrap_or((url, ""));
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            Reply::redirect(format!("{path}/{query}"))
        }
        Read::Missing => not_found(site, &current.build),
    }
}

/// What [`read`] found in the output folder.
enum Read {
    File(PathBuf, Vec<u8>),
    Folder,
    Missing,
}

/// Finds and reads `relative` in the output folder.
fn read(site: &Site, relative: &Path, slash: bool) -> Read {
    let _reading = site.writing.read().unwrap_or_else(PoisonError::into_inner);
    match paths::find(&site.out, relative, slash) {
        Found::File(file) => match std::fs::read(&file) {
            Ok(bytes) => Read::File(file, bytes),
            Err(_) => Read::Missing,
        },
        Found::Folder => Read::Folder,
        Found::Missing => Read::Missing,
    }
}

/// A file's reply: its content type, and the reload tag if it is HTML.
fn file_reply(status: u16, file: &Path, bytes: Vec<u8>, build: &str) -> Reply {
    let content_type = content_type(file);
    let body = if content_type.starts_with("text/html") {
        reload::inject(&bytes, build)
    } else {
        bytes
    };
    Reply::new(status, content_type, body)
}

/// The site's `404.html` when it has one, else a plain message.
fn not_found(site: &Site, build: &str) -> Reply {
    if let Read::File(file, bytes) = read(site, Path::new("404.html"), false) {
        return file_reply(404, &file, bytes, build);
    }
    Reply::text(404, "404 Not Found")
}

/// What every page shows until a first build succeeds.
fn placeholder() -> Reply {
    let html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>dossier: the site did not build</title></head>\
        <body><h1>The site did not build yet</h1>\
        <p>The problems are listed in the terminal running <code>dossier serve</code>. \
        Fix them and this page reloads.</p></body></html>\n";
    Reply::new(
        503,
        "text/html; charset=utf-8",
        reload::inject(html.as_bytes(), reload::NO_BUILD),
    )
}

/// Streams reload messages to one client until it goes away.
fn events(mut connection: Connection, site: &Site) {
    let messages = site.live.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
        Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    if connection.write(&[head.as_bytes()]).is_err() {
        return;
    }
    loop {
        let text = match messages.recv_timeout(KEEPALIVE) {
            Ok(message) => message.to_event(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if connection.write(&[text.as_bytes()]).is_err() {
            return;
        }
    }
}

/// The content type for a file, by its extension.
pub fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "bib" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `request` to `address` and reads until the server closes.
    fn exchange(address: std::net::SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
        let mut reply = String::new();
        io::Read::read_to_string(&mut stream, &mut reply).unwrap();
        reply
    }

    fn empty_site() -> Site {
        Site {
            out: PathBuf::from("/nonexistent"),
            live: Arc::new(Live::new()),
            writing: Arc::default(),
        }
    }

    #[test]
    fn accepting_goes_on_after_it_fails() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        // A non-blocking socket makes every accept fail at once (the flag
        // is shared by every clone of the socket).
        let control = listener.try_clone().unwrap();
        control.set_nonblocking(true).unwrap();
        start(listener, empty_site()).unwrap();
        std::thread::sleep(BACKOFF * 4);
        control.set_nonblocking(false).unwrap();
        let reply = exchange(address, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(reply.starts_with("HTTP/1.1 503 "), "{reply}");
        assert!(reply.contains("Connection: close\r\n"), "{reply}");
    }

    #[test]
    fn one_connection_carries_pipelined_requests_until_asked_to_close() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        start(listener, empty_site()).unwrap();
        let reply = exchange(
            address,
            "GET /__dossier/reload.js HTTP/1.1\r\n\r\n\
             HEAD /__dossier/reload.js HTTP/1.1\r\n\r\n\
             POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\
             GET / HTTP/1.1\r\n\r\n",
        );
        let statuses: Vec<&str> = reply.split("HTTP/1.1 ").skip(1).map(|r| &r[..3]).collect();
        // The request after the unread body is never answered.
        assert_eq!(statuses, ["200", "200", "405"], "{reply}");
        let script = format!("Content-Length: {}\r\n", reload::SCRIPT.len());
        assert_eq!(reply.matches(&script).count(), 2, "{reply}");
        assert_eq!(reply.matches(reload::SCRIPT).count(), 1, "HEAD has no body");
        assert!(reply.ends_with(
            "Connection: close\r\n\r\n405 Method Not Allowed: this server only reads\n"
        ));
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (file, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/syntax.CSS", "text/css; charset=utf-8"),
            ("data/events.json", "application/json"),
            ("data/sources.bib", "text/plain; charset=utf-8"),
            ("feed.xml", "application/xml"),
            ("logo.svg", "image/svg+xml"),
            ("README", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), expected, "{file}");
        }
    }
}
