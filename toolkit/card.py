"""The dataset card (README.md) published with the dataset: YAML metadata the Hub reads, and a body people read.

The metadata check here mirrors what the Hub validates, so a bad card fails before anything is uploaded.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import ToolkitError
from .hub_layout import CONFIGS, DEFAULT_CONFIG, shard_pattern
from .licenses import is_non_commercial
from .records import Record
from .schema import inventory
from .summary import counts

PRETTY_NAME = "Conflict news: entities, events and attribution"
QUALITY_FILE = Path("annotations") / "QUALITY.md"
BENCHMARKS_FILE = Path("benchmarks") / "README.md"
RE3D_CREDIT = "Defence Science and Technology Laboratory (Dstl), re3d (https://github.com/dstl/re3d)"

# License ids the Hub accepts in `license:` (https://huggingface.co/docs/hub/repositories-licenses).
HUB_LICENSES = frozenset("""
apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m
afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0
cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0
cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl
gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr
mpl-2.0 odc-by odbl openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr
deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 gemma
unknown other
""".split())
REQUIRED_FIELDS = ("license", "language", "pretty_name", "task_categories", "task_ids", "size_categories",
                   "annotations_creators", "language_creators", "source_datasets", "configs", "dataset_info")
SIZE_EDGES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"))


@dataclass
class CardFacts:
    """What the card says beyond the records themselves."""

    repo_id: str
    shard_bytes: dict[str, int] = field(default_factory=dict)  # repo path -> size
    left_out: list[str] = field(default_factory=list)  # one line per document left out
    root: Path = field(default_factory=Path.cwd)  # where annotations/ and benchmarks/ are read from


def hub_license(spdx: str | None) -> str | None:
    """The Hub's id for an SPDX-style license, or None where the Hub has none."""
    if not spdx:
        return None
    guess = spdx.strip().lower()
    return guess if guess in HUB_LICENSES and guess not in ("other", "unknown") else None


def render_card(records: list[Record], built: dict, facts: CardFacts) -> str:
    metadata = card_metadata(records, built, facts)
    from huggingface_hub import DatasetCardData

    yaml_text = DatasetCardData(**metadata).to_yaml()
    return f"---\n{yaml_text}\n---\n\n{card_body(records, built, facts)}"


def card_metadata(records: list[Record], built: dict, facts: CardFacts) -> dict:
    from datasets import DatasetInfo
    from datasets.splits import SplitDict, SplitInfo

    licenses = sorted({r.meta.license or "unknown" for r in records})
    ids = {hub_license(x) for x in licenses}
    meta: dict = {}
    if len(ids) == 1 and None not in ids:
        meta["license"] = ids.pop()
    else:
        meta.update(license="other", license_name="per-document",
                    license_link=f"https://huggingface.co/datasets/{facts.repo_id}#licenses-and-credits")
    methods = {r.provenance.method for r in records}
    meta.update(
        language=sorted({r.meta.language or "en" for r in records}),
        pretty_name=PRETTY_NAME,
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-class-classification"],
        size_categories=[size_category(len(records))],
        multilinguality="monolingual" if len({r.meta.language for r in records}) == 1 else "multilingual",
        annotations_creators=sorted({"expert-generated" if m == "gold" else "machine-generated" for m in methods}),
        language_creators=["found"],
        source_datasets=["original"],
        tags=["conflict", "news", "event-extraction", "attribution", "acled", "plover"],
    )
    meta["configs"] = [
        {"config_name": config, **({"default": True} if config == DEFAULT_CONFIG else {}),
         "data_files": [{"split": s, "path": shard_pattern(config, s)} for s in built[config]]}
        for config in CONFIGS
    ]
    infos = []
    for config in CONFIGS:
        dd = built[config]
        splits = SplitDict({s: SplitInfo(name=s, num_bytes=ds.data.nbytes, num_examples=len(ds)) for s, ds in dd.items()})
        info = DatasetInfo(features=next(iter(dd.values())).features, splits=splits,
                           download_size=sum(n for p, n in facts.shard_bytes.items() if p.startswith(f"data/{config}/")),
                           dataset_size=sum(ds.data.nbytes for ds in dd.values()))
        infos.append({"config_name": config, **info._to_yaml_dict()})
    meta["dataset_info"] = infos
    return meta


def size_category(n: int) -> str:
    for edge, name in SIZE_EDGES:
        if n < edge:
            return name
    return "n>1T" if n > 10**12 else "10M<n<100M"


# --- validation -------------------------------------------------------------------------------------------------


@cache
def _resource(name: str):
    from importlib import resources

    return json.loads((resources.files("datasets.utils.resources") / name).read_text(encoding="utf-8"))


