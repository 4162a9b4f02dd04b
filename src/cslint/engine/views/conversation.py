"""The conversation being linted, as the conversation-level kinds and the exceptions ask about
it: its analysed turns, who replied to what (exchanges), and questions about what was said so
far, answered in time linear in its text.

Whether a term is spelled out ("RMA (return authorisation)" or "return authorisation (RMA)")
and whether the customer used some words first are asked once per flagged term or match. Run
as a regular expression over every earlier turn each time, that was quadratic: a pasted log
of 1,000 uses of one acronym took 2 s, of many different acronyms minutes. Here the
conversation's lower-cased and normalised texts are computed once, a term is looked for with
``str.find`` and only the few characters around each use are matched, and every answer is
remembered on the view, which lives as long as the linter looks at this conversation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cslint.engine.views.turn import TurnView
from cslint.model import Conversation

#: The definition next to a use: "TERM (a letter and 2-80 more characters)" ...
_DEFINITION_AFTER = re.compile(r"\s*\(\s*[A-Za-z][^()]{2,80}\)")
#: ... or "a letter and 2-80 characters (TERM)", the part before the parenthesis.
_DEFINED_BEFORE = re.compile(r"[A-Za-z][^()]{2,80}\(\s*$")
_CLOSE = re.compile(r"\s*\)")
#: How far before a use "words (" may start: 81 characters and some blanks.
_BEFORE_CHARS = 120
#: An acronym whose expansion may be spelled out anywhere in the thread ("battery backup
#: unit" ... "BBU", "set-top box" ... "STB"): 3-6 letters, a plural "s" allowed after capitals.
_ACRONYM = re.compile(r"(?:[A-Za-z]{3,6}|[A-Z]{3,6}s)")
#: Words of a thread, for matching an acronym's letters to their initials.
_WORD = re.compile(r"[a-z][a-z'’]*")
#: Words an acronym's expansion is not made of: "and please note" does not spell out APN.
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet for of to in on at by with from into onto about as than then "
    "if when while because that this these those there here it its i me my we us our you your he "
    "him his she her they them their who whom whose which what is are was were be been being am "
    "do does did done have has had will would shall should can could may might must not no yes "
    "up out off over under again very just also too only all any some each every both either "
    "neither such own same other more most much many few please thanks thank hi hello".split()
)
#: Bots and system events neither start nor end a side's block of turns.
TRANSPARENT = ("bot", "system")


def normalised(text: str) -> str:
    """Lower case, runs of white space as one space: how terms and words are compared."""
    return " ".join(text.lower().split())


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


#: What may follow a word and still leave it the same word: a plural or a possessive.
_WORD_ENDINGS = ("", "s", "'s", "’s")


def _whole_word_in(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as a whole word, or as one with a plural or
    possessive ending."""
    at = haystack.find(needle)
    while at != -1:
        if _starts_ok(haystack, at, needle, strict=False):
            end = at + len(needle)
            for ending in _WORD_ENDINGS:
                stop = end + len(ending)
                if haystack.startswith(ending, end) and (stop == len(haystack) or not _word_char(haystack[stop])):
                    return True
        at = haystack.find(needle, at + 1)
    return False


def _starts_ok(text: str, at: int, needle: str, strict: bool) -> bool:
    """The use at ``at`` is not inside a word; with ``strict``, exactly as regex ``\\b``."""
    after_word = at > 0 and _word_char(text[at - 1])
    return after_word != _word_char(needle[0]) if strict else not after_word


@dataclass
class Exchange:
    """A block of turns by the triggering side and the block of replies that follows it."""

    trigger: list[int]
    reply: list[int]


def exchanges(conversation: Conversation, trigger_speakers: tuple[str, ...]) -> list[Exchange]:
    """Split a conversation into (trigger block, reply block) pairs.

    With customers as the trigger side: each run of consecutive customer turns, and the run of
    other (non-transparent) turns that answers it. A reply block may be empty (the customer had
    the last word).
    """
    result: list[Exchange] = []
    current: Exchange | None = None
    for i, turn in enumerate(conversation.turns):
        if turn.speaker in TRANSPARENT and turn.speaker not in trigger_speakers:
            continue
        if turn.speaker in trigger_speakers:
            if current is None or current.reply:
                current = Exchange([i], [])
                result.append(current)
            else:
                current.trigger.append(i)
        elif current is not None:
            current.reply.append(i)
    return result


def replied_chain(conversation: Conversation, ti: int, speakers: tuple[str, ...]) -> list[int]:
    """In a reply-threaded conversation (``Turn.reply_to``), the turns that turn ``ti``
    answers, oldest first: up its reply chain to the nearest turn from one of ``speakers``
    (past the replier's own thread continuations, "2/2" answering "1/2", and bots), and the
    posts of that turn's author it continued. Empty when the chain reaches none."""
    turns = conversation.turns
    seen: set[int] = set()
    index = turns[ti].reply_to
    while index is not None and index not in seen and turns[index].speaker not in speakers:
        seen.add(index)
        index = turns[index].reply_to
    if index is None or index in seen:  # (a cycle in broken data ends the walk)
        return []
    chain = [index]
    seen.add(index)
    author = (turns[index].speaker, turns[index].name)
    parent = turns[index].reply_to
    while parent is not None and parent not in seen and (turns[parent].speaker, turns[parent].name) == author:
        chain.append(parent)
        seen.add(parent)
        parent = turns[parent].reply_to
    return chain[::-1]


