"""Token views and CRF features for learned attribution: cue tagging, then source/content tagging per cue.

A document is seen as its non-space tokens (toolkit tokenizer) with, per token, its sentence, the quotation it
sits in (quotation marks paired per paragraph, straight quotes toggling) and its cue-lexicon facts. The cue
tagger labels BIO cues sentence by sentence. The role tagger then labels, for one cue at a time, a window of the
cue's sentence plus one sentence either side, widened through any quotation that the window cuts: each token
as SOURCE, CONTENT, the cue itself or outside, with features relative to that cue (signed distance, sentence
offset, quotation state of token and cue, commas and other cues in between).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..nlp import parse
from ..records import Record

OPENING = {"“", "«", "``", "„"}
CLOSING = {"”", "»", "''"}
STRAIGHT = {'"'}
CUE_TAG, SOURCE_TAG, CONTENT_TAG, OUTSIDE = "CUE", "SRC", "CON", "O"
Offsets = tuple[int, int]


@dataclass
class PredictedAttribution:
    """What `set_attributions` reads: character spans per role and whether the source is unnamed."""

    cue: list[Offsets]
    content: list[Offsets]
    source: list[Offsets] = field(default_factory=list)
    anonymous: bool = True


@cache
def cue_lexicon():
    """The rule extractor's cue lexicon (verb forms -> lemma, noun cues, pronouns, anonymous heads)."""
    from ..extract.rules.attribution import lexicon

    return lexicon()


class DocumentView:
    """Non-space tokens of a text with sentence, paragraph and quotation facts per token."""

    def __init__(self, text: str):
        doc = parse(text)
        toks = [t for t in doc if not t.is_space]
        self.text = text
        self.words = [t.text for t in toks]
        self.lower = [t.lower_ for t in toks]
        self.starts = [t.idx for t in toks]
        self.ends = [t.idx + len(t.text) for t in toks]
        sent_of = {}
        for k, sent in enumerate(doc.sents):
            for t in sent:
                sent_of[t.i] = k
        self.sent = [sent_of[t.i] for t in toks]
        self.sent_start = [i == 0 or self.sent[i - 1] != self.sent[i] for i in range(len(toks))]
        self.sent_end = [i == len(toks) - 1 or self.sent[i + 1] != self.sent[i] for i in range(len(toks))]
        self.paragraph = self._paragraphs()
        self.quote = self._quotations()

    def __len__(self) -> int:
        return len(self.words)

    def _paragraphs(self) -> list[int]:
        out, k = [], 0
        for i in range(len(self.words)):
            if i and "\n" in self.text[self.ends[i - 1] : self.starts[i]]:
                k += 1
            out.append(k)
        return out

    def _quotations(self) -> list[int]:
        """Per token, the index of the opening mark of the innermost open quotation (-1 outside).

        Quotation marks themselves belong to the quotation they open or close. A paragraph break closes every
        quotation: news style reopens a quotation that runs on in each paragraph.
        """
        out, stack = [], []
        for i, w in enumerate(self.words):
            if i and self.paragraph[i] != self.paragraph[i - 1]:
                stack = []
            if w in OPENING or (w in STRAIGHT and not any(self.words[j] in STRAIGHT for j in stack)):
                stack.append(i)
                out.append(i)
            elif w in CLOSING or w in STRAIGHT:
                out.append(stack[-1] if stack else -1)
                if stack:
                    stack.pop()
            else:
                out.append(stack[-1] if stack else -1)
        return out

    def tokens_in(self, spans: Iterable[Offsets]) -> list[int]:
        """Indices of the tokens that overlap any of the character spans."""
        found: set[int] = set()
        for s, e in spans:
            i = max(bisect_left(self.ends, s + 1), 0)
            while i < len(self) and self.starts[i] < e:
                if self.ends[i] > s:
                    found.add(i)
                i += 1
        return sorted(found)

    def runs(self, indices: Sequence[int]) -> list[Offsets]:
        """Character spans of runs of consecutive token indices."""
        out: list[Offsets] = []
        prev = None
        for i in sorted(indices):
            if prev is not None and i == prev + 1:
                out[-1] = (out[-1][0], self.ends[i])
            else:
                out.append((self.starts[i], self.ends[i]))
            prev = i
        return out

    def sentences(self) -> list[range]:
        out, begin = [], 0
        for i in range(1, len(self) + 1):
            if i == len(self) or self.sent[i] != self.sent[begin]:
                out.append(range(begin, i))
                begin = i
        return out


