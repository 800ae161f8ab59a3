#!/usr/bin/env bash
# Benchmark dossier on synthetic sites: median wall time, CPU time and peak
# memory of a full build (into an empty folder) and of a no-op rebuild, with
# the pages and bytes written.
#
#   bench/run.sh [SIZES...]          default: 1000 10000  (add 100000 for the big one)
#   RUNS=5 bench/run.sh 10000        runs per measurement (default 5)
#
# Needs GNU time (/usr/bin/time). Quote the machine (nproc, CPU, disk) with
# the figures: the write stage is bound by the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${BENCH_DIR:-$(mktemp -d /tmp/dossier-bench.XXXXXX)}

cargo build --release --quiet --bin dossier --example synth
dossier=target/release/dossier
synth=target/release/examples/synth

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # label, then the command; prints "wall user sys maxrss_kb" per run
  local out=$1; shift
  : > "$out"
  for _ in $(seq "$runs"); do
    [ "${FRESH:-0}" = 1 ] && rm -rf "$work/out" "$work/.dossier"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" 2> "$work/stderr" >/dev/null
    cat "$work/time" >> "$out"
  done
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%-8s %-7s %8s %8s %8s %9s  %s\n' events build wall_s user_s sys_s peak_MB "pages / bytes"
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  [ -d "$site/content" ] || "$synth" --events "$n" --out "$site" 2>/dev/null
  FRESH=1 measure "$work/full-$n" "$dossier" build --root "$site" --out "$work/out"
  summary=$(grep -o 'built [0-9]* pages ([0-9]* files, [0-9]* KB' "$work/stderr" || true)
  FRESH=0 measure "$work/noop-$n" "$dossier" build --root "$site" --out "$work/out"
  for kind in full noop; do
    f="$work/$kind-$n"
    printf '%-8s %-7s %8s %8s %8s %9s  %s\n' "$n" "$kind" \
      "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" \
      "$(cut -d' ' -f3 "$f" | median)" "$(( $(cut -d' ' -f4 "$f" | median | cut -d. -f1) / 1024 ))" \
      "$summary"
  done
done
