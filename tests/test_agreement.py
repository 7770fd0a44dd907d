import copy
import subprocess
import sys

from sklearn.metrics import cohen_kappa_score

from toolkit.agreement import agreement, cohen_kappa, reference_agreement, type_groups
from toolkit.atomic import write_lines
from toolkit.records import Entity
from toolkit.schema import inventory
from conftest import ROOT
from records_fixture import make_record


def test_identical_annotations_agree_fully():
    agr = agreement([make_record()], [make_record()])
    assert agr.documents == 1
    assert agr.entities.exact.prf.f1 == 1.0 and agr.triggers.exact.prf.f1 == 1.0
    assert agr.attributions.exact.prf.f1 == 1.0 and agr.event_type_kappa == 1.0


def test_disagreement_is_counted_and_symmetric():
    a, b = make_record(), make_record()
    b.entities[1] = Entity("T2", b.entities[1].start, b.entities[1].end, "LOC")  # Kharkiv GPE -> LOC
    b.entities.pop()  # "two"
    b.events[0].type = "AIR_DRONE_STRIKE"
    ab, ba = agreement([a], [b]), agreement([b], [a])
    assert ab.entities.exact.tp == 2 and ab.entities.exact.prf.f1 == ba.entities.exact.prf.f1
    assert round(ab.entities.exact.prf.f1, 4) == round(2 * 2 / (4 + 3), 4)
    assert ab.triggers.exact.prf.f1 == ba.triggers.exact.prf.f1 < 1.0
    assert len(ab.trigger_type_pairs) == 3 and ab.event_type_kappa < 1.0


def test_kappa_equals_scikit_learn():
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("C", "C"), ("C", "A"), ("B", "B")]
    expected = cohen_kappa_score([x for x, _ in pairs], [y for _, y in pairs])
    assert abs(cohen_kappa(pairs) - expected) < 1e-12
    assert cohen_kappa([]) == 0.0


def test_documents_with_other_text_are_not_compared():
    b = make_record()
    b.text = b.text.replace("Kharkiv", "Kharkov")
    assert agreement([make_record()], [b]).documents == 0


def test_re3d_groups_merge_types_that_share_our_labels():
    groups = type_groups(inventory().entity_mapping("re3d"))
    assert groups["MilitaryPlatform + Vehicle"][1] == {"VEHICLE"}
    assert groups["Location"][1] == {"GPE", "LOC", "FAC"}
    assert "Url" not in " ".join(groups)


def test_reference_agreement_strict_and_overlap():
    r = make_record()
    kharkiv = next(e for e in r.entities if e.label == "GPE")
    r.meta.extra = {"reference_entities": [
        {"start": kharkiv.start, "end": kharkiv.end, "label": "Location"},          # exact match
        {"start": 0, "end": 14, "label": "Organisation"},                          # "Russian forces": no ORG of ours
        {"start": 0, "end": 7, "label": "Nationality"},                            # "Russian" NORP: exact
        {"start": kharkiv.start, "end": kharkiv.end + 3, "label": "Location"},      # nested, overlaps
    ]}
    ref = reference_agreement([r], inventory().entity_mapping("re3d"))
    loc = ref.overlap["Location"]
    assert (loc.found, loc.reference, loc.right, loc.ours) == (2, 2, 1, 1)
    assert (ref.strict["Location"].found, ref.strict["Location"].reference) == (1, 2)
    assert ref.overlap["Organisation"].found == 0 and ref.missed["Organisation\tRussian forces"] == 1


def test_cli_agreement_and_bad_input(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_lines(a, [make_record().to_json()])
    other = copy.deepcopy(make_record())
    other.events.pop()
    write_lines(b, [other.to_json()])
    run = lambda *args: subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True,  # noqa: E731
                                       text=True, cwd=ROOT)
    ok = run("agreement", a, b)
    assert ok.returncode == 0 and "| entities | exact span + label | 1.000 | 1.000 | 1.000 |" in ok.stdout
    write_lines(b, [make_record(rid="other").to_json()])
    bad = run("agreement", a, b)
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0 and "share no document id" in bad.stderr
    missing = run("agreement", a, tmp_path / "nope.jsonl")
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr and "Traceback" not in missing.stderr
