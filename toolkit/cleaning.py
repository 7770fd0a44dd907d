"""Cleaning that records its edits, so every offset into the cleaned text maps back to the raw text.

Steps, in order: scrape residue (photo captions and credits, comment boxes) removed line by line, mojibake
repaired (ftfy), whitespace normalised. Each step yields edits in raw-text offsets; `OffsetMap` applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import ftfy

from .spans import Edit, OffsetMap

CAPTION_END = re.compile(r"(hide|toggle) caption\s*$", re.IGNORECASE)
CAPTION_TOGGLE = re.compile(r"^\s*toggle caption\s*$", re.IGNORECASE)
CREDIT = re.compile(r"^\s*(Image|Images|Photo|Photos|Video|Map|Credit)\s*:\s*\S.{0,120}$")
FILE_LINE = re.compile(r"^\s*File:.+\.(jpe?g|png|svg|gif|tiff?)\s*$", re.IGNORECASE)
COMMENT_BOX_START = re.compile(r"^\s*HAVE YOUR SAY\s*$", re.IGNORECASE)
COMMENT_BOX_END = re.compile(r"^\s*Add or view comments\s*$", re.IGNORECASE)
SHORT_CREDIT = re.compile(r"^\s*[^.!?]{1,80}(/|\bAP\b|Getty Images|Reuters|AFP)[^.!?]{0,80}$")
INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Repair encoding damage only: curly quotes, ligatures and full-width forms are the author's text.
FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization="NFC"
)
MAX_CAPTION_LINES = 3
MAX_COMMENT_BOX_LINES = 6


@dataclass
class Cleaned:
    raw: str
    text: str
    edits: list[Edit]
    steps: list[str] = field(default_factory=list)

    @property
    def offsets(self) -> OffsetMap:
        return OffsetMap(self.raw, self.edits)


def clean(raw: str) -> Cleaned:
    lines = raw.splitlines(keepends=True)
    starts = _line_starts(lines)
    dropped = _residue_lines(lines)
    edits: list[Edit] = []
    steps: list[str] = []
    if dropped:
        steps.append("scrape-residue")
    for i, line in enumerate(lines):
        if i in dropped:
            edits.append(Edit(starts[i], starts[i] + len(line), "", "scrape-residue"))
        else:
            edits.extend(_line_edits(line, starts[i]))
    edits.extend(_blank_line_edits(lines, starts, dropped))
    edits = _merge(edits, raw)
    for step in ("mojibake", "whitespace"):
        if any(ed.step == step for ed in edits):
            steps.append(step)
    text = OffsetMap(raw, edits).clean
    return Cleaned(raw=raw, text=text, edits=edits, steps=steps)


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line)
    return starts


def _residue_lines(lines: list[str]) -> set[int]:
    """Indices of lines that are captions, credits or comment boxes, not article text."""
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if CAPTION_END.search(line) or FILE_LINE.match(line):
            drop.add(i)
            if CAPTION_TOGGLE.match(line) and i + 1 < len(lines) and SHORT_CREDIT.match(lines[i + 1]):
                drop.add(i + 1)
        elif CREDIT.match(line):
            drop.add(i)
            drop.update(_caption_above(lines, i))
        elif COMMENT_BOX_START.match(line):
            drop.update(_comment_box(lines, i))
    return drop


def _caption_above(lines: list[str], credit: int) -> list[int]:
    """The caption a credit line belongs to: the lines above it back to a blank line, if few; else one line."""
    block = []
    j = credit - 1
    while j >= 0 and lines[j].strip() and len(block) <= MAX_CAPTION_LINES:
        block.append(j)
        j -= 1
    if len(block) > MAX_CAPTION_LINES or j < 0:
        return block[:1]
    return block


def _comment_box(lines: list[str], start: int) -> list[int]:
    for j in range(start, min(len(lines), start + MAX_COMMENT_BOX_LINES)):
        if COMMENT_BOX_END.match(lines[j]):
            return list(range(start, j + 1))
    return [start]


def _line_edits(line: str, offset: int) -> list[Edit]:
    body = line.rstrip("\r\n")
    fixed = ftfy.fix_text(body, config=FTFY_CONFIG)
    if fixed != body:
        edits = _diff_edits(body, _normalise_spaces(fixed), offset, "mojibake")
    else:
        edits = _space_edits(body, offset)
    ending = line[len(body) :]
    if ending.startswith("\r"):
        end = offset + len(line)
        edits.append(Edit(end - len(ending), end, "\n", "whitespace"))
    return edits


def _normalise_spaces(line: str) -> str:
    return INLINE_SPACE.sub(" ", line).strip(" ")


def _space_edits(line: str, offset: int) -> list[Edit]:
    edits = []
    stripped_end = len(line.rstrip(" \t\u00a0"))
    lead = len(line) - len(line.lstrip(" \t\u00a0"))
    for m in INLINE_SPACE.finditer(line):
        s, e = m.span()
        if s < lead or e > stripped_end:
            edits.append(Edit(offset + s, offset + e, "", "whitespace"))
        elif m.group() != " ":
            edits.append(Edit(offset + s, offset + e, " ", "whitespace"))
    return edits


def _diff_edits(before: str, after: str, offset: int, step: str) -> list[Edit]:
    """Character-level edits turning `before` into `after`, found by difflib on one line."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [
        Edit(offset + i1, offset + i2, after[j1:j2], step)
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _blank_line_edits(lines: list[str], starts: list[int], dropped: set[int]) -> list[Edit]:
    """Runs of blank lines become one blank line; blank lines at the start and end go."""
    edits = []
    kept = [i for i in range(len(lines)) if i not in dropped]
    blank = {i for i in kept if not lines[i].strip()}
    seen_text = False
    prev_blank = False
    for i in kept:
        if i in blank:
            if not seen_text or prev_blank:
                edits.append(Edit(starts[i], starts[i] + len(lines[i]), "", "whitespace"))
            prev_blank = True
        else:
            seen_text, prev_blank = True, False
    for i in reversed(kept):
        if i not in blank:
            break
        edits.append(Edit(starts[i], starts[i] + len(lines[i]), "", "whitespace"))
    last_text = next((i for i in reversed(kept) if i not in blank), None)
    if last_text is not None and lines[last_text].endswith("\n"):
        end = starts[last_text] + len(lines[last_text])
        nl = len(lines[last_text]) - len(lines[last_text].rstrip("\r\n"))
        edits.append(Edit(end - nl, end, "", "whitespace"))
    return edits


def _merge(edits: list[Edit], raw: str) -> list[Edit]:
    """Sort edits and fold nested or overlapping ones (a whole-line removal wins over edits inside it)."""
    out: list[Edit] = []
    for ed in sorted(edits, key=lambda e: (e.start, -(e.end - e.start), len(e.replacement))):
        if out and ed.start < out[-1].end:
            prev = out[-1]
            if ed.end <= prev.end:
                continue
            out[-1] = Edit(prev.start, ed.end, prev.replacement, prev.step)
            continue
        if out and ed.start == out[-1].end and ed.step == out[-1].step == "whitespace" and not ed.replacement and not out[-1].replacement:
            out[-1] = Edit(out[-1].start, ed.end, "", "whitespace")
            continue
        out.append(ed)
    return out
