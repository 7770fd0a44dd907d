"""Write annotations/QUALITY.md (and annotations/stats.png) from the gold corpus: every figure there comes from
this command, run from the repository root:

    python annotations/quality.py
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from toolkit import atomic
from toolkit.agreement import agreement, agreement_markdown, reference_agreement, reference_markdown
from toolkit.records import read_records
from toolkit.schema import inventory
from toolkit.stats import bar_chart, compute, markdown
from toolkit.validate import validate_paths

HERE = Path(__file__).resolve().parent
GOLD, DOUBLE = HERE / "records.jsonl", HERE / "double.jsonl"
BEFORE = HERE / "agreement" / "gold-before-adjudication.jsonl"  # the first pass of the double-annotated documents
RARE = 10
PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "who", "which", "that"}


def rare_event_types(records) -> list[tuple[str, int]]:
    counts = Counter(e.type for r in records for e in r.events)
    return [(t, counts[t]) for t in inventory().event_labels if counts[t] < RARE]


def is_pronoun(text: str) -> bool:
    return text.lower() in PRONOUNS


def is_named(text: str) -> bool:
    """A name or a number: not a pronoun; starting with a capital letter or currency sign, or holding a digit."""
    return (not is_pronoun(text) and bool(text)
            and (text[0].isupper() or text[0] in "$£€" or any(ch.isdigit() for ch in text)))


def filtered_references(records, keep, ours_too: bool = False):
    """Copies whose re3d references (and, with `ours_too`, our entities) keep only spans whose text passes `keep`."""
    out = []
    for r in records:
        refs = [x for x in r.meta.extra.get("reference_entities", []) if keep(r.text[x["start"]:x["end"]])]
        ents = [e for e in r.entities if keep(r.text[e.start:e.end])] if ours_too else r.entities
        out.append(replace(r, entities=ents, meta=replace(r.meta, extra={**r.meta.extra, "reference_entities": refs})))
    return out


def differences(ref, group_limit: int = 6) -> str:
    lines = ["| reference type | re3d span not found (count) | our span with no re3d span (count) |", "|---|---|---|"]
    for group in ref.overlap:
        missed = [(t.split("\t", 1)[1], n) for t, n in ref.missed.most_common() if t.startswith(group + "\t")]
        extra = [(t.split("\t", 1)[1], n) for t, n in ref.extra.most_common() if t.startswith(group + "\t")]
        fmt = lambda xs: ", ".join(f"{t!r} ({n})" for t, n in xs[:group_limit]) or "—"  # noqa: E731
        lines.append(f"| {group} | {fmt(missed)} | {fmt(extra)} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    gold = read_records(GOLD)
    report = validate_paths([GOLD])
    stats = compute(gold)
    bar_chart(stats, HERE / "stats.png")
    t = stats.totals
    re3d = [r for r in gold if r.meta.extra.get("reference_entities") is not None]
    mapping = inventory().entity_mapping("re3d")
    ref_all = reference_agreement(re3d, mapping)
    ref_no_pronouns = reference_agreement(filtered_references(re3d, lambda t: not is_pronoun(t)), mapping)
    ref_named = reference_agreement(filtered_references(re3d, is_named, ours_too=True), mapping)
    double = read_records(DOUBLE) if DOUBLE.is_file() else []
    first = read_records(BEFORE) if BEFORE.is_file() else []
    agr = agreement(first, double)
    after = agreement(gold, double)
    rare = rare_event_types(gold)
    guideline_versions = Counter(r.provenance.guideline_version for r in gold)
    annotators = Counter(r.provenance.annotator for r in gold)
    parts = [
        "# Gold corpus quality",
        "",
        "Every figure on this page is produced by `python annotations/quality.py` (run from the repository root) from",
        "`annotations/records.jsonl` (the gold corpus, assembled from `annotations/inline/` by",
        "`python annotations/corpus.py assemble`) and `annotations/double.jsonl` (the independent second annotation).",
        "",
        "## Who annotated",
        "The annotators named in the provenance (ann-01 … ann-12 for the first pass, adj-01 … adj-06 for the",
        "consistency pass to guideline 1.4, ann-d3 and ann-d4 for the second annotation, and the adjudicator) are",
        "automated annotators run by the maintainers: large-language-model agents that read each whole document and",
        "edited its inline markup against `annotations/GUIDELINES.md`, starting from the rule pre-annotation (first",
        "pass) or from the plain text (second annotation). No person reviewed every document. Agreement between two",
        "such annotators measures the consistency of the guidelines as applied by the same kind of annotator; it is",
        "not a human inter-annotator agreement and is likely higher than one would be.",
        "",
        "## Corpus",
        f"- {len(gold)} documents, `toolkit validate`: {'ok' if report.ok else f'{len(report.problems)} problem(s)'}",
        f"- {t['entities']} entity mentions, {t['events']} event triggers ({t['claimed']} claimed by an attribution), "
        f"{t['attributions']} attributions ({t['anonymous']} anonymous)",
        f"- guideline versions: {dict(guideline_versions)}; annotators: {dict(sorted(annotators.items()))}",
        "- rare event types (fewer than 10 gold examples): "
        + (", ".join(f"{k} ({n})" for k, n in rare) if rare else "none"),
        "",
        markdown(stats),
        "![mentions per label](stats.png)",
        "",
        "## 1. Agreement with re3d's own entity annotation",
        f"Our gold entity layer on the {len(re3d)} re3d documents, against re3d's human annotation",
        "(`reference_entities`), types mapped by `schemas/labels.json` (`entity_type_mappings.re3d`): Person→PERSON,",
        "Organisation→ORG, Nationality→NORP, Location→{GPE, LOC, FAC}, Temporal→{DATE, TIME}, Weapon→WEAPON,",
        "MilitaryPlatform and Vehicle→VEHICLE (compared as one group), Quantity→{QUANTITY, CARDINAL}, Money→MONEY;",
        "other re3d types are ignored. Strict: same offsets. Overlap: a re3d span counts as found when one of our",
        "spans of a mapped type overlaps it; one of ours counts as right when it overlaps a re3d span of its group.",
        "",
        "### All re3d spans",
        reference_markdown(ref_all),
        "### Without re3d's pronoun mentions (I, we, he, they, it, …), which our guidelines never mark",
        reference_markdown(ref_no_pronouns),
        "### Named mentions only, on both sides (starting with a capital letter or currency sign, or holding a digit)",
        "re3d also marks nominal mentions (\"the city\", \"the camp\", \"our partners\"), which OntoNotes-style",
        "guidelines such as ours do not, while we mark generic weapon and vehicle nouns (\"missiles\", \"aircraft\")",
        "that re3d often leaves out; this table compares names and numbers only, on both sides.",
        "",
        reference_markdown(ref_named),
        "### Systematic differences (most frequent unmatched spans)",
        differences(ref_all),
        "",
        "## 2. Double annotation",
        f"{agr.documents} documents (stratified by source) were annotated a second time from the plain text, without",
        "pre-annotation and without access to the first pass or any other annotation (`annotations/double/`). The",
        "first pass as it stood before adjudication is kept in `annotations/agreement/gold-before-adjudication.jsonl`.",
        "Precision and recall read the second pass against the first; F1 is symmetric. Reproduce with",
        "`toolkit agreement annotations/agreement/gold-before-adjudication.jsonl annotations/double.jsonl`.",
        "",
        agreement_markdown(agr, "first pass", "second pass"),
        "After adjudication (disagreements resolved into the gold by the guidelines, which were extended where",
        "they were unclear), the gold agrees with the second pass as follows — not an agreement figure, but a",
        "measure of how much of the second pass was taken over:",
        "",
        f"- entity exact F1 {after.entities.exact.prf.f1:.3f}, trigger exact F1 {after.triggers.exact.prf.f1:.3f}, "
        f"attribution relation F1 {after.attributions.overlap.prf.f1:.3f}",
    ]
    atomic.write_text(HERE / "QUALITY.md", "\n".join(parts) + "\n")
    print(f"wrote {HERE / 'QUALITY.md'}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
