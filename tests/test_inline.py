from hypothesis import given, settings, strategies as st

from toolkit.attribution import derive
from toolkit.formats import export_records, import_records
from toolkit.formats.inline import escape, from_markup, render, unescape
from toolkit.records import Attribution, Entity, Event, Record, Span
from toolkit.schema import inventory
from records_fixture import make_record


def test_render_and_parse_back():
    record = make_record("rules")
    back, problems = from_markup(render(record))
    assert problems == []
    assert (back.entities, back.events, back.attributions) == (record.entities, record.events, record.attributions)


def test_annotator_makes_gold_with_provenance():
    back, _ = from_markup(render(make_record("rules")), annotator="ann-1")
    assert back.provenance.method == "gold" and back.provenance.annotator == "ann-1"
    assert back.provenance.reviewed and back.provenance.pre_annotation == "rules"


def test_edited_text_and_bad_tags_are_reported():
    markup = render(make_record("rules"))
    assert "differs from the original" in from_markup(markup.replace("Kharkiv", "Kharkov"))[1][0]
    assert from_markup(markup.replace("<e:GPE>", "<e:CITY>"))[1] == ["unknown entity label 'CITY' at [23, 30) 'Kharkiv'"]
    assert "is never closed" in from_markup(markup.replace("</v>", "", 1))[1][0]
    assert "needs at least one <cue:1>" in from_markup(markup.replace("<cue:1>said</cue>", "said"))[1][0]


def test_escaping_round_trips():
    for text in ["a < b > c", "&lt; literal", "x &amp; y & z", "&gt;&"]:
        assert unescape(escape(text)) == text


WORDS = ["Kyiv", "said", "<", "shelled", "&lt;", "the", "army", "\"quoted\"", "drones", "\n"]


@st.composite
def records(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=25))
    text, spans, pos = "", [], 0
    for w in words:
        spans.append((pos, pos + len(w)))
        text += w + " "
        pos += len(w) + 1
    text = text.rstrip(" ") or "x"
    inv = inventory()
    picks = sorted(draw(st.sets(st.integers(0, len(spans) - 1), max_size=len(spans))))
    ents = [Entity(f"T{i + 1}", *spans[k], draw(st.sampled_from(inv.entity_labels))) for i, k in enumerate(picks)]
    evk = sorted(draw(st.sets(st.integers(0, len(spans) - 1), max_size=4)))
    evs = [Event(f"E{i + 1}", Span(*spans[k]), draw(st.sampled_from(inv.event_labels)),
                 draw(st.sampled_from(inv.modality_labels))) for i, k in enumerate(evk)]
    atts = []
    if len(spans) >= 4 and draw(st.booleans()):
        c = Span(spans[0][0], spans[1][1])
        atts.append(Attribution("A1", cue=[Span(*spans[2])], content=[c], source=[Span(*spans[3])],
                                anonymous=draw(st.booleans())))
    return derive(Record("doc", text, entities=ents, events=evs, attributions=atts))


@settings(max_examples=80, deadline=None)
@given(records())
def test_inline_round_trip_property(record):
    back, problems = from_markup(render(record))
    assert problems == []
    assert back.text == record.text
    assert back.entities == record.entities and back.events == record.events
    assert back.attributions == record.attributions


def test_registry_round_trip(tmp_path):
    record = make_record("rules")
    export_records("inline", [record], tmp_path)
    result = import_records("inline", tmp_path)
    assert result.problems == [] and result.records[0].entities == record.entities
