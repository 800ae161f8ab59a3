//! Live reload: the script served to open pages, the tag injected into
//! served HTML, and the channel that tells open pages about rebuilds.
//!
//! The script lives at `/__dossier/reload.js` and is only ever served,
//! never written into the output; pages get it by one `<script src>` tag
//! added to HTML responses as they are served (no inline code, so a strict
//! Content-Security-Policy still allows it). It listens to Server-Sent
//! Events at `/__dossier/events`: `hello` (the build being served),
//! `reload` (a rebuild succeeded) and `build-error` (a rebuild failed: the
//! diagnostics, shown in a banner while the last good site stays served).
//!
//! [`Live`] is the state open pages see: the current build (if any), the
//! current error (if any), and the connected clients. Changing the state
//! and telling the clients happen under one lock, so a page that connects
//! during a rebuild misses nothing.

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};

/// The script, served at [`SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("reload.js");

/// The script's path. dossier's own endpoints sit at the server's root
/// whatever the site's base path, so they work before the first build.
pub const SCRIPT_PATH: &str = "/__dossier/reload.js";

/// The event stream's path.
pub const EVENTS_PATH: &str = "/__dossier/events";

/// The build name pages and clients get while no build has succeeded.
pub const NO_BUILD: &str = "none";

/// Adds the reload script's tag to an HTML page: before `</head>`, else
/// before `</body>`, else at the end. `build` is the build the page comes
/// from, so a page served just before a rebuild reloads once it connects.
pub fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" defer></script>",
        attribute(build)
    );
    let at = find_ignoring_case(html, b"</head>")
        .or_else(|| find_ignoring_case(html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Escapes text for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The first position of `needle` in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// A message to open pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The build now served; sent first to every new client.
    Hello(String),
    /// A rebuild succeeded: reload.
    Reload,
    /// A rebuild failed: the diagnostics, as printed in the terminal.
    BuildError(String),
}

impl Message {
    /// The message as a Server-Sent Event (one `data:` line a text line).
    pub fn to_event(&self) -> String {
        let (name, data) = match self {
            Message::Hello(build) => ("hello", build.as_str()),
            Message::Reload => ("reload", ""),
            Message::BuildError(text) => ("build-error", text.as_str()),
        };
        let mut event = format!("event: {name}\n");
        for line in data.split('\n') {
            event.push_str("data: ");
            event.push_str(line.trim_end_matches('\r'));
            event.push('\n');
        }
        event.push('\n');
        event
    }
}

/// The served build, as pages need to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    /// Names the build (changes with every successful rebuild).
    pub build: String,
    /// The path the site is served under (`/` or `/repo/`).
    pub base_path: String,
}

#[derive(Debug, Default)]
struct State {
    current: Option<Current>,
    error: Option<String>,
    clients: Vec<Sender<Message>>,
}

/// What open pages see, and the clients to tell when it changes.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<State>,
}

impl Live {
    /// No site yet, no error, no clients.
    pub fn new() -> Live {
        Live::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the state half-changed (every
        // change is one assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The build being served, if one has succeeded yet.
    pub fn current(&self) -> Option<Current> {
        self.lock().current.clone()
    }

    /// Connects a client: its receiver, already holding the greeting (the
    /// current build, then the current error if there is one).
    pub fn subscribe(&self) -> Receiver<Message> {
        let (sender, receiver) = mpsc::channel();
        let mut state = self.lock();
        let build = state
            .current
            .as_ref()
            .map_or_else(|| NO_BUILD.to_string(), |c| c.build.clone());
        let _ = sender.send(Message::Hello(build));
        if let Some(error) = &state.error {
            let _ = sender.send(Message::BuildError(error.clone()));
        }
        state.clients.push(sender);
        receiver
    }

    /// A build succeeded: serve it, clear the error, reload open pages.
    pub fn succeeded(&self, current: Current) {
        let mut state = self.lock();
        state.current = Some(current);
        state.error = None;
        state
            .clients
            .retain(|client| client.send(Message::Reload).is_ok());
    }

    /// A build failed: keep serving the last good one and show `text` on
    /// open pages.
    pub fn failed(&self, text: String) {
        let mut state = self.lock();
        state.error = Some(text.clone());
        state
            .clients
            .retain(|client| client.send(Message::BuildError(text.clone())).is_ok());
    }

    /// How many clients are connected (those gone are noticed at the next
    /// message).
    #[cfg(test)]
    fn clients(&self) -> usize {
        self.lock().clients.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_goes_before_the_end_of_head() {
        let html = b"<html><HEAD><title>x</title></HEAD><body></body></html>";
        let out = String::from_utf8(inject(html, "7-1")).unwrap();
        assert_eq!(
            out,
            "<html><HEAD><title>x</title><script src=\"/__dossier/reload.js\" data-build=\"7-1\" defer></script></HEAD><body></body></html>"
        );
        let bare = String::from_utf8(inject(b"<p>hi", "1")).unwrap();
        assert!(bare.starts_with("<p>hi<script src=\"/__dossier/reload.js\""));
    }

    #[test]
    fn events_put_every_line_in_a_data_field() {
        assert_eq!(
            Message::BuildError("a.yaml:1:2: error\r\n  | x".into()).to_event(),
            "event: build-error\ndata: a.yaml:1:2: error\ndata:   | x\n\n"
        );
        assert_eq!(Message::Reload.to_event(), "event: reload\ndata: \n\n");
    }

    #[test]
    fn a_new_client_hears_the_current_build_and_error_then_changes() {
        let live = Live::new();
        let current = Current {
            build: "b1".into(),
            base_path: "/".into(),
        };
        live.succeeded(current.clone());
        live.failed("broken".into());
        let client = live.subscribe();
        assert_eq!(client.try_recv(), Ok(Message::Hello("b1".into())));
        assert_eq!(client.try_recv(), Ok(Message::BuildError("broken".into())));
        live.succeeded(current);
        assert_eq!(client.try_recv(), Ok(Message::Reload));
        drop(client);
        live.failed("again".into());
        assert_eq!(live.clients(), 0);
    }
}
