"""Train every baseline and measure it: train time, peak memory, model size and dev scores (not a unit test).

    python benchmarks/train_benchmark.py [--only re3d|ipe|native|polnear|gold-attribution] [--out /tmp/train-bench] [--models crf,spacy-ner]

Data (research use only, read from $TOOLKIT_BENCHMARKS, default ../shared/benchmarks; never copied):
- re3d-conll train -> dev (ConfliBERT's split), entities, two ways:
  * mapped types: `toolkit train entities ... --data conll:re3d-conll --data-option label_map=re3d` for every
    entity model; gold tags mapped to our types with the first type of schemas/labels.json's re3d mapping (what
    the importer does; DocumentReference, Url, ... become O). Zero-shot models (rules, pretrained) predict our
    finer types, so each predicted type is folded to the first type of its re3d group (LOC/FAC -> GPE,
    TIME -> DATE, CARDINAL -> QUANTITY): "matches any of them when comparing". Scored with seqeval's default
    mode on re3d's own tokens (predicted character spans projected onto them), and with model.json's strict spans.
  * re3d's own 10 types: spaCy NER (scratch and transfer), the CRF and crf-lexicon (lexicon, rule-extractor and
    spelling features, rare types oversampled) trained on the native tags and tokens, seqeval default-mode
    macro-F1 over those types: the figure comparable with ConfliBERT's 66.40.
- india-police-events train -> dev: sentence classifiers on the set's own labels (KILL, ARREST, ANY_ACTION, FAIL,
  FORCE), micro/macro and example-based F1 (ConfliBERT: 67.27 example-based F1).
- polnear train -> dev: attribution models (rules, learned), imported with `--data-option skip_invalid=true`
  (the few attributions our records cannot hold are counted, not dropped silently). Per-role exact and
  token-overlap F1 for source/cue/content and relation F1 from `toolkit.evaluate.attribution`. Published context,
  reported and not re-run: CofeNet exact F1 source/cue/content 83.2/75.3/72.9 (BERT), 69.6/66.7/59.0 (BiLSTM-CRF).
- gold-attribution: the same on our own gold corpus (annotations/records.jsonl, train -> validation; its test
  split is never read).
Each training runs in a child process so that its peak resident memory
is its own (the child reports getrusage ru_maxrss). Hyper-parameters were chosen on dev only; the test splits are withheld and never read.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENTITY_MODELS = ["rules", "pretrained", "crf", "crf-lexicon", "spacy-ner", "spacy-ner-transfer"]
IPE_MODELS = ["tfidf-logreg", "spacy-textcat"]
NATIVE_MODELS = ["crf", "crf-lexicon", "spacy-ner", "spacy-ner-transfer"]
ATTRIBUTION_MODELS = ["rules", "learned"]
GOLD_RECORDS = ROOT / "annotations" / "records.jsonl"


def benchmarks() -> Path:
    from toolkit.train.data import benchmarks_dir

    return benchmarks_dir().resolve()


# ----------------------------------------------------------------------------------------------- child jobs

def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) per blank-line separated sentence."""
    sents, toks, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        tok, tag = line.rsplit("\t", 1) if "\t" in line else line.rsplit(" ", 1)
        toks.append(tok)
        tags.append(tag.strip())
    if toks:
        sents.append((toks, tags))
    return sents


def folded_types() -> dict[str, str]:
    """Our type -> the first type of its re3d group; re3d type -> our first type (None when dropped)."""
    from toolkit.schema import inventory

    fold, native = {}, {}
    for re3d, ours in inventory().entity_mapping("re3d").items():
        native[re3d] = ours[0] if ours else None
        for x in ours:
            fold.setdefault(x, ours[0])
    return {"fold": fold, "native": native}


def map_tags(tags: list[str], native: dict) -> list[str]:
    out = []
    for tag in tags:
        prefix, _, typ = tag.partition("-")
        ours = native.get(typ) if typ else None
        out.append(f"{prefix}-{ours}" if ours else "O")
    return out


def spans_to_token_tags(tokens: list[str], spans, fold: dict) -> list[str]:
    """Character spans over the importer's text (tokens joined by one space) to BIO tags on those tokens."""
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    tags = ["O"] * len(tokens)
    for s, e, label in sorted(spans):
        label = fold.get(label, label)
        inside = [i for i, st in enumerate(starts) if st < e and st + len(tokens[i]) > s]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + label
    return tags


