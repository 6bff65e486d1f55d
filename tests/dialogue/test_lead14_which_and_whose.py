"""Round 14 (lead): "which one looks better" asks for the comparison as "which is better"
does, and a company said before is recognised in its possessive without an apostrophe
("greylings hiring manager"). Real rule base and spaCy; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.opportunities import asks_to_compare

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


THREE = ("three things on the go: a startup doing climate software, a big consultancy in "
         "london, and Varga Media who im meeting friday")


@pytest.mark.parametrize("text,asks", [
    ("so between whats left which one looks better", True),
    ("which of the two is the safer bet", True),
    ("which seems like the better deal honestly", True),
    ("which of them is best for someone early in their career", True),
    ("which interview went better, the first or the second?", False),
    ("the consultancy looks better on paper but the startup sounds more fun", False),
])
def test_which_is_better_in_other_words_asks_for_the_comparison(advisor, text, asks):
    state, _ = talk(advisor, (THREE, "describe_interview"))
    assert asks_to_compare(advisor, state, text) is asks


def test_a_name_said_before_in_its_possessive_without_apostrophe(advisor):
    state, turn = talk(
        advisor,
        ("offers from Penhallow and Greyling on the table, leaning penhallow", "evaluate_offer"),
        ("greylings hiring manager just messaged me personally, she seems great", "inform"))
    active = next(o for o in state.opportunities if o["id"] == state.active)
    assert active["name"] == "Greyling"
    assert len(state.opportunities) == 2          # no third company called "Greylings"
