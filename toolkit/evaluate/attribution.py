"""Attribution scores: predicted attributions matched one-to-one to gold ones by cue overlap (Hungarian), then
per-role exact and token-overlap F1, relation-level F1, slices, and claim provenance of events.

Exact role match compares character offsets after trimming whitespace, outer quotation marks and punctuation
from each span. Matching is canonical: the same pairs come out whichever side is called gold, so every F1 here is
symmetric under swapping gold and prediction. Empty cases: no gold and no predicted items give F1 = 0 (the
zero_division=0 convention of seqeval and scikit-learn) and a count of 0 beside it, so a reader can tell.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..records import Attribution, Span
from .counts import PRF, Tally, safe_div

ROLES = ("source", "cue", "content")
TRIM = string.whitespace + string.punctuation + "“”‘’«»„‚‹›–—…"
WORD = re.compile(r"\w+")
Offsets = tuple[int, int]


def normalized(text: str, spans: Sequence[Span]) -> tuple[Offsets, ...]:
    """Spans trimmed of outer whitespace, quotation marks and punctuation; empty ones dropped; sorted."""
    out = []
    for sp in spans:
        s, e = sp.start, sp.end
        while s < e and text[s] in TRIM:
            s += 1
        while e > s and text[e - 1] in TRIM:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(sorted(out))


def words(text: str, spans: Sequence[Span]) -> set[Offsets]:
    """Word tokens (runs of letters and digits) inside the spans, as offsets."""
    return {(m.start(), m.end()) for sp in spans for m in WORD.finditer(text, sp.start, sp.end)}


def char_overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def _key(att: Attribution) -> tuple:
    return tuple(tuple((s.start, s.end) for s in sorted(getattr(att, r))) for r in ("cue", "content", "source"))


def match_attributions(text: str, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> list[tuple[int, int]]:
    """(gold index, pred index) pairs whose cues overlap, maximising cue overlap, then content, then source."""
    if not gold or not pred:
        return []
    g_order = sorted(range(len(gold)), key=lambda i: _key(gold[i]))
    p_order = sorted(range(len(pred)), key=lambda j: _key(pred[j]))
    g_keys, p_keys = [_key(gold[i]) for i in g_order], [_key(pred[j]) for j in p_order]
    swap = p_keys < g_keys
    rows, cols = (p_order, g_order) if swap else (g_order, p_order)
    row_atts, col_atts = (pred, gold) if swap else (gold, pred)
    big = float(len(text) + 1)
    weight = np.zeros((len(rows), len(cols)))
    for a, i in enumerate(rows):
        for b, j in enumerate(cols):
            x, y = row_atts[i], col_atts[j]
            cue = char_overlap(x.cue, y.cue)
            if cue:
                weight[a, b] = cue * big * big + char_overlap(x.content, y.content) * big + char_overlap(x.source, y.source)
    r_idx, c_idx = linear_sum_assignment(weight, maximize=True)
    pairs = [(rows[a], cols[b]) for a, b in zip(r_idx, c_idx) if weight[a, b] > 0]
    return sorted((j, i) for i, j in pairs) if swap else sorted(pairs)


@dataclass(frozen=True)
class Slice:
    name: str
    holds: Callable[[str, Attribution], bool]


def default_slices(kinds: Sequence[str], pronouns: frozenset[str]) -> list[Slice]:
    """direct / indirect / mixed (one per kind), no source, pronoun source, anonymous source, 'according to'."""
    def pronoun(text: str, a: Attribution) -> bool:
        spans = normalized(text, a.source)
        return len(spans) == 1 and text[spans[0][0] : spans[0][1]].lower() in pronouns

    slices = [Slice(k, lambda text, a, k=k: a.kind == k) for k in kinds]
    return slices + [
        Slice("no source", lambda text, a: not a.source),
        Slice("pronoun source", pronoun),
        Slice("anonymous source", lambda text, a: bool(a.source) and a.anonymous),
        Slice("according to", lambda text, a: any("according to" in text[c.start : c.end].lower() for c in a.cue)),
    ]


@dataclass
class DocumentAttribution:
    """One document's additive counts."""

    detection: Tally = field(default_factory=Tally)  # cue-matched pairs
    exact: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    tokens: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    relation_exact: Tally = field(default_factory=Tally)
    relation_overlap: Tally = field(default_factory=Tally)
    slices: dict[str, tuple[Tally, Tally]] = field(default_factory=dict)  # name -> (exact, overlap)

    def vector(self, slice_names: Sequence[str]) -> list[float]:
        parts = [self.detection] + [self.exact[r] for r in ROLES] + [self.tokens[r] for r in ROLES]
        parts += [self.relation_exact, self.relation_overlap]
        parts += [t for name in slice_names for t in self.slices.get(name, (Tally(), Tally()))]
        return [x for t in parts for x in t.as_tuple()]


def _role_overlaps(text: str, g: Attribution, p: Attribution, role: str) -> bool:
    gs, ps = getattr(g, role), getattr(p, role)
    if not gs and not ps:
        return True
    return char_overlap(gs, ps) > 0


