"""Scorers against the standard implementations (nervaluate, seqeval, scikit-learn) and their own properties."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2
from sklearn.metrics import accuracy_score
from sklearn.metrics import f1_score as sk_f1
from sklearn.preprocessing import MultiLabelBinarizer

from conftest import needs_shared, shared_dir
from toolkit.evaluate import attribution as A
from toolkit.evaluate import entities as E
from toolkit.evaluate import events as V
from toolkit.evaluate.counts import tally_f1
from toolkit.evaluate.significance import (Measure, approximate_randomization_p, bootstrap_ci, paired_bootstrap_p,
                                           resample_weights)
from toolkit.records import Attribution, Span

LABELS = ["PER", "ORG", "LOC"]
settings.register_profile("scorers", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("scorers")


@st.composite
def span_docs(draw, length: int = 40):
    docs = []
    for _ in range(draw(st.integers(1, 4))):
        spans = set()
        for _ in range(draw(st.integers(0, 6))):
            s = draw(st.integers(0, length - 1))
            e = draw(st.integers(s + 1, min(length, s + 7)))
            spans.add((s, e, draw(st.sampled_from(LABELS))))
        docs.append(sorted(spans))
    return docs


def _nervaluate(gold, pred):
    as_dicts = lambda docs: [[{"label": l, "start": s, "end": e - 1} for s, e, l in d] for d in docs]  # noqa: E731
    return Evaluator(as_dicts(gold), as_dicts(pred), LABELS, loader="dict").evaluate()


def _assert_same_as_nervaluate(gold, pred):
    ours = E.scenario_scores(gold, pred)
    theirs = _nervaluate(gold, pred)
    for scenario, name in E.NERVALUATE_NAME.items():
        r = theirs["overall"][name]
        assert ours[scenario].overall.as_tuple() == (r.correct, r.incorrect, r.partial, r.missed, r.spurious), scenario
        assert ours[scenario].micro.f1 == pytest.approx(r.f1)
        assert ours[scenario].micro.precision == pytest.approx(r.precision)
        for label, by_scenario in theirs["entities"].items():
            t = by_scenario[name]
            assert ours[scenario].per_type[label].as_tuple() == (t.correct, t.incorrect, t.partial, t.missed, t.spurious)
            assert ours[scenario].per_type[label].prf(scenario).f1 == pytest.approx(t.f1)


@given(span_docs(), st.data())
def test_scenario_counts_equal_nervaluate(gold, data):
    pred = data.draw(span_docs().filter(lambda d: len(d) == len(gold)))
    _assert_same_as_nervaluate(gold, pred)


@given(span_docs())
def test_scenario_counts_equal_nervaluate_on_shifted_predictions(gold):
    """Predictions near the gold ones: boundary and type errors, not just noise."""
    pred = [[(max(0, s - (i % 2)), e + (i % 3 == 0), LABELS[(LABELS.index(l) + (i % 4 == 1)) % 3])
             for i, (s, e, l) in enumerate(doc)] for doc in gold]
    _assert_same_as_nervaluate(gold, [sorted(set(d)) for d in pred])


TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "I-LOC", "B-LOC"]


@st.composite
def tag_docs(draw):
    shape = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4))
    gold = [[draw(st.sampled_from(TAGS)) for _ in range(n)] for n in shape]
    pred = [[draw(st.sampled_from(TAGS)) for _ in range(n)] for n in shape]
    return gold, pred


@given(tag_docs())
def test_seqeval_modes_equal_seqeval(docs):
    gold, pred = docs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mode, kw in (("default", {}), ("strict", {"mode": "strict", "scheme": IOB2})):
            ours = E.seqeval_scores([gold], [pred], mode)
            micro, macro = seqeval_f1(gold, pred, **kw), seqeval_f1(gold, pred, average="macro", **kw)
            # no entity on either side: seqeval gives nan for the macro mean over no labels; ours is 0
            assert ours.micro.f1 == pytest.approx(0.0 if np.isnan(micro) else micro)
            assert ours.macro_f1 == pytest.approx(0.0 if np.isnan(macro) else macro)


@given(tag_docs())
def test_strict_span_f1_equals_seqeval_strict(docs):
    """Strict-scenario F1 over spans decoded as IOB2 is seqeval's strict mode."""
    gold, pred = docs
    g = [E.bio_entities(tags, "strict") for tags in gold]
    p = [E.bio_entities(tags, "strict") for tags in pred]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = seqeval_f1(gold, pred, mode="strict", scheme=IOB2)
    assert E.scenario_scores(g, p)["strict"].micro.f1 == pytest.approx(expected)


