"""The evaluation report: results.json (Hugging Face model-index shape), README.md, a self-contained
report.html, the PNG plots and predictions.jsonl (every model's records, to re-score with --predictions)."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from . import atomic
from .evaluate.run import MISSED, SPURIOUS, TASKS, Figure, Report
from .records import now_iso

FILES = ("results.json", "README.md", "report.html", "predictions.jsonl")
EXCERPT = 600
EXAMPLES = 3


def results_json(report: Report) -> dict:
    """One result per model × task (dataset and split named in each), one metric per figure."""
    index = []
    for model in report.models:
        results = []
        for task, (ttype, tname) in TASKS.items():
            figs = [f for f in report.figures if f.model == model and f.task == task]
            if not figs:
                continue
            results.append({
                "task": {"type": ttype, "name": tname},
                "dataset": {"name": report.dataset, "type": report.dataset, "split": report.split},
                "metrics": [{"type": f.metric if f.label is None else f"{f.metric}:{f.label}", "value": f.value,
                             "name": f.name, "ci_low": f.ci_low, "ci_high": f.ci_high, "n": f.n} for f in figs],
            })
        index.append({"name": model, "results": results})
    return {
        "model-index": index,
        "comparisons": [vars(c) for c in report.comparisons],
        "bootstrap": report.bootstrap, "seed": report.seed, "documents": len(report.gold), "created": now_iso(),
    }


def _cell(f: Figure | None, speed: bool = False) -> str:
    if f is None:
        return "–"
    fmt = "{:,.0f}" if speed else "{:.3f}"
    return f"{fmt.format(f.value)} [{fmt.format(f.ci_low)}, {fmt.format(f.ci_high)}]"


def _grid(report: Report, group: str, task: str | None = None, metric: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Rows of (figure name, one cell per model) for one group of figures, in first-seen order."""
    figs = [f for f in report.figures if f.group == group and (task is None or f.task == task)
            and (metric is None or f.metric == metric)]
    keys: list[tuple] = []
    for f in figs:
        key = (f.task, f.metric, f.label, f.name)
        if key not in keys:
            keys.append(key)
    lookup = {(f.task, f.metric, f.label, f.name, f.model): f for f in figs}
    rows = [[k[2] if group in ("per type", "slice") and metric else k[3]]
            + [_cell(lookup.get((*k, m)), group == "speed") for m in report.models] for k in keys]
    return ["figure"] + report.models, rows


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(map(esc, header)) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(map(esc, r)) + " |" for r in rows]
    return "\n".join(lines)


