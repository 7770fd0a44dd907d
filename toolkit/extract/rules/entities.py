"""Rule-based entity extractor: gazetteers, token rules and regexes, no pretrained model.

`find_entities(doc)` returns flat, non-overlapping character spans `(start, end, label)` into
`doc.text`, sorted by start. Word lists live in `toolkit/lexicons/entities.json`, keyed by entity
label; every key must be a label of the schema inventory (checked when the lexicon is loaded).

Sources, from most to least specific:
  1. gazetteers (case-sensitive phrase lists: countries, cities, oblasts, organisations, people,
     nationalities, weapon and vehicle models) and number/date/time regexes;
  2. token rules: title + name, role + appositive name, "<country>'s <generic org noun>",
     "<Name> region", "<Name> air base", weapon/vehicle noun phrases;
  3. heuristics: capitalised runs ending in an organisation word, two capitalised words next to
     "said"/"told", acronyms in parentheses after an ORG, reuse of a surname seen as PERSON.
Overlaps are resolved by keeping the longer span, then the more specific source.

Conventions
-----------
- PERSON: the name without titles or roles: "Volodymyr Zelenskyy" in "President Volodymyr
  Zelenskyy", "Igor Kobzeva" in "Gov. Igor Kobzeva"; a surname found once as part of a full
  name is PERSON wherever it recurs ("Zelenskyy").
- Determiners: no leading "the", except in names that carry it ("The Associated Press",
  "The Hague").
- Possessives: "'s" is excluded ("Russia" in "Russia's"), except that a country's possessive in
  front of a generic organisation noun ("air force", "army", "forces", "Ministry of Defense")
  belongs to one flat ORG span: "Ukraine's air force", "Russia's Ministry of Defense".
- NORP: nationality, religious and political adjectives and plural nouns ("Ukrainian",
  "Russians", "Sunni"). An adjective that starts a capitalised organisation name stays inside the
  ORG ("Ukrainian Ground Forces").
- GPE with a region word: only the name is GPE, the generic word stays outside: "Irkutsk" in
  "Irkutsk region", "Kharkiv" in "Kharkiv Oblast". (labels.json's example "Sumy region" shows the
  longer OntoNotes style; this extractor marks "Sumy".)
- FAC: name plus facility noun ("Belaya air base", "Zaporizhzhia nuclear plant").
- Numbers in OntoNotes style: a modifier belongs to the span ("more than 40", "at least 12",
  "about 300"); CARDINAL only when no other numeric type applies; "one" alone is not marked.
- QUANTITY: number plus unit, also hyphenated ("4,000 kilometers", "1,000-kilometer").
- DATE: the date expression without leading adverbs ("Sunday" in "Earlier Sunday"; "a day";
  "February 2022"; "1 1/2-year"); TIME: clock times and parts of a day ("12:50 p.m.",
  "overnight").
- WEAPON / VEHICLE: the head noun with its type modifiers and model names ("drones",
  "ballistic missiles", "Tu-95 bombers"), without determiners or nationality adjectives.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Iterable, NamedTuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from toolkit.nlp import blank_pipeline
from toolkit.schema import inventory

LEXICON_PATH = Path(__file__).resolve().parents[2] / "lexicons" / "entities.json"

# Ranks break ties between candidates of equal length: higher is more specific.
GAZETTEER, RULE, HEURISTIC = 3, 2, 1
APOSTROPHE_S = {"'s", "’s", "'", "’"}
CONNECTORS = {"of", "for", "on", "&", "de", "al", "el"}


class Candidate(NamedTuple):
    start: int
    end: int
    label: str
    rank: float


# --------------------------------------------------------------------------- lexicon


def validate_lexicon(data: dict) -> dict:
    """Every top-level key must be a schema label, so a typo cannot create a stray label."""
    known = set(inventory().entity_labels)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"lexicon keys that are not entity labels: {unknown}")
    return data


@cache
def lexicon() -> dict:
    """The word lists, loaded and checked once."""
    return validate_lexicon(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))


def label(name: str) -> str:
    """A label used by a rule; fails loudly if the schema no longer has it."""
    if name not in inventory().entity_types:
        raise ValueError(f"{name!r} is not an entity label of the schema")
    return name


def words(lab: str, key: str) -> list[str]:
    return lexicon().get(label(lab), {}).get(key, [])


# --------------------------------------------------------------------------- matchers


@cache
def name_matcher() -> PhraseMatcher:
    """Case-sensitive gazetteer matcher; match ids are the labels (GPE also in capitals, for datelines)."""
    nlp = blank_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for lab, lists in lexicon().items():
        names = list(lists.get("names", []))
        if lab == "GPE":
            names += [n.upper() for n in names if n.upper() != n and len(n) > 3]
        if lab == "DATE":
            names += lists.get("weekdays", []) + lists.get("holidays", [])
            names += [m for m in lists.get("months", []) if m not in ("May", "March")]
        if names:
            matcher.add(lab, list(nlp.tokenizer.pipe(names)))
    return matcher


@cache
def phrase_matcher(key: str, *lists: tuple[str, str], attr: str = "LOWER") -> PhraseMatcher:
    """A matcher over some lexicon lists (label, list name), all under one match id."""
    nlp = blank_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    phrases = [w.lower() if attr == "LOWER" else w for lab, name in lists for w in words(lab, name)]
    matcher.add(key, list(nlp.tokenizer.pipe(phrases)))
    return matcher


def title_matcher() -> PhraseMatcher:
    return phrase_matcher("TITLE", ("PERSON", "titles"), attr="ORTH")


def lowercase_matcher(lab: str, key: str) -> PhraseMatcher:
    return phrase_matcher(f"{lab}:{key}", (lab, key))


@cache
def non_name_words() -> frozenset[str]:
    """Capitalised words that cannot be part of a person's name in heuristic rules."""
    out = set(words("PERSON", "not_names")) | set(words("ORG", "heads"))
    out |= set(words("PERSON", "titles")) | set(words("DATE", "months")) | set(words("DATE", "weekdays"))
    for lab in ("GPE", "NORP", "LOC", "ORG", "FAC"):
        out |= {n for n in words(lab, "names") if " " not in n}
    out |= {w for w in words("FAC", "heads") if " " not in w}
    return frozenset(out)