def test_bio_modes_differ_on_a_stray_inside_tag():
    assert E.bio_entities(["O", "I-PER", "I-PER"], "default") == [(1, 3, "PER")]
    assert E.bio_entities(["O", "I-PER", "I-PER"], "strict") == []


EVENT_TYPES = ["STRIKE", "CLASH", "TALKS", "AID"]
label_set = st.sets(st.sampled_from(EVENT_TYPES), max_size=3)


@given(st.lists(st.lists(st.tuples(label_set, label_set), min_size=1, max_size=5), min_size=1, max_size=4),
       st.sampled_from([0.0, 1.0]))
def test_multilabel_f1_equals_scikit_learn(docs, zero_division):
    gold = [[g for g, _ in doc] for doc in docs]
    pred = [[p for _, p in doc] for doc in docs]
    ours = V.multilabel_scores(gold, pred, zero_division=zero_division)
    flat_g = [x for d in gold for x in d]
    flat_p = [x for d in pred for x in d]
    present = sorted(set().union(*flat_g, *flat_p))
    if not present:
        assert ours.micro_f1 == ours.macro_f1 == 0.0
        return
    mlb = MultiLabelBinarizer(classes=EVENT_TYPES).fit([EVENT_TYPES])  # 4 columns: always multi-label to sklearn
    y, yhat = mlb.transform(flat_g), mlb.transform(flat_p)
    labels = [EVENT_TYPES.index(x) for x in present]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for avg, value in (("micro", ours.micro_f1), ("macro", ours.macro_f1), ("samples", ours.samples_f1)):
            assert value == pytest.approx(sk_f1(y, yhat, labels=labels, average=avg, zero_division=zero_division)), avg


@given(st.lists(st.tuples(st.sampled_from(EVENT_TYPES), st.lists(st.sampled_from(EVENT_TYPES), max_size=4)),
                min_size=1, max_size=20))
def test_single_label_scores_equal_scikit_learn(items):
    gold = [g for g, _ in items]
    predicted = [p for _, p in items]
    ours = V.classification_scores(gold, predicted)
    top = [V.top_type(p) for p in predicted]
    assert ours.accuracy == pytest.approx(accuracy_score(gold, top))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ours.macro_f1 == pytest.approx(sk_f1(gold, top, labels=sorted(set(gold)), average="macro", zero_division=0))


def test_top_type_breaks_ties_by_first_mention_and_acled_labels_map():
    assert V.top_type(["TALKS", "AID", "AID", "TALKS"]) == "TALKS"
    assert V.top_type([]) == V.NO_PREDICTION
    from toolkit.schema import inventory

    inv = inventory()
    table = inv.acled_to_event_type()
    sub, ours = next(iter(table.items()))
    assert V.to_event_type(sub, table, inv.event_labels) == ours
    assert V.to_event_type(ours, table, inv.event_labels) == ours
    assert V.to_event_type("not an ACLED label", table, inv.event_labels) is None


