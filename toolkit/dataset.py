"""Records to a Hugging Face DatasetDict: configs `documents` and `ner`, features built from the schema.

Under DIR: `documents/` and `ner/` (DatasetDict.save_to_disk, for `datasets.load_from_disk`), and `data/CONFIG/`
Parquet files with a README.md whose YAML lists the configs, so `datasets.load_dataset(DIR, CONFIG)` works too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .nlp import parse
from .records import Record
from .schema import inventory
from .spans import bio_tags

CONFIGS = ("documents", "ner")
SPLIT_RATIOS = (("train", 80), ("validation", 10), ("test", 10))


def split_of(record: Record) -> str:
    """The stored split, else a stable hash of the id (80/10/10)."""
    if record.split:
        return record.split
    bucket = int(hashlib.sha256(record.id.encode("utf-8")).hexdigest()[:8], 16) % 100
    edge = 0
    for name, share in SPLIT_RATIOS:
        edge += share
        if bucket < edge:
            return name
    return SPLIT_RATIOS[-1][0]


def _span_feature():
    from datasets import Value

    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def documents_features():
    from datasets import ClassLabel, Features, List, Value

    inv = inventory()
    span = _span_feature()
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "text_sha256": Value("string"),
            "schema_version": Value("string"),
            "split": Value("string"),
            "meta": {
                "title": Value("string"), "url": Value("string"), "publisher": Value("string"),
                "date": Value("string"), "language": Value("string"), "license": Value("string"),
                "redistributable": Value("bool"), "extra_json": Value("string"),
            },
            "entities": List({"id": Value("string"), **span, "label": ClassLabel(names=inv.entity_labels)}),
            "events": List({
                "id": Value("string"), "trigger": span, "type": ClassLabel(names=inv.event_labels),
                "modality": ClassLabel(names=inv.modality_labels), "claimed_by": Value("string"),
            }),
            "attributions": List({
                "id": Value("string"), "source": List(span), "cue": List(span), "content": List(span),
                "kind": ClassLabel(names=inv.kind_labels), "anonymous": Value("bool"),
                "source_entity": Value("string"),
            }),
            "provenance": {
                "method": Value("string"), "annotator": Value("string"), "created": Value("string"),
                "guideline_version": Value("string"),
            },
        }
    )


def ner_features():
    from datasets import ClassLabel, Features, List, Value

    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "sentence": Value("int32"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=inventory().bio_labels)),
        }
    )


def document_row(record: Record) -> dict:
    d = record.to_dict()
    meta = {k: d["meta"].get(k) for k in ("title", "url", "publisher", "date", "language", "license", "redistributable")}
    meta["extra_json"] = json.dumps(d["meta"].get("extra", {}), ensure_ascii=False, sort_keys=True)
    prov = {k: d["provenance"].get(k) for k in ("method", "annotator", "created", "guideline_version")}
    return {
        "id": d["id"], "text": d["text"], "text_sha256": d["text_sha256"], "schema_version": d["schema_version"],
        "split": split_of(record), "meta": meta, "entities": d["entities"], "events": d["events"],
        "attributions": d["attributions"], "provenance": prov,
    }


def ner_rows(record: Record) -> list[dict]:
    """One row per sentence: whitespace tokens dropped, entities as BIO tags."""
    doc = parse(record.text)
    tags = bio_tags(doc, [(e.start, e.end, e.label) for e in record.entities])
    rows = []
    for n, sent in enumerate(doc.sents):
        idx = [t.i for t in sent if not t.is_space]
        if idx:
            rows.append({
                "id": f"{record.id}-{n}", "doc_id": record.id, "sentence": n,
                "tokens": [doc[i].text for i in idx], "ner_tags": [tags[i] for i in idx],
            })
    return rows


def build(records: list[Record]) -> dict:
    """{config: DatasetDict}; splits with no documents are left out."""
    from datasets import Dataset, DatasetDict

    by_split: dict[str, list[Record]] = {}
    for record in sorted(records, key=lambda r: r.id):
        by_split.setdefault(split_of(record), []).append(record)
    order = [s for s in inventory().splits if s in by_split]
    docs = DatasetDict({s: Dataset.from_list([document_row(r) for r in by_split[s]], features=documents_features()) for s in order})
    ner = DatasetDict({
        s: Dataset.from_list([row for r in by_split[s] for row in ner_rows(r)], features=ner_features()) for s in order
    })
    return {"documents": docs, "ner": ner}


def save_dataset(records: list[Record], out_dir: Path) -> dict:
    """Write both configs as saved DatasetDicts and as Parquet with a loadable README, into `out_dir`.

    Callers pass a staging folder (atomic.staged) so that a failure never leaves a half-written dataset.
    """
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    out_dir = Path(out_dir)
    built = build(records)
    for config, dd in built.items():
        dd.save_to_disk(str(out_dir / config))
        for split, ds in dd.items():
            (out_dir / "data" / config).mkdir(parents=True, exist_ok=True)
            ds.to_parquet(str(out_dir / "data" / config / f"{split}-00000-of-00001.parquet"))
    (out_dir / "README.md").write_text(loader_card(built), encoding="utf-8")
    return built


def loader_card(built: dict) -> str:
    """A minimal dataset card whose YAML header maps configs to Parquet files (the full card comes from publish)."""
    lines = ["---", "configs:"]
    for config, dd in built.items():
        lines.append(f"- config_name: {config}")
        if config == "documents":
            lines.append("  default: true")
        lines.append("  data_files:")
        for split in dd:
            lines.append(f"  - split: {split}")
            lines.append(f"    path: data/{config}/{split}-*.parquet")
    lines += ["---", "", "Annotated with `toolkit annotate`. Load a config with",
              "`datasets.load_dataset(\"<this folder>\", \"documents\")` or `\"ner\"`.", ""]
    return "\n".join(lines)


def record_from_row(row: dict, features) -> Record:
    """Invert `document_row`: class ids back to label names, the JSON extra back to a dict."""
    names = {
        "entities": features["entities"].feature["label"],
        "type": features["events"].feature["type"],
        "modality": features["events"].feature["modality"],
        "kind": features["attributions"].feature["kind"],
    }
    d = dict(row)
    meta = dict(d["meta"])
    extra = json.loads(meta.pop("extra_json") or "{}")
    d["meta"] = {**meta, **({"extra": extra} if extra else {})}
    d["entities"] = [{**e, "label": names["entities"].int2str(e["label"])} for e in d["entities"]]
    d["events"] = [
        {**e, "type": names["type"].int2str(e["type"]), "modality": names["modality"].int2str(e["modality"])}
        for e in d["events"]
    ]
    d["attributions"] = [{**a, "kind": names["kind"].int2str(a["kind"])} for a in d["attributions"]]
    d["provenance"] = {k: v for k, v in d["provenance"].items() if v is not None or k == "guideline_version"}
    return Record.from_dict(d)


def load_records(dataset_dir: Path, split: str | None = None) -> list[Record]:
    """Records from a dataset written by `save_dataset` (the `documents` config), one split or all."""
    from datasets import load_from_disk

    dd = load_from_disk(str(Path(dataset_dir) / "documents"))
    splits = [split] if split else list(dd)
    return [record_from_row(row, dd[s].features) for s in splits for row in dd[s]]
