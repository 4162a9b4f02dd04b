"""The exit status is decided in one place: an error wins over findings."""

import pytest

from cslint.exitstatus import ExitStatus


@pytest.mark.parametrize(
    "errors, findings, expected",
    [(False, False, 0), (False, True, 1), (True, False, 2), (True, True, 2)],
)
def test_an_error_takes_precedence_over_findings(errors, findings, expected):
    assert ExitStatus.decide(errors=errors, findings=findings) == expected


def test_the_statuses_are_the_documented_numbers():
    assert [int(s) for s in ExitStatus] == [0, 1, 2, 130]
