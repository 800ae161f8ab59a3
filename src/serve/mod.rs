//! `dossier serve`: build, serve on loopback, rebuild on change, reload
//! open pages.
//!
//! The parts stay apart: `watcher` turns file-system events into batches
//! of changed paths, `server` answers HTTP requests from the output
//! folder (`http` reads them within limits of time and size, `paths`
//! keeps them inside the folder), `reload` is the script and
//! channel that reload open pages, and
//! this module is the loop that ties them: wait for a batch, rebuild,
//! report in the terminal and to open pages.
//!
//! The site is built into a temporary folder (removed when serve stops),
//! not into `public/`: a served build links to the local address, and
//! `public/` is what `dossier build` makes for publishing. Builds go
//! through a [`Session`], which keeps the site in memory and renders again
//! only the pages an edit touches; changed files replace their old copies
//! in place once every page has rendered, so a failed rebuild leaves the
//! last good site in place and served, while the problems show in the
//! terminal and in a banner on open pages. The files made from the whole
//! site (search index, exports) follow once open pages have reloaded.

mod http;
mod paths;
mod reload;
mod server;
mod watcher;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Severity};
use crate::session::Session;
use crate::{Built, Failure};
use reload::{Current, Live};
use watcher::{Batch, Wake};

/// What `dossier serve` was asked for.
#[derive(Clone, Debug)]
pub struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    pub port: u16,
    /// The address to listen on: an IP address or `localhost`.
    pub bind: String,
    /// The URL the site is built for; default: the server's own address.
    pub base_url: Option<String>,
}

/// Builds the site, serves it and rebuilds on every change until stopped
/// (Ctrl-C or SIGTERM). Fails before serving when the address cannot be
/// used, the site folder cannot be read, or the first build cannot write.
pub fn serve(options: &Options) -> Result<(), Failure> {
    let ip = parse_bind(&options.bind)?;
    let listener = TcpListener::bind((ip, options.port))
        .map_err(|error| bind_error(&error, ip, options.port))?;
    let address = listener.local_addr().map_err(|error| {
        Failure::Environment(format!("cannot read the server's address: {error}"))
    })?;
    if let Some(warning) = exposure_warning(ip) {
        eprintln!("{warning}");
    }
    let root = options.root.canonicalize().map_err(|error| {
        Failure::Environment(format!(
            "{}: cannot open the site folder: {error}",
            options.root.display()
        ))
    })?;
    let folder = tempfile::Builder::new()
        .prefix("dossier-serve-")
        .tempdir()
        .map_err(|error| {
            Failure::Environment(format!(
                "cannot make a temporary folder to build into: {error} (check TMPDIR)"
            ))
        })?;
    let out = folder.path().join("site");
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}/"));
    let mut session = Session::new(&root, &out, &base_url);

    let (wake, woken) = mpsc::channel();
    let _watcher = watcher::watch(&root, wake.clone()).map_err(Failure::Environment)?;
    // Without a handler (another one is set) Ctrl-C still stops the
    // process; only the temporary folder stays behind.
    let _ = ctrlc::set_handler(move || {
        let _ = wake.send(Wake::Stop);
    });

    let live = Arc::new(Live::new());
    let mut report = Report::new(Arc::clone(&live));
    let started = Instant::now();
    match session.rebuild(&BTreeSet::new()) {
        Err(Failure::Environment(message)) => return Err(Failure::Environment(message)),
        first => report.outcome(first, started, None),
    }

    server::start(
        listener,
        server::Site {
            out: out.clone(),
            live: Arc::clone(&live),
            writing: session.output_lock(),
        },
    )
    .map_err(Failure::Environment)?;
    let base_path = live
        .current()
        .map_or_else(|| "/".to_string(), |c| c.base_path);
    eprintln!("serving http://{address}{base_path}");
    eprintln!(
        "  built into {} for previewing (removed on exit; `dossier build` writes the site to publish); Ctrl-C stops",
        out.display()
    );

    while let Batch::Changes(changed) = watcher::next_batch(&woken) {
        let started = Instant::now();
        let outcome = session.rebuild(&changed);
        report.outcome(outcome, started, Some((&root, &changed)));
        if let Err(failure) = session.settle() {
            report.outcome(Err(failure), started, None);
        }
    }
    eprintln!("stopped");
    Ok(())
}

/// Reads `--bind`: an IP address, or `localhost`.
fn parse_bind(bind: &str) -> Result<IpAddr, Failure> {
    if bind.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    bind.parse().map_err(|_| {
        Failure::Environment(format!(
            "--bind `{bind}` is not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        ))
    })
}

/// The warning printed when the server can be reached from elsewhere.
fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!(
            "warning: listening on {ip}, which other machines can reach; \
             `dossier serve` is for previewing: use --bind 127.0.0.1 to keep it on this machine"
        )
    })
}

