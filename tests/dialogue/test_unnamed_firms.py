"""An internal opening and an outside firm named only by its kind in one first message ("theres
an internal opening on the data team i applied for. also a recruiter from some fintech reached
out but ... couldnt really tell me what the job actually is") are two opportunities, the red
flag is the firm's, and the bot does not ask whether the firm is internal (found trying the bot
as a job seeker: both were one opportunity, the vague role filed under the internal one).
Dialogue core, real rule base; no Rasa."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue.advising import assess, choose_question, settled_by_names
from interview_advisor.dialogue.opportunity_mentions import find_mentions
from interview_advisor.dialogue.opportunity_records import record
from interview_advisor.dialogue.state import State

from .conversation import talk

STORY = ("hey so im kind of in a weird spot. been at my company 4 yrs, honestly burnt out, and "
         "theres an internal opening on the data team i applied for. also a recruiter from some "
         "fintech reached out but on the call she couldnt really tell me what the job actually "
         "is lol")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, name", [
    ("a recruiter from some fintech reached out", "fintech"),
    ("another startup wants to talk to me next week", "startup"),
    ("some big consultancy called me", "consultancy"),
])
def test_some_and_another_name_a_kind_of_employer_as_a_does(advisor, text, name):
    found = find_mentions(advisor, State(), text, [])
    assert [(m.kind, m.name) for m in found] == [("employer", name)]


def test_some_as_a_quantity_names_no_employer(advisor):
    assert find_mentions(advisor, State(), "i did some work for a client last year", []) == []


def test_an_internal_opening_and_some_fintech_are_two_opportunities(advisor):
    state, _ = talk(advisor, (STORY, "describe_interview"))
    kinds = sorted(str(e.get("kind")) for e in state.opportunities if e["id"] != "current")
    assert kinds == ["employer", "internal"]
    firm = next(e for e in state.opportunities if e.get("kind") == "employer")
    internal = next(e for e in state.opportunities if e.get("kind") == "internal")
    flags_of = {e["id"]: (e.get("flags") or {}) for e in (firm, internal)}
    if state.active == firm["id"]:
        flags_of[firm["id"]] = state.flags
    else:
        flags_of[internal["id"]] = state.flags
    assert "vague_job_description" in flags_of[firm["id"]]
    assert "vague_job_description" not in flags_of[internal["id"]]
    assert record(state, firm["id"]) is firm


def test_the_firm_beside_an_internal_role_is_not_asked_about_as_internal(advisor):
    state, turn = talk(advisor, (STORY, "describe_interview"),
                       ("ok and the fintech, should i even bother with the next round?",
                        "ask_continue"))
    assert next(e for e in state.opportunities if e["id"] == state.active)["kind"] == "employer"
    assert settled_by_names(advisor, state, "interview_type")
    question = choose_question(advisor, state, assess(advisor, state), turn)
    assert question is None or question.fact != "interview_type"


def test_the_internal_role_itself_may_still_be_asked_about(advisor):
    state, _ = talk(advisor, ("theres an internal opening on the data team i applied for",
                              "describe_interview"))
    assert not settled_by_names(advisor, state, "interview_type")


@pytest.mark.parametrize("text", [
    "ok so my manager doesnt know im looking. i have a second interview at a fintech on thursday",
    "i have an interview at a startup next week",
    "got a final round with some big consultancy on monday",
])
def test_a_firm_described_with_a_or_some_is_another_company(advisor, text):
    """Found trying the bot: "a second interview at a fintech" was followed by "is this role at
    the company you work for now?" - nobody calls their own employer "a fintech"."""
    state, turn = talk(advisor, (text, "describe_interview"))
    assert settled_by_names(advisor, state, "interview_type")
    question = choose_question(advisor, state, assess(advisor, state), turn)
    assert question is None or question.fact != "interview_type"


@pytest.mark.parametrize("text", [
    "i work at a bank and applied for a role in another team",
    "im at a startup and got an interview there for a lead role",
    "ive been with a charity for six years and they want me to apply for the manager role",
    "the startup called me back for a second round",
    "interview at Acme tomorrow",
])
def test_their_own_employer_or_a_named_firm_may_still_be_asked_about(advisor, text):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert not settled_by_names(advisor, state, "interview_type")
