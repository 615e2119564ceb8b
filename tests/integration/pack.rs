//! Rule self-tests over the embedded pack: every example fires its rule, every counter-example
//! does not; and the pack's integrity (examples, notes, references).

use std::collections::HashSet;

use claimlint::engine::Engine;
use claimlint::rules::{self, Jurisdiction, SourceRef};

fn engine() -> Engine {
    let pack = rules::load_embedded().unwrap_or_else(|e| panic!("{}", e.short().join("\n")));
    Engine::new(pack).expect("the embedded pack compiles")
}

#[test]
fn every_example_fires_and_no_counter_example_does() {
    let engine = engine();
    let runs = claimlint::engine::examples::run(&engine, |_| true);
    let rules = &engine.pack().rules;
    assert!(runs.len() >= 6 * rules.len(), "{} examples", runs.len());
    let failures: Vec<String> = runs
        .iter()
        .filter(|r| !r.passed())
        .map(|r| r.problem(&rules[r.rule]))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_three_examples_each_way_and_the_core_notes() {
    let engine = engine();
    for rule in &engine.pack().rules {
        assert!(
            rule.examples.fire.len() >= 3,
            "{} needs 3 firing examples",
            rule.id
        );
        assert!(
            rule.examples.pass.len() >= 3,
            "{} needs 3 counter-examples",
            rule.id
        );
        for j in [
            Jurisdiction::Us,
            Jurisdiction::Eu,
            Jurisdiction::Uk,
            Jurisdiction::Jp,
        ] {
            assert!(
                rule.regulatory.iter().any(|n| n.jurisdiction == j),
                "{} has no {j} note",
                rule.id
            );
        }
        for e in &rule.evidence {
            assert!(!e.sources.is_empty(), "{} cites no evidence", rule.id);
        }
    }
}

#[test]
fn every_evidence_entry_is_cited_by_some_rule() {
    let engine = engine();
    let pack = engine.pack();
    let cited: HashSet<usize> = pack
        .rules
        .iter()
        .flat_map(|r| r.evidence.iter().flat_map(|e| e.sources.iter()))
        .filter_map(|s| match s {
            SourceRef::Evidence(i) => Some(*i),
            SourceRef::Regulation(_) => None,
        })
        .collect();
    let uncited: Vec<&str> = pack
        .evidence
        .iter()
        .enumerate()
        .filter(|(i, _)| !cited.contains(i))
        .map(|(_, e)| e.id.as_str())
        .collect();
    assert!(uncited.is_empty(), "evidence never cited: {uncited:?}");
}

#[test]
fn the_pack_covers_every_claim_category_of_the_seed_pages() {
    let engine = engine();
    let categories: HashSet<_> = engine.pack().rules.iter().map(|r| r.category).collect();
    for c in rules::Category::ALL {
        assert!(categories.contains(&c), "no rule for category {c}");
    }
}

#[test]
fn docs_rules_md_is_generated_from_the_pack() {
    let out = crate::harness::run(&["rules", "--format", "markdown"]);
    assert_eq!(crate::harness::code(&out), 0);
    let generated = crate::harness::stdout(&out);
    let path = crate::harness::root().join("docs/rules.md");
    if std::env::var_os("CLAIMLINT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

/// A regulator, reporter or researcher describing a claim does not make it: the claim is
/// reported at info with the `reported` context, while the seller's own sentence keeps its
/// severity (issue 16, "Who is speaking").
#[test]
fn a_third_partys_voice_lowers_the_claim_to_info() {
    use claimlint::engine::ClaimContext;
    use claimlint::rules::Severity;
    let engine = engine();
    let judged = |text: &str| -> Vec<(Severity, Option<ClaimContext>)> {
        engine
            .check_text(text)
            .iter()
            .map(|c| (engine.severity(c), c.context))
            .collect()
    };
    for text in [
        "The complaint alleged that the cream regrows hair.",
        "The authors conclude that the serum regrows hair in most men.",
        "同社は、育毛剤で髪が生えるかのように表示したとして措置命令を受けた。",
    ] {
        let found = judged(text);
        assert!(!found.is_empty(), "{text}: no claim found");
        assert!(
            found
                .iter()
                .all(|(s, c)| *s == Severity::Info && *c == Some(ClaimContext::Reported)),
            "{text}: {found:?}"
        );
    }
    let own = judged("Our cream regrows hair.");
    assert!(own.iter().any(|(s, _)| *s >= Severity::Warning), "{own:?}");
}

/// Every condition name of `rules/conditions.toml` is traced to the Human Disease Ontology: it is
/// the label or an exact synonym of the disease whose DOID id it carries (from the ontology rows
/// the generator kept, `rules/conditions/doid-used.tsv`), or a curated addition tied to that
/// label; and no name the curation removed came back.
#[test]
fn every_condition_name_is_traced_to_the_ontology() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let read =
        |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let rows = |text: String| -> Vec<Vec<String>> {
        text.lines()
            .skip(1)
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    };
    let ontology: std::collections::HashMap<String, (String, Vec<String>)> =
        rows(read("conditions/doid-used.tsv"))
            .into_iter()
            .map(|r| {
                let synonyms = r[2].split('|').map(str::to_lowercase).collect();
                (r[0].clone(), (r[1].to_lowercase(), synonyms))
            })
            .collect();
    let curation = rows(read("conditions/curation.tsv"));
    let added: std::collections::HashMap<&str, String> = curation
        .iter()
        .filter(|r| r[0] == "add")
        .map(|r| (r[1].as_str(), r[2].to_lowercase()))
        .collect();
    let removed: HashSet<&str> = curation
        .iter()
        .filter(|r| r[0] == "remove")
        .map(|r| r[1].as_str())
        .collect();
    let mut names = 0;
    let mut untraced = Vec::new();
    for line in read("conditions.toml").lines() {
        let Some((quoted, comment)) = line.trim().split_once(",  # ") else {
            continue;
        };
        let name = quoted.trim_matches('"');
        let doid = comment.split(' ').next().unwrap_or_default();
        names += 1;
        // The name, or the singular of a plural the generator wrote beside it.
        let singulars = [
            Some(name.to_owned()),
            name.strip_suffix("ies").map(|s| format!("{s}y")),
            name.strip_suffix("es").map(str::to_owned),
            name.strip_suffix('s').map(str::to_owned),
        ];
        let traced = ontology.get(doid).is_some_and(|(label, synonyms)| {
            singulars.iter().flatten().any(|n| {
                n == label
                    || synonyms.iter().any(|s| s == n)
                    || added.get(n.as_str()).is_some_and(|l| l == label)
            })
        });
        if !traced || removed.contains(name) {
            untraced.push(format!("{name} ({comment})"));
        }
    }
    assert!(names > 300, "{names} condition names");
    assert!(untraced.is_empty(), "{untraced:#?}");
    // Each lexicon is used by a rule, so each group has its rule's evidence and notes.
    let engine = engine();
    for group in [
        "cancer",
        "nervous",
        "infectious",
        "musculoskeletal",
        "mental",
        "cardiometabolic",
        "organ",
    ] {
        let lexicon = format!("@condition-{group}");
        let used = std::fs::read_dir(&root)
            .expect("rules/")
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .any(|e| {
                std::fs::read_to_string(e.path())
                    .is_ok_and(|t| t.contains(&format!("\"{lexicon}\"")))
            });
        assert!(used, "no rule uses {lexicon}");
    }
    // And a name of each kind makes a claim with an action.
    for (text, rule) in [
        (
            "Our infusions relieve irritable bowel syndrome.",
            "disease.named-condition",
        ),
        ("Exosomes can treat epilepsy.", "disease.neurological"),
        ("The drip helps prevent malaria.", "disease.infection"),
        (
            "PRP heals plantar fasciitis and heel spurs.",
            "disease.arthritis",
        ),
        ("幹細胞点滴で花粉症を改善。", "disease.named-condition"),
    ] {
        let rules: Vec<&str> = engine
            .check_text(text)
            .iter()
            .map(|c| engine.pack().rules[c.rule as usize].id.as_str())
            .collect();
        assert!(rules.contains(&rule), "{text}: {rules:?}");
    }
}

/// A Japanese term inside a longer name is not a claim of its own: 育毛 in 育毛剤 (a product
/// category) or 育毛外来 (a department), 細胞再生 in 幹細胞再生治療 (a treatment's name). The
/// same term standing alone, or a claim elsewhere in the sentence, still counts (issue 16).
#[test]
fn a_japanese_term_inside_a_longer_name_is_not_a_claim() {
    let engine = engine();
    let rules = |text: &str| -> Vec<String> {
        engine
            .check_text(text)
            .iter()
            .map(|c| engine.pack().rules[c.rule as usize].id.clone())
            .collect()
    };
    for text in [
        "当院では育毛剤の処方も行っています。",
        "育毛外来の受付時間は10時からです。",
        "幹細胞再生治療の費用は30万円です。",
    ] {
        assert_eq!(rules(text), Vec::<String>::new(), "{text}");
    }
    for (text, rule) in [
        ("頭皮の育毛を促します。", "hair.growth-promotion"),
        ("細胞再生を促す成分です。", "aging.cell-regeneration"),
        ("この育毛剤で髪が生えてきます。", "hair.regrowth"),
    ] {
        assert!(
            rules(text).iter().any(|r| r == rule),
            "{text}: {:?}",
            rules(text)
        );
    }
}