def seqeval_macro(gold: list[list[str]], pred: list[list[str]]) -> dict:
    from toolkit.evaluate.entities import seqeval_scores

    s = seqeval_scores([gold], [pred], mode="default")
    out = {"macro_f1": round(s.macro_f1, 4), "micro_f1": round(s.micro.f1, 4),
           "per_type": {t: round(v.prf.f1, 4) for t, v in s.per_type.items()}}
    try:  # cross-check with the seqeval package when it is installed
        from seqeval.metrics import f1_score

        out["seqeval_package_macro_f1"] = round(float(f1_score(gold, pred, average="macro")), 4)
    except ImportError:
        pass
    return out


def job_train(spec: dict) -> dict:
    """`toolkit.train.run.train` on one model, then seqeval on re3d's tokens when the data is re3d-conll."""
    from toolkit.extract.registry import get_extractor
    from toolkit.train.data import load_split
    from toolkit.train.run import train

    meta = train(spec["task"], spec["model"], spec["data"], Path(spec["out"]), seed=0, config=spec.get("config"),
                 data_options=spec.get("data_options"), dev=spec.get("dev", "validation"))
    result = {"model_json": meta}
    if spec.get("re3d_tokens"):
        types = folded_types()
        dev = read_conll(benchmarks() / "re3d-conll" / "dev.txt")
        records = load_split(spec["data"], "validation", **spec["data_options"])
        predicted = get_extractor(spec["out"]).predict(records)
        assert len(predicted) == len(dev)
        gold = [map_tags(tags, types["native"]) for _, tags in dev]
        pred = [spans_to_token_tags(toks, [(e.start, e.end, e.label) for e in r.entities], types["fold"])
                for (toks, _), r in zip(dev, predicted)]
        result["seqeval_mapped"] = seqeval_macro(gold, pred)
    return result


def native_docs(sents, nlp):
    from spacy.tokens import Doc
    from spacy.training import iob_to_biluo
    from spacy.training.iob_utils import biluo_tags_to_spans

    docs = []
    for toks, tags in sents:
        doc = Doc(nlp.vocab, words=toks)
        doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(fix_iob(tags)))
        docs.append(doc)
    return docs


def fix_iob(tags: list[str]) -> list[str]:
    """A stray I- opens an entity (conlleval), so spaCy's converter sees valid IOB2."""
    out, prev = [], "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def job_native(spec: dict) -> dict:
    """re3d's own types on its own tokens: spaCy NER via the toolkit's spaCy loop, or the CRF's features."""
    import spacy

    train_sents = read_conll(benchmarks() / "re3d-conll" / "train.txt")
    dev_sents = read_conll(benchmarks() / "re3d-conll" / "dev.txt")
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    gold = [fix_iob(tags) for _, tags in dev_sents]
    if spec["model"] == "crf":
        import pycrfsuite
        import sklearn_crfsuite

        from toolkit.train.models.crf import CrfTrainer, token_features

        params = {**CrfTrainer.defaults, **(spec.get("config") or {})}
        crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=params["c1"], c2=params["c2"],
                                   max_iterations=params["max_iterations"],
                                   all_possible_transitions=params["all_possible_transitions"],
                                   model_filename=str(out / "model.crfsuite"))
        crf.fit([[token_features(t, i) for i in range(len(t))] for t, _ in train_sents], [g for _, g in train_sents])
        seconds = time.perf_counter() - started
        tagger = pycrfsuite.Tagger()
        tagger.open(str(out / "model.crfsuite"))
        pred = [tagger.tag([token_features(t, i) for i in range(len(t))]) for t, _ in dev_sents]
    elif spec["model"] == "crf-lexicon":
        import pycrfsuite

        from toolkit.train.models.crf_lexicon import CrfLexiconTrainer, feature_options, fit_crf
        from toolkit.train.models.token_features import words_features

        params = {**CrfLexiconTrainer.defaults, **(spec.get("config") or {})}
        options = feature_options(params)
        fit_crf([words_features(t, options) for t, _ in train_sents], [fix_iob(g) for _, g in train_sents], params,
                out / "model.crfsuite")
        seconds = time.perf_counter() - started
        tagger = pycrfsuite.Tagger()
        tagger.open(str(out / "model.crfsuite"))
        pred = [tagger.tag(words_features(t, options)) for t, _ in dev_sents]
    else:
        from toolkit.train.models.spacy_ner import SpacyNerTrainer, SpacyNerTransferTrainer, fit_ner

        cls = SpacyNerTransferTrainer if spec["model"] == "spacy-ner-transfer" else SpacyNerTrainer
        params = {**cls.defaults, **(spec.get("config") or {})}
        blank = spacy.blank("en")
        fit_ner(native_docs(train_sents, blank), native_docs(dev_sents, blank), params, 0, out,
                params.get("pipeline"))
        seconds = time.perf_counter() - started
        nlp = spacy.load(out / "pipeline")
        labels = {t[2:] for _, tags in train_sents for t in tags if t != "O"}
        pred = []
        for toks, _ in dev_sents:
            doc = nlp(spacy.tokens.Doc(nlp.vocab, words=toks))
            tags = ["O"] * len(toks)
            for e in doc.ents:
                if e.label_ in labels:
                    for k, i in enumerate(range(e.start, e.end)):
                        tags[i] = ("B-" if k == 0 else "I-") + e.label_
            pred.append(tags)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"seqeval_native": seqeval_macro(gold, pred), "train_seconds": round(seconds, 1), "model_bytes": size,
            "params": params}


