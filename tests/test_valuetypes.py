"""The value types shared by the asks-again rule and the learned model's features."""

from cslint.valuetypes import asked_spans, given_types


def test_a_value_gets_one_type_from_the_words_next_to_it():
    assert given_types("My order 405-6829914-837231 never came") == {"order-number"}
    assert given_types("call me on 07700 900123 please") == {"phone-number"}
    assert given_types("account 55881234 was charged twice") == {"account-number"}
    assert given_types("flight 2433 to MSY, seat 1A") == {"flight-number", "seat"}
    assert given_types("write to jane.doe@example.com") == {"email-address"}
    # Dates, prices and short numbers are no phone numbers.
    assert given_types("on 22/10/2017 I paid 1,500 for 3 items") == frozenset()


def test_a_value_is_asked_for_only_right_after_words_that_ask():
    def asked(text):
        return [(text[s:e], t) for s, e, t in asked_spans(text)]

    assert asked("Could you DM us your order number?") == [("DM us your order number", "order-number")]
    assert asked("May we have your number for a quick check?") == [("May we have your number", "phone-number")]
    assert asked("What is the booking reference?") == [("What is the booking reference", "order-number")]
    assert asked("Where are you sitting please?") == [("Where are you sitting", "seat")]
    # Named, not asked for.
    assert asked("Your number has been deactivated by your previous operator.") == []
    assert asked("Please tell us the number of items you ordered.") == []
    assert asked("Please send us an email at help@example.com.") == []  # a message, not the address
    assert asked("Please send us your email address.") == [("send us your email address", "email-address")]
