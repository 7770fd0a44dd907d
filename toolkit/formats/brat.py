"""brat standoff: a folder with NAME.txt and NAME.ann per document, and an annotation.conf.

Written:
- an entity: `T7<TAB>GPE 23 30<TAB>Kharkiv` (the entity's own id);
- an event: its trigger as a T line labeled with the event type and `E2<TAB>CASUALTIES:T31` (the event's own id),
  plus `A1<TAB>Modality E2 negated` when the modality is not asserted;
- an attribution: an event `E5<TAB>Attribution:T40 Source:T41 Content:T42` whose trigger T40 is the cue
  (labeled `Attribution`); spans are discontinuous where needed (`T42<TAB>Content 0 20;35 60<TAB>...`), and
  `A2<TAB>Anonymous E5` marks an anonymous source.

Read, besides the above:
- PolNeAR: a folder with `text/ARTICLE.txt` and `attributions/ARTICLE_ANNOTATOR.ann`, whose events are
  `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1` with separate `Cue` spans; the annotator code becomes the
  provenance annotator. An article with several .ann files is imported from the first in sorted order, and the
  others are named in `meta.extra.other_annotations`. `Discard` spans (text the annotators set aside) are skipped.
- relations instead of events: `R1<TAB>Source Arg1:T1 Arg2:T2` (source -> cue span labeled `Cue`) and
  `R2<TAB>Content Arg1:T2 Arg2:T3` (cue -> content).
- repeated roles (`Content2:T9`) add spans to the same role. `#` notes are skipped; other line kinds are problems.

Attribution ids are numbered in file order (brat has no id for them); meta, split and provenance are not carried.
File names are record ids with characters unsafe in a file name percent-encoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from .. import atomic
from ..errors import Problem, ToolkitError
from ..records import Meta, Record, Span
from ..schema import inventory
from . import ImportResult, exporter, importer
from .record_builder import DocumentBuilder, Where, label_mapping, unique_ids

NAME = "brat"
ATTRIBUTION = "Attribution"
SOURCE, CUE, CONTENT = "Source", "Cue", "Content"
DISCARD = "Discard"
MODALITY = "Modality"
ANONYMOUS = "Anonymous"
CONF_FILE = "annotation.conf"


def file_stem(record_id: str) -> str:
    return quote(record_id, safe="-_.~@+=,")


# ---------------------------------------------------------------- export


@exporter(NAME)
def export_brat(records: list[Record], out: Path) -> list[str]:
    with atomic.staged(Path(out)) as stage:
        for record in records:
            stem = file_stem(record.id)
            (stage / f"{stem}.txt").write_text(record.text, encoding="utf-8", newline="")
            (stage / f"{stem}.ann").write_text("".join(f"{line}\n" for line in ann_lines(record)),
                                               encoding="utf-8", newline="")
        (stage / CONF_FILE).write_text(annotation_conf(), encoding="utf-8")
    return ["brat: meta, split and provenance are not carried; attribution ids are renumbered in file order"]


def ann_lines(record: Record) -> list[str]:
    text = record.text
    lines: list[str] = []
    next_t = max((int(e.id[1:]) for e in record.entities), default=0)
    next_e = max((int(e.id[1:]) for e in record.events), default=0)
    n_attr = 0

    def t_line(tid: str, label: str, spans: list[Span]) -> None:
        frags = ";".join(f"{s.start} {s.end}" for s in spans)
        covered = " ".join(text[s.start:s.end] for s in spans)
        lines.append(f"{tid}\t{label} {frags}\t{_one_line(covered)}")

    def new_t() -> str:
        nonlocal next_t
        next_t += 1
        return f"T{next_t}"

    def attribute(name: str, target: str, value: str | None = None) -> None:
        nonlocal n_attr
        n_attr += 1
        lines.append(f"A{n_attr}\t{name} {target}" + (f" {value}" if value else ""))

    for e in record.entities:
        t_line(e.id, e.label, [e.span])
    for ev in record.events:
        tid = new_t()
        t_line(tid, ev.type, [ev.trigger])
        lines.append(f"{ev.id}\t{ev.type}:{tid}")
        if ev.modality != "asserted":
            attribute(MODALITY, ev.id, ev.modality)
    for att in record.attributions:
        trig = new_t()
        t_line(trig, ATTRIBUTION, sorted(att.cue))
        args = [f"{ATTRIBUTION}:{trig}"]
        for role, spans in ((SOURCE, att.source), (CONTENT, att.content)):
            if spans:
                tid = new_t()
                t_line(tid, role, sorted(spans))
                args.append(f"{role}:{tid}")
        next_e += 1
        lines.append(f"E{next_e}\t{' '.join(args)}")
        if att.anonymous and att.source:
            attribute(ANONYMOUS, f"E{next_e}")
    return lines


def _one_line(s: str) -> str:
    return re.sub(r"[\r\n\t]", " ", s)


def annotation_conf() -> str:
    """brat's configuration for the inventory: entity types, events with roles, and their attributes."""
    inv = inventory()
    events = inv.event_labels
    lines = ["[entities]", *inv.entity_labels, SOURCE, CUE, CONTENT, "", "[relations]",
             f"{SOURCE}\tArg1:{SOURCE}, Arg2:{CUE}", f"{CONTENT}\tArg1:{CUE}, Arg2:{CONTENT}",
             "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>", "", "[events]", *events,
             f"{ATTRIBUTION}\t{SOURCE}?:{SOURCE}, {CUE}*:{CUE}, {CONTENT}+:{CONTENT}", "", "[attributes]",
             f"{MODALITY}\tArg:{'|'.join(events)}, Value:{'|'.join(m for m in inv.modality_labels if m != 'asserted')}",
             f"{ANONYMOUS}\tArg:{ATTRIBUTION}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- import


@dataclass
class _Text:
    id: int  # line
    label: str
    spans: list[Span]
    quoted: str


@dataclass
class _Ann:
    texts: dict[str, _Text] = field(default_factory=dict)
    events: list[tuple[str, int, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    relations: list[tuple[int, str, str, str]] = field(default_factory=list)
    attributes: dict[str, dict[str, str | bool]] = field(default_factory=dict)


@dataclass
class _Pair:
    id: str
    txt: Path
    ann: Path | None
    annotator: str | None = None
    others: list[str] = field(default_factory=list)


@importer(NAME)
def import_brat(path: Path, label_map: str | None = None, annotator: str | None = None) -> ImportResult:
    path = Path(path)
    problems: list[Problem] = []
    mapping = label_mapping(label_map)
    records = []
    for pair in _pairs(path, problems):
        record = _record(pair, mapping, annotator, problems)
        if record is not None:
            records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)


def _pairs(path: Path, problems: list[Problem]) -> list[_Pair]:
    if path.is_file():
        txt = path.with_suffix(".txt")
        if not txt.is_file():
            raise ToolkitError(f"{path}: no {txt.name} beside it")
        return [_Pair(unquote(path.stem), txt, path.with_suffix(".ann"))]
    if not path.is_dir():
        raise ToolkitError(f"{path}: no such file or folder")
    if (path / "text").is_dir() and (path / "attributions").is_dir():
        return _polnear_pairs(path, problems)
    pairs = []
    for txt in sorted(path.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        pairs.append(_Pair(unquote(txt.stem), txt, ann if ann.is_file() else None))
    for ann in sorted(path.glob("*.ann")):
        if not ann.with_suffix(".txt").is_file():
            problems.append(Problem(str(ann), f"no {ann.with_suffix('.txt').name} beside it: not imported"))
    if not pairs and not problems:
        raise ToolkitError(f"{path}: no brat .txt/.ann files")
    return pairs


def _polnear_pairs(path: Path, problems: list[Problem]) -> list[_Pair]:
    by_article: dict[str, list[Path]] = {}
    for ann in sorted((path / "attributions").glob("*.ann")):
        article, _, _ = ann.stem.rpartition("_")
        by_article.setdefault(article or ann.stem, []).append(ann)
    pairs = []
    for article, anns in sorted(by_article.items()):
        txt = path / "text" / f"{article}.txt"
        if not txt.is_file():
            problems.append(Problem(str(anns[0]), f"no text/{article}.txt for it: not imported"))
            continue
        first = anns[0]
        pairs.append(_Pair(article, txt, first, first.stem.rpartition("_")[2] or None, [a.name for a in anns[1:]]))
    return pairs


def _record(pair: _Pair, mapping, annotator, problems) -> Record | None:
    text = pair.txt.read_text(encoding="utf-8")
    if not text.strip():
        problems.append(Problem(str(pair.txt), "empty text: not imported", record_id=pair.id))
        return None
    where = str(pair.ann or pair.txt)
    b = DocumentBuilder(Where(where), pair.id, text, NAME, annotator or pair.annotator, mapping)
    ann = _parse(pair.ann, b) if pair.ann else _Ann()
    used: set[str] = set()
    for eid, line, etype, trig, args in ann.events:
        used.add(trig)
        used.update(t for _, t in args)
        if trig not in ann.texts:
            b.problem(f"event {eid}: trigger {trig} is not a T line", line)
            continue
        if etype == ATTRIBUTION:
            _attribution(b, ann, line, trig, args, ann.attributes.get(eid, {}))
        else:
            _event(b, ann, eid, line, etype, trig, args)
    _relation_attributions(b, ann, used)
    for tid, t in ann.texts.items():
        if tid in used or t.label == DISCARD:
            continue
        if t.label in (SOURCE, CUE, CONTENT, ATTRIBUTION):
            continue  # reported by _relation_attributions when not linked
        if t.label in inventory().event_types:
            if len(t.spans) == 1:
                b.event(t.spans[0].start, t.spans[0].end, t.label, line=t.id, ident=None)
            else:
                b.problem(f"{tid}: an event trigger must be one continuous span", t.id)
            continue
        if len(t.spans) != 1:
            b.problem(f"{tid}: entity {t.label} is discontinuous; entities must be one span", t.id)
            continue
        b.entity(t.spans[0].start, t.spans[0].end, t.label, t.id, ident=tid)
    meta = Meta(source_file=str(pair.txt))
    if pair.others:
        meta.extra = {"other_annotations": pair.others}
    record = b.build(meta)
    problems.extend(b.problems)
    return record


def _event(b, ann, eid, line, etype, trig, args) -> None:
    t = ann.texts[trig]
    if args:
        b.problem(f"event {eid}: arguments {' '.join(r + ':' + x for r, x in args)} are not carried "
                  "(events are typed triggers)", line)
    if len(t.spans) != 1:
        b.problem(f"event {eid}: its trigger must be one continuous span", line)
        return
    modality = ann.attributes.get(eid, {}).get(MODALITY)
    b.event(t.spans[0].start, t.spans[0].end, etype, modality if isinstance(modality, str) else None, line,
            ident=eid)


def _attribution(b, ann, line, trig, args, attrs) -> None:
    roles: dict[str, list[Span]] = {SOURCE: [], CUE: [], CONTENT: []}
    for role, tid in args:
        base = role.rstrip("0123456789")
        if base not in roles or tid not in ann.texts:
            b.problem(f"attribution argument {role}:{tid} is not a Source, Cue or Content span", line)
            continue
        roles[base] += ann.texts[tid].spans
    cue = roles[CUE] or ann.texts[trig].spans
    b.attribution(cue, roles[CONTENT], roles[SOURCE], line,
                  anonymous=True if attrs.get(ANONYMOUS) else None)


def _relation_attributions(b, ann, used: set[str]) -> None:
    """Attributions written as relations: one per Cue span, with what the relations link to it."""
    sources: dict[str, list[str]] = {}
    contents: dict[str, list[str]] = {}
    for line, rtype, a, z in ann.relations:
        ta, tz = ann.texts.get(a), ann.texts.get(z)
        if rtype == SOURCE and ta and tz and ta.label == SOURCE and tz.label == CUE:
            sources.setdefault(z, []).append(a)
        elif rtype == CONTENT and ta and tz and ta.label == CUE and tz.label == CONTENT:
            contents.setdefault(a, []).append(z)
        else:
            b.problem(f"relation {rtype} {a} -> {z}: expected Source (Source -> Cue) or Content (Cue -> Content)",
                      line)
            continue
        used.update((a, z))
    for tid, t in ann.texts.items():
        if t.label == CUE and (tid in sources or tid in contents):
            b.attribution(t.spans, [s for c in contents.get(tid, []) for s in ann.texts[c].spans],
                          [s for c in sources.get(tid, []) for s in ann.texts[c].spans], t.id)
    for tid, t in ann.texts.items():
        if t.label in (SOURCE, CUE, CONTENT, ATTRIBUTION) and tid not in used:
            b.problem(f"{tid}: {t.label} span is not part of any attribution", t.id)


_T = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")
_E = re.compile(r"^(E\d+)\t(\S+?):(T\d+)((?: \S+:[TE]\d+)*)\s*$")
_A = re.compile(r"^([AM]\d+)\t(\S+) ([TE]\d+)(?: (\S+))?\s*$")
_R = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")


def _parse(path: Path, b: DocumentBuilder) -> _Ann:
    ann = _Ann()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        b.problem(f"not valid UTF-8 (byte {err.start})")
        return ann
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if m := _T.match(line):
            spans = []
            for frag in m.group(3).split(";"):
                parts = frag.split()
                if len(parts) != 2:
                    b.problem(f"{m.group(1)}: fragment {frag!r} is not 'START END'", n)
                    break
                sp = b.span(int(parts[0]), int(parts[1]), f"{m.group(1)} {m.group(2)}", n)
                if sp is None:
                    break
                spans.append(sp)
            else:
                quoted = m.group(4)
                covered = " ".join(b.text[s.start:s.end] for s in spans)
                if quoted and _squash(quoted) != _squash(covered):
                    b.problem(f"{m.group(1)}: offsets cover {covered!r}, not {quoted!r} "
                              "(offsets do not align to the text)", n)
                else:
                    ann.texts[m.group(1)] = _Text(n, m.group(2), spans, quoted)
        elif m := _E.match(line):
            args = [tuple(a.split(":", 1)) for a in m.group(4).split()]
            ann.events.append((m.group(1), n, m.group(2), m.group(3), args))
        elif m := _A.match(line):
            if m.group(2) not in (MODALITY, ANONYMOUS):
                b.problem(f"{m.group(1)}: attribute {m.group(2)} is not carried (only {MODALITY}, {ANONYMOUS})", n)
                continue
            ann.attributes.setdefault(m.group(3), {})[m.group(2)] = m.group(4) or True
        elif m := _R.match(line):
            ann.relations.append((n, m.group(2), m.group(3), m.group(4)))
        elif line[:1] in "N*":
            b.problem(f"{line.split()[0]}: normalizations and equivalences are not carried", n)
        else:
            b.problem(f"not a brat standoff line: {line[:60]!r}", n)
    return ann


def _squash(s: str) -> str:
    return " ".join(s.split())