# ----------------------------------------------------------------------------------------------- attribution

def attribution_figures(gold, predicted) -> dict:
    """Exact and token-overlap P/R/F1 per role, cue-matched detection and relation F1 (exact and overlap)."""
    from toolkit.evaluate import attribution as scorer

    s = scorer.attribution_scores([r.text for r in gold], [r.attributions for r in gold],
                                  [r.attributions for r in predicted])

    def prf(index: int) -> dict:
        p = s.prf(index)
        return {"precision": round(float(p.precision), 4), "recall": round(float(p.recall), 4),
                "f1": round(float(p.f1), 4)}

    return {
        "exact": {role: prf(s.exact_index(role)) for role in scorer.ROLES},
        "token_overlap": {role: prf(s.token_index(role)) for role in scorer.ROLES},
        "detection": prf(s.DETECTION),
        "relation_exact": prf(s.RELATION_EXACT),
        "relation_overlap": prf(s.RELATION_OVERLAP),
        "gold_attributions": int(s.tally(s.DETECTION).as_tuple()[2]),
    }


def job_attribution(spec: dict) -> dict:
    """`toolkit.train.run.train` on one attribution model, then every attribution figure on the dev split."""
    from toolkit.extract.registry import get_extractor
    from toolkit.train.data import load_split
    from toolkit.train.run import train

    options = spec.get("data_options") or {}
    meta = train("attribution", spec["model"], spec["data"], Path(spec["out"]), seed=0, config=spec.get("config"),
                 data_options=options or None, dev="validation")
    dev = load_split(spec["data"], "validation", **options)
    started = time.perf_counter()
    predicted = get_extractor(spec["out"]).predict(dev)
    result = {"model_json": meta, "attribution": attribution_figures(dev, predicted),
              "predict_seconds": round(time.perf_counter() - started, 1)}
    if options.get("skip_invalid"):
        train_records = load_split(spec["data"], "train", **options)
        result["skipped_attributions"] = {
            split: sum(r.meta.extra.get("polnear_skipped", 0) for r in records)
            for split, records in (("train", train_records), ("dev", dev))}
    return result


def attribution_specs(parts: list[str], wanted: set[str], out: Path, configs: dict) -> list[tuple[str, str, dict]]:
    """(part, model, spec) of the attribution runs asked for."""
    data = {"polnear": ("polnear:polnear", {"skip_invalid": True}),
            "gold-attribution": (str(GOLD_RECORDS), {})}
    specs = []
    for part in parts:
        if part not in data or (part == "gold-attribution" and not GOLD_RECORDS.is_file()):
            continue
        for model in ATTRIBUTION_MODELS:
            if not wanted or model in wanted:
                specs.append((part, model, {"model": model, "data": data[part][0], "data_options": data[part][1],
                                            "out": str(out / f"{part}-{model}"), "config": configs.get(model)}))
    return specs


def attribution_summary(res: dict) -> list[str]:
    fig = res["attribution"]
    ex, tok = fig["exact"], fig["token_overlap"]
    return [f"exact F1 src/cue/content {ex['source']['f1']:.3f}/{ex['cue']['f1']:.3f}/{ex['content']['f1']:.3f}",
            f"token F1 {tok['source']['f1']:.3f}/{tok['cue']['f1']:.3f}/{tok['content']['f1']:.3f}",
            f"relation F1 exact {fig['relation_exact']['f1']:.3f} overlap {fig['relation_overlap']['f1']:.3f}"]


