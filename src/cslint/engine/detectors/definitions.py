"""Questions about the conversation so far, answered in time linear in its text.

Whether a term is spelled out ("RMA (return authorisation)" or "return authorisation (RMA)")
and whether the customer used some words first are asked once per flagged term or match. Run
as a regular expression over every earlier turn each time, that was quadratic: a pasted log
of 1,000 uses of one acronym took 2 s, of many different acronyms minutes. Here each
conversation's lower-cased and normalised texts are computed once, a term is looked for with
``str.find`` and only the few characters around each use are matched, and every answer is
remembered for the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cslint.model import Conversation

#: The definition next to a use: "TERM (a letter and 2-80 more characters)" ...
_DEFINITION_AFTER = re.compile(r"\s*\(\s*[A-Za-z][^()]{2,80}\)")
#: ... or "a letter and 2-80 characters (TERM)", the part before the parenthesis.
_DEFINED_BEFORE = re.compile(r"[A-Za-z][^()]{2,80}\(\s*$")
_CLOSE = re.compile(r"\s*\)")
#: How far before a use "words (" may start: 81 characters and some blanks.
_BEFORE_CHARS = 120


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


class _Memo:
    """What was worked out about the conversation being linted (one at a time)."""

    conversation: Conversation | None = None
    answers: dict[Any, Any] = {}

    @classmethod
    def of(cls, conversation: Conversation) -> dict[Any, Any]:
        if cls.conversation is not conversation:
            cls.conversation, cls.answers = conversation, {}
        return cls.answers


def forget() -> None:
    """Drop what was worked out (the linter calls this before each conversation)."""
    _Memo.conversation, _Memo.answers = None, {}


def _texts(conversation: Conversation, kind: str) -> list[str]:
    make = str.lower if kind == "lower" else _norm
    return _memoised(conversation, kind, lambda: [make(t.text) for t in conversation.turns])


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts_ok(text: str, at: int, needle: str, strict: bool) -> bool:
    """The use at ``at`` is not inside a word; with ``strict``, exactly as regex ``\\b``."""
    after_word = at > 0 and _word_char(text[at - 1])
    return after_word != _word_char(needle[0]) if strict else not after_word


def is_defined(conversation: Conversation, upto: int, term: str, strict_start: bool = False) -> bool:
    """Whether ``term`` is spelled out next to a use of it in turns ``0..upto``:
    "TERM (explanation)" or "explanation (TERM)", case-insensitively. The use must not follow
    a word character (``strict_start``: and, like regex ``\\b``, must start with one when
    it follows a non-word character)."""
    needle = term.strip().lower()
    if not needle:
        return False

    def search() -> bool:
        for low in _texts(conversation, "lower")[: upto + 1]:
            if "(" not in low:
                continue
            at = low.find(needle)
            while at != -1:
                end = at + len(needle)
                if _starts_ok(low, at, needle, strict_start) and _DEFINITION_AFTER.match(low, end):
                    return True
                if _CLOSE.match(low, end) and _DEFINED_BEFORE.search(low[max(0, at - _BEFORE_CHARS) : at]):
                    return True
                at = low.find(needle, at + 1)
        return False

    return _memoised(conversation, ("defined", upto, needle, strict_start), search)


def said_before(conversation: Conversation, upto: int, words: str, speakers: tuple[str, ...]) -> bool:
    """Whether ``words`` (normalised) occur as whole words in a turn of ``speakers`` before
    turn ``upto``."""
    needle = _norm(words)
    if not needle:
        return False

    def search() -> bool:
        normalised = _texts(conversation, "norm")
        for index in range(min(upto, len(normalised))):
            if conversation.turns[index].speaker not in speakers:
                continue
            haystack = normalised[index]
            at = haystack.find(needle)
            while at != -1:
                end = at + len(needle)
                if (at == 0 or not _word_char(haystack[at - 1])) and (
                    end == len(haystack) or not _word_char(haystack[end])
                ):
                    return True
                at = haystack.find(needle, at + 1)
        return False

    return _memoised(conversation, ("said", upto, needle, speakers), search)


def _memoised(conversation: Conversation, key: Any, work: Callable[[], Any]) -> Any:
    """``work()``, done once per conversation and key."""
    memo = _Memo.of(conversation)
    if key not in memo:
        memo[key] = work()
    return memo[key]
