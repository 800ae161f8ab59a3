//! Writes a large, valid, deterministic dossier site for benchmarks.
//!
//! ```text
//! cargo run --release --example synth -- --events 10000 --out /tmp/synth [--seed 1]
//! ```
//!
//! N events (one file each, spread over ten years, 150–400 words of summary
//! with citations and cross-links, 2–4 actors, 1–3 sources, 1–2 places; one
//! in five with claims and casualty figures), N/10 actors with relations,
//! N/5 sources, N/20 places with coordinates, and a few pages. The same
//! arguments always write the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64: a tiny deterministic generator (no dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    /// `count` distinct numbers below `limit`.
    fn distinct(&mut self, count: usize, limit: usize) -> Vec<usize> {
        let mut picked: Vec<usize> = Vec::with_capacity(count);
        while picked.len() < count.min(limit) {
            let n = self.range(0, limit - 1);
            if !picked.contains(&n) {
                picked.push(n);
            }
        }
        picked
    }
}

const WORDS: &[&str] = &[
    "forces",
    "advanced",
    "village",
    "reported",
    "convoy",
    "attack",
    "desert",
    "officials",
    "claimed",
    "according",
    "monitor",
    "fighters",
    "killed",
    "wounded",
    "checkpoint",
    "offensive",
    "airstrikes",
    "government",
    "militia",
    "border",
    "river",
    "province",
    "statement",
    "spokesman",
    "denied",
    "casualties",
    "ambush",
    "positions",
    "withdrew",
    "captured",
    "town",
    "outskirts",
    "supply",
    "route",
    "commanders",
    "reinforcements",
    "clashes",
    "heavy",
    "artillery",
    "shelling",
    "night",
    "morning",
    "several",
    "dozens",
    "civilians",
    "residents",
    "fled",
    "camp",
    "prison",
    "guards",
    "sources",
    "local",
    "activists",
    "footage",
    "released",
    "agency",
    "media",
    "coalition",
    "partners",
    "operation",
    "cleared",
    "pocket",
    "remaining",
    "cells",
    "insurgency",
    "bombing",
    "vehicle",
    "roadside",
    "device",
    "patrol",
    "base",
    "drone",
    "strike",
    "targeted",
    "leader",
];

const TYPES: &[&str] = &["attack", "battle", "airstrike", "statement", "capture"];
const STATUSES: &[&str] = &[
    "unverified",
    "disputed",
    "corroborated",
    "confirmed",
    "denied",
];
const ROLES: &[&str] = &[
    "perpetrator",
    "target",
    "participant",
    "supporter",
    "observer",
];
const RELATIONS: &[&str] = &["backed-by", "allied-with", "opposes", "part-of", "supports"];

struct Options {
    events: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut events = None;
    let mut out = None;
    let mut seed = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--events" => events = Some(value()?.parse().map_err(|e| format!("--events: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let events: usize = events.ok_or("--events N is required")?;
    if events < 20 {
        return Err("--events must be at least 20".into());
    }
    Ok(Options {
        events,
        out: out.ok_or("--out DIR is required")?,
        seed,
    })
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let word = WORDS[rng.range(0, WORDS.len() - 1)];
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("synth: {message}\nusage: synth --events N --out DIR [--seed S]");
            std::process::exit(2);
        }
    };
    if let Err(error) = generate(&options) {
        eprintln!("synth: {}: {error}", options.out.display());
        std::process::exit(2);
    }
}