def is_capitalised(tok) -> bool:
    text = tok.text
    return text[:1].isupper() and any(c.isalpha() for c in text)


def is_name_token(tok) -> bool:
    """A capitalised word with lower-case letters (or an initial) that is no known non-name word."""
    text = tok.text
    if re.fullmatch(r"[A-Z]\.", text):
        return True
    return is_capitalised(tok) and any(c.islower() for c in text) and text not in non_name_words()


def is_particle(doc: Doc, i: int) -> bool:
    """'al-', 'bin', 'von' inside an Arabic/European name."""
    return doc[i].text in words("PERSON", "particles") and i + 1 < len(doc)


def name_tokens(doc: Doc, i: int, limit: int = 4) -> int:
    """End index of the name starting at token i (i itself when there is none)."""
    j, count = i, 0
    while j < len(doc) and count < limit:
        if is_name_token(doc[j]):
            j, count = j + 1, count + 1
        elif is_particle(doc, j) and count and j + 1 < len(doc):
            k = j + 1 + (doc[j + 1].text == "-")
            if k < len(doc) and is_name_token(doc[k]):
                j = k
            else:
                break
        elif doc[j].text == "-" and count and not doc[j - 1].whitespace_ and j + 1 < len(doc) and is_name_token(doc[j + 1]):
            j += 1
        else:
            break
    return j


# --------------------------------------------------------------------------- regex sources


def alternation(items: Iterable[str], ignore_case: bool = False) -> str:
    """Longest-first regex alternation; spaces also match hyphens ('air-defense')."""
    parts = sorted({i for i in items if i}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in parts)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


@cache
def number_pattern() -> str:
    num_words = alternation(words("CARDINAL", "number_words") + ["one", "a few", "several", "few", "a couple of"], True)
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s\d/\d)?|\d/\d"
    scale = alternation(words("CARDINAL", "scale_words"), True)
    return rf"(?:{digits}|{num_words}(?:[\s-]+{num_words})*)(?:\s+{scale})?"


