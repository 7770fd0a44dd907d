"""Attribution models (`rules`, `learned`) and the PolNeAR importer: train on hand-written records, load back
through `get_extractor`, predict only the attribution layer, train deterministically, fail in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, needs_shared, shared_dir

from toolkit.attribution import derive
from toolkit.errors import ToolkitError
from toolkit.extract.registry import get_extractor
from toolkit.formats import import_records
from toolkit.records import Attribution, Entity, Meta, Provenance, Record, Span
from toolkit.schema import inventory
from toolkit.train.registry import model_names
from toolkit.train.run import train
from toolkit.validate import validate_record

PEOPLE = ["John Smith", "Ali Hassan", "Maria Lopez", "Omar Khalid", "Anna Petrenko", "David Cohen"]
BODIES = ["the army", "the ministry", "local police", "the governor's office", "the United Nations"]
CLAIMS = ["the strike hit a school", "five soldiers were killed near the border", "talks would resume next week",
          "the bridge was destroyed overnight", "aid convoys reached the city", "the ceasefire was holding",
          "more troops were moving east", "two villages had been evacuated"]
PLACES = ["Kharkiv", "Odesa", "Sumy", "Aleppo", "Mosul"]


def cap(s: str) -> str:
    return s[0].upper() + s[1:]


def sentence(k: int) -> tuple[str, list[tuple[str, list[str], str]]]:
    """A sentence and its attributions as (source, content pieces, cue) strings, found in it by position."""
    n, b, c, c2, p = (PEOPLE[k % 6], BODIES[k % 5], CLAIMS[k % 8], CLAIMS[(k + 3) % 8], PLACES[k % 5])
    form = k % 6
    if form == 0:
        return f"{n} said {c}.", [(n, [c], "said")]
    if form == 1:
        return f"“{cap(c)},” {n} told reporters.", [(n, [f"“{cap(c)},”"], "told")]
    if form == 2:
        return f"According to {b}, {c}.", [(b, [c], "According to")]
    if form == 3:
        return f"The weather in {p} was cold and wet.", []
    if form == 4:
        return f"“{cap(c)},” {n} said. “{cap(c2)}.”", [(n, [f"“{cap(c)},”", f"“{cap(c2)}.”"], "said")]
    return f"It was reported that {c}.", [("", [c], "was reported")]


def fixture_record(n: int, split: str) -> Record:
    text, atts = "", []
    for k in (n, n + 1, n + 2, n + 3):
        s, found = sentence(k)
        off = len(text) + (1 if text else 0)
        text = f"{text} {s}" if text else s
        for source, pieces, cue in found:
            content, at = [], 0
            for piece in pieces:
                at = s.index(piece, at)
                content.append(Span(off + at, off + at + len(piece)))
                at += len(piece)
            c = s.index(cue)
            src = [Span(off + s.index(source), off + s.index(source) + len(source))] if source else []
            atts.append(Attribution(f"A{len(atts) + 1}", [Span(off + c, off + c + len(cue))], content, src,
                                    anonymous=not source))
    record = Record(f"att-{n:03d}", text, Meta(title="fixture", publisher=f"wire-{n % 2}"),
                    entities=[Entity("T1", 0, len(text.split()[0]), "PERSON")], attributions=atts,
                    provenance=Provenance("gold", "tester", "2026-01-01T00:00:00+00:00", "1.0"), split=split)
    return derive(record)


def fixture_records() -> list[Record]:
    return [fixture_record(n, "train") for n in range(24)] + [fixture_record(n, "validation") for n in range(24, 30)]


def write_records(folder: Path, records: list[Record]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "records.jsonl"
    path.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    return path


FAST = {"cue_iterations": 40, "role_iterations": 40}


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    return write_records(tmp_path_factory.mktemp("attfixture"), fixture_records())


@pytest.fixture(scope="module")
def trained(tmp_path_factory, records_file):
    cache: dict = {}

    def get(name: str) -> tuple[Path, dict]:
        if name not in cache:
            out = tmp_path_factory.mktemp("attmodels") / name
            cache[name] = (out, train("attribution", name, str(records_file), out, seed=5,
                                      config=FAST if name == "learned" else None))
        return cache[name]

    return get


def test_fixture_records_are_valid():
    for record in fixture_records():
        assert validate_record(record.to_dict()) == [], record.id
    kinds = {a.kind for r in fixture_records() for a in r.attributions}
    assert kinds == {"direct", "indirect"}


def test_attribution_models_are_registered():
    assert {"rules", "learned"} <= set(model_names("attribution")["attribution"])


@pytest.mark.parametrize("name", ["rules", "learned"])
def test_model_trains_loads_and_fills_only_attributions(trained, name):
    out, meta = trained(name)
    assert json.loads((out / "model.json").read_text(encoding="utf-8")) == meta
    assert meta["task"] == "attribution" and meta["model"] == name and meta["seed"] == 5
    assert set(meta["labels"]) <= set(inventory().kind_labels) and meta["data"]["dev_records"] == 6
    assert set(meta["validation"]) == {"source", "cue", "content", "relation"}
    assert not [p for p in out.iterdir() if p.suffix in (".pkl", ".pickle", ".joblib")]
    if name == "learned":
        assert sorted(p.name for p in out.iterdir()) == ["cues.crfsuite", "model.json", "roles.crfsuite"]
    gold = fixture_records()[24:]
    predicted = get_extractor(str(out)).predict(gold)
    assert [r.id for r in predicted] == [r.id for r in gold]
    assert sum(len(r.attributions) for r in predicted) > 0
    for g, p in zip(gold, predicted):
        assert p.provenance.method == f"model:{name}:{out.name}"
        assert p.entities == g.entities and p.events == g.events and p.text == g.text
        assert validate_record(p.to_dict()) == [], p.id
    assert gold[0].provenance.method == "gold"  # inputs are not modified


def test_learned_model_learns_the_fixture(trained):
    _, meta = trained("learned")
    scores = meta["validation"]
    assert scores["cue"]["f1"] > 0.8 and scores["content"]["f1"] > 0.6 and scores["source"]["f1"] > 0.6


def test_learned_model_finds_triples_in_new_text(trained):
    out, _ = trained("learned")
    text = "Anna Petrenko said the bridge was destroyed overnight. The weather in Sumy was cold and wet."
    [record] = get_extractor(str(out)).predict([Record("new", text)])
    [att] = record.attributions
    assert [text[s.start:s.end] for s in att.cue] == ["said"]
    assert [text[s.start:s.end] for s in att.source] == ["Anna Petrenko"]
    assert [text[s.start:s.end] for s in att.content] == ["the bridge was destroyed overnight"]
    assert att.kind == "indirect" and not att.anonymous


def test_same_seed_same_model_scores_and_predictions(tmp_path, records_file):
    metas, preds, files = [], [], []
    for k in range(2):
        out = tmp_path / f"m{k}"
        metas.append(train("attribution", "learned", str(records_file), out, seed=2, config=FAST))
        preds.append([r.attributions for r in get_extractor(str(out)).predict(fixture_records()[24:])])
        files.append([(out / f).read_bytes() for f in ("cues.crfsuite", "roles.crfsuite")])
    assert metas[0]["validation"] == metas[1]["validation"] and metas[0]["data"] == metas[1]["data"]
    assert preds[0] == preds[1] and files[0] == files[1]


def test_training_split_without_attributions_is_one_error(tmp_path):
    records = [fixture_record(n, "train") for n in range(4)]
    for r in records:
        r.attributions = []
    data = write_records(tmp_path / "plain", records)
    with pytest.raises(ToolkitError, match="no attribution annotations"):
        train("attribution", "learned", str(data), tmp_path / "m", dev=None)
    assert not (tmp_path / "m").exists()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "toolkit", "train", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300, check=False)


def test_cli_empty_training_split_is_one_line(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = run_cli("attribution", "--model", "learned", "--data", str(empty), "--out", str(tmp_path / "m"),
                     cwd=tmp_path)
    assert result.returncode != 0 and not (tmp_path / "m").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty" in lines[0] and "Traceback" not in result.stderr


# ----------------------------------------------------------------------------------------------- PolNeAR format

POLNEAR_TEXT = "“We will rebuild,” the mayor said. “Nothing stops us.” It was reported that shelling resumed."


def polnear_doc(doc_id: str = "wire_2016-01-01_rebuild") -> dict:
    t = POLNEAR_TEXT
    q1, q2 = t.index("“We"), t.index("“Nothing")
    return {"id": doc_id, "text": t, "attributions": [
        {"source": [[t.index("the mayor"), t.index("the mayor") + 9]], "cue": [[t.index("said"), t.index("said") + 4]],
         "content": [[q1, t.index(",”") + 2], [q2, t.index("us.”") + 4]]},
        {"source": [], "cue": [[t.index("was reported"), t.index("was reported") + 12]],
         "content": [[t.index("shelling"), len(t) - 1]]},
    ]}


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_polnear_import_keeps_discontinuous_content_and_derives_kind(tmp_path):
    result = import_records("polnear", write_jsonl(tmp_path / "dev.jsonl", [polnear_doc()]))
    assert result.problems == []
    [record] = result.records
    assert record.id == "wire_2016-01-01_rebuild" and record.entities == [] and record.events == []
    assert validate_record(record.to_dict()) == []
    quoted, reported = record.attributions
    t = record.text
    assert [t[s.start:s.end] for s in quoted.content] == ["“We will rebuild,”", "“Nothing stops us.”"]
    assert quoted.kind == "direct" and not quoted.anonymous and [t[s.start:s.end] for s in quoted.source] == ["the mayor"]
    assert reported.source == [] and reported.anonymous and reported.kind == "indirect"
    assert record.provenance.method == "gold"


def test_polnear_problems_are_one_line_each_and_never_silent(tmp_path):
    doc = polnear_doc()
    bad = polnear_doc("wire_2016-01-02_bad")
    bad["attributions"] += [
        {"source": [], "cue": [[5, 500]], "content": [[0, 3]]},  # outside the text
        {"source": [[0, 3]], "cue": [], "content": []},  # no cue, no content
        {"source": [], "cue": [[bad["text"].index("mayor"), bad["text"].index("said") + 2]],  # crosses "said"
         "content": [[0, 3]]},
    ]
    path = write_jsonl(tmp_path / "train.jsonl", [doc, "{not json", bad, {"id": "empty text", "text": ""}])
    result = import_records("polnear", path)
    messages = [str(p) for p in result.problems]
    assert len(messages) == 5 and all("\n" not in m and m.startswith(str(path)) for m in messages)
    assert any(":2:" in m and "JSON" in m for m in messages)
    assert any("wire_2016-01-02_bad" in m and "outside the text" in m for m in messages)
    assert any("attribution 4: no cue and no content" in m for m in messages)
    assert any("crosses" in m for m in messages)
    assert any(":4:" in m for m in messages)  # a document without text or with a spaced id
    assert [r.id for r in result.records] == ["wire_2016-01-01_rebuild", "wire_2016-01-02_bad"]
    assert len(result.records[1].attributions) == 2

    lenient = import_records("polnear", path, skip_invalid="true")
    assert [str(p) for p in lenient.problems] == [m for m in messages if "wire_2016-01-02_bad" not in m]
    assert lenient.records[1].meta.extra == {"polnear_skipped": 3}


def test_learned_model_trains_on_polnear_format(tmp_path):
    folder = tmp_path / "polnear"
    folder.mkdir()
    docs = [polnear_doc(f"wire_{k}") for k in range(12)]
    write_jsonl(folder / "train.jsonl", docs)
    write_jsonl(folder / "dev.jsonl", docs[:3])
    meta = train("attribution", "learned", f"polnear:{folder}", tmp_path / "m", config=FAST)
    assert meta["data"]["train_records"] == 12 and meta["validation"]["cue"]["f1"] == 1.0


POLNEAR = shared_dir() / "benchmarks" / "polnear"


@needs_shared
@pytest.mark.skipif(not (POLNEAR / "dev.jsonl").is_file(),
                    reason="needs ../shared/benchmarks/polnear (research data, not redistributed; set TOOLKIT_SHARED)")
def test_polnear_dev_imports_with_few_reported_losses():
    path = POLNEAR / "dev.jsonl"
    result = import_records("polnear", path, skip_invalid=True)
    lines = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    assert len(result.records) == lines and not result.problems
    for record in result.records[:10]:
        assert validate_record(record.to_dict()) == [], record.id
        assert record.entities == [] and record.attributions
    kept = sum(len(r.attributions) for r in result.records)
    skipped = sum(r.meta.extra.get("polnear_skipped", 0) for r in result.records)
    assert kept > 1000 and skipped < kept / 100
    strict = import_records("polnear", path)
    assert len(strict.problems) == skipped and all(str(p).startswith(str(path)) for p in strict.problems)
