"""The regex pre-filter reports exactly the patterns that occur, and never hides a match."""

import re2
from hypothesis import given
from hypothesis import strategies as st

from cslint.engine.matching.regexes import compile_re2
from cslint.engine.matching.regexset import RegexSet

PATTERNS = [
    (r"\bvisit (our|the) website\b", True),
    (r"\bFAQ\b", False),  # case-sensitive: a different option set
    (r"^hi\b", True),
    (r"(a+)+$", True),
    (r"\d{3,}", True),
    (r"", True),  # matches the empty string everywhere
    (r"é+", True),
]


def build():
    regexes = RegexSet()
    compiled = [compile_re2(p, ignore_case) for p, ignore_case in PATTERNS]
    ids = [regexes.add(c) for c in compiled]
    return regexes, list(zip(ids, compiled))


def truth(compiled, text):
    return {ident for ident, regex in compiled if regex.search(text) is not None}


def test_reports_exactly_the_patterns_that_match():
    regexes, compiled = build()
    for text in ["Please VISIT OUR WEBSITE", "see the faq", "see the FAQ", "Hi there 12345", "aaaa", "café é", ""]:
        assert regexes.matching(text) == truth(compiled, text), text


@given(st.text(alphabet="aéHhiFAQ0123 \nvisitourwebe", max_size=60))
def test_matches_individual_searches(text):
    regexes, compiled = build()
    assert regexes.matching(text) == truth(compiled, text)


def test_a_set_that_fails_its_sentinel_is_not_trusted(monkeypatch):
    """RE2 answers "no match" when a set runs out of memory: such a set is replaced by
    running every pattern."""

    class Broken:
        def __init__(self, *args):
            self.n = 0

        def Add(self, pattern):
            self.n += 1
            return self.n - 1

        def Compile(self):
            pass

        def Match(self, text):
            return None

    monkeypatch.setattr(re2.Set, "SearchSet", classmethod(lambda cls, options=None: Broken()))
    regexes, compiled = build()
    assert regexes.matching("nothing matches here") == {ident for ident, _ in compiled}


def test_patterns_added_after_a_run_are_included():
    regexes = RegexSet()
    first = regexes.add(compile_re2("alpha"))
    assert regexes.matching("alpha beta") == {first}
    second = regexes.add(compile_re2("beta"))
    assert regexes.matching("alpha beta") == {first, second}