def metadata_problems(meta: dict) -> list[tuple[str, str]]:
    """(field, message) for every field the Hub would reject or that the card must carry."""
    problems = [(f, "missing") for f in REQUIRED_FIELDS if meta.get(f) in (None, "", [])]

    def each(name: str, allowed, what: str) -> None:
        values = meta.get(name)
        for v in [values] if isinstance(values, str) else values or []:
            if v not in allowed:
                problems.append((name, f"{v!r} is not a known {what}"))

    each("license", HUB_LICENSES, "Hub license id (use `other` with license_name)")
    if meta.get("license") == "other" and not re.fullmatch(r"[a-z0-9.-]+", str(meta.get("license_name", ""))):
        problems.append(("license_name", "required with license `other`: lower-case letters, digits, '-' and '.'"))
    each("language", _resource("languages.json"), "ISO 639 language code")
    each("size_categories", _resource("size_categories.json"), "size category")
    each("annotations_creators", _resource("creators.json")["annotations"], "annotations creator")
    each("language_creators", _resource("creators.json")["language"], "language creator")
    each("multilinguality", _resource("multilingualities.json"), "multilinguality")
    from datasets.utils.metadata import known_task_ids

    each("task_categories", known_task_ids, "task category")
    for tid in meta.get("task_ids") or []:
        if not isinstance(tid, str) or not re.fullmatch(r"[a-z0-9-]+", tid):
            problems.append(("task_ids", f"{tid!r} is not a task id"))
    if meta.get("pretty_name") is not None and not isinstance(meta["pretty_name"], str):
        problems.append(("pretty_name", "must be a string"))
    problems += _config_problems(meta)
    return problems


def _config_problems(meta: dict) -> list[tuple[str, str]]:
    from datasets import Features

    configs, infos = meta.get("configs") or [], meta.get("dataset_info") or []
    if not isinstance(configs, list) or not isinstance(infos, list):
        return [("configs" if not isinstance(configs, list) else "dataset_info", "must be a list")]
    problems = []
    splits_of: dict[str, set] = {}
    for i, c in enumerate(configs):
        name = c.get("config_name") if isinstance(c, dict) else None
        files = c.get("data_files") if isinstance(c, dict) else None
        if not name:
            problems.append((f"configs[{i}].config_name", "missing"))
            continue
        if not isinstance(files, list) or not all(isinstance(f, dict) and f.get("split") and f.get("path") for f in files):
            problems.append((f"configs[{i}].data_files", "must be a list of {split, path}"))
            continue
        splits_of[name] = {f["split"] for f in files}
    if sum(1 for c in configs if isinstance(c, dict) and c.get("default")) > 1:
        problems.append(("configs", "more than one config marked default"))
    described = set()
    for i, info in enumerate(infos):
        name = info.get("config_name") if isinstance(info, dict) else None
        described.add(name)
        if name not in splits_of:
            problems.append((f"dataset_info[{i}].config_name", f"{name!r} is not among configs"))
            continue
        try:
            Features._from_yaml_list(info.get("features") or [])
        except Exception as err:  # any malformed feature list is one user-facing problem
            problems.append((f"dataset_info[{i}].features", f"not a valid feature list ({err})"))
        split_names = {s.get("name") for s in info.get("splits") or [] if isinstance(s, dict)}
        if split_names != splits_of[name]:
            problems.append((f"dataset_info[{i}].splits", f"{sorted(split_names)} differ from the data_files splits "
                                                          f"{sorted(splits_of[name])} of config {name!r}"))
    for name in splits_of.keys() - described:
        problems.append(("dataset_info", f"config {name!r} has no entry"))
    return problems


def validate_card(text: str, where: str = "README.md") -> dict:
    """Parse the card as the Hub does and check its metadata; a ToolkitError names the first bad field."""
    from huggingface_hub import DatasetCard

    if not text.startswith("---\n"):
        raise ToolkitError(f"{where}: dataset card has no YAML header")
    try:
        meta = DatasetCard(text, ignore_metadata_errors=False).data.to_dict()
    except Exception as err:  # YAML errors come in several types
        raise ToolkitError(f"{where}: dataset card YAML header does not parse: {err}".replace("\n", " ")) from None
    problems = metadata_problems(meta)
    if problems:
        name, message = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ToolkitError(f"{where}: dataset card field `{name}`: {message}{more}")
    return meta


# --- body -------------------------------------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def card_body(records: list[Record], built: dict, facts: CardFacts) -> str:
    parts = [f"# {PRETTY_NAME}", ""]
    nc = sorted({r.meta.license for r in records if is_non_commercial(r.meta.license)})
    if nc:
        n = sum(1 for r in records if is_non_commercial(r.meta.license))
        parts += [f"> **Non-commercial licence:** {n} document(s) are under {', '.join(nc)}. Those documents, and "
                  "the dataset as a whole while it holds them, may not be used for commercial purposes.", ""]
    sections = (_purpose, _labels, _statistics, _annotation, _licenses, _benchmarks, _limitations, _citation)
    for section in sections:
        parts += section(records, built, facts) + [""]
    return "\n".join(parts)


