#!/usr/bin/env bash
# How long `dossier serve` takes from saving one event to its reload
# message: starts serve on a synthetic site, edits the title of one event
# EDITS times (waiting for each rebuild), and prints serve's own
# "rebuilt N pages in X ms" lines. The event is restored at the end.
#
#   bench/serve-edit.sh SITE [EDITS]     e.g. target/bench-sites/site-10000 (made by bench/run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
site=$1
edits=${2:-5}
cargo build --release --quiet --bin dossier
event=$(find "$site/content/events" -name '*.yaml' | sort | sed -n 1p)
log=$(mktemp)
backup=$(mktemp)
cp "$event" "$backup"
target/release/dossier serve --root "$site" --port 0 2> "$log" &
serve=$!
trap 'kill $serve 2>/dev/null; cp "$backup" "$event"; rm -f "$log" "$backup"' EXIT
until grep -q "built into" "$log"; do sleep 0.2; done
for i in $(seq "$edits"); do
  before=$(grep -c '^rebuilt' "$log" || true)
  sed -i "s/^title: \"\([^\"]*\)\"/title: \"\1 (edit $i)\"/" "$event"
  until [ "$(grep -c '^rebuilt' "$log" || true)" -gt "$before" ]; do sleep 0.1; done
  sleep 1
done
grep '^rebuilt' "$log"
