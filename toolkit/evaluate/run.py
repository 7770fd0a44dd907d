"""`toolkit evaluate`: run every model on the same gold documents, score them, and write a report.

Models are anything `get_extractor` accepts (a registered name, an installed spaCy pipeline, and trained model
folders once `get_extractor` loads them) or JSONL files of predicted records made elsewhere.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..errors import ToolkitError
from ..jsonl import read_numbered
from ..records import Record
from ..schema import inventory
from . import attribution as att_scores
from . import entities as ent_scores
from . import events as ev_scores
from .counts import tally_f1, tally_macro_f1
from .significance import (Measure, approximate_randomization_p, bootstrap_ci, mean_ci, paired_bootstrap_p,
                           resample_weights)

GOLD_LABEL_KEYS = ("sub_event_type", "acled_sub_event_type", "gold_event_type")  # meta.extra, one label per text
SPEED_BATCHES = 20


@dataclass
class Prediction:
    """One model's records, aligned with the gold documents, and how fast they came (None for files)."""

    name: str
    records: list[Record]
    origin: str
    docs_per_s: list[float] | None = None
    words_per_s: list[float] | None = None
    task: str | None = None  # a trained model fills one layer (entities, events, attribution); None: all three

    def covers(self, figure_task: str) -> bool:
        """Whether a figure of this task describes the model: a one-layer model is not scored on the others."""
        if self.task is None or figure_task == self.task:
            return True
        if figure_task == "text-labels":
            return self.task == "events"
        return self.task == "events" and figure_task not in ("entities", "attribution")


@dataclass
class Figure:
    """One number of the report: a metric of one model on one task, with its bootstrap interval."""

    task: str
    metric: str  # machine name, e.g. "f1_strict"
    name: str  # reader's name
    model: str
    value: float
    ci_low: float
    ci_high: float
    n: int  # documents resampled (batches for speed)
    group: str = "headline"  # headline | per type | slice | speed
    label: str | None = None  # the type or slice of a per-type / slice figure


@dataclass
class Comparison:
    task: str
    metric: str
    name: str
    best: str
    other: str
    delta: float
    p_bootstrap: float
    p_randomization: float


@dataclass
class Confusion:
    model: str
    rows: list[str]
    cols: list[str]
    counts: np.ndarray


@dataclass
class Report:
    dataset: str
    split: str
    gold: list[Record]
    predictions: list[Prediction]
    figures: list[Figure] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    confusions: list[Confusion] = field(default_factory=list)
    learning_curve: dict[str, list[tuple[float, float]]] | None = None
    notes: list[str] = field(default_factory=list)
    bootstrap: int = 1000
    seed: int = 0

    @property
    def models(self) -> list[str]:
        return [p.name for p in self.predictions]


TASKS = {
    "entities": ("token-classification", "Named entity recognition"),
    "triggers": ("token-classification", "Event trigger detection"),
    "event-types": ("text-classification", "Event types (multi-label)"),
    "event-classification": ("text-classification", "Event type of a text (single label)"),
    "text-labels": ("text-classification", "Labels of a text classification set (multi-label, its own labels)"),
    "attribution": ("token-classification", "Attribution (source, cue, content)"),
    "speed": ("speed", "Speed on this machine"),
}


# --- gold data and predictions ---------------------------------------------------------------------------------

def load_gold(data: Path | str, split: str, **options) -> tuple[list[Record], str]:
    """Gold records of one split: a dataset folder, a records .jsonl or FORMAT:PATH (see toolkit.datasource)."""
    from ..datasource import data_name, load_split

    return load_split(data, split, **options), data_name(data)


HIDDEN_EXTRA = ("labels", *GOLD_LABEL_KEYS)  # gold labels of classification sets, kept in meta.extra


def blank(record: Record) -> Record:
    """A copy without any layer or gold label: what a model sees."""
    out = replace(copy.deepcopy(record), entities=[], events=[], attributions=[])
    out.meta.extra = {k: v for k, v in out.meta.extra.items() if k not in HIDDEN_EXTRA}
    return out


def word_count(text: str) -> int:
    return len(att_scores.WORD.findall(text))


