//! The HTTP side of `serve`: files of the output, the 404 page, the reload
//! script and its event stream.
//!
//! `tiny_http` (a small synchronous server) accepts connections; a few
//! worker threads answer requests. Every request reads the file from the
//! output folder as it is at that moment: a rebuild swaps the whole folder
//! in one rename, so a request sees the old site or the new one, never half
//! of each. HTML pages get the reload script's tag as they are served (the
//! output on disk is left as built). Until a first build succeeds every
//! page is a placeholder that shows the problems and reloads once fixed.
//!
//! Each event-stream client gets a thread of its own that writes messages
//! as they come and a comment every [`KEEPALIVE`], which is also how a
//! client that went away is noticed.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::paths::{self, Found, Route};
use super::reload::{self, Live};

/// How many threads answer requests.
const WORKERS: usize = 8;

/// How often an idle event stream gets a keep-alive comment.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// What the server serves: the output folder and the live state.
pub struct Site {
    /// The output folder (replaced whole by each successful build).
    pub out: PathBuf,
    /// The current build, error and reload clients.
    pub live: Arc<Live>,
}

/// Starts answering requests on `listener` in background threads.
pub fn start(listener: TcpListener, site: Site) -> Result<(), String> {
    let accepting = Arc::new(Accepting::new(listener)?);
    let site = Arc::new(site);
    for _ in 0..WORKERS {
        let accepting = Arc::clone(&accepting);
        let site = Arc::clone(&site);
        std::thread::spawn(move || {
            loop {
                let http = accepting.current();
                match http.recv_timeout(RECHECK) {
                    Ok(Some(request)) => handle(request, &site),
                    Ok(None) => {}
                    Err(error) => {
                        eprintln!("warning: accepting a connection failed: {error}; serving on");
                        accepting.replace(&http);
                        std::thread::sleep(RECHECK / 10);
                    }
                }
            }
        });
    }
    Ok(())
}

/// How often a worker checks that it waits on the current server.
const RECHECK: Duration = Duration::from_secs(1);

/// The socket and the `tiny_http` server accepting on it.
///
/// `tiny_http` stops accepting for good after one failed `accept` (too many
/// open files, a connection reset before it was accepted) and reports the
/// error once; a fresh server on a clone of the same socket then takes
/// over, so the site stays served.
struct Accepting {
    listener: TcpListener,
    http: Mutex<Arc<tiny_http::Server>>,
}

impl Accepting {
    fn new(listener: TcpListener) -> Result<Accepting, String> {
        let http = open(&listener)?;
        Ok(Accepting {
            listener,
            http: Mutex::new(Arc::new(http)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Arc<tiny_http::Server>> {
        self.http.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The server accepting now.
    fn current(&self) -> Arc<tiny_http::Server> {
        Arc::clone(&self.lock())
    }

    /// Replaces `broken` (unless another worker already did).
    fn replace(&self, broken: &Arc<tiny_http::Server>) {
        let mut http = self.lock();
        if Arc::ptr_eq(&http, broken)
            && let Ok(fresh) = open(&self.listener)
        {
            *http = Arc::new(fresh);
        }
    }
}

/// A `tiny_http` server accepting on a clone of `listener`.
fn open(listener: &TcpListener) -> Result<tiny_http::Server, String> {
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let cannot = |error: String| format!("cannot serve on {address}: {error}");
    let clone = listener
        .try_clone()
        .map_err(|error| cannot(error.to_string()))?;
    tiny_http::Server::from_listener(clone, None).map_err(|error| cannot(error.to_string()))
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

    fn send(self, request: Request) {
        let mut response = Response::from_data(self.body)
            .with_status_code(self.status)
            // Always send Content-Length (HEAD included), never chunks.
            .with_chunked_threshold(usize::MAX);
        let mut headers = vec![
            ("Content-Type", self.content_type.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ];
        if self.status == 405 {
            headers.push(("Allow", "GET, HEAD".to_string()));
        }
        if let Some(location) = self.location {
            headers.push(("Location", location));
        }
        for (name, value) in headers {
            if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(header);
            }
        }
        // A client that went away is no concern of ours.
        let _ = request.respond(response);
    }
}

/// Answers one request.
fn handle(request: Request, site: &Site) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return Reply::text(405, "405 Method Not Allowed: this server only reads").send(request);
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path == reload::EVENTS_PATH {
        return events(request, site);
    }
    let reply = if path == reload::SCRIPT_PATH {
        Reply::new(200, "text/javascript; charset=utf-8", reload::SCRIPT)
    } else if path.starts_with("/__dossier/") {
        Reply::text(404, "404 Not Found")
    } else {
        page(&url, site)
    };
    reply.send(request);
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
    match paths::find(&site.out, &relative, slash) {
        Found::File(file) => match std::fs::read(&file) {
            Ok(bytes) => file_reply(200, &file, bytes, &current.build),
            Err(_) => not_found(site, &current.build),
        },
        Found::Folder => {
            let (path, query) = url.split_once('?').unwrap_or((url, ""));
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            Reply::redirect(format!("{path}/{query}"))
        }
        Found::Missing => not_found(site, &current.build),
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
    if let Found::File(file) = paths::find(&site.out, Path::new("404.html"), false)
        && let Ok(bytes) = std::fs::read(&file)
    {
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
fn events(request: Request, site: &Site) {
    let messages = site.live.subscribe();
    let mut writer = request.into_writer();
    std::thread::spawn(move || {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
            Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        if writer.write_all(head.as_bytes()).is_err() {
            return;
        }
        loop {
            let text = match messages.recv_timeout(KEEPALIVE) {
                Ok(message) => message.to_event(),
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer.write_all(text.as_bytes()).is_err() || writer.flush().is_err() {
                return;
            }
        }
    });
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

    #[test]
    fn a_replaced_server_accepts_on_the_same_socket() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        // A non-blocking socket makes tiny_http's accept fail at once (the
        // flag is shared by every clone of the socket).
        let control = listener.try_clone().unwrap();
        control.set_nonblocking(true).unwrap();
        let accepting = Accepting::new(listener).unwrap();
        let broken = accepting.current();
        assert!(broken.recv_timeout(Duration::from_secs(10)).is_err());
        control.set_nonblocking(false).unwrap();
        accepting.replace(&broken);
        let fresh = accepting.current();
        assert!(!Arc::ptr_eq(&fresh, &broken));
        accepting.replace(&broken);
        assert!(Arc::ptr_eq(&fresh, &accepting.current()), "replaced once");
        drop(broken);
        let client = std::thread::spawn(move || {
            let mut stream = std::net::TcpStream::connect(address).unwrap();
            stream
                .write_all(b"GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut reply = String::new();
            std::io::Read::read_to_string(&mut stream, &mut reply).unwrap();
            reply
        });
        let request = fresh
            .recv_timeout(Duration::from_secs(10))
            .unwrap()
            .unwrap();
        assert_eq!(request.url(), "/x");
        Reply::text(200, "ok").send(request);
        assert!(client.join().unwrap().starts_with("HTTP/1.1 200"));
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
