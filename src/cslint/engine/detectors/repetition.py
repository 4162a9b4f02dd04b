"""``kind: repetition`` — the same (or nearly the same) text sent twice in one conversation.

.. code-block:: yaml

    - kind: repetition
      similarity: 0.9     # 0-1, word-sequence similarity that counts as the same text
      min_words: 6        # shorter turns ("Thanks!") may repeat naturally
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Iterable

from cslint.engine.detectors.base import CompileContext, Detector, TurnView, content_span, register
from cslint.model import Conversation


def comparable_words(view: TurnView) -> list[str]:
    first, last = view.content_bounds()
    return [t.lower_ for t in view.doc[first:last] if t.is_alpha or t.like_num]


@register
class RepetitionDetector(Detector):
    kind = "repetition"
    conversational = True
    properties = {
        "similarity": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "min_words": {"type": "integer", "minimum": 1},
    }

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.similarity = spec.get("similarity", 0.9)
        self.min_words = spec.get("min_words", 6)

    def find_in_conversation(
        self, conversation: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple[int, int, int, str]]:
        earlier: list[tuple[int, list[str]]] = []
        for i, view in enumerate(views):
            if view is None or not in_scope[i]:
                continue
            words = comparable_words(view)
            if len(words) < self.min_words:
                continue
            for j, previous in earlier:
                matcher = SequenceMatcher(None, previous, words, autojunk=False)
                if matcher.real_quick_ratio() >= self.similarity and matcher.quick_ratio() >= self.similarity and matcher.ratio() >= self.similarity:
                    yield (i, *content_span(view), f"Repeats the text of turn {j} word for word; it reads as a pasted template.")
                    break
            earlier.append((i, words))