def run_model(name: str, gold: list[Record], extractor=None, batches: int = SPEED_BATCHES) -> Prediction:
    """Predict with one extractor on blank copies, timing each batch (after one untimed warm-up document)."""
    from ..extract.registry import get_extractor

    extractor = extractor or get_extractor(name)
    extractor.predict([blank(gold[0])])
    out: list[Record] = []
    docs_rate, words_rate = [], []
    for part in np.array_split(np.arange(len(gold)), min(batches, len(gold))):
        inputs = [blank(gold[i]) for i in part]
        start = time.perf_counter()
        predicted = extractor.predict(inputs)
        seconds = max(time.perf_counter() - start, 1e-9)
        out.extend(predicted)
        docs_rate.append(len(inputs) / seconds)
        words_rate.append(sum(word_count(r.text) for r in inputs) / seconds)
    _check_aligned(out, gold, name)
    return Prediction(name, out, "extractor", docs_rate, words_rate, getattr(extractor, "task", None))


def _check_aligned(predicted: list[Record], gold: list[Record], where: str) -> None:
    for p, g in zip(predicted, gold):
        if p.id != g.id or p.text != g.text:
            raise ToolkitError(f"{where}: the prediction for {g.id} does not keep its id and text")


def read_predictions(path: Path, gold: list[Record]) -> list[Prediction]:
    """Predicted records from a JSONL file, one model per `model` field (else the file's name), checked against
    the gold documents: same ids and texts, labels from the inventory."""
    path = Path(path)
    if not path.is_file():
        raise ToolkitError(f"{path}: no such predictions file")
    gold_by_id = {r.id: r for r in gold}
    by_model: dict[str, dict[str, Record]] = {}
    for n, raw, error in read_numbered(path):
        try:
            if error:
                raise ValueError(error)
            record = Record.from_dict(raw)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ToolkitError(f"{path}:{n}: not a valid record ({err.__class__.__name__}: {err})") from None
        model = str(raw.get("model") or path.stem)
        if record.id not in gold_by_id:
            continue  # predictions for other splits or documents are ignored
        if record.text != gold_by_id[record.id].text:
            raise ToolkitError(f"{path}:{n} {record.id}: its text differs from the gold document's text")
        bad = _unknown_label(record)
        if bad:
            raise ToolkitError(f"{path}:{n} {record.id}: {bad} is not in the label inventory (schemas/labels.json)")
        seen = by_model.setdefault(model, {})
        if record.id in seen:
            raise ToolkitError(f"{path}:{n} {record.id}: a second prediction for this document (model {model})")
        seen[record.id] = record
    if not by_model:
        raise ToolkitError(f"{path}: no prediction for any of the {len(gold)} gold documents (ids differ?)")
    out = []
    for model, records in by_model.items():
        missing = [g.id for g in gold if g.id not in records]
        if missing:
            raise ToolkitError(f"{path}: model {model} has no prediction for {len(missing)} of {len(gold)} gold "
                               f"documents (first: {missing[0]})")
        out.append(Prediction(model, [records[g.id] for g in gold], f"predictions:{path.name}"))
    return out


def _unknown_label(record: Record) -> str | None:
    inv = inventory()
    checks = [("entity label", e.label, inv.entity_labels) for e in record.entities]
    checks += [("event type", e.type, inv.event_labels) for e in record.events]
    checks += [("modality", e.modality, inv.modality_labels) for e in record.events]
    checks += [("attribution kind", a.kind, inv.kind_labels) for a in record.attributions]
    for what, label, allowed in checks:
        if label not in allowed:
            return f"{what} '{label}'"
    return None


# --- scoring ---------------------------------------------------------------------------------------------------

@dataclass
class GoldView:
    """What every model is scored against, computed once: tokens, sentences, BIO tags, single labels."""

    records: list[Record]
    token_sents: list[list[list[int]]]  # per doc, per sentence: token indices (no whitespace tokens)
    docs: list  # spaCy Docs
    sentences: list[list[tuple[int, int]]]
    bio: list[list[list[str]]]
    single_labels: list[str | None]
    unmapped: list[str]


