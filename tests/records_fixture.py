"""A small hand-made record used by several tests."""

import re

from toolkit.attribution import derive
from toolkit.records import Attribution, Entity, Event, Meta, Provenance, Record, Span

TEXT = 'Russian forces shelled Kharkiv on Monday, killing two people, the governor said. "We will rebuild," he said.'


def _at(s: str, occurrence: int = 0) -> Span:
    """The n-th whole-word occurrence of `s` in TEXT."""
    m = list(re.finditer(rf"(?<!\w){re.escape(s)}(?!\w)", TEXT))[occurrence]
    return Span(m.start(), m.end())


def make_record(method: str = "gold", rid: str = "doc-1") -> Record:
    ents = [
        Entity("T1", *_span(_at("Russian")), "NORP"),
        Entity("T2", *_span(_at("Kharkiv")), "GPE"),
        Entity("T3", *_span(_at("Monday")), "DATE"),
        Entity("T4", *_span(_at("two")), "CARDINAL"),
    ]
    events = [Event("E1", _at("shelled"), "SHELLING_MISSILE_ATTACK"), Event("E2", _at("killing"), "CASUALTIES"),
              Event("E3", _at("rebuild"), "DAMAGE_DESTRUCTION", "hypothetical")]
    atts = [
        Attribution("A1", cue=[_at("said")], content=[Span(0, _at("people").end)], source=[_at("the governor")],
                    anonymous=True),
        Attribution("A2", cue=[_at("said", 1)], content=[_at('"We will rebuild,"')], source=[_at("he")],
                    anonymous=True),
    ]
    rec = Record(rid, TEXT, Meta(title="t", license="CC-BY-4.0", redistributable=True), ents, events, atts,
                 Provenance(method, "tester", "2026-01-01T00:00:00+00:00", "1.0"))
    return derive(rec)


def _span(sp: Span) -> tuple[int, int]:
    return sp.start, sp.end
