"""What occurs in a set of turns: the one set a rule's and its detectors' triggers are tested
against (``ConversationView.present_in``)."""

from cslint.engine.matching.handles import Trigger
from cslint.engine.nlp import build_pipeline
from cslint.engine.views import ConversationView, TurnView
from cslint.model import Conversation, Turn


def views_of(texts_and_keys):
    nlp = build_pipeline()
    turns = [Turn("agent", text) for text, _ in texts_and_keys]
    conversation = Conversation("c1", "x.jsonl", turns)
    views = [
        None if keys is None else TurnView(i, turn, nlp(turn.text), {key: [(0, 1)] for key in keys})
        for i, (turn, (_, keys)) in enumerate(zip(turns, texts_and_keys))
    ]
    return ConversationView(conversation, views)


def test_present_in_gathers_the_flagged_analysed_turns_only():
    conversation = views_of([("Sorry.", ["apology"]), ("Not analysed.", None), ("Our policy.", ["policy"])])
    assert conversation.present_in([True, True, True]) == {"apology", "policy"}
    assert conversation.present_in([False, True, True]) == {"policy"}
    assert conversation.present_in([True, False, False]) == {"apology"}
    assert conversation.present_in([False, True, False]) == frozenset()


def test_a_trigger_occurs_in_some_flagged_turn_exactly_when_it_meets_their_set():
    conversation = views_of([("Sorry.", ["apology"]), ("Our policy.", ["policy"])])
    trigger = Trigger(frozenset({"policy"}), frozenset())
    for flags in ([True, True], [True, False], [False, True], [False, False]):
        one_by_one = any(
            flag and view is not None and view.occurs(trigger) for flag, view in zip(flags, conversation.turns)
        )
        assert one_by_one == (not trigger.items.isdisjoint(conversation.present_in(flags)))
