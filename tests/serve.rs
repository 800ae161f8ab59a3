//! `dossier serve` run for real: the binary on an ephemeral loopback port,
//! raw HTTP requests (raw, so `/../` reaches the server as sent), the
//! live-reload event stream, edits to the site on disk, and stopping.

#![cfg(unix)]

mod common;
mod served;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::site_copy;
use served::{EVENT, Serve, TITLE, WAIT, request, save};

/// A client of the live-reload event stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        Events { reader }
    }

    /// The next event (name, data), skipping keep-alive comments.
    fn next(&mut self, timeout: Duration) -> Option<(String, String)> {
        self.reader
            .get_ref()
            .set_read_timeout(Some(timeout))
            .unwrap();
        let (mut name, mut data) = (String::new(), Vec::new());
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push(value.to_string());
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data.join("\n")));
            }
        }
    }
}

#[test]
fn serves_pages_static_files_and_a_404_and_cleans_up_on_stop() {
    let site = site_copy(None);
    let mut serve = Serve::start(site.path(), &[]);

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let html = home.text();
    assert!(
        html.contains("<title>Fixture research site</title>"),
        "{html}"
    );
    assert!(html.contains("<script src=\"/__dossier/reload.js\" data-build=\""));
    assert!(
        html.contains(&format!("http://127.0.0.1:{}/", serve.port)),
        "the base URL is the local address"
    );
    let on_disk = std::fs::read_to_string(serve.out.join("index.html")).unwrap();
    assert!(
        !on_disk.contains("__dossier"),
        "the output on disk is left as built"
    );

    let event = serve.get("/events/attack-on-sdf-hq/?from=2018");
    assert_eq!(event.status, 200);
    assert!(event.text().contains(TITLE));
    let redirect = serve.get("/events/attack-on-sdf-hq?x=1");
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.header("location").unwrap(),
        "/events/attack-on-sdf-hq/?x=1"
    );

    let css = serve.get("/assets/syntax.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        css.body,
        std::fs::read(serve.out.join("assets/syntax.css")).unwrap()
    );
    let json = serve.get("/timeline/facets.json");
    assert_eq!(json.header("content-type").unwrap(), "application/json");
    let script = serve.get("/__dossier/reload.js");
    assert_eq!(
        script.header("content-type").unwrap(),
        "text/javascript; charset=utf-8"
    );
    assert!(script.text().contains("EventSource"));

    // Every missing page, and a folder without index.html (no listing),
    // gets the site's 404 page as built, plus only the reload tag.
    let not_found = serve.get("/nothing/").page();
    let built_404 = std::fs::read_to_string(serve.out.join("404.html"))
        .unwrap_or_else(|_| "404 Not Found\n".to_string());
    assert_eq!(not_found, built_404);
    for missing in ["/events/nothing/", "/assets/", "/index.html/"] {
        let reply = serve.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert_eq!(reply.page(), built_404, "{missing}");
    }
    assert_eq!(serve.get("/assets").status, 302);
    assert_eq!(serve.get("/__dossier/x").status, 404);

    let head = request(serve.port, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length").unwrap(),
        home.body.len().to_string()
    );
    assert!(head.body.is_empty());
    let post = request(serve.port, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow").unwrap(), "GET, HEAD");

    let status = serve.stop();
    assert!(status.success(), "{status}");
    assert!(
        serve
            .seen
            .iter()
            .any(|l| l.starts_with("built ") && l.contains(" pages in "))
    );
    serve.wait_for(|l| l == "stopped");
    assert!(
        !serve.out.exists(),
        "the temporary build is removed on stop"
    );
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &[]);
    // A secret beside the output folder, and symlinks inside it pointing out.
    let beside = serve.out.parent().unwrap();
    std::fs::write(beside.join("secret.txt"), "SECRET").unwrap();
    std::os::unix::fs::symlink(beside.join("secret.txt"), serve.out.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(beside, serve.out.join("up")).unwrap();
    std::os::unix::fs::symlink(site.path(), serve.out.join("root")).unwrap();
    for path in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/events/..%2f..%2fsecret.txt",
        "/events/../../secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//secret.txt",
        "/link.txt",
        "/up/secret.txt",
        "/up/",
        "/root/site.yaml",
        "/.dossier-output",
    ] {
        let reply = serve.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("SECRET"), "{path}");
    }
}

