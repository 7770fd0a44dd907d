import json
import os
import subprocess
import sys

import pytest

from toolkit import atomic
from toolkit.annotate import annotate
from toolkit.records import read_records
from toolkit.validate import validate_paths
from conftest import EXAMPLES, ROOT
from records_fixture import make_record


def run_cli(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def strip_created(records):
    out = []
    for r in records:
        d = r.to_dict()
        d["provenance"].pop("created")
        out.append(d)
    return out


@pytest.fixture
def small_jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Russian forces shelled Kharkiv on Monday, killing two people, the governor said.",
         "license": "CC-BY-4.0"},
        {"id": "b", "text": "Ukraine's air force said it shot down 40 drones overnight.", "license": "CC-BY-4.0"},
        {"id": "c", "text": "Police arrested three men in Kabul, officials said.", "license": "CC-BY-4.0"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_annotate_writes_valid_records_and_loadable_dataset(tmp_path, small_jsonl):
    import datasets

    out = tmp_path / "out"
    result = annotate([small_jsonl], out)
    assert sorted(result.annotated) == ["a", "b", "c"] and result.problems == []
    assert validate_paths([out]).ok
    docs = datasets.load_from_disk(str(out / "documents"))
    ner = datasets.load_dataset(str(out), "ner")
    assert sum(len(s) for s in docs.values()) == 3
    assert ner[next(iter(ner))].features["ner_tags"].feature.names[0] == "O"
    records = {r.id: r for r in read_records(out / "records.jsonl")}
    assert records["a"].meta.redistributable and records["a"].provenance.method == "rules"


def test_gold_records_are_never_overwritten(tmp_path, small_jsonl):
    out = tmp_path / "out"
    gold = make_record(rid="a")
    atomic.write_lines(out / "records.jsonl", [gold.to_json()])
    result = annotate([small_jsonl], out)
    assert result.kept_gold == ["a"]
    records = {r.id: r for r in read_records(out / "records.jsonl")}
    assert records["a"].to_dict() == gold.to_dict()
    assert records["b"].provenance.method == "rules"


def test_cli_says_which_gold_record_was_kept(tmp_path, small_jsonl):
    out = tmp_path / "out"
    atomic.write_lines(out / "records.jsonl", [make_record(rid="b").to_json()])
    proc = run_cli("annotate", small_jsonl, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert f"kept gold record b in {out / 'records.jsonl'}" in proc.stderr


def test_workers_give_the_same_output(tmp_path):
    one = annotate([EXAMPLES], tmp_path / "one", workers=1)
    two = annotate([EXAMPLES], tmp_path / "two", workers=2)
    assert strip_created(one.records) == strip_created(two.records)


def test_interrupted_run_leaves_previous_output_whole(tmp_path, small_jsonl, monkeypatch):
    out = tmp_path / "out"
    annotate([small_jsonl], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("datasets.DatasetDict.to_parquet", boom, raising=False)
    monkeypatch.setattr("datasets.Dataset.to_parquet", boom)
    with pytest.raises(RuntimeError):
        annotate([small_jsonl], out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_text("old")

    def fail(*a):
        raise OSError("no space")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic.write_text(path, "new")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("empty.txt", b"", "empty.txt: file is empty"),
        ("bin.txt", b"\x00\x01\x02binary", "bin.txt: binary file"),
        ("latin.txt", "caf\xe9 bombing".encode("latin-1"), "latin.txt:1: not valid UTF-8"),
        ("bad.jsonl", b'{"id": "x", "text": "ok"}\n{nope\n', "bad.jsonl:2: malformed JSON"),
        ("dup.jsonl", b'{"id": "x", "text": "A."}\n{"id": "x", "text": "B."}\n', "dup.jsonl:2 x: duplicate id"),
        ("notes.pdf", b"%PDF", "notes.pdf: unknown extension '.pdf'"),
    ],
)
def test_bad_input_gives_one_line_error_and_keeps_the_rest(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Troops captured the village of Oleksiivka on Sunday, the ministry said.")
    proc = run_cli("annotate", tmp_path / name, good, "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0], proc.stderr
    ids = [r.id for r in read_records(tmp_path / "out" / "records.jsonl")]
    assert "good" in ids


def test_missing_path_and_unknown_model(tmp_path):
    proc = run_cli("annotate", tmp_path / "nowhere", "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 1 and f"{tmp_path / 'nowhere'}: no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
    proc = run_cli("annotate", EXAMPLES, "--out", tmp_path / "out", "--model", "no_such_pipeline_xyz")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "no_such_pipeline_xyz" in proc.stderr


def test_validate_cli(tmp_path, small_jsonl):
    out = tmp_path / "out"
    annotate([small_jsonl], out)
    ok = run_cli("validate", out)
    assert ok.returncode == 0 and "ok: 3 record(s)" in ok.stdout
    lines = (out / "records.jsonl").read_text().splitlines()
    bad = json.loads(lines[1])
    bad["entities"].append({"id": "T99", "start": 0, "end": 99999, "label": "GPE"})
    (out / "records.jsonl").write_text("\n".join([lines[0], json.dumps(bad), lines[2]]) + "\n")
    proc = run_cli("validate", out / "records.jsonl")
    assert proc.returncode == 1
    assert f"{out / 'records.jsonl'}:2 {bad['id']}: entity T99: span [0, 99999) outside the text" in proc.stdout
    assert "FAILED: 3 record(s) in 1 file(s), 1 problem(s)" in proc.stderr
