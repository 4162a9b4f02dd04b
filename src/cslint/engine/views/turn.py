"""One turn, analysed: its spaCy doc, its matches, and what kinds ask about it (its content
without @mentions and signature, its sentences, its words). Built per run by the linter.

The answers are computed on first use and kept on the view: a view lives for one run and is
never shared between linters.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cslint.engine.matching import RegexHandle, TokenHandle, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from cslint.engine.matching.service import MatchingService, TokenMatches
    from cslint.model import Turn

CharSpan = tuple[int, int]


@dataclass
class TurnView:
    """One turn, analysed: its spaCy doc and the matches of every registered phrase/pattern."""

    index: int
    turn: Turn
    doc: Doc
    #: Token spans of the service's phrase lists and patterns in the doc, by key.
    matches: TokenMatches = field(default_factory=dict)
    #: The linter's matching service (for the regular expressions, run on the turn's own text).
    service: MatchingService | None = None
    #: The ids of the regular expressions the turn's scan covers (its rules' and those any turn
    #: may read: ``MatchingService.regex_selection``); None: all of them.
    regex_ids: frozenset[int] | None = None
    _content: tuple[int, int] | None = None
    _sentence_starts: list[int] | None = None
    _english: bool | None = None
    _regex_hits: set[int] | None = None
    #: the keys of ``matches`` and the ids of the regular expressions that occur (``occurs``)
    _present: frozenset[str | int] | None = None
    _rows: list[list[int]] | None = None
    _counts: tuple[list[int], list[int]] | None = None
    #: Makes the doc on first use, for a turn nothing is matched in (a customer's turn read as
    #: context): its rules read its text, and spaCy runs on it only if a kind asks for the doc.
    #: Such a view is built with ``doc=None`` and ``matches={}``.
    analyse: Callable[[], Doc] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.analyse is not None:
            del self.doc  # made by __getattr__ when first read

    def __getattr__(self, name: str) -> Any:
        # Only called for an attribute not set: the doc of a view built to analyse on demand.
        analyse = self.__dict__.get("analyse")
        if name != "doc" or analyse is None:
            raise AttributeError(name)
        self.doc = analyse()
        return self.doc

    @property
    def analysed(self) -> bool:
        """Whether the turn's doc has been made (always, but for a view built to analyse on
        demand whose doc nothing has read yet)."""
        return "doc" in self.__dict__

    @property
    def text(self) -> str:
        return self.turn.text

    def is_english(self) -> bool:
        """Whether the turn reads as English: the built-in rules are English phrase lists, and
        on German or Portuguese text they would only produce noise (e.g. "no next step").
        English prose is at least ~20% stop words; other languages share few of them. Short
        turns (under 8 words) are taken to be English, unless most of their letters are of
        another script: Japanese or Chinese run whole sentences into one "word", so a thank-you
        in Japanese is a one-word turn that no English rule can judge."""
        if self._english is None:
            if _mostly_other_script(self.text):
                self._english = False
            else:
                # IS_STOP is the lexeme's "lower case in spaCy's English stop words".
                words = [row[STOP_COLUMN] for row in self.token_rows() if row[0]]
                self._english = len(words) < 8 or sum(words) / len(words) >= 0.15
        return self._english

    def token_rows(self) -> list[list[int]]:
        """Per token, ``[IS_ALPHA, LIKE_NUM, IS_PUNCT, IS_SPACE, IS_STOP]`` as 0 or 1 and the
        lower-case form's string id (``LOWER_COLUMN``), read from the doc as one array once (not
        a Python ``Token`` per token and per question)."""
        if self._rows is None:
            self._rows = self.doc.to_array(_row_attrs()).tolist() if len(self.doc) else []
        return self._rows

    def _running_counts(self) -> tuple[list[int], list[int]]:
        """Words (alphabetic or number-like) and content tokens (neither punctuation nor
        space) before each token index."""
        if self._counts is None:
            words, content = [0], [0]
            for alpha, num, punct, space, _stop, _lower in self.token_rows():
                words.append(words[-1] + (alpha or num))
                content.append(content[-1] + (not (punct or space)))
            self._counts = (words, content)
        return self._counts

    def words_between(self, start: int, end: int) -> int:
        """Alphabetic or number-like tokens in the token range [start, end)."""
        words = self._running_counts()[0]
        return words[end] - words[start]

    def sentence_starts(self) -> list[int]:
        """Character offsets where the turn's sentences start (computed once)."""
        if self._sentence_starts is None:
            self._sentence_starts = [sent.start_char for sent in self.doc.sents]
        return self._sentence_starts

    def _regexes_present(self) -> set[int]:
        """Ids of the service's regular expressions that occur in the turn's text (one pass,
        computed once per turn)."""
        if self._regex_hits is None:
            self._regex_hits = self.service.regexes_in(self.text, self.regex_ids) if self.service is not None else set()
        return self._regex_hits

    def _cover(self, ids: Iterable[int]) -> None:
        """Make the scan cover ``ids``: a kind asking about an expression outside the turn's
        selection gets a scan of all of them (a wrong tag costs time, never a match)."""
        if self.regex_ids is not None and not self.regex_ids.issuperset(ids):
            self.regex_ids = None
            self._regex_hits = None
            self._present = None

    def token_spans(self, handle: TokenHandle) -> list[tuple[int, int]]:
        """The token spans where a registered phrase list or pattern set matches."""
        return self.matches.get(handle.key, [])

    def regex_spans(self, handle: RegexHandle) -> list[tuple[int, int]]:
        """The character spans (non-empty) where registered regular expressions match, in
        pattern order: only those that occur in the turn are run."""
        self._cover(handle.ids)
        present = self._regexes_present()
        spans = []
        for ident, regex in zip(handle.ids, handle.compiled):
            if ident not in present:
                continue
            for match in regex.finditer(self.text):
                start, end = match.span()
                if end > start:
                    spans.append((start, end))
        return spans

    def occurs(self, trigger: Trigger) -> bool:
        """Whether anything of ``trigger`` occurs in the turn (a pre-filter: cheap). Asked
        dozens of times per turn, so the turn's keys and regular expressions that occur are
        gathered into one set once."""
        if self.regex_ids is not None:
            self._cover(trigger.regex_ids)
        return not trigger.items.isdisjoint(self.present())

    def present(self) -> frozenset[str | int]:
        """The keys of ``matches`` and the ids of the regular expressions that occur in the
        turn: what ``occurs`` tests a trigger against."""
        present = self._present
        if present is None:
            present = self._present = frozenset(self.matches).union(self._regexes_present())
        return present

    def word_count(self) -> int:
        """Words of the turn's content: no @mentions, signature or punctuation."""
        first, last = self.content_bounds()
        content = self._running_counts()[1]
        return content[last] - content[first]

    def content_bounds(self) -> tuple[int, int]:
        """Token range [first, last) of the turn's content: without leading @mentions,
        surrounding punctuation/space and a trailing signature such as ``^MW`` or ``-Kim``."""
        if self._content is None:
            self._content = content_bounds(self.doc)
        return self._content


