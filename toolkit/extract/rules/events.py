"""Rule-based event triggers: typed trigger spans with a modality, from a lexicon and local context.

Works on the tokenizer-only pipeline of `toolkit.nlp.parse` (no tagger, lemmatizer or parser), so the
lexicon `toolkit/lexicons/event_triggers.json` lists every inflected form and matching is on lower-cased
tokens. Event types and modalities come from `toolkit.schema.inventory()`.

Conventions
-----------
- The trigger is the head word of the event mention: "strike" in "missile strike", "talks" in "peace
  talks", "attack" in "drone attack". Modifiers such as "missile" or "drone" only type the trigger.
  Multiword triggers are kept for fixed expressions whose head alone is ambiguous or meaningless:
  "took control", "shot down", "opened fire", "shot dead", "taken into custody", "martial law",
  "investigative commission", "cease - fire".
- One event per trigger mention: a back reference ("the attack", "the strike") is its own event mention.
  It takes the type of the previous nominal attack mention ("attack", "strike", "barrage", ...) in the
  document when nothing in its sentence types it; verbs ("pounded", "launched") are not antecedents.
- Attack words are typed by context, in this priority: (1) a weapon cue right before it ("drone
  attack" -> AIR_DRONE_STRIKE, "missile strike" -> SHELLING_MISSILE_ATTACK, "suicide attack" ->
  EXPLOSIVE_ATTACK); (2) a cue after "of/with/by" ("barrage of drones"); (3) the nearest cue in the
  sentence within the window ("launched seven missiles"); (4) a civilian target right after ("attack on
  civilians") -> ATTACK_ON_CIVILIANS; (5) a back reference; (6) the word's default ("attack" ->
  ARMED_CLASH, "barrage" -> SHELLING_MISSILE_ATTACK, "bombing" -> EXPLOSIVE_ATTACK). Ambiguous words
  ("strike", "hit", "launched", "fired", "pounded", "targeted") are events only when (1)-(3) or (5) hold.
  Cue words inside a FAC/GPE/LOC/PERSON entity ("Belaya air base") do not count.
- An attack word directly followed by a platform noun is a modifier, not an event ("strike drones",
  "attack helicopters", "assault rifles"); "struck a deal" is no attack.
- "capture", "seize", "take over" are typed by their object: a place (or a GPE/LOC/FAC entity) is a
  TERRITORY_CHANGE, a weapon (or WEAPON/VEHICLE entity) an INTERCEPTION, people (or a PERSON entity) an
  ARREST_DETENTION; without any of these there is no event.
- Not events: "war", "conflict", "operation", "security", "violence" (too generic); "threat" as a noun;
  "send a delegation" (the talks are the event); weapon nouns ("bomb", "missile") are entities, the
  event is the verb or nominal that uses them ("blast", "strike"). "held ... accountable" is an
  ACCUSATION_THREAT with trigger "accountable" (a promise of punishment, usually hypothetical).
- Words inside a name entity (PERSON, ORG, GPE, LOC, FAC, NORP, DATE, TIME) are never triggers ("Ban
  Ki-moon", "Treaty Organization").
- Modality: the nearest cue in a short window before the trigger, within its clause (commas, "but",
  "which", "said", ... end a clause): "will/could/may/plan/threaten/urge/able to" -> hypothetical;
  "not/no/never/denied/without/refused" -> negated (shorter window). "if/unless" make the whole rest of
  their clause hypothetical. Otherwise asserted. "ordered evacuations" stays asserted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc

from ...schema import inventory

LEXICON = "event_triggers.json"
GAP = None  # pattern element that skips 0 to 2 tokens
MAX_GAP = 2


@dataclass(frozen=True)
class Pattern:
    """A compiled lexicon pattern: word sets (or GAP) and which elements form the trigger."""

    elements: tuple
    lo: int
    hi: int
    value: object


@dataclass(frozen=True)
class Match:
    start: int  # token index where the whole pattern starts
    end: int
    trig_start: int  # tokens of the trigger part
    trig_end: int
    value: object


def parse_pattern(text: str, value: object) -> Pattern:
    """'make|made * [gains]' -> elements and the trigger part, so data stays readable."""
    elements, lo, hi = [], None, None
    for raw in text.split():
        if raw.startswith("[") and len(raw) > 1:
            lo, raw = len(elements), raw[1:]
        closes = raw.endswith("]") and len(raw) > 1
        raw = raw[:-1] if closes else raw
        elements.append(GAP if raw == "*" else frozenset(raw.lower().split("|")))
        if closes:
            hi = len(elements)
    lo = 0 if lo is None else lo
    hi = len(elements) if hi is None else hi
    if elements[0] is GAP or any(e is GAP for e in elements[lo:hi]):
        raise ValueError(f"'*' cannot start a pattern or be part of the trigger: {text!r}")
    return Pattern(tuple(elements), lo, hi, value)


class Matcher:
    """Patterns indexed by their first word: one dict look-up per token keeps long documents fast."""

    def __init__(self, patterns: list[Pattern]):
        self.index: dict[str, list[Pattern]] = {}
        for p in patterns:
            for word in p.elements[0]:
                self.index.setdefault(word, []).append(p)

    def matches(self, words: list[str], start: int, stop: int) -> list[Match]:
        """Longest match per start position in words[start:stop]."""
        found = []
        for i in range(start, stop):
            best = None
            for p in self.index.get(words[i], ()):
                m = match_at(p, words, i, stop)
                if m and (best is None or m.end - m.start > best.end - best.start):
                    best = m
            if best:
                found.append(best)
        return found


def match_at(p: Pattern, words: list[str], i: int, stop: int) -> Match | None:
    """Match pattern p at token i; positions[k] is where element k started."""
    positions: list[int] = []

    def step(k: int, j: int) -> int | None:
        if k == len(p.elements):
            return j
        if p.elements[k] is GAP:
            for skip in range(MAX_GAP + 1):
                positions.append(j)
                end = step(k + 1, j + skip)
                if end is not None:
                    return end
                positions.pop()
            return None
        if j >= stop or words[j] not in p.elements[k]:
            return None
        positions.append(j)
        end = step(k + 1, j + 1)
        if end is None:
            positions.pop()
        return end

    end = step(0, i)
    if end is None:
        return None
    trig_end = positions[p.hi] if p.hi < len(positions) else end
    return Match(i, end, positions[p.lo], trig_end, p.value)


def typed_patterns(table: dict[str, list[str]], known: set[str], where: str) -> list[Pattern]:
    """Patterns keyed by a label; unknown keys are a lexicon error, caught at load time."""
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{LEXICON} {where}: unknown labels {unknown}")
    return [parse_pattern(text, label) for label, texts in table.items() for text in texts]


def word_set(patterns: list[str]) -> frozenset[str]:
    return frozenset(w for text in patterns for w in text.lower().split("|"))


@dataclass(frozen=True)
class Lexicon:
    triggers: Matcher
    objects: Matcher
    cues: Matcher
    targets: Matcher
    object_classes: Matcher
    hypothetical: Matcher
    negated: Matcher
    clause_scope: frozenset[str]
    object_entities: dict[str, str]
    modifier_heads: frozenset[str]
    anaphors: frozenset[str]
    antecedents: frozenset[str]
    retyped: frozenset[str]
    light_verb_objects: int
    no_event_after: frozenset[str]
    attack_types: frozenset[str]
    ignore_cues_inside: frozenset[str]
    clause_breaks: frozenset[str]
    no_triggers_inside: frozenset[str]
    window: int
    cue_breaks: frozenset[str]
    cue_not_before: frozenset[str]
    target_window: int
    target_links: frozenset[str]
    object_window: int
    hypothetical_window: int
    negated_window: int


def load_lexicon_data() -> dict:
    return json.loads((resources.files("toolkit") / "lexicons" / LEXICON).read_text(encoding="utf-8"))


def attack_patterns(attack: dict, events: set[str]) -> list[Pattern]:
    """Attack words carry ("attack", default type) so context can retype them later."""
    defaults = typed_patterns(attack["default"], events, "attack.default")
    patterns = [Pattern(p.elements, p.lo, p.hi, ("attack", p.value, False)) for p in defaults]
    patterns += [parse_pattern(t, ("attack", None, False)) for t in attack["needs_cue"]]
    patterns += [parse_pattern(t, ("attack", None, True)) for t in attack["needs_modifier"]]
    return patterns


@cache
def lexicon() -> Lexicon:
    """Load and check the lexicon once: every key must be a known event type or entity label."""
    data = load_lexicon_data()
    inv = inventory()
    events, entity_labels = set(inv.event_labels), set(inv.entity_labels)
    attack, objects, modality = data["attack"], data["objects"], data["modality"]
    fixed = [Pattern(p.elements, p.lo, p.hi, ("fixed", p.value)) for p in
             typed_patterns(data["triggers"], events, "triggers")]
    objs = [parse_pattern(t, ("object", None)) for t in objects["words"]]
    check_labels(attack["attack_types"], events, "attack.attack_types")
    check_labels(attack["ignore_cues_inside"], entity_labels, "attack.ignore_cues_inside")
    check_labels(data["no_triggers_inside"], entity_labels, "no_triggers_inside")
    object_entities = {}
    for label, ents in objects["entities"].items():
        check_labels([label], events, "objects.entities")
        check_labels(ents, entity_labels, "objects.entities")
        object_entities.update({e: label for e in ents})
    return Lexicon(
        triggers=Matcher(fixed + attack_patterns(attack, events)),
        objects=Matcher(objs),
        cues=Matcher(typed_patterns(attack["cues"], events, "attack.cues")),
        targets=Matcher(typed_patterns(attack["targets"], events, "attack.targets")),
        object_classes=Matcher(typed_patterns(objects["classes"], events, "objects.classes")),
        hypothetical=Matcher([parse_pattern(t, "hypothetical") for t in modality["hypothetical"]]),
        negated=Matcher([parse_pattern(t, "negated") for t in modality["negated"]]),
        clause_scope=word_set(modality["clause_scope"]),
        object_entities=object_entities,
        modifier_heads=word_set(attack["modifier_heads"]),
        anaphors=frozenset(attack["anaphors"]),
        antecedents=frozenset(attack["antecedents"]),
        retyped=frozenset(attack["retyped_by_antecedent"]),
        light_verb_objects=attack["light_verb_objects"],
        no_event_after=frozenset(attack["no_event_after"]),
        attack_types=frozenset(attack["attack_types"]),
        ignore_cues_inside=frozenset(attack["ignore_cues_inside"]),
        clause_breaks=frozenset(data["clause_breaks"]),
        no_triggers_inside=frozenset(data["no_triggers_inside"]),
        window=attack["window"],
        cue_breaks=frozenset(attack["cue_breaks"]),
        cue_not_before=frozenset(attack["cue_not_before"]),
        target_window=attack["target_window"],
        target_links=frozenset(attack["target_links"]),
        object_window=objects["window"],
        hypothetical_window=modality["hypothetical_window"],
        negated_window=modality["negated_window"],
    )


def check_labels(labels: list[str], known: set[str], where: str) -> None:
    unknown = sorted(set(labels) - known)
    if unknown:
        raise ValueError(f"{LEXICON} {where}: unknown labels {unknown}")




@cache
def modality_names() -> tuple[str, str, str]:
    """(asserted, negated, hypothetical) as named by the inventory; fails loudly if one is renamed."""
    names = ("asserted", "negated", "hypothetical")
    check_labels(list(names), set(inventory().modality_labels), "modality")
    return names


@dataclass
class Sentence:
    """One sentence's tokens plus the context matches every trigger in it consults."""

    words: list[str]
    ent_labels: list[str | None]
    start: int
    end: int
    breaks: list[int]
    cue_breaks: list[int]
    cues: list[Match]
    targets: list[Match]
    classes: list[Match]
    modal_cues: list[Match]

    def clause_start(self, i: int) -> int:
        """First token of the clause holding token i."""
        before = [b for b in self.breaks if b < i]
        return before[-1] + 1 if before else self.start

    def clause_end(self, i: int) -> int:
        after = [b for b in self.breaks if b >= i]
        return after[0] if after else self.end


