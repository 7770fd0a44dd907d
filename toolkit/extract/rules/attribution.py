"""Rule-based attributions (who says what): source, cue and content spans, PolNeAR/PARC style.

Works on a tokenizer-only Doc (no tagger, no parser), so noun-phrase edges come from function-word lists in
lexicons/attribution_cues.json and from punctuation. Choices where the conventions leave room:

- source: the speaker's noun phrase with its modifiers and apposition ("Ukraine's top army chief, Oleksandr
  Syrskyi", "Yuriy Ignat, head of communications for the air force") and a relative clause between commas ("The
  official, who spoke on condition of anonymity"), as PolNeAR marks them; never a leading preposition. A document is
  its own source: "the Ukrainian Ground Forces' statement said" -> source "the Ukrainian Ground Forces'
  statement", cue "said". A trailing comma is never part of the source.
- cue: the verb alone ("said"; "told", not "told The Associated Press"), "according to", "called on",
  "it was reported" -> "was reported", "was quoted as saying"; a noun cue ("the ministry's claim that ...").
- content: the reported clause without the complementizer "that", without the comma before an inverted cue and
  without the final period; quotation marks are kept and a quotation runs to its closing mark, across sentences
  if need be. A quotation interrupted by its cue gives two content spans.
- requests ("called on X to Y", "urged X to Y") are attributions, as PolNeAR annotates them; content is "X to Y".
- participial follow-ups (", stressing that ...") are attributions of the preceding source in the sentence.
- anonymous: True without a source; a pronoun inherits from the most recent non-pronoun source in the document;
  otherwise True unless the source overlaps a PERSON/ORG/GPE(-like) entity, so "the statement" is anonymous and
  "the Ukrainian Ground Forces' statement" is not. With no entity layer at all (an empty list), a source is
  anonymous when its head noun is an anonymous head (official, source, witness, statement ...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc

OPEN_QUOTES = {"“", "«"}
CLOSE_QUOTES = {"”", "»"}
STRAIGHT_QUOTES = {'"', "''"}  # "''" is the newswire (NYT) double quote
POSSESSIVES = {"'s", "’s", "'", "’"}
DASHES = {"—", "–", "--"}
RELATIVE = {"who", "which", "whose", "whom"}
OBJECT_PRONOUNS = {"me", "him", "her", "us", "them", "you"}
OBJECT_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my"}
MAX_NP = 12


@dataclass
class FoundAttribution:
    source: list[tuple[int, int]]  # zero or more char spans; empty when unnamed ("it was reported")
    cue: list[tuple[int, int]]  # one or more
    content: list[tuple[int, int]]  # one or more, may be discontinuous
    anonymous: bool


@dataclass
class _Lexicon:
    cue_verbs: dict[str, str]  # inflected form -> lemma
    belief: set[str]  # lemmas of belief verbs
    object_taking: set[str]
    participial: set[str]
    passive: set[str]
    requests: set[str]  # single-token request verbs ("urged")
    call_verbs: set[str]  # "called" of "called on/for"
    noun_cues: set[str]
    anonymous_heads: set[str]
    pronouns: set[str]
    named_labels: set[str]
    aux: set[str]
    be: set[str]
    determiners: set[str]
    boundary: set[str]
    np_preps: set[str]
    time_words: set[str]
    time_modifiers: set[str]
    adverbial_preps: set[str]
    adverbial_nouns: set[str]
    object_words: set[str]
    continuation_stops: set[str]
    final: set[str]
    non_content_starts: set[str]


@cache
def lexicon() -> _Lexicon:
    """Loaded once; the cue lists are data so they can grow without touching the rules."""
    raw = json.loads((resources.files("toolkit") / "lexicons" / "attribution_cues.json").read_text("utf-8"))
    verbs = {f: lemma for group in ("speech_verbs", "belief_verbs") for lemma, forms in raw[group].items() for f in forms}
    requests = {k: v for k, v in raw["request_verbs"].items() if not k.startswith("_")}
    single = {f for forms in requests.values() for f in forms if " " not in f}
    calls = {f.split()[0] for forms in requests.values() for f in forms if " " in f}
    return _Lexicon(
        cue_verbs=verbs, belief=set(raw["belief_verbs"]), object_taking=set(raw["object_taking_verbs"]), participial=set(raw["participial_cues"]),
        passive=set(raw["passive_reporting"]), requests=single, call_verbs=calls, noun_cues=set(raw["noun_cues"]),
        anonymous_heads=set(raw["anonymous_heads"]), pronouns=set(raw["pronouns"]),
        named_labels=set(raw["named_entity_labels"]), aux=set(raw["auxiliaries"]), be=set(raw["be_forms"]),
        determiners=set(raw["determiners"]), boundary=set(raw["boundary_words"]), np_preps=set(raw["np_prepositions"]),
        time_words=set(raw["time_words"]), time_modifiers=set(raw["time_modifiers"]),
        adverbial_preps=set(raw["adverbial_prepositions"]), adverbial_nouns=set(raw["adverbial_nouns"]),
        object_words=set(raw["object_words"]), continuation_stops=set(raw["continuation_stops"]),
        final=set(raw["sentence_final"]), non_content_starts=set(raw["non_content_starts"]),
    )


@dataclass
class _Draft:
    """Token ranges [a, b) until the end, so boundaries stay easy to move."""
    source: tuple[int, int] | None
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]
    cue_tokens: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.cue_tokens = {i for a, b in self.cue for i in range(a, b)}


class _Ctx:
    """Per-document state: quote pairs, sentence bounds and named-entity spans."""

    def __init__(self, doc: Doc, entities: list[tuple[int, int, str]]):
        self.doc = doc
        self.lex = lexicon()
        self.pair, self.opened = _pair_quotes(doc)
        self.s0, self.s1 = _sentence_bounds(doc, self.pair, self.opened)
        self.has_entities = bool(entities)
        self.named = [(s, e) for s, e, label in entities if label in self.lex.named_labels]

    def is_close(self, i: int) -> bool:
        return i in self.pair and i not in self.opened


# --- document structure ---------------------------------------------------------------------------------------

def _straight_opens(doc: Doc, i: int) -> bool:
    """A straight quote opens when it follows a space (or starts the text) and touches the next word."""
    before = i == 0 or bool(doc[i - 1].whitespace_) or doc[i - 1].is_space or doc[i - 1].text in "([{—–-"
    return before and not doc[i].whitespace_ and i + 1 < len(doc)


def _pair_quotes(doc: Doc) -> tuple[dict[int, int], set[int]]:
    """Match quotation marks within a paragraph; the sentencizer cannot tell opening from closing marks."""
    pair: dict[int, int] = {}
    opened: set[int] = set()
    stack: list[int] = []
    for t in doc:
        if t.is_space and "\n" in t.text:
            stack.clear()
        elif t.text in OPEN_QUOTES or (t.text in STRAIGHT_QUOTES and _straight_opens(doc, t.i)):
            stack.append(t.i)
        elif (t.text in CLOSE_QUOTES or t.text in STRAIGHT_QUOTES) and stack:
            o = stack.pop()
            pair[o], pair[t.i] = t.i, o
            opened.add(o)
    return pair, opened


def _sentence_bounds(doc: Doc, pair: dict[int, int], opened: set[int]) -> tuple[list[int], list[int]]:
    """Sentence start/end per token, moving an opening quote left dangling by the sentencizer to its sentence."""
    starts = [s.start for s in doc.sents]
    fixed = []
    for k in starts:
        if k > 0 and (k - 1) in opened:
            k -= 1
        elif k in pair and k not in opened:
            k += 1
        fixed.append(k)
    fixed = sorted(set(fixed) | {0})
    s0, s1 = [0] * len(doc), [0] * len(doc)
    for n, a in enumerate(fixed):
        b = fixed[n + 1] if n + 1 < len(fixed) else len(doc)
        for i in range(a, b):
            s0[i], s1[i] = a, b
    return s0, s1


# --- noun phrases ---------------------------------------------------------------------------------------------

def _title(text: str) -> bool:
    return text[:1].isupper()


def _np_token(ctx: _Ctx, k: int, preps: set[str]) -> bool:
    """Can token k sit inside a speaker noun phrase?"""
    doc, lex = ctx.doc, ctx.lex
    t = doc[k]
    lo = t.lower_
    if t.is_space:
        return False
    if t.text in POSSESSIVES:
        return k > 0 and not doc[k - 1].whitespace_ and doc[k - 1].is_alpha
    if t.is_punct:
        return t.text in {"&", "-"}
    if lo == "and":
        return 0 < k < len(doc) - 1 and _title(doc[k - 1].text) and _title(doc[k + 1].text)
    if lo in preps:
        return True
    if lo in lex.boundary or lo in lex.time_words or lo in lex.np_preps:
        return False
    return not (t.text.islower() and (lo in lex.cue_verbs or lo in lex.participial))


def _np_left(ctx: _Ctx, j: int, lo: int) -> int | None:
    """Start of the noun phrase ending at token j (not before token lo)."""
    k = j
    while k >= lo and j - k < MAX_NP and _np_token(ctx, k, ctx.lex.np_preps):
        k -= 1
        if ctx.doc[k + 1].lower_ in OBJECT_DETERMINERS and not (k >= lo and ctx.doc[k].lower_ in ctx.lex.np_preps):
            break  # a determiner opens the phrase unless a preposition attaches it ("head of the ministry")
    start = k + 1
    while start <= j and (ctx.doc[start].lower_ in ctx.lex.np_preps or ctx.doc[start].text in POSSESSIVES):
        start += 1
    return _entity_start(ctx, start, lo) if start <= j else None


def _entity_start(ctx: _Ctx, start: int, lo: int) -> int:
    """Do not cut a named entity in half at the left edge."""
    c = ctx.doc[start].idx
    for s, e in ctx.named:
        if s < c < e:
            for k in range(start - 1, lo - 1, -1):
                if ctx.doc[k].idx <= s:
                    return k
    return start


def _np_right(ctx: _Ctx, a: int, hi: int) -> int | None:
    """End (exclusive) of the noun phrase starting at token a, for inverted cues and "according to"."""
    e = a
    while e < hi and e - a < MAX_NP and _np_token(ctx, e, {"of", "for", "by"}):
        e += 1
    while e > a and (ctx.doc[e - 1].lower_ in {"of", "for", "by"} or ctx.doc[e - 1].text in POSSESSIVES):
        e -= 1
    return e if e > a else None


def _apposition_right(ctx: _Ctx, e: int, hi: int) -> int:
    """", head of communications for the air force" closing the sentence belongs to the source."""
    doc, lex = ctx.doc, ctx.lex
    end = _clause_end(ctx, e, hi)
    if e >= end or doc[e].text != "," or end - e > 30 or ctx.is_close(end - 1):
        return e
    rest = doc[e + 1:end]
    first = rest[0].lower_ if len(rest) else ""
    if not first or first in lex.continuation_stops - {"a", "an", "the"} or first.endswith("ing"):
        return e
    if any(t.text.islower() and t.lower_ in lex.cue_verbs for t in rest):
        return e
    return end


# --- sources --------------------------------------------------------------------------------------------------

_REJECT = (-1, -1)


def _source_left(ctx: _Ctx, i: int) -> tuple[int, int] | None:
    """Speaker before the cue; _REJECT for a non-reporting use (passive, infinitive, noun after a determiner)."""
    doc, lex = ctx.doc, ctx.lex
    lo = ctx.s0[i]
    if i > lo and doc[i - 1].lower_ in lex.determiners:
        return _REJECT
    j = i - 1
    while j >= lo and (doc[j].lower_ in lex.aux or _adverb(doc[j].text)):
        j -= 1
    if j < lo:
        return None
    if doc[j].lower_ in lex.be or doc[j].lower_ == "to":
        return _REJECT
    if doc[j].text == ",":
        return _source_before_comma(ctx, j, lo)
    start = _np_left(ctx, j, lo)
    return (start, j + 1) if start is not None else None


def _adverb(word: str) -> bool:
    """"ridiculously claimed": a lowercase -ly word between source and cue."""
    return word.islower() and len(word) > 5 and word.endswith("ly") and word not in {"family", "assembly", "anomaly"}


def _source_before_comma(ctx: _Ctx, j: int, lo: int) -> tuple[int, int] | None:
    """"X, who ..., said" -> X; "chief, Oleksandr Syrskyi, said" -> the whole apposition."""
    doc = ctx.doc
    p = j - 1
    while p >= lo and not (doc[p].is_punct and doc[p].text not in POSSESSIVES | {"-", "&"}):
        p -= 1
    if p < lo or doc[p].text != "," or p + 1 >= j:
        return None
    if doc[p + 1].lower_ in RELATIVE:
        start = _np_left(ctx, p - 1, lo)
        return (start, j) if start is not None else None
    if _np_left(ctx, j - 1, lo) != p + 1 or j - p > 10:
        return None
    left = _np_left(ctx, p - 1, lo)
    if left is None:
        return None
    named = any(_title(t.text) for t in doc[p + 1:j]) or any(_title(t.text) for t in doc[left + 1:p])
    return (left, j) if named else None


# --- content --------------------------------------------------------------------------------------------------

def _clause_end(ctx: _Ctx, k: int, hi: int) -> int:
    """Sentence end without trailing spaces and final punctuation (a closing quote is kept)."""
    doc = ctx.doc
    e = hi
    while e > k and (doc[e - 1].is_space or doc[e - 1].text in ctx.lex.final):
        e -= 1
    return e


def _content_right(ctx: _Ctx, k: int, hi: int) -> tuple[int, int] | None:
    """The reported clause after the cue: a quotation to its closing mark, else the rest of the sentence."""
    doc = ctx.doc
    if k >= hi or doc[k].is_space or (doc[k].is_punct and k not in ctx.opened):
        return None
    if k in ctx.opened:
        return k, ctx.pair[k] + 1
    if doc[k].lower_ in ctx.lex.non_content_starts:
        return None
    end = _clause_end(ctx, k, hi)
    end = min(end, _participle_cut(ctx, k, end))
    for q in range(k, end):
        if q in ctx.opened and ctx.pair[q] >= end:
            end = ctx.pair[q] + 1
    words = [t for t in doc[k:end] if not t.is_punct]
    return (k, end) if len(words) >= 2 or (end - k == 1 and _title(doc[k].text)) else None


def _participle_cut(ctx: _Ctx, k: int, end: int) -> int:
    """", adding that ..." starts an attribution of its own."""
    for q in range(k, end - 1):
        if ctx.doc[q].text == "," and ctx.doc[q + 1].lower_ in ctx.lex.participial:
            return q
    return end


def _content_start(ctx: _Ctx, lo: int, t: int) -> int:
    """Sentence start, after leading spaces and a dateline ("KYIV, Ukraine — ")."""
    doc = ctx.doc
    while lo < t and doc[lo].is_space:
        lo += 1
    for d in range(lo, min(lo + 8, t)):
        if doc[d].text in DASHES:
            if all(_title(x.text) or x.text in {",", "."} for x in doc[lo:d]):
                return d + 1
            break
    return lo


def _embedding_start(ctx: _Ctx, o: int) -> int:
    """'Parties ''have conflated refugees with terrorism,'' he said': a quote inside a clause takes the clause."""
    doc = ctx.doc
    if o == 0 or doc[o - 1].is_punct or doc[o - 1].is_space:
        return o
    return _content_start(ctx, ctx.s0[o], o)


def _next_quote(ctx: _Ctx, q: int, hi: int) -> list[tuple[int, int]]:
    """'"A," he said. "B."': a quotation opening the next sentence of the paragraph continues the content."""
    doc = ctx.doc
    if hi < len(doc) and hi in ctx.opened and not any(doc[x].is_space for x in range(q, hi)):
        return [(hi, ctx.pair[hi] + 1)]
    return []


def _content_left(ctx: _Ctx, t: int) -> tuple[int, int] | None:
    """Content before an inverted cue; t is the token just before the source (or cue): a comma or a closing quote."""
    doc = ctx.doc
    if t < 0:
        return None
    if ctx.is_close(t) and t > 0 and doc[t - 1].text in {",", "?", "!", ".", "…"}:
        return _embedding_start(ctx, ctx.pair[t]), t + 1
    if doc[t].text != "," or t < ctx.s0[t]:
        return None
    if t > 0 and ctx.is_close(t - 1):
        return ctx.pair[t - 1], t
    start = _content_start(ctx, ctx.s0[t], t)
    for q in range(start, t):
        if ctx.is_close(q) and ctx.pair[q] < start:
            start = ctx.pair[q]
    words = [x for x in ctx.doc[start:t] if not x.is_punct and x.lower_ not in ctx.lex.time_words]
    return (start, t) if len(words) >= 2 else None


def _continuation(ctx: _Ctx, q: int, hi: int, left: tuple[int, int]) -> list[tuple[int, int]]:
    """More content after an inverted cue: the rest of an interrupted quote, or the next sentence's quote."""
    parts = _interrupted(ctx, q, hi, left)
    if parts or not ctx.is_close(left[1] - 1) or _clause_end(ctx, q, hi) > q:
        return parts
    return _next_quote(ctx, q, hi)


