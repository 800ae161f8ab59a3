//! The GitHub Pages workflow (`.github/workflows/pages.yml`), read as YAML:
//! the steps a deployment needs, in order, with the base URL that
//! configure-pages reports passed to the build; the permissions and
//! concurrency Pages requires; and the build command itself, run on the
//! fixture with a base URL as configure-pages gives it (a project site, no
//! trailing slash), producing a site whose links work under `/repo/`, with
//! `static/CNAME` and hidden static files in it.

mod common;

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

fn workflow() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml");
    let text = std::fs::read_to_string(&path).expect("the Pages workflow exists");
    serde_yaml::from_str(&text).expect("the Pages workflow is valid YAML")
}

/// Every step of every job, with the job's name.
fn steps(workflow: &Value) -> Vec<(String, &Value)> {
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    let mut out = Vec::new();
    for (name, job) in jobs {
        let name = name.as_str().unwrap().to_string();
        for step in job["steps"].as_sequence().expect("steps") {
            out.push((name.clone(), step));
        }
    }
    out
}

fn uses(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or("")
}

/// The index of the first step using `action` (`owner/name@…`).
fn position(steps: &[(String, &Value)], action: &str) -> usize {
    steps
        .iter()
        .position(|(_, s)| uses(s).starts_with(&format!("{action}@")))
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

/// The build step: the one running `dossier build` through cargo.
fn build_step<'a>(steps: &[(String, &'a Value)]) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, (_, s))| {
            let run = s["run"].as_str().unwrap_or("");
            run.contains("cargo run") && run.contains(" build")
        })
        .map(|(i, (_, s))| (i, *s))
        .expect("a step runs `cargo run … build`")
}

/// The arguments after `--` of the build command, with `$NAME` replaced by
/// `values`, split as the shell would split these simple words.
fn build_arguments(run: &str, values: &[(&str, &str)]) -> Vec<String> {
    let (_, after) = run.split_once(" -- ").expect("cargo run … -- build …");
    let mut expanded = after.trim().to_string();
    for (name, value) in values {
        expanded = expanded.replace(&format!("${name}"), value);
    }
    expanded
        .split_whitespace()
        .map(|word| word.trim_matches('"').to_string())
        .collect()
}

#[test]
fn it_runs_on_push_to_main_and_by_hand_with_the_pages_permissions() {
    let workflow = workflow();
    let on = &workflow["on"];
    let branches: Vec<&str> = on["push"]["branches"]
        .as_sequence()
        .expect("on.push.branches")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(branches, ["main"]);
    assert!(
        on.as_mapping().unwrap().contains_key("workflow_dispatch"),
        "it can be run by hand"
    );
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["contents"].as_str(), Some("read"));
    assert_eq!(permissions["pages"].as_str(), Some("write"));
    assert_eq!(permissions["id-token"].as_str(), Some("write"));
    assert_eq!(
        permissions.as_mapping().unwrap().len(),
        3,
        "no more than Pages needs"
    );
    assert!(workflow["concurrency"]["group"].as_str().is_some());
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
}

#[test]
fn the_steps_build_with_the_pages_base_url_and_deploy() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let checkout = position(&steps, "actions/checkout");
    let configure = position(&steps, "actions/configure-pages");
    let upload = position(&steps, "actions/upload-pages-artifact");
    let deploy = position(&steps, "actions/deploy-pages");
    let cached = steps.iter().any(|(_, s)| {
        uses(s).starts_with("Swatinem/rust-cache@") || uses(s).starts_with("actions/cache@")
    });
    assert!(cached, "the Rust build is cached");

    // The build reads the base URL from the configure-pages step's output.
    let (build, step) = build_step(&steps);
    assert!(checkout < configure && configure < build && build < upload && upload < deploy);
    let pages_id = steps[configure].1["id"]
        .as_str()
        .expect("configure-pages has an id");
    let expression = format!("${{{{ steps.{pages_id}.outputs.base_url }}}}");
    let run = step["run"].as_str().unwrap();
    let arguments = build_arguments(run, &[]);
    let base_url = arguments
        .iter()
        .position(|a| a == "--base-url")
        .and_then(|i| arguments.get(i + 1))
        .expect("the build passes --base-url");
    let from_pages = base_url.contains(&expression)
        || base_url.strip_prefix('$').is_some_and(|variable| {
            step["env"][variable]
                .as_str()
                .is_some_and(|v| v.trim() == expression)
        });
    assert!(from_pages, "--base-url {base_url} is not {expression}");

    // The artifact is the build's output, hidden files included.
    let out = arguments
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| arguments.get(i + 1))
        .map_or("public", String::as_str);
    let with = &steps[upload].1["with"];
    assert_eq!(
        with["path"].as_str().map(|p| p.trim_end_matches('/')),
        Some(out)
    );
    assert_eq!(with["include-hidden-files"].as_bool(), Some(true));

    // Deployment runs after the build, in the github-pages environment.
    let (deploy_job, _) = &steps[deploy];
    let job = &workflow["jobs"][deploy_job.as_str()];
    if *deploy_job != steps[build].0 {
        let needs = &job["needs"];
        let build_job = steps[build].0.as_str();
        assert!(
            needs.as_str() == Some(build_job)
                || needs
                    .as_sequence()
                    .is_some_and(|n| n.iter().any(|j| j.as_str() == Some(build_job))),
            "the deploy job needs the build job"
        );
    }
    assert_eq!(job["environment"]["name"].as_str(), Some("github-pages"));
}

#[test]
fn the_workflow_build_command_makes_a_project_site() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let (_, step) = build_step(&steps);
    let run = step["run"].as_str().unwrap();
    // What configure-pages reports for a project site: no trailing slash.
    let variable = step["env"]
        .as_mapping()
        .and_then(|env| env.keys().next())
        .and_then(Value::as_str)
        .unwrap_or("BASE_URL");
    let arguments = build_arguments(run, &[(variable, "https://user.github.io/repo")]);
    let arguments: Vec<String> = arguments
        .into_iter()
        .map(|a| {
            a.replace(
                "${{ steps.pages.outputs.base_url }}",
                "https://user.github.io/repo",
            )
        })
        .collect();

    let site = common::site_copy(None);
    // The README's custom-domain file and a hidden file, which the artifact
    // keeps (include-hidden-files), are copied into the output.
    std::fs::create_dir_all(site.path().join("static/.well-known")).unwrap();
    std::fs::write(site.path().join("static/CNAME"), "research.example.org\n").unwrap();
    std::fs::write(
        site.path().join("static/.well-known/security.txt"),
        "Contact: x\n",
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(&arguments)
        .current_dir(site.path())
        .output()
        .expect("the dossier binary runs");
    assert!(
        status.status.success(),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let public = site.path().join("public");
    assert_eq!(common::read(&public, "CNAME"), "research.example.org\n");
    assert_eq!(
        common::read(&public, ".well-known/security.txt"),
        "Contact: x\n"
    );
    let html = common::read(&public, "index.html");
    let site_links: Vec<String> = common::links(&html)
        .into_iter()
        .filter(|l| l.starts_with('/'))
        .collect();
    assert!(!site_links.is_empty());
    for link in &site_links {
        assert!(
            link.starts_with("/repo/"),
            "{link} does not work under /repo/"
        );
    }
}