def shape(word: str) -> str:
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def lexical(view: DocumentView, i: int, prefix: str) -> list[str]:
    if not 0 <= i < len(view):
        return [f"{prefix}edge"]
    w, low = view.words[i], view.lower[i]
    return [f"{prefix}w={low}", f"{prefix}sh={shape(w)}"]


def lexicon_facts(low: str) -> list[str]:
    lex = cue_lexicon()
    out = []
    lemma = lex.cue_verbs.get(low)
    if lemma:
        out += [f"lemma={lemma}", "cueverb", "belief" if lemma in lex.belief else "speech"]
    if low in lex.noun_cues:
        out.append("nouncue")
    if low in lex.requests or low in lex.call_verbs:
        out.append("request")
    if low in lex.participial:
        out.append("participial")
    if low in lex.pronouns:
        out.append("pronoun")
    return out


def cue_features(view: DocumentView, i: int) -> list[str]:
    """Features of token i for the cue tagger."""
    w, low = view.words[i], view.lower[i]
    f = [f"w={low}", f"sh={shape(w)}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"p3={low[:3]}"]
    if w.istitle():
        f.append("title")
    f += lexicon_facts(low)
    for off in (-3, -2, -1, 1, 2, 3):
        f += lexical(view, i + off, f"{off:+d}")
    for off in (-1, 1):
        j = i + off
        if 0 <= j < len(view):
            f += [f"{off:+d}{x}" for x in lexicon_facts(view.lower[j])]
    if i > 0:
        f.append(f"bi-={view.lower[i - 1]}|{low}")
    if i + 1 < len(view):
        f.append(f"bi+={low}|{view.lower[i + 1]}")
    f.append(f"q={view.quote[i] >= 0}")
    if view.sent_start[i]:
        f.append("first")
    if view.sent_end[i]:
        f.append("last")
    return f


def cue_sequences(view: DocumentView) -> list[tuple[range, list[list[str]]]]:
    return [(rng, [cue_features(view, i) for i in rng]) for rng in view.sentences()]


def bio(view: DocumentView, span_groups: Iterable[list[Offsets]], label: str) -> list[str]:
    """BIO tags for groups of spans (one group = one cue); a token keeps the first group that claims it."""
    tags = [OUTSIDE] * len(view)
    for spans in span_groups:
        idx = [i for i in view.tokens_in(spans) if tags[i] == OUTSIDE]
        for k, i in enumerate(idx):
            tags[i] = ("B-" if k == 0 or idx[k - 1] != i - 1 else "I-") + label
    return tags


def cue_runs(tags: Sequence[str]) -> list[list[int]]:
    """Token index runs of BIO cue tags; a stray I- opens a cue."""
    out: list[list[int]] = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and out and out[-1][-1] == i - 1:
            out[-1].append(i)
        elif tag != OUTSIDE:
            out.append([i])
    return out


def role_window(view: DocumentView, cue: Sequence[int], sentences_around: int, max_tokens: int) -> range:
    """The cue's sentence ± `sentences_around`, widened to whole quotations it cuts, at most max_tokens a side."""
    lo_sent, hi_sent = view.sent[cue[0]] - sentences_around, view.sent[cue[-1]] + sentences_around
    lo = cue[0]
    while lo > 0 and view.sent[lo - 1] >= lo_sent and cue[0] - lo < max_tokens:
        lo -= 1
    hi = cue[-1]
    while hi + 1 < len(view) and view.sent[hi + 1] <= hi_sent and hi - cue[-1] < max_tokens:
        hi += 1
    if view.quote[lo] >= 0:  # back to the opening mark of the quotation the window starts in
        lo = max(min(lo, view.quote[lo]), cue[0] - max_tokens)
    while (hi + 1 < len(view) and view.quote[hi] >= 0 and view.quote[hi + 1] == view.quote[hi]
           and hi - cue[-1] < max_tokens):
        hi += 1
    return range(lo, hi + 1)


def bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 3 else "4-5" if a <= 5 else "6-10" if a <= 10 else "11-20" if a <= 20 else "21+"
    return ("L" if d < 0 else "R") + b


def role_features(view: DocumentView, cue: Sequence[int], window: range, other_cues: set[int]) -> list[list[str]]:
    """Features of every window token relative to one cue (token indices `cue`)."""
    c0, c1 = cue[0], cue[-1]
    cue_set = set(cue)
    cue_word = view.lower[c1]
    cue_lemma = cue_lexicon().cue_verbs.get(cue_word, cue_word)
    cue_quote = view.quote[c0]
    cue_sent = view.sent[c0]
    # prefix counts over the window: commas, other cue tokens, sentence-final marks
    comma = [0]
    others = [0]
    for i in window:
        comma.append(comma[-1] + (view.words[i] in {",", ";", ":", "—", "–", "--"}))
        others.append(others[-1] + (i in other_cues and i not in cue_set))
    base = window.start

    def between(prefix: list[int], i: int) -> int:
        a, b = (i + 1, c0) if i < c0 else (c1 + 1, i)
        return prefix[b - base] - prefix[a - base] if b > a else 0

    out = []
    for i in window:
        if i in cue_set:
            out.append(["incue", f"cw={cue_lemma}"])
            continue
        d = i - c0 if i < c0 else i - c1
        side = "L" if d < 0 else "R"
        pos = bucket(d)
        so = max(-2, min(2, view.sent[i] - cue_sent))
        q = view.quote[i]
        qstate = f"{'q' if q >= 0 else '-'}{'q' if cue_quote >= 0 else '-'}{'s' if q >= 0 and q == cue_quote else ''}"
        commas = min(between(comma, i), 3)
        ocues = min(between(others, i), 2)
        low = view.lower[i]
        f = [
            f"pos={pos}", f"so={so}", f"qs={qstate}", f"cm={side}{commas}", f"oc={side}{ocues}",
            f"w={low}", f"sh={shape(view.words[i])}", f"s3={low[-3:]}",
            f"sw={side}|{low}", f"pw={pos}|{low}" if abs(d) <= 3 else f"far={side}",
            f"cs={cue_lemma}|{side}", f"cso={cue_lemma}|{so}", f"sq={side}|{qstate}|{so}",
            f"sco={side}|{commas}|{ocues}",
        ]
        if i in other_cues:
            f.append("ocue")
        if view.words[i].istitle():
            f.append("title")
        if view.sent_start[i]:
            f.append("first")
        if view.sent_end[i]:
            f.append("last")
        f += lexicon_facts(low)
        for off in (-2, -1, 1, 2):
            j = i + off
            f += lexical(view, j, f"{off:+d}") if window.start <= j < window.stop else [f"{off:+d}edge"]
        if i - 1 >= window.start:
            f.append(f"bi={view.lower[i - 1]}|{low}")
        out.append(f)
    return out


def role_tags(view: DocumentView, window: range, cue: Sequence[int], source: list[Offsets],
              content: list[Offsets]) -> list[str]:
    src, con, cue_set = set(view.tokens_in(source)), set(view.tokens_in(content)), set(cue)
    tags, prev = [], None
    for i in window:
        role = CUE_TAG if i in cue_set else SOURCE_TAG if i in src else CONTENT_TAG if i in con else OUTSIDE
        if role in (SOURCE_TAG, CONTENT_TAG):
            tags.append(("I-" if prev == role else "B-") + role)
        else:
            tags.append(role)
        prev = role
    return tags


def spans_of_role(view: DocumentView, window: range, tags: Sequence[str], role: str) -> list[Offsets]:
    return view.runs([i for i, tag in zip(window, tags) if tag.endswith(role)])


def anonymous_flags(view: DocumentView, sources: list[list[Offsets]]) -> list[bool]:
    """No source: anonymous. A pronoun inherits from the latest other source; else its head noun decides."""
    lex = cue_lexicon()
    out, latest = [], None
    for src in sources:
        if not src:
            out.append(True)
            continue
        toks = [i for i in view.tokens_in(src) if any(ch.isalnum() for ch in view.words[i])]
        if len(toks) == 1 and view.lower[toks[0]] in lex.pronouns:
            out.append(True if latest is None else latest)
            continue
        before_comma = [i for i in toks if i + 1 < len(view) and view.words[i + 1] == ","]
        head = view.lower[before_comma[0]] if before_comma else view.lower[toks[-1]] if toks else ""
        latest = head in lex.anonymous_heads
        out.append(latest)
    return out


def gold_cue_groups(record: Record) -> list[list[Offsets]]:
    return [[(c.start, c.end) for c in a.cue] for a in record.attributions if a.cue]
