#!/usr/bin/env bash
# Where claimlint's time goes: callgrind on the first MB of the generated big.md.
#
#   bash bench/profile.sh [--mb MB] [--data DIR]
#
# Needs the corpora (bash bench/run.sh, or python3 bench/generate.py). Installs valgrind if
# missing. Builds claimlint in release mode with line tables into target/bench-profile/, so the
# normal release build is left alone. Writes the callgrind output into the data folder, which is
# git-ignored: never commit it. Prints instructions (Ir) per function, self cost summed over the
# source files inlined into it, and the inclusive cost of claimlint's own stages.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
MB=1
DATA="$BENCH/data"
while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB="$2"; shift 2 ;;
        --data) DATA="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -f "$DATA/big.md" ] || { echo "profile.sh: no $DATA/big.md; run bench/run.sh or bench/generate.py first" >&2; exit 2; }

if ! command -v valgrind >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind >/dev/null
fi

cd "$ROOT"
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --quiet --target-dir target/bench-profile
BIN="$ROOT/target/bench-profile/release/claimlint"

SLICE="$DATA/slice-${MB}mb.md"
python3 - "$DATA/big.md" "$SLICE" "$MB" <<'EOF'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(src, "rb") as f:
    data = f.read(int(mb * 1_000_000))
open(dst, "wb").write(data[: data.rfind(b"\n\n") + 1])  # end at a paragraph
EOF
OUT="$DATA/callgrind.out"
echo "profile: $(wc -c < "$SLICE") bytes; callgrind runs ~50-100x slower than native" >&2
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN" check --format json "$SLICE" > /dev/null 2> "$DATA/callgrind.log" || true
grep -E "Collected" "$DATA/callgrind.log" >&2 || true

set +o pipefail  # head closes the pipes below early
TOTAL="$(callgrind_annotate --auto=no "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}')"
echo "## self cost per function (Ir, summed over inlined source files)"
callgrind_annotate --auto=no --threshold=100 "$OUT" 2>/dev/null | sed -n '/file:function/,$p' |
    awk -v total="$TOTAL" 'NR>2 && /^ *[0-9,]+ /{n=$1; gsub(",","",n); line=$0;
        sub(/^ *[0-9,]+ +\([ 0-9.]+%\) +/,"",line); sub(/ \[[^]]*\]$/,"",line);
        fn=line; sub(/^[^:]*:/,"",fn); s[fn]+=n}
        END{for(k in s) printf "%16.0f %6.2f%%  %s\n", s[k], 100*s[k]/total, k}' |
    sort -nr | head -25
echo
echo "## inclusive cost of claimlint's stages (largest entry per function)"
callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$OUT" 2>/dev/null | sed -n '/file:function/,$p' |
    awk -v total="$TOTAL" 'NR>2 && /^ *[0-9,]+ /{n=$1; gsub(",","",n); line=$0;
        sub(/^ *[0-9,]+ +\([ 0-9.]+%\) +/,"",line); sub(/ \[[^]]*\]$/,"",line);
        fn=line; sub(/^[^:]*:/,"",fn); n+=0; if (!(fn in m) || n>m[fn]) m[fn]=n}
        END{for(k in m) printf "%16.0f %6.2f%%  %s\n", m[k], 100*m[k]/total, k}' |
    grep -E 'claimlint::|RegexSet|AhoCorasickBuilder::build|Regex::new|toml::de::from_str|serde_json::ser::to_writer' |
    grep -v -E '\{\{closure\}\}|core::ops::function' | sort -nr | head -25
echo
echo "(full data: callgrind_annotate $OUT)"
