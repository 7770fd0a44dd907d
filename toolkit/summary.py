"""A short per-split summary of records, as a rich table."""

from __future__ import annotations

from collections import Counter

from rich.table import Table

from .dataset import split_of
from .records import Record


def counts(records: list[Record]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for r in records:
        c = out.setdefault(split_of(r), Counter())
        c.update(documents=1, words=len(r.text.split()), entities=len(r.entities), events=len(r.events),
                 attributions=len(r.attributions), claimed=sum(1 for e in r.events if e.claimed_by))
    return out


def summary_table(records: list[Record], title: str = "") -> Table:
    table = Table(title=title)
    cols = ("documents", "words", "entities", "events", "attributions", "claimed")
    table.add_column("split")
    for col in cols:
        table.add_column(col if col != "claimed" else "events claimed", justify="right")
    per = counts(records)
    total = sum(per.values(), Counter())
    for split, c in sorted(per.items()) + [("all", total)]:
        table.add_row(split, *(str(c[col]) for col in cols))
    return table