#: Columns of IS_STOP and of the lower-case form's string id in ``TurnView.token_rows``.
STOP_COLUMN = 4
LOWER_COLUMN = 5


def _is_latin(letter: str) -> bool:
    """Basic Latin to Latin Extended-B, and Latin Extended Additional (Vietnamese)."""
    code = ord(letter)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def _mostly_other_script(text: str) -> bool:
    """Whether most of the letters of ``text`` are of a script other than Latin (an ASCII text,
    nearly every turn, is answered without looking at its letters)."""
    if text.isascii():
        return False
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if not _is_latin(c)) * 2 > len(letters)


@functools.lru_cache(maxsize=1)
def _row_attrs() -> list[int | str]:
    from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM, LOWER

    return [IS_ALPHA, LIKE_NUM, IS_PUNCT, IS_SPACE, IS_STOP, LOWER]


def is_filler(token: Any) -> bool:
    text = token.text
    return (
        token.is_space
        or token.is_punct
        or text.startswith("@")
        # a signature: "^MW", "-AA", "~Manuel", "*HJB", "-Becky"
        or (text[:1] in "^*~" and 2 <= len(text) <= 13 and text[1:].isalpha())
        or (len(text) <= 4 and text[:1] == "-" and text[1:].isalpha())
        or (text[:1] in "-–—" and len(text) <= 13 and _is_name_text(text[1:]))
        # a thread counter closing a post: "1/2", "2/2" (not "24/7")
        or _is_thread_counter(text)
        # an emoji or other pictograph ("Noted 😊"): it carries a tone, not content
        or _is_pictograph(text)
    )


def _is_pictograph(text: str) -> bool:
    """A token of emoji and other symbols only, no letter or digit: a pictograph ("So"), a skin
    tone ("Sk"), or the variation selector or joiner spaCy splits off one."""
    # is_filler asks this of every content word at a turn's edges: a letter or digit ends the
    # test at its first character rather than after categorising the whole word.
    if not text or not all(unicodedata.category(ch) in _PICTOGRAPH_CATEGORIES for ch in text):
        return False
    return any(unicodedata.category(ch) in _SYMBOLS for ch in text) or all(ch in _EMOJI_GLUE for ch in text)


#: Symbols, and the marks and format characters that build emoji sequences (skin tones are "Sk",
#: variation selectors "Mn", the zero-width joiner "Cf").
_PICTOGRAPH_CATEGORIES = frozenset({"So", "Sk", "Mn", "Cf"})
_SYMBOLS = frozenset({"So", "Sk"})
_EMOJI_GLUE = frozenset({"\ufe0e", "\ufe0f", "\u200d"})


def _is_thread_counter(text: str) -> bool:
    """ "1/2", "3/3": this post's place in a reply split over several."""
    return len(text) == 3 and text[1] == "/" and "1" <= text[0] <= text[2] <= "9"


def _is_name_text(text: str) -> bool:
    return text.isalpha() and (text.istitle() or text.isupper()) and len(text) >= 2


