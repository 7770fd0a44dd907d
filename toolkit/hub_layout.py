"""The Hub layout: four configs as Parquet shards under data/CONFIG/, loadable with `datasets.load_dataset(DIR, CONFIG)`.

`documents` and `ner` come from toolkit.dataset; `events` and `attributions` are flat views (one row per event or
attribution) for users who want a classification table without walking nested lists.
"""

from __future__ import annotations

from pathlib import Path

from .dataset import _span_feature, build, split_of
from .nlp import parse
from .records import Record, Span
from .schema import inventory

CONFIGS = ("documents", "ner", "events", "attributions")
DEFAULT_CONFIG = "documents"
DATA_DIR = "data"


def shard_path(config: str, split: str) -> str:
    """Path of a config's split inside the repo; the one place that names shards."""
    return f"{DATA_DIR}/{config}/{split}-00000-of-00001.parquet"


def shard_pattern(config: str, split: str) -> str:
    return f"{DATA_DIR}/{config}/{split}-*.parquet"


def events_features():
    from datasets import ClassLabel, Features, Value

    inv = inventory()
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "event_id": Value("string"),
        "sentence": Value("string"),
        "sentence_start": Value("int32"),
        "trigger": _span_feature(),
        "type": ClassLabel(names=inv.event_labels),
        "modality": ClassLabel(names=inv.modality_labels),
        "claimed_by": Value("string"),
    })


def attributions_features():
    from datasets import ClassLabel, Features, List, Value

    span = _span_feature()
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "attribution_id": Value("string"),
        "sentence": Value("string"),
        "sentence_start": Value("int32"),
        "source": List(span),
        "cue": List(span),
        "content": List(span),
        "source_text": Value("string"),
        "cue_text": Value("string"),
        "content_text": Value("string"),
        "kind": ClassLabel(names=inventory().kind_labels),
        "anonymous": Value("bool"),
        "source_entity": Value("string"),
    })


class _Sentences:
    """Sentence boundaries of one document, from the same pipeline the `ner` config uses."""

    def __init__(self, text: str):
        self.text = text
        self.bounds = [(s.start_char, s.end_char) for s in parse(text).sents] or [(0, len(text))]

    def covering(self, spans: list[Span]) -> tuple[int, str]:
        """(start, text) of the sentences that the spans touch, as one stretch of the document."""
        lo = min(s.start for s in spans)
        hi = max(s.end for s in spans)
        touched = [(a, b) for a, b in self.bounds if a < hi and lo < b] or [(lo, hi)]
        start, end = touched[0][0], touched[-1][1]
        return start, self.text[start:end]


def _joined(text: str, spans: list[Span]) -> str:
    return " … ".join(text[s.start : s.end] for s in spans)


def event_rows(record: Record, sentences: _Sentences | None = None) -> list[dict]:
    """One row per event: its document, the sentence holding the trigger, the trigger text, type and modality."""
    sentences = sentences or _Sentences(record.text)
    t = record.text
    rows = []
    for ev in record.events:
        start, sentence = sentences.covering([ev.trigger])
        rows.append({
            "id": f"{record.id}-{ev.id}", "doc_id": record.id, "event_id": ev.id, "sentence": sentence,
            "sentence_start": start, "trigger": ev.trigger.to_dict(t), "type": ev.type, "modality": ev.modality,
            "claimed_by": ev.claimed_by,
        })
    return rows


def attribution_rows(record: Record, sentences: _Sentences | None = None) -> list[dict]:
    """One row per attribution: the sentence(s) its source, cue and content lie in, and each span's text."""
    sentences = sentences or _Sentences(record.text)
    t = record.text
    rows = []
    for att in record.attributions:
        start, sentence = sentences.covering(att.source + att.cue + att.content)
        rows.append({
            "id": f"{record.id}-{att.id}", "doc_id": record.id, "attribution_id": att.id, "sentence": sentence,
            "sentence_start": start,
            "source": [s.to_dict(t) for s in att.source], "cue": [s.to_dict(t) for s in att.cue],
            "content": [s.to_dict(t) for s in att.content],
            "source_text": _joined(t, att.source), "cue_text": _joined(t, att.cue),
            "content_text": _joined(t, att.content),
            "kind": att.kind, "anonymous": att.anonymous, "source_entity": att.source_entity,
        })
    return rows


def build_layout(records: list[Record]) -> dict:
    """{config: DatasetDict} for all four configs, the same splits in each (empty splits left out)."""
    from datasets import Dataset, DatasetDict

    built = build(records)
    by_split: dict[str, list[Record]] = {}
    for record in sorted(records, key=lambda r: r.id):
        by_split.setdefault(split_of(record), []).append(record)
    events: dict[str, list[dict]] = {}
    atts: dict[str, list[dict]] = {}
    for split in built["documents"]:
        events[split], atts[split] = [], []
        for record in by_split[split]:
            sentences = _Sentences(record.text)
            events[split].extend(event_rows(record, sentences))
            atts[split].extend(attribution_rows(record, sentences))
    built["events"] = DatasetDict({s: Dataset.from_list(rows, features=events_features()) for s, rows in events.items()})
    built["attributions"] = DatasetDict(
        {s: Dataset.from_list(rows, features=attributions_features()) for s, rows in atts.items()}
    )
    return {config: built[config] for config in CONFIGS}


def write_shards(built: dict, out_dir: Path) -> list[str]:
    """Parquet shards under out_dir/data/; returns their repo paths."""
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    paths = []
    for config, dd in built.items():
        for split, ds in dd.items():
            rel = shard_path(config, split)
            (Path(out_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
            ds.to_parquet(str(Path(out_dir) / rel))
            paths.append(rel)
    return paths
