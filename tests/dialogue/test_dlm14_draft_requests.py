"""Round 14 (dlm14): words that only stress a request ("what the job *even* is") do not hide
the message it names (``request_fillers`` of rules/words.yml); inside the draft form, a
message whose words ask for another message switches to it even when NLU did not file it as
a request ("scrap that, just write the one where i pull out")."""

from __future__ import annotations

from interview_advisor import Advisor
from interview_advisor.dialogue.drafting import (
    DraftState,
    draft_named_in,
    draft_step,
    without_fillers,
)

ADVISOR = Advisor()


def test_fillers_inside_the_words_that_name_a_message():
    assert without_fillers("what the job EVEN is", ["even"]) == "what the job is"
    assert draft_named_in(ADVISOR, "what do i say to get them to tell me what the job even is",
                          {}) == "ask_for_role_clarity"
    assert draft_named_in(ADVISOR, "i honestly dont really want to carry on with them",
                          {}) == "withdraw_application"


def test_a_request_in_words_inside_the_form_switches_the_message():
    draft = DraftState("update_on_changed_circumstances", {"company": "Oakhurst"}, "change")
    switched = draft_step(ADVISOR, draft,
                          "actually scrap that. just write the one where i pull out altogether",
                          "nlu_fallback", {}, {}, {"company": "Oakhurst"})
    assert switched.draft_id == "withdraw_application"
    assert switched.note and "Switching" in switched.note


def test_an_answer_that_names_no_request_is_still_the_answer():
    draft = DraftState("update_on_changed_circumstances", {"company": "Oakhurst"}, "change")
    answered = draft_step(ADVISOR, draft, "my partner got a job in leeds and we want out",
                          "inform", {}, {}, {})
    assert answered.draft_id == "update_on_changed_circumstances"
    assert answered.values["change"].startswith("my partner got a job")


def test_an_answer_that_also_names_the_role_fills_both():
    draft = DraftState("ask_for_role_clarity", {}, "company")
    answered = draft_step(ADVISOR, draft, "its Kestrel Analytics, the role's called insights "
                          "partner, whatever that means", "inform", {}, {}, {})
    assert answered.values["company"] == "Kestrel Analytics"
    assert answered.values["role"] == "insights partner"
    assert answered.pending != "role"


def test_an_answer_with_a_comma_and_no_other_detail_is_kept_whole():
    draft = DraftState("ask_for_role_clarity", {}, "company")
    answered = draft_step(ADVISOR, draft, "Kestrel, a small data consultancy", "inform",
                          {}, {}, {})
    assert answered.values["company"] == "Kestrel, a small data consultancy"