def _sections(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    out = []
    for task, (_, tname) in TASKS.items():
        if task == "speed":
            continue
        header, rows = _grid(report, "headline", task)
        if rows:
            out.append((f"{tname}", header, rows))
    for title, task, metric in (("Entities per type: F1 (strict)", "entities", "f1_strict"),
                                ("Event triggers per type: classification F1 (exact)", "triggers", "classification_f1")):
        header, rows = _grid(report, "per type", task, metric)
        if rows:
            out.append((title, ["type"] + header[1:], rows))
    for metric in ("relation_overlap_f1", "relation_exact_f1"):
        header, rows = _grid(report, "slice", "attribution", metric)
        if rows:
            how = "overlap" if "overlap" in metric else "exact"
            out.append((f"Attribution slices: relation F1 ({how})", ["slice"] + header[1:], rows))
    header, rows = _grid(report, "speed")
    if rows:
        out.append(("Speed on this machine (mean of batches, 95 % CI)", header, rows))
    if report.comparisons:
        out.append(("Significance: best model against each other one", [
            "task", "figure", "best", "other", "difference", "p (paired bootstrap)", "p (approx. randomization)"],
            [[c.task, c.name, c.best, c.other, f"{c.delta:+.3f}", f"{c.p_bootstrap:.3f}", f"{c.p_randomization:.3f}"]
             for c in report.comparisons]))
    if report.learning_curve:
        out.append(("Learning curve", ["model", "share of training data", "score"],
                    [[m, f"{x:g}", f"{y:.3f}"] for m, pts in report.learning_curve.items() for x, y in sorted(pts)]))
    return out


def _intro(report: Report) -> list[str]:
    lines = [f"Dataset `{report.dataset}`, split `{report.split}`: {len(report.gold)} documents. "
             f"Every model ran on the same documents with their layers emptied.",
             f"Figures are value [95 % bootstrap CI over documents, {report.bootstrap} resamples, seed {report.seed}].",
             "Models: " + ", ".join(f"`{p.name}` ({p.origin})" for p in report.predictions) + "."]
    return lines + report.notes


def readme(report: Report, plots: dict[str, bytes], with_text: bool = True) -> str:
    parts = [f"# Evaluation report: {report.dataset} ({report.split})", "", *_intro(report), ""]
    for title, header, rows in _sections(report):
        parts += [f"## {title}", "", _md_table(header, rows), ""]
    parts += ["## Files", "", "- `results.json`: every figure with its interval (Hugging Face model-index shape)",
              "- `report.html`: this report with the plots, in one file"]
    if with_text:
        parts += ["- `predictions.jsonl`: every model's predicted records (field `model`); score them again with "
                  "`toolkit evaluate --predictions predictions.jsonl --data ...`"]
    else:
        parts += ["- no predictions or document text: the data may not be redistributed"]
    parts += [f"- `{name}`" for name in plots] + [""]
    return "\n".join(parts)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _examples(report: Report) -> str:
    """The first documents with the entities each model missed or added (strict), text escaped."""
    out = []
    for k, gold in enumerate(report.gold[:EXAMPLES]):
        title = html.escape(gold.meta.title or gold.id)
        if not gold.meta.redistributable:
            out.append(f"<h3>{title}</h3><p class='note'>Text withheld: this document is not redistributable.</p>")
            continue
        text = gold.text
        excerpt = html.escape(text[:EXCERPT] + ("…" if len(text) > EXCERPT else ""))
        g = {(e.start, e.end, e.label) for e in gold.entities}
        rows = []
        for run in report.predictions:
            p = {(e.start, e.end, e.label) for e in run.records[k].entities}
            show = lambda spans: "; ".join(f"{text[s:e]} [{lab}]" for s, e, lab in sorted(spans)) or "–"  # noqa: E731
            rows.append([run.name, show(g - p), show(p - g)])
        out.append(f"<h3>{title}</h3><blockquote>{excerpt}</blockquote>"
                   + _html_table(["model", "entities missed (strict)", "entities added (strict)"], rows))
    return "".join(out)


CSS = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;font-size:.9em}
th{background:#f3f3f3;text-align:left}td:not(:first-child){font-variant-numeric:tabular-nums}
img{max-width:100%;display:block;margin:.5em 0 1.5em}blockquote{background:#fafafa;border-left:3px solid #ccc;
padding:.5em 1em;white-space:pre-wrap}.note{color:#666}"""


def report_html(report: Report, plots: dict[str, bytes], with_text: bool = True) -> str:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
             f"{html.escape(f'Evaluation: {report.dataset} ({report.split})')}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(f'Evaluation report: {report.dataset} ({report.split})')}</h1>"]
    parts += [f"<p>{html.escape(line)}</p>" for line in _intro(report)]
    for title, header, rows in _sections(report):
        parts.append(f"<h2>{html.escape(title)}</h2>{_html_table(header, rows)}")
    if plots:
        parts.append("<h2>Plots</h2>")
        for name, png in plots.items():
            data = base64.b64encode(png).decode("ascii")
            parts.append(f"<img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>")
    if with_text:
        parts.append(f"<h2>Examples</h2>{_examples(report)}")
    parts.append("</body></html>")
    return "\n".join(parts)


def make_plots(report: Report) -> dict[str, bytes]:
    from . import plots

    out: dict[str, bytes] = {}
    for fname, title, task, metric in (("entities_per_type.png", "Entities: strict F1 per type", "entities", "f1_strict"),
                                       ("triggers_per_type.png", "Event triggers: classification F1 per type",
                                        "triggers", "classification_f1")):
        figs = [f for f in report.figures if f.group == "per type" and f.task == task and f.metric == metric]
        if figs:
            labels = list(dict.fromkeys(f.label for f in figs))
            values = {m: {f.label: (f.value, f.ci_low, f.ci_high) for f in figs if f.model == m} for m in report.models}
            out[fname] = plots.per_type_bars(title, labels, report.models, values)
    for k, c in enumerate(report.confusions):
        if c.counts.size:
            out[f"event_confusion_{k + 1}.png"] = plots.confusion_matrix(
                f"Event types, {c.model} (rows gold, {SPURIOUS}; columns predicted, {MISSED})", c.rows, c.cols, c.counts)
    if report.learning_curve:
        out["learning_curve.png"] = plots.learning_curves(report.learning_curve)
    return out


def prediction_lines(report: Report):
    for run in report.predictions:
        for record in run.records:
            yield json.dumps({"model": run.name, **record.to_dict()}, ensure_ascii=False)


def write_report(report: Report, out_dir: Path, with_text: bool = True) -> list[Path]:
    """Write every report file into OUT_DIR at once (staged, then swapped in).

    Without `with_text`, no document text leaves the data: no predictions.jsonl and no examples (for data that
    may not be redistributed, such as research-only benchmarks).
    """
    plots = make_plots(report)
    with atomic.staged(Path(out_dir)) as stage:
        (stage / "results.json").write_text(json.dumps(results_json(report), indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
        (stage / "README.md").write_text(readme(report, plots, with_text), encoding="utf-8")
        (stage / "report.html").write_text(report_html(report, plots, with_text), encoding="utf-8")
        if with_text:
            (stage / "predictions.jsonl").write_text("".join(f"{line}\n" for line in prediction_lines(report)),
                                                     encoding="utf-8")
        for name, png in plots.items():
            (stage / name).write_bytes(png)
    files = FILES if with_text else tuple(f for f in FILES if f != "predictions.jsonl")
    return [Path(out_dir) / f for f in (*files, *plots)]
