"""``scope.channels`` lists channels a rule looks at; ``!name`` entries exclude a channel."""

import pytest

from cslint.ruleset.rule import Scope


@pytest.mark.parametrize(
    "channels, channel, expected",
    [
        (None, "canned", True),
        (("chat", "email"), "chat", True),
        (("chat", "email"), "canned", False),
        (("chat",), None, False),
        (("!canned",), "canned", False),
        (("!canned",), "chat", True),
        # A conversation without a channel is not excluded by a negative entry.
        (("!canned",), None, True),
        (("chat", "email", "!canned"), "twitter", False),
    ],
)
def test_covers_channel(channels, channel, expected):
    assert Scope(channels=channels).covers_channel(channel) is expected