def gold_view(gold: list[Record]) -> GoldView:
    from ..nlp import parse
    from ..spans import bio_tags

    inv = inventory()
    mapping = inv.acled_to_event_type()
    docs, token_sents, sentences, bio, labels, unmapped = [], [], [], [], [], []
    for r in gold:
        doc = parse(r.text)
        docs.append(doc)
        sents = [[t.i for t in s if not t.is_space] for s in doc.sents]
        token_sents.append([s for s in sents if s])
        sentences.append([(s.start_char, s.end_char) for s in doc.sents])
        bio.append(_sentence_tags(bio_tags(doc, _entity_spans(r)), token_sents[-1]))
        raw = next((r.meta.extra[k] for k in GOLD_LABEL_KEYS if isinstance(r.meta.extra.get(k), str)), None)
        mapped = ev_scores.to_event_type(raw, mapping, inv.event_labels) if raw else None
        if raw and mapped is None:
            unmapped.append(raw)
        labels.append(mapped)
    return GoldView(gold, token_sents, docs, sentences, bio, labels, unmapped)


def _entity_spans(r: Record) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in r.entities]


def _event_tuples(r: Record) -> list[tuple[int, int, str, str]]:
    return [(e.trigger.start, e.trigger.end, e.type, e.modality) for e in r.events]


def _sentence_tags(tags: list[str], sents: list[list[int]]) -> list[list[str]]:
    return [[tags[i] for i in s] for s in sents]


def _prf_measures(rows: np.ndarray) -> dict[str, Measure]:
    """precision / recall / f1 of (n_docs, 3) tallies."""
    def ratio(k):
        return lambda c: np.where(c[..., k] > 0, c[..., 0] / np.where(c[..., k] > 0, c[..., k], 1), 0.0)

    return {"precision": Measure(rows, ratio(1)), "recall": Measure(rows, ratio(2)), "f1": Measure(rows, tally_f1)}


MetricSpec = tuple[str, str, str, Measure, str, str | None]  # task, metric, name, measure, group, label


