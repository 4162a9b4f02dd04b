"""Per-run views the kinds read: one turn (``TurnView``) and one conversation
(``ConversationView``). Built by the linter for each conversation; never shared."""

from cslint.engine.views.conversation import ConversationView, Exchange, normalised, replied_chain
from cslint.engine.views.turn import (
    CharSpan,
    TurnView,
    content_bounds,
    content_span,
    has_words,
    is_filler,
    sentence_span,
)

__all__ = [
    "CharSpan",
    "ConversationView",
    "Exchange",
    "TurnView",
    "content_bounds",
    "content_span",
    "has_words",
    "is_filler",
    "normalised",
    "replied_chain",
    "sentence_span",
]
