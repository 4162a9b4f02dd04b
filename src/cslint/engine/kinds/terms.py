"""``kind: terms`` — jargon: terms and acronyms the customer would not use, left unexplained.

.. code-block:: yaml

    - kind: terms
      terms: [RMA, SLA, provisioning, tier 2]   # matched by lemma ("provisioned" too)
      acronyms: true                            # also any other ALL-CAPS word of 2-6 letters
      common: [DM, FAQ, ETA, ID, PIN, USA]      # acronyms everybody knows: never flagged

A term is not flagged when, in this conversation, the customer used it first, or it is defined
("RMA (return authorisation)", "return authorisation (RMA)"), or the team vocabulary accepts
it (``vocabulary: {accept: [...]}`` in configuration). ``vocabulary: {reject: [...]}`` adds
terms. Each term is flagged once per conversation, at its first unexplained use.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind, phrase_count_problem
from cslint.engine.views import ConversationView, TurnView, normalised

_MIN_ACRONYM, _MAX_ACRONYM = 2, 6


class TermsKind(Kind):
    kind = "terms"
    conversational = True
    needs_lemmas = True
    properties = MappingProxyType(
        {
            "terms": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "acronyms": {"type": "boolean"},
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
        self.handle = ctx.service.phrases(terms, "lemma") if terms else None

    def _candidates(self, view: TurnView) -> list[tuple[int, int, str]]:
        """(start, end, key) of every term use in this turn."""
        doc = view.doc
        found = []
        for start, end in view.token_spans(self.handle) if self.handle is not None else ():
            span = doc[start:end]
            key = normalised(span.lemma_)
            if normalised(span.text) in self.capital_terms or key in self.capital_terms:
                if not span.text.isupper():
                    continue
                key = normalised(span.text)
            found.append((span.start_char, span.end_char, key))
        if self.acronyms:
            for token in doc:
                text = token.text
                if not (_MIN_ACRONYM <= len(text) <= _MAX_ACRONYM and text.isupper() and text.isalpha()):
                    continue
                previous = doc[token.i - 1] if token.i else None
                if previous is not None and not previous.whitespace_ and previous.text in "@#^-~*":
                    continue  # a handle, hashtag or signature ("^MW")
                if token.sent.text.isupper():
                    continue  # a shouted sentence is not a sentence of acronyms
                found.append((token.idx, token.idx + len(text), normalised(text)))
        return [f for f in found if f[2] not in self.common]

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        conversation, views = conv.conversation, conv.turns
        seen: set[str] = set()
        for i, turn in enumerate(conversation.turns):
            view = views[i]
            if view is None:
                continue
            if in_scope[i]:
                for start, end, key in sorted(self._candidates(view)):
                    if key in seen:
                        continue
                    seen.add(key)
                    if not conv.is_defined(i, turn.text[start:end], strict_start=True):
                        yield Hit(i, start, end)
            elif turn.speaker == "customer":
                # The customer's own words are fine to use back to them.
                seen.update(k for _, _, k in self._candidates(view))
                words = set(normalised(turn.text).split())
                seen.update(term for term in self.capital_terms if term in words)
