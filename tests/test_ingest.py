import json

from toolkit.errors import Problem
from toolkit.ingest import RawDocument, iter_inputs


def _items(paths):
    items = list(iter_inputs(paths))
    return [i for i in items if isinstance(i, RawDocument)], [str(i) for i in items if isinstance(i, Problem)]


def test_txt_with_sidecar_meta(tmp_path):
    (tmp_path / "a b.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "a b.meta.json").write_text(json.dumps({"title": "T", "license": "CC-BY-4.0", "x": 1}))
    docs, problems = _items([tmp_path])
    assert problems == []
    assert docs[0].id == "a-b" and docs[0].meta == {"title": "T", "license": "CC-BY-4.0"}
    assert docs[0].extra == {"x": 1}


def test_empty_file(tmp_path):
    (tmp_path / "e.txt").write_text("  \n")
    assert _items([tmp_path / "e.txt"])[1] == [f"{tmp_path / 'e.txt'}: file is empty"]


def test_binary_file(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    assert "binary file" in _items([tmp_path / "b.txt"])[1][0]


def test_non_utf8_names_line(tmp_path):
    (tmp_path / "l.txt").write_bytes("line one\nca\xe9\n".encode("latin-1"))
    [msg] = _items([tmp_path / "l.txt"])[1]
    assert msg.startswith(f"{tmp_path / 'l.txt'}:2: not valid UTF-8")


def test_malformed_jsonl_line_keeps_other_records(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "one", "text": "First."}\n{"id": "two", "text": \n{"text": "Third."}\n{"id": "x"}\n')
    docs, problems = _items([path])
    assert [d.id for d in docs] == ["one", "d-3"]
    assert problems[0].startswith(f"{path}:2: malformed JSON")
    assert problems[1] == f"{path}:4 x: missing or empty 'text' field"


def test_duplicate_ids_keep_the_first(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "same", "text": "A."}\n{"id": "same", "text": "B."}\n')
    docs, problems = _items([path])
    assert [d.text for d in docs] == ["A."]
    assert problems == [f"{path}:2 same: duplicate id 'same' (first in {path}:1)"]


def test_missing_path_and_unknown_extension(tmp_path):
    (tmp_path / "x.pdf").write_text("pdf")
    _, problems = _items([tmp_path / "nope", tmp_path / "x.pdf"])
    assert problems[0] == f"{tmp_path / 'nope'}: no such file or folder"
    assert "unknown extension '.pdf'" in problems[1]


def test_html_extraction_with_sidecar(tmp_path):
    body = "".join(f"<p>Paragraph {i} says the army shelled the town of Avdiivka on Monday.</p>" for i in range(5))
    html = f"<html><head><title>Shelling</title></head><body><nav>Home | About</nav><article>{body}</article></body></html>"
    (tmp_path / "page.html").write_text(html)
    (tmp_path / "page.meta.json").write_text('{"license": "CC-BY-4.0"}')
    [doc], problems = _items([tmp_path])
    assert problems == [] and doc.html
    assert "Paragraph 0 says the army shelled" in doc.text and "Home | About" not in doc.text
    assert doc.meta["license"] == "CC-BY-4.0"