def score_document(text: str, gold: Sequence[Attribution], pred: Sequence[Attribution],
                   slices: Sequence[Slice] = ()) -> tuple[DocumentAttribution, list[tuple[int, int]]]:
    pairs = match_attributions(text, gold, pred)
    out = DocumentAttribution()
    out.detection = Tally(len(pairs), len(pred), len(gold))
    norm_g = [{r: normalized(text, getattr(a, r)) for r in ROLES} for a in gold]
    norm_p = [{r: normalized(text, getattr(a, r)) for r in ROLES} for a in pred]
    for r in ROLES:
        tp = sum(bool(norm_g[i][r]) and norm_g[i][r] == norm_p[j][r] for i, j in pairs)
        out.exact[r] = Tally(tp, sum(bool(n[r]) for n in norm_p), sum(bool(n[r]) for n in norm_g))
        overlap = sum(len(words(text, getattr(gold[i], r)) & words(text, getattr(pred[j], r))) for i, j in pairs)
        out.tokens[r] = Tally(overlap, sum(len(words(text, getattr(a, r))) for a in pred),
                              sum(len(words(text, getattr(a, r))) for a in gold))
    exact_ok = {(i, j) for i, j in pairs if norm_g[i] == norm_p[j]}
    overlap_ok = {(i, j) for i, j in pairs if all(_role_overlaps(text, gold[i], pred[j], r) for r in ROLES)}
    out.relation_exact = Tally(len(exact_ok), len(pred), len(gold))
    out.relation_overlap = Tally(len(overlap_ok), len(pred), len(gold))
    for sl in slices:
        g_in = {i for i, a in enumerate(gold) if sl.holds(text, a)}
        p_in = {j for j, a in enumerate(pred) if sl.holds(text, a)}
        both = lambda ok: sum(i in g_in and j in p_in for i, j in ok)  # noqa: E731
        out.slices[sl.name] = (Tally(both(exact_ok), len(p_in), len(g_in)), Tally(both(overlap_ok), len(p_in), len(g_in)))
    return out, pairs


def claim_provenance(text: str, gold_events, pred_events, gold: Sequence[Attribution], pred: Sequence[Attribution],
                     pairs: Sequence[tuple[int, int]]) -> tuple[int, int, int]:
    """(right attribution, right attribution and source, gold events inside an attribution).

    A gold event inside gold attribution G counts when a predicted event with the same trigger offsets is claimed
    by the predicted attribution matched to G; the second count also wants that attribution's source to equal G's.
    """
    g_index = {a.id: i for i, a in enumerate(gold)}
    p_index = {a.id: j for j, a in enumerate(pred)}
    matched = dict(pairs)
    by_trigger = {(e.trigger.start, e.trigger.end): e for e in pred_events}
    right = right_source = n = 0
    for ev in gold_events:
        if ev.claimed_by is None or ev.claimed_by not in g_index:
            continue
        n += 1
        i = g_index[ev.claimed_by]
        guess = by_trigger.get((ev.trigger.start, ev.trigger.end))
        if guess is None or guess.claimed_by is None or p_index.get(guess.claimed_by) != matched.get(i, -1):
            continue
        right += 1
        right_source += normalized(text, gold[i].source) == normalized(text, pred[matched[i]].source)
    return right, right_source, n


@dataclass
class AttributionScores:
    slice_names: list[str]
    per_doc: np.ndarray  # (n_docs, k) DocumentAttribution.vector rows
    provenance: np.ndarray  # (n_docs, 3)

    def column(self, index: int) -> np.ndarray:
        return self.per_doc[:, 3 * index : 3 * index + 3]

    def tally(self, index: int) -> Tally:
        return Tally(*self.column(index).sum(0))

    # column indices of the tallies in DocumentAttribution.vector
    DETECTION = 0

    @staticmethod
    def exact_index(role: str) -> int:
        return 1 + ROLES.index(role)

    @staticmethod
    def token_index(role: str) -> int:
        return 4 + ROLES.index(role)

    RELATION_EXACT, RELATION_OVERLAP = 7, 8

    def slice_index(self, name: str, overlap: bool) -> int:
        return 9 + 2 * self.slice_names.index(name) + int(overlap)

    def prf(self, index: int) -> PRF:
        return self.tally(index).prf

    @property
    def provenance_accuracy(self) -> tuple[float, float, int]:
        right, right_source, n = self.provenance.sum(0)
        return safe_div(right, n), safe_div(right_source, n), int(n)


def attribution_scores(texts: Sequence[str], gold_docs, pred_docs, gold_events=None, pred_events=None,
                       slices: Sequence[Slice] = ()) -> AttributionScores:
    """Per-document counts for every attribution figure; events (Event lists) give claim provenance."""
    if not (len(texts) == len(gold_docs) == len(pred_docs)):
        raise ValueError("texts, gold and predicted attributions differ in length")
    names = [s.name for s in slices]
    rows, prov = [], np.zeros((len(texts), 3))
    for d, (text, g, p) in enumerate(zip(texts, gold_docs, pred_docs)):
        doc, pairs = score_document(text, g, p, slices)
        rows.append(doc.vector(names))
        if gold_events is not None:
            prov[d] = claim_provenance(text, gold_events[d], pred_events[d], g, p, pairs)
    width = 3 * (9 + 2 * len(names))
    return AttributionScores(names, np.array(rows, dtype=float).reshape(len(texts), width), prov)
