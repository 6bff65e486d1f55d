"""Round 15 (dil15): in one message, where the person is in a process (``stage``, a fact with
``prevails``) is not moved by a sentence that adds a second process ("i also have a first
interview with a college", "... as well"): that is another process beside the first one."""

from __future__ import annotations

import pytest

from .helpers import real_advisor


def stage(text):
    found = real_advisor().detect(text).facts.get("stage")
    return found.value if found else None


@pytest.mark.parametrize("text, value", [
    ("got offered a warehouse supervisor job this morning. i also have a first interview with "
     "a college next week which i'd prefer", "offer"),
    ("they offered me the job on friday. ive got an interview at another place next week as "
     "well", "offer"),
    ("Brindle Homes turned me down yesterday. I also have an interview with a housing "
     "association on monday", "rejected"),
    # no addition: the last step still wins
    ("had the interview last week. they rang today and offered me the job", "offer"),
    # an addition about the same process that moves it on: the later step prevails anyway
    ("had my first round on monday and they also invited me back for a second round next week",
     "upcoming"),
])
def test_an_added_process_does_not_move_the_stage(text, value):
    assert stage(text) == value
