//! Running `dossier serve` for real, shared by `tests/serve.rs` and
//! `tests/serve_load.rs`: the binary on an ephemeral loopback port, its
//! terminal output, raw HTTP requests (raw, so `/../` reaches the server as
//! sent) and their replies.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// An event of the `basic` fixture, and its title.
pub const EVENT: &str = "content/events/2018/attack-on-sdf-hq.yaml";
pub const TITLE: &str = "Pro-regime forces attack an SDF headquarters east of the Euphrates";
/// The longest any single wait may take before a test gives up.
pub const WAIT: Duration = Duration::from_secs(20);

/// A running `dossier serve`, stopped (SIGTERM) when dropped.
pub struct Serve {
    child: Child,
    lines: Receiver<String>,
    /// Every line of the terminal output read so far.
    pub seen: Vec<String>,
    /// The port it serves on.
    pub port: u16,
    /// The folder it builds into.
    pub out: PathBuf,
}

impl Serve {
    /// Starts serving `root` with extra arguments and waits until it serves.
    pub fn start(root: &Path, args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let mut serve = Serve {
            child,
            lines,
            seen: Vec::new(),
            port: 0,
            out: PathBuf::new(),
        };
        let serving = serve.wait_for(|l| l.starts_with("serving http://"));
        let address = serving["serving http://".len()..]
            .split('/')
            .next()
            .unwrap();
        serve.port = address.rsplit(':').next().unwrap().parse().unwrap();
        let built = serve.wait_for(|l| l.contains("built into "));
        let out = built.split("built into ").nth(1).unwrap();
        serve.out = PathBuf::from(out.split(" for previewing").next().unwrap());
        serve
    }

    /// Waits for a line of the terminal output, panicking with all of it
    /// when none comes.
    pub fn wait_for(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no such line; the terminal said:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// One `GET` on a fresh connection.
    pub fn get(&self, path: &str) -> Reply {
        request(self.port, "GET", path)
    }

    /// Whether the server still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// How many threads the server runs now (Linux only).
    pub fn threads(&self) -> Option<usize> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.child.id())).ok()?;
        Some(tasks.count())
    }

    /// Stops serving as Ctrl-C would and returns the exit status.
    pub fn stop(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        self.child.wait().unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if self.is_running() {
            self.stop();
        }
    }
}

/// An HTTP response.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        header(&self.head, name)
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as text without the tag `serve` adds to HTML (it names the
    /// build), so that it compares with the page as built.
    pub fn page(&self) -> String {
        let html = self.text();
        let Some(start) = html.find("<script src=\"/__dossier/reload.js\"") else {
            return html;
        };
        let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
        format!("{}{}", &html[..start], &html[end..])
    }
}

/// A header's value in a response head.
pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// Sends one request exactly as written and reads the whole response.
pub fn request(port: u16, method: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    }
}

/// Saves a file as editors do: write a temporary file, rename it over.
pub fn save(root: &Path, file: &str, text: &str) {
    let target = root.join(file);
    let temporary = target.with_file_name(".dossier-test-save.tmp");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &target).unwrap();
}
