"""`toolkit evaluate` end to end on a small hand-made dataset: two models, every report file, bad input."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from records_fixture import make_record
from toolkit import atomic
from toolkit.dataset import save_dataset
from toolkit.errors import ToolkitError
from toolkit.evaluate.run import evaluate
from toolkit.records import Entity

MARKUP = " <b>Tom & Jerry</b>"


def _gold(n: int = 4):
    records = []
    for i in range(n):
        r = make_record(rid=f"doc-{i}")
        r.text = r.text + MARKUP  # appended: offsets stay valid; the HTML must show it escaped
        r.split = "test" if i < n - 1 else "train"
        records.append(r)
    return records


@pytest.fixture
def dataset(tmp_path):
    with atomic.staged(tmp_path / "data") as stage:
        save_dataset(_gold(), stage)
    return tmp_path / "data"


def _predictions(tmp_path, name="other-tool", mutate=None):
    """A tool's output made elsewhere: each gold record with one entity dropped and one relabelled."""
    lines = []
    for r in _gold():
        p = replace(r, entities=[Entity(e.id, e.start, e.end, "ORG" if k == 1 else e.label)
                                 for k, e in enumerate(r.entities[:-1])])
        if mutate:
            p = mutate(p)
        lines.append(p.to_json())
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _figure(report, model, task, metric):
    return next(f for f in report.figures if f.model == model and f.task == task and f.metric == metric and f.label is None)


def test_two_models_write_every_report_file(dataset, tmp_path):
    out = tmp_path / "report"
    report = evaluate(["rules"], dataset, split="test", out=out, bootstrap=200, seed=3,
                      predictions=[_predictions(tmp_path)], learning_curve={"rules": [(0.5, 0.4), (1.0, 0.6)]})
    assert report.models == ["other-tool", "rules"]
    assert len(report.gold) == 3
    for name in ("results.json", "README.md", "report.html", "predictions.jsonl", "entities_per_type.png",
                 "learning_curve.png", "event_confusion_1.png"):
        assert (out / name).is_file(), name

    # the predictions file: 3 of 4 entities right per document, one relabelled, one dropped
    other = _figure(report, "other-tool", "entities", "f1_strict")
    assert other.value == pytest.approx(2 * (2 / 3 * 2 / 4) / (2 / 3 + 2 / 4))
    assert other.ci_low <= other.value <= other.ci_high and other.n == 3
    assert _figure(report, "other-tool", "entities", "f1_exact").value == pytest.approx(2 * 3 / 7)
    assert _figure(report, "other-tool", "triggers", "classification_f1").value == 1.0

    results = json.loads((out / "results.json").read_text())
    index = {m["name"]: m for m in results["model-index"]}
    assert set(index) == {"rules", "other-tool"}
    first = index["other-tool"]["results"][0]
    assert first["task"] == {"type": "token-classification", "name": "Named entity recognition"}
    assert first["dataset"] == {"name": "data", "type": "data", "split": "test"}
    metric = next(m for m in first["metrics"] if m["type"] == "f1_strict")
    assert set(metric) == {"type", "value", "name", "ci_low", "ci_high", "n"}
    assert metric["value"] == pytest.approx(other.value)
    assert any(c["metric"] == "f1_strict" for c in results["comparisons"])

    page = (out / "report.html").read_text()
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in page and "<b>Tom" not in page
    assert page.count("src='data:image/png;base64,") >= 3
    readme = (out / "README.md").read_text()
    assert "| F1 (strict, micro) |" in readme and "Significance" in readme

    lines = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert {line["model"] for line in lines} == {"rules", "other-tool"} and len(lines) == 6


def test_report_predictions_rescore_to_the_same_figures(dataset, tmp_path):
    first = evaluate([], dataset, out=tmp_path / "a", bootstrap=50, predictions=[_predictions(tmp_path)])
    again = evaluate([], dataset, out=tmp_path / "b", bootstrap=50, predictions=[tmp_path / "a" / "predictions.jsonl"])
    pick = lambda r: [(f.task, f.metric, f.label, f.value, f.ci_low, f.ci_high) for f in r.figures]  # noqa: E731
    assert pick(first) == pick(again)


def test_records_jsonl_as_data(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(r.to_json() + "\n" for r in _gold()), encoding="utf-8")
    report = evaluate([], path, split="train", bootstrap=20, predictions=[_predictions(tmp_path)])
    assert [r.id for r in report.gold] == ["doc-3"]