def _purpose(records, built, facts) -> list[str]:
    modalities = ", ".join(inventory().modality_labels)
    return [
        "## Purpose", "",
        "News articles about armed conflict, annotated in three layers: named entities (including weapons and "
        f"vehicles), typed event triggers with their modality ({modalities}), and attribution "
        "(who said what: source, cue, content), with each event linked to the attribution that claims it. The event "
        "types map to ACLED and PLOVER so that text-level annotation lines up with event databases.", "",
        "## Configs", "",
    ] + _configs_table(facts) + [
        "", "Character offsets (`start`, `end`) index the document `text` in every config; `sentence_start` is "
        "where the quoted sentence begins in it.",
    ]


def _configs_table(facts) -> list[str]:
    what = {
        "documents": "document, with all three layers as nested lists",
        "ner": "sentence: tokens and BIO tags",
        "events": "event: trigger, type, modality, the sentence holding it, the claiming attribution",
        "attributions": "attribution: source, cue and content spans with their texts and the sentence(s) around them",
    }
    return _table(["config", "one row per", "load with"],
                  [[c, what[c], f'`load_dataset("{facts.repo_id}", "{c}")`'] for c in CONFIGS])


def _mapping(items: list[dict], keys: tuple[str, str]) -> str:
    return "; ".join(f"{i[keys[0]]}" + (f" / {i[keys[1]]}" if i.get(keys[1]) else "") for i in items) or "—"


def _labels(records, built, facts) -> list[str]:
    inv = inventory()
    lines = [f"## Label inventory (schema {inv.schema_version})", "", "### Entity types", ""]
    lines += _table(["label", "definition"], [[k, v] for k, v in inv.entity_types.items()])
    lines += ["", "### Event types and their ACLED / PLOVER mapping", ""]
    lines += _table(["event type", "definition", "ACLED event type / sub-event type", "PLOVER category / mode", "CAMEO root"],
                    [[k, v["definition"], _mapping(v["acled"], ("event_type", "sub_event_type")),
                      _mapping(v["plover"], ("category", "mode")), v.get("cameo_root", "")]
                     for k, v in inv.event_types.items()])
    lines += ["", "### Event modality", ""] + _table(["modality", "definition"], list(map(list, inv.modalities.items())))
    lines += ["", "### Attribution kind", ""] + _table(["kind", "definition"], list(map(list, inv.attribution_kinds.items())))
    return lines


def _statistics(records, built, facts) -> list[str]:
    per = counts(records)
    splits = [s for s in inventory().splits if s in per]
    cols = ("documents", "words", "entities", "events", "attributions", "claimed")
    rows = [[s, *(per[s][c] for c in cols), *(len(built[c][s]) for c in ("ner", "events", "attributions"))]
            for s in splits]
    total = ["all", *(sum(r[i + 1] for r in rows) for i in range(len(cols) + 3))]
    header = ["split", *cols[:-1], "events claimed", "ner rows", "events rows", "attributions rows"]
    return ["## Statistics", ""] + _table(header, rows + [total])


def _annotation(records, built, facts) -> list[str]:
    by_method = Counter(r.provenance.method for r in records)
    versions = sorted({r.provenance.guideline_version for r in records if r.provenance.guideline_version})
    reviewed = sum(1 for r in records if r.provenance.reviewed)
    meaning = _provenance_methods()
    rows = [[m, n, meaning.get(m.split(":", 1)[0], "")] for m, n in sorted(by_method.items())]
    lines = ["## How it was annotated", "",
             "Every document carries its provenance (`provenance.method` in the `documents` config).", ""]
    lines += _table(["method", "documents", "meaning"], rows)
    lines += ["", f"Guideline version(s): {', '.join(versions) if versions else 'not recorded'}. "
                  f"Documents marked reviewed: {reviewed}.", "", "### Agreement", ""]
    quality = facts.root / QUALITY_FILE
    if quality.is_file():
        lines += _demoted(quality.read_text(encoding="utf-8"), by=2)
    else:
        lines.append("None yet: no inter-annotator agreement study has been recorded for this release.")
    return lines


@cache
def _provenance_methods() -> dict[str, str]:
    """Definitions of provenance methods, from the label inventory file (Inventory does not carry them)."""
    from .schema import LABELS_FILE, schema_dir

    return json.loads((schema_dir() / LABELS_FILE).read_text(encoding="utf-8")).get("provenance_methods", {})


