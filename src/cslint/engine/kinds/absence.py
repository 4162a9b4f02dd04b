"""``kind: absence`` — something a turn should contain is missing (e.g. a concrete next step).

.. code-block:: yaml

    - kind: absence
      of: [detectors]      # flag the turn when none of these match in it
      flag: last-sentence  # which part carries the finding: first-sentence | last-sentence | turn
      turn: last           # usually combined with a position: the final agent turn
      to: [detectors]      # only in reply to a customer message one of these matches (omit: any)

``to`` reads the customer's message the reply answers (as ``customer-mood`` does: the
customer turns before the reply block, or in a reply-threaded conversation the post it
answers). A reply to a plain question ("Which train should I get?") is settled by its answer,
so no-next-step asks for a next step only after anything else (``to: [{kind: mood, mood:
not-enquiring}]``). A reply with no customer message before it is judged without ``to``.

With ``turn: last``, the final reply is every post of it: a reply split over consecutive turns
of the same speaker ("1/3", "2/3", "3/3" on Twitter, or an e-mail answered in two messages)
has what it should contain when any of its parts has it. The finding still lands on the last
part.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.asked import answered_turns
from cslint.engine.kinds.base import NESTED_LIST, CompileContext, Kind, any_match, nested_lists
from cslint.engine.views import CharSpan, ConversationView, TurnView, content_span, has_words, sentence_span


class AbsenceKind(Kind):
    kind = "absence"
    properties = MappingProxyType(
        {"of": NESTED_LIST, "to": NESTED_LIST, "flag": {"enum": ["first-sentence", "last-sentence", "turn"]}}
    )
    required = ("of",)

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "of", "to")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.of = ctx.compile(spec["of"])
        self.to = ctx.compile(spec.get("to") or [])
        self.reads_other_turns = bool(self.to)
        self.flag = spec.get("flag", "last-sentence")

    def preload(self) -> None:
        for detector in [*self.of, *self.to]:
            detector.preload()

    def find_in_turns(self, conversation: ConversationView, turns: list[bool]) -> Iterator[tuple[int, list[CharSpan]]]:
        views = conversation.turns
        for ti, spans in super().find_in_turns(conversation, turns):
            if self.turn == "last" and any(any_match(self.of, part) for part in _earlier_parts(views, ti)):
                continue  # an earlier post of the same reply has it
            if self.to and not self._answers_to(conversation, ti):
                continue
            yield ti, spans

    def _answers_to(self, conversation: ConversationView, ti: int) -> bool:
        """Whether the customer's message that the reply at ``ti`` answers (``answered_turns``,
        as ``customer-mood`` reads it) matches ``to``; True when there is none to read."""
        views = conversation.turns
        said = [view for i in answered_turns(conversation.conversation, ti) if (view := views[i]) is not None]
        return not said or any(any_match(self.to, view) for view in said)

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        first, last = view.content_bounds()
        # A reply of only emoji or symbols ("🙏", "👍") is a reaction: nothing is missing from it.
        if first >= last or not has_words(view.doc[first:last]) or any_match(self.of, view):
            return []
        if self.flag == "turn":
            return [content_span(view)]
        return [sentence_span(view, "first" if self.flag == "first-sentence" else "last")]


def _earlier_parts(views: list[TurnView | None], ti: int) -> Iterator[TurnView]:
    """The turns just before ``ti`` by the same speaker, with no other turn between: the earlier
    posts of one reply, nearest first."""
    last = views[ti]
    if last is None:
        return
    speaker = last.turn.speaker
    for view in reversed(views[:ti]):
        if view is None or view.turn.speaker != speaker:
            return
        yield view