#[test]
fn an_edit_reloads_open_pages_within_a_second() {
    let site = site_copy(None);
    let mut serve = Serve::start(site.path(), &[]);
    let mut events = Events::connect(serve.port);
    let (name, build) = events.next(WAIT).unwrap();
    assert_eq!(name, "hello");
    let page = serve.get("/events/attack-on-sdf-hq/").text();
    assert!(page.contains(&format!("data-build=\"{build}\"")));

    let text = std::fs::read_to_string(site.path().join(EVENT)).unwrap();
    let edited = text.replace(TITLE, "A retitled attack on the SDF");
    let saved = Instant::now();
    save(site.path(), EVENT, &edited);
    let (name, _) = events.next(WAIT).expect("a reload message");
    let elapsed = saved.elapsed();
    assert_eq!(name, "reload");
    let page = serve.get("/events/attack-on-sdf-hq/").text();
    assert!(page.contains("A retitled attack on the SDF"));
    assert!(!page.contains(TITLE));
    assert!(
        !page.contains(&format!("data-build=\"{build}\"")),
        "a new build name"
    );
    assert!(
        elapsed < Duration::from_secs(1),
        "the reload came {} ms after the save",
        elapsed.as_millis()
    );
    let line = serve.wait_for(|l| l.starts_with("rebuilt "));
    assert!(
        line.contains(" pages in ") && line.ends_with(&format!("({EVENT})")),
        "{line}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error() {
    let site = site_copy(None);
    let mut serve = Serve::start(site.path(), &[]);
    let mut events = Events::connect(serve.port);
    assert_eq!(events.next(WAIT).unwrap().0, "hello");

    let good = std::fs::read_to_string(site.path().join(EVENT)).unwrap();
    let broken = good.replace(TITLE, "An edit that must not show").replace(
        "{ actor: sdf, role: target }",
        "{ actor: sdff, role: target }",
    );
    save(site.path(), EVENT, &broken);
    let at = format!("{EVENT}:8:14: error: unknown actor `sdff`");

    let (name, data) = events.next(WAIT).expect("an error message");
    assert_eq!(name, "build-error");
    assert!(data.contains(&at), "{data}");
    assert!(data.contains("did you mean `sdf`?"), "{data}");
    serve.wait_for(|l| l == at);
    serve.wait_for(|l| l == "1 error(s); still serving the last good site");

    let page = serve.get("/events/attack-on-sdf-hq/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains(TITLE),
        "the last good page is still served"
    );
    // A page opened now learns of the error at once (its banner).
    let mut late = Events::connect(serve.port);
    assert_eq!(late.next(WAIT).unwrap().0, "hello");
    let (name, data) = late.next(WAIT).unwrap();
    assert_eq!(name, "build-error");
    assert!(data.contains(&at));

    save(site.path(), EVENT, &good);
    assert_eq!(events.next(WAIT).unwrap().0, "reload");
    assert_eq!(late.next(WAIT).unwrap().0, "reload");
    serve.wait_for(|l| l.starts_with("rebuilt "));
}

#[test]
fn a_site_that_never_built_shows_a_placeholder_until_fixed() {
    let site = site_copy(None);
    let event = site.path().join(EVENT);
    let good = std::fs::read_to_string(&event).unwrap();
    std::fs::write(&event, good.replace("date: 2018-02-07", "date: 2018-02-30")).unwrap();
    let serve = Serve::start(site.path(), &[]);
    assert!(
        serve
            .seen
            .iter()
            .any(|l| l == "1 error(s); nothing to serve until they are fixed"),
        "{:?}",
        serve.seen
    );
    let page = serve.get("/events/attack-on-sdf-hq/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("/__dossier/reload.js"));
    let mut events = Events::connect(serve.port);
    assert_eq!(
        events.next(WAIT).unwrap(),
        ("hello".to_string(), "none".to_string())
    );
    let (name, data) = events.next(WAIT).unwrap();
    assert_eq!(name, "build-error");
    assert!(data.contains(&format!("{EVENT}:2:")), "{data}");

    save(site.path(), EVENT, &good);
    assert_eq!(events.next(WAIT).unwrap().0, "reload");
    assert_eq!(serve.get("/events/attack-on-sdf-hq/").status, 200);
}

#[test]
fn static_files_in_a_new_folder_and_settings_edits_rebuild() {
    let site = site_copy(None);
    assert!(!site.path().join("static").exists());
    let mut serve = Serve::start(site.path(), &[]);
    let mut events = Events::connect(serve.port);
    assert_eq!(events.next(WAIT).unwrap().0, "hello");

    std::fs::create_dir(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/notes.txt"), "first").unwrap();
    assert_eq!(events.next(WAIT).unwrap().0, "reload");
    serve.wait_for(|l| l.starts_with("rebuilt "));
    let notes = serve.get("/notes.txt");
    assert_eq!(
        notes.header("content-type").unwrap(),
        "text/plain; charset=utf-8"
    );
    assert_eq!(notes.text(), "first");

    // The new folder is watched too.
    std::fs::write(site.path().join("static/notes.txt"), "second").unwrap();
    assert_eq!(events.next(WAIT).unwrap().0, "reload");
    assert_eq!(serve.get("/notes.txt").text(), "second");

    let settings = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    save(
        site.path(),
        "site.yaml",
        &settings.replace("Fixture research site", "Renamed research site"),
    );
    assert_eq!(events.next(WAIT).unwrap().0, "reload");
    assert!(
        serve
            .get("/")
            .text()
            .contains("<title>Renamed research site</title>")
    );
}

#[test]
fn two_hundred_concurrent_requests_all_succeed() {
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &[]);
    let paths = [
        "/",
        "/events/attack-on-sdf-hq/",
        "/actors/sdf/",
        "/assets/style.css",
        "/timeline/2018/events-1.json",
    ];
    let expected: Vec<usize> = paths.iter().map(|p| serve.get(p).body.len()).collect();
    let port = serve.port;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(200));
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let barrier = std::sync::Arc::clone(&barrier);
            let path = paths[i % paths.len()];
            std::thread::spawn(move || {
                barrier.wait();
                let reply = request(port, "GET", path);
                (i % paths.len(), reply.status, reply.body.len())
            })
        })
        .collect();
    for thread in threads {
        let (which, status, length) = thread.join().unwrap();
        assert_eq!(status, 200, "{}", paths[which]);
        assert_eq!(length, expected[which], "{}", paths[which]);
    }
}

