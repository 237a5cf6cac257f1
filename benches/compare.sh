#!/usr/bin/env bash
# Side-by-side benchmark: briefing against Hugo and against the floor (bare
# pulldown-cmark on all cores plus the file writes), on identical generated
# corpora, with output on tmpfs. Runs alternate between the tools; the report
# gives medians of wall time, CPU time (user + system) and peak memory, and
# their ratios. The runs and the report are in benches/compare.py.
#
#   bash benches/compare.sh [--runs N] [--sizes "10 1000 10000 100000"] [--generator CMD]
#
# At 10,000 pages it also times `briefing serve` from a save to the reloaded
# page: a page's text, a value in the data file, the base template.
#
# --generator replaces the project's corpus generator by another with the same
# arguments, e.g. --generator "python3 ../shared/bench/gensite.py"; the
# results site and its charts are then left as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
sizes="10 1000 10000 100000"
generator=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--sizes \"10 1000 10000 100000\"] [--generator CMD]" >&2; exit 2 ;;
  esac
done

need=()
command -v hugo >/dev/null || need+=(hugo)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet --bin briefing --example gensite --example floor
bin=$PWD/target/release/briefing
gensite=$PWD/target/release/examples/gensite
floor=$PWD/target/release/examples/floor

work=/dev/shm/briefing-bench
[ -d /dev/shm ] || work=$(mktemp -d)
rm -rf "$work" && mkdir -p "$work"
if [ -n "$generator" ]; then
  python3 benches/compare.py --runs "$runs" --sizes "$sizes" --work "$work" \
    --briefing "$bin" --gensite "$generator" --floor "$floor"
  exit
fi
python3 benches/compare.py --runs "$runs" --sizes "$sizes" --work "$work" \
  --briefing "$bin" --gensite "$gensite" --floor "$floor" --results benches/results
# The charts of the manual's Benchmarks page, drawn by briefing's own chart engine.
for chart in wall memory; do
  "$bin" chart "$chart" --root benches/results --output "benches/results/$chart.svg"
done
# The manual's Benchmarks page draws its chart and table from the same data.
cp benches/results/content/data.toml docs/content/data.toml
