#!/usr/bin/env bash
# Where claimlint's time goes, by pipeline stage: `perf record` of `check --format json` on the
# generated site tree and big.md, self time grouped by bench/stages.py.
#
#   bash bench/perf.sh [--data DIR] [--bin PATH]
#
# Needs the corpora (bash bench/run.sh, or python3 bench/generate.py) and `perf` (linux-tools;
# not installed by this script: it depends on the kernel). Uses target/release/claimlint unless
# --bin is given. Writes perf data into the data folder, which is git-ignored.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
DATA="$BENCH/data"
BIN="$ROOT/target/release/claimlint"
while [ $# -gt 0 ]; do
    case "$1" in
        --data) DATA="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "perf.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
command -v perf >/dev/null 2>&1 || { echo "perf.sh: perf is not installed" >&2; exit 2; }
[ -d "$DATA/site" ] && [ -f "$DATA/big.md" ] || { echo "perf.sh: no corpora in $DATA; run bench/run.sh or bench/generate.py first" >&2; exit 2; }
[ -x "$BIN" ] || { echo "perf.sh: no $BIN; cargo build --release first" >&2; exit 2; }

cd "$DATA"
for corpus in site big.md; do
    out="$DATA/perf-${corpus%.md}.data"
    perf record -q -F 2000 -o "$out" "$BIN" check --format json "$corpus" > /dev/null 2>&1 || true
    echo "## $corpus: self time by stage ($(perf report -i "$out" --stdio 2>/dev/null | awk '/^# Samples/{print $3, "samples"}'))"
    echo
    echo "| stage | share |"
    echo "|---|---:|"
    perf report -i "$out" --no-children --sort dso,symbol --stdio 2>/dev/null | python3 "$BENCH/stages.py"
    echo
done
