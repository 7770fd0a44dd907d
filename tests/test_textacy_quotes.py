"""textacy's direct quotations as a peer attribution extractor: spans mapped to ours, and a clear line without it."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace

import pytest
import spacy

from tests.records_fixture import make_record
from toolkit.errors import ToolkitError
from toolkit.extract.registry import get_extractor, names
from toolkit.extract.textacy_quotes import (
    DEFAULT_PIPELINE,
    UNBALANCED_KEY,
    paragraphs,
    token_runs,
)
from toolkit.validate import validate_record

HAVE_TEXTACY = importlib.util.find_spec("textacy") is not None
HAVE_PIPELINE = spacy.util.is_package(DEFAULT_PIPELINE)
needs_peers = pytest.mark.skipif(
    not (HAVE_TEXTACY and HAVE_PIPELINE),
    reason=f"needs textacy and the {DEFAULT_PIPELINE} pipeline: pip install -e '.[peers]'",
)

QUOTE = '"The bridge at Kherson was destroyed overnight," John Smith told reporters on Monday.'


def blank_record(text: str):
    return replace(make_record(method="rules"), text=text, entities=[], events=[], attributions=[])


def texts(record, att, role):
    return [record.text[s.start : s.end] for s in getattr(att, role)]


def test_registered_without_importing_textacy():
    assert "textacy-quotes" in names()


def test_token_runs_split_at_gaps():
    doc = spacy.blank("en")("the army spokesman did not say much")
    assert [doc.text[s:e] for s, e in token_runs([doc[5], doc[3], doc[4]])] == ["did not say"]
    shifted = "0123456789" + doc.text
    assert [shifted[s:e] for s, e in token_runs([doc[1], doc[2], doc[5]], offset=10)] == ["army spokesman", "say"]


def test_paragraphs_cut_at_line_breaks():
    doc = spacy.blank("en")("One line here.\nA second one.\n\nThird.")
    cut = paragraphs(doc)
    assert [p.text.strip() for p in cut] == ["One line here.", "A second one.", "Third."]
    assert "".join(p.text_with_ws for p in cut) == doc.text


def test_missing_textacy_is_one_line(monkeypatch):
    for module in ("textacy", "textacy.extract", "textacy.extract.triples"):
        monkeypatch.setitem(sys.modules, module, None)  # None in sys.modules makes the import fail
    with pytest.raises(ToolkitError) as err:
        get_extractor("textacy-quotes")
    message = str(err.value)
    assert "\n" not in message
    assert "textacy" in message and "pip install -e '.[peers]'" in message


@pytest.mark.skipif(not HAVE_TEXTACY, reason="needs textacy: pip install -e '.[peers]'")
def test_missing_pipeline_is_one_line():
    with pytest.raises(ToolkitError) as err:
        get_extractor("textacy-quotes", pipeline="no_such_pipeline_xyz")
    assert "\n" not in str(err.value) and "no_such_pipeline_xyz" in str(err.value)


@needs_peers
def test_direct_quote_spans():
    extractor = get_extractor("textacy-quotes")
    assert extractor.task == "attribution"
    out = extractor.predict([blank_record(QUOTE)])[0]
    assert out.entities == [] and out.events == []
    assert len(out.attributions) == 1
    att = out.attributions[0]
    assert texts(out, att, "source") == ["John Smith"]
    assert texts(out, att, "cue") == ["told"]
    assert texts(out, att, "content") == ['"The bridge at Kherson was destroyed overnight,"']
    assert att.kind == "direct" and att.anonymous is False
    assert out.provenance.method == "model:textacy-quotes"
    assert validate_record(out.to_dict()) == []


@needs_peers
def test_unbalanced_paragraph_skipped_and_counted():
    text = "The soldiers' rations ran out.\nShe added, \"This cannot continue much longer.\""
    out = get_extractor("textacy-quotes").predict([blank_record(text)])[0]
    assert [texts(out, a, "source") for a in out.attributions] == [["She"]]
    assert [texts(out, a, "content") for a in out.attributions] == [['"This cannot continue much longer."']]
    assert out.attributions[0].anonymous is True  # a pronoun names no one
    assert out.meta.extra[UNBALANCED_KEY] == 1