@cache
def numeric_regexes() -> list[tuple[re.Pattern, str, float]]:
    """(regex, label, rank) for money, percent, quantity, time, date and cardinal expressions."""
    num = number_pattern()
    mod = rf"(?:{alternation(words('CARDINAL', 'modifiers'), True)}\s+)?"
    start, end = r"(?<![\w$€£.\-/])", r"(?![\w%])"
    money_scale = alternation(words("MONEY", "scales"), True)
    months = alternation(words("DATE", "months"))
    weekdays = alternation(words("DATE", "weekdays"))
    units = alternation(words("DATE", "units"), True)
    hours = alternation(words("TIME", "units"), True)
    parts = alternation(words("TIME", "day_parts"), True)
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    specs = [
        (rf"{mod}{alternation(words('MONEY', 'symbols'))}\s?\d[\d,]*(?:\.\d+)?(?:\s?{money_scale}\b)?", "MONEY", 3.6),
        (rf"{start}{mod}{num}\s+{alternation(words('MONEY', 'currencies'), True)}{end}", "MONEY", 3.6),
        (r"(?i:\b(?:millions|billions|hundreds of millions) of (?:dollars|euros|pounds))\b", "MONEY", 3.6),
        (rf"{start}{mod}{num}\s?{alternation(words('PERCENT', 'words'), True)}(?!\w)", "PERCENT", 3.6),
        (rf"{start}{num}(?:\s*|-){alternation(words('QUANTITY', 'units'))}{end}", "QUANTITY", 3.5),
        (rf"{start}\d{{1,2}}(?::\d{{2}})?\s?(?:[ap]\.m\.|[ap]m\b|[AP]M\b)", "TIME", 3.5),
        (rf"{start}\d{{1,2}}:\d{{2}}{end}", "TIME", 3.4),
        (rf"{start}(?i:(?:the\s+)?(?:(?:past|last|next|previous|first|coming)\s+)?){num}[\s-]+{hours}{end}", "TIME", 3.4),
        (rf"\b{weekdays}\s+{parts}\b", "TIME", 3.4),
        (rf"\b(?:(?:{weekdays}),?\s+)?(?:{months}\s+{day}(?:,?\s+\d{{4}})?|{day}\s+{months}(?:,?\s+\d{{4}})?)(?!\w)", "DATE", 3.5),
        (rf"\b{months}(?:\s+of)?\s+\d{{4}}\b", "DATE", 3.5),
        (r"\b(?:May|March)\s+\d{1,2}\b", "DATE", 3.5),
        (rf"{start}(?:1[89]\d\d|20\d\d)(?:\s?[-–]\s?(?:1[89]\d\d|20\d\d|\d\d))?{end}", "DATE", 3.3),
        (r"(?i:\b(?:the\s+)?(?:early\s+|mid-|late\s+)?(?:19|20)\d0s)\b", "DATE", 3.3),
        (rf"{start}(?i:(?:the\s+)?(?:(?:past|last|next|previous|coming|first)\s+)?){num}[\s-]+{units}(?i:[\s-]+(?:ago|earlier|later|old))?{end}", "DATE", 3.3),
        (rf"{start}{num}-{units}(?i:-old)?{end}", "DATE", 3.3),
        (rf"{start}{mod}{num}{end}", "CARDINAL", 3.0),
    ]
    return [(re.compile(p), lab, rank) for p, lab, rank in specs]


@cache
def noun_phrase_regex(lab: str) -> re.Pattern:
    """Weapon or vehicle noun phrase: modifiers/model names, then a head noun; or a model name alone."""
    mods = alternation(words(lab, "modifiers"), True)
    models = alternation(words(lab, "names") + words(lab, "model_modifiers"))
    heads = alternation(words(lab, "heads"), True)
    names = alternation(words(lab, "names"))
    pattern = rf"(?<![\w-])(?:(?:{models}|{mods})[\s-]+){{0,3}}{heads}(?![\w]|-\w)|(?<![\w-]){names}(?![\w]|-\w)"
    return re.compile(pattern)