def score_model(view: GoldView, pred: list[Record], slices: Sequence[att_scores.Slice]) -> tuple[list[MetricSpec], Confusion | None]:
    """Every figure of one model, as measures over the same documents."""
    from ..spans import bio_tags

    inv = inventory()
    gold = view.records
    specs: list[MetricSpec] = []
    add = lambda *s: specs.append(s)  # noqa: E731

    # entities
    scen = ent_scores.scenario_scores([_entity_spans(r) for r in gold], [_entity_spans(r) for r in pred],
                                      labels=inv.entity_labels)
    for sc in ent_scores.SCENARIOS:
        s = scen[sc]
        prf = lambda k, sc=sc: (lambda c: ent_scores.scenario_prf(c, sc)[k])  # noqa: E731
        for k, what in enumerate(("precision", "recall", "f1")):
            if sc == "strict" or what == "f1":
                add("entities", f"{what}_{sc}", f"{what.capitalize()} ({sc}, micro)", Measure(s.per_doc, prf(k)), "headline", None)
        if sc == "strict":
            add("entities", "macro_f1_strict", "F1 (strict, macro)",
                Measure(s.per_doc_type, lambda c, sc=sc: ent_scores.scenario_macro_f1(c, sc)), "headline", None)
            for t, label in enumerate(inv.entity_labels):
                if s.per_type[label].as_tuple() != (0, 0, 0, 0, 0):
                    add("entities", "f1_strict", f"F1 (strict) {label}", Measure(s.per_doc_type[:, t], prf(2)), "per type", label)
    pred_bio = [_sentence_tags(bio_tags(doc, _entity_spans(p)), sents)
                for doc, p, sents in zip(view.docs, pred, view.token_sents)]
    seq = ent_scores.seqeval_scores(view.bio, pred_bio, "default", labels=inv.entity_labels)
    add("entities", "seqeval_f1", "F1 (seqeval default mode, tokens, micro)",
        Measure(seq.per_doc_type, lambda c: tally_f1(c.sum(-2))), "headline", None)
    add("entities", "seqeval_macro_f1", "F1 (seqeval default mode, tokens, macro)",
        Measure(seq.per_doc_type, tally_macro_f1), "headline", None)

    # event triggers
    g_ev, p_ev = [_event_tuples(r) for r in gold], [_event_tuples(r) for r in pred]
    for how in ("exact", "overlap"):
        trig = ev_scores.trigger_scores(g_ev, p_ev, how, labels=inv.event_labels)
        suffix = "" if how == "exact" else "_overlap"
        add("triggers", f"identification_f1{suffix}", f"Trigger identification F1 ({how})",
            Measure(trig.identification, tally_f1), "headline", None)
        add("triggers", f"classification_f1{suffix}", f"Trigger classification F1 ({how})",
            Measure(trig.classification, tally_f1), "headline", None)
        if how == "exact":
            for what, m in _prf_measures(trig.classification).items():
                if what != "f1":
                    add("triggers", f"classification_{what}", f"Trigger classification {what} (exact)", m, "headline", None)
            add("triggers", "classification_macro_f1", "Trigger classification F1 (exact, macro)",
                Measure(trig.per_type, tally_macro_f1), "headline", None)
            add("triggers", "modality_accuracy", "Modality accuracy (identified triggers)",
                Measure(trig.modality, _accuracy), "headline", None)
            totals = trig.per_type.sum(0)
            for k, label in enumerate(trig.types):
                if totals[k, 1] + totals[k, 2] > 0:
                    add("triggers", "classification_f1", f"Trigger classification F1 {label}",
                        Measure(trig.per_type[:, k], tally_f1), "per type", label)
            confusion = _trigger_confusion(g_ev, p_ev)

    # event types, multi-label
    for unit in ("sentence", "document"):
        g_sets = [ev_scores.label_sets(e, s if unit == "sentence" else None) for e, s in zip(g_ev, view.sentences)]
        p_sets = [ev_scores.label_sets(e, s if unit == "sentence" else None) for e, s in zip(p_ev, view.sentences)]
        ml = ev_scores.multilabel_scores(g_sets, p_sets, labels=inv.event_labels)
        add("event-types", f"{unit}_micro_f1", f"{unit.capitalize()}-level F1 (micro)",
            Measure(ml.per_doc_label, lambda c: tally_f1(c.sum(-2))), "headline", None)
        add("event-types", f"{unit}_macro_f1", f"{unit.capitalize()}-level F1 (macro)",
            Measure(ml.per_doc_label, tally_macro_f1), "headline", None)
        add("event-types", f"{unit}_samples_f1", f"{unit.capitalize()}-level F1 (example-based)",
            Measure(ml.per_doc_samples, _accuracy), "headline", None)

    # text classification sets with their own labels (e.g. IndiaPoliceEvents): meta.extra["labels"] per text
    if all(isinstance(r.meta.extra.get("labels"), list) for r in gold):
        g_sets = [[set(r.meta.extra["labels"])] for r in gold]
        p_sets = [[set(r.meta.extra.get("labels") or [])] for r in pred]
        ml = ev_scores.multilabel_scores(g_sets, p_sets)
        add("text-labels", "micro_f1", "Label F1 (micro)", Measure(ml.per_doc_label, lambda c: tally_f1(c.sum(-2))),
            "headline", None)
        add("text-labels", "macro_f1", "Label F1 (macro)", Measure(ml.per_doc_label, tally_macro_f1), "headline", None)
        add("text-labels", "samples_f1", "Label F1 (example-based; empty = 0)", Measure(ml.per_doc_samples, _accuracy),
            "headline", None)
        ml1 = ev_scores.multilabel_scores(g_sets, p_sets, zero_division=1.0)
        add("text-labels", "samples_f1_empty1", "Label F1 (example-based; empty = 1)",
            Measure(ml1.per_doc_samples, _accuracy), "headline", None)

    # single-label classification, where gold labels exist
    keep = [i for i, lab in enumerate(view.single_labels) if lab is not None]
    if keep:
        clf = ev_scores.classification_scores([view.single_labels[i] for i in keep],
                                              [[e[2] for e in p_ev[i]] for i in keep])
        right = np.array([[g == p, 1] for g, p in zip(clf.gold, clf.predicted)], dtype=float)
        add("event-classification", "accuracy", "Accuracy (top predicted type)", Measure(right, _accuracy), "headline", None)
        add("event-classification", "macro_f1", "Macro-F1 (top predicted type, gold classes)",
            Measure(clf.per_doc_class, ev_scores.macro_over_all), "headline", None)

    # attribution
    att = att_scores.attribution_scores([r.text for r in gold], [r.attributions for r in gold],
                                        [r.attributions for r in pred], [r.events for r in gold],
                                        [r.events for r in pred], slices)
    A = att_scores.AttributionScores
    add("attribution", "detection_f1", "Attribution detection F1 (cue overlap)",
        Measure(att.column(A.DETECTION), tally_f1), "headline", None)
    for role in att_scores.ROLES:
        add("attribution", f"{role}_exact_f1", f"{role.capitalize()} F1 (exact)",
            Measure(att.column(A.exact_index(role)), tally_f1), "headline", None)
        add("attribution", f"{role}_token_f1", f"{role.capitalize()} F1 (token overlap)",
            Measure(att.column(A.token_index(role)), tally_f1), "headline", None)
    add("attribution", "relation_exact_f1", "Relation F1 (all roles exact)",
        Measure(att.column(A.RELATION_EXACT), tally_f1), "headline", None)
    add("attribution", "relation_overlap_f1", "Relation F1 (all roles overlap)",
        Measure(att.column(A.RELATION_OVERLAP), tally_f1), "headline", None)
    add("attribution", "claim_provenance", "Claim provenance accuracy (claimed_by matches)",
        Measure(att.provenance[:, [0, 2]], _accuracy), "headline", None)
    add("attribution", "claim_provenance_source", "Claim provenance accuracy (and source exact)",
        Measure(att.provenance[:, [1, 2]], _accuracy), "headline", None)
    for name in att.slice_names:
        for overlap in (False, True):
            col = att.column(att.slice_index(name, overlap))
            if col[:, 1:].sum() > 0:
                how = "overlap" if overlap else "exact"
                add("attribution", f"relation_{how}_f1", f"Relation F1 ({how}) {name}", Measure(col, tally_f1), "slice", name)
    return specs, confusion