def _interrupted(ctx: _Ctx, q: int, hi: int, left: tuple[int, int]) -> list[tuple[int, int]]:
    """Second part of a content interrupted by source and cue: '"A," he said, "B."' or 'A, he said, B.'."""
    doc, lex = ctx.doc, ctx.lex
    if q + 1 >= hi or doc[q].text != ",":
        return []
    n = q + 1
    if n in ctx.opened:
        return [(n, ctx.pair[n] + 1)]
    if left[0] in ctx.opened or left[1] - left[0] > MAX_NP:
        return []
    w = doc[n]
    if not w.is_alpha or w.lower_ in lex.continuation_stops or w.lower_.endswith("ing") or w.lower_ in lex.cue_verbs:
        return []
    part = _content_right(ctx, n, hi)
    return [part] if part else []


# --- after the cue --------------------------------------------------------------------------------------------

def _skip_object(ctx: _Ctx, k: int, hi: int) -> int:
    """"told The Associated Press", "told reporters": the addressee is neither cue nor content."""
    doc, lex = ctx.doc, ctx.lex
    if k >= hi:
        return k
    if doc[k].lower_ in OBJECT_PRONOUNS:
        return k + 1
    e = k + 1 if doc[k].lower_ in OBJECT_DETERMINERS else k
    f = e
    while f < hi and f - e < 5 and doc[f].lower_ != "that" and (
        doc[f].lower_ in lex.object_words or (_title(doc[f].text) and doc[f].is_alpha) or doc[f].text in POSSESSIVES
    ):
        f += 1
    return f if f > e else k


