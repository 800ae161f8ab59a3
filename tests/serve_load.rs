//! `dossier serve` under load and abuse: the binary on an ephemeral
//! loopback port, many plain `TcpStream` clients at once, clients that
//! trickle bytes and never finish, junk that is not HTTP, and encoded paths
//! that try to leave the output folder.
//!
//! The tests run one at a time (they measure time on a shared machine) and
//! print their figures with `eprintln!` (see them with `--nocapture`).

#![cfg(unix)]

mod common;
mod served;

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::site_copy;
use served::{EVENT, Reply, Serve, TITLE, WAIT, header, save};

/// The server's limit for a request's head to arrive (`serve/http.rs`).
const SERVER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long past [`SERVER_TIMEOUT`] the server may take to act on it.
const MARGIN: Duration = Duration::from_secs(5);
/// How long a page may take while the server is under attack.
const PROMPT: Duration = Duration::from_secs(2);

/// Runs the tests of this file one at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads one response, its body delimited by its `Content-Length`.
fn read_reply(reader: &mut impl BufRead) -> io::Result<Reply> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            let message = format!("closed after {} bytes of head", head.len());
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, message));
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let broken = || io::Error::other(format!("a broken head: {head:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    let length = header(&head, "content-length").and_then(|l| l.parse().ok());
    let (Some(status), Some(length)) = (status, length) else {
        return Err(broken());
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Reply { status, head, body })
}

/// Opens a connection with generous timeouts.
fn connect(port: u16) -> io::Result<BufReader<TcpStream>> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_write_timeout(Some(WAIT))?;
    Ok(BufReader::new(stream))
}

/// Sends a `GET` on `connection` and reads the response.
fn get_on(connection: &mut BufReader<TcpStream>, path: &str, close: bool) -> io::Result<Reply> {
    let wish = if close { "close" } else { "keep-alive" };
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: {wish}\r\n\r\n");
    connection.get_mut().write_all(request.as_bytes())?;
    read_reply(connection)
}

