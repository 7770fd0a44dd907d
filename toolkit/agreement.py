"""Inter-annotator agreement between two annotations of the same documents, and agreement of our entity layer
with a reference annotation in another type scheme (re3d). Pure functions over records, no I/O.

Matching reuses the evaluation scorers, so agreement and model scores are computed the same way. Agreement F1 is
symmetric: swapping A and B swaps precision and recall and leaves F1 unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .evaluate.attribution import char_overlap, match_attributions, normalized
from .evaluate.counts import PRF, Tally, safe_div
from .evaluate.events import match_triggers
from .records import Record


@dataclass
class LayerAgreement:
    exact: Tally = field(default_factory=Tally)
    overlap: Tally = field(default_factory=Tally)
    per_label: dict[str, Tally] = field(default_factory=dict)  # exact, labelled

    def add_label(self, label: str, tp: int, a: int, b: int) -> None:
        self.per_label.setdefault(label, Tally()).__iadd__(Tally(tp, b, a))


@dataclass
class Agreement:
    documents: int = 0
    entities: LayerAgreement = field(default_factory=LayerAgreement)
    triggers: LayerAgreement = field(default_factory=LayerAgreement)
    trigger_type_pairs: list[tuple[str, str]] = field(default_factory=list)  # (A type, B type) of matched spans
    attributions: LayerAgreement = field(default_factory=LayerAgreement)  # exact: all roles exact; overlap: cue+source+content overlap
    attribution_cues: Tally = field(default_factory=Tally)

    @property
    def event_type_kappa(self) -> float:
        return cohen_kappa(self.trigger_type_pairs)


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two label sequences; 1.0 when both are constant and equal, 0.0 on no pairs."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1 - expected)


def _spans(record: Record) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in record.entities]


def _events(record: Record) -> list[tuple[int, int, str, str]]:
    return [(e.trigger.start, e.trigger.end, e.type, e.modality) for e in record.events]


def _entity_layer(layer: LayerAgreement, a: Record, b: Record) -> None:
    sa, sb = _spans(a), _spans(b)
    exact = set(sa) & set(sb)
    layer.exact += Tally(len(exact), len(sb), len(sa))
    pairs = match_triggers([(s, e, lab, "") for s, e, lab in sa], [(s, e, lab, "") for s, e, lab in sb],
                           how="overlap", typed=True)
    layer.overlap += Tally(len(pairs), len(sb), len(sa))
    for label in {x[2] for x in sa} | {x[2] for x in sb}:
        layer.add_label(label, sum(1 for x in exact if x[2] == label), sum(1 for x in sa if x[2] == label),
                        sum(1 for x in sb if x[2] == label))


def _trigger_layer(agr: Agreement, a: Record, b: Record) -> None:
    ea, eb = _events(a), _events(b)
    layer = agr.triggers
    layer.exact += Tally(len(match_triggers(ea, eb, "exact", typed=True)), len(eb), len(ea))
    layer.overlap += Tally(len(match_triggers(ea, eb, "overlap", typed=True)), len(eb), len(ea))
    for i, j in match_triggers(ea, eb, "overlap", typed=False):
        agr.trigger_type_pairs.append((ea[i][2], eb[j][2]))
    for label in {x[2] for x in ea} | {x[2] for x in eb}:
        tp = len(match_triggers([x for x in ea if x[2] == label], [x for x in eb if x[2] == label], "exact"))
        layer.add_label(label, tp, sum(1 for x in ea if x[2] == label), sum(1 for x in eb if x[2] == label))


def _attribution_layer(agr: Agreement, a: Record, b: Record) -> None:
    """Cue-matched pairs; a relation agrees when source and content also overlap (exact: all roles equal)."""
    text, xa, xb = a.text, a.attributions, b.attributions
    pairs = match_attributions(text, xa, xb)
    agr.attribution_cues += Tally(len(pairs), len(xb), len(xa))
    overlap = exact = 0
    for i, j in pairs:
        ga, gb = xa[i], xb[j]
        sources_agree = (not ga.source and not gb.source) or char_overlap(ga.source, gb.source) > 0
        if sources_agree and char_overlap(ga.content, gb.content) > 0:
            overlap += 1
            if all(normalized(text, getattr(ga, r)) == normalized(text, getattr(gb, r))
                   for r in ("source", "cue", "content")):
                exact += 1
    agr.attributions.exact += Tally(exact, len(xb), len(xa))
    agr.attributions.overlap += Tally(overlap, len(xb), len(xa))


def agreement(a: list[Record], b: list[Record]) -> Agreement:
    """Agreement of B with A on the documents both hold (by id; texts must be equal)."""
    by_id = {r.id: r for r in b}
    agr = Agreement()
    for ra in a:
        rb = by_id.get(ra.id)
        if rb is None or rb.text != ra.text:
            continue
        agr.documents += 1
        _entity_layer(agr.entities, ra, rb)
        _trigger_layer(agr, ra, rb)
        _attribution_layer(agr, ra, rb)
    return agr


# --- agreement with a reference in another type scheme -------------------------------------------------------

def type_groups(mapping: dict[str, list[str]]) -> dict[str, tuple[set[str], set[str]]]:
    """Comparison groups: reference types that share one of our labels are merged (MilitaryPlatform + Vehicle)."""
    groups: list[tuple[set[str], set[str]]] = []
    for ref, ours in mapping.items():
        if not ours:
            continue
        joined = [g for g in groups if g[1] & set(ours)]
        refs, labels = {ref}, set(ours)
        for g in joined:
            refs |= g[0]
            labels |= g[1]
            groups.remove(g)
        groups.append((refs, labels))
    return {" + ".join(sorted(refs)): (refs, labels) for refs, labels in groups}


@dataclass
class Coverage:
    """Counts for agreement that need not be one-to-one: reference spans found, our spans that are right."""

    found: int = 0
    reference: int = 0
    right: int = 0
    ours: int = 0

    def __iadd__(self, other: "Coverage") -> "Coverage":
        self.found += other.found
        self.reference += other.reference
        self.right += other.right
        self.ours += other.ours
        return self

    @property
    def prf(self) -> PRF:
        return PRF.of_rates(safe_div(self.right, self.ours), safe_div(self.found, self.reference))


@dataclass
class ReferenceAgreement:
    strict: dict[str, Coverage] = field(default_factory=dict)
    overlap: dict[str, Coverage] = field(default_factory=dict)
    missed: Counter = field(default_factory=Counter)  # "group<TAB>reference text" of reference spans not found
    extra: Counter = field(default_factory=Counter)  # "group<TAB>our text" of our spans overlapping no reference

    def micro(self, which: str) -> PRF:
        total = Coverage()
        for c in getattr(self, which).values():
            total += c
        return total.prf


def _coverage(gold: list[tuple[int, int]], ours: list[tuple[int, int]], hit) -> tuple[Coverage, set, set]:
    found = {i for i, g in enumerate(gold) if any(hit(g, o) for o in ours)}
    right = {j for j, o in enumerate(ours) if any(hit(g, o) for g in gold)}
    return Coverage(len(found), len(gold), len(right), len(ours)), found, right


def reference_agreement(records: list[Record], mapping: dict[str, list[str]],
                        field_name: str = "reference_entities") -> ReferenceAgreement:
    """Our entities against reference spans in `meta.extra[field_name]`, per comparison group of types.

    strict: same offsets. overlap: a reference span is found when one of our spans of a matching type overlaps
    it, and one of ours is right when it overlaps a reference span. Neither is one-to-one, because re3d nests
    references ("Iraqi President Fuad Masum" and "President Fuad" are both Person) where our layer is flat.
    """
    out = ReferenceAgreement()
    same = lambda g, o: g == o  # noqa: E731
    overlapping = lambda g, o: g[0] < o[1] and o[0] < g[1]  # noqa: E731
    for group, (refs, labels) in type_groups(mapping).items():
        strict, overlap = Coverage(), Coverage()
        for r in records:
            gold = sorted({(x["start"], x["end"]) for x in r.meta.extra.get(field_name, []) if x["label"] in refs})
            ours = [(e.start, e.end) for e in r.entities if e.label in labels]
            strict += _coverage(gold, ours, same)[0]
            cov, found, right = _coverage(gold, ours, overlapping)
            overlap += cov
            out.missed.update(f"{group}\t{r.text[g[0]:g[1]]}" for i, g in enumerate(gold) if i not in found)
            out.extra.update(f"{group}\t{r.text[o[0]:o[1]]}" for j, o in enumerate(ours) if j not in right)
        out.strict[group], out.overlap[group] = strict, overlap
    return out


# --- rendering ------------------------------------------------------------------------------------------------

def _row(name: str, t, kind: str) -> str:
    p = t.prf
    n = f"{t.gold:g} / {t.pred:g}" if isinstance(t, Tally) else f"{t.reference} / {t.ours}"
    return f"| {name} | {kind} | {p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f} | {n} |"


def agreement_markdown(agr: Agreement, a_name: str = "A", b_name: str = "B") -> str:
    """Tables: per layer exact and overlap agreement (P/R read B against A), kappa, per-label exact F1."""
    head = f"| layer | match | P ({b_name} vs {a_name}) | R | F1 | n {a_name} / n {b_name} |\n|---|---|---:|---:|---:|---:|"
    rows = [head]
    for name, layer in (("entities", agr.entities), ("event triggers", agr.triggers)):
        rows += [_row(name, layer.exact, "exact span + label"), _row(name, layer.overlap, "overlap + label")]
    rows += [_row("attribution cues", agr.attribution_cues, "cue overlap"),
             _row("attribution relations", agr.attributions.overlap, "cue-matched; source and content overlap"),
             _row("attribution relations", agr.attributions.exact, "all roles exact")]
    lines = [f"{agr.documents} documents in both.", "", *rows, "",
             f"Cohen's kappa on event types of overlapping triggers: {agr.event_type_kappa:.3f} "
             f"({len(agr.trigger_type_pairs)} pairs)", "", "| label | exact F1 | n A / n B |", "|---|---:|---:|"]
    for layer in (agr.entities, agr.triggers):
        for label, t in sorted(layer.per_label.items()):
            lines.append(f"| {label} | {t.prf.f1:.3f} | {t.gold:g} / {t.pred:g} |")
    return "\n".join(lines) + "\n"


def reference_markdown(ref: ReferenceAgreement) -> str:
    lines = ["| reference types | strict P | strict R | strict F1 | overlap P | overlap R | overlap F1 | n reference / n ours |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for group in ref.overlap:
        s, o = ref.strict[group].prf, ref.overlap[group].prf
        c = ref.overlap[group]
        lines.append(f"| {group} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {o.precision:.3f} | "
                     f"{o.recall:.3f} | {o.f1:.3f} | {c.reference} / {c.ours} |")
    s, o = ref.micro("strict"), ref.micro("overlap")
    lines.append(f"| **all (micro)** | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {o.precision:.3f} | "
                 f"{o.recall:.3f} | **{o.f1:.3f}** | |")
    return "\n".join(lines) + "\n"
