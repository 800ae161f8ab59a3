//! The `dossier` binary: parse the command line, run the library, print
//! problems, exit 0 (success), 1 (problems in the content) or 2 (usage or
//! environment failure).

use std::process::ExitCode;

use clap::Parser;
use dossier::Failure;
use dossier::cli::{Cli, Command, Format};
use dossier::diagnostics::{Diagnostic, Severity};

/// mimalloc: a build allocates many small strings on two threads, and the
/// system allocator spent about a fifth of a 10,000-event build in malloc
/// and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            out,
            base_url,
            format,
            timings,
        } => {
            let out = out.unwrap_or_else(|| cli.root.join("public"));
            let started = std::time::Instant::now();
            let code = match dossier::build(&cli.root, &out, base_url.as_deref()) {
                Ok(built) => {
                    print_diagnostics(&built.report.warnings, format);
                    let files = format!(
                        "{} pages ({} files, {} KB",
                        built.report.pages,
                        built.written.files,
                        built.written.bytes / 1024
                    );
                    let elapsed = started.elapsed().as_millis();
                    if built.up_to_date {
                        eprintln!(
                            "up to date: {files}) in {}, nothing it is built from changed ({elapsed} ms)",
                            out.display()
                        );
                    } else {
                        eprintln!(
                            "built {files}, {} changed) into {} in {elapsed} ms",
                            built.written.changed,
                            out.display()
                        );
                    }
                    if timings && !built.up_to_date {
                        let t = built.report.timings;
                        eprintln!(
                            "timings: load {} ms, resolve {} ms, render {} ms, write {} ms",
                            t.load.as_millis(),
                            t.resolve.as_millis(),
                            t.render.as_millis(),
                            t.write.as_millis()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => report_failure(failure, format),
            };
            // The old output is removed in the background: let it finish
            // rather than leave it in the staging folder at exit.
            dossier::output::wait_for_removals();
            code
        }
        Command::Serve {
            port,
            bind,
            base_url,
        } => {
            let options = dossier::serve::Options {
                root: cli.root,
                port,
                bind,
                base_url,
            };
            match dossier::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => report_failure(failure, Format::Text),
            }
        }
        Command::Check { format } => match dossier::check(&cli.root) {
            Ok(compiled) => {
                print_diagnostics(&compiled.report.warnings, format);
                eprintln!(
                    "ok: {} pages, {} warnings",
                    compiled.report.pages,
                    compiled.report.warnings.len()
                );
                ExitCode::SUCCESS
            }
            Err(failure) => report_failure(failure, format),
        },
        Command::New { kind, id, date } => {
            match dossier::new::create(&cli.root, kind, &id, date.as_deref()) {
                Ok(created) => {
                    println!("{}", cli.root.join(&created.path).display());
                    eprintln!("created: {}", created.next_steps());
                    ExitCode::SUCCESS
                }
                Err(refusal) => {
                    eprint!("{refusal}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn report_failure(failure: Failure, format: Format) -> ExitCode {
    match failure {
        Failure::Content(diagnostics) => {
            print_diagnostics(&diagnostics, format);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!("{errors} error(s); nothing was written");
            ExitCode::from(1)
        }
        Failure::Environment(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
    for diagnostic in diagnostics {
        match format {
            Format::Text => eprint!("{}", diagnostic.render_text()),
            Format::Json => println!("{}", serde_json::to_string(diagnostic).unwrap_or_default()),
            Format::Github => println!("{}", diagnostic.render_github()),
        }
    }
}