/// One `GET` on a fresh connection.
fn get(port: u16, path: &str) -> Reply {
    let mut connection = connect(port).unwrap();
    get_on(&mut connection, path, true).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// The `p`th percentile of sorted durations, in milliseconds.
fn percentile(sorted: &[Duration], p: usize) -> f64 {
    let i = (sorted.len() * p / 100).min(sorted.len().saturating_sub(1));
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// What the load test asks for, and the status each must get.
const PAGES: [(&str, u16); 6] = [
    ("/", 200),
    ("/events/attack-on-sdf-hq/", 200),
    ("/actors/sdf/", 200),
    ("/assets/style.css", 200),
    ("/timeline/2018/events-1.json", 200),
    ("/nothing/here/", 404),
];
const CLIENTS: usize = 200;
const LOAD_FOR: Duration = Duration::from_secs(10);

/// What one load client saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: Vec<String>,
}

/// Asks for the pages in turn until `until`, on one keep-alive connection
/// or a fresh connection each time; every reply must be complete, with the
/// right status and one of the bodies the site can have.
fn load_client(
    port: u16,
    first: usize,
    keep_alive: bool,
    until: Instant,
    bodies: &Bodies,
) -> Tally {
    let mut tally = Tally::default();
    let mut connection = None;
    for n in first.. {
        if Instant::now() >= until {
            break;
        }
        let (path, status) = PAGES[n % PAGES.len()];
        let started = Instant::now();
        let reply = match connection.take() {
            Some(open) => Ok(open),
            None => connect(port),
        }
        .and_then(|mut open| {
            let reply = get_on(&mut open, path, !keep_alive)?;
            if keep_alive {
                connection = Some(open);
            }
            Ok(reply)
        });
        tally.latencies.push(started.elapsed());
        match reply {
            Err(error) => tally.errors.push(format!("{path}: {error}")),
            Ok(reply) if reply.status != status => {
                tally
                    .errors
                    .push(format!("{path}: {} {}", reply.status, reply.head));
            }
            Ok(reply) if !bodies[n % PAGES.len()].contains(&reply.page()) => {
                let length = reply.body.len();
                tally
                    .errors
                    .push(format!("{path}: an unknown body of {length} bytes"));
            }
            Ok(reply)
                if keep_alive && reply.header("connection").as_deref() != Some("keep-alive") =>
            {
                tally
                    .errors
                    .push(format!("{path}: the server closed a keep-alive connection"));
            }
            Ok(_) => {}
        }
    }
    tally
}

/// Every body each of [`PAGES`] can have (the site before and after the
/// edit).
type Bodies = Vec<Vec<String>>;

/// Adds the bodies served now to `bodies`.
fn record_bodies(port: u16, bodies: &mut Bodies) {
    for ((path, _), known) in PAGES.iter().zip(bodies.iter_mut()) {
        let body = get(port, path).page();
        if !known.contains(&body) {
            known.push(body);
        }
    }
}

#[test]
fn two_hundred_clients_for_ten_seconds_during_rebuilds_all_get_whole_pages() {
    let _one = one_at_a_time();
    let site = site_copy(None);
    let mut serve = Serve::start(site.path(), &[]);
    let original = std::fs::read_to_string(site.path().join(EVENT)).unwrap();
    let edited = original.replace(TITLE, "A retitled attack on the SDF");
    assert_ne!(edited, original);
    let versions = [&edited, &original];

    // Both versions of every page, learnt before the load. The year's
    // timeline data is brought up to date just after the reload: it is
    // learnt once it shows the version's title.
    let mut bodies: Bodies = vec![Vec::new(); PAGES.len()];
    record_bodies(serve.port, &mut bodies);
    for (version, title) in versions
        .into_iter()
        .zip(["A retitled attack on the SDF", TITLE])
    {
        save(site.path(), EVENT, version);
        serve.wait_for(|l| l.starts_with("rebuilt "));
        let deadline = Instant::now() + WAIT;
        while !String::from_utf8_lossy(&get(serve.port, "/timeline/2018/events-1.json").body)
            .contains(title)
        {
            assert!(
                Instant::now() < deadline,
                "the timeline data never shows {title:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        record_bodies(serve.port, &mut bodies);
    }
    assert_eq!(bodies[1].len(), 2, "the edit changes the event's page");

    let bodies = Arc::new(bodies);
    let started = Instant::now();
    let until = started + LOAD_FOR;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let bodies = Arc::clone(&bodies);
            let port = serve.port;
            std::thread::spawn(move || load_client(port, i, i % 2 == 0, until, &bodies))
        })
        .collect();
    // Meanwhile the event is edited back and forth, each save a rebuild.
    let mut rebuilds = 0;
    while Instant::now() < until {
        save(site.path(), EVENT, versions[rebuilds % 2]);
        serve.wait_for(|l| l.starts_with("rebuilt "));
        rebuilds += 1;
    }
    let tallies: Vec<Tally> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let elapsed = started.elapsed();

    let mut latencies: Vec<Duration> = tallies.iter().flat_map(|t| t.latencies.clone()).collect();
    latencies.sort();
    let errors: Vec<&String> = tallies.iter().flat_map(|t| &t.errors).collect();
    let requests = latencies.len();
    eprintln!(
        "load: {CLIENTS} clients (half keep-alive, half a connection a request) for {:.1} s \
         during {rebuilds} rebuilds: {requests} requests, {:.0} req/s, latency p50 {:.1} ms, \
         p99 {:.1} ms, max {:.1} ms; {} errors",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 50),
        percentile(&latencies, 99),
        percentile(&latencies, 100),
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} errors, the first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );
    assert!(rebuilds >= 2, "only {rebuilds} rebuilds during the load");
    assert!(requests >= CLIENTS * 5, "only {requests} requests");
    assert!(serve.is_running());
}

/// A slow client: its socket (non-blocking) and what the server sent it.
struct Trickler {
    stream: TcpStream,
    received: Vec<u8>,
    closed: Option<Duration>,
}

