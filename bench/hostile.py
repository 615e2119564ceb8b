#!/usr/bin/env python3
"""Times claimlint on inputs built to be slow, each at two sizes, and shows whether time grows
in proportion to size (issue 17). Standard library only; never run by cargo test or CI.

    python3 bench/hostile.py [--bin target/release/claimlint] [--runs 3] [--out FILE]

Each case is generated into a temporary folder at a small and a large size (4x the bytes, or
of the count), timed `--runs` times (median wall time), and reported with the ratio of the
bytes written and of the times. A case is linear when the time ratio stays under 1.5x the size
ratio (start-up, about 20 ms, is part of both times, which only pulls the time ratio down).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Evidence and regulations for the test packs, shared with the CLI tests.
SOURCES_FILE = os.path.join(ROOT, "fixtures", "packs", "test-sources.toml")


def rule(i, pattern, fire, examples=True):
    """A rule with one regex, written as a TOML literal string ('...': no escapes)."""
    assert "'" not in pattern + fire
    text = f"""
[[rule]]
id = "test.r{i}"
category = "disease"
severity = "error"
message = "m"
rationale = "r"
suggestion = "s"
patterns = ['{pattern}']
[[rule.evidence]]
level = "X"
sources = ["E-T"]
summary = "n"
[[rule.regulatory]]
jurisdiction = "us"
note = "a US note"
refs = ["R-T"]
reviewed = "2026-11-22"
"""
    if examples:
        text += f"[rule.examples]\nfire = ['{fire}']\npass = ['nothing here']\n"
    return text


def write_pack(folder, rules):
    os.makedirs(folder, exist_ok=True)
    with open(SOURCES_FILE) as source, open(os.path.join(folder, "sources.toml"), "w") as f:
        f.write(source.read())
    with open(os.path.join(folder, "rules.toml"), "w") as f:
        f.write("".join(rules))


def repeat_to(unit, size):
    return unit * max(1, size // len(unit))


def deep_yaml(depth):
    lines = ["a:\n"] + ["  " * i + "b:\n" for i in range(1, depth)]
    lines.append("  " * depth + "description: It regrows hair.\n")
    return "".join(lines)


# (name, what the size counts, small, large, build(size, folder) -> command)
def cases(binary):
    def check(name, text, *flags):
        def build(size, folder):
            path = os.path.join(folder, name)
            with open(path, "w") as f:
                f.write(text(size))
            return [binary, "check", *flags, path]
        return build

    def user_regex(size, folder):
        pack = os.path.join(folder, "pack")
        write_pack(pack, [rule(0, "(a+)+$", "aaa")])
        path = os.path.join(folder, "a.txt")
        with open(path, "w") as f:
            f.write("a" * size + "b\n")
        return [binary, "check", "--format", "json", "--rules", pack, path]

    def many_rules(count, folder):
        pack = os.path.join(folder, "pack")
        write_pack(pack, [rule(i, f"\\bword{i}x\\w+ (?:cures?|heals?) \\w+", f"word{i}xa cures x")
                          for i in range(count)])
        return [binary, "rules", "--rules", pack]

    def pack_errors(count, folder):
        pack = os.path.join(folder, "pack")
        write_pack(pack, [rule(i, "cures", "", examples=False) for i in range(count)])
        return [binary, "rules", "--rules", pack]

    def suppressions(count, folder):
        path = os.path.join(folder, "s.md")
        line = "It regrows hair. <!-- claimlint-disable-line hair.regrowth -- approved -->\n"
        with open(path, "w") as f:
            f.write(line * count)
        return [binary, "check", "--format", "json", path]

    kb = 1024
    return [
        ("one sentence of repeated claims", "bytes", 256 * kb, 1024 * kb,
         check("s.txt", lambda n: repeat_to("It cures alopecia, ", n), "--format", "json")),
        ("no sentence break", "bytes", 256 * kb, 1024 * kb,
         check("b.txt", lambda n: repeat_to("regrows hair ", n), "--format", "json")),
        ("claims in one HTML attribute", "bytes", 1024 * kb, 4096 * kb,
         check("a.html", lambda n: '<img alt="' + repeat_to("regrows hair ", n) + '" src=x>',
               "--format", "json")),
        ("an action stem without a break", "bytes", 256 * kb, 1024 * kb,
         check("w.txt", lambda n: repeat_to("boosts", n), "--format", "json")),
        ("human output, findings on one line", "bytes", 256 * kb, 1024 * kb,
         check("h.txt", lambda n: repeat_to("Our serum regrows hair. ", n), "--color", "never")),
        ("used suppressions", "directives", 25_000, 100_000, suppressions),
        ("rule regex (a+)+$ on a line of a", "bytes", 200 * kb, 800 * kb, user_regex),
        ("YAML nesting", "levels", 1_500, 3_000, check("d.yaml", deep_yaml, "--format", "json")),
        ("a pack of many regex rules", "rules", 1_250, 5_000, many_rules),
        ("a pack with many errors", "errors", 5_000, 20_000, pack_errors),
    ]


def input_bytes(folder):
    total = 0
    for base, _, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(base, f)) for f in files)
    return total


def timed(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "claimlint"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "hostile.md"))
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"hostile.py: no binary at {args.bin}: run cargo build --release")

    rows = []
    for name, unit, small, large, build in cases(args.bin):
        measured = []
        for size in (small, large):
            with tempfile.TemporaryDirectory() as folder:
                command = build(size, folder)
                measured.append((input_bytes(folder), timed(command, args.runs)))
        (b1, t1), (b2, t2) = measured
        # The ratio of the bytes written (YAML nesting grows its bytes faster than its levels).
        size_ratio = b2 / b1
        time_ratio = t2 / t1 if t1 > 0 else float("inf")
        verdict = "linear" if time_ratio <= 1.5 * size_ratio else "**faster than linear**"
        rows.append(f"| {name} | {small:,} → {large:,} {unit} ({b1 / 1e6:.2f} → {b2 / 1e6:.2f} MB) "
                    f"| {t1:.3f} s | {t2:.3f} s | {size_ratio:.1f}× | {time_ratio:.2f}× | {verdict} |")
        print(rows[-1], flush=True)

    report = [
        "# Hostile inputs: time at two sizes",
        "",
        f"`python3 bench/hostile.py --runs {args.runs}`, median wall time of {args.runs} runs, "
        f"on {os.cpu_count()} CPUs. Start-up (about 20 ms) is included in every time.",
        "",
        "| case | size | small | large | bytes ratio | time ratio | growth |",
        "|---|---|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(report))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
