"""The kinds of value a customer gives and an agent may ask for again: one definition for the
``already-given`` detector kind (rule ``asks-again``) and the learned model's features.

A value is given when a customer turn holds one of its shapes (``given_types``); it is asked
for when an agent names it right after words that ask ("send us your order number", "what is
the booking reference", "may we have your number": ``asked_spans``). Each given value gets
one type, decided by the words next to it: "order 405-6829914-837231" is an order number, not
a phone number, so asking for the phone number after it is not asking again; a long run of
digits with no such word is a phone number.

All patterns here apply to lower-cased text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class ValueType:
    """One kind of value: what it is called in messages, the coarse feature of the learned
    model it feeds ("number", "phone", "email"), and its given and asked shapes."""

    label: str
    feature: str
    given: re.Pattern[str]
    #: The value's words when asked for ("your order number"); ``asked_spans`` requires words
    #: that ask right before them.
    asked: re.Pattern[str]
    #: What every given value of the type holds (a digit; an @ in an e-mail address): a text
    #: without it is not searched for the type's given shape, a backtracking search.
    marker: re.Pattern[str] = re.compile(r"\d")


_DET = r"(?:your|ur|the|an?)\s+"
_NO = r"(?:number\b|no\b\.?|#|id\b|code\b)"

VALUE_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        "order-number": ValueType(
            "order or reference number",
            "number",
            re.compile(
                r"\b(?:order|ref|reference|booking|confirmation|tracking|ticket|case|invoice|reservation|pnr|record locator)\b"
                r"[^.\n@]{0,25}?#?\s*[a-z0-9-]*\d[a-z0-9-]{3,}|#\s?\d{5,}\b"
            ),
            re.compile(
                _DET + r"(?:order|reference|ref|booking|confirmation|tracking|ticket|case|invoice|reservation)\s+"
                r"(?:number|no\.?|#|id|code|ref|reference|details)\b|" + _DET + r"(?:pnr|record locator)\b"
            ),
        ),
        "account-number": ValueType(
            "account number",
            "number",
            re.compile(r"\baccount\b[^.\n]{0,20}?\d{4,}"),
            re.compile(_DET + r"account\s+" + _NO + r"\b"),
        ),
        "flight-number": ValueType(
            "flight number",
            "number",
            re.compile(r"\bflight\s*(?:number|no\.?|#)?\s*#?\s*(?:[a-z]{2}\s?)?\d{2,4}\b"),
            re.compile(_DET + r"flight\s+(?:number|no\.?|#)"),
        ),
        "seat": ValueType(
            "seat",
            "number",
            re.compile(r"\bseats?\s*(?:number|no\.?)?\s*\d{1,3}[a-k]?\b"),
            re.compile(_DET + r"seat(?:\s+(?:number|no\.?))\b"),
        ),
        "phone-number": ValueType(
            "phone number",
            "phone",
            re.compile(r"(?<![\w#/-])\+?\d[\d ().-]{7,}\d(?![\w/-])"),
            re.compile(
                _DET + r"(?:(?:phone|mobile|cell|contact|telephone|ph|mob|affected|registered|landline)\s+)?"
                r"(?:number\b|no\b\.?|#)(?!\s*of\b)"
            ),
        ),
        "email-address": ValueType(
            "e-mail address",
            "email",
            re.compile(r"\b[\w.+-]+@[\w-]+\.[a-z][\w.]*"),
            # "your e-mail", "an e-mail address"; not "send us an e-mail" (a message).
            re.compile(r"(?:your|ur|the)\s+e-?mail(?:\s+(?:address|id))?\b|an?\s+e-?mail\s+(?:address|id)\b"),
            re.compile("@"),
        ),
    }
)

#: The words that ask for what follows them: "please send us your ...", "what is the ...",
#: "may we have your ...", "we need your ...". A value named elsewhere in a sentence ("your
#: number has been deactivated") is not asked for.
_ASK_BEFORE = (
    r"\b(?:(?:provide|share|send|give|confirm|tell|dm|pm|forward|verify|supply|quote|resend|re-send|specify|"
    r"let (?:us|me) know)(?:\s+(?:us|me))?(?:\s+with)?(?:\s+(?:us|me))?"
    r"|what(?:\s+is|['’]s|s|\s+was)|(?:may|can|could)\s+(?:i|we)\s+(?:have|get|know|take)|need|require)\s+"
)
_ASKED = MappingProxyType(
    {name: re.compile(_ASK_BEFORE + "(" + value.asked.pattern + ")") for name, value in VALUE_TYPES.items()}
)
#: A question that names the value without a determiner ("which flight?", "where are you sitting?").
_ASKED_ALONE = MappingProxyType(
    {
        "flight-number": re.compile(r"\bwhich flight\b"),
        "seat": re.compile(r"\bwhere (?:are|were) you (?:sitting|seated)\b"),
    }
)
_DIGIT_OR_AT = re.compile(r"[0-9@]")
#: Digits a phone number has (with country code), so that dates and prices are not phones.
_PHONE_DIGITS = (9, 15)
#: Texts whose given types are kept: a customer message is read again for every agent turn
#: after it.
_CACHE = 2048


@functools.lru_cache(maxsize=_CACHE)
def given_types(text: str) -> frozenset[str]:
    """The types of value ``text`` gives; a value is typed once, by the words next to it."""
    if not _DIGIT_OR_AT.search(text):
        return frozenset()  # every value has a digit, or an @ (an e-mail address)
    lowered = text.lower()
    found: set[str] = set()
    taken: list[tuple[int, int]] = []
    holds: dict[re.Pattern[str], bool] = {}
    for name, value in VALUE_TYPES.items():
        marked = holds.get(value.marker)
        if marked is None:
            marked = holds[value.marker] = value.marker.search(lowered) is not None
        if not marked:
            continue  # (Twitter messages all hold an @, and most no digit)
        for match in value.given.finditer(lowered):
            span = match.span()
            if name == "phone-number":
                digits = sum(ch.isdigit() for ch in match.group())
                if not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
                    continue
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue  # the digits of an order, account or flight number already typed
            found.add(name)
            taken.append(span)
    return frozenset(found)


#: The words every asked value ends with: a sentence without one asks for none (one cheap
#: search before the per-type patterns).
_VALUE_WORD = re.compile(
    r"\b(number|no|id|code|ref|reference|details|pnr|locator|e-?mail|mail|seat|flight|sitting|seated)\b|#"
)


@functools.lru_cache(maxsize=_CACHE)
def asked_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, type) of each request for a value in ``text``: the asking words and the
    value's words ("»send us your order number«"), or a question that names it alone."""
    lowered = text.lower()
    if not _VALUE_WORD.search(lowered):
        return ()
    spans: list[tuple[int, int, str]] = []
    for name, pattern in _ASKED.items():
        spans.extend((m.start(), m.end(), name) for m in pattern.finditer(lowered))
    for name, pattern in _ASKED_ALONE.items():
        spans.extend((m.start(), m.end(), name) for m in pattern.finditer(lowered))
    return tuple(spans)
