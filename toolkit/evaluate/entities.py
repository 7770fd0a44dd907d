"""Entity scores over character spans: the four SemEval-2013 scenarios as nervaluate counts them, and
seqeval's modes on token BIO tags.

Spans are (start, end, label) with `end` exclusive. Scenario counts follow nervaluate 1.x exactly (its greedy
matching of predictions, in (start, end, label) order, to the first unmatched gold span they overlap by at least
`min_overlap` percent of the gold span), so that figures here can be checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Iterable, Sequence

import numpy as np

from .counts import PRF, Tally, macro_f1

Span3 = tuple[int, int, str]
SCENARIOS = ("strict", "exact", "partial", "type")
HALF_CREDIT = ("partial", "type")  # nervaluate scores these with 0.5 per partial match
NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


@dataclass
class ScenarioCounts:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __iadd__(self, other: "ScenarioCounts") -> "ScenarioCounts":
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def prf(self, scenario: str) -> PRF:
        return PRF(*(float(x) for x in scenario_prf(np.array(self.as_tuple(), dtype=float), scenario)))


def scenario_prf(counts: np.ndarray, scenario: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P, R, F1 from (..., 5) count arrays (correct, incorrect, partial, missed, spurious), as nervaluate."""
    c, i, p, m, s = (counts[..., k] for k in range(5))
    credit = c + (0.5 * p if scenario in HALF_CREDIT else 0.0)
    actual, possible = c + i + p + s, c + i + p + m
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(actual > 0, credit / np.where(actual > 0, actual, 1), 0.0)
        rec = np.where(possible > 0, credit / np.where(possible > 0, possible, 1), 0.0)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / np.where(prec + rec > 0, prec + rec, 1), 0.0)
    return prec, rec, f1


def _overlap_percent(pred: Span3, gold: Span3) -> float:
    inter = min(pred[1], gold[1]) - max(pred[0], gold[0])
    return 100.0 * inter / (gold[1] - gold[0]) if inter > 0 else 0.0


def match_document(gold: Iterable[Span3], pred: Iterable[Span3], scenario: str, min_overlap: float = 1.0) -> ScenarioCounts:
    """One document's counts in one scenario (nervaluate's strategy for it)."""
    gold = sorted(s for s in gold if s[1] > s[0])
    pred = sorted(s for s in pred if s[1] > s[0])
    out = ScenarioCounts()
    taken: set[int] = set()
    for p in pred:
        correct = incorrect = None
        best = None
        for gi, g in enumerate(gold):
            if gi in taken:
                continue
            same_bounds = p[0] == g[0] and p[1] == g[1]
            if scenario == "type":
                if _overlap_percent(p, g) >= min_overlap:
                    dist = abs(p[0] - g[0]) + abs(p[1] - g[1])
                    if p[2] == g[2]:
                        if best is None or dist < best:
                            correct, best = gi, dist
                    elif incorrect is None:
                        incorrect = gi
                continue
            exact_hit = same_bounds and (scenario != "strict" or p[2] == g[2])
            if exact_hit:
                correct = gi
                break
            if incorrect is None and _overlap_percent(p, g) >= min_overlap:
                incorrect = gi
        if correct is not None:
            out.correct += 1
            taken.add(correct)
        elif incorrect is not None:
            if scenario == "partial":
                out.partial += 1
            else:
                out.incorrect += 1
            taken.add(incorrect)
        else:
            out.spurious += 1
    out.missed = len(gold) - len(taken)
    return out


@dataclass
class ScenarioScores:
    scenario: str
    overall: ScenarioCounts
    per_type: dict[str, ScenarioCounts]
    per_doc: np.ndarray  # (n_docs, 5) overall counts
    per_doc_type: np.ndarray  # (n_docs, n_types, 5)

    @property
    def micro(self) -> PRF:
        return self.overall.prf(self.scenario)

    @property
    def macro_f1(self) -> float:
        return float(scenario_macro_f1(self.per_doc_type.sum(0), self.scenario))


