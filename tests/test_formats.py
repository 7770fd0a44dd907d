"""Importers and exporters: round trips keep offsets and ids; importing never drops an annotation silently."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

import toolkit.cli.export  # noqa: F401  (registers the command)
import toolkit.cli.import_  # noqa: F401  (registers the command)
from toolkit.records import read_records
from toolkit.attribution import derive
from toolkit.cli._app import app
from toolkit.formats import export_records, exporters, import_records, importers
from toolkit.formats.transfer import export, import_
from toolkit.records import Attribution, Entity, Event, Meta, Provenance, Record, Span
from toolkit.schema import inventory
from toolkit.validate import validate_record
from conftest import AP_ID, EXAMPLES, needs_shared, shared_dir
from records_fixture import make_record

OURS = ["brat", "conll", "doccano", "prodigy", "spacy"]

# Which parts of a record each format carries; the rest is left out of the comparison.
CARRIES = {
    "doccano": {"meta", "split", "cleaning", "entities", "events", "attributions"},
    "spacy": {"meta", "split", "cleaning", "entities", "events", "attributions"},
    "brat": {"entities", "events", "attributions"},
    "prodigy": {"meta", "split", "cleaning", "entities"},
    "conll": {"entities"},
}
LAYERS = ("entities", "events", "attributions")
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "kilo", "lima",
         "mike", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "victor", "whiskey", "zulu"]


def carried(record: Record, fmt: str) -> dict:
    d = record.to_dict()
    keep = {"id", "text", "text_sha256", "schema_version"} | CARRIES[fmt]
    out = {k: v for k, v in d.items() if k in keep}
    for layer in LAYERS:
        out[layer] = sorted(out.get(layer, []), key=lambda x: x["id"])
    if "meta" not in CARRIES[fmt]:
        out.pop("meta", None)
    return out


def round_trip(fmt: str, records: list[Record], where: Path, **options) -> tuple[list[Record], list[str]]:
    out = where / f"export.{fmt}"
    notes = export_records(fmt, records, out)
    if fmt == "prodigy":  # the annotator accepts every task as it is
        tasks = [dict(json.loads(line), answer="accept") for line in out.read_text(encoding="utf-8").splitlines()]
        out.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    result = import_records(fmt, out, **options)
    assert result.problems == []
    return result.records, notes


# ---------------------------------------------------------------- random records


@st.composite
def documents(draw, events: bool = True, attributions: bool = True, discontinuous: bool = True,
              text_order_ids: bool = False, meta: bool = True, attribution_ids_kept: bool = False) -> Record:
    inv = inventory()
    words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=30))
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    span = lambda i, j: Span(starts[i], starts[j - 1] + len(words[j - 1]))

    entities, i = [], 0
    while i < len(words):
        if draw(st.booleans()):
            n = draw(st.integers(1, min(3, len(words) - i)))
            sp = span(i, i + n)
            entities.append(Entity("", sp.start, sp.end, draw(st.sampled_from(inv.entity_labels))))
            i += n
        i += 1
    evs = []
    if events:
        for k in sorted(draw(st.sets(st.integers(0, len(words) - 1), max_size=4))):
            evs.append(Event("", span(k, k + 1), draw(st.sampled_from(inv.event_labels)),
                             draw(st.sampled_from(inv.modality_labels))))
    atts = []
    if attributions:
        free = 0  # attributions take disjoint blocks of words, left to right: source? cue content [cue-2 content-2]
        for _ in range(draw(st.integers(0, 2))):
            n_src = draw(st.integers(0, 2))
            n_con = draw(st.integers(1, 3))
            split = discontinuous and draw(st.booleans())
            need = n_src + 1 + n_con + (2 if split else 0)
            if free + need > len(words):
                break
            k = free
            source = [span(k, k + n_src)] if n_src else []
            k += n_src
            cue = [span(k, k + 1)]
            content = [span(k + 1, k + 1 + n_con)]
            k += 1 + n_con
            if split:  # a second cue piece and a second content piece: discontinuous spans
                cue.append(span(k, k + 1))
                content.append(span(k + 1, k + 2))
                k += 2
            anonymous = draw(st.booleans()) if source else True
            atts.append(Attribution("", cue, content, source, anonymous=anonymous))
            free = k + draw(st.integers(0, 2))
    _ids(draw, entities, "T", text_order_ids)
    _ids(draw, evs, "E", text_order_ids)
    _ids(draw, atts, "A", not attribution_ids_kept)
    m = Meta()
    split = None
    if meta:
        m = Meta(title=draw(st.sampled_from([None, "A title", "Überschrift"])), license="CC-BY-4.0",
                 redistributable=True, extra={"n": draw(st.integers(0, 9))})
        split = draw(st.sampled_from([None, *inv.splits]))
    rid = "doc-" + draw(st.text("abcxyz019", min_size=1, max_size=6))
    record = Record(rid, text, m, entities, evs, atts, Provenance("rules", "toolkit-rules", "2026-01-01T00:00:00+00:00"),
                    split=split)
    return derive(record)


def _ids(draw, items: list, prefix: str, in_order: bool) -> None:
    """Ids in list order (1, 2, ...) or any distinct numbers, for formats that keep them."""
    numbers = list(range(1, len(items) + 1)) if in_order else draw(
        st.permutations(sorted(draw(st.sets(st.integers(1, 500), min_size=len(items), max_size=len(items))))))
    for item, n in zip(items, numbers):
        item.id = f"{prefix}{n}"


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(fmt: str, records: list[Record], **options) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back, _ = round_trip(fmt, records, Path(tmp), **options)
    by_id = lambda rs: sorted(rs, key=lambda r: r.id)
    got, want = [carried(r, fmt) for r in by_id(back)], [carried(r, fmt) for r in by_id(records)]
    assert got == want
    for r in back:
        assert validate_record(r.to_dict()) == []
        assert r.provenance.method == "gold" and r.provenance.tool == fmt
        assert r.provenance.pre_annotation == ("rules" if "meta" in CARRIES[fmt] else None)


@PROPERTY
@given(st.lists(documents(attribution_ids_kept=True), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_doccano_round_trip(records):
    _check("doccano", records)


@PROPERTY
@given(st.lists(documents(attribution_ids_kept=True), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_spacy_round_trip(records):
    _check("spacy", records)


@PROPERTY
@given(st.lists(documents(meta=False), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_brat_round_trip(records):
    _check("brat", records)


@PROPERTY
@given(st.lists(documents(events=False, attributions=False), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_prodigy_round_trip(records):
    _check("prodigy", records)


@PROPERTY
@given(st.lists(documents(events=False, attributions=False, text_order_ids=True, meta=False), min_size=1,
                max_size=3, unique_by=lambda r: r.id))
def test_conll_round_trip(records):
    _check("conll", records)


def test_every_format_of_this_module_is_registered_both_ways():
    assert set(OURS) <= set(importers()) and set(OURS) <= set(exporters())


# ---------------------------------------------------------------- the AP article


@pytest.fixture(scope="module")
def ap_records(tmp_path_factory):
    from toolkit.annotate import annotate

    out = tmp_path_factory.mktemp("ap")
    result = annotate([EXAMPLES / f"{AP_ID}.txt"], out)
    assert result.records and result.records[0].entities and result.records[0].attributions
    return result.records


@pytest.mark.parametrize("fmt", ["doccano", "spacy", "brat", "prodigy"])
def test_ap_article_round_trip(fmt, ap_records, tmp_path):
    back, _ = round_trip(fmt, ap_records, tmp_path)
    assert [carried(r, fmt) for r in back] == [carried(r, fmt) for r in ap_records]


def test_ap_article_through_conll_keeps_entity_words_and_labels(ap_records, tmp_path):
    from toolkit.spans import outermost

    back, notes = round_trip("conll", ap_records, tmp_path)
    before, after = ap_records[0], back[0]
    kept = outermost([(e.start, e.end, e.label) for e in before.entities])
    squash = lambda s: s.replace(" ", "").replace("\n", "")
    assert [(squash(before.text[s:e]), label) for s, e, label in kept] == \
        [(squash(after.text[e.start:e.end]), e.label) for e in after.entities]
    assert after.id == before.id
    assert any("events and attribution are not" in n for n in notes)


# ---------------------------------------------------------------- concrete files


def test_brat_discontinuous_content_modality_and_anonymous(tmp_path):
    text = "Kyiv said the strike, which hit Odesa, did not kill anyone."
    (tmp_path / "d1.txt").write_text(text, encoding="utf-8")
    at = lambda s: (text.index(s), text.index(s) + len(s))
    (tmp_path / "d1.ann").write_text("\n".join([
        "T3\tGPE %d %d\tKyiv" % at("Kyiv"),
        "T8\tGPE %d %d\tOdesa" % at("Odesa"),
        "T20\tCASUALTIES %d %d\tkill" % at("kill"),
        "E4\tCASUALTIES:T20",
        "A1\tModality E4 negated",
        "T21\tAttribution %d %d\tsaid" % at("said"),
        "T22\tSource %d %d\tKyiv" % at("Kyiv"),
        "T23\tContent %d %d;%d %d\tthe strike did not kill anyone" % (*at("the strike"), *at("did not kill anyone")),
        "E9\tAttribution:T21 Source:T22 Content:T23",
        "#1\tAnnotatorNotes T3\ta note",
    ]) + "\n", encoding="utf-8")
    result = import_records("brat", tmp_path, annotator="ann1")
    assert result.problems == []
    (rec,) = result.records
    assert rec.id == "d1"
    assert [(e.id, e.label, text[e.start:e.end]) for e in rec.entities] == [("T3", "GPE", "Kyiv"), ("T8", "GPE", "Odesa")]
    (ev,) = rec.events
    assert (ev.id, ev.type, ev.modality, ev.claimed_by) == ("E4", "CASUALTIES", "negated", "A1")
    (att,) = rec.attributions
    assert [text[s.start:s.end] for s in att.content] == ["the strike", "did not kill anyone"]
    assert att.source_entity == "T3" and not att.anonymous
    assert rec.provenance.annotator == "ann1" and rec.provenance.method == "gold"
    assert validate_record(rec.to_dict()) == []


def test_brat_polnear_layout(tmp_path):
    text = "The Post reports that Clinton left early. Read the rest here."
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "nyt_article.txt").write_text(text, encoding="utf-8")
    at = lambda s: "%d %d\t%s" % (text.index(s), text.index(s) + len(s), s)
    ann = "\n".join([
        f"T1\tSource {at('The Post')}", f"T2\tCue {at('reports')}", f"T3\tContent {at('that Clinton left early')}",
        f"T4\tAttribution {at('reports')}", "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tDiscard {at('Read the rest here.')}",
    ]) + "\n"
    (tmp_path / "attributions" / "nyt_article_4b22.ann").write_text(ann, encoding="utf-8")
    (tmp_path / "attributions" / "nyt_article_5fec.ann").write_text(ann, encoding="utf-8")
    result = import_records("brat", tmp_path)
    assert result.problems == []
    (rec,) = result.records
    (att,) = rec.attributions
    assert [text[s.start:s.end] for s in att.source + att.cue + att.content] == \
        ["The Post", "reports", "that Clinton left early"]
    assert rec.provenance.annotator == "4b22"
    assert rec.meta.extra["other_annotations"] == ["nyt_article_5fec.ann"]


def test_brat_problems_name_file_and_line(tmp_path):
    (tmp_path / "d.txt").write_text("Kyiv was hit.", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tGPE 0 4\tKyiv\nT2\tPLANET 5 8\twas\nT3\tGPE 0 6\tKyiv\nT4\tCue 9 12\thit\n",
                                    encoding="utf-8")
    result = import_records("brat", tmp_path)
    msgs = [str(p) for p in result.problems]
    assert any(":2 d: unknown entity label 'PLANET'" in m for m in msgs)
    assert any(":3 d: " in m and "do not align" in m for m in msgs)
    assert any(":4 d: " in m and "not part of any attribution" in m for m in msgs)
    assert [e.label for e in result.records[0].entities] == ["GPE"]


CONLL_2003 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-NORP
call NN I-NP O

-DOCSTART- -X- -X- O

Peter NNP B-NP B-PERSON
Blackburn NNP B-NP I-PERSON

BRUSSELS NNP B-NP B-GPE
"""