def test_triggers_exact_and_overlap():
    gold = [[(0, 7, "STRIKE", "asserted"), (20, 26, "TALKS", "hypothetical")]]
    pred = [[(0, 7, "CLASH", "asserted"), (21, 26, "TALKS", "asserted"), (40, 44, "AID", "asserted")]]
    exact = V.trigger_scores(gold, pred, "exact")
    assert exact.identification.sum(0).tolist() == [1, 3, 2]
    assert exact.classification.sum(0).tolist() == [0, 3, 2]
    assert exact.modality_accuracy == 1.0
    overlap = V.trigger_scores(gold, pred, "overlap")
    assert overlap.identification.sum(0).tolist() == [2, 3, 2]
    assert overlap.classification.sum(0).tolist() == [1, 3, 2]
    assert overlap.modality_accuracy == 0.5


# --- attribution --------------------------------------------------------------------------------------------------

TEXT = 'Officials said the strike killed five. "We will respond," he said, according to Reuters, on Monday night.'


@st.composite
def attributions(draw):
    out = []
    for k in range(draw(st.integers(0, 4))):
        spans = lambda lo, n: [Span(s, s + draw(st.integers(1, 6))) for s in  # noqa: E731
                               draw(st.lists(st.integers(lo, len(TEXT) - 7), min_size=n, max_size=n + 1, unique=True))]
        out.append(Attribution(f"A{k + 1}", cue=spans(0, 1), content=spans(0, 1),
                               source=spans(0, 0) if draw(st.booleans()) else [], kind=draw(st.sampled_from(["direct", "indirect"])),
                               anonymous=draw(st.booleans())))
    return out


SLICES = A.default_slices(["direct", "indirect", "mixed"], frozenset({"he", "she", "they"}))


@given(attributions(), attributions())
def test_attribution_f1_is_symmetric(gold, pred):
    ab = A.attribution_scores([TEXT], [gold], [pred], slices=SLICES)
    ba = A.attribution_scores([TEXT], [pred], [gold], slices=SLICES)
    f1_ab = tally_f1(ab.per_doc.reshape(-1, 3))
    f1_ba = tally_f1(ba.per_doc.reshape(-1, 3))
    assert np.allclose(f1_ab, f1_ba)
    assert A.match_attributions(TEXT, gold, pred) == sorted((i, j) for j, i in A.match_attributions(TEXT, pred, gold))


@given(attributions())
def test_perfect_attribution_prediction_scores_one(gold):
    scores = A.attribution_scores([TEXT], [gold], [list(gold)], slices=SLICES)
    tallies = scores.per_doc.reshape(-1, 3)
    present = tallies[:, 2] > 0
    assert np.allclose(tally_f1(tallies)[present], 1.0)
    assert np.array_equal(tallies[:, 1], tallies[:, 2])  # as many predicted as gold, everywhere


def test_attribution_empty_cases_are_zero_with_zero_counts():
    empty = A.attribution_scores([TEXT], [[]], [[]])
    assert not empty.per_doc.any()
    assert A.attribution_scores([], [], []).per_doc.shape == (0, 27)


