#!/usr/bin/env python3
"""Time claimlint against ripgrep on the generated corpora; print a Markdown report.

Called by bench/run.sh, which installs the tools, builds claimlint and generates the data. Every
command runs once per round, round after round, so a burst of load from elsewhere on the machine
hits all of them alike; medians are taken over the rounds. A command whose runs have used up the
time budget stops being repeated (it always gets at least one run): the table says how many runs
each median is over. Wall time is measured here (perf_counter around the process); CPU time and
peak RSS come from `/usr/bin/time -f '%U %S %M'`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

GNU_TIME = "/usr/bin/time"


@dataclass
class Bench:
    key: str
    corpus: str  # "tree", "big", "startup"
    tool: str
    argv: list[str]
    files: int | None
    bytes: int
    note: str = ""
    ok_codes: tuple[int, ...] = (0, 1)  # claimlint: 1 = claims found; rg: 1 = no match
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def median_wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None


def run_once(b: Bench, timeout: float) -> None:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, \
            tempfile.TemporaryFile("w+b") as err:
        argv = [GNU_TIME, "-f", "%U %S %M", "-o", tf.name, *b.argv]
        # A blocking wait, with a timer that kills on timeout: `subprocess.run(timeout=...)`
        # polls with sleeps of up to 50 ms, which made every start-up figure up to 50 ms late.
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        proc.wait()
        wall = time.perf_counter() - start
        timed_out = not timer.is_alive()
        timer.cancel()
        if timed_out:
            b.failures.append(f"timed out after {timeout:.0f} s")
            return
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode not in b.ok_codes:
            b.failures.append(f"exit {proc.returncode}: {stderr[-400:].strip()}")
            return
        skipped = [line for line in stderr.splitlines() if "skipped" in line.lower()]
        if b.tool == "claimlint" and skipped:
            # A file left unread (a size limit, say) would make the run look fast.
            b.failures.append(f"{len(skipped)} skipped: {skipped[0][:200]}")
            return
        fields = tf.read().split()[-3:]  # GNU time may print "Command exited with ..." first
        user, sys_, rss = float(fields[0]), float(fields[1]), int(fields[2])
    b.walls.append(wall)
    b.cpus.append(user + sys_)
    b.rss_kb.append(rss)


def count_lines(argv: list[str]) -> int:
    out = subprocess.run(argv, capture_output=True, check=False).stdout
    return out.count(b"\n")


def claimlint_honours_gitignore(claimlint: str, data: Path) -> bool:
    """Probe: a tiny tree beside the corpora (so in the same git context) with an ignored claim."""
    with tempfile.TemporaryDirectory(dir=data, prefix="probe-") as d:
        root = Path(d)
        (root / ".gitignore").write_text("node_modules/\n")
        (root / "node_modules").mkdir()
        (root / "node_modules" / "vendored.md").write_text("No side effects.\n")
        (root / "page.md").write_text("No side effects.\n")
        out = subprocess.run([claimlint, "check", "--format", "json", str(root)],
                             capture_output=True, check=False).stdout
        try:
            doc = json.loads(out)
        except json.JSONDecodeError:
            return False
        return not any("node_modules" in x.get("path", "") for x in doc.get("diagnostics", []))


def tree_bytes(root: Path, skip_node_modules: bool) -> tuple[int, int]:
    files = total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [n for n in dirnames
                       if not n.startswith(".") and not (skip_node_modules and n == "node_modules")]
        for name in filenames:
            if name.startswith("."):
                continue
            files += 1
            total += os.path.getsize(os.path.join(dirpath, name))
    return files, total


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": mem,
            "kernel": platform.release(), "load": loadavg()}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
        return out.splitlines()[0].strip() if out else "unknown"
    except OSError:
        return "unknown"


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--claimlint", required=True)
    ap.add_argument("--rg", required=True)
    ap.add_argument("--literals", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--startup-runs", type=int, default=20)
    ap.add_argument("--budget", type=float, default=600.0,
                    help="stop repeating a command once its runs add up to this many seconds")
    ap.add_argument("--timeout", type=float, default=3600.0, help="kill one run after this long")
    ap.add_argument("--out", required=True, help="Markdown report to write")
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--invocation", default="bash bench/run.sh")
    ap.add_argument("--only", default="tree,big,startup",
                    help="comma-separated corpora to time: tree, big, startup (default all)")
    args = ap.parse_args()
    only = {c.strip() for c in args.only.split(",") if c.strip()}
    if not only <= {"tree", "big", "startup"}:
        ap.error("--only takes tree, big and startup")

    data = Path(args.data).resolve()
    manifest = json.loads((data / "manifest.json").read_text())
    tree, big, empty = data / "site", data / "big.md", data / "empty.md"
    cl, rg, lit = args.claimlint, args.rg, args.literals
    started = dt.datetime.now(dt.timezone.utc)
    load_before = loadavg()

    # What each tool scans in the tree: rg lists its own files; claimlint is probed.
    all_files, all_bytes = tree_bytes(tree, skip_node_modules=False)
    kept_files, kept_bytes = tree_bytes(tree, skip_node_modules=True)
    rg_files = count_lines([rg, "--files", str(tree)])
    rg_all_files = count_lines([rg, "--files", "--no-ignore", str(tree)])
    rg_skips = rg_files == kept_files
    cl_skips = claimlint_honours_gitignore(cl, data)
    top = sorted(p for p in tree.iterdir() if not p.name.startswith(".") and p.name != "node_modules")
    n_literals = sum(1 for line in Path(lit).read_text().splitlines() if line)

    def scans(skips: bool) -> tuple[int, int, str]:
        if skips:
            return kept_files, kept_bytes, "skips node_modules/"
        return all_files, all_bytes, "scans node_modules/"

    rg_cmd = [rg, "-i", "-c", "-F", "-f", lit]
    # The default --max-filesize (512M) takes big.md (200 MB) as a user's run would.
    cl_cmd = [cl, "check", "--format", "json"]
    f1, b1, n1 = scans(cl_skips)
    f2, b2, n2 = scans(rg_skips)
    benches = [
        Bench("tree-cl", "tree", "claimlint", [*cl_cmd, str(tree)], f1, b1, n1),
        Bench("tree-rg", "tree", "rg", [*rg_cmd, str(tree)], f2, b2, n2),
    ]
    if cl_skips != rg_skips:
        # The same files for both: rg made to scan node_modules/ too, and claimlint given the
        # top-level folders other than node_modules/.
        if cl_skips:
            # Outside a git repository rg ignores .gitignore unless told not to require git.
            benches.append(Bench("tree-rg-same", "tree", "rg",
                                 [rg, "--no-require-git", *rg_cmd[1:], str(tree)],
                                 kept_files, kept_bytes, "--no-require-git: skips node_modules/"))
        else:
            benches.append(Bench("tree-rg-same", "tree", "rg", [rg, "--no-ignore", *rg_cmd[1:], str(tree)],
                                 rg_all_files, all_bytes, "--no-ignore: scans node_modules/ like claimlint"))
            benches.append(Bench("tree-cl-same", "tree", "claimlint", [*cl_cmd, *map(str, top)],
                                 kept_files, kept_bytes, "top-level folders named, node_modules/ left out"))
    big_bytes = big.stat().st_size
    benches += [
        Bench("big-cl", "big", "claimlint", [*cl_cmd, str(big)], 1, big_bytes),
        Bench("big-rg", "big", "rg", [*rg_cmd, str(big)], 1, big_bytes),
        Bench("start-cl", "startup", "claimlint", [cl, "check", str(empty)], 1, 0,
              "loads and compiles the embedded pack"),
        Bench("start-rg", "startup", "rg", [*rg_cmd, str(empty)], 1, 0,
              f"compiles the {n_literals} literals"),
        Bench("start-cl-version", "startup", "claimlint", [cl, "--version"], None, 0,
              "process start only, no pack"),
    ]

    benches = [b for b in benches if b.corpus in only]

    # Warm the page cache: rg reads every file of the tree (with --no-ignore) and the big file.
    for argv in ([rg, "--no-ignore", *rg_cmd[1:], str(tree)], [*rg_cmd, str(big)]):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    rounds = max(args.runs, args.startup_runs)
    for i in range(rounds):
        for b in benches:
            limit = args.startup_runs if b.corpus == "startup" else args.runs
            if len(b.walls) + len(b.failures) >= limit:
                continue
            if b.walls and sum(b.walls) >= args.budget:
                continue
            if b.failures and not b.walls and len(b.failures) >= 1 and b.corpus != "startup":
                continue  # a command that fails is not retried
            run_once(b, args.timeout)
            if b.corpus != "startup":
                last = fmt_s(b.walls[-1]) if b.walls and not b.failures else "failed"
                print(f"bench: round {i + 1}: {b.key}: {last}", file=sys.stderr, flush=True)

    finished = dt.datetime.now(dt.timezone.utc)
    report = render(args, manifest, benches, machine(), started, finished, load_before,
                    {"rg_files": rg_files, "rg_all_files": rg_all_files, "kept_files": kept_files,
                     "all_files": all_files, "rg_skips": rg_skips, "cl_skips": cl_skips,
                     "n_literals": n_literals, "rg_version": version([rg, "--version"]),
                     "cl_version": version([cl, "--version"])})
    sys.stdout.write(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report)
    return 0 if all(b.walls for b in benches) else 1


def render(args, manifest, benches: list[Bench], mach, started, finished, load_before, facts) -> str:
    by = {b.key: b for b in benches}

    def ratio(ours: str, theirs: str) -> float | None:
        a, b = by.get(ours), by.get(theirs)
        if not a or not b or a.median_wall() is None or b.median_wall() is None:
            return None
        return a.median_wall() / b.median_wall()

    pairs = {"tree-cl": "tree-rg-same" if "tree-rg-same" in by else "tree-rg",
             "tree-cl-same": "tree-rg", "big-cl": "big-rg", "start-cl": "start-rg"}
    site = manifest["site"]
    lines = []
    w = lines.append
    w(f"# claimlint vs ripgrep: {finished:%Y-%m-%d %H:%M} UTC\n")
    w(f"Machine: {mach['nproc']} cores, {mach['cpu']}, {mach['ram']} RAM, Linux {mach['kernel']}; "
      f"load average {load_before} at the start, {mach['load']} at the end.  ")
    w(f"claimlint {facts['cl_version']} at commit `{args.commit}`; {facts['rg_version']}; "
      f"{facts['n_literals']} literals from `claimlint rules --export-literals`.  ")
    w(f"Runs: up to {args.runs} per corpus command and {args.startup_runs} for start-up, "
      f"round-robin, after one page-cache warm-up pass; a command stops being repeated once its "
      f"runs add up to {args.budget:.0f} s. Wall = median; MB = 10^6 bytes.\n")
    w("| corpus | tool | what it scans | files | MB | runs | median wall | min – max | MB/s "
      "| CPU (user+sys) | peak RSS | ours / rg |")
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for b in benches:
        med = b.median_wall()
        mbps = f"{b.bytes / 1e6 / med:.1f}" if med and b.bytes else "—"
        rng_ = f"{fmt_s(min(b.walls))} – {fmt_s(max(b.walls))}" if b.walls else "—"
        cpu = fmt_s(statistics.median(b.cpus)) if b.cpus else "—"
        rss = f"{max(b.rss_kb) / 1024:.0f} MB" if b.rss_kb else "—"
        r = ratio(b.key, pairs[b.key]) if b.key in pairs else None
        rtxt = f"**{r:.2f}×**" if r is not None else ""
        if b.failures and not b.walls:
            med_txt = "failed: " + b.failures[0].replace("|", "/").replace("\n", " ")[:120]
        else:
            med_txt = fmt_s(med)
        corpus = {"tree": "site tree", "big": "big.md", "startup": "empty file"}[b.corpus]
        files = f"{b.files:,}" if b.files is not None else "—"
        mb = f"{b.bytes / 1e6:.1f}" if b.bytes else "0"
        w(f"| {corpus} | {b.tool} | {b.note or '—'} | {files} | {mb} | {len(b.walls)} | {med_txt} "
          f"| {rng_} | {mbps} | {cpu} | {rss} | {rtxt} |")
    w("")
    w("`ours / rg` compares medians of the two commands that scan the same files "
      "(tree: " + ("claimlint over every file vs `rg --no-ignore`; claimlint with node_modules/ "
                   "left out vs plain rg" if "tree-cl-same" in by else
                   "claimlint vs the rg row with the same files") + "; big.md; empty file).\n")

    # Targets from issue 7.
    def target_row(name, value, limit, unit, ok):
        status = "—" if value is None else ("met" if ok else "**not met**")
        # Ratios to two decimals: a ratio of 2.04 against a limit of 2 must not read "2.0×".
        digits = {"MB": 0, "×": 2}.get(unit, 1)
        v = "—" if value is None else f"{value:.{digits}f} {unit}".replace(" ×", "×")
        w(f"| {name} | {v} | {limit} | {status} |")

    w("| target (issue 7) | measured | limit | status |")
    w("|---|---:|---:|---|")
    tree_pairs = [("tree-cl-same", "tree-rg")] if "tree-cl-same" in by else []
    if "tree-cl" in by:
        tree_pairs.append(("tree-cl", pairs["tree-cl"]))
    for ours, theirs in tree_pairs:
        r = ratio(ours, theirs)
        target_row(f"site tree wall / rg (`{ours}` vs `{theirs}`)", r, "1.5×", "×", r is not None and r <= 1.5)
    if "big-cl" in by:
        r = ratio("big-cl", "big-rg")
        target_row("big.md wall / rg", r, "2×", "×", r is not None and r <= 2)
    if "start-cl" in by:
        s = by["start-cl"].median_wall()
        target_row("start-up, embedded pack", None if s is None else s * 1000, "20 ms", "ms",
                   s is not None and s < 0.020)
    if "big-cl" in by:
        rss = max(by["big-cl"].rss_kb) / 1024 if by["big-cl"].rss_kb else None
        target_row("peak RSS on big.md", rss, "600 MB", "MB", rss is not None and rss < 600)
    w("")

    w("## Fairness: node_modules/")
    w(f"site/.gitignore ignores node_modules/ ({site['node_modules']['files']:,} files, "
      f"{site['node_modules']['bytes'] / 1e6:.1f} MB). "
      f"rg {'skipped' if facts['rg_skips'] else 'scanned'} it (`rg --files` lists {facts['rg_files']:,} "
      f"files, {facts['rg_all_files']:,} with `--no-ignore`). "
      f"claimlint {'skipped' if facts['cl_skips'] else 'scanned'} it (probe: an ignored "
      f"node_modules/ page with a claim beside the corpora was "
      f"{'not reported' if facts['cl_skips'] else 'reported'}). "
      + ("So the tree is compared both ways: claimlint over every file against `rg --no-ignore`, "
         "and claimlint given the top-level folders except node_modules/ against plain rg."
         if facts["cl_skips"] != facts["rg_skips"] else "Both scan the same files.")
      + " rg honours .gitignore only inside a git repository (as bench/data/ is, in a clone).\n")

    w("## Corpora")
    big = manifest["big"]
    w(f"- big.md: {big['bytes'] / 1e6:.1f} MB, {big['pages']:,} Markdown pages, "
      f"{big['claim_sentences']:,} claim sentences in {big['sentences']:,} "
      f"(1 in {big['sentences'] / max(1, big['claim_sentences']):.1f}).")
    w(f"- site/: {site['files']:,} pages ({site['by_format']['md']:,} .md, "
      f"{site['by_format']['html']:,} .html, {site['by_format']['txt']:,} .txt), "
      f"{site['bytes'] / 1e6:.1f} MB, {site['claim_sentences']:,} claim sentences in "
      f"{site['sentences']:,} (1 in {site['sentences'] / max(1, site['claim_sentences']):.1f}); "
      f"plus node_modules/: {site['node_modules']['files']:,} pages, "
      f"{site['node_modules']['bytes'] / 1e6:.1f} MB.")
    o = manifest["options"]
    w(f"- generated by `python3 bench/generate.py` (seed {o['seed']}, --big-mb {o['big_mb']:g}, "
      f"--files {o['files']}, --node-modules {o['node_modules']}).\n")

    w("## Commands")
    w(f"Started {started:%Y-%m-%d %H:%M:%S} UTC, finished {finished:%H:%M:%S} UTC, "
      f"by `{args.invocation}`. Each command ran as `/usr/bin/time -f '%U %S %M' CMD > /dev/null`:\n")
    w("```sh")
    for b in benches:
        w(f"# {b.key}")
        w(shlex.join(b.argv))
    w("```\n")
    w("## Every run (wall seconds)")
    for b in benches:
        runs = ", ".join(f"{x:.3f}" for x in b.walls)
        fails = f"; failures: {'; '.join(b.failures)}" if b.failures else ""
        w(f"- {b.key}: {runs}{fails}")
    w("")
    w("Figures are noisy: a 2-core machine shared with other work; compare the ratios taken in "
      "one run, not absolute times across runs.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
