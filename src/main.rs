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

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, in
/// `mimalloc.h`; the `libmimalloc-sys` bindings do not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets how a build's memory is managed; done before any other thread
/// starts.
///
/// - mimalloc hands memory a build frees back to the system after 10 ms
///   rather than mimalloc 3's default of one second. A build frees a lot
///   as it goes (the parsers' scratch memory, each page once written), and
///   held for a second it added about 90 MB to the peak of a 10,000-event
///   build (290 MB against 200 MB), for no measurable gain in speed. 10 ms
///   was mimalloc 2's default.
/// - No transparent huge pages (Linux). mimalloc asks for them, so a
///   fault in memory it had handed back zeroes a whole 2 MB page: the
///   kernel zeroing pages was 9% of a 100,000-event build's samples under
///   `perf`. Without them, alternated builds of 100,000 events took 17.2 s
///   against 18.8 s (system time 6.4 s against 8.6; peak 1,299 MiB against
///   1,381); at 10,000 the time was the same and the peak 146 MiB against
///   177. mimalloc's own option for this is read before `main` runs, too
///   late to set here.
fn tune_memory() {
    // SAFETY: setting an option is a plain store into mimalloc's option
    // table; it is done before any other thread starts.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
    no_huge_pages();
}

/// Turns transparent huge pages off for this process, where the system
/// has them. Best effort: a kernel without the setting builds as before.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    tune_memory();
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
            Ok(report) => {
                print_diagnostics(&report.warnings, format);
                eprintln!(
                    "ok: {} pages, {} warnings",
                    report.pages,
                    report.warnings.len()
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

#[cfg(test)]
mod tests {
    use super::PURGE_DELAY;

    /// `PURGE_DELAY` names the purge delay: the one option whose default
    /// is 1000 (ms) in mimalloc 3. A mimalloc upgrade that renumbers the
    /// options fails here rather than setting some other option.
    #[test]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reading an option is a plain load from mimalloc's table.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(default, 1000);
    }

    /// The build runs without transparent huge pages.
    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off() {
        super::no_huge_pages();
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}