def _accuracy(c: np.ndarray) -> np.ndarray:
    """(right, total) summed -> share right; also the mean of per-item values given as (sum, count)."""
    return np.where(c[..., 1] > 0, c[..., 0] / np.where(c[..., 1] > 0, c[..., 1], 1), 0.0)


MISSED, SPURIOUS = "(missed)", "(spurious)"


def _trigger_confusion(gold_docs, pred_docs) -> tuple[list[str], list[str], np.ndarray]:
    """Gold type × predicted type over triggers matched by exact offsets; unmatched ones as missed / spurious."""
    cells: dict[tuple[str, str], int] = {}
    for g, p in zip(gold_docs, pred_docs):
        g, p = sorted(set(g)), sorted(set(p))
        pairs = ev_scores.match_triggers(g, p, "exact")
        for i, j in pairs:
            cells[g[i][2], p[j][2]] = cells.get((g[i][2], p[j][2]), 0) + 1
        for i in set(range(len(g))) - {i for i, _ in pairs}:
            cells[g[i][2], MISSED] = cells.get((g[i][2], MISSED), 0) + 1
        for j in set(range(len(p))) - {j for _, j in pairs}:
            cells[SPURIOUS, p[j][2]] = cells.get((SPURIOUS, p[j][2]), 0) + 1
    labels = inventory().event_labels
    rows = [t for t in labels if any(k[0] == t for k in cells)] + ([SPURIOUS] if any(k[0] == SPURIOUS for k in cells) else [])
    cols = [t for t in labels if any(k[1] == t for k in cells)] + ([MISSED] if any(k[1] == MISSED for k in cells) else [])
    m = np.zeros((len(rows), len(cols)), dtype=int)
    for (r, c), v in cells.items():
        m[rows.index(r), cols.index(c)] = v
    return rows, cols, m


# --- the library function ----------------------------------------------------------------------------------------

def evaluate(models: Sequence[str], data: Path, split: str = "test", out: Path | None = None, bootstrap: int = 1000,
             seed: int = 0, predictions: Sequence[Path] | None = None,
             learning_curve: dict[str, list[tuple[float, float]]] | None = None,
             progress: Callable[[str], None] | None = None, data_options: dict | None = None,
             with_text: bool = True) -> Report:
    """Score every model (extractor names and predictions files) on DATA's SPLIT and write the report to OUT."""
    if not models and not predictions:
        raise ToolkitError("nothing to evaluate: give at least one --model or --predictions file")
    if bootstrap < 0:
        raise ToolkitError(f"--bootstrap must be 0 or more, not {bootstrap}")
    gold, dataset = load_gold(data, split, **(data_options or {}))
    from ..extract.registry import get_extractor

    # get_extractor also takes trained model folders: whatever it learns to load is evaluated here unchanged
    extractors = {name: get_extractor(name) for name in models}  # an unknown model fails before any work
    runs: list[Prediction] = [p for path in predictions or [] for p in read_predictions(Path(path), gold)]
    for name, extractor in extractors.items():
        progress and progress(name)
        runs.append(run_model(name, gold, extractor))
    names = [p.name for p in runs]
    if len(set(names)) != len(names):
        raise ToolkitError(f"two models share a name ({', '.join(sorted({n for n in names if names.count(n) > 1}))}); "
                           "rename a predictions file or its `model` field")
    report = Report(dataset, split, gold, runs, learning_curve=learning_curve, bootstrap=bootstrap, seed=seed)
    score(report)
    if out is not None:
        from ..report import write_report

        write_report(report, Path(out), with_text)
    return report