def _adverbial_end(ctx: _Ctx, k: int, hi: int) -> int | None:
    """"in a statement on Telegram", "on Sunday", "to reporters": where such a phrase after a cue ends."""
    doc, lex = ctx.doc, ctx.lex
    for f in range(k + 1, min(k + 5, hi)):
        lo = doc[f].lower_
        if doc[f].is_punct or lo == "that":
            return None
        if lo in lex.adverbial_nouns or lo in lex.time_words:
            f += 1
            while f < hi and doc[f].like_num:
                f += 1
            if f + 1 < hi and doc[f].lower_ in {"on", "of"} and _title(doc[f + 1].text):
                f += 2
                while f < hi and _title(doc[f].text) and doc[f].is_alpha:
                    f += 1
            return f
    return None


def _skip_adverbials(ctx: _Ctx, k: int, hi: int) -> int:
    doc, lex = ctx.doc, ctx.lex
    while k < hi:
        lo = doc[k].lower_
        if lo in lex.time_words:
            k += 1
        elif lo in lex.time_modifiers and k + 1 < hi and doc[k + 1].lower_ in lex.time_words:
            k += 2
        elif lo in lex.adverbial_preps and (e := _adverbial_end(ctx, k, hi)):
            k = e
        else:
            return k
    return k


def _after_cue(ctx: _Ctx, k: int, hi: int, takes_object: bool) -> int:
    """First token of the content after a cue: past the addressee, adverbials, "that" and a colon."""
    if takes_object:
        k = _skip_object(ctx, k, hi)
    k = _skip_adverbials(ctx, k, hi)
    if k < hi and ctx.doc[k].lower_ == "that":
        k += 1
    if k < hi and ctx.doc[k].text == ":":
        k += 1
    return k