def token_entity_labels(doc: Doc, entities: list[tuple[int, int, str]]) -> list[str | None]:
    """Entity label per token (None outside entities), for cue filtering and object typing."""
    labels: list[str | None] = [None] * len(doc)
    for s, e, label in entities:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            labels[span.start:span.end] = [label] * len(span)
    return labels


def build_sentence(words, ent_labels, start: int, end: int, lex: Lexicon) -> Sentence:
    """Run the context matchers once per sentence."""
    breaks = [i for i in range(start, end) if words[i] in lex.clause_breaks or "\n" in words[i]]
    cue_breaks = [i for i in range(start, end) if words[i] in lex.cue_breaks or "\n" in words[i]]
    cues = [m for m in lex.cues.matches(words, start, end) if is_weapon_cue(m, words, ent_labels, end, lex)]
    modal = lex.hypothetical.matches(words, start, end) + lex.negated.matches(words, start, end)
    return Sentence(words, ent_labels, start, end, breaks, cue_breaks, non_overlapping(cues),
                    lex.targets.matches(words, start, end), lex.object_classes.matches(words, start, end),
                    modal)


def is_weapon_cue(m: Match, words: list[str], ent_labels: list, end: int, lex: Lexicon) -> bool:
    """Not inside a place or person name ('Belaya air base'), not naming a base or defence ('air base')."""
    if any(ent_labels[k] in lex.ignore_cues_inside for k in range(m.start, m.end)):
        return False
    return m.end >= end or words[m.end] not in lex.cue_not_before