# ----------------------------------------------------------------------------------------------- parent

def run_child(kind: str, spec: dict) -> dict:
    """Run one job in a fresh interpreter, which reports its own peak RSS (ru_maxrss of that process)."""
    proc = subprocess.Popen([sys.executable, __file__, "--job", kind, json.dumps(spec)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    started = time.perf_counter()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    result = {"ok": proc.returncode == 0, "wall_seconds": round(wall, 1)}
    if proc.returncode != 0:
        result["error"] = (stderr.strip().splitlines() or ["?"])[-1]
        return result
    result.update(json.loads(stdout.strip().splitlines()[-1]))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["re3d", "native", "ipe", "polnear", "gold-attribution"], action="append")
    ap.add_argument("--models", default="")
    ap.add_argument("--out", default="/tmp/train-benchmark")
    ap.add_argument("--config", default="{}", help="JSON: model name -> hyper-parameters (tuning on dev only)")
    ap.add_argument("--job", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.job:
        kind, spec = args.job[0], json.loads(args.job[1])
        import resource

        jobs = {"train": job_train, "native": job_native, "attribution": job_attribution}
        result = jobs[kind](spec)
        result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(result))
        return
    parts = args.only or ["re3d", "native", "ipe", "polnear", "gold-attribution"]
    wanted = set(filter(None, args.models.split(",")))
    configs = json.loads(args.config)
    out = Path(args.out)
    results = []

    def record(part, model, kind, spec):
        res = run_child(kind, spec)
        res.update(part=part, model=model)
        results.append(res)
        print(summary_line(res), flush=True)

    if "re3d" in parts:
        for model in ENTITY_MODELS:
            if not wanted or model in wanted:
                record("re3d-conll mapped", model, "train", {
                    "task": "entities", "model": model, "data": "conll:re3d-conll", "out": str(out / f"re3d-{model}"),
                    "data_options": {"label_map": "re3d"}, "re3d_tokens": True, "config": configs.get(model)})
    if "native" in parts:
        for model in NATIVE_MODELS:
            if not wanted or model in wanted:
                record("re3d-conll own types", model, "native",
                       {"model": model, "out": str(out / f"re3d-native-{model}"), "config": configs.get(model)})
    if "ipe" in parts:
        for model in IPE_MODELS:
            if not wanted or model in wanted:
                record("india-police-events", model, "train", {
                    "task": "events", "model": model, "data": "india-police-events:india-police-events",
                    "out": str(out / f"ipe-{model}"), "config": configs.get(model)})
    for part, model, spec in attribution_specs(parts, wanted, out, configs):
        record(part, model, "attribution", spec)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {out / 'results.json'}")


def summary_line(res: dict) -> str:
    head = f"{res['part']:<22} {res['model']:<20}"
    if not res["ok"]:
        return f"{head} FAILED: {res.get('error')}"
    meta = res.get("model_json") or {}
    secs = meta.get("train_seconds", res.get("train_seconds"))
    size = meta.get("model_bytes", res.get("model_bytes"))
    parts = [f"train {secs}s", f"peak RSS {res['peak_rss_mib']} MiB", f"size {size / 1e6:.2f} MB"]
    if "seqeval_mapped" in res:
        parts.append(f"seqeval macro-F1 (mapped) {res['seqeval_mapped']['macro_f1']:.4f}")
        parts.append(f"strict span F1 {meta['validation']['strict']['f1']:.4f}")
    if "seqeval_native" in res:
        parts.append(f"seqeval macro-F1 (own types) {res['seqeval_native']['macro_f1']:.4f}")
        parts.append(f"micro {res['seqeval_native']['micro_f1']:.4f}")
    if "attribution" in res:
        parts += attribution_summary(res)
    if meta.get("label_scheme", "").startswith("foreign"):
        lab = meta["validation"]["labels"]
        parts.append(f"micro-F1 {lab['micro_f1']:.4f} macro-F1 {lab['macro_f1']:.4f} example-F1 {lab['example_f1']:.4f}")
    return f"{head} " + ", ".join(parts)


if __name__ == "__main__":
    main()