# --- patterns -------------------------------------------------------------------------------------------------

def _verb(ctx: _Ctx, i: int, cue_end: int, takes_object: bool) -> _Draft | None:
    """SOURCE CUE CONTENT, CONTENT SOURCE CUE, CONTENT CUE SOURCE and the interrupted forms."""
    doc = ctx.doc
    hi = ctx.s1[i]
    src = _source_left(ctx, i)
    if src == _REJECT:
        return None
    k = _after_cue(ctx, cue_end, hi, takes_object)
    if src is None:
        return _inverted(ctx, i, cue_end, hi)
    if _hedge(ctx, src, i):
        return None
    right = _content_right(ctx, k, hi)
    left = _content_left(ctx, src[0] - 1)
    if right and not (left and left[0] in ctx.opened and not _introduced(ctx, cue_end, k)):
        return _Draft(src, [(i, cue_end)], [right])
    if left:
        return _Draft(src, [(i, cue_end)], [left] + _continuation(ctx, k, hi, left))
    if k + 1 < hi and doc[k].text == "," and (k + 1) in ctx.opened:
        return _Draft(src, [(i, cue_end)], [(k + 1, ctx.pair[k + 1] + 1)])
    return None


def _hedge(ctx: _Ctx, src: tuple[int, int], i: int) -> bool:
    """"I think", "you know": first- and second-person belief verbs hedge rather than attribute."""
    doc, lex = ctx.doc, ctx.lex
    lemma = lex.cue_verbs.get(doc[i].text)
    first = src[1] - src[0] == 1 and doc[src[0]].lower_ in {"i", "we", "you", "one"}
    return first and lemma in lex.belief


