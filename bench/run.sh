#!/usr/bin/env bash
# claimlint vs ripgrep, from a fresh clone, in one command:
#
#   bash bench/run.sh [-n RUNS] [--startup-runs N] [--budget SECONDS] [--data DIR]
#                     [--big-mb MB] [--files N] [--node-modules N] [--no-build]
#                     [--only tree,big,startup] [--out FILE]
#
# Installs ripgrep and GNU time if missing, builds claimlint in release mode, generates the
# corpora into bench/data/ if they are absent or stale, exports the pack's literals, times both
# tools side by side, prints a Markdown report and writes it to bench/results/latest.md.
# See bench/README.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
RUNS=5
STARTUP_RUNS=20
BUDGET=600
DATA="$BENCH/data"
GEN_ARGS=()
BUILD=1
OUT="$BENCH/results/latest.md"
ONLY="tree,big,startup"
INVOCATION="bash bench/run.sh${*:+ $*}"

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        -n|--runs) RUNS="$2"; shift 2 ;;
        --startup-runs) STARTUP_RUNS="$2"; shift 2 ;;
        --budget) BUDGET="$2"; shift 2 ;;
        --data) DATA="$2"; shift 2 ;;
        --big-mb|--files|--node-modules) GEN_ARGS+=("$1" "$2"); shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --out) OUT="$2"; shift 2 ;;
        --only) ONLY="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

say() { echo "bench: $*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    if [ "$APT_UPDATED" = 0 ]; then
        $SUDO apt-get update -qq || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null || return 1
}

# --- tools -----------------------------------------------------------------------------------
if ! command -v rg >/dev/null 2>&1; then
    say "installing ripgrep"
    if ! apt_install ripgrep; then
        say "apt-get failed; trying cargo install ripgrep"
        cargo install --locked ripgrep
        export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    fi
fi
RG="$(command -v rg)"
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time"
    apt_install time || { say "cannot install /usr/bin/time (package 'time')"; exit 2; }
fi
command -v python3 >/dev/null 2>&1 || { say "python3 (3.11+) is needed"; exit 2; }

# --- claimlint -------------------------------------------------------------------------------
cd "$ROOT"
if [ "$BUILD" = 1 ]; then
    say "building claimlint (release)"
    cargo build --release --quiet
fi
CLAIMLINT="${CARGO_TARGET_DIR:-$ROOT/target}/release/claimlint"
[ -x "$CLAIMLINT" ] || { say "no binary at $CLAIMLINT"; exit 2; }
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no -- src rules Cargo.toml Cargo.lock build.rs 2>/dev/null)" ]; then
    COMMIT="$COMMIT + uncommitted changes"
fi

# --- corpora ---------------------------------------------------------------------------------
say "generating corpora in $DATA (skipped when up to date)"
python3 "$BENCH/generate.py" "$DATA" --if-stale ${GEN_ARGS[@]+"${GEN_ARGS[@]}"}
LITERALS="$DATA/LITERALS"
"$CLAIMLINT" rules --export-literals > "$LITERALS"
say "$(grep -c . "$LITERALS") literals exported to $LITERALS"

# --- timing ----------------------------------------------------------------------------------
say "timing: $RUNS runs per command (budget ${BUDGET}s each), $STARTUP_RUNS start-up runs"
python3 "$BENCH/measure.py" \
    --claimlint "$CLAIMLINT" --rg "$RG" --literals "$LITERALS" --data "$DATA" \
    --runs "$RUNS" --startup-runs "$STARTUP_RUNS" --budget "$BUDGET" \
    --out "$OUT" --commit "$COMMIT" --invocation "$INVOCATION" --only "$ONLY"
say "report written to $OUT"