impl Trickler {
    /// Sends one more byte, then reads what the server sent, noting when
    /// the server closed the connection.
    fn trickle(&mut self, since: Instant) {
        if self.closed.is_some() {
            return;
        }
        let _ = self.stream.write(b"x");
        let mut chunk = [0; 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => break self.closed = Some(since.elapsed()),
                Ok(n) => self.received.extend_from_slice(&chunk[..n]),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => break self.closed = Some(since.elapsed()),
            }
        }
    }
}

#[test]
fn three_hundred_slowloris_clients_neither_stall_the_server_nor_stay() {
    const SLOW: usize = 300;
    let _one = one_at_a_time();
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &[]);
    let threads_before = serve.threads();

    let opened = Instant::now();
    let mut slow: Vec<Trickler> = (0..SLOW)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
            stream.set_nonblocking(true).unwrap();
            Trickler {
                stream,
                received: Vec::new(),
                closed: None,
            }
        })
        .collect();

    // A byte a second from every slow client; a page for a normal client
    // twice a second; until the server has closed every slow connection.
    let mut pages_meanwhile = 0;
    let mut slowest = Duration::ZERO;
    let mut threads_during = threads_before;
    while slow.iter().any(|s| s.closed.is_none()) {
        assert!(
            opened.elapsed() < SERVER_TIMEOUT + MARGIN,
            "{} slow connections still open after {:?}",
            slow.iter().filter(|s| s.closed.is_none()).count(),
            opened.elapsed()
        );
        for trickler in &mut slow {
            trickler.trickle(opened);
        }
        for _ in 0..2 {
            let asked = Instant::now();
            let reply = get(serve.port, "/events/attack-on-sdf-hq/");
            let took = asked.elapsed();
            assert_eq!(reply.status, 200);
            assert!(String::from_utf8_lossy(&reply.body).contains(TITLE));
            assert!(took < PROMPT, "a page took {took:?} among slow clients");
            slowest = slowest.max(took);
            if slow.iter().all(|s| s.closed.is_none()) {
                pages_meanwhile += 1;
            }
            threads_during = threads_during.max(serve.threads());
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    let closed: Vec<Duration> = slow.iter().filter_map(|s| s.closed).collect();
    let first = closed.iter().min().unwrap();
    let last = closed.iter().max().unwrap();
    for trickler in &slow {
        let text = String::from_utf8_lossy(&trickler.received);
        assert!(
            text.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{text}"
        );
    }
    assert!(
        pages_meanwhile >= 10,
        "{pages_meanwhile} pages while all were open"
    );
    drop(slow);
    // The threads of closed connections are gone.
    std::thread::sleep(Duration::from_secs(2));
    let threads_after = serve.threads();
    eprintln!(
        "slowloris: {SLOW} connections trickling a header byte a second; {pages_meanwhile} pages \
         fetched while all were open, the slowest in {:.1} ms; the server answered each 408 and \
         closed it {:.1}-{:.1} s after it opened; server threads: {threads_before:?} before, \
         {threads_during:?} at most during, {threads_after:?} after",
        slowest.as_secs_f64() * 1000.0,
        first.as_secs_f64(),
        last.as_secs_f64()
    );
    assert!(
        *first >= SERVER_TIMEOUT - Duration::from_secs(1),
        "closed early: {first:?}"
    );
    if let (Some(before), Some(during), Some(after)) =
        (threads_before, threads_during, threads_after)
    {
        assert!(
            during <= before + SLOW + 10,
            "{during} threads for {SLOW} connections"
        );
        assert!(after <= before + 5, "{after} threads left, {before} before");
    }
}

#[test]
fn connections_past_the_limit_are_told_to_come_back_at_once() {
    // The server's limit is 512 connections (`serve/server.rs`).
    const LIMIT: usize = 512;
    const OPEN: usize = 600;
    let _one = one_at_a_time();
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &[]);
    let threads_before = serve.threads();
    let idle: Vec<TcpStream> = (0..OPEN)
        .map(|_| {
            let stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
            stream.set_nonblocking(true).unwrap();
            stream
        })
        .collect();
    // Those past the limit are answered 503 and closed at once, the
    // others wait for a request.
    let opened = Instant::now();
    let mut received = vec![Vec::new(); OPEN];
    let mut closed = vec![false; OPEN];
    while closed.iter().filter(|c| **c).count() < OPEN - LIMIT && opened.elapsed() < PROMPT {
        std::thread::sleep(Duration::from_millis(50));
        for ((mut stream, received), closed) in idle.iter().zip(&mut received).zip(&mut closed) {
            match stream.read_to_end(received) {
                Ok(_) => *closed = true,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                Err(error) => panic!("{error}"),
            }
        }
    }
    let refused = received
        .iter()
        .filter(|r| r.starts_with(b"HTTP/1.1 503 Service Unavailable\r\n"))
        .count();
    let waiting = received.iter().filter(|r| r.is_empty()).count();
    let threads_during = serve.threads();
    drop(idle);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        get(serve.port, "/").status,
        200,
        "served again once they left"
    );
    eprintln!(
        "flood: {OPEN} idle connections: {waiting} waiting, {refused} answered 503; \
         server threads {threads_before:?} before, {threads_during:?} during"
    );
    assert_eq!((waiting, refused), (LIMIT, OPEN - LIMIT));
    if let (Some(before), Some(during)) = (threads_before, threads_during) {
        assert!(during <= before + LIMIT + 5, "{during} threads");
    }
}

