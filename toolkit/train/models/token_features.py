"""Token features for sequence taggers that know what the toolkit's lexicons and rule extractor know.

Each token gets its spelling (word, affixes, shape, case), what the entity lexicon lists it under (any list of
toolkit/lexicons/entities.json, as `label:list` with B/I), the rule extractor's entity label for it (BIO), and
optionally the POS tag and OntoNotes entity label of an installed spaCy pipeline. Neighbours within `window`
tokens contribute their spelling and these signals too. The lexicons are part of the model: model.json keeps
their hash (`lexicon_sha256`) so that a model is only trusted with the lexicons it was trained with.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

CURRENCY = re.compile(r"^(?:US)?[$€£¥₴₽₹]$")
NUMBER = re.compile(r"^\d[\d,.]*$")
ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True)
class FeatureOptions:
    """Which signals to use; every option is a hyper-parameter recorded in model.json."""

    window: int = 1
    lexicon: bool = True
    rules: bool = True
    pipeline: str | None = None  # an installed spaCy pipeline whose POS tags and entities become features
    vectors: bool = False  # with `pipeline`: its contextual token vectors (tok2vec output) as real-valued features
    vector_scale: float = 1.0


def shape(word: str) -> str:
    """Collapsed word shape: 'Kharkiv' -> 'Xx', 'Tu-95' -> 'Xx-d', '12:50' -> 'd:d'."""
    s = re.sub(r"[A-Z]+", "X", word)
    s = re.sub(r"[a-z]+", "x", s)
    return re.sub(r"[0-9]+", "d", s)


def long_shape(word: str) -> str:
    return re.sub(r"[0-9]", "d", re.sub(r"[a-z]", "x", re.sub(r"[A-Z]", "X", word)))[:8]


def lexicon_sha256() -> str:
    from ...extract.rules.entities import LEXICON_PATH

    return hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()


@cache
def lexicon_matcher():
    """One case-insensitive phrase matcher over every word list of the entity lexicon, keyed `label:list`."""
    from spacy.matcher import PhraseMatcher

    from ...extract.rules.entities import lexicon
    from ...nlp import blank_pipeline

    nlp = blank_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, lists in lexicon().items():
        for key, phrases in lists.items():
            if isinstance(phrases, list) and phrases:
                matcher.add(f"{label}:{key}", list(nlp.tokenizer.pipe([p.lower() for p in phrases])))
    return matcher


def lexicon_tags(doc) -> list[set[str]]:
    """Per token, the lexicon lists of every phrase covering it, as `label:list:B` or `label:list:I`."""
    tags: list[set[str]] = [set() for _ in doc]
    vocab = doc.vocab.strings
    for match_id, start, end in lexicon_matcher()(doc):
        key = vocab[match_id]
        for i in range(start, end):
            tags[i].add(f"{key}:{'B' if i == start else 'I'}")
    return tags


def rule_tags(doc) -> list[str]:
    from ...extract.rules.entities import find_entities
    from ...spans import bio_tags

    return bio_tags(doc, find_entities(doc))


@cache
def load_pipeline(name: str):
    import spacy

    return spacy.load(name, exclude=["parser", "lemmatizer"])


def pipeline_tags(doc, name: str) -> tuple[list[str], list[str], list]:
    """(POS tags, BIO OntoNotes entity tags, token vectors) of an installed pipeline on the same tokens."""
    from spacy.tokens import Doc

    nlp = load_pipeline(name)
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    parsed = nlp(Doc(nlp.vocab, words=words, spaces=spaces))
    ents = ["O"] * len(parsed)
    for e in parsed.ents:
        for i in range(e.start, e.end):
            ents[i] = ("B-" if i == e.start else "I-") + e.label_
    return [t.tag_ for t in parsed], ents, list(parsed.tensor)


@dataclass
class TokenSignals:
    """What the lexicons, the rules and a pipeline say about each token of one document."""

    lexicon: list[set[str]]
    rules: list[str]
    pos: list[str]
    ents: list[str]
    vectors: list | None = None


def document_signals(doc, options: FeatureOptions) -> TokenSignals:
    n = len(doc)
    lex = lexicon_tags(doc) if options.lexicon else [set() for _ in range(n)]
    rules = rule_tags(doc) if options.rules else [""] * n
    pos, ents, vectors = pipeline_tags(doc, options.pipeline) if options.pipeline else ([""] * n, [""] * n, None)
    if vectors is not None and options.vectors:
        vectors = [[float(x) * options.vector_scale for x in v] for v in vectors]
    else:
        vectors = None
    return TokenSignals(lex, rules, pos, ents, vectors)


def word_features(word: str, prefix: str) -> dict:
    low = word.lower()
    return {f"{prefix}lower": low, f"{prefix}shape": shape(word), f"{prefix}suf3": low[-3:],
            f"{prefix}title": word.istitle(), f"{prefix}upper": word.isupper()}


def own_features(word: str) -> dict:
    low = word.lower()
    return {
        "bias": 1.0, "lower": low, "pre2": low[:2], "pre3": low[:3], "suf2": low[-2:], "suf3": low[-3:],
        "suf4": low[-4:], "shape": shape(word), "long_shape": long_shape(word), "title": word.istitle(),
        "upper": word.isupper(), "digit": word.isdigit(), "has_digit": any(c.isdigit() for c in word),
        "has_hyphen": "-" in word, "punct": not any(c.isalnum() for c in word), "len": min(len(word), 10),
        "number": bool(NUMBER.match(word)), "currency": bool(CURRENCY.match(word)),
        "roman": bool(ROMAN.match(word)) and len(word) > 1, "plural": low.endswith("s") and len(low) > 3,
    }


def signal_features(signals: TokenSignals, i: int, prefix: str) -> dict:
    f = {}
    for tag in signals.lexicon[i]:
        f[f"{prefix}lex={tag}"] = True
    if signals.rules[i]:
        f[f"{prefix}rule"] = signals.rules[i]
    if signals.pos[i]:
        f[f"{prefix}pos"] = signals.pos[i]
    if signals.ents[i]:
        f[f"{prefix}ent"] = signals.ents[i]
    return f


def sequence_features(words: list[str], index: list[int], signals: TokenSignals, window: int) -> list[dict]:
    """Features of every token of one sequence; `index[k]` is token k's position in the document's signals."""
    out = []
    n = len(words)
    for k, w in enumerate(words):
        f = own_features(w)
        f.update(signal_features(signals, index[k], ""))
        if signals.vectors is not None:
            f.update({f"v{d}": x for d, x in enumerate(signals.vectors[index[k]])})
        if k == 0:
            f["first"] = True
        for off in range(-window, window + 1):
            j = k + off
            if off == 0:
                continue
            if 0 <= j < n:
                f.update(word_features(words[j], f"{off:+d}:"))
                if abs(off) == 1:
                    f.update(signal_features(signals, index[j], f"{off:+d}:"))
                else:
                    f.update({key: v for key, v in signal_features(signals, index[j], f"{off:+d}:").items()
                              if not key.startswith(f"{off:+d}:lex=")})
            else:
                f[f"{off:+d}:edge"] = True
        low = w.lower()
        if k > 0:
            f["-1:bigram"] = f"{words[k - 1].lower()}|{low}"
        if k + 1 < n:
            f["+1:bigram"] = f"{low}|{words[k + 1].lower()}"
            f["+1:number_after_title"] = w.istitle() and bool(NUMBER.match(words[k + 1]))
        out.append(f)
    return out


def doc_sequences(doc, options: FeatureOptions) -> list[tuple[list, list[dict]]]:
    """(tokens, features) per sentence of a parsed document (space tokens left out)."""
    signals = document_signals(doc, options)
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if toks:
            out.append((toks, sequence_features([t.text for t in toks], [t.i for t in toks], signals,
                                                options.window)))
    return out


def words_doc(words: list[str]):
    """A Doc over given tokens (one space between them), with the toolkit's sentence boundaries."""
    from spacy.tokens import Doc

    from ...nlp import blank_pipeline

    nlp = blank_pipeline()
    doc = Doc(nlp.vocab, words=words)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def words_features(words: list[str], options: FeatureOptions) -> list[dict]:
    """Features of a pre-tokenised sentence treated as one sequence (CoNLL tokens)."""
    doc = words_doc(words)
    return sequence_features(words, list(range(len(words))), document_signals(doc, options), options.window)
