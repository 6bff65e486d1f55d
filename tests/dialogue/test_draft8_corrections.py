"""Round 8 (corrections, drafts): a short story NLU filed as out of scope still brings its red
flag; a reply that went to an inbox the person never checks explains the silence away; a friend
who did complain takes back 'nothing but praise'; "im gonna pass" declines. Real rule base; no
Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.answers import opens_a_story
from interview_advisor.dialogue.drafting import draft_named_in

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def test_a_short_story_filed_out_of_scope_keeps_its_red_flag(advisor):
    state, _ = talk(advisor, ("no word from Glenmoor in 3 weeks since my final", "out_of_scope"))
    assert "poor_communication" in state.flags


def test_a_short_out_of_scope_message_without_a_flag_stays_small_talk(advisor):
    state, _ = talk(advisor, ("can you book me a train to leeds", "out_of_scope"))
    assert not state.flags


@pytest.mark.parametrize("intent", ["correct", "inform", "describe_interview"])
def test_replies_sent_to_an_inbox_never_checked_explain_the_silence(advisor, intent):
    state, _ = talk(advisor, ("no word from Glenmoor in 3 weeks since my final",
                              "describe_interview"))
    state, _ = talk(advisor, ("oh god. they emailed my work address which i never check, "
                              "they replied ages ago", intent), state=state)
    assert "poor_communication" not in state.flags


def test_a_friend_who_did_complain_takes_back_nothing_but_praise(advisor):
    state, _ = talk(advisor, ("everyone i know who works at Brisa says its the best place "
                              "ever, literally not one downside", "describe_interview"))
    assert "overly_positive_acquaintances" in state.flags
    state, _ = talk(advisor, ("thats not true actually, my mate there did moan about the long "
                              "hours and the messy reorg", "correct"), state=state)
    assert "overly_positive_acquaintances" not in state.flags


@pytest.mark.parametrize("text", ["yeah im gonna pass. whats a nice way to word it?",
                                  "i'll pass on this one, write it for me"])
def test_passing_on_it_declines(advisor, text):
    assert draft_named_in(advisor, text, {}) == "decline_offer"


@pytest.mark.parametrize("text, expected", [
    ("hiya, need help with something a bit awkward", True),
    ("hi, got something tricky", True),
    ("they asked me something awkward in the interview", False),
])
def test_an_opener_announcing_something_awkward_invites_the_story(advisor, text, expected):
    assert opens_a_story(advisor, text) is expected


def test_a_story_filed_out_of_scope_brings_its_red_flag(advisor):
    state, _ = talk(advisor, ("the recruiter couldn't say what the job is", "out_of_scope"))
    assert "vague_job_description" in state.flags