/// Junk sent to the server, and what it must answer.
struct Junk {
    name: &'static str,
    bytes: Vec<u8>,
    /// Shut the sending side after the bytes (a half-closed socket).
    half_close: bool,
    /// The status of the (only) reply, or `None` for a close without one.
    status: Option<u16>,
    /// Whether the answer waits for the server's timeout.
    waits: bool,
}

fn junk(name: &'static str, bytes: impl Into<Vec<u8>>, status: Option<u16>) -> Junk {
    Junk {
        name,
        bytes: bytes.into(),
        half_close: false,
        status,
        waits: false,
    }
}

/// Deterministic noise.
fn noise(length: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 56) as u8
        })
        .collect()
}

fn junk_cases() -> Vec<Junk> {
    let mut many_fields = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..5000 {
        many_fields.extend_from_slice(format!("X-Field-{i}: value\r\n").as_bytes());
    }
    many_fields.extend_from_slice(b"\r\n");
    let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(100_000));
    vec![
        junk("binary noise", noise(4096), Some(400)),
        junk(
            "a TLS handshake",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            Some(400),
        ),
        junk("a 100 KB request line", long_line, Some(414)),
        junk("100 KB of header fields", many_fields, Some(431)),
        junk(
            "a field without a colon",
            "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
            Some(400),
        ),
        junk(
            "a folded field",
            "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n",
            Some(400),
        ),
        junk("a NUL in the target", "GET /\0 HTTP/1.1\r\n\r\n", Some(400)),
        junk(
            "a control character in a field",
            "GET / HTTP/1.1\r\nA: \x07\r\n\r\n",
            Some(400),
        ),
        junk("a bare CRLF head", "\r\n\r\n", Some(400)),
        junk("HTTP/2", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Some(505)),
        junk(
            "a broken Content-Length",
            "GET / HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
            Some(400),
        ),
        // Answered, and the connection closed (the body is never read).
        junk(
            "a huge Content-Length and no body",
            "GET / HTTP/1.1\r\nContent-Length: 1000000000000000000\r\n\r\n",
            Some(200),
        ),
        junk(
            "a POST whose body never comes",
            "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n",
            Some(405),
        ),
        junk(
            "a chunked GET",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n",
            Some(200),
        ),
        Junk {
            half_close: true,
            ..junk("half a request line, then half-closed", "GET / HT", None)
        },
        Junk {
            half_close: true,
            ..junk(
                "a request, then half-closed",
                "GET / HTTP/1.1\r\n\r\n",
                Some(200),
            )
        },
        Junk {
            half_close: true,
            ..junk(
                "an unknown method, then half-closed",
                "BREW /pot HTTP/1.1\r\n\r\n",
                Some(405),
            )
        },
        Junk {
            waits: true,
            ..junk(
                "an unfinished head, then silence",
                "GET / HTTP/1.1\r\nHost: a\r\n",
                Some(408),
            )
        },
        Junk {
            waits: true,
            ..junk("a connection that sends nothing", "", None)
        },
    ]
}

