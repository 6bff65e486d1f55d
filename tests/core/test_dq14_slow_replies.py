"""Round 14 (dq14): slowness told with a gerund ("slow getting back to me", "slow replying")
is poor communication, as "slow to get back" was; the person's own slowness is not."""

from __future__ import annotations

import pytest

from .helpers import real_advisor


@pytest.mark.parametrize("text", [
    "they were painfully slow getting back to me",
    "the agency has been so slow replying to my emails",
    "hr were slow coming back to me after the final",
])
def test_slow_with_a_gerund(text):
    assert "poor_communication" in real_advisor().detect(text).signals


def test_own_slowness_is_not_theirs():
    assert "poor_communication" not in real_advisor().detect(
        "i was slow getting back to them").signals
