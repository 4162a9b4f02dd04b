"""``kind: repetition`` — the same (or nearly the same) text sent twice in one conversation.

.. code-block:: yaml

    - kind: repetition
      similarity: 0.9     # 0-1, word-sequence similarity that counts as the same text
      min_words: 6        # shorter turns ("Thanks!") may repeat naturally
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind
from cslint.engine.views import ConversationView, TurnView, content_span
from cslint.engine.views.turn import LOWER_COLUMN

#: Near-repeats are judged on a reply's first words, against the replies just before it, and
#: for at most so many pairs per conversation: ``SequenceMatcher.ratio`` is quadratic in the
#: words compared, and comparing every pair of replies is quadratic in their number, so a
#: one-conversation CSV export of 2,000 template-like replies took 43 s, and 100,000 hours.
#: Exact repeats are found among all earlier replies at any length, whatever the limits.
MAX_COMPARED_WORDS = 100
MAX_COMPARED_TURNS = 20
MAX_COMPARISONS = 400


def comparable_words(view: TurnView) -> list[int]:
    """The lower-cased words and numbers of the turn's content, as string ids (read from the
    turn's token rows; equal ids are equal words)."""
    first, last = view.content_bounds()
    return [row[LOWER_COLUMN] for row in view.token_rows()[first:last] if row[0] or row[1]]


class RepetitionKind(Kind):
    kind = "repetition"
    conversational = True
    properties = MappingProxyType(
        {
            "similarity": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "min_words": {"type": "integer", "minimum": 1},
        }
    )

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.similarity = spec.get("similarity", 0.9)
        #: Shorter replies ("Thanks!") may repeat naturally (this kind's own reading of min_words).
        self.min_reply_words: int = spec.get("min_words", 6)

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        views = conv.turns
        if sum(1 for view, flag in zip(views, in_scope) if flag and view is not None) < 2:
            return  # nothing earlier to repeat (a draft, a single canned reply)
        # The most recent replies, first words only, with their word counts.
        earlier: list[tuple[int, list[int], Counter]] = []
        seen: dict[tuple[int, ...], int] = {}  # every earlier reply's words -> its turn
        budget = MAX_COMPARISONS
        for i, view in enumerate(views):
            if view is None or not in_scope[i]:
                continue
            all_words = comparable_words(view)
            if len(all_words) < self.min_reply_words:
                continue
            words = all_words[:MAX_COMPARED_WORDS]
            counts = Counter(words)
            repeated = None
            for j, previous, previous_counts in earlier:
                # SequenceMatcher's real_quick_ratio and quick_ratio bounds, without building
                # a matcher (its index of the second sequence) for pairs that cannot be similar.
                total = len(previous) + len(words)
                if 2 * min(len(previous), len(words)) < self.similarity * total:
                    continue
                if 2 * sum((previous_counts & counts).values()) < self.similarity * total or budget <= 0:
                    continue
                budget -= 1
                if SequenceMatcher(None, previous, words, autojunk=False).ratio() >= self.similarity:
                    repeated = j
                    break
            if repeated is None:
                repeated = seen.get(tuple(all_words))
            if repeated is not None:
                yield Hit(
                    i,
                    *content_span(view),
                    f"Repeats the text of turn {repeated} word for word; it reads as a pasted template.",
                )
            seen.setdefault(tuple(all_words), i)
            earlier = (earlier + [(i, words, counts)])[-MAX_COMPARED_TURNS:]
