"""Character spans: overlap tests, token alignment (BIO) and mapping offsets through text edits."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.tokens import Doc

Offsets = tuple[int, int]


def overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def contains(outer: Offsets, inner: Offsets) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def crosses(a: Offsets, b: Offsets) -> bool:
    """Overlapping without one nesting in the other: never allowed within a layer."""
    return overlaps(a, b) and not contains(a, b) and not contains(b, a)


def crossing_pairs(spans: Sequence[Offsets]) -> list[tuple[int, int]]:
    """Index pairs of spans that cross, found with one sort and a sweep."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
    pairs = []
    open_: list[int] = []
    for i in order:
        s, e = spans[i]
        open_ = [j for j in open_ if spans[j][1] > s]
        pairs.extend((j, i) for j in open_ if crosses(spans[j], spans[i]))
        open_.append(i)
    return pairs


def trim(text: str, span: Offsets, chars: str = " \t\r\n") -> Offsets:
    """Shrink a span so it neither starts nor ends with the given characters."""
    s, e = span
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def outermost(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop spans nested in (or crossing) an earlier, longer one: BIO can hold only one layer."""
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, label))
    return kept


def bio_tags(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags for the tokens of `doc`; a span covers every token it overlaps."""
    tags = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    for s, e, label in outermost(spans):
        first = max(bisect_right(starts, s) - 1, 0)
        idxs = [i for i in range(first, len(doc)) if doc[i].idx < e and doc[i].idx + len(doc[i]) > s]
        for k, i in enumerate(idxs):
            tags[i] = ("B-" if k == 0 else "I-") + label
    return tags


def tags_to_spans(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans from BIO tags over tokens given as (start, end) offsets; a stray I- opens a span."""
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for (s, e), tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and cur is not None and cur[2] == label:
            cur[1] = e
            continue
        if cur is not None:
            out.append(tuple(cur))
            cur = None
        if prefix in ("B", "I"):
            cur = [s, e, label]
    if cur is not None:
        out.append(tuple(cur))
    return out


@dataclass(frozen=True)
class Edit:
    """Replace raw[start:end] by `replacement`; offsets are in the raw text."""

    start: int
    end: int
    replacement: str
    step: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement, "step": self.step}


class OffsetMap:
    """Maps offsets between a raw text and the text obtained by applying sorted, non-overlapping edits."""

    def __init__(self, raw: str, edits: Sequence[Edit]):
        self.raw = raw
        self.edits = sorted(edits, key=lambda ed: ed.start)
        pieces, self._anchors = [], []  # anchors: (raw_pos, clean_pos) at each unchanged run start
        raw_pos = clean_pos = 0
        for ed in self.edits:
            if ed.start < raw_pos:
                raise ValueError(f"overlapping edits at {ed.start}")
            pieces.append(raw[raw_pos : ed.start])
            self._anchors.append((raw_pos, clean_pos, ed.start - raw_pos))
            clean_pos += ed.start - raw_pos
            pieces.append(ed.replacement)
            clean_pos += len(ed.replacement)
            raw_pos = ed.end
        pieces.append(raw[raw_pos:])
        self._anchors.append((raw_pos, clean_pos, len(raw) - raw_pos))
        self.clean = "".join(pieces)

    def to_clean(self, raw_offset: int, side: str = "start") -> int | None:
        """Clean offset of a raw offset in an unedited run (or at its edge); None inside an edit.

        At a deletion two runs meet: a span start belongs to the later run, a span end to the earlier one.
        """
        return self._map(raw_offset, 0, side)

    def to_raw(self, clean_offset: int, side: str = "start") -> int | None:
        """Raw offset of a clean offset in an unedited run (or at its edge); None inside a replacement."""
        return self._map(clean_offset, 1, side)

    def _map(self, offset: int, frm: int, side: str) -> int | None:
        hits = [a for a in self._anchors if a[frm] <= offset <= a[frm] + a[2]]
        if not hits:
            return None
        anchor = hits[-1] if side == "start" else hits[0]
        return anchor[1 - frm] + offset - anchor[frm]

    def span_to_clean(self, span: Offsets) -> Offsets | None:
        s, e = self.to_clean(span[0], "start"), self.to_clean(span[1], "end")
        if s is None or e is None or e < s:
            return None
        return s, e
