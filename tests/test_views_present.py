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


def _thread(*turns):
    return Conversation("t", "x.csv", [Turn(s, "text", name=n, reply_to=r) for s, n, r in turns], "social")


def test_replied_chain_follows_the_thread_to_the_customer_and_their_earlier_posts():
    from cslint.engine.views import replied_chain

    conversation = _thread(
        ("customer", "ann", None),  # 0: ann's first tweet
        ("customer", "ann", 0),  # 1: ann adds to it
        ("customer", "bo", None),  # 2: another customer, in between in time
        ("agent", "acme", 1),  # 3: answers ann
        ("agent", "acme", 3),  # 4: "2/2", continues the answer
        ("agent", "acme", 2),  # 5: answers bo
    )
    assert replied_chain(conversation, 3, ("customer",)) == [0, 1]
    assert replied_chain(conversation, 4, ("customer",)) == [0, 1]  # past its own "1/2"
    assert replied_chain(conversation, 5, ("customer",)) == [2]
    assert replied_chain(conversation, 0, ("customer",)) == []  # answers nobody


def test_replied_chain_ends_on_a_cycle_in_broken_data():
    from cslint.engine.views import replied_chain

    looped = _thread(("agent", "acme", 1), ("agent", "acme", 0))
    assert replied_chain(looped, 0, ("customer",)) == []
    own = _thread(("customer", "ann", 1), ("customer", "ann", 0), ("agent", "acme", 1))
    assert replied_chain(own, 2, ("customer",)) == [0, 1]


def test_english_in_keeps_the_flagged_turns_that_read_as_english():
    conversation = views_of(
        [
            ("Thanks so much for waiting, I have sorted the refund for you now.", []),
            ("Vielen Dank für Ihre Geduld, wir haben die Rückerstattung für Sie veranlasst.", []),
            ("Not analysed.", None),
        ]
    )
    assert conversation.english_in([True, True, True]) == [True, False, True]
    assert conversation.english_in([False, True, False]) == [False, False, False]
    assert conversation.english_in([True, False, False]) == [True, False, False]


def _said(*texts):
    turns = [Turn("customer" if i % 2 == 0 else "agent", text) for i, text in enumerate(texts)]
    return ConversationView(Conversation("d", "x.jsonl", turns), [None] * len(turns))


def test_an_acronym_spelled_out_by_its_initials_anywhere_before_is_defined():
    conversation = _said(
        "My battery pack keeps beeping",
        "That's the Battery Backup unit. Is it plugged in?",
        "Yes",
        "Then please replace the BBU; our set-top boxes are fine.",
    )
    assert conversation.is_defined(3, "BBU")
    assert conversation.is_defined(3, "STBs")  # the plural, spelled out in the same turn
    assert not conversation.is_defined(0, "BBU")  # not spelled out yet
    assert not conversation.is_defined(3, "APN")


def test_function_words_and_short_acronyms_spell_out_nothing():
    conversation = _said("I will be there", "and please note the time", "for any help")
    assert not conversation.is_defined(2, "APN")  # "and please note": "and" is a function word
    assert not conversation.is_defined(2, "FA")  # two letters: "for any" is no expansion
    assert not conversation.is_defined(2, "WBT")  # "will be there": function words