/// Says why the address cannot be listened on, and what to do.
fn bind_error(error: &std::io::Error, ip: IpAddr, port: u16) -> Failure {
    let address = SocketAddr::new(ip, port);
    let next = port.checked_add(1).unwrap_or(1024);
    Failure::Environment(match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "{address} is already in use (another `dossier serve`?): choose another port with --port, e.g. --port {next}"
        ),
        std::io::ErrorKind::PermissionDenied => {
            format!("cannot listen on {address}: {error}; choose a port above 1023 with --port")
        }
        std::io::ErrorKind::AddrNotAvailable => format!(
            "cannot listen on {address}: {ip} is not an address of this machine; use --bind 127.0.0.1"
        ),
        _ => format!("cannot listen on {address}: {error}; try another --port or --bind"),
    })
}

/// Tells the terminal and open pages how each build went.
struct Report {
    live: Arc<Live>,
    /// Names builds: the process's start time, then a count.
    epoch: String,
    builds: u64,
    /// The warnings last printed, so unchanged ones are not repeated.
    warnings: Vec<Diagnostic>,
}

impl Report {
    fn new(live: Arc<Live>) -> Report {
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{:x}", d.as_millis()))
            .unwrap_or_default();
        Report {
            live,
            epoch,
            builds: 0,
            warnings: Vec::new(),
        }
    }

    /// Reports a build's outcome; `changed` is what started a rebuild.
    fn outcome(
        &mut self,
        outcome: Result<Built, Failure>,
        started: Instant,
        changed: Option<(&Path, &BTreeSet<PathBuf>)>,
    ) {
        let elapsed = started.elapsed().as_millis();
        match outcome {
            Ok(built) => {
                let report = built.report;
                if report.warnings != self.warnings {
                    eprint!("{}", render(&report.warnings));
                    self.warnings = report.warnings;
                }
                self.builds += 1;
                self.live.succeeded(Current {
                    build: format!("{}-{}", self.epoch, self.builds),
                    base_path: report.base_path,
                });
                let pages = report.pages;
                match changed {
                    None => eprintln!("built {pages} pages in {elapsed} ms"),
                    Some((root, changed)) => eprintln!(
                        "rebuilt {pages} pages in {elapsed} ms ({})",
                        describe(root, changed)
                    ),
                }
            }
            Err(Failure::Content(diagnostics)) => {
                let text = render(&diagnostics);
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                eprint!("{text}");
                eprintln!("{errors} error(s); {}", self.kept());
                self.warnings.clear();
                self.live.failed(text);
            }
            Err(Failure::Environment(message)) => {
                eprintln!("error: {message}; {}", self.kept());
                self.live.failed(message);
            }
        }
    }
}

impl Report {
    /// What is served while a build fails.
    fn kept(&self) -> &'static str {
        if self.builds == 0 {
            "nothing to serve until they are fixed"
        } else {
            "still serving the last good site"
        }
    }
}

/// Diagnostics as the terminal shows them.
fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(Diagnostic::render_text).collect()
}

/// `content/events/a.yaml`, or `content/events/a.yaml and 2 more`.
fn describe(root: &Path, changed: &BTreeSet<PathBuf>) -> String {
    let first = changed
        .first()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .unwrap_or_default();
    match changed.len() {
        0 | 1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_takes_addresses_and_localhost() {
        assert_eq!(
            parse_bind("localhost").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert_eq!(
            parse_bind("::1").ok(),
            Some("::1".parse::<IpAddr>().unwrap())
        );
        let Err(Failure::Environment(message)) = parse_bind("example.org") else {
            panic!("example.org was accepted");
        };
        assert!(message.contains("--bind `example.org`"), "{message}");
    }

    #[test]
    fn only_loopback_is_served_without_a_warning() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for loud in ["0.0.0.0", "::", "192.168.1.20"] {
            let warning = exposure_warning(loud.parse().unwrap()).unwrap_or_default();
            assert!(warning.contains("--bind 127.0.0.1"), "{loud}: {warning}");
        }
    }

    #[test]
    fn a_port_in_use_suggests_another() {
        let error = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let Failure::Environment(message) =
            bind_error(&error, IpAddr::V4(Ipv4Addr::LOCALHOST), 1111)
        else {
            panic!("not an environment failure");
        };
        assert_eq!(
            message,
            "127.0.0.1:1111 is already in use (another `dossier serve`?): choose another port with --port, e.g. --port 1112"
        );
    }

    #[test]
    fn changes_are_described_relative_to_the_root() {
        let root = Path::new("/site");
        let one = BTreeSet::from([PathBuf::from("/site/content/a.md")]);
        assert_eq!(describe(root, &one), "content/a.md");
        let three = BTreeSet::from([
            PathBuf::from("/site/content/a.md"),
            PathBuf::from("/site/site.yaml"),
            PathBuf::from("/site/static/x.css"),
        ]);
        assert_eq!(describe(root, &three), "content/a.md and 2 more");
    }
}
