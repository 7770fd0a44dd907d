"""Sentences as units for event models, and sentence-level predictions mapped back to event mentions.

A sentence classifier predicts a set of event types per sentence, not trigger spans. To give records a
valid events layer, each predicted type becomes one event in that sentence whose trigger is the first
rule-lexicon trigger of that type in the sentence (with the rule modality), or else the sentence's first
content word (modality "asserted") as a placeholder. Placeholder triggers are not real trigger predictions,
so sentence classifiers are compared with trigger models on document- and sentence-level type F1 only.
"""

from __future__ import annotations

from ..nlp import parse
from ..records import Record


def rule_events(doc) -> list[tuple[int, int, str, str]]:
    from ..extract.rules.entities import find_entities
    from ..extract.rules.events import find_events

    return find_events(doc, find_entities(doc))


def record_units(record: Record) -> list[tuple[str, set[str]]]:
    """(sentence text, event types triggered in it) for every non-blank sentence of a record."""
    units = []
    for sent in parse(record.text).sents:
        if sent.text.strip():
            types = {e.type for e in record.events if sent.start_char <= e.trigger.start < sent.end_char}
            units.append((sent.text, types))
    return units


def training_units(records: list[Record], foreign: bool) -> tuple[list[str], list[set[str]]]:
    """Texts and label sets: a classification set's records as they are, else our records' sentences."""
    if foreign:
        return [r.text for r in records], [set(r.meta.extra.get("labels") or []) for r in records]
    pairs = [u for r in records for u in record_units(r)]
    return [t for t, _ in pairs], [labels for _, labels in pairs]


def first_content_word(sent) -> tuple[int, int] | None:
    for tok in sent:
        if tok.is_alpha and not tok.is_stop:
            return tok.idx, tok.idx + len(tok.text)
    for tok in sent:
        if not tok.is_space and not tok.is_punct:
            return tok.idx, tok.idx + len(tok.text)
    return None


def events_from_sentence_types(text: str, classify) -> list[tuple[int, int, str, str]]:
    """Events of one document from `classify(list of sentence texts) -> list of type sets`."""
    doc = parse(text)
    sents = [s for s in doc.sents if s.text.strip()]
    if not sents:
        return []
    predicted = classify([s.text for s in sents])
    lexicon = rule_events(doc) if any(predicted) else []
    events = []
    for sent, types in zip(sents, predicted):
        for etype in sorted(types):
            found = [ev for ev in lexicon if ev[2] == etype and sent.start_char <= ev[0] < sent.end_char]
            if found:
                events.append(found[0])
            elif (word := first_content_word(sent)) is not None:
                events.append((word[0], word[1], etype, "asserted"))
    return sorted(set(events))


def rule_modality(doc, token_start: int, token_end: int) -> str:
    """The rule extractor's modality for a trigger over tokens [token_start, token_end) of `doc`."""
    from ..extract.rules.events import Match, build_sentence, lexicon, modality, sentence_bounds, token_entity_labels

    lex = lexicon()
    words = [t.lower_ for t in doc]
    start, end = next(((s, e) for s, e in sentence_bounds(doc) if s <= token_start < e), (0, len(doc)))
    sent = build_sentence(words, token_entity_labels(doc, []), start, end, lex)
    return modality(Match(token_start, token_end, token_start, token_end, None), sent, lex)


class SentenceClassifierEvents:
    """A sentence classifier as an events predictor: label sets for classification sets, else events."""

    def __init__(self, classify, foreign: bool):
        self.classify, self.foreign = classify, foreign

    def predict_layer(self, texts: list[str]) -> list:
        from .base import LabelSet

        if self.foreign:
            return [LabelSet(tuple(sorted(labels))) for labels in self.classify(texts)]
        return [events_from_sentence_types(t, self.classify) for t in texts]