def test_conll_docstart_blocks_are_documents(tmp_path):
    path = tmp_path / "eng.train"
    path.write_text(CONLL_2003, encoding="utf-8")
    result = import_records("conll", path)
    assert result.problems == []
    first, second = result.records
    assert (first.id, first.text) == ("eng-0001", "EU rejects German call")
    assert [(first.text[e.start:e.end], e.label) for e in first.entities] == [("EU", "ORG"), ("German", "NORP")]
    assert second.text == "Peter Blackburn\nBRUSSELS"
    assert [(second.text[e.start:e.end], e.label, e.id) for e in second.entities] == \
        [("Peter Blackburn", "PERSON", "T1"), ("BRUSSELS", "GPE", "T2")]


def test_conll_sentences_grouped_without_docstart(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Kyiv\tB-GPE\n\nOdesa\tB-GPE\nburns\tO\n\nLviv\tB-GPE\n", encoding="utf-8")
    assert [r.text for r in import_records("conll", path).records] == ["Kyiv", "Odesa burns", "Lviv"]
    grouped = import_records("conll", path, sentences_per_doc=2).records
    assert [r.text for r in grouped] == ["Kyiv\nOdesa burns", "Lviv"]


def test_conll_unknown_label_without_map_is_a_problem(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("coalition\tB-Organisation\nforces\tI-Organisation\nin\tO\nIraq\tB-Location\nDoc\tB-Url\n",
                    encoding="utf-8")
    plain = import_records("conll", path)
    assert {p.message for p in plain.problems} >= {"unknown entity label 'Organisation'",
                                                   "unknown entity label 'Location'"}
    mapped = import_records("conll", path, label_map="re3d")
    assert mapped.problems == []
    assert [(e.label, mapped.records[0].text[e.start:e.end]) for e in mapped.records[0].entities] == \
        [("ORG", "coalition forces"), ("GPE", "Iraq")]  # Url maps to nothing in labels.json: dropped by the map


def _doccano_line(**extra) -> str:
    text = "Russian drones hit Kharkiv, officials said."
    task = {"text": text, "entities": [
        {"id": 1, "label": "NORP", "start_offset": 0, "end_offset": 7},
        {"id": 2, "label": "EVENT:AIR_DRONE_STRIKE", "start_offset": 15, "end_offset": 18},
        {"id": 3, "label": "GPE", "start_offset": 19, "end_offset": 26},
        {"id": 4, "label": "ATTR:SOURCE", "start_offset": 28, "end_offset": 37},
        {"id": 5, "label": "ATTR:CUE", "start_offset": 38, "end_offset": 42},
        {"id": 6, "label": "ATTR:CONTENT", "start_offset": 0, "end_offset": 26},
    ], "relations": [{"id": 1, "from_id": 4, "to_id": 5, "type": "source"},
                     {"id": 2, "from_id": 5, "to_id": 6, "type": "content"}], **extra}
    return json.dumps(task)


def test_doccano_import_reads_all_layers(tmp_path):
    path = tmp_path / "all.jsonl"
    path.write_text(_doccano_line(record_id="kh-1") + "\n", encoding="utf-8")
    result = import_records("doccano", path)
    assert result.problems == []
    (rec,) = result.records
    assert rec.id == "kh-1"
    assert [(e.label, rec.text[e.start:e.end]) for e in rec.entities] == [("NORP", "Russian"), ("GPE", "Kharkiv")]
    assert [(e.type, e.modality, e.claimed_by) for e in rec.events] == [("AIR_DRONE_STRIKE", "asserted", "A1")]
    (att,) = rec.attributions
    assert rec.text[att.source[0].start:att.source[0].end] == "officials"


def _bad_doccano(tmp_path: Path) -> Path:
    good = _doccano_line(record_id="good")
    text = "Kyiv was hit."
    misaligned = json.dumps({"text": text, "record_id": "bad", "label": [[0, 4, "GPE"], [9, 40, "GPE"], [5, 8, "PLANET"]]})
    crossing = json.dumps({"text": text, "record_id": "cross", "label": [[0, 8, "ORG"], [5, 13, "GPE"]]})
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([good, misaligned, crossing]) + "\n", encoding="utf-8")
    return path


def test_doccano_problems_one_per_annotation(tmp_path):
    result = import_records("doccano", _bad_doccano(tmp_path))
    msgs = [str(p) for p in result.problems]
    assert len(msgs) == 3
    assert any(m.startswith(f"{tmp_path / 'in.jsonl'}:2 bad: ") and "outside the text" in m for m in msgs)
    assert any(":2 bad: unknown entity label 'PLANET'" in m for m in msgs)
    assert any(":3 cross: " in m and "crosses" in m for m in msgs)


def test_cli_import_fails_on_problems_and_writes_nothing(tmp_path):
    out = tmp_path / "data"
    result = CliRunner().invoke(app, ["import", "doccano", str(_bad_doccano(tmp_path)), "--out", str(out)])
    assert result.exit_code != 0
    assert "outside the text" in result.output and "nothing written" in result.output
    assert not (out / "records.jsonl").exists()


def test_cli_import_skip_invalid_keeps_the_rest(tmp_path):
    out = tmp_path / "data"
    result = CliRunner().invoke(app, ["import", "doccano", str(_bad_doccano(tmp_path)), "--out", str(out),
                                      "--skip-invalid", "--annotator", "reviewer"])
    assert result.exit_code == 0, result.output
    assert "skipped:" in result.output and "outside the text" in result.output
    records = {r.id: r for r in read_records(out / "records.jsonl")}
    assert set(records) == {"good", "bad", "cross"}
    assert [e.label for e in records["bad"].entities] == ["GPE"]  # the aligned one
    assert all(r.provenance.annotator == "reviewer" and r.provenance.method == "gold" for r in records.values())
    assert (out / "documents").is_dir() and (out / "ner").is_dir()


def test_reimport_updates_with_a_backup(tmp_path):
    out = tmp_path / "data"
    original = make_record(method="rules")
    export("doccano", [original], tmp_path / "round1.jsonl")
    first = import_("doccano", tmp_path / "round1.jsonl", out, annotator="a")
    assert first.added == ["doc-1"] and first.backup is None
    # a correction in the tool: one entity relabeled
    task = json.loads((tmp_path / "round1.jsonl").read_text(encoding="utf-8"))
    next(s for s in task["entities"] if s["label"] == "DATE")["label"] = "TIME"
    (tmp_path / "round2.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    second = import_("doccano", tmp_path / "round2.jsonl", out, annotator="b")
    assert second.updated == ["doc-1"] and second.backup is not None
    (old,) = read_records(second.backup)
    assert [e.label for e in old.entities if e.id == "T3"] == ["DATE"] and old.provenance.annotator == "a"
    (now,) = read_records(out / "records.jsonl")
    assert [e.label for e in now.entities if e.id == "T3"] == ["TIME"]
    assert now.provenance.annotator == "b" and now.provenance.pre_annotation == "rules"
    again = import_("doccano", tmp_path / "round2.jsonl", out, annotator="b")
    assert again.unchanged == ["doc-1"] and not again.written


def test_reimport_from_a_format_without_meta_keeps_the_existing_meta(tmp_path):
    out = tmp_path / "data"
    rec = make_record()
    import_("doccano", export("doccano", [rec], tmp_path / "a.jsonl").out, out)
    export("brat", [rec], tmp_path / "brat")
    report = import_("brat", tmp_path / "brat", out, annotator="c")
    (now,) = read_records(out / "records.jsonl")
    assert now.meta.title == rec.meta.title and now.meta.license == rec.meta.license
    assert report.updated == ["doc-1"]  # the annotator changed


def test_cli_lists_formats_and_prints_export_notes(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(app, ["import", "--list"])
    assert listed.exit_code == 0 and all(name in listed.output for name in OURS)
    records = tmp_path / "records.jsonl"
    records.write_text(make_record().to_json() + "\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "--format", "conll", str(records), "--out", str(tmp_path / "x.conll")])
    assert result.exit_code == 0, result.output
    assert "conll: only entities are carried (events and attribution are not)" in result.output
    bad = runner.invoke(app, ["import", "conll", str(tmp_path / "x.conll"), "--out", str(tmp_path / "d"),
                              "--answers", "accept"])
    assert bad.exit_code != 0 and "does not take --answers" in bad.output


def test_prodigy_takes_accepted_answers_only(tmp_path):
    export("prodigy", [make_record(rid="a"), make_record(rid="b"), make_record(rid="c")], tmp_path / "t.jsonl")
    tasks = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    tasks[0].update(answer="accept", _annotator_id="db-alice", _timestamp=1767225600)
    tasks[1].update(answer="reject")
    (tmp_path / "out.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    result = import_records("prodigy", tmp_path / "out.jsonl")
    assert [r.id for r in result.records] == ["a"]
    assert result.records[0].provenance.annotator == "db-alice"
    assert result.records[0].provenance.created == "2026-01-01T00:00:00+00:00"
    assert [p.line for p in result.problems] == [3] and "no `answer`" in result.problems[0].message
    both = import_records("prodigy", tmp_path / "out.jsonl", answers=("accept", "reject"))
    assert [r.id for r in both.records] == ["a", "b"]


def test_spacy_docbin_from_elsewhere(tmp_path):
    from spacy.tokens import DocBin

    from toolkit.nlp import blank_pipeline

    nlp = blank_pipeline()
    doc = nlp.make_doc("Ukrainian drones struck Moscow overnight")
    doc.ents = [doc.char_span(0, 9, "NORP"), doc.char_span(24, 30, "CITY")]
    doc.spans["events"] = [doc.char_span(17, 23, "AIR_DRONE_STRIKE")]
    DocBin(docs=[doc]).to_disk(tmp_path / "train.spacy")
    result = import_records("spacy", tmp_path / "train.spacy")
    (rec,) = result.records
    assert rec.id == "train-0001"
    assert [e.label for e in rec.entities] == ["NORP"] and [e.type for e in rec.events] == ["AIR_DRONE_STRIKE"]
    assert [p.message for p in result.problems] == ["unknown entity label 'CITY'"]


def test_spacy_export_is_trainable_and_cuts_tokens_at_entity_edges(tmp_path):
    from spacy.tokens import DocBin

    from toolkit.nlp import blank_pipeline

    text = "Pro-Kyiv forces held Kharkivska."
    rec = derive(Record("x", text, entities=[Entity("T1", 4, 8, "GPE"), Entity("T2", 21, 28, "GPE")],
                        provenance=Provenance("gold", "t")))
    notes = export_records("spacy", [rec], tmp_path / "x.spacy")
    (doc,) = DocBin().from_disk(tmp_path / "x.spacy").get_docs(blank_pipeline().vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("Kyiv", "GPE"), ("Kharkiv", "GPE")]
    assert any("cut" in n for n in notes)


@needs_shared
def test_re3d_conll_train_with_label_map(tmp_path):
    path = shared_dir() / "benchmarks" / "re3d-conll" / "train.txt"
    if not path.is_file():
        pytest.skip(f"needs {path} (research data that is not redistributed with the project)")
    unmapped = CliRunner().invoke(app, ["import", "conll", str(path), "--out", str(tmp_path / "raw")])
    assert unmapped.exit_code != 0 and "unknown entity label 'Organisation'" in unmapped.output
    result = CliRunner().invoke(app, ["import", "conll", str(path), "--out", str(tmp_path / "re3d"),
                                      "--label-map", "re3d", "--annotator", "re3d"])
    assert result.exit_code == 0, result.output[-2000:]
    records = read_records(tmp_path / "re3d" / "records.jsonl")
    labels = {e.label for r in records for e in r.entities}
    assert len(records) > 500 and labels <= set(inventory().entity_labels)
    assert {"PERSON", "ORG", "GPE"} <= labels
    assert all(r.provenance.tool == "conll" and r.provenance.annotator == "re3d" for r in records)
