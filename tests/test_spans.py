from hypothesis import given, strategies as st

from toolkit.nlp import parse
from toolkit.spans import Edit, OffsetMap, bio_tags, crossing_pairs, crosses, outermost, tags_to_spans, trim


def test_crossing_but_not_nesting():
    assert crosses((0, 5), (3, 8))
    assert not crosses((0, 8), (3, 5))
    assert not crosses((0, 3), (3, 5))
    assert crossing_pairs([(0, 5), (3, 8), (10, 12), (0, 12)]) == [(0, 1)]


def test_outermost_keeps_longest_first():
    assert outermost([(0, 6, "ORG"), (0, 3, "GPE"), (7, 9, "DATE")]) == [(0, 6, "ORG"), (7, 9, "DATE")]


def test_bio_tags_and_back():
    doc = parse("Russia's Ministry of Defense said Sunday.")
    spans = [(0, 28, "ORG"), (34, 40, "DATE")]
    tags = bio_tags(doc, spans)
    assert tags == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-DATE", "O"]
    offsets = [(t.idx, t.idx + len(t)) for t in doc]
    assert tags_to_spans(offsets, tags) == spans


def test_trim():
    assert trim("  said  ", (0, 8)) == (2, 6)


def test_offset_map_both_ways():
    raw = "ab  cd\n\n\nef"
    om = OffsetMap(raw, [Edit(2, 4, " ", "whitespace"), Edit(7, 9, "", "whitespace")])
    assert om.clean == "ab cd\nef"
    assert om.span_to_clean((4, 6)) == (3, 5)
    assert om.clean[3:5] == "cd"
    assert om.to_raw(om.clean.index("ef")) == raw.index("ef")
    assert om.to_clean(3) is None


@given(st.text(alphabet="ab \n\t", max_size=60), st.data())
def test_unedited_spans_keep_their_text_through_an_offset_map(raw, data):
    from toolkit.cleaning import clean

    cleaned = clean(raw)
    om = cleaned.offsets
    assert om.clean == cleaned.text
    if not raw:
        return
    s = data.draw(st.integers(0, len(raw) - 1))
    e = data.draw(st.integers(s + 1, len(raw)))
    mapped = om.span_to_clean((s, e))
    touched = any(ed.start < e and s < ed.end for ed in cleaned.edits)
    if mapped is not None and not touched:
        assert cleaned.text[mapped[0] : mapped[1]] == raw[s:e]