def scenario_scores(gold_docs: Sequence[Sequence[Span3]], pred_docs: Sequence[Sequence[Span3]],
                    min_overlap: float = 1.0, labels: Sequence[str] | None = None) -> dict[str, ScenarioScores]:
    """Every scenario, overall and per type; a type's counts come from its own spans only, as in nervaluate.

    `labels` fixes the per-type axis (so that models line up); by default the labels seen in gold or predictions.
    """
    _check_lengths(gold_docs, pred_docs)
    types = list(labels) if labels is not None else sorted({s[2] for doc in (*gold_docs, *pred_docs) for s in doc})
    out = {}
    for scenario in SCENARIOS:
        per_doc = np.zeros((len(gold_docs), 5))
        per_doc_type = np.zeros((len(gold_docs), len(types), 5))
        for d, (g, p) in enumerate(zip(gold_docs, pred_docs)):
            per_doc[d] = match_document(g, p, scenario, min_overlap).as_tuple()
            for t, label in enumerate(types):
                per_doc_type[d, t] = match_document([s for s in g if s[2] == label], [s for s in p if s[2] == label],
                                                    scenario, min_overlap).as_tuple()
        overall = ScenarioCounts(*(int(x) for x in per_doc.sum(0)))
        per_type = {label: ScenarioCounts(*(int(x) for x in per_doc_type[:, t].sum(0))) for t, label in enumerate(types)}
        out[scenario] = ScenarioScores(scenario, overall, per_type, per_doc, per_doc_type)
    return out


def scenario_macro_f1(counts: np.ndarray, scenario: str) -> np.ndarray:
    """Macro F1 from (..., n_types, 5) counts over the types with any gold or predicted span."""
    f1 = scenario_prf(counts, scenario)[2]
    present = counts.sum(-1) > 0
    n = present.sum(-1)
    return np.where(n > 0, (f1 * present).sum(-1) / np.maximum(n, 1), 0.0)


# --- token BIO (seqeval) -------------------------------------------------------------------------------------

def bio_entities(tags: Sequence[str], mode: str = "default") -> list[Span3]:
    """Token spans (start, end exclusive, type) from BIO tags.

    mode "default" is conlleval's chunking, as seqeval's default mode: a chunk also starts at an I- after O or
    after another type. mode "strict" is seqeval's IOB2 strict mode: only B- starts a chunk; a stray I- is dropped.
    """
    out: list[Span3] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and label == typ and start is not None
        if continues:
            continue
        if start is not None:
            out.append((start, i, label))
            start, label = None, None
        if prefix == "B" or (prefix == "I" and mode == "default"):
            start, label = i, typ
    return out


@dataclass
class SeqevalScores:
    micro: PRF
    macro_f1: float
    per_type: dict[str, Tally] = field(default_factory=dict)
    per_doc_type: np.ndarray | None = None  # (n_docs, n_types, 3): tp, pred, gold


def seqeval_scores(gold_docs: Sequence[Sequence[Sequence[str]]], pred_docs: Sequence[Sequence[Sequence[str]]],
                   mode: str = "default", labels: Sequence[str] | None = None) -> SeqevalScores:
    """seqeval's micro P/R/F1 and macro F1 over documents, each a list of tagged sentences."""
    _check_lengths(gold_docs, pred_docs)
    doc_sets = []
    for g_doc, p_doc in zip(gold_docs, pred_docs):
        _check_lengths(g_doc, p_doc)
        g = {(n, *s) for n, tags in enumerate(g_doc) for s in bio_entities(tags, mode)}
        p = {(n, *s) for n, tags in enumerate(p_doc) for s in bio_entities(tags, mode)}
        doc_sets.append((g, p))
    types = list(labels) if labels is not None else sorted({s[3] for g, p in doc_sets for s in g | p})
    per_doc_type = np.zeros((len(doc_sets), len(types), 3))
    for d, (g, p) in enumerate(doc_sets):
        for t, label in enumerate(types):
            gt, pt = {s for s in g if s[3] == label}, {s for s in p if s[3] == label}
            per_doc_type[d, t] = (len(gt & pt), len(pt), len(gt))
    totals = per_doc_type.sum(0)
    per_type = {label: Tally(*totals[t]) for t, label in enumerate(types)}
    micro = Tally(*totals.sum(0)) if types else Tally()
    return SeqevalScores(micro.prf, macro_f1(per_type), per_type, per_doc_type)


def _check_lengths(gold, pred) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold items but {len(pred)} predicted")
