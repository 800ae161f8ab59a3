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
        /// The output folder (default: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The URL the site is published at; wins over site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check everything a build checks, writing nothing.
    Check {
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