fn generate(options: &Options) -> std::io::Result<()> {
    let n = options.events;
    let (actors, sources, places) = (n / 10, n / 5, n / 20);
    let mut rng = Rng(options.seed);
    let root = &options.out;
    if root.join("content").exists() {
        std::fs::remove_dir_all(root.join("content"))?;
    }
    let types: String = TYPES.iter().map(|t| format!("  - {t}\n")).collect();
    write(
        &root.join("site.yaml"),
        &format!(
            "title: Synthetic site ({n} events)\ndescription: A generated site for benchmarks.\nbase_url: /\nevent_types:\n{types}"
        ),
    )?;
    write(
        &root.join("content/index.md"),
        "---\ntitle: Synthetic site\n---\nA generated site for benchmarks [@source-0].\n",
    )?;
    for p in 0..3 {
        write(
            &root.join(format!("content/pages/page-{p}.md")),
            &format!(
                "---\ntitle: Analysis {p}\nkind: analysis\n---\n{} [[actor-{p}]] [@source-{p}].\n",
                sentence(&mut rng, 40)
            ),
        )?;
    }
    for s in 0..sources {
        let year = 2014 + s % 10;
        write(
            &root.join(format!("content/sources/source-{s}.md")),
            &format!(
                "---\ntitle: \"Report {s}: {}\"\npublisher: Outlet {}\npublished: {year}-{:02}\nkind: news\n---\n{}.\n",
                sentence(&mut rng, 6),
                s % 40,
                1 + s % 12,
                sentence(&mut rng, 60)
            ),
        )?;
    }
    for p in 0..places {
        let within = if p >= 10 {
            format!("within: place-{}\n", p % 10)
        } else {
            String::new()
        };
        let lat = 32.0 + (rng.range(0, 6000) as f64) / 1000.0;
        let lon = 36.0 + (rng.range(0, 8000) as f64) / 1000.0;
        write(
            &root.join(format!("content/places/place-{p}.yaml")),
            &format!("name: Place {p}\nkind: town\n{within}lat: {lat:.3}\nlon: {lon:.3}\n"),
        )?;
    }
    for a in 0..actors {
        let mut relations = String::new();
        for other in rng.distinct(2, actors) {
            if other != a {
                let kind = RELATIONS[rng.range(0, RELATIONS.len() - 1)];
                let _ = writeln!(
                    relations,
                    "  - {{ type: {kind}, actor: actor-{other}, from: {}, cite: source-{} }}",
                    2014 + rng.range(0, 9),
                    rng.range(0, sources - 1)
                );
            }
        }
        let relations = if relations.is_empty() {
            String::new()
        } else {
            format!("relations:\n{relations}")
        };
        write(
            &root.join(format!("content/actors/actor-{a}.md")),
            &format!(
                "---\nname: Actor {a}\nkind: armed-group\naliases: [A{a}]\n{relations}---\n{} [@source-{}].\n",
                sentence(&mut rng, 50),
                rng.range(0, sources - 1)
            ),
        )?;
    }
    for e in 0..n {
        let year = 2014 + e % 10;
        let month = 1 + rng.range(0, 11);
        let day = 1 + rng.range(0, 27);
        let (n_cited, n_involved, n_at) = (rng.range(1, 3), rng.range(2, 4), rng.range(1, 2));
        let mut cited = rng.distinct(n_cited, sources);
        // Every source is cited at least once (one in five events names one
        // in turn), so that the site builds without warnings at any size.
        if e % 5 == 0 && e / 5 < sources && !cited.contains(&(e / 5)) {
            cited[0] = e / 5;
        }
        let involved = rng.distinct(n_involved, actors);
        let at = rng.distinct(n_at, places);
        let mut summary = String::new();
        let target = rng.range(150, 400);
        let mut words = 0;
        while words < target {
            let length = rng.range(12, 25);
            let _ = writeln!(
                summary,
                "  {} [[actor-{}]] [@source-{}, para {}].",
                sentence(&mut rng, length),
                involved[words % involved.len()],
                cited[words % cited.len()],
                rng.range(1, 30)
            );
            words += length + 1;
        }
        let actors_yaml: String = involved
            .iter()
            .map(|a| {
                format!(
                    "  - {{ actor: actor-{a}, role: {} }}\n",
                    ROLES[rng.range(0, ROLES.len() - 1)]
                )
            })
            .collect();
        let sources_yaml: String = cited
            .iter()
            .map(|s| {
                format!(
                    "  - {{ source: source-{s}, loc: para {} }}\n",
                    rng.range(1, 30)
                )
            })
            .collect();
        let places_yaml: Vec<String> = at.iter().map(|p| format!("place-{p}")).collect();
        let mut extra = String::new();
        if e % 5 == 0 {
            let status = STATUSES[rng.range(0, STATUSES.len() - 1)];
            let _ = write!(
                extra,
                "claims:\n  - by: actor-{}\n    text: {}.\n    status: {status}\n    cite: source-{}\ncasualties:\n  - group: fighters\n    killed: {}\n    by: actor-{}\n    status: unverified\n    cite: source-{}\n  - group: fighters\n    killed: {{ low: {} }}\n    as_stated: more than {}\n    status: disputed\n    cite: source-{}\n",
                involved[0],
                sentence(&mut rng, 10),
                cited[0],
                rng.range(1, 90),
                involved[1],
                cited[0],
                rng.range(10, 50),
                rng.range(10, 50),
                cited[cited.len() - 1]
            );
        }
        write(
            &root.join(format!("content/events/{year}/event-{e}.yaml")),
            &format!(
                "title: \"Event {e}: {}\"\ndate: {year}-{month:02}-{day:02}\ntype: {}\nplaces: [{}]\nactors:\n{actors_yaml}tags: [tag-{}, tag-{}]\nsummary: |\n{summary}sources:\n{sources_yaml}{extra}",
                sentence(&mut rng, 6),
                TYPES[e % TYPES.len()],
                places_yaml.join(", "),
                e % 30,
                rng.range(0, 99)
            ),
        )?;
    }
    eprintln!(
        "wrote {n} events, {actors} actors, {sources} sources, {places} places into {}",
        root.display()
    );
    Ok(())
}