@pytest.mark.parametrize("case, expected", [
    ("split", "no split 'validation' in this dataset; available: train, test"),
    ("model", "no-such-model: not a registered extractor"),
    ("label", "entity label 'WIDGET' is not in the label inventory"),
    ("text", "doc-0: its text differs from the gold document's text"),
    ("ids", "model partial has no prediction for 2 of 3 gold documents (first: doc-1)"),
    ("no-ids", "no prediction for any of the 3 gold documents"),
    ("missing", "no-such-dir: no such dataset folder or records file"),
    ("nothing", "nothing to evaluate"),
])
def test_bad_input_is_one_clear_line(dataset, tmp_path, case, expected):
    def relabel(p):
        p.entities[0].label = "WIDGET"
        return p

    def retext(p):
        p.text = p.text.replace("Kharkiv", "Kharkov")
        return p

    def rename(p):
        p.id = "x-" + p.id
        return p

    kwargs = {"models": [], "data": dataset, "split": "test", "bootstrap": 10}
    if case == "split":
        kwargs.update(split="validation", models=["rules"])
    elif case == "model":
        kwargs.update(models=["no-such-model"])
    elif case == "missing":
        kwargs.update(data=tmp_path / "no-such-dir", models=["rules"])
    elif case != "nothing":
        mutate = {"label": relabel, "text": retext, "ids": rename, "no-ids": rename}[case]
        path = _predictions(tmp_path, mutate=mutate)
        if case == "ids":
            with path.open("a", encoding="utf-8") as fh:  # one right id, under another model name
                fh.write(json.dumps({"model": "partial", **_gold()[0].to_dict()}) + "\n")
        kwargs.update(predictions=[path])
    with pytest.raises(ToolkitError) as err:
        evaluate(**kwargs)
    message = str(err.value)
    assert "\n" not in message
    assert expected in message


def test_cli(dataset, tmp_path):
    from toolkit.cli import evaluate as _  # noqa: F401  (registers the command)
    from toolkit.cli._app import app

    runner = CliRunner()
    out = tmp_path / "report"
    result = runner.invoke(app, ["evaluate", "--model", "rules", "--predictions", str(_predictions(tmp_path)),
                                 "--data", str(dataset), "--out", str(out), "--bootstrap", "50", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "report:" in result.output and (out / "report.html").is_file()
    bad = runner.invoke(app, ["evaluate", "--model", "rules", "--data", str(dataset), "--split", "dev", "--out", str(out)])
    assert bad.exit_code != 0 and isinstance(bad.exception, ToolkitError)
    assert "available: train, test" in str(bad.exception)


def test_text_classification_set_with_its_own_labels(tmp_path):
    """Sentences labelled with a foreign label set (as IndiaPoliceEvents): multi-label F1 equal to scikit-learn."""
    import json as _json

    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    from toolkit.evaluate.run import evaluate as run_evaluate
    from toolkit.records import Meta, Record

    gold_labels = [["KILL"], [], ["ARREST", "FORCE"], ["KILL", "FORCE"], []]
    pred_labels = [["KILL"], ["ARREST"], ["ARREST"], ["FORCE"], []]
    gold = [Record(f"s{i}", f"sentence number {i}.", Meta(extra={"labels": labs}), split="test")
            for i, labs in enumerate(gold_labels)]
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_path.write_text("".join(r.to_json() + "\n" for r in gold))
    preds = [Record(r.id, r.text, Meta(extra={"labels": labs}), split="test") for r, labs in zip(gold, pred_labels)]
    pred_path.write_text("".join(_json.dumps({"model": "m", **r.to_dict()}) + "\n" for r in preds))
    report = run_evaluate([], gold_path, split="test", out=tmp_path / "rep", bootstrap=20, predictions=[pred_path],
                          with_text=False)
    got = {f.metric: f.value for f in report.figures if f.task == "text-labels"}
    mlb = MultiLabelBinarizer().fit(gold_labels + pred_labels)
    y, p = mlb.transform(gold_labels), mlb.transform(pred_labels)
    assert abs(got["micro_f1"] - f1_score(y, p, average="micro")) < 1e-9
    assert abs(got["samples_f1"] - f1_score(y, p, average="samples", zero_division=0)) < 1e-9
    assert abs(got["samples_f1_empty1"] - f1_score(y, p, average="samples", zero_division=1)) < 1e-9
    assert not (tmp_path / "rep" / "predictions.jsonl").exists()
    assert "sentence number" not in (tmp_path / "rep" / "report.html").read_text()
