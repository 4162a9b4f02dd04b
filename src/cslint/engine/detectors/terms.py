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
from typing import Any

from cslint.engine.detectors.base import CompileContext, Detector, TurnView, phrase_count_problem, register
from cslint.engine.detectors.definitions import is_defined
from cslint.model import Conversation

_MIN_ACRONYM, _MAX_ACRONYM = 2, 6


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@register
class TermsDetector(Detector):
    kind = "terms"
    conversational = True
    needs_lemmas = True
    properties = {
        "terms": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "acronyms": {"type": "boolean"},
        "common": {"type": "array", "items": {"type": "string", "minLength": 1}},
    }

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        return phrase_count_problem(spec, "terms") or phrase_count_problem(spec, "common")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        vocabulary = ctx.vocabulary
        self.accepted = {_norm(t) for t in getattr(vocabulary, "accept", ())}
        self.common = {_norm(t) for t in spec.get("common", [])} | self.accepted
        terms = [
            t for t in spec.get("terms", []) + list(getattr(vocabulary, "reject", ())) if _norm(t) not in self.accepted
        ]
        #: Terms written in capitals only match capitals ("CAT" the acronym, not "cat").
        self.capital_terms = {_norm(t) for t in terms if t.isupper()}
        self.acronyms = spec.get("acronyms", False)
        if terms:
            ctx.bank.add_phrases(self.key, terms, "lemma")

    def _candidates(self, view: TurnView) -> list[tuple[int, int, str]]:
        """(start, end, key) of every term use in this turn."""
        doc = view.doc
        found = []
        for start, end in view.matches.get(self.key, ()):
            span = doc[start:end]
            key = _norm(span.lemma_)
            if _norm(span.text) in self.capital_terms or key in self.capital_terms:
                if not span.text.isupper():
                    continue
                key = _norm(span.text)
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
                found.append((token.idx, token.idx + len(text), _norm(text)))
        return [f for f in found if f[2] not in self.common]

    def find_in_conversation(
        self, conversation: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple[int, int, int]]:
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
                    if not self._defined(conversation, i, turn.text[start:end]):
                        yield i, start, end
            elif turn.speaker == "customer":
                # The customer's own words are fine to use back to them.
                seen.update(k for _, _, k in self._candidates(view))
                words = set(_norm(turn.text).split())
                seen.update(term for term in self.capital_terms if term in words)

    def _defined(self, conversation: Conversation, upto: int, term: str) -> bool:
        """Whether ``term`` is spelled out next to a use of it, up to and including turn ``upto``."""
        return is_defined(conversation, upto, term, strict_start=True)
