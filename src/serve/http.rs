//! One HTTP/1.1 connection of the dev server: reading request heads and
//! writing responses, within limits of time and size.
//!
//! `serve` only answers `GET` and `HEAD`, so this is all the HTTP it needs:
//! a request is a head (request line and header fields), never a body, and
//! a response is written whole. It replaces `tiny_http`, which could not be
//! made to hold under abuse: it sets no socket timeouts and has no way to
//! hand it a socket we configured, reads heads of any length, gives every
//! connection a thread of its own with no bound, and drains an announced
//! request body when the request is dropped, so a few `GET`s announcing a
//! body that never comes blocked every worker, and one announcing 10^18
//! bytes aborted the process (it allocates the whole remainder at once).
//!
//! The guards here:
//! - a request's whole head must arrive within [`TIMEOUT`] of the moment
//!   the server is ready for it (the connection opened, or the previous
//!   response sent). A per-read timeout alone would not do: a client
//!   trickling one byte every few seconds (slowloris) never trips it. The
//!   same deadline closes idle keep-alive connections;
//! - a head longer than [`MAX_HEAD`] is refused (414 or 431), and a request
//!   line holding a byte no request line can hold (binary junk, a TLS
//!   handshake) is refused at once (400);
//! - a request body is never read: a request that announces one is answered
//!   and its connection closed;
//! - a response must be taken by the client within [`TIMEOUT`].

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long a client has to send a request's head, and to take a response.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The longest request head read (request line and header fields), in
/// bytes; browsers send a few hundred, Node.js allows 16 KiB too.
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a closing connection keeps reading what the client still sends
/// (see [`Connection::close`]), and how much of it.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;

/// A request, as far as `serve` reads it.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// `GET`, `HEAD`, or another method (refused by the caller).
    pub method: String,
    /// The request target as sent (visible ASCII only).
    pub target: String,
    /// Whether the connection may carry another request: false when the
    /// client asked to close, spoke HTTP/1.0 without `keep-alive`, or
    /// announced a body (which is never read).
    pub keep_alive: bool,
}

/// Why no request was read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The client closed the connection or stayed silent: nothing to say.
    Gone,
    /// A broken, oversized or unfinished request: answer with this status
    /// and close.
    Status(u16),
}

/// A client connection.
pub struct Connection {
    stream: TcpStream,
    /// Bytes read but not used yet (the start of a pipelined request).
    buffer: Vec<u8>,
}

impl Connection {
    /// Wraps an accepted stream.
    pub fn new(stream: TcpStream) -> Connection {
        // Heads and bodies go out as separate writes: without this, the
        // body would wait for the client's delayed acknowledgement.
        let _ = stream.set_nodelay(true);
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    /// Reads the next request's head, within [`TIMEOUT`].
    pub fn read_head(&mut self) -> Result<Head, Refused> {
        let deadline = Instant::now() + TIMEOUT;
        let mut from = 0;
        loop {
            if let Some(end) = head_end(&self.buffer, from) {
                let head: Vec<u8> = self.buffer.drain(..end).collect();
                return parse(&head).map_err(Refused::Status);
            }
            check_partial(&self.buffer).map_err(Refused::Status)?;
            let Some(left) = time_left(deadline) else {
                return Err(if self.buffer.is_empty() {
                    Refused::Gone
                } else {
                    Refused::Status(408)
                });
            };
            // The blank line may straddle two reads.
            from = self.buffer.len().saturating_sub(2);
            let mut chunk = [0; 4096];
            let read = self
                .stream
                .set_read_timeout(Some(left))
                .and_then(|()| self.stream.read(&mut chunk));
            match read {
                Ok(0) => return Err(Refused::Gone),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(error) if is_timeout(&error) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Refused::Gone),
            }
        }
    }