def non_overlapping(matches: list[Match]) -> list[Match]:
    """Earliest, then longest match wins: 'suicide bomber' is one cue, not 'suicide' + 'bomber'."""
    kept: list[Match] = []
    for m in sorted(matches, key=lambda m: (m.start, m.start - m.end)):
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


def modifier_cue(sent: Sentence, i: int) -> str | None:
    """A weapon cue ending right before the trigger ('missile strike', 'air - strike')."""
    for c in sent.cues:
        if c.end == i or (c.end == i - 1 and sent.words[i - 1] == "-"):
            return c.value
    return None


def linked_cue(sent: Sentence, j: int) -> str | None:
    """'barrage of drones', 'attack with rockets', 'hit by a missile'."""
    if j < sent.end and sent.words[j] in ("of", "with", "by"):
        for c in sent.cues:
            if j < c.start <= j + 3:
                return c.value
    return None


def nearest_cue(sent: Sentence, i: int, j: int, window: int) -> str | None:
    """The closest weapon cue within the window either side, not past punctuation that ends a clause."""
    lo = max([b + 1 for b in sent.cue_breaks if b < i], default=sent.start)
    hi = min([b for b in sent.cue_breaks if b >= j], default=sent.end)
    best, best_dist = None, window + 1
    for c in sent.cues:
        if c.start < lo or c.end > hi:
            continue
        dist = i - c.end if c.end <= i else c.start - j
        if 0 <= dist < best_dist:
            best, best_dist = c.value, dist
    return best


