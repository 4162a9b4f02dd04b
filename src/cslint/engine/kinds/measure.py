"""``kind: metric`` — a measurable property over a limit (sentence or reply length).

.. code-block:: yaml

    options:
      max_turn_words: 250       # the limit, in one place: a team overrides it in configuration
    detect:
      - kind: metric
        measure: turn-words     # sentence-words | turn-words | turn-sentences
        message: This reply is over {max} words.   # {max}: the limit in force

The limit is the rule option ``max_<measure>`` (``max_sentence_words``, ...), or ``max`` on the
detector when the rule has no such option.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Kind
from cslint.engine.views import CharSpan, TurnView, content_span
from cslint.errors import RuleError


class MetricKind(Kind):
    kind = "metric"
    properties = MappingProxyType(
        {
            "measure": {"enum": ["sentence-words", "turn-words", "turn-sentences"]},
            "max": {"type": "integer", "minimum": 1},
        }
    )
    required = ("measure",)
    #: ``max_sentence_words``, ``max_turn_words``, ``max_turn_sentences``: the limit of a measure.
    option_properties = MappingProxyType(
        {f"max_{m.replace('-', '_')}": {"type": "integer", "minimum": 1} for m in properties["measure"]["enum"]}
    )

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.measure = spec["measure"]
        option = f"max_{self.measure.replace('-', '_')}"
        limit = ctx.options.get(option, spec.get("max"))
        if limit is None:
            raise RuleError(f"a {self.measure} metric needs a limit: the rule option {option!r}, or 'max'")
        self.max: int = limit

    def message_fields(self) -> dict[str, object]:
        return {**super().message_fields(), "max": self.max}

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