/// Sends `junk` and reads until the server closes: the time it took and
/// what it sent.
fn send_junk(port: u16, junk: &Junk) -> (Duration, Vec<u8>) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(SERVER_TIMEOUT + MARGIN))
        .unwrap();
    stream.write_all(&junk.bytes).unwrap();
    if junk.half_close {
        stream.shutdown(Shutdown::Write).unwrap();
    }
    let mut received = Vec::new();
    let read = stream.read_to_end(&mut received);
    let name = junk.name;
    assert!(
        read.is_ok(),
        "{name}: {read:?} after {:?}",
        started.elapsed()
    );
    (started.elapsed(), received)
}

#[test]
fn junk_gets_an_error_or_a_close_and_the_server_goes_on() {
    let _one = one_at_a_time();
    let site = site_copy(None);
    let mut serve = Serve::start(site.path(), &[]);
    let port = serve.port;
    let cases = junk_cases();
    let outcomes: Vec<(Duration, Vec<u8>)> = std::thread::scope(|scope| {
        let sent: Vec<_> = cases
            .iter()
            .map(|junk| scope.spawn(move || send_junk(port, junk)))
            .collect();
        sent.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let mut summary = BTreeMap::new();
    for (junk, (took, received)) in cases.iter().zip(outcomes) {
        let name = junk.name;
        let text = String::from_utf8_lossy(&received);
        let status = (!received.is_empty()).then(|| {
            let reply =
                read_reply(&mut &received[..]).unwrap_or_else(|e| panic!("{name}: {e}: {text}"));
            // Only a whole request without a body keeps its connection.
            if !junk.half_close {
                assert_eq!(
                    reply.header("connection").as_deref(),
                    Some("close"),
                    "{name}"
                );
            }
            reply.status
        });
        assert_eq!(status, junk.status, "{name}: {text}");
        if junk.waits {
            assert!(
                took >= SERVER_TIMEOUT - Duration::from_secs(1),
                "{name}: {took:?}"
            );
        } else {
            assert!(took < PROMPT, "{name}: answered in {took:?}");
        }
        assert!(took < SERVER_TIMEOUT + MARGIN, "{name}: {took:?}");
        summary.insert(
            name,
            format!("{status:?} in {:.0} ms", took.as_secs_f64() * 1000.0),
        );
    }
    eprintln!("junk: {summary:#?}");
    assert!(serve.is_running());
    assert_eq!(get(port, "/").status, 200);
}

#[test]
fn encoded_paths_out_of_the_output_folder_are_not_found() {
    let _one = one_at_a_time();
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &[]);
    let beside = serve.out.parent().unwrap();
    std::fs::write(beside.join("secret.txt"), "SECRET").unwrap();
    // `tests/serve.rs` covers `..`, `%2e%2e`, `..%2f`, `\`, `%5c` and `//`.
    for path in [
        "/%252e%252e/secret.txt",
        "/%25%32%65%25%32%65/secret.txt",
        "/%2e%2e%5csecret.txt",
        "/..%5csecret.txt",
        "/events/%2e%2e%5c%2e%2e%5csecret.txt",
        "/%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e;/secret.txt",
        "/..;/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/%ef%bc%8e%ef%bc%8e/secret.txt",
        "/%00/../secret.txt",
        "/index.html%00",
        "/index.html%00.txt",
        "/%2e%2e%00/secret.txt",
        "/events%2f..%2f..%2fsecret.txt",
        "/%2fsecret.txt",
        "/%5c%5csecret.txt",
        "/events/%2E%2e/%2e%2E/secret.txt",
        "/./secret.txt",
        "/%2e",
    ] {
        let reply = get(serve.port, path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            !String::from_utf8_lossy(&reply.body).contains("SECRET"),
            "{path}"
        );
    }
}
