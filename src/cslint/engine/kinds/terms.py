"""``kind: terms`` — jargon: terms and acronyms the customer would not use, left unexplained.

.. code-block:: yaml

    - kind: terms
      terms: [RMA, SLA, provisioning, tier 2]   # matched by lemma ("provisioned" too)
      acronyms: true                            # also any other ALL-CAPS word of 2-6 letters
      rare_below: 3.0                           # ...that is rare in general English (Zipf < 3)
      common: [DM, FAQ, ETA, ID, PIN, USA]      # acronyms everybody knows: never flagged

``rare_below`` keeps only the acronyms whose lower-case word is rarer in general English than
this Zipf frequency (``cslint.lexicons``: 3 ≈ once per million words; "RMA" 2.6, "APN" and
"NTFS" rarer than 2.5, "FAQ" 3.3, "TV" 5.2; at least 2.5, the floor of the shipped list). The
list ships inside cslint and is read on the first lookup. An acronym is not a term when it
names the brand (it is part of an @handle in the conversation: "GWR" with @GWRHelp), is a value
(after "booking", "reference", "code"...: "booking KMRZFT"), a route of codes ("LHR-JFK",
"from EWR to SFO") or part of a run of capitals (a name or a label: "NAEEM BASHID KHAN").

A term is not flagged when, in this conversation, the customer used it first, or an earlier
turn is signed with it (a colleague's initials: "*HPL" before "on behalf of my colleague,
HPL"), or it is defined ("RMA (return authorisation)", "return authorisation (RMA)"), or the
team vocabulary accepts it (``vocabulary: {accept: [...]}`` in configuration). ``vocabulary: {reject: [...]}`` adds
terms. Each term is flagged once per conversation, at its first unexplained use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind, phrase_count_problem
from cslint.engine.views import ConversationView, TurnView, normalised

_MIN_ACRONYM, _MAX_ACRONYM = 2, 6
#: Where an acronym may start: a run of 2-6 capitals that is not part of a longer word.
_CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}(?![a-z])")
#: The lowest ``rare_below`` (the floor of the shipped frequency list: ``lexicons.FLOOR``,
#: repeated here so that compiling a rule does not import the lexicon).
_RARE_FLOOR = 2.5
_HANDLE = re.compile(r"@(\w{2,})")
#: Words after which a string of capitals is a value, not a term ("booking KMRZFT").
_VALUE_BEFORE = frozenset(
    "booking reference ref code confirmation pnr number no locator record voucher coupon promo password "
    "username id flight".split()
)
#: Longer strings of capitals are mostly codes and names ("KMRZFT", "AIRAVE"), not acronyms.
_MAX_RARE_ACRONYM = 5
#: Before a three-letter code, words that make it a place (an airport, a station).
_PLACE_BEFORE = frozenset("to from at in into via through".split())
#: Joins codes into a route or pair ("LHR-JFK", "LHR to JFK", "LHR/JFK").
_ROUTE_JOIN = frozenset(("-", "–", "/", "to", ">"))


#: What may precede a signature's initials in one token ("*HPL", "^JRA", "-KC").
_SIGNATURE_MARKS = "^*~-–—"


def _signed_with(view: TurnView) -> set[str]:
    """The initials the turn is signed with, after its content ("... *HPL", "^ JRA"): a person,
    whom the next agent may name ("on behalf of my colleague, HPL")."""
    doc, end = view.doc, view.content_bounds()[1]
    if end >= len(doc):
        return set()
    initials = set()
    for word in view.text[doc[end].idx :].split():
        name = word.lstrip(_SIGNATURE_MARKS)
        if _MIN_ACRONYM <= len(name) <= _MAX_ACRONYM and name.isalpha() and name.isupper():
            initials.add(normalised(name))
    return initials


class TermsKind(Kind):
    kind = "terms"
    conversational = True
    needs_lemmas = True
    properties = MappingProxyType(
        {
            "terms": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "acronyms": {"type": "boolean"},
            "rare_below": {"type": "number", "minimum": _RARE_FLOOR, "maximum": 8},
            "common": {"type": "array", "items": {"type": "string", "minLength": 1}},
        }
    )

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        return phrase_count_problem(spec, "terms") or phrase_count_problem(spec, "common")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        vocabulary = ctx.vocabulary
        self.accepted = {normalised(t) for t in getattr(vocabulary, "accept", ())}
        self.common = {normalised(t) for t in spec.get("common", [])} | self.accepted
        terms = [
            t
            for t in spec.get("terms", []) + list(getattr(vocabulary, "reject", ()))
            if normalised(t) not in self.accepted
        ]
        #: Terms written in capitals only match capitals ("CAT" the acronym, not "cat").
        self.capital_terms = {normalised(t) for t in terms if t.isupper()}
        self.acronyms = spec.get("acronyms", False)
        self.rare_below: float | None = spec.get("rare_below")
        self.handle = ctx.service.phrases(terms, "lemma") if terms else None

    def _candidates(self, view: TurnView, handles: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """(start, end, key) of every term use in this turn; ``handles``: the lower-cased
        @handles of the conversation (a brand's own acronym is its name)."""
        found = []
        for start, end in view.token_spans(self.handle) if self.handle is not None else ():
            span = view.doc[start:end]
            key = normalised(span.lemma_)
            if normalised(span.text) in self.capital_terms or key in self.capital_terms:
                if not span.text.isupper():
                    continue
                key = normalised(span.text)
            found.append((span.start_char, span.end_char, key))
        if self.acronyms:
            content_end: int | None = None
            # Only the tokens a run of capitals starts (found by one regex over the text, not a
            # Python loop over every token of every turn). The checks run cheapest first: most
            # runs are common words ("DM", "OK"), and the content bounds are worked out only for
            # a turn that has a candidate left (for a customer's turn, often no rule else asks).
            # (The doc is read only for a turn with a run of capitals: a customer's turn, read
            # for the terms they used, is analysed on demand.)
            for match in _CAPITALS.finditer(view.text):
                doc = view.doc
                capitals = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if capitals is None or capitals[0].idx != match.start():
                    continue
                token = capitals[0]
                text = token.text
                if not (_MIN_ACRONYM <= len(text) <= _MAX_ACRONYM and text.isupper() and text.isalpha()):
                    continue
                if normalised(text) in self.common:
                    continue
                if content_end is None:
                    content_end = view.content_bounds()[1]
                if token.i >= content_end:
                    continue  # past the content, only a signature ("... experience. TT")
                previous = doc[token.i - 1] if token.i else None
                if previous is not None and not previous.whitespace_ and previous.text in "@#^-~*":
                    continue  # a handle, hashtag or signature ("^MW")
                if token.sent.text.isupper():
                    continue  # a shouted sentence is not a sentence of acronyms
                if self.rare_below is not None and not self._rare_acronym(token, handles):
                    continue
                found.append((token.idx, token.idx + len(text), normalised(text)))
        return [f for f in found if f[2] not in self.common]

    def preload(self) -> None:
        if self.rare_below is not None:
            from cslint import lexicons

            lexicons.preload()

    def _rare_acronym(self, token: Any, handles: frozenset[str]) -> bool:
        """Whether an ALL-CAPS token is a rare acronym, and not a brand, a value, a code or part
        of a name."""
        from cslint import lexicons  # deferred: only rules with rare_below read the list

        assert self.rare_below is not None
        text, lowered = token.text, token.lower_
        if len(text) > _MAX_RARE_ACRONYM or lexicons.zipf(lowered) >= self.rare_below:
            return False
        if any(lowered in handle for handle in handles):
            return False  # the brand's own name ("GWR" in @GWRHelp)
        doc, i = token.doc, token.i
        before = doc[i - 1] if i else None
        after = doc[i + 1] if i + 1 < len(doc) else None
        if before is not None:
            if before.lower_ in _VALUE_BEFORE or before.like_num:
                return False  # "booking ABCDE", "139,900 IDR": a value or a unit
            if len(text) == 3 and before.lower_ in _PLACE_BEFORE:
                return False  # "fly to VCE", "in ORD": a place code
        if after is not None:
            if after.lower_ == "to" and i + 2 < len(doc) and doc[i + 2].like_num:
                return False  # "send STOP to 2442": a keyword to text
            if after.is_title and not after.is_sent_start:
                return False  # "XBL Gamertag", "DSW Cloud": part of a product name
        for near, far in ((before, doc[i - 2] if i > 1 else None), (after, doc[i + 2] if i + 2 < len(doc) else None)):
            if near is None:
                continue
            if near.text.isupper() and near.text.isalpha():
                return False  # a run of capitals: a name, a label ("FIOS TV IN")
            if near.lower_ in _ROUTE_JOIN and far is not None and far.text.isupper() and far.text.isalpha():
                return False  # a route of codes ("JHB-KUL", "EWR to GCM")
        return True

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        conversation, views = conv.conversation, conv.turns
        seen: set[str] = set()
        handles = (
            frozenset(h.lower() for turn in conversation.turns for h in _HANDLE.findall(turn.text))
            if self.rare_below is not None
            else frozenset()
        )
        # The customer's own terms are fine to use back to them. Which terms a customer's turn
        # holds is worked out only when a later agent's term is not already known (most agent
        # turns have none): reading a customer's acronyms needs the turn's doc, which is then
        # made on demand. ``seen`` is a set, so adding them late gives every check the same
        # answer as adding them in turn order.
        unread: list[TurnView] = []
        for i, turn in enumerate(conversation.turns):
            view = views[i]
            if view is None:
                continue
            if in_scope[i]:
                for start, end, key in sorted(self._candidates(view, handles)):
                    if key not in seen and unread:
                        for earlier in unread:
                            seen.update(k for _, _, k in self._candidates(earlier, handles))
                        unread.clear()
                    if key in seen:
                        continue
                    seen.add(key)
                    if not conv.is_defined(i, turn.text[start:end], strict_start=True):
                        yield Hit(i, start, end)
            elif turn.speaker == "customer":
                unread.append(view)
                words = set(normalised(turn.text).split())
                seen.update(term for term in self.capital_terms if term in words)
            if turn.speaker != "customer":
                seen.update(_signed_with(view))  # a colleague's initials, for the agents after
