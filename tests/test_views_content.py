"""Where a turn's content starts and ends (``content_bounds``): mentions, signatures, thread
counters and emoji around it are not content."""

import pytest

from cslint.engine.nlp import build_pipeline
from cslint.engine.views.turn import content_bounds, is_filler


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def content(nlp, text: str) -> str:
    doc = nlp(text)
    first, last = content_bounds(doc)
    return doc[first:last].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@115741 Noted 😊 -Becky", "Noted"),
        ("@115741 Noted 👍🏽 -Becky", "Noted"),  # a skin tone is split off as its own token
        ("@1 ok ❤️", "ok"),  # and so is the variation selector
        ("😍 Adorable! ^KM", "Adorable"),  # end punctuation is not content either
        ("@dan_r We'll send it today. 2/2", "We'll send it today"),
    ],
)
def test_emoji_mentions_and_signatures_around_the_content_are_not_content(nlp, text, expected):
    assert content(nlp, text) == expected


def test_symbols_that_are_words_or_numbers_stay_content(nlp):
    doc = nlp("Your total is $40 & shipping is free ©2017")
    assert not any(is_filler(token) for token in doc if token.text in {"$", "40", "©2017", "free"})
    assert content(nlp, "Use code 50OFF ☕") == "Use code 50OFF"
