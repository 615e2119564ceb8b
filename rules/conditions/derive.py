#!/usr/bin/env python3
"""Derives the condition lexicons of the rule pack (`rules/conditions.toml`) from the Human
Disease Ontology (CC0), so that the condition side of a disease claim comes from a real
vocabulary rather than from the words we happened to think of.

    pip install wordfreq==3.1.1
    python3 rules/conditions/derive.py [--doid ../shared/data/conditions/doid.tsv]

What it does, in order (every choice is printed in the output's header):
1. Reads every disease of the ontology: its label and its exact synonyms.
2. Keeps the names copy actually uses: at most three words, letters only (no numbered
   variants such as "Alzheimer's disease 13"), not an all-capital abbreviation ("ALL", "CF"),
   not an eponym that is an everyday word ("Best disease", "Sweet syndrome"), and a word
   frequency (wordfreq, Zipf scale, rarest word of the name) of at least MIN_ZIPF: "migraine"
   3.3 and "restless legs syndrome" stay, "acrochordon" 0.0 goes.
3. Drops a name that already holds a target of the pack's own rules as a whole word
   ("stomach cancer" holds "cancer", which already makes the claim).
4. Applies `curation.tsv`: names added (lay names the ontology lacks, and Japanese names, each
   tied to the ontology label it means) and names removed (each with its reason).
5. Groups the names by the ontology branch of their disease; each group is a lexicon that one
   rule includes, so each group has its rule's evidence and notes.
6. Writes `rules/conditions.toml` (one name per line with its DOID id and label) and
   `rules/conditions/doid-used.tsv` (the ontology rows used, so the tests can check every name
   against its source without ../shared).
"""
import argparse
import csv
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

from wordfreq import zipf_frequency

HERE = Path(__file__).resolve().parent
RULES = HERE.parent
MIN_ZIPF = 3.0
# A capitalised word this frequent in lowercase is an everyday word, not a surname people know.
EVERYDAY = 4.0
MAX_WORDS = 3

# Ontology branch (its second level) -> lexicon. Branches not listed (inherited metabolic
# disorders, named syndromes, chromosomal and congenital disorders) are rare and technical.
GROUPS = {
    "cancer": "condition-cancer",
    "benign neoplasm": "condition-cancer",
    "pre-malignant neoplasm": "condition-cancer",
    "nervous system disease": "condition-nervous",
    "cognitive disorder": "condition-mental",
    "bacterial infectious disease": "condition-infectious",
    "viral infectious disease": "condition-infectious",
    "parasitic infectious disease": "condition-infectious",
    "fungal infectious disease": "condition-infectious",
    "musculoskeletal system disease": "condition-musculoskeletal",
    "developmental disorder of mental health": "condition-mental",
    "substance-related disorder": "condition-mental",
    "personality disorder": "condition-mental",
    "sleep disorder": "condition-mental",
    "impulse control disorder": "condition-mental",
    "sexual health disorder": "condition-mental",
    "cardiovascular system disease": "condition-cardiometabolic",
    "acquired metabolic disease": "condition-cardiometabolic",
    "endocrine system disease": "condition-cardiometabolic",
    "gastrointestinal system disease": "condition-organ",
    "respiratory system disease": "condition-organ",
    "urinary system disease": "condition-organ",
    "reproductive system disease": "condition-organ",
    "hematopoietic system disease": "condition-organ",
    "immune system disease": "condition-organ",
    "integumentary system disease": "condition-organ",
}
DESCRIPTIONS = {
    "condition-cancer": "cancers and other neoplasms (used by disease.cancer)",
    "condition-nervous": "nervous system disorders (used by disease.neurological)",
    "condition-infectious": "infectious diseases (used by disease.infection)",
    "condition-musculoskeletal": "musculoskeletal diseases (used by disease.arthritis)",
    "condition-mental": "mental health disorders (used by disease.named-condition)",
    "condition-cardiometabolic": "cardiovascular, metabolic and endocrine diseases (used by disease.named-condition)",
    "condition-organ": "digestive, respiratory, urinary, reproductive, blood, immune and skin diseases (used by disease.named-condition)",
}
# A name ending in one of these nouns is also written in the plural (not with the pack's `~`,
# which adds verb forms too: "skin tagged").
COUNTABLE = {"disease", "disorder", "syndrome", "allergy", "ulcer", "cyst", "tag", "infection",
             "aneurysm", "infestation", "spur", "attack", "stone", "hernia", "seizure", "tear"}
SENSE_ORGAN = re.compile(
    r"\b(?:eye|eyes|eyelid|ocular|optic|retina|retinal|iris|lens|pupil|vision|visual|blindness|"
    r"cataract|glaucoma|macular|myopia|amblyopia|esotropia|tearing|ear|otitis|hearing|deafness|"
    r"vertigo|tinnitus|orbital|globe|color)\b"
)
NAME = re.compile(r"[A-Za-z][A-Za-z' -]*[A-Za-z]")


def group_of(row):
    """The lexicon of an ontology row, by its branch, or None."""
    group = GROUPS.get(row["branch"].split(" > ")[-1])
    # The ontology files eye and ear diseases under the nervous system; copy and the regulators
    # treat a cataract or tinnitus claim as an organ claim, not a neurological one.
    if group == "condition-nervous" and SENSE_ORGAN.search(row["label"].lower()):
        group = "condition-organ"
    return group


def plural(name):
    if name.endswith("y"):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"


def zipf(name):
    return min(zipf_frequency(w, "en") for w in re.split(r"[ -]", name) if w)


