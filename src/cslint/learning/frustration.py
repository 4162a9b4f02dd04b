"""How upset a customer's message reads: VADER's social-media sentiment lexicon plus the
shouting signs a lexicon misses (exclamation runs, capitals, repeated asking) and exasperation
("are you serious?", "as expected", threats to switch).

The lexicon ships inside the ``vaderSentiment`` package; it is read once, the first time a
customer turn is judged (a single draft with no customer turn never reads it).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

_WORD = re.compile(r"[a-z][a-z'’]*")
#: Words that say the customer has asked before or waited long: frustration a lexicon of
#: single words scores as neutral ("third time", "still waiting", "again").
_REPEATED = re.compile(
    r"\b(again|still|yet another|(second|third|fourth|\d+(st|nd|rd|th)) time|for (days|weeks|hours|months)|"
    r"no (one|response|reply|answer)|nobody|ridiculous|unacceptable|joke|worst|useless|disgrace\w*)\b"
)

#: Exasperation a lexicon of single words scores as neutral, or even positive ("what language
#: do you people understand" has "understand"): rhetorical questions, "as expected", and threats
#: to take their business elsewhere.
_EXASPERATED = re.compile(
    r"\b(are you (serious|kidding|joking)|seriously\s*\?|you people|what language|"
    r"how many times (do|does|did|must|should|have|has)|as expected|"
    # "I'd better switch", not "I'll leave a review" or "I will cancel the order then"
    r"i(['’]d| would| will|['’]ll| am going to|['’]m going to| might as well| better) (switch|go elsewhere)|"
    r"(switch|switching|moving|move) (to|over to) (another|a different|a new) (provider|network|bank|airline|carrier|company)|"
    r"take my (business|money) elsewhere|never (again|using you|use you|fly you|flying with you|buy from you))"
)


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """VADER's word valences (-4 .. 4)."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    valences: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                valences[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return valences


@functools.lru_cache(maxsize=4096)
def signals(text: str) -> frozenset[str]:
    """Named signs of frustration in ``text`` (empty when it reads calm)."""
    found: set[str] = set()
    lowered = text.lower()
    words = _WORD.findall(lowered)
    valences = lexicon()
    negative = sum(1 for w in words if valences.get(w, 0.0) <= -1.5)
    positive = sum(1 for w in words if valences.get(w, 0.0) >= 1.5)
    if negative:
        found.add("neg")
    if negative >= 2:
        found.add("neg2")
    if negative > positive:
        found.add("neg>pos")
    if positive and not negative:
        found.add("pos-only")
    bangs = text.count("!")
    if bangs and negative:
        found.add("neg!")
    if "!!" in text or "??" in text:
        found.add("punct-run")
    shouted = [w for w in re.findall(r"\b[A-Z]{3,}\b", text) if w not in {"DM", "USA", "UK"}]
    if len(shouted) >= 2:
        found.add("caps")
    if _REPEATED.search(lowered):
        found.add("repeated")
    if _EXASPERATED.search(lowered):
        found.add("exasperated")
    return frozenset(found)


def frustrated(text: str) -> bool:
    """Whether ``text`` reads as an upset customer (not a happy one with exclamation marks).
    Exasperation counts even beside a positive word: "are you serious?" is no compliment."""
    found = signals(text)
    if "exasperated" in found:
        return True
    return bool(found & {"neg>pos", "neg2", "neg!", "repeated", "caps"}) and "pos-only" not in found