@dataclass
class ConversationView:
    """One conversation with its analysed turns (None: a turn no rule needed analysed)."""

    conversation: Conversation
    turns: list[TurnView | None]
    _answers: dict[Any, Any] = field(default_factory=dict)
    #: turn flags -> ``english_in`` of them
    _english: dict[tuple[bool, ...], list[bool]] = field(default_factory=dict)
    #: turn flags -> ``present_in`` of them
    _present: dict[tuple[bool, ...], frozenset[str | int]] = field(default_factory=dict)

    def analysed(self) -> dict[int, TurnView]:
        """The analysed turns by index (a turn no rule needed is left out)."""
        return self._memoised("analysed", lambda: {i: view for i, view in enumerate(self.turns) if view is not None})

    def exchanges(self, trigger_speakers: tuple[str, ...] = ("customer",)) -> list[Exchange]:
        """Who replied to what: blocks of ``trigger_speakers`` turns and the replies to them."""
        return self._memoised(("exchanges", trigger_speakers), lambda: exchanges(self.conversation, trigger_speakers))

    def is_defined(self, upto: int, term: str, strict_start: bool = False) -> bool:
        """Whether ``term`` is spelled out in turns ``0..upto``: next to a use of it, "TERM
        (explanation)" or "explanation (TERM)", case-insensitively (the use must not follow a
        word character; ``strict_start``: and, like regex ``\\b``, must start with one when it
        follows a non-word character); or, for an acronym, as the words its letters begin
        anywhere there ("battery backup unit" for BBU, "set-top boxes" for STBs), none of them a
        function word."""
        stripped = term.strip()
        needle = stripped.lower()
        if not needle:
            return False
        if _ACRONYM.fullmatch(stripped):
            letters = needle[:-1] if stripped[-1] == "s" and stripped[:-1].isupper() else needle
            if self._memoised(("initials", upto, letters), lambda: self._spelled_out(upto, letters)):
                return True

        def search() -> bool:
            for low in self._texts("lower")[: upto + 1]:
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

        return self._memoised(("defined", upto, needle, strict_start), search)

    def _spelled_out(self, upto: int, letters: str) -> bool:
        """Whether consecutive words of turns ``0..upto`` begin with ``letters`` in order, none
        of them a function word or a single letter."""
        size = len(letters)
        for index in range(min(upto + 1, len(self.conversation.turns))):
            words: list[str] = self._memoised(("words", index), functools.partial(self._words, index))
            for start in range(len(words) - size + 1):
                if words[start][0] != letters[0]:
                    continue
                run = words[start : start + size]
                if all(w[0] == c and len(w) > 1 and w not in _FUNCTION_WORDS for w, c in zip(run, letters)):
                    return True
        return False

    def _words(self, index: int) -> list[str]:
        return _WORD.findall(self._texts("lower")[index])

    def said_before(self, upto: int, words: str, speakers: tuple[str, ...] = ("customer",)) -> bool:
        """Whether ``words`` (normalised) occur as whole words in a turn of ``speakers``
        before turn ``upto``: "used by the customer first" with the default speakers. The
        plural or possessive counts as the word, both ways: the customer's "MQDs" for "MQD",
        their "RMA" for "RMAs"."""
        needle = normalised(words)
        if not needle:
            return False
        forms = [needle]
        if len(needle) > 2 and needle.endswith("s"):
            forms.append(needle[:-1])

        def search() -> bool:
            texts = self._texts("norm")
            for index in range(min(upto, len(texts))):
                if self.conversation.turns[index].speaker not in speakers:
                    continue
                haystack = texts[index]
                if any(_whole_word_in(haystack, form) for form in forms):
                    return True
            return False

        return self._memoised(("said", upto, needle, speakers), search)

    def english_in(self, turns: list[bool]) -> list[bool]:
        """The flagged turns that read as English (``TurnView.is_english``; a turn not
        analysed counts as English): the scope of a rule scoped to English. Most rules look at
        the same turns, so each selection is worked out once (read only)."""
        key = tuple(turns)
        found = self._english.get(key)
        if found is None:
            found = self._english[key] = [
                flag and (view is None or view.is_english()) for flag, view in zip(turns, self.turns)
            ]
        return found

    def present_in(self, turns: list[bool]) -> frozenset[str | int]:
        """What occurs in any of the flagged turns (``TurnView.present``): a trigger occurs in
        one of them exactly when it meets this set. Rules and their detectors ask it of the
        same few turn selections, so each selection's set is gathered once (asked ~30 times per
        conversation: kept in a table of its own, without a closure per question)."""
        key = tuple(turns)
        found = self._present.get(key)
        if found is None:
            views = [view for view, flag in zip(self.turns, turns) if flag and view is not None]
            found = self._present[key] = (
                views[0].present() if len(views) == 1 else frozenset().union(*(view.present() for view in views))
            )
        return found

    def _texts(self, kind: str) -> list[str]:
        make = str.lower if kind == "lower" else normalised
        return self._memoised(kind, lambda: [make(t.text) for t in self.conversation.turns])

    def _memoised(self, key: Any, work: Callable[[], Any]) -> Any:
        """``work()``, done once per conversation and key."""
        if key not in self._answers:
            self._answers[key] = work()
        return self._answers[key]
