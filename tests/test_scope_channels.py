"""``scope.channels`` lists the channels a rule looks at; ``exclude_channels`` the ones it skips."""

import pytest

from cslint.ruleset.rule import Scope


@pytest.mark.parametrize(
    "channels, excluded, channel, expected",
    [
        (None, (), "canned", True),
        (("chat", "email"), (), "chat", True),
        (("chat", "email"), (), "canned", False),
        (("chat",), (), None, False),
        (None, ("canned",), "canned", False),
        (None, ("canned",), "chat", True),
        # A conversation without a channel is not excluded by exclude_channels.
        (None, ("canned",), None, True),
        (("chat", "email"), ("canned",), "twitter", False),
    ],
)
def test_covers_channel(channels, excluded, channel, expected):
    assert Scope(channels=channels, exclude_channels=excluded).covers_channel(channel) is expected
