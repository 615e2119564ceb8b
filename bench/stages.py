#!/usr/bin/env python3
"""Groups a `perf report` of claimlint by pipeline stage.

    perf report -i FILE --no-children --sort dso,symbol --stdio 2>/dev/null | python3 bench/stages.py

Reads the self-time lines (`  12.34%  dso  [.] symbol`) and sums them into the stages below, by
the first pattern that matches the symbol (or the dso, for the kernel). Used by bench/perf.sh.
"""
import re
import sys

# (stage, pattern over "dso symbol"), first match wins.
STAGES = [
    # Matcher::scan holds the four-lane walk of engine/lanes.rs and, inlined, part of the hit
    # handling: counted here as the scan.
    ("Aho-Corasick scan (walk in lanes; Matcher::scan)", r"aho_corasick::automaton::try_find|aho_corasick::.*::next_state|claimlint::engine::lanes::|claimlint::engine::matcher::Matcher::scan(\s|$)"),
    ("Aho-Corasick build (start-up NFA, DFA after 4 MB)", r"aho_corasick::"),
    ("regexes (anchored searches at prefix hits)", r"regex_automata::|regex::|claimlint::engine::patterns::"),
    ("matcher bookkeeping (hits, anchors, word boundaries)", r"claimlint::engine::matcher::|claimlint::engine::text::on_word|claimlint::engine::assemble"),
    ("claim finding (composites, negation, lists, cues)", r"claimlint::engine::claims::|claimlint::engine::text::|claimlint::judge::|claimlint::engine::cues|DocumentCues|SliceContains"),
    ("segmentation", r"claimlint::engine::segment::"),
    ("normalization", r"claimlint::engine::normalize::"),
    ("extraction: HTML", r"html5gum::|claimlint::source::extract::html|claimlint::source::extract::entities"),
    ("extraction: Markdown and text builder", r"pulldown_cmark::|claimlint::source::extract::"),
    ("file to diagnostics (check_file, maps, reading, decoding)", r"claimlint::engine::Engine::|claimlint::source::|claimlint::app::check|OffsetMap|from_utf8|Utf8Chunks"),
    ("report: JSON and positions", r"serde_json::|claimlint::report::|itoa::|LineIndex|core::fmt::"),
    ("walking and configuration", r"ignore::|walkdir::|globset::|claimlint::config::|std::path::|std::fs::|statx"),
    ("allocator", r"malloc|_int_free|cfree|realloc|free@|sysmalloc|unlink_chunk|_mi_|mi_"),
    ("memory copies and compares", r"memmove|memcpy|memset|memcmp|memchr"),
    ("sorting", r"sort::"),
    ("string searches (str::find, split, contains)", r"core::str::pattern::|str::.*::Pattern"),
    ("rayon and threads", r"rayon|crossbeam|futex|pthread|__lll_lock"),
    ("kernel (reads, page faults, scheduling)", r"\[kernel|^\S*kernel"),
]

def main() -> None:
    totals: dict[str, float] = {}
    line_re = re.compile(r"^\s+([0-9.]+)%\s+(\S+)\s+\[(.)\]\s+(.*?)\s*$")
    for line in sys.stdin:
        m = line_re.match(line)
        if not m:
            continue
        pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4)
        key = f"{dso} {sym}" if kind != "k" else f"[kernel] {sym}"
        stage = next((name for name, pat in STAGES if re.search(pat, key)), "other")
        totals[stage] = totals.get(stage, 0.0) + pct
    for name, pct in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {pct:.1f} % |")

if __name__ == "__main__":
    main()
