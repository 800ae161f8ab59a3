//! The command line, as clap derive types.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// dossier: build research websites from plain files.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    /// The site folder (holds site.yaml and content/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// The output folder (default: `<root>/public`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The URL the site is published at; wins over site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print how long each stage took (load, resolve, render, write).
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve on this machine, rebuild on change and reload open pages.
    Serve {
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on (anything but loopback is reachable
        /// from other machines).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The URL to build the site for (default: the server's own
        /// address); the site is then served under its path.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check everything a build checks, writing nothing.
    Check {
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create a content file from a commented template, never overwriting.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: crate::new::Kind,
        /// The new record's id: lowercase letters, digits and single hyphens.
        id: String,
        /// A date (EDTF): an event's `date` (it then goes under
        /// `content/events/<year>/`), a page's `date` or a source's `published`.
        #[arg(long)]
        date: Option<String>,
    },
}

/// How problems are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: file:line:col, the line, a hint.
    Text,
    /// One JSON object per line.
    Json,
    /// GitHub Actions annotations.
    Github,
}
