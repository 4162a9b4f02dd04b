"""A turn nothing is matched in (a customer's turn, read as context) is analysed by spaCy only
if a kind reads its doc; the findings are the same as when every turn is analysed up front."""

import cslint.engine.linter as linter_module
from cslint.engine.linter import Linter
from cslint.engine.nlp import build_pipeline
from cslint.engine.views import TurnView
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules, select_rules

CALM = "My router has not worked since Monday, can you help?"
USES_A_TERM = "My parcel is stuck at the KDX depot."
SHOUTS = "GREAT, THANKS A LOT"
CONVERSATION = Conversation(
    "c1",
    "x.jsonl",
    [
        Turn("customer", CALM),
        Turn("agent", "Please provide your tracking number."),
        Turn("customer", USES_A_TERM),
        # The customer said "KDX" first: jargon reads their turn's acronyms, which needs its doc.
        Turn("agent", "Thanks, it is waiting at the KDX depot and leaves today."),
        Turn("customer", SHOUTS),
        Turn("agent", "You're welcome!"),
        Turn("customer", "This is ridiculous, third time I ask and still nothing!!!"),
        Turn("agent", "Please wait."),
    ],
)


def test_a_view_built_on_demand_makes_its_doc_when_first_read():
    nlp = build_pipeline()
    made = []

    def analyse():
        made.append(1)
        return nlp("Where is my parcel?")

    view = TurnView(0, Turn("customer", "Where is my parcel?"), None, {}, analyse=analyse)
    assert not view.analysed and made == []
    assert view.present() == frozenset()  # what occurs needs no doc when nothing is matched
    assert [t.text for t in view.doc] == ["Where", "is", "my", "parcel", "?"]
    assert view.analysed and made == [1]
    assert view.doc is view.doc and made == [1]  # made once
    assert view.word_count() == 4


class CountingPipeline:
    """The linter's pipeline, recording every text it analyses."""

    def __init__(self, nlp):
        self.nlp, self.texts = nlp, []

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.texts += texts
        return self.nlp.pipe(texts, **kwargs)

    def __call__(self, text):
        self.texts.append(text)
        return self.nlp(text)


def _findings(linter):
    return [(f.rule, f.turn, f.start, f.end, f.message) for _, found in linter.lint([CONVERSATION]) for f in found]


def _default_linter():
    return Linter(select_rules(load_rules([]).rules), cache_entries=0)


def test_customer_turns_are_analysed_only_when_a_rule_reads_their_doc():
    linter = _default_linter()
    counting = linter.nlp = CountingPipeline(linter.nlp)
    findings = _findings(linter)
    assert findings and "jargon" not in {rule for rule, *_ in findings}
    # Read as text only, or their capitals never needed: no agent turn uses a term after them.
    assert CALM not in counting.texts and SHOUTS not in counting.texts
    assert USES_A_TERM in counting.texts
    assert all(t.text in counting.texts for t in CONVERSATION.turns if t.speaker == "agent")


def test_the_findings_are_those_of_analysing_every_turn(monkeypatch):
    on_demand = _findings(_default_linter())

    def build(*args, **kwargs):
        """A view that makes its doc as soon as it is built, as before analysis on demand."""
        view = TurnView(*args, **kwargs)
        view.doc  # noqa: B018  (made now)
        return view

    with monkeypatch.context() as patched:
        patched.setattr(linter_module, "TurnView", build)
        up_front = _findings(_default_linter())
    assert on_demand and on_demand == up_front