def _introduced(ctx: _Ctx, cue_end: int, k: int) -> bool:
    """Content right after the cue is marked as such: "said that", "said:", "said \"..."."""
    return k == cue_end or any(ctx.doc[x].lower_ == "that" or ctx.doc[x].text == ":" for x in range(cue_end, k))


def _inverted(ctx: _Ctx, i: int, cue_end: int, hi: int) -> _Draft | None:
    """CONTENT, said SOURCE (, apposition)."""
    left = _content_left(ctx, i - 1)
    if not left:
        return None
    a = _skip_adverbials(ctx, cue_end, hi)
    e = _np_right(ctx, a, hi)
    if e is None:
        return None
    e = _apposition_right(ctx, e, hi)
    rest = _skip_adverbials(ctx, e, hi)
    return _Draft((a, e), [(i, cue_end)], [left] + _continuation(ctx, rest, hi, left))


def _according_to(ctx: _Ctx, i: int) -> _Draft | None:
    """CONTENT, according to SOURCE / According to SOURCE, CONTENT."""
    doc = ctx.doc
    if doc[i].lower_ != "according" or i + 1 >= len(doc) or doc[i + 1].lower_ != "to":
        return None
    lo, hi = ctx.s0[i], ctx.s1[i]
    e = _np_right(ctx, i + 2, hi)
    if e is None:
        return None
    cue = [(i, i + 2)]
    if i == _content_start(ctx, lo, i + 1):
        right = _content_right(ctx, e + 1, hi) if e < hi and doc[e].text == "," else None
        return _Draft((i + 2, e), cue, [right]) if right else None
    e = _apposition_right(ctx, e, hi)
    left = _content_left(ctx, i - 1)
    if left:
        return _Draft((i + 2, e), cue, [left] + _continuation(ctx, e, hi, left))
    start = _content_start(ctx, lo, i)
    return _Draft((i + 2, e), cue, [(start, i)]) if i - start >= 2 else None


