"""Round 14 (dlm14): an offer in another person's story ("my partner just got offered a job up
in leeds") is not the person's stage; a life that moved under the process ("everything's up in
the air") asks for the message that tells the recruiter things changed."""

from __future__ import annotations

from interview_advisor import Advisor
from interview_advisor.dialogue.drafting import draft_named_in

from .conversation import talk

ADVISOR = Advisor()


def stage(text: str):
    found = ADVISOR.detect(text).facts.get("stage")
    return found.value if found else None


def test_someone_elses_offer_is_not_the_persons():
    assert stage("my partner just got offered a job up in leeds") is None
    assert stage("my wife got an offer from a bank in york") is None
    assert stage("they offered me the job and my partner is thrilled") == "offer"
    assert stage("i told my sister i got the offer") == "offer"


def test_the_stage_told_before_stays():
    state, _ = talk(ADVISOR,
                    ("2nd stage with Oakhurst Lettings is on friday", "describe_interview"),
                    ("my boyfriend just got offered a job in glasgow so who knows", "inform"))
    assert state.facts["stage"]["value"] == "upcoming"


def test_up_in_the_air_asks_for_the_changed_circumstances_message():
    text = ("my partner got a job up north so everything's up in the air. "
            "what do i say to the recruiter")
    assert draft_named_in(ADVISOR, text, {}) == "update_on_changed_circumstances"
