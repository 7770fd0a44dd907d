"""`make benchmark`: train every baseline on each benchmark, evaluate them side by side with `toolkit evaluate`,
write one report per benchmark under benchmarks/NAME/ and the leaderboard in benchmarks/README.md.

    python benchmarks/run_benchmarks.py [--only gold,re3d,polnear,ipe] [--bootstrap 1000]

Benchmarks (external data is research-use only: read from $TOOLKIT_BENCHMARKS or ../shared/benchmarks, never
copied; their reports carry no document text):
- gold: our corpus (annotations/records.jsonl), train -> test (models pick nothing on test: their validation scores
  in model.json come from the validation split);
- re3d: re3d-conll (ConfliBERT's split) train -> dev, entity types mapped to ours;
- polnear: PolNeAR train -> dev, attribution;
- ipe: IndiaPoliceEvents train -> dev, sentence labels of its own.
Each model is trained in its own process (`toolkit train`), so model.json's peak memory is that training's own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
MODELS = HERE / ".models"  # trained models: rebuilt, not committed


@dataclass
class Benchmark:
    name: str
    title: str
    data: str
    eval_split: str
    models: dict[str, list[str]]  # task -> toolkit train model names
    data_options: dict[str, str] = field(default_factory=dict)
    with_text: bool = False
    peers: list[str] = field(default_factory=list)  # registered extractors run beside, untrained (when installed)
    headline: list[tuple[str, str]] = field(default_factory=list)  # (figure task, metric) for the leaderboard
    published: list[str] = field(default_factory=list)


BENCHMARKS = [
    Benchmark("gold", "Gold corpus (annotations/), train → test", str(ROOT / "annotations" / "records.jsonl"), "test",
              {"entities": ["rules", "crf", "crf-lexicon", "spacy-ner"], "events": ["lexicon", "trigger-tagger", "tfidf-logreg"],
               "attribution": ["rules", "learned"]}, with_text=True, peers=["textacy-quotes"],
              headline=[("entities", "f1_strict"), ("entities", "seqeval_macro_f1"), ("triggers", "classification_f1"),
                        ("event-types", "document_micro_f1"), ("attribution", "relation_overlap_f1"),
                        ("attribution", "content_exact_f1")]),
    Benchmark("re3d", "re3d-conll, train → dev (entity types mapped to ours)", "conll:re3d-conll", "validation",
              {"entities": ["rules", "pretrained", "crf", "crf-lexicon", "spacy-ner", "spacy-ner-transfer"]}, {"label_map": "re3d"},
              headline=[("entities", "seqeval_macro_f1"), ("entities", "seqeval_f1"), ("entities", "f1_strict")],
              published=["ConfliBERT (Hu et al., NAACL 2022), re3d macro-F1 66.40 on re3d's own 10 types, seqeval "
                         "default mode: reported in the paper, not re-run."]),
    Benchmark("polnear", "PolNeAR, train → dev (attribution)", "polnear:polnear", "validation",
              {"attribution": ["rules", "learned"]}, {"skip_invalid": "true"}, peers=["textacy-quotes"],
              headline=[("attribution", "source_exact_f1"), ("attribution", "cue_exact_f1"),
                        ("attribution", "content_exact_f1"), ("attribution", "relation_overlap_f1")],
              published=["CofeNet (Wang et al., COLING 2022), PolNeAR exact F1 source / cue / content: 83.2 / 75.3 / "
                         "72.9 (BERT), 69.6 / 66.7 / 59.0 (BiLSTM-CRF): reported in the paper, not re-run."]),
    Benchmark("ipe", "IndiaPoliceEvents sentences, train → dev (its own labels)", "india-police-events:india-police-events",
              "validation", {"events": ["tfidf-logreg", "spacy-textcat"]},
              headline=[("text-labels", "micro_f1"), ("text-labels", "macro_f1"), ("text-labels", "samples_f1_empty1"),
                        ("text-labels", "samples_f1")],
              published=["ConfliBERT (Hu et al., NAACL 2022), IndiaPoliceEvents sentence example-based F1 67.27: "
                         "reported in the paper, not re-run (how it scores sentences with no label is not stated; "
                         "both conventions are shown here)."]),
]


def train_all(b: Benchmark, log, reuse: bool = False) -> list[tuple[str, Path, dict]]:
    """(task, model folder, model.json) for every model of the benchmark; with `reuse`, models already trained
    by an earlier run are kept."""
    out = []
    options = [x for k, v in b.data_options.items() for x in ("--data-option", f"{k}={v}")]
    for task, models in b.models.items():
        for model in models:
            folder = MODELS / b.name / f"{task}-{model}"
            if reuse and (folder / "model.json").is_file():
                out.append((task, folder, json.loads((folder / "model.json").read_text(encoding="utf-8"))))
                continue
            cmd = [sys.executable, "-m", "toolkit", "train", task, "--model", model, "--data", b.data, "--out",
                   str(folder), "--seed", "0", *options]
            log(f"[{b.name}] train {task} {model}")
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if proc.returncode != 0:
                log(f"[{b.name}]   skipped: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
                continue
            out.append((task, folder, json.loads((folder / "model.json").read_text(encoding="utf-8"))))
    return out


def run(b: Benchmark, bootstrap: int, log, reuse: bool = False) -> dict:
    from toolkit.evaluate.run import evaluate

    trained = train_all(b, log, reuse)
    peers = [p for p in b.peers if _available(p, log)]
    started = time.perf_counter()
    here = os.getcwd()
    os.chdir(MODELS / b.name)  # models are named by their folder in the report, not by a path on this machine
    try:
        report = evaluate([folder.name for _, folder, _ in trained] + peers, b.data, split=b.eval_split,
                          out=HERE / b.name, bootstrap=bootstrap, seed=0, data_options=dict(b.data_options),
                          with_text=b.with_text)
    finally:
        os.chdir(here)
    log(f"[{b.name}] evaluated in {time.perf_counter() - started:.0f}s -> benchmarks/{b.name}/")
    return {"benchmark": b, "report": report, "trained": trained, "peers": peers}


def _available(extractor: str, log) -> bool:
    from toolkit.errors import ToolkitError
    from toolkit.extract.registry import get_extractor

    try:
        get_extractor(extractor)
        return True
    except ToolkitError as err:
        log(f"peer {extractor} not run: {err}")
        return False


def _short(model_dir: str) -> str:
    return Path(model_dir).name


SECTION = "leaderboard.md"  # each benchmark's rows, kept beside its report so runs of single benchmarks compose


def section(res: dict, seconds: float) -> str:
    b, report = res["benchmark"], res["report"]
    lines = [f"## {b.title}", "", f"{len(report.gold)} documents in `{b.eval_split}`; report: "
             f"[benchmarks/{b.name}/README.md]({b.name}/README.md); run on {_machine()}; this run took "
             f"{seconds / 60:.1f} minutes (models trained by an earlier run are reused with --reuse-models; each "
             "model's own train time is in the table).", ""]
    figs = {(f.model, f.task, f.metric): f for f in report.figures if f.group == "headline"}
    names = {(t, m): next((f.name for f in report.figures if f.task == t and f.metric == m), m) for t, m in b.headline}
    header = ["model", "task", *[f"{t}: {names[(t, m)]}" for t, m in b.headline], "train s", "peak MiB", "size MB"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for task, folder, meta in res["trained"]:
        cells = []
        for t, m in b.headline:
            f = figs.get((folder.name, t, m))
            cells.append(f"{f.value:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]" if f else "—")
        lines.append(f"| {meta['model']} | {task} | " + " | ".join(cells) + f" | {meta['train_seconds']:.0f} | "
                     f"{meta['peak_memory_mib']:.0f} | {meta.get('model_bytes', 0) / 1e6:.1f} |")
    for peer in res.get("peers", []):
        cells = []
        for t, m in b.headline:
            f = figs.get((peer, t, m))
            cells.append(f"{f.value:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]" if f else "—")
        lines.append(f"| {peer} (peer, not trained) | attribution | " + " | ".join(cells) + " | — | — | — |")
    lines += [""] + [f"- {p}" for p in b.published] + [f"- {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


def leaderboard() -> str:
    parts = ["# Benchmarks", "",
             "Produced by `make benchmark` (`python benchmarks/run_benchmarks.py`); every figure is value [95 % "
             "bootstrap CI over documents]. One report per benchmark is in its folder (README.md, report.html, "
             "results.json). External data is research-use only and read from `$TOOLKIT_BENCHMARKS` (default "
             "`../shared/benchmarks`); its reports hold no document text. The external sets' test splits are "
             "withheld: their figures are on dev. Train time and peak memory (growth of the training process's "
             "resident set) come from each model's model.json.", "", "## Leaderboard", ""]
    for b in BENCHMARKS:
        path = HERE / b.name / SECTION
        if path.is_file():
            parts.append(path.read_text(encoding="utf-8").replace("## ", "### ", 1))
    return "\n".join(parts)


def _machine() -> str:
    import os
    import platform

    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, no GPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="Comma-separated benchmark names (default: all).")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--reuse-models", action="store_true", help="Keep models trained by an earlier run.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from toolkit import atomic

    wanted = [b for b in BENCHMARKS if not args.only or b.name in args.only.split(",")]
    log = lambda line: print(line, flush=True)  # noqa: E731
    started = time.perf_counter()
    for b in wanted:
        began = time.perf_counter()
        res = run(b, args.bootstrap, log, args.reuse_models)
        atomic.write_text(HERE / b.name / SECTION, section(res, time.perf_counter() - began))
    atomic.write_text(HERE / "README.md", leaderboard())
    log(f"leaderboard: benchmarks/README.md ({(time.perf_counter() - started) / 60:.1f} minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
