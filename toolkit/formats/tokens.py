"""Tokens for token-based formats (CoNLL, spaCy, Prodigy): the toolkit's tokenizer, cut at annotation edges.

A span boundary that falls inside a token (an entity "Russia" inside "Russia-backed" is fine, but one inside
"Kharkiv's" is not, depending on the tokenizer) would otherwise have to move. Cutting the token there keeps every
offset exact; the exporters say how many tokens were cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Doc

from ..nlp import blank_pipeline
from ..records import Record


@dataclass
class Tokenized:
    doc: Doc
    cut: int  # how many tokens were cut at an annotation boundary


def boundaries(record: Record, events: bool = True, attributions: bool = True) -> set[int]:
    """Every start and end offset of the layers a format carries."""
    out = {x for e in record.entities for x in (e.start, e.end)}
    if events:
        out |= {x for e in record.events for x in (e.trigger.start, e.trigger.end)}
    if attributions:
        out |= {x for a in record.attributions for role in (a.source, a.cue, a.content) for s in role
                for x in (s.start, s.end)}
    return out


def tokenize(text: str, cuts: Iterable[int] = (), sentences: bool = False) -> Tokenized:
    """A spaCy Doc over exactly `text` whose tokens start and end at every offset in `cuts`."""
    nlp = blank_pipeline()
    base = nlp.make_doc(text)
    cuts = sorted(set(cuts))
    words: list[str] = []
    spaces: list[bool] = []
    n_cut = 0
    for tok in base:
        start, end = tok.idx, tok.idx + len(tok.text)
        inner = [c for c in cuts if start < c < end]
        n_cut += bool(inner)
        edges = [start, *inner, end]
        for i, (a, b) in enumerate(zip(edges, edges[1:])):
            words.append(text[a:b])
            spaces.append(bool(tok.whitespace_) if i == len(edges) - 2 else False)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text, "tokens must rebuild the text"
    if sentences:
        for _, proc in nlp.pipeline:
            doc = proc(doc)
    return Tokenized(doc, n_cut)
