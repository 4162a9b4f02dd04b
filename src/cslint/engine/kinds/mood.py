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
  "third time", "still waiting", an angry emoji: 😡 🤬 😠 👎 🙄); a happy message with
  exclamation marks is not frustrated.
- ``not-frustrated``, ``not-positive``: the opposite of either, for a rule whose match needs
  the mood: unacknowledged-frustration's trigger words ("come on", "???", "😩") stand only
  when the whole message reads upset ("Come on @hulu, put season 2 up for me!" does not).
- ``enquiring``: a plain question, asked calmly ("which train should I get to Stoke?", "is
  extra guac included?"): a question mark or a message that opens as a question, and no
  problem word, negation, "why", question about when, or sign of frustration. The reply that
  answers it settles it.
- ``small-talk`` reads the reply as well: the customer's message asks nothing and reports
  nothing wrong (no question, request, problem or negative word, no reference number, no
  letters the English lexicon cannot read), and the reply answers in kind — positive, with no
  apology: a costume photo answered with "Nicely done!".

``kind: mood`` is the same test as a turn-level detector: it matches a whole turn that reads in
the mood (any of the customer moods but ``small-talk``, ``not-`` ones included). Nested in
``reply``'s or ``absence``'s ``to:``, it makes a detector about the reply to a customer in
that mood, where ``unless`` could only cancel every detector of the rule:

.. code-block:: yaml

    - kind: reply                # "See DM" and nothing else, to a customer who is upset
      to:
        - kind: mood
          mood: frustrated
      has:
        - kind: regex
          at: whole-turn
          patterns: ['\\bsee (our )?dm\\b']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.asked import answered_turns
from cslint.engine.kinds.base import CompileContext, Kind
from cslint.engine.kinds.context import ConversationCondition
from cslint.engine.views import ConversationView, TurnView
from cslint.engine.views.turn import CharSpan, content_span

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
    r"bug(s|gy)?|glitch(es|y)?|terminated|suspended|"
    # something late, cut off or damaged ("flight delayed", "data breach")
    r"delay(ed|s)?|late|cancell?ed|outage|breach(ed)?|damaged|faulty|overcharged)\b",
    re.IGNORECASE,
)
_SOLVED = re.compile(r"\b(resolved|solved|fixed|sorted|working (now|again)|works (now|again))\b", re.IGNORECASE)


def _positive(text: str) -> bool:
    from cslint.learning import frustration  # deferred: the lexicon is read on first use

    found = frustration.signals(text)
    if "pos-only" not in found or found & {"repeated", "caps", "exasperated"} or _OPEN.search(text):
        return False
    return not _PROBLEM.search(text) or bool(_SOLVED.search(text))


#: Emoji of anger, disapproval or exasperation, which the word lexicon cannot read ("charged
#: twice for a cancelled ride 😡😡😡"). Not 😩 or 😤, which as often say "so good" or "let's go".
#: (The learned model reads the lexicon's signals only; it was trained without these.)
_ANGRY_EMOJI = re.compile("[\U0001f621\U0001f92c\U0001f620\U0001f44e\U0001f644]")


def _frustrated(text: str) -> bool:
    from cslint.learning import frustration

    return frustration.frustrated(text) or _ANGRY_EMOJI.search(text) is not None


#: Business, not small talk: a request ("any chance", "any news"), a reference number, an
#: apology (something went wrong).
_BUSINESS = re.compile(
    r"\bany (chance|news|update|word)\b|\d{5,}|\b(sorry|apolog\w*|regret\w*|unfortunate(ly)?)\b", re.IGNORECASE
)


_HANDLES_AND_LINKS = re.compile(r"@\w+|\bhttps?://\S+")


def _calm(text: str) -> bool:
    """Nothing open and nothing wrong, in words the lexicon reads: no question, request, problem
    or negative word, no reference number, and no letters outside the Latin alphabet (a
    message in another script cannot be judged by an English lexicon)."""
    from cslint.learning import frustration

    text = _HANDLES_AND_LINKS.sub(" ", text)
    if not all(ch.isascii() for ch in text if ch.isalpha()):
        return False
    found = frustration.signals(text)
    return not (
        found & {"neg", "repeated", "caps", "exasperated"}
        or _OPEN.search(text)
        or _PROBLEM.search(text)
        or _BUSINESS.search(text)
    )


#: A question: a question mark, or a message that opens as one ("can I drop RT from my
#: package", "which train should I get to Stoke"), after any @mentions.
_QUESTION = re.compile(
    r"\?|^\W*(?:@\w+\W+)*(?:can|could|do|does|did|is|are|was|were|will|would|how|what|which|who|where|"
    r"should|may|any)\b",
    re.IGNORECASE,
)
#: What a plain answer does not settle: a question about when ("when will it arrive?", "still
#: nothing?"), a complaint asked as a question ("why is it late?"), a negation ("won't it fit?").
_NOT_PLAIN = re.compile(
    r"\b(when|how long|what time|eta|yet|still|why|not|no|never|cannot|can['’]?t|won['’]?t|\w+n['’]t)\b", re.IGNORECASE
)


def _enquiring(text: str) -> bool:
    """A plain question, asked calmly: nothing wrong reported, not upset, not about when."""
    return (
        _QUESTION.search(text) is not None
        and not _NOT_PLAIN.search(text)
        and not _PROBLEM.search(text)
        and not _frustrated(text)
    )


def _small_talk(said: str, reply: str) -> bool:
    """The customer shared something with nothing open or wrong, and the reply answers in
    kind: calm, and positive ("Love it!", "Thanks for the shout out!")."""
    return _calm(said) and _calm(reply) and _positive(reply)


#: The moods a rule names, each a test of the customer's message.
MOODS = MappingProxyType({"positive": _positive, "frustrated": _frustrated, "enquiring": _enquiring})
#: The moods of the exchange, each a test of the customer's message and the reply.
EXCHANGE_MOODS = MappingProxyType({"small-talk": _small_talk})


def _negated(test: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: not test(text)


#: ``not-frustrated``, ``not-positive``: an exception that needs the mood for the match to
#: stand ("the customer must read upset": a trigger word alone is not enough).
NOT_MOODS = MappingProxyType({f"not-{name}": _negated(test) for name, test in MOODS.items()})


class CustomerMood(ConversationCondition):
    kind = "customer-mood"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {"mood": {"enum": [*MOODS, *NOT_MOODS, *EXCHANGE_MOODS]}}
    )
    required = ("mood",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        mood = spec["mood"]
        self.test_exchange: Callable[[str, str], bool]
        if mood in EXCHANGE_MOODS:
            self.test_exchange = EXCHANGE_MOODS[mood]
        else:
            customer_test = {**MOODS, **NOT_MOODS}[mood]
            self.test_exchange = lambda said, reply: customer_test(said)

    def preload(self) -> None:
        from cslint.learning import frustration

        frustration.lexicon()

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        conv = conversation.conversation
        said = " ".join(conv.turns[i].text for i in answered_turns(conv, ti))
        return bool(said.strip()) and self.test_exchange(said, conv.turns[ti].text)


class MoodKind(Kind):
    """A turn that reads in the named mood, matched whole (its content, without @mentions and
    signature); see the module's documentation."""

    kind = "mood"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType({"mood": {"enum": [*MOODS, *NOT_MOODS]}})
    required = ("mood",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.test: Callable[[str], bool] = {**MOODS, **NOT_MOODS}[spec["mood"]]

    def preload(self) -> None:
        from cslint.learning import frustration

        frustration.lexicon()

    def find(self, view: TurnView) -> list[CharSpan]:
        return [content_span(view)] if self.test(view.text) else []
