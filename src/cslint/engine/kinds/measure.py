"""``kind: metric`` — a measurable property over a limit (sentence or reply length).

.. code-block:: yaml

    - kind: metric
      measure: sentence-words   # sentence-words | turn-words | turn-sentences
      max: 40
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Kind
from cslint.engine.views import CharSpan, TurnView, content_span


class MetricKind(Kind):
    kind = "metric"
    properties = MappingProxyType(
        {
            "measure": {"enum": ["sentence-words", "turn-words", "turn-sentences"]},
            "max": {"type": "integer", "minimum": 1},
        }
    )
    required = ("measure", "max")
    #: ``max_sentence_words``, ``max_turn_words``, ``max_turn_sentences``: the limit of a measure.
    option_properties = MappingProxyType(
        {f"max_{m.replace('-', '_')}": {"type": "integer", "minimum": 1} for m in properties["measure"]["enum"]}
    )

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.measure = spec["measure"]
        self.max = ctx.options.get(f"max_{self.measure.replace('-', '_')}", spec["max"])

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        doc = view.doc
        if self.measure == "sentence-words":
            for sent in doc.sents:
                if view.words_between(sent.start, sent.end) > self.max:
                    tokens = [t for t in sent if not t.is_space]
                    yield tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            return
        first, last = view.content_bounds()
        if self.measure == "turn-words":
            value = view.words_between(first, last)
        else:
            value = sum(1 for s in doc.sents if any(not t.is_space and not t.is_punct for t in s))
        if value > self.max:
            yield content_span(view)