#[test]
fn a_base_url_is_served_under_its_path() {
    let site = site_copy(None);
    let serve = Serve::start(site.path(), &["--base-url", "https://example.org/repo/"]);
    assert!(
        serve
            .seen
            .iter()
            .any(|l| l.ends_with(&format!(":{}/repo/", serve.port)))
    );
    let home = serve.get("/repo/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/repo/actors/\""));
    let root = serve.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location").unwrap(), "/repo/");
    assert_eq!(serve.get("/repo").status, 302);
    assert_eq!(serve.get("/actors/").status, 404);
    assert_eq!(serve.get("/repo/actors/sdf/").status, 200);
    assert_eq!(serve.get("/repo/%2e%2e/repo/").status, 404);
}

#[test]
fn a_port_in_use_is_a_clear_error_with_exit_code_2() {
    let site = site_copy(None);
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(site.path())
        .args(["serve", "--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("error: 127.0.0.1:{port} is already in use")),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose another port with --port"),
        "{stderr}"
    );
}

/// A site built for `https://example.github.io/repo/` and served under
/// `/repo/` has no broken internal link: every page reachable from the home
/// page is crawled over HTTP, every `/repo/…` link and source must answer
/// 200, and every `#anchor` must exist on its page.
#[test]
fn a_sub_path_site_served_over_http_has_no_broken_internal_link() {
    let site = site_copy(None);
    let serve = Serve::start(
        site.path(),
        &["--base-url", "https://example.github.io/repo/"],
    );
    let mut pages: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut queue = vec!["/repo/".to_string()];
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    while let Some(path) = queue.pop() {
        if pages.contains_key(&path) {
            continue;
        }
        let reply = serve.get(&path);
        assert_eq!(reply.status, 200, "{path} answered {}", reply.status);
        let is_html = reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"));
        let body = if is_html { reply.text() } else { String::new() };
        for link in common::links(&body) {
            // The live-reload script is the dev server's own, outside the site.
            let external = ["http", "mailto:", "data:", "/__dossier/"];
            if external.iter().any(|prefix| link.starts_with(prefix)) {
                continue;
            }
            let (target, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let target = target.split('?').next().unwrap_or("").to_string();
            let target = if target.is_empty() {
                path.clone()
            } else {
                target
            };
            assert!(
                target.starts_with("/repo/"),
                "{path}: link {link} leaves /repo/"
            );
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                fragments.push((path.clone(), target.clone(), fragment.to_string()));
            }
            if !pages.contains_key(&target) {
                queue.push(target);
            }
        }
        pages.insert(path, body);
    }
    assert!(pages.len() > 40, "only {} addresses crawled", pages.len());
    for (page, target, fragment) in fragments {
        let html = &pages[&target];
        assert!(
            common::ids(html).contains(&fragment),
            "{page}: #{fragment} is not on {target}"
        );
    }
}