def score(report: Report) -> Report:
    """Fill the report's figures, comparisons and confusions from its gold records and predictions."""
    inv = inventory()
    rng = np.random.default_rng(report.seed)
    weights = resample_weights(len(report.gold), report.bootstrap, rng)
    view = gold_view(report.gold)
    pronouns = frozenset(_pronouns())
    slices = att_scores.default_slices(inv.kind_labels, pronouns)
    by_model: dict[str, dict[tuple[str, str, str | None], tuple[MetricSpec, Measure]]] = {}
    annotated = annotated_tasks(report.gold)
    skipped = {t for t in ("entities", "triggers", "attribution") if t not in annotated}
    if skipped:
        report.notes.append(f"The reference annotates no {', '.join(sorted(skipped))}: "
                            "those layers are not scored.")
    for run in report.predictions:
        specs, confusion = score_model(view, run.records, slices)
        if run.covers("triggers"):
            report.confusions.append(Confusion(run.name, *confusion))
        by_model[run.name] = {}
        for spec in specs:
            task, metric, name, measure, group, label = spec
            if not run.covers(task) or task not in annotated:
                continue
            if metric.startswith("claim_provenance") and run.task is not None:
                continue  # a one-layer model predicts no events, so no claim links
            lo, hi = bootstrap_ci(measure, weights)
            report.figures.append(Figure(task, metric, name, run.name, measure.value, lo, hi, measure.n, group, label))
            by_model[run.name][(task, metric, label)] = (spec, measure)
        if run.docs_per_s:
            for metric, name, rates in (("docs_per_second", "Documents per second", run.docs_per_s),
                                        ("words_per_second", "Words per second", run.words_per_s)):
                mean, lo, hi = mean_ci(np.array(rates), rng, report.bootstrap)
                report.figures.append(Figure("speed", metric, name, run.name, mean, lo, hi, len(rates), "speed"))
    if view.unmapped:
        report.notes.append(f"{len(view.unmapped)} document(s) with a single gold label that maps to no event type "
                            f"were left out of event classification (e.g. '{view.unmapped[0]}').")
    methods = sorted({r.provenance.method for r in report.gold})
    if methods != ["gold"]:
        report.notes.append(f"The reference annotations are not all human ('gold'): provenance methods {', '.join(methods)}.")
    if len(report.predictions) > 1:
        _compare(report, by_model, rng, weights)
    return report


def annotated_tasks(gold: list[Record]) -> set[str]:
    """Figure tasks the reference can score: a layer with no annotation in any document is not scored."""
    tasks = {"event-classification", "text-labels"}
    if any(r.entities for r in gold):
        tasks.add("entities")
    if any(r.events for r in gold):
        tasks |= {"triggers", "event-types"}
    if any(r.attributions for r in gold):
        tasks.add("attribution")
    return tasks


def _compare(report: Report, by_model, rng: np.random.Generator, weights: np.ndarray) -> None:
    """Each headline figure: the best model against every other one."""
    specs = {key: spec for m in report.models for key, (spec, _) in by_model[m].items()}
    for key, spec in specs.items():
        if spec[4] != "headline":
            continue
        values = {m: by_model[m][key][1].value for m in report.models if key in by_model[m]}
        best = max(values, key=lambda m: values[m])
        for other in values:
            if other == best:
                continue
            a, b = by_model[best][key][1], by_model[other][key][1]
            report.comparisons.append(Comparison(
                spec[0], spec[1], spec[2], best, other, values[best] - values[other],
                paired_bootstrap_p(a, b, weights), approximate_randomization_p(a, b, rng, report.bootstrap)))


def _pronouns() -> list[str]:
    from importlib import resources

    path = resources.files("toolkit") / "lexicons" / "attribution_cues.json"
    return json.loads(path.read_text(encoding="utf-8"))["pronouns"]
