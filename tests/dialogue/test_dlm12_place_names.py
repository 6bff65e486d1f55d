"""Round 12 (dlm12): a capitalised name after a place cue ("a firm in Leeds", "up from
Bristol", "moving to Swindon") is a place, not another opportunity; companies still are."""

from __future__ import annotations

from interview_advisor import Advisor
from interview_advisor.dialogue.opportunity_names import _company_names

ADVISOR = Advisor()


def names(text):
    return [n for n, _, _ in _company_names(ADVISOR, text, [])]


def test_places_are_not_companies():
    assert names("the offer is from a company in Cardiff and we'd be moving up from Exeter") == []
    assert names("it would mean relocating to Dundee") == []


def test_companies_beside_places_are_still_companies():
    assert names("got an offer from Globex, its based in Norwich") == ["Globex"]
    assert names("final round at Initech next week") == ["Initech"]
