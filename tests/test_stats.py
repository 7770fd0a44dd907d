import subprocess
import sys

from toolkit.atomic import write_lines
from toolkit.stats import bar_chart, compute, markdown
from conftest import ROOT
from records_fixture import make_record


def test_counts_per_label_and_split():
    a, b = make_record(rid="a"), make_record(rid="b")
    a.split, b.split = "train", "test"
    stats = compute([a, b])
    assert stats.documents == {"train": 1, "test": 1}
    assert stats.labels["entity:GPE"] == {"train": 1, "test": 1}
    assert stats.labels["event:CASUALTIES"]["train"] == 1
    assert stats.totals["attributions"] == 4
    table = markdown(stats)
    assert "| entity GPE | 1 | 1 | 2 |" in table and "| event INTERCEPTION | 0 | 0 | 0 |" in table


def test_chart_is_a_png(tmp_path):
    path = bar_chart(compute([make_record()]), tmp_path / "s.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli(tmp_path):
    path = tmp_path / "r.jsonl"
    write_lines(path, [make_record().to_json()])
    proc = subprocess.run([sys.executable, "-m", "toolkit", "stats", str(path), "--plot", str(tmp_path / "c.png")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "1 documents, 4 entity mentions, 3 event triggers" in proc.stdout
    assert (tmp_path / "c.png").is_file()
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    bad = subprocess.run([sys.executable, "-m", "toolkit", "stats", str(tmp_path / "bad.jsonl")],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "bad.jsonl:1: not a valid record" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    proc = subprocess.run([sys.executable, "-m", "toolkit", "stats", str(tmp_path / "empty.jsonl")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1 and proc.stderr.strip() == f"error: {tmp_path / 'empty.jsonl'}: file holds no records"