def target_type(sent: Sentence, j: int, lex: Lexicon) -> str | None:
    """'attack on civilians', 'attacked worshippers' -> the target's event type."""
    first = j + 1 if j < sent.end and sent.words[j] in lex.target_links else j
    for t in sent.targets:
        if first <= t.start <= j + lex.target_window and t.start < sent.clause_end(j):
            return t.value
    return None


def is_modifier_use(sent: Sentence, i: int, j: int, lex: Lexicon) -> bool:
    """'strike drones', 'attack helicopters', 'struck a deal': an attack word that names no attack."""
    nxt = sent.words[j:min(j + 2, sent.end)]
    return (bool(nxt) and nxt[0] in lex.modifier_heads) or any(w in lex.no_event_after for w in nxt)


def is_anaphoric(sent: Sentence, i: int, lex: Lexicon) -> bool:
    """'the attack', "Sunday's strike", 'the deadly attack' refer back to an attack already told."""
    return any(sent.words[k] in lex.anaphors for k in range(max(sent.start, i - 2), i))


def is_light_verb(sent: Sentence, j: int, lex: Lexicon) -> bool:
    """'launched airstrikes', 'carried out an attack': the noun after it is the trigger, not the verb."""
    stop = min(sent.end, j + lex.light_verb_objects)
    return any(sent.words[k] in lex.antecedents for k in range(j, stop))


