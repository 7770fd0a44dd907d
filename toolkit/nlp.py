"""The default spaCy pipeline: English tokenizer and a rule sentencizer, no model download."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and captions carry no final period."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


@cache
def blank_pipeline() -> Language:
    """Tokenizer + sentencizer; the base every rule extractor works on."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("newline_sentences", after="sentencizer")
    return nlp


def parse(text: str) -> Doc:
    return blank_pipeline()(text)
