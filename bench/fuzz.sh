#!/usr/bin/env bash
# Runs claimlint's fuzz targets (src/fuzz.rs) for a fixed time each, on stable Rust:
#
#   bash bench/fuzz.sh [SECONDS_PER_TARGET] [--out FILE]
#
# Default: 600 seconds per target (readers in every format and encoding, arbitrary bytes, and
# the whole pipeline from bytes to diagnostics on 1 and 4 threads). Prints executions and
# failures per target and writes them to bench/results/fuzz.md; an input that fails is saved in
# target/fuzz-found/ and the script exits 1. Needs only cargo (proptest is a dev-dependency).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECS=600
OUT="$ROOT/bench/results/fuzz.md"
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) SECS="$1"; shift ;;
    esac
done

cd "$ROOT"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
status=0
CLAIMLINT_FUZZ_SECS="$SECS" cargo test --release --lib fuzz_for_a_time_budget \
    -- --ignored --nocapture --test-threads 1 | tee "$LOG" || status=$?
{
    echo "# Fuzzing: executions per target"
    echo
    echo "\`bash bench/fuzz.sh $SECS\` at $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), on $(nproc) CPUs."
    echo
    # libtest prints the test's name on the line where its output begins.
    grep -o '|.*|$' "$LOG" || true
    grep '^failure in' "$LOG" || true
} > "$OUT"
echo "wrote $OUT"
exit "$status"
