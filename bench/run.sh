#!/usr/bin/env bash
# Benchmark dossier on synthetic sites: median wall time, CPU time and peak
# memory of a full build (into an empty folder), of a no-op rebuild, of a
# rebuild after an edit to one event, with the pages and bytes written and
# the stage times. A thin wrapper of
# `cargo bench --bench build` (benches/build.rs says how it measures).
#
#   bench/run.sh [SIZES...]          default: 1000 10000  (add 100000 for the big one)
#   RUNS=5 bench/run.sh 10000        runs per measurement (default 5)
#   BENCH_DIR=DIR bench/run.sh       sites and outputs (default target/bench-sites)
#
# Quote the machine line it prints (cores, CPU, load) with the figures: the
# write stage is bound by the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOSSIER_BENCH_RUNS=${RUNS:-${DOSSIER_BENCH_RUNS:-5}}
if [ -n "${BENCH_DIR:-}" ]; then
  export DOSSIER_BENCH_DIR=$BENCH_DIR
fi
exec cargo bench --quiet --bench build -- "$@"