def _sourceless_passive(ctx: _Ctx, i: int) -> _Draft | None:
    """"it was reported that ...": no source, cue "was reported"."""
    doc, lex = ctx.doc, ctx.lex
    if doc[i].lower_ not in lex.passive or i < 2:
        return None
    j = i - 1
    while j >= 0 and (doc[j].lower_ in lex.be or doc[j].lower_ in lex.aux):
        j -= 1
    if j < 0 or doc[j].lower_ != "it" or not any(doc[x].lower_ in lex.be for x in range(j + 1, i)):
        return None
    k = _skip_adverbials(ctx, i + 1, ctx.s1[i])
    if k >= ctx.s1[i] or doc[k].lower_ != "that":
        return None
    right = _content_right(ctx, k + 1, ctx.s1[i])
    return _Draft(None, [(j + 1, i + 1)], [right]) if right else None


def _quoted_as_saying(ctx: _Ctx, i: int) -> _Draft | None:
    """"X was quoted as saying (that) ...": cue "was quoted as saying"."""
    doc, lex = ctx.doc, ctx.lex
    if doc[i].lower_ != "quoted" or i + 2 >= len(doc) or doc[i + 1].lower_ != "as" or not doc[i + 2].lower_.endswith("ing"):
        return None
    lo, hi = ctx.s0[i], ctx.s1[i]
    b = i - 1 if i > lo and doc[i - 1].lower_ in lex.be else i
    j = b - 1
    while j >= lo and doc[j].lower_ in lex.aux:
        j -= 1
    start = _np_left(ctx, j, lo) if j >= lo else None
    right = _content_right(ctx, _after_cue(ctx, i + 3, hi, False), hi)
    if right is None:
        return None
    return _Draft((start, j + 1) if start is not None else None, [(b, i + 3)], [right])