def attack_type(m: Match, sent: Sentence, last: str | None, lex: Lexicon) -> str | None:
    """Type an attack word by the documented priority; None when it names no attack."""
    _, default, modifier_only = m.value
    i, j = m.trig_start, m.trig_end
    if is_modifier_use(sent, i, j, lex) or (default is None and is_light_verb(sent, j, lex)):
        return None
    cue = modifier_cue(sent, i)
    if cue or modifier_only:
        return cue
    cue = linked_cue(sent, j) or nearest_cue(sent, i, j, lex.window)
    if cue:
        return cue
    target = target_type(sent, j, lex)
    if target:
        return target
    if last and sent.words[j - 1] in lex.retyped and is_anaphoric(sent, i, lex):
        return last
    return default


def object_type(m: Match, sent: Sentence, lex: Lexicon) -> str | None:
    """'captured the town' / 'weapons were seized' / 'captured two soldiers': typed by the object."""
    forward = range(m.end, min(sent.clause_end(m.end), m.end + lex.object_window))
    for k in forward:
        if sent.words[k] in ("by", "from"):
            break
        found = class_at(sent, k, lex)
        if found:
            return found
    backward = range(m.start - 1, max(sent.clause_start(m.start), m.start - lex.object_window) - 1, -1)
    for k in backward:
        found = class_at(sent, k, lex)
        if found:
            return found
    return None


def class_at(sent: Sentence, k: int, lex: Lexicon) -> str | None:
    for c in sent.classes:
        if c.start == k:
            return c.value
    return lex.object_entities.get(sent.ent_labels[k])


def modality(m: Match, sent: Sentence, lex: Lexicon) -> str:
    """The nearest cue before the trigger in its clause; 'if' colours the whole clause after it."""
    asserted, negated, hypothetical = modality_names()
    i, lo = m.start, sent.clause_start(m.start)
    best, best_dist = None, None
    for c in sent.modal_cues:
        if c.start < lo or c.end > i:
            continue
        limit = lex.negated_window if c.value == "negated" else lex.hypothetical_window
        dist = i - c.end
        if dist < limit and (best_dist is None or dist < best_dist):
            best, best_dist = c.value, dist
    if best:
        return negated if best == "negated" else hypothetical
    if any(sent.words[k] in lex.clause_scope for k in range(lo, i)):
        return hypothetical
    return asserted


def resolve(m: Match, sent: Sentence, last: str | None, lex: Lexicon) -> str | None:
    kind = m.value[0]
    if kind == "fixed":
        return m.value[1]
    if kind == "attack":
        return attack_type(m, sent, last, lex)
    return object_type(m, sent, lex)


def inside_name(m: Match, sent: Sentence, lex: Lexicon) -> bool:
    """'Ban Ki-moon', 'North Atlantic Treaty Organization': words of a name are not triggers."""
    return any(sent.ent_labels[k] in lex.no_triggers_inside for k in range(m.trig_start, m.trig_end))


def sentence_events(sent: Sentence, last: str | None, lex: Lexicon) -> tuple[list, str | None]:
    """Typed, non-overlapping trigger matches of one sentence, and the last attack type seen."""
    found = lex.triggers.matches(sent.words, sent.start, sent.end)
    found += lex.objects.matches(sent.words, sent.start, sent.end)
    typed = []
    for m in sorted(found, key=lambda m: m.start):
        if inside_name(m, sent, lex):
            continue
        label = resolve(m, sent, last, lex)
        if label is None:
            continue
        typed.append((m, label))
        if label in lex.attack_types and sent.words[m.trig_end - 1] in lex.antecedents:
            last = label
    kept, end = [], -1
    for m, label in sorted(typed, key=lambda x: (x[0].start, x[0].start - x[0].end)):
        if m.start >= end:
            kept.append((m, label))
            end = m.end
    return kept, last


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]
    return [(0, len(doc))]


def find_events(doc: Doc, entities: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """Trigger spans (start, end, event_type, modality) into doc.text, sorted, no two overlapping."""
    lex = lexicon()
    words = [t.lower_ for t in doc]
    ent_labels = token_entity_labels(doc, entities)
    events, last = [], None
    for start, end in sentence_bounds(doc):
        sent = build_sentence(words, ent_labels, start, end, lex)
        kept, last = sentence_events(sent, last, lex)
        for m, label in kept:
            first, final = doc[m.trig_start], doc[m.trig_end - 1]
            events.append((first.idx, final.idx + len(final.text), label, modality(m, sent, lex)))
    return sorted(events)
