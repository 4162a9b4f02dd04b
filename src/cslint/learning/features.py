"""Features of an agent turn's sentences, with the conversation before it in view.

The same code builds the features when a model is trained and when ``cslint check`` scores a
turn, so they cannot drift apart. A feature is a name ("w:sorry", "b:nothing we",
"ctx:frustrated&no-ack") hashed to a 32-bit id with CRC-32, which is stable across processes
and machines (Python's ``hash`` of a string is not).

Three families:
- words of the sentence: unigrams, bigrams and 5-letter prefixes (a cheap stand-in for lemmas:
  "apologise"/"apologies" share "apolo");
- facts of the conversation, shared by every sentence of the turn: whether this is the agent's
  first turn, whether the customer's last message reads frustrated (VADER lexicon, shouting,
  "third time"), asked a question, asked how to reach someone, gave an order number / e-mail /
  phone; whether the turn acknowledges anything at all;
- general shapes of the sentence: asks for a kind of value the customer already gave, reuses
  the customer's words, redirects the customer elsewhere, takes ownership.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from cslint.learning import frustration
from cslint.valuetypes import VALUE_TYPES, asked_spans, given_types

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
#: Applied to lower-cased text (case-insensitive matching costs several times more).
_TOKEN = re.compile(r"https?://\S+|@\w+|\d[\d,.\-/]*|[a-z]+(?:['’][a-z]+)?|[!?]")

_ACK = re.compile(
    r"\b(sorry|apolog\w*|understand\w*|frustrat\w*|hear (that|this|about)|unfortunate\w*|appreciate|"
    r"thank\w*|thx|concern\w*|disappoint\w*|annoy\w*|inconvenien\w*|oh no|yikes)\b",
)
_CONTACT_QUESTION = re.compile(
    r"\b(how|where|who) (do|can|should|would) i (contact|call|reach|speak|talk|email|get (in touch|hold))|"
    r"\b(phone|contact) number\b|\bspeak to (a|someone|somebody|a real)\b",
)
_REDIRECT = re.compile(
    r"\b(contact|call|reach out|reach|speak (to|with)|talk to|get in touch|visit|go to|head to|check with|"
    r"ask|email|e-mail|fill (in|out)|submit|open a|raise a|refer to|direct|pop into|drop into)\b",
)
_OWN = re.compile(
    r"\b(i['’]ve|we['’]ve|i have|we have|i['’]ll|we['’]ll|i will|we will|let me|let us|i can|we can|"
    r"i['’]m going to|we['’]re going to)\b",
)
_STOP = frozenset(
    "a an the i you we it to of and or for in on at is are be was this that my your our me us "
    "with have has can do not no so if please hi hello thanks thank".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the agent turn: its character span and its feature ids."""

    start: int
    end: int
    features: tuple[int, ...]