def _noun_cue(ctx: _Ctx, i: int) -> _Draft | None:
    """"the ministry's claim that ...": cue is the noun, source its possessor (if any)."""
    doc, lex = ctx.doc, ctx.lex
    lo, hi = ctx.s0[i], ctx.s1[i]
    if doc[i].lower_ not in lex.noun_cues or i + 2 >= hi or doc[i + 1].lower_ != "that":
        return None
    nxt = doc[i + 2].lower_
    if nxt in lex.be or nxt in lex.aux or nxt in lex.cue_verbs or i == lo or doc[i - 1].lower_ not in lex.determiners:
        return None
    right = _content_right(ctx, i + 2, hi)
    if right is None:
        return None
    src = None
    for p in range(i - 1, max(lo, i - 4) - 1, -1):
        if doc[p].text in POSSESSIVES and p > lo:
            start = _np_left(ctx, p - 1, lo)
            src = (start, p) if start is not None else None
            break
    return _Draft(src, [(i, i + 1)], [right])


def _match(ctx: _Ctx, i: int) -> _Draft | None:
    """Try each pattern on token i; the first that fits wins."""
    doc, lex = ctx.doc, ctx.lex
    t = doc[i]
    for pattern in (_according_to, _quoted_as_saying, _sourceless_passive):
        found = pattern(ctx, i)
        if found:
            return found
    if not t.text.islower():
        return None
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    if t.text in lex.call_verbs and nxt in {"on", "for"}:
        return _verb(ctx, i, i + 2, False)
    if t.text in lex.requests:
        return _verb(ctx, i, i + 1, False)
    lemma = lex.cue_verbs.get(t.text)
    if lemma and not (nxt == "to" and lemma in {"tell", "ask", "say"}) and not t.text.endswith("ing"):
        found = _verb(ctx, i, i + 1, lemma in lex.object_taking)
        if found:
            return found
    return _noun_cue(ctx, i)


def _participial(ctx: _Ctx, drafts: list[_Draft], taken: set[int]) -> list[_Draft]:
    """", stressing that ..." after an attribution: the same source, a new cue and content."""
    doc, lex = ctx.doc, ctx.lex
    extra = []
    for d in drafts:
        if d.source is None:
            continue
        last = max(d.cue_tokens)
        for q in range(last + 1, ctx.s1[last] - 2):
            w = doc[q + 1]
            if doc[q].text == "," and w.lower_ in lex.participial and w.i not in taken:
                right = _content_right(ctx, _after_cue(ctx, w.i + 1, ctx.s1[last], True), ctx.s1[last])
                if right:
                    extra.append(_Draft(d.source, [(w.i, w.i + 1)], [right]))
                    taken.add(w.i)
                break
    return extra


# --- output ---------------------------------------------------------------------------------------------------

def _chars(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _is_anonymous(ctx: _Ctx, src: tuple[int, int]) -> bool:
    s, e = _chars(ctx.doc, src)
    if ctx.has_entities:
        return not any(a < e and s < b for a, b in ctx.named)
    head = src[1] - 1
    for k in range(src[0], src[1]):
        if ctx.doc[k].text == ",":
            head = k - 1
            break
    return ctx.doc[head].lower_ in ctx.lex.anonymous_heads


def _finish(ctx: _Ctx, drafts: list[_Draft]) -> list[FoundAttribution]:
    """Char spans in document order; pronoun sources inherit anonymity from the latest non-pronoun source."""
    doc = ctx.doc
    out = []
    latest: bool | None = None
    for d in sorted(drafts, key=lambda d: d.cue[0]):
        if d.source is None:
            anonymous = True
        elif d.source[1] - d.source[0] == 1 and doc[d.source[0]].lower_ in ctx.lex.pronouns:
            anonymous = True if latest is None else latest
        else:
            anonymous = latest = _is_anonymous(ctx, d.source)
        out.append(FoundAttribution(
            source=[_chars(doc, d.source)] if d.source else [],
            cue=[_chars(doc, c) for c in d.cue],
            content=[_chars(doc, c) for c in d.content],
            anonymous=anonymous,
        ))
    return out


def find_attributions(doc: Doc, entities: list[tuple[int, int, str]]) -> list[FoundAttribution]:
    """In document order."""
    ctx = _Ctx(doc, entities)
    drafts: list[_Draft] = []
    taken: set[int] = set()
    for t in doc:
        if t.i in taken:
            continue
        found = _match(ctx, t.i)
        if found:
            drafts.append(found)
            taken |= found.cue_tokens
    drafts += _participial(ctx, drafts, taken)
    return _finish(ctx, drafts)