def _demoted(markdown: str, by: int) -> list[str]:
    """Headings moved down `by` levels (the file's own title dropped) so they nest under a card section."""
    out = []
    for line in markdown.strip().splitlines():
        level = len(line) - len(line.lstrip("#"))
        if level and line[level:level + 1] == " ":
            if level == 1:
                continue
            line = "#" * min(level + by, 6) + line[level:]
        out.append(line)
    return out


def _licenses(records, built, facts) -> list[str]:
    by_license = Counter(r.meta.license or "unknown" for r in records)
    lines = ["## Licenses and credits", "",
             "Each document keeps its own licence (`meta.license`); the annotations are released under the same "
             "terms as the text they annotate.", ""]
    lines += _table(["licence", "documents", "Hub id"], [[k, n, hub_license(k) or "other"] for k, n in sorted(by_license.items())])
    if facts.left_out:
        lines += ["", f"{len(facts.left_out)} document(s) were left out of this release because their licence does "
                      "not allow redistribution or was not allowed for publishing."]
    re3d = [r for r in records if _is_re3d(r)]
    others = [r for r in records if not _is_re3d(r)]
    by_publisher: dict[str, list[Record]] = {}
    for r in others:
        by_publisher.setdefault(r.meta.publisher or "unknown publisher", []).append(r)
    lines += ["", "### Credits", ""]
    for publisher, docs in sorted(by_publisher.items()):
        lics = ", ".join(sorted({d.meta.license or "unknown" for d in docs}))
        lines += [f"**{publisher}** ({lics}), {len(docs)} document(s):", ""]
        lines += [f"- {_link(d)}" for d in sorted(docs, key=lambda d: d.id)] + [""]
    if re3d:
        lines += [f"**re3d** — credit: {RE3D_CREDIT}. {len(re3d)} document(s), each under its original publisher's "
                  "licence:", ""]
        lines += [f"- {_link(d)} — {d.meta.publisher or 'unknown publisher'}, {d.meta.license or 'unknown'}"
                  for d in sorted(re3d, key=lambda d: d.id)] + [""]
    return lines


def _is_re3d(r: Record) -> bool:
    return r.id.startswith("re3d-") or r.meta.extra.get("reference_entity_scheme") == "re3d"


def _link(r: Record) -> str:
    title = _cell(r.meta.title or r.id).replace("[", "(").replace("]", ")")
    return f"[{title}]({r.meta.url})" if r.meta.url else f"{title} (no URL recorded)"


def _benchmarks(records, built, facts) -> list[str]:
    lines = ["## Benchmarks", ""]
    board = leaderboard(facts.root / BENCHMARKS_FILE)
    return lines + (board or ["None yet: no benchmark results have been recorded for this release."])


def leaderboard(path: Path) -> list[str] | None:
    """The section of benchmarks/README.md whose heading names the leaderboard, without that heading."""
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        level = len(line) - len(line.lstrip("#"))
        if level and "leaderboard" in line.lower():
            body = []
            for nxt in lines[i + 1:]:
                nlevel = len(nxt) - len(nxt.lstrip("#"))
                if nlevel and nlevel <= level and nxt[nlevel:nlevel + 1] == " ":
                    break
                body.append(nxt)
            text = "\n".join(body).strip()
            return _demoted(text, by=max(0, 3 - level - 1)) if text else None
    return None


def _limitations(records, built, facts) -> list[str]:
    machine = sum(1 for r in records if not r.provenance.is_gold)
    return [
        "## Limitations and biases", "",
        f"- {machine} of {len(records)} document(s) carry machine annotations that no person has reviewed; expect "
        "missed and wrong spans, above all for rare event types and for attribution content boundaries.",
        "- The texts are English news from a few publishers (open-licensed sources such as Wikinews and government "
        "press releases); their choice of conflicts, places and framing is not representative of all conflicts, "
        "and official sources are over-represented as quoted sources.",
        "- Event types follow an ACLED/PLOVER-oriented inventory; events outside it are not annotated, and the "
        "mapping to ACLED and PLOVER is many-to-many, not a one-to-one coding.",
        "- Casualty figures and claims are annotated as reported, with their attribution; they are not verified.",
    ]


def _citation(records, built, facts) -> list[str]:
    key = re.sub(r"[^a-z0-9]+", "_", facts.repo_id.lower()).strip("_")
    return [
        "## Citation", "", "```bibtex",
        f"@misc{{{key},",
        f"  title        = {{{{{PRETTY_NAME}}}}},",
        "  author       = {{The maintainers}},",
        f"  howpublished = {{\\url{{https://huggingface.co/datasets/{facts.repo_id}}}}},",
        f"  note         = {{Label inventory version {inventory().schema_version}}}",
        "}", "```",
    ]
