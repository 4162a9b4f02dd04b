"""``kind: customer-mood`` (only for ``unless``): how the customer's message reads decides the match.

.. code-block:: yaml

    unless:
      - kind: customer-mood      # they thanked or praised: the reply is a closing, not a dropped ball
        mood: positive

A match is cancelled when the customer's message that the reply answers (the block of customer
turns just before the agent's reply block, as for ``customer-asked``) reads in the named mood:

- ``positive``: positive words and no negative one (VADER's social-media lexicon, the one the
  learned detectors use), no question, no negation ("not", "still", "but"), no problem word
  ("error", "issue") unless it is solved ("the issue is resolved, thanks"), no sign of
  frustration: "Thanks so much, that fixed it!", "Love the new app 😍".
- ``frustrated``: the customer reads upset (negative words outweigh positive ones, shouting,
  "third time", "still waiting"); a happy message with exclamation marks is not frustrated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.asked import answered_turns
from cslint.engine.kinds.base import CompileContext
from cslint.engine.kinds.context import ConversationCondition
from cslint.engine.views import ConversationView

#: Words that make a message with positive words still an open problem ("thanks, but it
#: doesn't work", "great, so when does it come?").
_OPEN = re.compile(
    r"\?|\b(not|no|never|none|nothing|cannot|can['’]?t|won['’]?t|don['’]?t|doesn['’]?t|didn['’]?t|isn['’]?t|"
    r"aren['’]?t|wasn['’]?t|haven['’]?t|hasn['’]?t|still|but|however|why|how|when|where|"
    # waiting, trying, asking to fix: an open problem however politely put
    r"wait(ing|ed)?|tr(y|ying|ied)|come on|fix|please|pls|asap|"
    # a request with thanks in advance ("if you could DM me ... a response would be appreciated")
    r"if you (can|could|would)|would be (appreciated|great|grateful)|need|"
    r"(dm|message|email|e-mail|call|contact|get back to|reply to|help) me|let me know)\b|"
    r"[😡🤬😤😠👎🙄😩😫😢😭😞😔☹🙁]|:-?\(|:['’]\(",
    re.IGNORECASE,
)
#: Problem words, which leave a message open unless it says the problem is solved ("the issue
#: has been resolved, thanks!").
_PROBLEM = re.compile(
    r"\b(problem|issue|error|broken|help|wrong|"
    # something failed, however cheerfully told ("export just crashed my laptop, hopefully ...")
    r"crash(ed|es|ing)?|fail(ed|s|ing|ure)?|vanish(ed|es)?|disappear(ed|s)?|missing|stuck|lost|"
    r"bug(s|gy)?|glitch(es|y)?|terminated|suspended)\b",
    re.IGNORECASE,
)
_SOLVED = re.compile(r"\b(resolved|solved|fixed|sorted|working (now|again)|works (now|again))\b", re.IGNORECASE)


def _positive(text: str) -> bool:
    from cslint.learning import frustration  # deferred: the lexicon is read on first use

    found = frustration.signals(text)
    if "pos-only" not in found or found & {"repeated", "caps"} or _OPEN.search(text):
        return False
    return not _PROBLEM.search(text) or bool(_SOLVED.search(text))


def _frustrated(text: str) -> bool:
    from cslint.learning import frustration

    return frustration.frustrated(text)


#: The moods a rule names, each a test of the customer's message.
MOODS = MappingProxyType({"positive": _positive, "frustrated": _frustrated})


class CustomerMood(ConversationCondition):
    kind = "customer-mood"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"mood": {"enum": list(MOODS)}})
    required = ("mood",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.test = MOODS[spec["mood"]]

    def preload(self) -> None:
        from cslint.learning import frustration

        frustration.lexicon()

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        conv = conversation.conversation
        said = " ".join(conv.turns[i].text for i in answered_turns(conv, ti))
        return bool(said.strip()) and self.test(said)
