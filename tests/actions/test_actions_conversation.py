"""Unit tests of actions/conversation.py - no tracker, no Rasa, the real Advisor and rule base."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import advisor_service
from actions.advisor_service import get_advisor, reload_interval
from interview_advisor.dialogue import advising, answers, compose, drafting, reading
from interview_advisor.dialogue import state as st
from interview_advisor.dialogue.render_text import render_text
from interview_advisor.engine import MAX_TEXT_CHARS

from .conftest import entity


def rendered(reply):
    """(plain text, reply JSON) of a reply, as a channel would see it."""
    return render_text(reply), reply.to_json()

VAGUE = "the recruiter couldn't say what the job is"
PRAISE = "everyone was weirdly upbeat and nobody could name a single downside"


def msg(text, intent="describe_interview", entities=(), message_id=None, in_form=False):
    return st.UserMessage(text, intent, list(entities), message_id, in_form)


def said(advisor, *messages, state=None):
    """Merge messages one after another; return the state and the last turn."""
    state = state or st.State()
    turn = {}
    for i, message in enumerate(messages):
        if message.message_id is None:
            message.message_id = f"m{i}-{id(message)}"
        state, turn = reading.update_state(advisor, state, message)
    return state, turn


# -- the state in slots ---------------------------------------------------------------------

def test_state_from_empty_or_malformed_slots():
    assert st.State.from_slots({}) == st.State()
    state = st.State.from_slots({"facts": "oops", "flags": None, "withdrawn_flags": [1, "x"],
                                   "pending_question": "", "asked_questions": None,
                                   "last_turn": [], "last_advice": ["r1", 2]})
    assert state.facts == {} and state.flags == {} and state.withdrawn == ["x"]
    assert state.pending_question is None and state.last_advice == ["r1"]


def test_state_round_trips_through_slots(advisor):
    state, _ = said(advisor, msg(VAGUE))
    again = st.State.from_slots(state.to_slots())
    assert again == state
    assert set(state.to_slots()) == set(st.STATE_SLOTS)


# -- merging messages -----------------------------------------------------------------------

def test_red_flag_is_found_with_the_users_words_and_offsets(advisor):
    state, turn = said(advisor, msg(VAGUE))
    assert "vague_job_description" in state.flags
    evidence = state.flags["vague_job_description"][0]
    assert VAGUE[evidence["start"]:evidence["end"]] == evidence["quote"]
    assert turn["new_flags"] and "vague_job_description" in turn["flag_hits"]


def test_facts_and_flags_accumulate_across_turns(advisor):
    state, turn = said(advisor, msg(VAGUE), msg(PRAISE),
                       msg("it's an internal role, my manager will know"))
    assert {"vague_job_description", "overly_positive_acquaintances"} <= set(state.flags)
    assert state.fact_value("interview_type") == "internal"
    assert state.facts["interview_type"]["source"] == "text"
    assert turn["flag_hits"] == {}


def test_entities_set_facts_and_win_over_the_text(advisor):
    text = "it's at another company actually, external"
    state, turn = said(advisor, msg(text, "inform", [entity(text, "external", "interview_type")]))
    assert state.facts["interview_type"]["value"] == "external"
    assert state.facts["interview_type"]["source"] == "entity"
    assert state.facts["interview_type"]["quote"] == "external"


def test_invalid_entity_values_are_ignored(advisor):
    text = "it's sideways"
    state, _ = said(advisor, msg(text, "inform", [entity(text, "sideways", "interview_type")]))
    assert "interview_type" not in state.facts


@pytest.mark.parametrize("intent,text,expected", [
    ("affirm", "yes", True), ("deny", "no", False), ("affirm", "yep", True),
    ("inform", "no, not yet", False), ("inform", "yes he does", True)])
def test_bare_yes_or_no_answers_a_boolean_question(advisor, intent, text, expected):
    state = st.State(pending_question="manager_aware", asked=["manager_aware"])
    state, turn = said(advisor, msg(text, intent), state=state)
    assert state.fact_value("manager_aware") is expected
    assert state.facts["manager_aware"]["source"] == "answer"
    assert turn["answered"] == "manager_aware" and state.pending_question is None


@pytest.mark.parametrize("text,expected", [
    ("internal", "internal"), ("it's at another company", "external"),
    ("external", "external"), ("in-house", "internal"), ("my current company", "internal")])
def test_enum_question_answers(advisor, text, expected):
    state = st.State(pending_question="interview_type", asked=["interview_type"])
    state, turn = said(advisor, msg(text, "inform"), state=state)
    assert state.fact_value("interview_type") == expected
    assert turn["answered"] == "interview_type"


def test_longest_option_wins(advisor):
    assert answers.match_option(advisor, "interest", "not interested at all") == "not_interested"
    assert answers.match_option(advisor, "interest", "very interested") == "interested"
    assert answers.match_option(advisor, "stage", "I have an offer") == "offer"
    assert answers.match_option(advisor, "manager_aware", "yes") is None  # not an enum


def test_bare_value_of_another_fact_is_taken(advisor):
    state = st.State(pending_question="stage", asked=["stage"])
    state, turn = said(advisor, msg("internal", "inform"), state=state)
    assert state.fact_value("interview_type") == "internal"
    assert state.pending_question == "stage" and not turn["answered"]
    assert not turn["unclear_answer"]


def test_unclear_short_answer_is_asked_again_once(advisor):
    state = st.State(pending_question="stage", asked=["stage"])
    state, turn = said(advisor, msg("yes", "affirm"), state=state)
    assert turn["unclear_answer"] == "stage" and state.pending_question == "stage"
    state, turn = said(advisor, msg("yes", "affirm", message_id="again"), state=state)
    assert turn["gave_up"] == "stage" and state.pending_question is None


def test_a_long_reply_that_ignores_the_question_is_not_unclear(advisor):
    state = st.State(pending_question="stage", asked=["stage"])
    state, turn = said(advisor, msg(VAGUE + " and the office was a mess", "describe_interview"),
                       state=state)
    assert not turn["unclear_answer"] and state.pending_question == "stage"


def test_answers_and_entities_are_ignored_inside_the_draft_form(advisor):
    state = st.State(pending_question="manager_aware")
    text = "internal"
    state, turn = said(advisor, msg("no", "deny", in_form=True),
                       msg(text, "inform", [entity(text, text, "interview_type")], in_form=True),
                       state=state)
    assert "manager_aware" not in state.facts and "interview_type" not in state.facts


def test_text_is_capped_and_the_cut_is_reported(advisor):
    long_text = "blah " * (MAX_TEXT_CHARS // 5) + VAGUE
    state, turn = said(advisor, msg(long_text))
    assert turn["truncated"] and turn["chars"] == len(long_text)
    assert "vague_job_description" not in state.flags  # it was after the cut


def test_empty_message(advisor):
    state, turn = said(advisor, msg("   "))
    assert turn["empty"] and state.empty


def test_absorb_merges_a_message_once(advisor):
    message = msg(VAGUE, message_id="same")
    state, turn, merged = reading.absorb(advisor, st.State(), message)
    assert merged and state.flags
    again, turn2, merged2 = reading.absorb(advisor, state, message)
    assert not merged2 and again is state and turn2 == turn
    assert len(again.flags["vague_job_description"]) == 1


def test_button_payload_reuses_the_turn_it_clarifies(advisor):
    state, turn, _ = reading.absorb(advisor, st.State(), msg(VAGUE, message_id="a"))
    state2, turn2, merged = reading.absorb(advisor, state,
                                        msg("/describe_interview", message_id="b"))
    assert not merged and turn2 == turn and state2 == state


def test_the_only_flag_can_be_taken_back_without_naming_it(advisor):
    state = st.State(flags={"poor_communication": [{"quote": "ghosted", "start": 0,
                                                      "end": 7, "turn": 1}]})
    unclear, turn = said(advisor, msg("that's not right", "correct"), state=state)
    assert turn["correction_unclear"] and unclear.flags == state.flags
    state, turn = said(advisor, msg("that's not actually a red flag", "correct"), state=state)
    assert turn["withdrawn"] == ["poor_communication"] and state.flags == {}


# -- corrections ----------------------------------------------------------------------------

def test_red_flag_entity_withdraws_the_flag(advisor):
    text = "they weren't vague actually"
    state, turn = said(advisor, msg(VAGUE), msg(PRAISE),
                       msg(text, "correct",
                           [entity(text, "vague", "red_flag", "vague_job_description")]))
    assert "vague_job_description" not in state.flags
    assert state.withdrawn == ["vague_job_description"]
    assert turn["withdrawn"] == ["vague_job_description"]
    assert "overly_positive_acquaintances" in state.flags


@pytest.mark.parametrize("text,withdrawn", [
    ("they weren't vague actually", "vague_job_description"),
    ("scratch that, the communication was fine", "poor_communication"),
    ("ignore what I said about them being overly positive", "overly_positive_acquaintances")])
def test_correction_words_withdraw_the_flag(advisor, text, withdrawn):
    state, _ = said(advisor, msg(VAGUE), msg(PRAISE),
                    msg("they ghosted me for two weeks after the first round"))
    assert withdrawn in state.flags
    state, turn = said(advisor, msg(text, "correct"), state=state)
    assert withdrawn not in state.flags and withdrawn in turn["withdrawn"]


@pytest.mark.parametrize("story,text,intent", [
    ("they ghosted me for two weeks after the first round",
     "that was on me, I was on holiday and forgot to tell them", "inform"),
    (VAGUE, "my bad, they would have told me but I never asked", "correct"),
    ("they ghosted me for two weeks after the first round",
     "found their email in spam just now", "inform")])
def test_an_explanation_takes_the_only_flag_back(advisor, story, text, intent):
    state, _ = said(advisor, msg(story))
    assert len(state.flags) == 1
    state, turn = said(advisor, msg(text, intent), state=state)
    assert state.flags == {} and turn["withdrawn"] and turn["explanation"]


@pytest.mark.parametrize("story,text", [
    ("the hiring manager kept me waiting ten days for every answer",
     "no no that's not fair on him, I just checked and he answered within a day"),
    (VAGUE, "in fairness it was a quick screening call, the team lead covers the role next time"),
    (VAGUE, "tbf the team is brand new so they're still working it out"),
    (VAGUE, "actually no they mailed me a detailed outline later, i just hadn't opened it"),
])
def test_a_message_opening_as_a_correction_takes_the_only_flag_back(advisor, story, text):
    # whatever NLU made of it (describe_interview here): the opening words mark a correction
    state, _ = said(advisor, msg(story))
    assert len(state.flags) == 1
    state, turn = said(advisor, msg(text), state=state)
    assert state.flags == {} and turn["withdrawn"]


@pytest.mark.parametrize("text", [
    "to be fair it was a busy month for everyone, but a whole fortnight of silence is a lot",
    "no wait, they also cancelled my interview the day before",
])
def test_an_opening_correction_that_adds_news_takes_nothing_back(advisor, text):
    state, _ = said(advisor, msg("they ghosted me for two weeks after the first round"))
    state, turn = said(advisor, msg(text), state=state)
    assert not turn["withdrawn"] and "poor_communication" in state.flags


@pytest.mark.parametrize("intent", ["inform", "deny"])
def test_a_denial_filed_as_a_statement_takes_back_the_flag_it_names(advisor, intent):
    state, _ = said(advisor, msg(VAGUE), msg("they ghosted me for two weeks after the first round"))
    state, turn = said(advisor, msg("no no, they weren't vague at all", intent), state=state)
    assert turn["withdrawn"] == ["vague_job_description"]
    assert "vague_job_description" not in state.flags and "poor_communication" in state.flags


@pytest.mark.parametrize("intent", ["inform", "deny", "correct"])
def test_a_denial_about_another_subject_takes_nothing_back(advisor, intent):
    state, _ = said(advisor, msg(VAGUE))
    assert list(state.flags) == ["vague_job_description"]
    state, turn = said(advisor, msg("no wait, the salary is fine, that's not the issue", intent),
                       state=state)
    assert not turn["withdrawn"] and list(state.flags) == ["vague_job_description"]


def test_a_statement_that_repeats_a_flag_is_not_a_denial(advisor):
    state, _ = said(advisor, msg("they ghosted me for two weeks after the first round"))
    state, turn = said(advisor, msg("no, they still haven't replied to my emails", "inform"),
                       state=state)
    assert not turn["withdrawn"] and "poor_communication" in state.flags


def test_a_rejection_is_known_from_the_intent_when_the_words_miss_it(advisor):
    text = "welp, no dice with Stark in the end"  # the words (and the reader) miss it
    state, _ = said(advisor, st.UserMessage(text, "report_rejection", [], "r1", False, 0.9))
    assert state.facts["stage"]["value"] == "rejected"
    unsure, _ = said(advisor, st.UserMessage(text, "report_rejection", [], "r2", False, 0.5))
    assert "stage" not in unsure.facts      # NLU too unsure to say so
    assert drafting.choose_draft(advisor, state, None) == "thank_you_after_rejection"


def test_correction_replaces_a_fact(advisor):
    state, _ = said(advisor, msg("it's an internal role, my manager will know"))
    text = "no, it's external actually"
    state, turn = said(advisor, msg(text, "correct",
                                    [entity(text, "external", "interview_type")]), state=state)
    assert state.fact_value("interview_type") == "external"
    assert turn["changed_facts"] == {"interview_type": {"from": "internal", "to": "external"}}


def test_unclear_correction(advisor):
    before, _ = said(advisor, msg(VAGUE), msg(PRAISE))
    assert len(before.flags) >= 2
    state, turn = said(advisor, msg("that's wrong", "correct"), state=before)
    assert turn["correction_unclear"] and state.flags == before.flags


def test_a_withdrawn_flag_comes_back_when_it_is_described_again(advisor):
    text = "they weren't vague actually"
    state, _ = said(advisor, msg(VAGUE),
                    msg(text, "correct", [entity(text, "vague", "red_flag",
                                                 "vague_job_description")]))
    assert state.withdrawn == ["vague_job_description"]
    state, turn = said(advisor, msg("the responsibilities were really unclear"), state=state)
    assert "vague_job_description" in state.flags and state.withdrawn == []


# -- advice, questions and replies ----------------------------------------------------------

def test_advice_reply_quotes_the_user_and_is_short(advisor):
    state, turn = said(advisor, msg(VAGUE + ". " + PRAISE))
    assessment = advising.assess(advisor, state)
    question = advising.choose_question(advisor, state, assessment, turn)
    text, payload = rendered(compose.advice_reply(advisor, state, turn, assessment, question))
    for evidence in state.flags["vague_job_description"][:1]:
        assert f'"{evidence["quote"]}"' in text
    assert len(payload["advice"]) <= advising.TOP_ADVICE
    assert all(len(a["next_steps"]) <= advising.TOP_STEPS for a in payload["advice"])
    assert payload["rule_ids"] == [a.rule for a in assessment.advice[:advising.TOP_ADVICE]]
    assert payload["kind"] == "advice" and payload["rateable"]
    flag = payload["flags"][0]
    assert flag["quotes"] and {"text", "start", "end", "turn"} == set(flag["quotes"][0])
    assert text.index(flag["quotes"][0]["text"]) > text.index("Red flags")
    assert question is not None and payload["question"]["fact"] == question.fact
    assert text.index("Red flags") < text.index("What I'd do")


def test_advice_matches_the_core_analysis(advisor):
    text = VAGUE + ", it's an internal role and I'm not interested in it"
    state, turn = said(advisor, msg(text))
    expected = advisor.analyze(text)
    assert [a.rule for a in advising.assess(advisor, state).advice] == \
        [a.rule for a in expected.advice]


def test_question_is_never_repeated(advisor):
    state, turn = said(advisor, msg(VAGUE))
    assessment = advising.assess(advisor, state)
    first = advising.choose_question(advisor, state, assessment, turn)
    state = advising.remember_question(state, first)
    assert state.pending_question == first.fact and state.asked == [first.fact]
    second = advising.choose_question(advisor, state, advising.assess(advisor, state), turn)
    assert second is None or second.fact != first.fact


def test_unchanged_advice_is_not_repeated(advisor):
    state, turn = said(advisor, msg(VAGUE))
    assessment = advising.assess(advisor, state)
    previous = [a.rule for a in assessment.top()]
    state, turn = said(advisor, msg("ok", "affirm"), state=state)
    text, payload = rendered(compose.advice_reply(advisor, state, turn,
                                                  advising.assess(advisor, state), None,
                                                  previous_advice=previous))
    assert "doesn't change my advice" in text and payload["advice"] == []


@pytest.mark.parametrize("text", ["so what should I ask them then?", "ok what now",
                                  "what do you recommend", "any tips?"])
def test_asking_what_to_do_shows_the_advice_again(advisor, text):
    state, turn = said(advisor, msg(PRAISE))
    previous = [a.rule for a in advising.assess(advisor, state).top()]
    state, turn = said(advisor, msg(text, "inform"), state=state)
    turn["asks_advice"] = answers.asks_what_to_do(advisor, text)
    text_, payload = rendered(compose.advice_reply(advisor, state, turn,
                                                   advising.assess(advisor, state), None,
                                                   previous_advice=previous))
    assert [a["rule"] for a in payload["advice"]] == previous
    assert "doesn't change my advice" not in text_ and "didn't spot" not in text_


@pytest.mark.parametrize("text", ["the interview went ok", "what they said was vague",
                                  "I asked what the pay is"])
def test_telling_is_not_asking_what_to_do(advisor, text):
    assert not answers.asks_what_to_do(advisor, text)


def test_nothing_found_says_so(advisor):
    state, turn = said(advisor, msg("it went fine, nothing special"))
    text, payload = rendered(compose.advice_reply(advisor, state, turn,
                                                  advising.assess(advisor, state), None))
    assert "didn't spot any red flags" in text and payload["flags"] == []


def test_no_red_flags_line_only_while_the_conversation_has_none(advisor):
    """After red flags were raised, a message that raises none ("should i pull out?") gets a
    direct answer, not "I didn't spot any red flags"."""
    state, _ = said(advisor, msg(VAGUE), msg(PRAISE))
    state, turn = said(advisor, msg("honestly i'm losing interest in it", "inform"),
                       msg("should i pull out?", "ask_withdraw"), state=state)
    direct = advisor.direct_answers("should i pull out?",
                                    {k: v["value"] for k, v in state.facts.items()})
    text, _ = rendered(compose.advice_reply(advisor, state, turn,
                                            advising.assess(advisor, state), None,
                                            direct=direct[0] if direct else None))
    assert state.flags and "didn't spot" not in text
    assert text.startswith("Yes")


def test_truncation_is_mentioned(advisor):
    state, turn = said(advisor, msg("x" * (MAX_TEXT_CHARS + 10)))
    text, payload = rendered(compose.advice_reply(advisor, state, turn,
                                                  advising.assess(advisor, state), None))
    assert "only" in text and f"{MAX_TEXT_CHARS:,}" in text and payload["notes"]


def test_why_explains_rules_conditions_and_words(advisor):
    state, turn = said(advisor, msg(VAGUE))
    assessment = advising.assess(advisor, state)
    state.last_advice = [a.rule for a in assessment.top()]
    text, payload = rendered(compose.why_reply(advisor, state, assessment))
    assert state.last_advice[0] in text
    assert '"' + state.flags["vague_job_description"][0]["quote"] + '"' in text
    assert payload["kind"] == "why" and payload["explanations"][0]["reasons"]
    assert payload["rule_ids"] == state.last_advice


def test_why_without_advice(advisor):
    text, payload = rendered(compose.why_reply(advisor, st.State(),
                                               advising.assess(advisor, st.State())))
    assert "haven't given you any advice" in text and payload["explanations"] == []


def test_why_after_the_advice_was_corrected_away(advisor):
    text = "they weren't vague actually"
    state, _ = said(advisor, msg(VAGUE))
    state.last_advice = [a.rule for a in advising.assess(advisor, state).top()]
    state, _ = said(advisor, msg(text, "correct", [entity(text, "vague", "red_flag",
                                                          "vague_job_description")]),
                    state=state)
    text, payload = rendered(compose.why_reply(advisor, state, advising.assess(advisor, state)))
    assert payload["explanations"] == [] and "no longer applies" in text


def test_summary_is_a_checklist_of_everything(advisor):
    text_ = "they weren't vague actually"
    state, _ = said(advisor, msg(VAGUE), msg(PRAISE), msg("I'm not interested in this job"),
                    msg(text_, "correct", [entity(text_, "vague", "red_flag",
                                                  "vague_job_description")]))
    assessment = advising.assess(advisor, state)
    text, payload = rendered(compose.summary_reply(advisor, state, assessment,
                                                   {"company": "Initech"}))
    assert "Nothing but praise" in text and "taken back by you: Vague job description" in text
    assert "Company: Initech" in text
    steps = [s for a in assessment.advice for s in a.next_steps]
    assert text.count("[ ]") == len(steps) == \
        sum(len(a["next_steps"]) for a in payload["advice"])
    assert [w["id"] for w in payload["withdrawn"]] == ["vague_job_description"]
    assert payload["rule_ids"] == assessment.rule_ids


def test_summary_of_nothing():
    advisor = get_advisor()
    text, payload = rendered(compose.summary_reply(advisor, st.State(),
                                                   advising.assess(advisor, st.State())))
    assert "Nothing to summarise" in text and payload["advice"] == []


# -- drafts ---------------------------------------------------------------------------------

def facts_state(**facts):
    return st.State(facts={k: {"value": v, "source": "given"} for k, v in facts.items()})


@pytest.mark.parametrize("facts,draft_type,expected", [
    ({}, "withdrawal", "withdraw_application"),
    ({"interview_type": "internal"}, "withdrawal", "withdraw_internal_application"),
    ({}, "thank_you", "thank_you_after_interview"),
    ({"stage": "rejected"}, "thank_you", "thank_you_after_rejection"),
    ({}, "decline_offer", "decline_offer"),
    ({}, "tell_manager", "tell_manager_internal"),
    ({"interest": "not_interested"}, None, "withdraw_application"),
    ({"interest": "not_interested", "interview_type": "internal"}, None,
     "withdraw_internal_application"),
    ({"stage": "offer", "interest": "not_interested"}, None, "decline_offer"),
    ({"stage": "offer", "certain_to_decline": True}, None, "decline_offer"),
    ({"stage": "rejected"}, None, "thank_you_after_rejection"),
    ({"interview_type": "internal"}, None, "tell_manager_internal"),
    ({"interview_type": "internal", "manager_aware": True, "stage": "done"}, None,
     "thank_you_after_interview"),
    ({"stage": "done"}, None, "thank_you_after_interview"),
    ({}, None, None),
])
def test_choose_draft(advisor, facts, draft_type, expected):
    assert drafting.choose_draft(advisor, facts_state(**facts), draft_type) == expected


def test_choose_draft_follows_the_last_advice(advisor):
    state, _ = said(advisor, msg(VAGUE))
    state.last_advice = [a.rule for a in advising.assess(advisor, state).top()]
    drafts = [advisor.rulebase.rule(r).draft for r in state.last_advice]
    expected = next(d for d in drafts if d)
    assert drafting.choose_draft(advisor, state, None) == expected


def test_prefill_maps_known_details(advisor):
    details = {"company": "Initech", "role": "data analyst", "person_name": "Sam"}
    values = drafting.draft_prefill(advisor, "withdraw_application", details, {"your_name": "Kim"})
    assert values == {"company": "Initech", "role": "data analyst", "contact_name": "Sam",
                      "your_name": "Kim"}
    prefilled = drafting.draft_prefill(advisor, "tell_manager_internal", details)
    assert prefilled["manager_name"] == "Sam"
    assert drafting.next_missing(advisor, "withdraw_application", values) is None


def test_draft_asks_only_for_placeholders_without_default(advisor):
    draft = drafting.start_draft(advisor, facts_state(), "withdrawal", {})
    assert draft.draft_id == "withdraw_application" and draft.pending == "company"
    asked = []
    while draft.pending:
        asked.append(draft.pending)
        draft = drafting.draft_step(advisor, draft, f"value for {draft.pending}", "inform",
                                    {}, {}, {})
    assert asked == ["company", "role", "your_name"]
    assert draft.answer_slot == drafting.DONE


def test_draft_skip_keeps_the_bracket_and_stop_drops_it(advisor):
    draft = drafting.start_draft(advisor, facts_state(), "withdrawal", {"company": "Initech"})
    assert draft.pending == "role"
    draft = drafting.draft_step(advisor, draft, "skip", "deny", {}, {}, {})
    assert draft.values["role"] == "" and draft.pending == "your_name" and draft.note
    text, payload = rendered(compose.draft_reply(advisor, draft.draft_id, draft.values))
    assert "[role]" in text and "Initech" in text and \
        payload["draft"]["missing"] == ["role", "your_name"]
    stopped = drafting.draft_step(advisor, draft, "stop", "deny", {}, {}, {})
    assert stopped.cancelled and stopped.answer_slot == drafting.STOPPED
    no = drafting.draft_step(advisor, draft, "no", "deny", {}, {}, {})
    assert no.cancelled


def test_draft_answer_prefers_the_entity_and_drops_lead_ins(advisor):
    draft = drafting.DraftState("withdraw_application", {"company": "X", "role": "Y"}, "your_name")
    done = drafting.draft_step(advisor, draft, "sign it as Kim Lee.", "inform", {}, {}, {})
    assert done.values["your_name"] == "Kim Lee"
    draft = drafting.DraftState("thank_you_after_rejection", {}, "company")
    step = drafting.draft_step(advisor, draft, "it's at Initech", "inform",
                           {"company": "Initech"}, {}, {})
    assert step.values["company"] == "Initech"
    step = drafting.draft_step(advisor, draft, "Kim Lee", "goodbye", {"company": "Lee"}, {}, {})
    assert step.values["company"] == "Kim Lee"  # a stray entity does not cut the answer
    draft = drafting.DraftState("thank_you_after_rejection", {"company": "X"}, "role")
    step = drafting.draft_step(advisor, draft, "the senior analyst role", "inform",
                           {"role": "senior analyst"}, {}, {})
    assert step.values["role"] == "senior analyst"


@pytest.mark.parametrize("text,expected", [
    ("can you write the thank you email", "thank_you_after_interview"),
    ("help me tell my boss", "tell_manager_internal"),
    ("I need to turn down the offer nicely", "decline_offer"),
    ("draft it", None)])
def test_request_words_pick_the_draft_when_the_entity_is_missing(advisor, text, expected):
    assert drafting.start_draft(advisor, facts_state(), None, {}, text=text).draft_id == expected


@pytest.mark.parametrize("facts,text,expected", [
    ({}, "send a short thanks to Ada from me", "thank_you_after_interview"),
    ({}, "help me bow out politely", "withdraw_application"),
    # "hiring manager" is not the person's own manager: still a withdrawal
    ({"interview_type": "internal"}, "how do I get out of it without upsetting the hiring manager",
     "withdraw_internal_application"),
    ({"interview_type": "internal"}, "what do I write to my boss about it",
     "tell_manager_internal"),
    ({}, "an email so the role gets nailed down", "ask_for_role_clarity"),
    ({}, "make them stick to the remote days they promised", "confirm_terms_in_writing"),
    ({}, "a note to get the other company to hurry", "offer_timeline_update"),
    ({}, "let them know I'd go for the other position", "interested_in_other_role"),
    ({}, "tell the recruiter my situation is different now", "update_on_changed_circumstances"),
    # found trying the widget: it wrote a thank-you note
    ({"stage": "done"}, "write something to the lumen recruiter saying i want to keep talking "
     "but slowly", "update_on_changed_circumstances"),
])
def test_everyday_words_pick_the_draft(advisor, facts, text, expected):
    assert drafting.start_draft(advisor, facts_state(**facts), None, {}, text=text).draft_id \
        == expected


def test_draft_choice_when_nothing_points_to_one(advisor):
    draft = drafting.start_draft(advisor, facts_state(), None, {})
    assert draft.draft_id is None and draft.pending == drafting.CHOICE
    question = drafting.placeholder_question(advisor, None, drafting.CHOICE)
    assert "Which message" in question.text and \
        len(question.options) == len(advisor.rulebase.purposes)
    for option in question.options:  # each button's words pick its message
        assert drafting.draft_step(advisor, draft, option.label, "inform", {}, {}, {}).draft_id
    unclear = drafting.draft_step(advisor, draft, "hmm", "inform", {}, {}, {})
    assert unclear.pending == drafting.CHOICE and unclear.note
    chosen = drafting.draft_step(advisor, draft, "2", "inform", {}, {}, {})
    assert chosen.draft_id == "thank_you_after_interview"
    chosen = drafting.draft_step(advisor, draft, "the one to decline the offer", "inform",
                                 {}, {}, {})
    assert chosen.draft_id == "decline_offer"


def test_asking_for_the_draft_again_is_not_an_answer(advisor):
    draft = drafting.start_draft(advisor, facts_state(), "withdrawal", {})
    again = drafting.draft_step(advisor, draft, "just write it for me", "request_draft", {}, {}, {})
    assert again.pending == "company" and "company" not in again.values and again.note
    name = drafting.draft_step(advisor, draft, "Kofi Mensah", "request_draft", {}, {}, {})
    assert name.values["company"] == "Kofi Mensah"


def test_a_name_is_not_taken_for_a_role_unless_repeated(advisor):
    draft = drafting.DraftState("thank_you_after_interview", {}, "role")
    once = drafting.draft_step(advisor, draft, "Priya", "inform", {"person_name": "Priya"}, {}, {})
    assert once.pending == "role" and "name" in once.note
    twice = drafting.draft_step(advisor, once, "Priya", "inform", {"person_name": "Priya"}, {}, {})
    assert twice.values["role"] == "Priya" and twice.pending == "your_name"
    text, payload = rendered(compose.draft_reply(advisor, "thank_you_after_interview",
                                                 twice.values))
    assert drafting.NAME_CHECKED not in text and "Priya" in payload["draft"]["text"]


def test_yes_with_the_answer_to_an_earlier_question(advisor):
    state = st.State(pending_question="certain_to_decline",
                       asked=["interest", "certain_to_decline"])
    state, turn = said(advisor, msg("yes, really want it", "affirm"), state=state)
    assert state.fact_value("interest") == "interested"
    assert "certain_to_decline" not in state.facts
    state = st.State(pending_question="manager_aware", asked=["stage", "manager_aware"])
    state, turn = said(advisor, msg("no, not yet", "deny"), state=state)
    assert state.fact_value("manager_aware") is False and "stage" not in state.facts


def test_draft_can_switch_type_midway(advisor):
    draft = drafting.start_draft(advisor, facts_state(), "withdrawal", {})
    switched = drafting.draft_step(advisor, draft, "actually write the thank you one",
                               "request_draft", {"draft_type": "thank_you"}, {}, {})
    assert switched.draft_id == "thank_you_after_interview" and "Switching" in switched.note


@pytest.mark.parametrize("text", ["skip", "Skip it", "no, skip it", "don't know", "no idea",
                                  "dunno", "pass", "leave it blank", "idk"])
def test_skip_words(advisor, text):
    assert answers.is_skip(advisor, text) and not answers.is_stop(advisor, text)


@pytest.mark.parametrize("text", ["stop", "cancel", "forget it", "never mind", "no thanks",
                                  "stop please", "ok cancel that"])
def test_stop_words(advisor, text):
    assert answers.is_stop(advisor, text) and not answers.is_skip(advisor, text)


@pytest.mark.parametrize("text", ["Sam", "Initech", "data analyst", "I'd rather not move"])
def test_ordinary_answers_are_neither_skip_nor_stop(advisor, text):
    assert not answers.is_skip(advisor, text) and not answers.is_stop(advisor, text)


@pytest.mark.parametrize("raw,clean", [("her name is Priya.", "Priya"),
                                       ("It's Initech!", "Initech"),
                                       ("the role is data analyst", "data analyst"),
                                       ("  Sam  ", "Sam"), ("I'm", "I'm")])
def test_clean_answer(raw, clean):
    assert drafting.clean_answer(raw) == clean


def test_remembered_answers_carry_over():
    memory = drafting.remembered({"your_name": "Kim", "reason": "x", "company": ""}, {"role": "PM"})
    assert memory == {"role": "PM", "your_name": "Kim"}


# -- the advisor singleton ------------------------------------------------------------------

def test_advisor_is_loaded_once_per_process():
    assert get_advisor() is get_advisor()


def test_reload_interval_setting(monkeypatch):
    monkeypatch.setenv("INTERVIEW_ADVISOR_RELOAD_SECONDS", "0")
    assert reload_interval() == 0
    monkeypatch.setenv("INTERVIEW_ADVISOR_RELOAD_SECONDS", "nonsense")
    assert reload_interval() == 5.0


@pytest.mark.parametrize("module", sorted(
    p.stem for p in (Path(advising.__file__).parent).glob("*.py") if p.stem != "__init__"))
def test_dialogue_modules_import_no_rasa(module):
    source = (Path(advising.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    assert "import rasa" not in source and "from rasa" not in source


def test_services_import_no_rasa():
    for module in (advisor_service,):
        imported = {getattr(v, "__module__", None) or getattr(v, "__name__", "")
                    for v in vars(module).values()}
        assert not any(str(name).startswith(("rasa", "rasa_sdk")) for name in imported)


# -- which messages may add red flags ----------------------------------------------------------

# (a story filed as out of scope brings its red flags: tests/dialogue/test_draft8_corrections.py)
@pytest.mark.parametrize("intent", ["greet", "ask_why", "ask_summary", "thank",
                                    "help", "goodbye", "affirm", "deny"])
def test_flags_only_come_from_descriptions(advisor, intent):
    state, turn = said(advisor, msg(VAGUE, intent))
    assert state.flags == {} and turn["flag_hits"] == {}
    assert "vague_job_description" in turn["ignored_flags"]


def test_facts_come_from_every_message(advisor):
    state, _ = said(advisor, msg("hi! it's an internal role, my manager will know", "greet"))
    assert state.fact_value("interview_type") == "internal"


def test_flags_wait_while_nlu_is_unsure(advisor):
    state, turn, _ = reading.absorb(advisor, st.State(), msg(VAGUE, "nlu_fallback",
                                                            message_id="fb"))
    assert state.flags == {} and "vague_job_description" in turn["held_flags"]


def user_event(text, intent, entities=()):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


def test_a_fallback_button_stands_for_the_words_it_clarifies(advisor):
    earlier = [user_event("hi", "greet"), user_event(VAGUE + " at Initech", "nlu_fallback",
                                                     [{"entity": "company", "value": "Initech"}]),
               user_event("/describe_interview", "describe_interview")]
    latest = msg("/describe_interview", "describe_interview", message_id="clarified")
    message = reading.clarified_message(latest, earlier)
    assert message.text == VAGUE + " at Initech" and message.intent == "describe_interview"
    assert message.entity_values("company") == ["Initech"] and message.message_id == "clarified"
    state, turn, merged = reading.absorb(advisor, st.State(), message)
    assert merged and "vague_job_description" in state.flags


def test_a_payload_without_an_unclear_message_before_it_stays_as_it_is():
    latest = msg("/greet", "greet")
    assert reading.clarified_message(latest, [user_event(VAGUE, "describe_interview")]) is latest
    assert reading.clarified_message(msg(VAGUE), [user_event("x", "nlu_fallback")]).text == VAGUE


def test_empty_message_never_answers_a_question(advisor):
    state = st.State(pending_question="manager_aware", asked=["manager_aware"])
    state, turn = said(advisor, msg("", "affirm"), state=state)
    assert "manager_aware" not in state.facts and not turn["unclear_answer"]
    assert advising.choose_question(advisor, state, advising.assess(advisor, state), turn) is None


def test_draft_text_stays_one_message(advisor):
    text, payload = rendered(compose.draft_reply(advisor, "withdraw_application",
                                                 {"company": "Initech"}))
    assert "\n\n" not in text and "\n\n" in payload["draft"]["text"]


@pytest.mark.parametrize("text,intent,expected", [
    ("why?", "ask_why", True), ("explain", "ask_why", True), ("summary", "ask_summary", True),
    ("tell me a joke", "out_of_scope", True), ("bye", "goodbye", True),
    ("Max", "out_of_scope", False), ("Kim Lee", "goodbye", False), ("Acme Corp", "help", False),
    ("why not", "inform", False), ("Initech", "inform", False)])
def test_is_interruption(advisor, text, intent, expected):
    assert drafting.is_interruption(advisor, text, intent) is expected


def test_correction_reply_shows_what_changed_and_new_flags(advisor):
    text = "they weren't vague, but they ghosted me for two weeks after the first round"
    state, _ = said(advisor, msg(VAGUE))
    state, turn = said(advisor, msg(text, "correct",
                                    [entity(text, "vague", "red_flag", "vague_job_description")]),
                       state=state)
    reply, payload = rendered(compose.correction_reply(advisor, state, turn,
                                                       advising.assess(advisor, state)))
    assert "taken back" in reply and \
        [w["id"] for w in payload["withdrawn"]] == ["vague_job_description"]
    assert turn["flag_hits"] and "Red flags I noticed" in reply
    assert reply.index("taken back") < reply.index("Red flags I noticed")


def test_a_sentence_about_something_else_does_not_answer_a_yes_no_question(advisor):
    state = st.State(pending_question="certain_to_decline", asked=["certain_to_decline"])
    state, turn = said(advisor, msg("I'm not really interested in it anymore tbh", "deny"),
                       state=state)
    assert state.fact_value("interest") == "not_interested"
    assert "certain_to_decline" not in state.facts
    state = st.State(pending_question="certain_to_decline", asked=["certain_to_decline"])
    state, turn = said(advisor, msg("no, I'd probably take it", "deny"), state=state)
    assert state.fact_value("certain_to_decline") is False


@pytest.mark.parametrize("intent,value", [("ask_withdraw", "back_out"),
                                          ("ask_keep_interviewing", "keep_interviewing"),
                                          ("evaluate_offer", "evaluate_offer")])
def test_the_intent_says_what_they_ask_when_the_words_do_not(advisor, intent, value):
    state, turn = said(advisor, msg("hmm so what now, without burning bridges", intent))
    assert state.fact_value("question") == value
    assert state.facts["question"]["source"] == "intent"


def test_the_words_win_over_the_intent_for_what_they_ask(advisor):
    state, _ = said(advisor, msg("should I keep interviewing there?", "ask_withdraw"))
    assert state.fact_value("question") == "keep_interviewing"


def test_asking_for_another_message_in_the_form_switches_the_draft(advisor):
    draft = drafting.start_draft(advisor, facts_state(), "withdrawal", {})
    switched = drafting.draft_step(advisor, draft, "what should i tell my boss", "request_draft",
                               {}, {}, {})
    assert switched.draft_id == "tell_manager_internal" and "Switching" in switched.note
    same = drafting.draft_step(advisor, draft, "Alex", "inform", {}, {}, {})
    assert same.draft_id == draft.draft_id


def test_a_correction_can_name_the_quoted_words_instead_of_the_flag(advisor):
    story = "the CEO kept dodging when I asked what success looks like in the first months"
    state, _ = said(advisor, msg(story))
    assert state.flags, "the story should raise a flag"
    flagged = sorted(state.flags)
    state, turn = said(advisor, msg("they weren't dodging actually, I misread it", "correct"),
                       state=state)
    assert sorted(turn["withdrawn"]) == flagged and not state.flags
    state, _ = said(advisor, msg(story))
    state, turn = said(advisor, msg("no wait, the salary is fine", "correct"), state=state)
    assert turn["withdrawn"] == [] and state.flags


def test_a_fact_read_from_the_intent_is_not_quoted_as_the_users_words(advisor):
    state, _ = said(advisor, msg("hmm so what now, without burning bridges", "ask_withdraw"))
    fact = compose.fact_of(advisor, "question", state.facts["question"])
    assert fact.source == "intent"
    assert render_text(compose.say("advice", "")).strip() == ""
    line = [f for f in compose.advice_reply(advisor, state, state.last_turn,
                                            advising.assess(advisor, state), None).facts
            if f.id == "question"]
    assert line and "(from what you asked)" in render_text(
        compose.advice_reply(advisor, state, state.last_turn, advising.assess(advisor, state),
                             None))


def test_an_unsure_intent_does_not_say_what_they_ask(advisor):
    unsure = st.UserMessage("i dont want it but my mum says go", "evaluate_offer",
                              confidence=0.52)
    state, _ = said(advisor, unsure)
    assert "question" not in state.facts


@pytest.mark.parametrize("text,intent", [("skip", "nlu_fallback"), ("no idea", "deny"),
                                         ("rather not say", "deny"), ("pass", "deny")])
def test_a_question_can_be_skipped(advisor, text, intent):
    for pending in ("manager_aware", "stage"):
        state = st.State(pending_question=pending, asked=[pending])
        state, turn = said(advisor, msg(text, intent), state=state)
        assert turn["gave_up"] == pending and state.pending_question is None
        assert pending not in state.facts


def test_not_sure_answers_how_keen_you_are_rather_than_skipping(advisor):
    state = st.State(pending_question="interest", asked=["interest"])
    state, turn = said(advisor, msg("not sure", "inform"), state=state)
    assert state.fact_value("interest") == "unsure" and not turn["gave_up"]


# -- explanations, evidence spans (issue: conversations that keep up) ------------------------

SLOW_REPLY = "the recruiter took three weeks to get back to me after the first round"


@pytest.mark.parametrize("intent", ["correct", "inform", "describe_interview"])
def test_an_explanation_takes_the_flag_back_instead_of_adding_evidence(advisor, intent):
    state, _ = said(advisor, msg(VAGUE + ". " + SLOW_REPLY))
    assert "poor_communication" in state.flags
    before = list(state.flags["poor_communication"])
    state, turn = said(advisor, msg("the delay was on my side, I gave them the wrong number",
                                    intent), state=state)
    assert turn["withdrawn"] == ["poor_communication"] and not turn["flag_hits"]
    assert "poor_communication" not in state.flags and "poor_communication" in state.withdrawn
    assert "vague_job_description" in state.flags
    assert before  # the earlier evidence was there, and the excuse was not added to it
    reply = compose.advice_reply(advisor, state, turn, advising.assess(advisor, state), None)
    text = render_text(reply)
    assert 'taken back the red flag "Poor communication' in text
    assert "didn't spot" not in text and "wrong number" not in text


def test_a_misunderstanding_takes_back_the_only_flag(advisor):
    state, _ = said(advisor, msg(VAGUE))
    state, turn = said(advisor, msg("that was a misunderstanding, they did send the details",
                                    "correct"), state=state)
    assert turn["withdrawn"] == ["vague_job_description"] and not state.flags


def test_an_explanation_without_earlier_flags_is_just_a_message(advisor):
    state, turn = said(advisor, msg("the delay was on my side, I gave them the wrong number",
                                    "inform"))
    assert turn["withdrawn"] == [] and not turn.get("explanation")


def test_overlapping_evidence_is_quoted_once():
    from interview_advisor.dialogue.text import merge_spans
    said_ = "the recruiter promised remote work but the manager said 4 days in office"
    spans = [(4, 52), (22, 61), (42, 73), (42, 73)]
    evidence = [{"quote": said_[a:b], "start": a, "end": b, "turn": 1} for a, b in spans]
    merged = merge_spans(evidence)
    assert [(e["start"], e["end"]) for e in merged] == [(4, 73)]
    assert merged[0]["quote"] == said_[4:73]
    again = dict(merged[0], turn=2)
    assert len(merge_spans(evidence + [again])) == 1   # the same words again later: once


def test_a_retraction_forgets_the_fact(advisor):
    state, _ = said(advisor, msg("it's an internal role and I just got a 10% raise"))
    assert state.fact_value("recent_improvement") is True
    assert state.fact_value("interview_type") == "internal"
    state, turn = said(advisor, msg("scratch that, forget what I said about the raise",
                                    "correct"), state=state)
    assert turn["retracted_facts"] == {"recent_improvement": True}
    assert "recent_improvement" not in state.facts and not turn["correction_unclear"]
    assert state.fact_value("interview_type") == "internal"
    reply = compose.correction_reply(advisor, state, turn, advising.assess(advisor, state))
    assert "forgotten what you said" in render_text(reply)