def _at(s: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(s, start + 1)
    return Span(start, start + len(s))


def test_attribution_roles_trimmed_matching_and_slices():
    gold = [Attribution("A1", cue=[_at("said")], content=[_at("the strike killed five")], source=[_at("Officials")],
                        kind="indirect", anonymous=True),
            Attribution("A2", cue=[_at("said", 1)], content=[_at('"We will respond,"')], source=[_at("he")], kind="direct")]
    quoted = _at('"We will respond,"')
    pred = [Attribution("A1", cue=[_at("said", 1)], content=[Span(quoted.start + 1, quoted.end - 2)], source=[_at("he")],
                        kind="direct"),
            Attribution("A2", cue=[_at("according to")], content=[_at("on Monday night")], source=[_at("Reuters")])]
    doc, pairs = A.score_document(TEXT, gold, pred, SLICES)
    assert pairs == [(1, 0)]  # gold A2 <-> pred A1 by cue; pred A2's cue overlaps no gold cue
    assert doc.exact["content"].tp == 1  # quotation marks and comma trimmed away
    assert doc.relation_exact.as_tuple() == (1, 2, 2)
    assert doc.slices["pronoun source"][0].as_tuple() == (1, 1, 1)
    assert doc.slices["according to"][0].as_tuple() == (0, 1, 0)
    assert doc.slices["anonymous source"][0].as_tuple() == (0, 0, 1)


# --- significance ---------------------------------------------------------------------------------------------------

def test_bootstrap_interval_and_tests():
    rng = np.random.default_rng(0)
    gold = rng.integers(1, 5, size=60)
    good = np.stack([np.minimum(gold, rng.integers(1, 5, 60)), gold, gold], 1).astype(float)
    bad = np.stack([np.zeros(60), gold, gold], 1).astype(float)
    a, b = Measure(good, tally_f1), Measure(bad, tally_f1)
    w = resample_weights(60, 500, np.random.default_rng(1))
    lo, hi = bootstrap_ci(a, w)
    assert lo <= a.value <= hi and lo < hi
    assert paired_bootstrap_p(a, b, w) < 0.01
    assert approximate_randomization_p(a, b, np.random.default_rng(2), 500) < 0.01
    assert paired_bootstrap_p(a, a, w) == 1.0
    assert approximate_randomization_p(a, a, np.random.default_rng(2), 200) == 1.0
    again = resample_weights(60, 500, np.random.default_rng(1))
    assert np.array_equal(w, again)


# --- real predictions (re3d's human entity annotations against the rule extractor) ------------------------------------

@needs_shared
def test_scorers_agree_on_real_predictions():
    from toolkit.extract.registry import get_extractor
    from toolkit.nlp import parse
    from toolkit.records import Record
    from toolkit.schema import inventory
    from toolkit.spans import bio_tags

    mapping = inventory().entity_mapping("re3d")
    lines = (shared_dir() / "corpora" / "re3d.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    rows = [json.loads(line) for line in lines]
    rules = get_extractor("rules")
    gold_spans, pred_spans, gold_tags, pred_tags = [], [], [], []
    for row in rows:
        gold = sorted({(e["start"], e["end"], mapping[e["label"]][0]) for e in row["reference_entities"] if mapping[e["label"]]})
        pred = sorted({(e.start, e.end, e.label) for e in rules.predict([Record(row["id"], row["text"])])[0].entities})
        gold_spans.append(gold)
        pred_spans.append(pred)
        doc = parse(row["text"])
        sents = [[t.i for t in s if not t.is_space] for s in doc.sents]
        g, p = bio_tags(doc, gold), bio_tags(doc, pred)
        gold_tags.append([[g[i] for i in s] for s in sents if s])
        pred_tags.append([[p[i] for i in s] for s in sents if s])
    assert sum(map(len, gold_spans)) > 50 and sum(map(len, pred_spans)) > 50
    labels = inventory().entity_labels
    ours = E.scenario_scores(gold_spans, pred_spans)
    as_dicts = lambda docs: [[{"label": l, "start": s, "end": e - 1} for s, e, l in d] for d in docs]  # noqa: E731
    theirs = Evaluator(as_dicts(gold_spans), as_dicts(pred_spans), labels, loader="dict").evaluate()
    for scenario, name in E.NERVALUATE_NAME.items():
        r = theirs["overall"][name]
        assert ours[scenario].overall.as_tuple() == (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
    flat_g = [s for d in gold_tags for s in d]
    flat_p = [s for d in pred_tags for s in d]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = E.seqeval_scores(gold_tags, pred_tags, "default")
        strict = E.seqeval_scores(gold_tags, pred_tags, "strict")
        assert default.micro.f1 == pytest.approx(seqeval_f1(flat_g, flat_p))
        assert default.macro_f1 == pytest.approx(seqeval_f1(flat_g, flat_p, average="macro"))
        assert strict.micro.f1 == pytest.approx(seqeval_f1(flat_g, flat_p, mode="strict", scheme=IOB2))
