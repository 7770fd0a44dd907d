"""IndiaPoliceEvents (Halterman et al. 2021) sentences: JSONL lines with `text` and multi-label `labels`.

Its labels (KILL, ARREST, ANY_ACTION, FAIL, FORCE) are its own, not our event types: each sentence becomes an
event-free record whose meta.extra holds `labels` and `label_scheme`, so that sentence classifiers can be
trained and scored on the set as it is. The text (lower-cased, with the source's mojibake) is kept verbatim.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..records import Meta, Provenance, Record
from ..jsonl import read_numbered
from . import ImportResult, importer

SCHEME = "india-police-events"


@importer(SCHEME)
def import_india_police_events(path: Path, **_options) -> ImportResult:
    records, problems = [], []
    for n, row, error in read_numbered(path):
        try:
            if error:
                raise ValueError(error)
            text, labels = row["text"], row.get("labels") or []
            if not isinstance(text, str) or not isinstance(labels, list):
                raise TypeError("`text` must be a string and `labels` a list")
        except (ValueError, KeyError, TypeError) as err:
            problems.append(Problem(str(path), f"not an IndiaPoliceEvents line ({err.__class__.__name__}: {err})", n))
            continue
        if not text.strip():
            continue
        meta = Meta(source_file=str(path), publisher="Times of India", license=None,
                    extra={"labels": sorted({str(lab) for lab in labels}), "label_scheme": SCHEME})
        records.append(Record(f"{SCHEME}-{path.stem}-{n:06d}", text, meta,
                              provenance=Provenance("gold", SCHEME, "2021-01-01T00:00:00+00:00")))
    return ImportResult(records, problems)
