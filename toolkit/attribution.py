"""Derived attribution fields: kind (by quotation marks), source entity, and claim provenance of events."""

from __future__ import annotations

from .records import Attribution, Entity, Event, Record, Span
from .spans import contains

OPEN_QUOTES = "\"“‘'«„"
CLOSE_QUOTES = "\"”’'»“"
QUOTES = set(OPEN_QUOTES + CLOSE_QUOTES) - {"'", "‘", "’"}  # apostrophes are too ambiguous inside words


def is_quoted(text: str, span: Span) -> bool:
    """Quoted: the span starts and ends with quotation marks, or sits between them (closing punctuation allowed)."""
    body = text[span.start : span.end].strip()
    if len(body) >= 2 and body[0] in QUOTES and body.rstrip(".,!?")[-1:] in QUOTES:
        return True
    before = text[: span.start].rstrip()[-1:]
    after = text[span.end :].lstrip(".,!? ")[:1]
    return before in QUOTES and after in QUOTES and bool(before)


def has_quote(text: str, span: Span) -> bool:
    return any(ch in QUOTES for ch in text[span.start : span.end])


def derive_kind(text: str, content: list[Span]) -> str:
    """direct: every content span quoted; indirect: no quotation marks; mixed: anything in between."""
    quoted = [is_quoted(text, sp) for sp in content]
    if quoted and all(quoted):
        return "direct"
    if any(quoted) or any(has_quote(text, sp) for sp in content):
        return "mixed"
    return "indirect"


NAMED_SOURCE_PRIORITY = ("PERSON", "ORG", "GPE", "NORP")


def find_source_entity(att: Attribution, entities: list[Entity]) -> str | None:
    """The entity mention inside the source span that names the source: a person first, then a body."""
    inside = [e for e in entities for s in att.source if contains((s.start, s.end), (e.start, e.end))]
    ranked = sorted(
        (e for e in inside if e.label in NAMED_SOURCE_PRIORITY),
        key=lambda e: (NAMED_SOURCE_PRIORITY.index(e.label), e.start),
    )
    return ranked[0].id if ranked else None


def content_extent(att: Attribution) -> int:
    return sum(sp.end - sp.start for sp in att.content)


def claimed_by(event: Event, attributions: list[Attribution]) -> str | None:
    """The innermost attribution whose content holds the event trigger."""
    trig = (event.trigger.start, event.trigger.end)
    holders = [a for a in attributions if any(contains((c.start, c.end), trig) for c in a.content)]
    if not holders:
        return None
    return min(holders, key=content_extent).id


def derive(record: Record) -> Record:
    """Fill every derived field so stored records always agree with their layers."""
    for att in record.attributions:
        att.kind = derive_kind(record.text, att.content)
        if att.source_entity is None:
            att.source_entity = find_source_entity(att, record.entities)
        if not att.source:
            att.anonymous = True
    for event in record.events:
        event.claimed_by = claimed_by(event, record.attributions)
    return record