def regex_candidates(doc: Doc, text: str, regex: re.Pattern, lab: str, rank: float) -> list[Candidate]:
    """Regex matches snapped outwards to token boundaries."""
    out = []
    for m in regex.finditer(text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and span.text.strip():
            out.append(Candidate(span.start_char, span.end_char, lab, rank))
    return out


VERB_CONTEXT = {"to", "will", "would", "could", "can", "may", "might", "did", "not", "also"}


def is_verb_use(doc: Doc, cand: Candidate) -> bool:
    """'to shell', 'Russia bombs ...': weapon nouns used as verbs."""
    span = doc.char_span(cand.start, cand.end)
    if span is None or len(span) != 1 or span.text.lower() not in {"shell", "shells", "bomb", "bombs", "mine"}:
        return False
    prev = doc[span.start - 1] if span.start else None
    return prev is not None and (prev.lower_ in VERB_CONTEXT or is_capitalised(prev) and not prev.is_sent_start)


VAGUE_COUNTS = {"one", "several", "few", "a few", "a couple of"}


def is_vague_count(text: str, cand: Candidate) -> bool:
    """'one', 'several' alone are too often pronoun-like ('one of them') to be a CARDINAL."""
    if cand.label != "CARDINAL":
        return False
    bare = re.sub(rf"^{alternation(words('CARDINAL', 'modifiers'), True)}\s+", "", text[cand.start:cand.end].lower())
    return bare in VAGUE_COUNTS


def numeric_candidates(doc: Doc) -> list[Candidate]:
    text = doc.text  # built on every access: read it once
    found = [c for regex, lab, rank in numeric_regexes() for c in regex_candidates(doc, text, regex, lab, rank)]
    return [c for c in found if not is_vague_count(text, c)]


def noun_phrase_candidates(doc: Doc) -> list[Candidate]:
    out, text = [], doc.text
    for lab in ("WEAPON", "VEHICLE"):
        found = regex_candidates(doc, text, noun_phrase_regex(lab), lab, GAZETTEER)
        out += [c for c in found if not is_verb_use(doc, c)]
    return out


# --------------------------------------------------------------------------- token rules


def char_candidate(doc: Doc, start: int, end: int, lab: str, rank: float) -> Candidate:
    span = doc[start:end]
    return Candidate(span.start_char, span.end_char, lab, rank)


def gazetteer_candidates(doc: Doc) -> list[Candidate]:
    """Exact phrase matches from the lexicon, plus lower-cased relative dates and times."""
    vocab = doc.vocab.strings
    out = [char_candidate(doc, s, e, vocab[m], GAZETTEER) for m, s, e in name_matcher()(doc)]
    for lab, key in (("DATE", "relative"), ("TIME", "words")):
        out += [char_candidate(doc, s, e, lab, GAZETTEER - 0.5) for _, s, e in lowercase_matcher(lab, key)(doc)]
    return out


def title_person_candidates(doc: Doc) -> list[Candidate]:
    """'President Volodymyr Zelenskyy' -> PERSON 'Volodymyr Zelenskyy' (titles stay outside)."""
    out = []
    for _, s, e in title_matcher()(doc):
        end = name_tokens(doc, e)
        if end > e:
            out.append(char_candidate(doc, e, end, "PERSON", RULE))
    return out


def role_person_candidates(doc: Doc) -> list[Candidate]:
    """'spokesman Dmitry Peskov' and 'army chief, Oleksandr Syrskyi,' -> PERSON (two-word names only)."""
    roles = set(words("PERSON", "roles"))
    out = []
    for tok in doc[:-2]:
        if tok.lower_ not in roles:
            continue
        start = tok.i + 1 + (doc[tok.i + 1].text == ",")
        end = name_tokens(doc, start)
        if end - start >= 2 and (start == tok.i + 1 or end >= len(doc) or doc[end].text in {",", ".", ";"}):
            out.append(char_candidate(doc, start, end, "PERSON", RULE))
    return out


def speech_person_candidates(doc: Doc) -> list[Candidate]:
    """Two or three name words right before 'said'/'told', or after ', said' and before a comma."""
    verbs = set(words("PERSON", "speech_verbs"))
    out = []
    for tok in doc:
        if tok.lower_ not in verbs:
            continue
        start = tok.i - 1
        while start >= 0 and tok.i - start <= 3 and is_name_token(doc[start]):
            start -= 1
        start += 1
        if tok.i - start >= 2 and (start == 0 or not is_capitalised(doc[start - 1]) or doc[start - 1].is_sent_start and doc[start - 1].is_stop):
            out.append(char_candidate(doc, start, tok.i, "PERSON", HEURISTIC))
        end = name_tokens(doc, tok.i + 1, limit=3)
        if end - tok.i - 1 >= 2 and (end >= len(doc) or doc[end].is_punct):
            out.append(char_candidate(doc, tok.i + 1, end, "PERSON", HEURISTIC))
    return out


def possessive_org_candidates(doc: Doc, gazetteer: list[Candidate]) -> list[Candidate]:
    """"Ukraine's air force": a country's possessive joins a generic organisation noun into one ORG."""
    generic = {(s, e) for _, s, e in lowercase_matcher("ORG", "generic_after_possessive")(doc)}
    starts = {}
    for s, e in generic:
        starts[s] = max(starts.get(s, s), e)
    by_end = {c.end: c for c in gazetteer if c.label == "GPE"}
    out = []
    for tok in doc[1:-1]:
        if tok.text in APOSTROPHE_S and tok.i + 1 in starts and doc[tok.i - 1].idx + len(doc[tok.i - 1]) in by_end:
            country = by_end[doc[tok.i - 1].idx + len(doc[tok.i - 1])]
            out.append(Candidate(country.start, doc[starts[tok.i + 1] - 1].idx + len(doc[starts[tok.i + 1] - 1]), "ORG", RULE))
    return out


@cache
def run_blockers() -> frozenset[str]:
    return frozenset(words("PERSON", "not_names")) | frozenset(words("NORP", "names"))


@cache
def org_heads() -> frozenset[str]:
    return frozenset(words("ORG", "heads"))


def proper_run_before(doc: Doc, i: int, allow_known: bool) -> int:
    """Start of 1-3 capitalised words ending right before token i (i when none)."""
    blocked = run_blockers()
    heads = org_heads()
    start = i
    while start > 0 and i - start < 3:
        tok = doc[start - 1]
        if tok.text == "-" and start - 1 > 0 and not tok.whitespace_ and start < i:
            start -= 1
            continue
        if not is_capitalised(tok) or tok.text in blocked or (not allow_known and tok.text in heads):
            break
        start -= 1
    while start < i and doc[start].text == "-":
        start += 1
    return start


def region_gpe_candidates(doc: Doc) -> list[Candidate]:
    """'Irkutsk region' -> GPE 'Irkutsk' (the region word stays outside)."""
    suffixes = set(words("GPE", "suffixes"))
    out = []
    for tok in doc[1:]:
        if tok.text in suffixes:
            start = proper_run_before(doc, tok.i, allow_known=False)
            if start < tok.i:
                out.append(char_candidate(doc, start, tok.i, "GPE", RULE))
    return out


def facility_candidates(doc: Doc) -> list[Candidate]:
    """'Belaya air base', 'Zaporizhzhia nuclear plant': capitalised name plus facility noun -> FAC."""
    out = []
    for _, s, e in phrase_matcher("FAC:heads", ("FAC", "heads"), attr="ORTH")(doc):
        start = proper_run_before(doc, s, allow_known=True)
        if start < s:
            out.append(char_candidate(doc, start, e, "FAC", RULE))
    return out


def ship_candidates(doc: Doc) -> list[Candidate]:
    """'USS Mahan', 'HMS Ocean' -> VEHICLE."""
    prefixes = set(words("VEHICLE", "ship_prefixes"))
    out = []
    for tok in doc[:-1]:
        if tok.text in prefixes and is_capitalised(doc[tok.i + 1]):
            end = tok.i + 1
            while end < len(doc) and end - tok.i <= 3 and is_capitalised(doc[end]):
                end += 1
            out.append(char_candidate(doc, tok.i, end, "VEHICLE", RULE))
    return out


def org_run_candidates(doc: Doc) -> list[Candidate]:
    """Capitalised runs containing an organisation word ('Ukrainian Ground Forces', 'Kyiv City Council')."""
    heads = set(words("ORG", "heads"))
    skip = set(words("PERSON", "not_names")) - set(words("NORP", "names"))
    out = []
    for sent in doc.sents:
        for start, end in capitalised_runs(sent):
            while start < end and (doc[start].text in skip or doc[start].is_stop):
                start += 1
            if end - start >= 2 and any(doc[k].text in heads for k in range(start, end)):
                out.append(char_candidate(doc, start, end, "ORG", HEURISTIC))
    return out


def doc_prev_is(tok, lower: str) -> bool:
    """'Islamic State of Iraq and the Levant': 'the' glues a name only right after 'of'."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ == lower


@cache
def single_word_titles() -> frozenset[str]:
    """Title words end an organisation run: 'Foreign Office' | 'Minister' | 'Tobias Ellwood'."""
    single = [t for t in words("PERSON", "titles") if " " not in t]
    return frozenset(single) | frozenset(t.rstrip(".") for t in single)


def capitalised_runs(sent: Span) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens joined by 'of', 'for', '&' or attached hyphens."""
    titles = single_word_titles()
    runs, start, last = [], None, None
    for tok in sent:
        glue = tok.lower_ in CONNECTORS or (tok.text == "-" and not tok.whitespace_)
        glue = glue or (tok.lower_ == "the" and doc_prev_is(tok, "of"))
        if is_capitalised(tok) and tok.text not in APOSTROPHE_S and tok.text not in titles:
            start = tok.i if start is None else start
            last = tok.i
        elif glue and start is not None:
            continue
        else:
            if start is not None:
                runs.append((start, last + 1))
            start = last = None
    if start is not None:
        runs.append((start, last + 1))
    return runs


# --------------------------------------------------------------------------- resolution


def resolve(candidates: Iterable[Candidate], length: int) -> list[Candidate]:
    """Greedy: longest first, then highest rank, then leftmost; overlapping losers are dropped."""
    taken = bytearray(length)
    kept = []
    for c in sorted(set(candidates), key=lambda c: (-(c.end - c.start), -c.rank, c.start)):
        if c.end > c.start and not any(taken[c.start:c.end]):
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
    return sorted(kept)


def reuse_candidates(doc: Doc, kept: list[Candidate]) -> list[Candidate]:
    """Surnames of found people and acronyms defined after an ORG, wherever they recur."""
    surnames, acronyms = set(), set()
    for c in kept:
        span = doc.char_span(c.start, c.end)
        if span is None:
            continue
        if c.label == "PERSON" and len(span) >= 2 and is_name_token(span[-1]):
            surnames.add(span[-1].text)
        if c.label == "ORG" and span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            acro = doc[span.end + 1].text
            if acro.isupper() and 2 <= len(acro) <= 6:
                acronyms.add(acro)
    out = [Candidate(t.idx, t.idx + len(t), "PERSON", HEURISTIC) for t in doc if t.text in surnames]
    out += [Candidate(t.idx, t.idx + len(t), "ORG", HEURISTIC) for t in doc if t.text in acronyms]
    return out


def find_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """Character spans (start, end, label) into doc.text, sorted by start, flat: no two spans overlap."""
    gazetteer = gazetteer_candidates(doc)
    candidates = gazetteer + numeric_candidates(doc) + noun_phrase_candidates(doc)
    candidates += possessive_org_candidates(doc, gazetteer)
    candidates += title_person_candidates(doc) + role_person_candidates(doc) + speech_person_candidates(doc)
    candidates += region_gpe_candidates(doc) + facility_candidates(doc) + ship_candidates(doc)
    candidates += org_run_candidates(doc)
    size = len(doc.text)
    kept = resolve(candidates, size)
    kept = resolve(kept + reuse_candidates(doc, kept), size)
    labels = set(inventory().entity_labels)
    return [(c.start, c.end, c.label) for c in kept if c.label in labels]
