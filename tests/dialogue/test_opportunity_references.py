"""How people point at one of several opportunities without its name, and change them (issue
12, OPP7): an internal promotion beside an outside process, "the third recruiter", "the one
near the station", "a design agency called Ferrow", a mix-up put right, a role dropped from the
comparison, and when "which one?" is not asked. In the dialogue core, without Rasa; the
sentences differ from the evaluation's."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import advising, comparison, priorities
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.state import CURRENT_JOB, State

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def kinds(state):
    return {e["name"]: e["kind"] for e in state.opportunities}


def flags_of(advisor, state, name):
    entry = next(e for e in state.opportunities if e["name"] == name)
    return set(opp.view_of(advisor, state, entry["id"]).flags)


def test_an_internal_promotion_beside_an_outside_final_round_is_two_opportunities(advisor):
    state, turn = talk(advisor, ("i've been put up for promotion to team lead and next week i "
                                 "have my last interview at Harlan Freight", "describe_interview"))
    assert kinds(state) == {"internal role": "internal", "Harlan Freight": "company"}
    assert len(turn["mentioned"]) == 2
    state, _ = talk(advisor, ("the head of department said the team lead promotion is mine to "
                              "lose", "inform"), state=state)
    assert len(opp.others(state)) == 2


def test_a_question_about_ones_own_plans_is_not_held_for_which_one(advisor):
    both, _ = talk(advisor, ("offers from Brenna Labs and from Tolland Foods came in today",
                             "evaluate_offer"))
    state, turn = talk(advisor, ("can i mention to sam that i've got another offer", "inform"),
                       state=both)
    assert not turn.get("ask_which") and not state.held
    # news with a red flag and no name still asks
    state, turn = talk(advisor, ("they took three weeks to get back to me", "describe_interview"),
                       state=both)
    assert turn["ask_which"]


def test_the_nth_recruiter_is_the_nth_role_that_came_up(advisor):
    state, _ = talk(advisor, ("three recruiters called: Quayle Health, Orrin Foods and a "
                              "studio named Bexmoor", "inform"))
    assert [e["name"] for e in opp.others(state)] == ["Quayle Health", "Orrin Foods", "Bexmoor"]
    state, turn = talk(advisor, ("the third recruiter had no idea what the role actually involves",
                                 "describe_interview"), state=state)
    assert not turn.get("ask_which")
    assert flags_of(advisor, state, "Bexmoor") == {"vague_job_description"}
    assert not flags_of(advisor, state, "Quayle Health")
    # the first interview is a stage, not the first role
    state, turn = talk(advisor, ("orrin took ages after the first interview", "inform"),
                       state=state)
    assert turn["mentioned"] == [next(e["id"] for e in state.opportunities
                                      if e["name"] == "Orrin Foods")]


def test_a_role_described_by_what_was_said_of_it(advisor):
    both, _ = talk(advisor, ("Pellow Digital is right by the station, and Garrick Homes is "
                             "out past the ring road", "describe_interview"))
    state, turn = talk(advisor, ("the one by the station never said what the job is",
                                 "describe_interview"), state=both)
    assert not turn.get("ask_which")
    assert flags_of(advisor, state, "Pellow Digital") == {"vague_job_description"}
    # a description that fits neither is no mention: "which one?"
    state, turn = talk(advisor, ("the one with the free lunches never said who i'd report to",
                                 "describe_interview"), state=both)
    assert turn.get("ask_which")


def test_a_role_described_by_a_topic_and_a_better_or_worse_word(advisor):
    both, _ = talk(advisor, ("Two offers now. Saltire pays 60k but it's 90 minutes each way on "
                             "the train, Brindle pays 52k and i can walk there",
                             "describe_interview"))

    def named(text: str) -> list:
        return [m.name for m in opp.find_mentions(advisor, both, text)]

    # the amounts decide pay, the person's words on the journey decide the commute
    assert named("the higher paying one wants an answer by friday") == ["Saltire"]
    assert named("the one with the lower salary") == ["Brindle"]
    assert named("honestly the one with the long commute worries me") == ["Saltire"]
    assert named("the one with the shorter journey") == ["Brindle"]
    assert named("the one i can walk to") == ["Brindle"]
    # a topic nobody said anything about names no role
    assert named("the one with the better team") == []
    state, turn = talk(advisor, ("the one with the long commute never told me who i'd report to",
                                 "describe_interview"), state=both)
    assert not turn.get("ask_which")
    assert turn["mentioned"] == [next(e["id"] for e in state.opportunities
                                      if e["name"] == "Saltire")]


def test_names_after_called_and_inside_one_entity(advisor):
    text = "a design agency called Ferrow wants me, and a recruiter called Orla was lovely"
    assert [m.name for m in opp.find_mentions(advisor, State(), text)] == ["Ferrow"]
    text = "finals at Brindlemoor and Oxley this week"
    start = text.index("Brindlemoor")
    entity = {"entity": "company", "start": start, "end": text.index(" this")}
    assert [m.name for m in opp.find_mentions(advisor, State(), text, [entity])] == \
        ["Brindlemoor", "Oxley"]


def test_a_kind_of_employer_with_words_before_it(advisor):
    mentions = opp.find_mentions(advisor, State(), "a tiny consultancy and the big bank")
    assert [(m.name, m.kind) for m in mentions] == [("consultancy", "employer"),
                                                   ("bank", "employer")]


def test_a_mix_up_moves_the_last_messages_flags(advisor):
    state, _ = talk(advisor, ("I have interviews at Castor Digital and Wendle", "inform"),
                    ("wendle's manager couldn't describe the role at all", "describe_interview"))
    assert flags_of(advisor, state, "Wendle") == {"vague_job_description"}
    state, turn = talk(advisor, ("oops got them confused, it was castor not wendle",
                                 "correct"), state=state)
    assert flags_of(advisor, state, "Castor Digital") == {"vague_job_description"}
    assert not flags_of(advisor, state, "Wendle")
    assert state.active == next(e["id"] for e in state.opportunities
                                if e["name"] == "Castor Digital")


def test_a_rejected_role_drops_out_of_the_comparison(advisor):
    state, _ = talk(advisor, ("three in play: Amberly Labs, Fosse Energy and Kilnworth Media",
                              "inform"),
                    ("Amberly Labs rejected me this morning", "report_rejection"))
    names = [o.opportunity for o in comparison.compare(advisor, state).options]
    assert "Amberly Labs" not in names and len(names) == 2


def test_priorities_with_a_plural_verb(advisor):
    found = priorities.read_priorities(advisor, "flexibility and growth matter most to me",
                                       False)
    assert found is not None and found["order"][0] == "topic_commute_and_flexibility"


def test_the_current_job_with_a_typo(advisor):
    state, _ = talk(advisor, ("my currnet job is fine but Hexley Rail offered me more",
                              "evaluate_offer"))
    current = opp.record(state, CURRENT_JOB)
    assert current is not None and current.get("named") is True


def test_news_about_a_named_opportunity_is_answered_when_nlu_is_unsure(advisor):
    before, _ = talk(advisor, ("Merrow Labs and Tansy Foods both want a second interview",
                               "describe_interview"))
    state, turn = talk(advisor, ("the merrow lot were lovely, quick and friendly", "inform"),
                       state=before)
    assert turn["mentioned"]
    assert advising.answer_when_unsure(advisor, before, "the merrow lot were lovely, quick and "
                                       "friendly", "inform", turn) == advising.UNSURE_ADVICE
    # with one opportunity it stays a question for NLU's fallback
    one, _ = talk(advisor, ("Merrow Labs want a second interview", "describe_interview"))
    state, turn = talk(advisor, ("the merrow lot were lovely", "inform"), state=one)
    assert advising.answer_when_unsure(advisor, one, "the merrow lot were lovely", "inform",
                                       turn) is None


def test_offers_counted_before_the_names_are_each_ones_stage(advisor):
    """"ok so 2 offers now. Saltire pays ..., Brindle pays ...": the clause before the first
    name is about both, so each has an offer in hand - neither is "another process still
    open" for the other."""
    state, _ = talk(advisor, ("ok so 2 offers now. Saltire pays 60k but it's 90 mins each way, "
                              "Brindle pays 52k and i can walk there", "describe_interview"))
    stages = {e["name"]: opp.view_of(advisor, state, str(e["id"])).fact_value("stage")
              for e in opp.others(state)}
    assert stages == {"Saltire": "offer", "Brindle": "offer"}