    /// Writes `parts` in order, all within [`TIMEOUT`].
    pub fn write(&mut self, parts: &[&[u8]]) -> io::Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        for part in parts {
            let mut rest = *part;
            while !rest.is_empty() {
                let left = time_left(deadline).ok_or(io::ErrorKind::TimedOut)?;
                self.stream.set_write_timeout(Some(left))?;
                match self.stream.write(rest) {
                    Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                    Ok(n) => rest = &rest[n..],
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(())
    }

    /// Closes the connection without losing the last response. Closing a
    /// socket that still has unread input resets it, and the reset can
    /// destroy the response before the client reads it; so the write side
    /// is shut first, and what the client still sends is read and dropped
    /// for a moment (at most [`LINGER`] and [`LINGER_BYTES`]).
    pub fn close(mut self) {
        if self.stream.shutdown(Shutdown::Write).is_err() {
            return;
        }
        let deadline = Instant::now() + LINGER;
        let mut budget = LINGER_BYTES;
        let mut chunk = [0; 4096];
        while let Some(left) = time_left(deadline)
            && budget > 0
        {
            let read = self
                .stream
                .set_read_timeout(Some(left))
                .and_then(|()| self.stream.read(&mut chunk));
            match read {
                Ok(0) => return,
                Ok(n) => budget = budget.saturating_sub(n),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }
}

/// The time left before `deadline`, if any.
fn time_left(deadline: Instant) -> Option<Duration> {
    Some(deadline.saturating_duration_since(Instant::now())).filter(|d| !d.is_zero())
}

/// Whether a socket error is its timeout running out.
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The end of the head (just past its blank line) if `buffer` holds one,
/// looking from `from` on. A line ends with LF, with or without a CR.
fn head_end(buffer: &[u8], from: usize) -> Option<usize> {
    (from..buffer.len())
        .filter(|&i| buffer[i] == b'\n')
        .find_map(|i| match &buffer[i + 1..] {
            [b'\n', ..] => Some(i + 2),
            [b'\r', b'\n', ..] => Some(i + 3),
            _ => None,
        })
}

/// Refuses an unfinished head as soon as it cannot become a request: a
/// request line with a byte no request line holds, or a head too long.
fn check_partial(buffer: &[u8]) -> Result<(), u16> {
    let line_end = buffer.iter().position(|&b| b == b'\n');
    let line = &buffer[..line_end.unwrap_or(buffer.len())];
    if !line
        .iter()
        .all(|&b| b == b'\r' || b == b' ' || b.is_ascii_graphic())
    {
        return Err(400);
    }
    if buffer.len() > MAX_HEAD {
        return Err(if line_end.is_some() { 431 } else { 414 });
    }
    Ok(())
}

/// Parses a complete head (its blank line included).
fn parse(head: &[u8]) -> Result<Head, u16> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .take_while(|line| !line.is_empty());
    let (method, target, minor) = request_line(lines.next().unwrap_or_default())?;
    let mut connection = Vec::new();
    let mut body = false;
    for line in lines {
        let (name, value) = field(line)?;
        if name.eq_ignore_ascii_case(b"connection") {
            connection.extend(value.split(|&b| b == b',').map(|t| t.trim_ascii()));
        } else if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(400);
            }
            body |= value.iter().any(|&b| b != b'0');
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            body = true;
        }
    }
    let asked = |token: &[u8]| connection.iter().any(|t| t.eq_ignore_ascii_case(token));
    let keep_alive = !body
        && if minor == 0 {
            asked(b"keep-alive")
        } else {
            !asked(b"close")
        };
    Ok(Head {
        method,
        target,
        keep_alive,
    })
}

/// `GET /path HTTP/1.1`: the method, the target and the minor version.
fn request_line(line: &[u8]) -> Result<(String, String, u8), u16> {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !is_token(method) || target.is_empty() || !target.iter().all(u8::is_ascii_graphic) {
        return Err(400);
    }
    let minor = match version {
        b"HTTP/1.1" => 1,
        b"HTTP/1.0" => 0,
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return Err(505);
        }
        _ => return Err(400),
    };
    // Both checked to be ASCII above.
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Ok((text(method), text(target), minor))
}

/// `Name: value`: the name and the value without surrounding blanks.
fn field(line: &[u8]) -> Result<(&[u8], &[u8]), u16> {
    let colon = line.iter().position(|&b| b == b':').ok_or(400u16)?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    // No blank before the colon, no folded line, no control character.
    let allowed = |b: &u8| *b == b'\t' || !b.is_ascii_control();
    if !is_token(name) || !value.iter().all(allowed) {
        return Err(400);
    }
    Ok((name, value.trim_ascii()))
}

/// Whether `bytes` is an HTTP token (a method or a field name).
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The reason phrase of a status the server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(method: &str, target: &str, keep_alive: bool) -> Head {
        Head {
            method: method.into(),
            target: target.into(),
            keep_alive,
        }
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nGET", 0), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\nrest", 0), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
        // Found from a later start too, when the blank line straddles reads.
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\n", 14), Some(18));
    }

    #[test]
    fn requests_parse_with_their_connection_wishes() {
        let parsed = |text: &str| parse(text.as_bytes());
        assert_eq!(
            parsed("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(head("GET", "/a?b", true))
        );
        assert_eq!(
            parsed("HEAD / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"),
            Ok(head("HEAD", "/", false))
        );
        assert_eq!(
            parsed("GET / HTTP/1.0\r\n\r\n"),
            Ok(head("GET", "/", false))
        );
        assert_eq!(
            parsed("GET / HTTP/1.0\nconnection:keep-alive\n\n"),
            Ok(head("GET", "/", true))
        );
        // A body is never read, so its connection ends after the answer.
        for body in ["Content-Length: 5", "Transfer-Encoding: chunked"] {
            let text = format!("POST / HTTP/1.1\r\n{body}\r\n\r\n");
            assert_eq!(parsed(&text), Ok(head("POST", "/", false)), "{body}");
        }
        assert_eq!(
            parsed("GET / HTTP/1.1\r\nContent-Length: 000\r\n\r\n"),
            Ok(head("GET", "/", true))
        );
    }

    #[test]
    fn broken_requests_are_refused_with_a_status() {
        for (text, status) in [
            ("\r\n\r\n", 400),
            ("GET /\r\n\r\n", 400),
            ("GET  / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1 x\r\n\r\n", 400),
            ("GET / HTTPS/1.1\r\n\r\n", 400),
            ("G(T / HTTP/1.1\r\n\r\n", 400),
            ("GET /\x7f HTTP/1.1\r\n\r\n", 400),
            ("PRI * HTTP/2.0\r\n\r\n", 505),
            ("GET / HTTP/1.1\r\nHost x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 400),
        ] {
            assert_eq!(parse(text.as_bytes()), Err(status), "{text:?}");
        }
    }

    #[test]
    fn unfinished_heads_are_refused_once_they_cannot_be_requests() {
        assert_eq!(check_partial(b"GET /a HTTP/1.1\r\nX-A: \x80"), Ok(()));
        assert_eq!(check_partial(b"\x16\x03\x01\x02\x00"), Err(400));
        assert_eq!(check_partial(b"GET /\0"), Err(400));
        let long_line = [b'a'; MAX_HEAD + 1];
        assert_eq!(check_partial(&long_line), Err(414));
        let mut long_head = b"GET / HTTP/1.1\r\n".to_vec();
        long_head.resize(MAX_HEAD + 1, b'a');
        assert_eq!(check_partial(&long_head), Err(431));
    }
}
