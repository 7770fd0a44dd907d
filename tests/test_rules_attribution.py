"""Rule-based attributions: concrete source/cue/content spans for each pattern, and the AP article."""

from __future__ import annotations

import re

import pytest

from conftest import AP_ID, EXAMPLES
from toolkit.extract.rules.attribution import FoundAttribution, find_attributions
from toolkit.nlp import parse

AP_ARTICLE = EXAMPLES / f"{AP_ID}.txt"


def ents(text: str, *named: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Hand-written entity layer: every occurrence of each name, longest names first."""
    out: list[tuple[int, int, str]] = []
    for name, label in sorted(named, key=lambda n: -len(n[0])):
        for m in re.finditer(re.escape(name), text):
            if not any(s < m.end() and m.start() < e for s, e, _ in out):
                out.append((m.start(), m.end(), label))
    return sorted(out)


def run(text: str, *named: tuple[str, str]) -> list[FoundAttribution]:
    return find_attributions(parse(text), ents(text, *named))


def show(text: str, a: FoundAttribution) -> tuple[str, str, list[str], bool]:
    """(source, cue, contents, anonymous) as text, the way a reader checks them."""
    cut = lambda spans: " ".join(text[s:e] for s, e in spans)  # noqa: E731
    return cut(a.source), cut(a.cue), [text[s:e] for s, e in a.content], a.anonymous


def only(text: str, *named: tuple[str, str]) -> tuple[str, str, list[str], bool]:
    found = run(text, *named)
    assert len(found) == 1, [show(text, a) for a in found]
    return show(text, found[0])


def test_source_cue_that_content():
    text = "Ukraine's army said that 12 soldiers were killed."
    found = run(text, ("Ukraine", "GPE"))
    assert found == [FoundAttribution(source=[(0, 14)], cue=[(15, 19)], content=[(25, 48)], anonymous=False)]
    assert text[25:48] == "12 soldiers were killed"


def test_inverted_source_then_cue_skips_addressee_and_time():
    text = "The strike hit a fuel depot, a Ukrainian security official told The Associated Press on Sunday."
    assert only(text, ("Ukrainian", "NORP"), ("The Associated Press", "ORG")) == (
        "a Ukrainian security official", "told", ["The strike hit a fuel depot"], True)


def test_inverted_cue_then_source_with_apposition():
    text = "Russia launched seven missiles, said Yuriy Ignat, head of communications for the air force."
    assert only(text, ("Russia", "GPE"), ("Yuriy Ignat", "PERSON")) == (
        "Yuriy Ignat, head of communications for the air force", "said", ["Russia launched seven missiles"], False)


def test_dateline_is_not_content():
    text = "KYIV, Ukraine — A drone attack destroyed 40 planes, a security official said."
    assert only(text, ("KYIV", "GPE"), ("Ukraine", "GPE"))[2] == ["A drone attack destroyed 40 planes"]


def test_mid_sentence_cue_splits_content():
    text = "The operation, he said, took 18 months to prepare."
    assert only(text) == ("he", "said", ["The operation", "took 18 months to prepare"], True)


def test_interrupted_quotation_gives_two_content_spans():
    text = '"If officials erred," the statement said, "those responsible will be punished."'
    assert only(text) == (
        "the statement", "said", ['"If officials erred,"', '"those responsible will be punished."'], True)


def test_quotation_runs_across_sentences_to_closing_mark():
    text = '"We are ready. We will defend our land," Zelenskyy said.'
    assert only(text, ("Zelenskyy", "PERSON")) == (
        "Zelenskyy", "said", ['"We are ready. We will defend our land,"'], False)


def test_curly_quotes_after_colon():
    text = "Zelenskyy said: “We are doing everything to protect our state.”"
    assert only(text, ("Zelenskyy", "PERSON"))[2] == ["“We are doing everything to protect our state.”"]


def test_according_to_after_and_before_content():
    after = "At least 12 soldiers were killed, according to Ukraine's army."
    assert only(after, ("Ukraine", "GPE")) == (
        "Ukraine's army", "according to", ["At least 12 soldiers were killed"], False)
    before = "According to witnesses, the strike hit a school."
    assert only(before) == ("witnesses", "According to", ["the strike hit a school"], True)


def test_statement_of_a_named_body_is_not_anonymous():
    text = "\"Those responsible will be held accountable,\" the Ukrainian Ground Forces' statement said."
    src, cue, content, anonymous = only(text, ("Ukrainian Ground Forces", "ORG"))
    assert (src, cue, anonymous) == ("the Ukrainian Ground Forces' statement", "said", False)
    assert content == ['"Those responsible will be held accountable,"']


def test_in_a_statement_is_not_the_source():
    text = "In a statement on Telegram, Zelenskyy said that Rustem Umerov will lead the delegation."
    assert only(text, ("Zelenskyy", "PERSON"), ("Rustem Umerov", "PERSON"), ("Telegram", "ORG")) == (
        "Zelenskyy", "said", ["Rustem Umerov will lead the delegation"], False)


def test_noun_cue_with_possessor():
    text = "Kyiv rejected the ministry's claim that the village had fallen."
    assert only(text, ("Kyiv", "GPE")) == ("the ministry", "claim", ["the village had fallen"], True)


def test_sourceless_passive():
    text = "It was reported that the bridge collapsed overnight."
    found = run(text)
    assert found == [FoundAttribution(source=[], cue=[(3, 15)], content=[(21, 51)], anonymous=True)]
    assert text[3:15] == "was reported"


def test_quoted_as_saying():
    text = "The commander was quoted as saying that the line held."
    assert only(text) == ("The commander", "was quoted as saying", ["the line held"], True)


def test_apposition_and_relative_clause_before_cue():
    text = "Speaking Saturday, Ukraine's top army chief, Oleksandr Syrskyi, said that Russia is attacking Pokrovsk."
    named = (("Ukraine", "GPE"), ("Oleksandr Syrskyi", "PERSON"), ("Russia", "GPE"), ("Pokrovsk", "GPE"))
    assert only(text, *named)[:2] == ("Ukraine's top army chief, Oleksandr Syrskyi", "said")
    text = "The official, who spoke on condition of anonymity, said the attack took a year."
    assert only(text) == (
        "The official, who spoke on condition of anonymity", "said", ["the attack took a year"], True)


def test_participial_follow_up_keeps_the_source():
    text = "The strike occurred at noon, the statement said, emphasizing that no troops were gathered."
    found = [show(text, a) for a in run(text)]
    assert found == [
        ("the statement", "said", ["The strike occurred at noon"], True),
        ("the statement", "emphasizing", ["no troops were gathered"], True),
    ]


def test_request_called_on_is_an_attribution():
    text = "Ukrainian officials had previously called on the Kremlin to provide a memorandum."
    assert only(text, ("Ukrainian", "NORP"), ("Kremlin", "ORG")) == (
        "Ukrainian officials", "called on", ["the Kremlin to provide a memorandum"], True)


def test_pronoun_inherits_anonymity_from_latest_source():
    text = "A security official said the attack worked. It took a year, he said. Zelenskyy said talks go on. He said more."
    found = run(text, ("Zelenskyy", "PERSON"))
    assert [(show(text, a)[0], a.anonymous) for a in found] == [
        ("A security official", True), ("he", True), ("Zelenskyy", False)]


@pytest.mark.parametrize("text", [
    "Both sides signed the said agreement.",
    "Residents were told to leave the village.",
    "The attack was reported late on Sunday.",
    "Drones hit the base in the United States.",
])
def test_non_attribution_uses_are_skipped(text):
    assert run(text) == []


def test_first_person_belief_is_a_hedge_not_an_attribution():
    text = "“I think we will win,” he said."
    assert [show(text, a)[:2] for a in run(text)] == [("he", "said")]


def test_document_order_on_a_long_text():
    paragraph = ("Russia launched 40 drones, Ukraine's air force said. \"We shot down most of them,\" said Yuriy Ignat. "
                 "According to officials, a school was hit. The mayor said that power was cut.\n")
    text = paragraph * 50
    doc = parse(text)
    found = find_attributions(doc, ents(paragraph, ("Russia", "GPE"), ("Ukraine", "GPE")))
    assert len(found) == 4 * 50
    assert [a.cue[0] for a in found] == sorted(a.cue[0] for a in found)


AP_ENTITIES = (
    ("Ukrainian", "NORP"), ("Russian", "NORP"), ("Russia", "GPE"), ("Ukraine", "GPE"), ("KYIV", "GPE"),
    ("Moscow", "GPE"), ("Kremlin", "ORG"), ("The Associated Press", "ORG"), ("Igor Kobzeva", "PERSON"),
    ("Volodymyr Zelenskyy", "PERSON"), ("Zelenskyy", "PERSON"), ("Rustem Umerov", "PERSON"),
    ("Yuriy Ignat", "PERSON"), ("Ukrainian Ground Forces", "ORG"), ("Ministry of Defense", "ORG"),
    ("Oleksandr Syrskyi", "PERSON"), ("Telegram", "ORG"), ("Istanbul", "GPE"),
)


def test_ap_article():
    text = AP_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1]  # first line: caption residue
    found = [show(text, a) for a in run(text, *AP_ENTITIES)]
    by = {(src, cue): (content, anon) for src, cue, content, anon in found}

    def has(src: str, cue: str, content_start: str | None = None, anonymous: bool | None = None, times: int = 1):
        hits = [f for f in found if f[0] == src and f[1] == cue]
        assert len(hits) >= times, (src, cue, found)
        if content_start:
            assert any(h[2][0].startswith(content_start) for h in hits), hits
        if anonymous is not None:
            assert all(h[3] is anonymous for h in hits), hits

    assert by[("a Ukrainian security official", "told")] == (
        ["A Ukrainian drone attack has destroyed more than 40 Russian planes deep in Russia's territory"], True)
    has("The official, who spoke on condition of anonymity to disclose operational details", "said", "the attack took",
        True)
    has("he", "said", "The operation saw drones", True)
    has("local Gov. Igor Kobzeva", "said", "It is the first time", False)
    has("Zelenskyy", "said", times=3, anonymous=False)
    has("Zelenskyy", "said", '"We are doing everything')
    has("Ukraine's air force", "said", "Russia on Sunday launched", False)
    has("Yuriy Ignat, head of communications for the air force", "said", "Russian forces also launched", False)
    has("Ukraine's army", "said", "at least 12 Ukrainian service members", False)
    has("the statement", "said", times=2, anonymous=True)
    has("the Ukrainian Ground Forces' statement", "said", '"If it is established', False)
    has("Russia's Ministry of Defense", "said", "it had taken control", False)
    has("Ukraine's top army chief, Oleksandr Syrskyi", "said", "Russian forces were focusing", False)
    has("Moscow", "said", "it would share its memorandum", False)
    assert len(found) >= 18