#: Words that open a sign-off line ("Regards, Dinesh", "Thanks - Ed").
SIGN_OFFS = frozenset(
    {"regards", "rgds", "best", "cheers", "thanks", "thank", "sincerely", "kind", "warm", "many", "ty", "thx"}
)


#: The words of a closing that carries no content ("Thanks so much!", "Many thanks", "Cheers").
CLOSING_WORDS = SIGN_OFFS | {"you", "so", "much", "a", "lot", "again", "regards", "all"}


def has_words(tokens: Any) -> bool:
    """Whether the tokens hold a word or a number, not only emoji, symbols and punctuation."""
    return any(t.is_alpha or t.like_num or t.text[:1].isalnum() for t in tokens)


def _is_closing(tokens: Any) -> bool:
    return all(t.lower_ in CLOSING_WORDS for t in tokens if t.is_alpha) and not any(
        t.like_num or (t.text[:1].isalnum() and not t.is_alpha) for t in tokens
    )


def _is_initial(text: str) -> bool:
    """ "Y.", "Y": a name's initial."""
    return len(text) <= 2 and text[:1].isupper() and text[1:] in ("", ".")


def _is_name(token: Any) -> bool:
    return token.is_alpha and (token.is_title or token.is_upper) and len(token) <= 12


def content_bounds(doc: Doc) -> tuple[int, int]:
    first, last = 0, len(doc)
    while first < last and is_filler(doc[first]):
        first += 1
    while last > first and is_filler(doc[last - 1]):
        last -= 1
    for _ in range(2):
        cut = _signature_start(doc, first, last)
        if cut is None:
            break
        last = cut
        while last > first and is_filler(doc[last - 1]):
            last -= 1
    return first, last


def _signature_start(doc: Doc, first: int, last: int) -> int | None:
    """Where a trailing signature starts, if the content ends with one: "^MW" written as two
    tokens, "- Ed" / "-Kim", or a short last line such as "Regards, Dinesh" or "Steven"."""
    if last - first < 2:
        return None
    # "- Ed", "^ MW", "~ Jo Ann": a dash or caret, then one or two names.
    for names in (1, 2):
        mark = last - names - 1
        if (
            mark > first
            and doc[mark].text in {"^", "-", "~", "*", "–", "—"}
            and all(_is_name(doc[i]) for i in range(mark + 1, last))
        ):
            return mark
    tail = doc[last - 1]
    # Bare initials closing the post after a finished sentence or a link: "... experience. TT",
    # "... travel-plans HRB" (a team's sign-off, not an acronym the customer must know).
    if 2 <= len(tail) <= 4 and tail.is_alpha and tail.is_upper:
        before = doc[last - 2]
        if before.text in {".", "!", "?"} or before.like_url:
            return last - 1
    # "~Mark Y.", "-Jo Ann": a signed name, then a surname or an initial.
    if _is_name(tail) or _is_initial(tail.text):
        for names in (1, 2):
            signed = last - names - 1
            if signed <= first:
                break
            signer = doc[signed]
            if (
                signer.text[:1] in "^*~-–—"
                and is_filler(signer)
                and all(_is_name(doc[i]) or _is_initial(doc[i].text) for i in range(signed + 1, last))
            ):
                return signed
    # A short final line: a sign-off and/or a name.
    for start in range(last - 1, max(first, last - 6), -1):
        previous = doc[start - 1]
        if (previous.is_space and "\n" in previous.text) or "\n" in previous.whitespace_:
            line = [t for t in doc[start:last] if not t.is_punct and not t.is_space]
            if line and (line[0].lower_ in SIGN_OFFS or all(_is_name(t) for t in line)) and len(line) <= 4:
                return start
            break
    # "Regards, Dinesh." on the same line as the message.
    for start in range(max(first + 1, last - 5), last):
        if doc[start].lower_ in {"regards", "rgds", "sincerely"} and all(
            _is_name(t) or t.is_punct for t in doc[start + 1 : last]
        ):
            return start
    return None


def sentence_span(view: TurnView, which: str = "first") -> CharSpan:
    """The first or last sentence of the turn's content (for findings about a whole turn)."""
    first, last = view.content_bounds()
    if first >= last:
        return (0, len(view.text))
    doc = view.doc
    sentences = [s for s in doc.sents if s.end > first and s.start < last]
    if which == "first":
        sent = sentences[0]
    else:
        # The last sentence that says something: not a closing "Thanks!" or "Cheers 🙂".
        while len(sentences) > 1 and _is_closing(doc[max(sentences[-1].start, first) : min(sentences[-1].end, last)]):
            sentences.pop()
        sent = sentences[-1]
    start = max(sent.start, first)
    end = min(sent.end, last)
    # Keep the sentence's own closing punctuation ("Thanks for waiting.").
    while end < sent.end and doc[end].is_punct and not doc[end].is_space and doc[end].text not in "^-~*":
        end += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def content_span(view: TurnView) -> CharSpan:
    first, last = view.content_bounds()
    if first >= last:
        return (0, len(view.text))
    doc = view.doc
    return (doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