def lay_name(original):
    """Why an ontology name is not kept, or None if it is."""
    if not NAME.fullmatch(original):
        return "not letters only"
    words = re.split(r"[ -]", original)
    if len(original.split()) > MAX_WORDS:
        return "too long"
    if any(len(w) > 1 and w.isupper() for w in words):
        return "abbreviation"
    # A capitalised one-word name is the disease's own name (Ebola), not an eponym.
    if len(words) > 1 or not original[0].isupper():
        for w in words:
            if w[:1].isupper() and not w.endswith("'s") and zipf_frequency(w.lower(), "en") >= EVERYDAY:
                return "eponym that is an everyday word"
    if zipf(original.lower()) < MIN_ZIPF:
        return "rare"
    return None


def pack_targets():
    """Every English target and phrase of the pack's rules other than these lexicons."""
    out = set()
    for path in sorted(RULES.glob("*.toml")):
        if path.name == "conditions.toml":
            continue
        data = tomllib.loads(path.read_text())
        for rule in data.get("rule", []):
            terms = list(rule.get("phrases", []))
            terms += rule.get("composite", {}).get("targets", [])
            for t in terms:
                if not t.startswith("@") and t.isascii():
                    out.add(t.rstrip("~").lower())
    return out


def holds(name, term):
    return re.search(r"(?<![a-z])" + re.escape(term) + r"(?![a-z])", name) is not None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doid", default=str(RULES.parent.parent / "shared/data/conditions/doid.tsv"))
    args = ap.parse_args()
    rows = list(csv.DictReader(open(args.doid, encoding="utf-8"), delimiter="\t"))
    by_label = {}
    for r in rows:
        by_label.setdefault(r["label"].lower(), r)
    targets = pack_targets()
    curation = list(csv.DictReader(open(HERE / "curation.tsv", encoding="utf-8"), delimiter="\t"))
    removed = {c["term"]: c["reason"] for c in curation if c["action"] == "remove"}

    chosen = {}  # name -> (group, row)
    counts = defaultdict(int)
    for r in rows:
        group = group_of(r)
        if group is None:
            continue
        for original in [r["label"]] + [s for s in r["exact_synonyms"].split("|") if s]:
            original = original.strip()
            why = lay_name(original)
            name = original.lower()
            if why is None and any(holds(name, t) for t in targets):
                why = "holds a target the pack already has"
            if why is None and name in removed:
                why = "removed by curation"
            counts[why or "kept"] += 1
            if why is None and name not in chosen:
                chosen[name] = (group, r)
    added = 0
    for c in curation:
        if c["action"] != "add":
            continue
        row = by_label.get(c["doid_label"].lower())
        if row is None:
            sys.exit(f"curation.tsv: no ontology label {c['doid_label']!r} (for {c['term']!r})")
        group = group_of(row) or "condition-organ"
        if c["term"] not in chosen:
            chosen[c["term"]] = (group, row)
            added += 1

    read = sum(counts.values())
    # A name holding another kept name as whole words adds nothing ("absence epilepsy" holds
    # "epilepsy", which already makes the claim).
    english = [n for n in chosen if n.isascii()]
    redundant = {n for n in english if any(m != n and holds(n, m) for m in english)}
    for n in redundant:
        del chosen[n]
    counts["holds another kept name"] = len(redundant)
    groups = defaultdict(list)
    for name, (group, row) in chosen.items():
        groups[group].append((name, row))
    out = [
        "# Condition names for disease claims, derived from the Human Disease Ontology (CC0, DO",
        "# commit 9fbefd6651b79526165453395d06c8fd4bfe4247) by rules/conditions/derive.py: do not edit",
        "# by hand; change curation.tsv or the script and run it again. Each name carries the DOID",
        "# id and label of the disease it names. A name alone is not a claim: a rule pairs it with an",
        "# action in the same sentence.",
        f"# Ontology names read {read}: kept {counts['kept']}, rare (Zipf < {MIN_ZIPF}) "
        f"{counts['rare']}, too long {counts['too long']},",
        f"# not letters only {counts['not letters only']}, abbreviations {counts['abbreviation']}, "
        f"everyday-word eponyms {counts['eponym that is an everyday word']},",
        f"# already a pack target {counts['holds a target the pack already has']}, removed by curation "
        f"{counts['removed by curation']}; added by curation {added}; dropped as holding another kept name "
        f"{counts['holds another kept name']}.",
    ]
    used = {}
    for group in sorted(groups):
        out.append("")
        out.append(f"# {DESCRIPTIONS[group]}: {len(groups[group])} names")
        out.append(f"[lexicon.{group}]")
        out.append("terms = [")
        for name, row in sorted(groups[group]):
            used[row["doid"]] = row
            forms = [name]
            if name.isascii() and name.split()[-1] in COUNTABLE:
                forms.append(plural(name))
            for form in forms:
                quoted = form.replace("\\", "\\\\").replace('"', '\\"')
                out.append(f'  "{quoted}",  # {row["doid"]} {row["label"]}')
        out.append("]")
    (RULES / "conditions.toml").write_text("\n".join(out) + "\n", encoding="utf-8")
    with open(HERE / "doid-used.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["doid", "label", "exact_synonyms", "branch"])
        for doid in sorted(used):
            r = used[doid]
            w.writerow([doid, r["label"], r["exact_synonyms"], r["branch"]])
    print(f"{len(chosen)} names in {len(groups)} lexicons; {len(used)} ontology rows", file=sys.stderr)


if __name__ == "__main__":
    main()
