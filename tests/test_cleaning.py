from toolkit.cleaning import clean


def test_ap_caption_residue_removed_and_offsets_map_back(ap_raw):
    cleaned = clean(ap_raw)
    assert "hide caption" not in cleaned.text
    assert "In this image taken from video" not in cleaned.text
    assert cleaned.text.startswith("KYIV, Ukraine")
    i = cleaned.text.index("Zelenskyy")
    j = cleaned.offsets.to_raw(i)
    assert ap_raw[j : j + 9] == "Zelenskyy"
    assert "scrape-residue" in cleaned.steps


def test_toggle_caption_and_credit_line():
    raw = "Soldiers at the front.\nJohn Doe/AP hide caption\ntoggle caption\nJohn Doe/AP\nThe war went on.\n"
    assert clean(raw).text == "Soldiers at the front.\nThe war went on."


def test_wikinews_caption_credit_and_comment_box():
    raw = (
        "Title line\n\nMap of the province.\nImage: Someone.\nThe attack killed five.\n"
        "HAVE YOUR SAY\nWhat do you think?\nAdd or view comments\nPolice arrested two men.\n"
    )
    assert clean(raw).text == "Title line\n\nThe attack killed five.\nPolice arrested two men."


def test_mojibake_repaired_but_curly_quotes_kept():
    cleaned = clean("Kyiv said â€œwe will fightâ€\x9d and itâ€™s true. “Curly” stays.")
    assert cleaned.text == "Kyiv said “we will fight” and it’s true. “Curly” stays."
    assert cleaned.steps == ["mojibake"]


def test_whitespace_normalised():
    cleaned = clean("  One\u00a0 two\t three.  \r\n\n\n\nFour.\n\n")
    assert cleaned.text == "One two three.\n\nFour."
    assert cleaned.steps == ["whitespace"]


def test_clean_text_is_left_alone():
    raw = "Nothing to change here.\n\nSecond paragraph."
    cleaned = clean(raw)
    assert cleaned.text == raw and cleaned.edits == [] and cleaned.steps == []