def feature_id(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (ends of sentences and line breaks)."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


#: Texts whose tokens, given values and content words are kept: the customer's messages are
#: read again for every agent turn after them, and templates repeat across conversations.
_TEXT_CACHE = 2048
#: Sentences whose word feature ids are kept (a template's sentences recur; a set of ids is
#: a few kilobytes, so this stays small).
_SENTENCE_CACHE = 1024


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _tokens(text: str) -> tuple[str, ...]:
    out = []
    for lowered in _TOKEN.findall(text.lower()):
        if lowered.startswith("http"):
            out.append("<url>")
        elif lowered.startswith("@"):
            out.append("<mention>")
        elif lowered[0].isdigit():
            out.append("<num>")
        else:
            out.append(lowered.replace("’", "'"))
    return tuple(out)


@functools.lru_cache(maxsize=_SENTENCE_CACHE)
def _word_ids(tokens: tuple[str, ...]) -> frozenset[int]:
    names = [f"w:{t}" for t in tokens]
    names += [f"p:{t[:5]}" for t in tokens if len(t) > 5]
    padded = ["<s>", *tokens, "</s>"]
    names += [f"b:{a} {b}" for a, b in zip(padded, padded[1:])]
    return frozenset(feature_id(n) for n in names)


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(t for t in _tokens(text) if t.isalpha() and t not in _STOP)


def _context(speakers: Sequence[str], texts: Sequence[str], index: int) -> tuple[list[str], set[str], set[str]]:
    """Conversation facts shared by every sentence of the turn at ``index``, the kinds of value
    the customer gave before it, and the customer's content words before it."""
    names: list[str] = []
    earlier_agent = [i for i in range(index) if speakers[i] == "agent"]
    names.append("ctx:first-agent" if not earlier_agent else "ctx:later-agent")
    # The customer's messages since the agent last spoke (their latest say).
    last = earlier_agent[-1] if earlier_agent else -1
    latest = [texts[i] for i in range(last + 1, index) if speakers[i] == "customer"]
    customer_before = [texts[i] for i in range(index) if speakers[i] == "customer"]
    if not customer_before:
        names.append("ctx:no-customer")
    said = " ".join(latest)
    frustrated = False
    if said:
        frustrated = frustration.frustrated(said)
        names += [f"ctx:cust:{s}" for s in sorted(frustration.signals(said))]
        if frustrated:
            names.append("ctx:frustrated")
        if "?" in said:
            names.append("ctx:cust-question")
        if _CONTACT_QUESTION.search(said.lower()):
            names.append("ctx:cust-asks-contact")
    else:
        names.append("ctx:no-latest")
    acknowledged = bool(_ACK.search(texts[index].lower()))
    names.append("ctx:ack" if acknowledged else "ctx:no-ack")
    if frustrated and not acknowledged:
        names.append("ctx:frustrated&no-ack")
    # The types of value given (cslint.valuetypes, shared with the asks-again rule); the model
    # sees their coarse groups (number, phone, email).
    given: set[str] = set().union(*(given_types(text) for text in customer_before))
    names += sorted({f"ctx:gave:{VALUE_TYPES[kind].feature}" for kind in given})
    customer_words: set[str] = set().union(*(_content_words(text) for text in customer_before))
    return names, given, customer_words


def _shape_features(text: str, tokens: tuple[str, ...], given: set[str], customer_words: set[str]) -> list[str]:
    """Shapes of one sentence; ``text`` is lower-cased."""
    names = []
    for _start, _end, kind in asked_spans(text):
        names.append(f"s:asks:{VALUE_TYPES[kind].feature}")
        if kind in given:
            names.append("s:asks-given")  # the same type of value, not just any value
    content = [t for t in tokens if t.isalpha() and t not in _STOP]
    if content:
        reused = sum(1 for t in content if t in customer_words) / len(content)
        names.append("s:reuse-high" if reused >= 0.3 else "s:reuse-low")
    redirect, own = _REDIRECT.search(text), _OWN.search(text)
    if redirect:
        names.append("s:redirect" if not own else "s:redirect+own")
    words = len(content)
    names.append("s:len<4" if words < 4 else "s:len<12" if words < 12 else "s:len>=12")
    return names


def turn_sentences(speakers: Sequence[str], texts: Sequence[str], index: int) -> list[Sentence]:
    """The sentences of the turn at ``index`` with their features (conversation facts
    included), from the speakers and texts of the conversation's turns."""
    context, given, customer_words = _context(speakers, texts, index)
    context_ids = {feature_id(n) for n in context}
    text = texts[index]
    sentences = []
    for start, end in split_sentences(text):
        piece = text[start:end]
        tokens = _tokens(piece)
        if not any(t[0].isalpha() or t == "<url>" for t in tokens):
            continue  # a signature, a mention, a lone emoji: nothing to judge
        shape = {feature_id(n) for n in _shape_features(piece.lower(), tokens, given, customer_words)}
        sentences.append(Sentence(start, end, tuple(sorted(_word_ids(tokens) | shape | context_ids))))
    return sentences
