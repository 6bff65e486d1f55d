"""Several opportunities in one conversation (issue 12), in the dialogue core without Rasa:
which company or role a message is about, flags and facts kept per opportunity, shared facts,
"which one?", the slot round trip, and that one opportunity behaves as before."""

from __future__ import annotations

import json

import jsonschema
import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import advising, compose, reading
from interview_advisor.dialogue import compose_opportunities as several
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.render_text import buttons, render_text
from interview_advisor.dialogue.reply import Reply
from interview_advisor.dialogue.state import CURRENT_JOB, State, UserMessage

from .conversation import talk
from .test_reply_model import SCHEMA


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


def names(state):
    return [e["name"] for e in state.opportunities]


def flags_of(advisor, state, name):
    entry = next(e for e in state.opportunities if e["name"] == name)
    return set(opp.view_of(advisor, state, entry["id"]).flags)


def test_each_company_keeps_its_own_red_flags(advisor):
    state, turn = talk(advisor,
                       ("At Tyrell everyone only had good things to say, no one would name a "
                        "single downside", "describe_interview"),
                       ("Wayne took a month to reply and then got my name wrong at Wayne",
                        "describe_interview"))
    assert names(state) == ["Tyrell", "Wayne"]
    assert flags_of(advisor, state, "Tyrell") == {"overly_positive_acquaintances"}
    assert flags_of(advisor, state, "Wayne") == {"poor_communication"}
    assert turn["switched"] is True
    # the view holds the active one only
    assert set(state.flags) == {"poor_communication"}


def test_switching_back_restores_flags_and_facts(advisor):
    state, _ = talk(advisor,
                    ("At Acme the recruiter couldn't tell me what the job is",
                     "describe_interview"),
                    ("At Globex I got an offer", "evaluate_offer"),
                    ("back to Acme, what did you find?", "describe_interview"))
    assert state.active == "o1"
    assert set(state.flags) == {"vague_job_description"}
    assert state.fact_value("stage") != "offer"          # Globex's stage stays with Globex
    globex = opp.view_of(advisor, state, "o2")
    assert globex.fact_value("stage") == "offer" and not globex.flags


def test_person_facts_are_shared_and_role_facts_are_not(advisor):
    state, _ = talk(advisor,
                    ("I'm employed at the moment and had an interview at Initech, not really "
                     "interested in it", "describe_interview"),
                    ("the Hooli one was good", "describe_interview"))
    hooli, initech = opp.view_of(advisor, state, "o2"), opp.view_of(advisor, state, "o1")
    assert hooli.fact_value("employed") is True and initech.fact_value("employed") is True
    assert initech.fact_value("interest") == "not_interested"
    assert hooli.fact_value("interest") is None


def test_what_the_person_asks_about_stays_with_its_opportunity(advisor):
    """"got an offer from Initech" asks about weighing that offer; the next company's reply must
    not carry Initech's question (it showed "Weigh the whole offer" under "About Hooli")."""
    state, _ = talk(advisor,
                    ("got an offer from Initech last week, should i take it", "evaluate_offer"),
                    ("and yesterday i had the final round at Hooli. they couldnt really say what "
                     "the role is", "describe_interview"))
    hooli, initech = opp.view_of(advisor, state, "o2"), opp.view_of(advisor, state, "o1")
    assert initech.fact_value("question") == "evaluate_offer"
    assert hooli.fact_value("question") is None
    assert state.active == "o2"
    assert "process_weigh_the_whole_offer" not in advising.assess(advisor, state).rule_ids


def test_one_message_about_two_opportunities_is_read_part_by_part(advisor):
    state, turn = talk(advisor, (
        "I'm in process with Massive Dynamic and Soylent. I'm not interested in Soylent anymore "
        "but the Massive Dynamic recruiter never explained the role", "describe_interview"))
    soylent = opp.view_of(advisor, state, opp._find_named(state, "Soylent"))
    dynamic = opp.view_of(advisor, state, opp._find_named(state, "Massive Dynamic"))
    assert soylent.fact_value("interest") == "not_interested" and not soylent.flags
    assert "vague_job_description" in dynamic.flags
    assert dynamic.fact_value("interest") is None
    assert state.fact_value("multiple_processes") is True   # two roles named: several processes
    assert set(turn["mentioned"]) == {"o1", "o2"}


def test_internal_role_current_job_and_employer_kinds(advisor):
    state, _ = talk(advisor, ("I have an internal interview for a team lead role and an external "
                              "one at a fintech next week", "describe_interview"))
    assert [(e["kind"], e["name"]) for e in state.opportunities] == [
        ("internal", "internal role"), ("employer", "fintech")]
    state, _ = talk(advisor, ("my manager doesnt know about the internal one", "inform"),
                    state=state)
    assert state.active == "o1" and state.fact_value("manager_aware") is False
    state, _ = talk(advisor, ("my current job pays well but I'm bored", "inform"), state=state)
    # the current job is compared with the others, but talking about it does not switch away
    # from the role discussed: its facts are seen by every role
    assert state.active == "o1" and opp.record(state, CURRENT_JOB)["named"]
    assert [opp.label_of(e) for e in opp.compared(state)] == [
        "the internal role", "the fintech", "your current job"]


def test_one_role_and_the_current_job_is_the_conversation_as_before(advisor):
    state, _ = talk(advisor, ("interview at Helix tomorrow for an analyst job",
                              "describe_interview"),
                    ("my current job is honestly miserable, my manager micromanages everything",
                     "inform"))
    assert state.fact_value("stage") == "upcoming" and state.active == "o1"
    assert not opp.is_multi(state) and several.active_label(state) is None


def test_a_person_named_in_a_draft_request_is_not_a_company(advisor):
    text = "write the withdrawal to Sam at Initech"
    names_found = [m.name for m in opp.find_mentions(advisor, State(), text, [
        {"entity": "person_name", "value": "Sam", "start": 23, "end": 26}])]
    assert names_found == ["Initech"]
    assert [m.name for m in opp.find_mentions(advisor, State(), text)] == ["Initech"]


def test_a_raise_makes_the_current_job_an_opportunity(advisor):
    state, _ = talk(advisor, ("My company just gave me a raise, and I also got an offer from "
                              "Vandelay for more money", "evaluate_offer"))
    assert [e["kind"] for e in state.opportunities] == ["company", "current"]
    assert state.fact_value("recent_improvement") is True     # seen by Vandelay's advice too
    assert opp.record(state, CURRENT_JOB)["facts"] == {}


def test_the_other_one_with_two_opportunities(advisor):
    state, _ = talk(advisor, ("At Acme they were vague about the job", "describe_interview"),
                    ("At Globex it went fine", "describe_interview"),
                    ("the other one rescheduled twice and never said sorry", "describe_interview"))
    assert state.active == "o1"
    assert "poor_communication" in state.flags


def test_unclear_which_one_asks_with_a_button_each_and_the_answer_files_it(advisor):
    state, turn = talk(advisor, ("I have interviews at Acme and at Globex this week",
                                 "describe_interview"),
                       ("they took three weeks to get back to me", "describe_interview"))
    assert turn["ask_which"] == ["o1", "o2"]
    assert not any(opp.view_of(advisor, state, k).flags for k in ("o1", "o2"))
    reply = several.which_reply(advisor, state)
    assert [b["payload"] for b in buttons(reply)] == ["Acme", "Globex"]
    state, turn = talk(advisor, ("Globex", "inform"), state=state)
    assert state.active == "o2" and set(state.flags) == {"poor_communication"}
    assert not opp.view_of(advisor, state, "o1").flags
    assert not state.held


def test_state_round_trips_through_the_slots(advisor):
    state, _ = talk(advisor, ("At Acme they were vague about the job", "describe_interview"),
                    ("At Globex it went fine", "describe_interview"))
    state.priorities = {"order": ["topic_growth"], "weights": {"topic_growth": 1.0}, "quote": "x"}
    again = State.from_slots(state.to_slots())
    assert again == state
    # a broken slot value counts as empty, as every other slot does
    assert State.from_slots({"opportunities": "nonsense"}).opportunities == []


def test_one_opportunity_stores_and_says_what_it_did_before(advisor):
    story = ("I had a second interview at Globex yesterday. The hiring manager couldn't really "
             "tell me what I'd be doing day to day.")
    state, turn = talk(advisor, (story, "describe_interview"))
    plain, plain_turn = reading.update_state(advisor, State(), UserMessage(story,
                                                                          "describe_interview"))
    assert state.flags == plain.flags and state.facts == plain.facts
    assert not opp.is_multi(state) and several.active_label(state) is None
    slots = state.to_slots()
    assert set(slots["opportunities"]["list"][0]) >= {"id", "name"}   # named, nothing more
    assert State.from_slots({**slots, "opportunities": None}).flags == state.flags


def test_replies_say_which_opportunity_and_summary_covers_all(advisor):
    state, turn = talk(advisor,
                       ("I'm interviewing at two places. At Acme the recruiter couldn't tell me "
                        "what the job is.", "describe_interview"),
                       ("At Globex everything was clear and they replied the same day",
                        "describe_interview"))
    reply = compose.advice_reply(advisor, state, turn, advising.assess(advisor, state), None)
    reply = several.about(advisor, state, reply, turn)
    assert reply.opportunity == "Globex"
    assert render_text(reply).startswith("About Globex:")
    summary = render_text(several.summary_all_reply(advisor, state))
    assert "Acme" in summary and "Globex" in summary
    assert any("Acme" in line and "Vague job description" in line
               for line in summary.splitlines())
    assert not any("Globex" in line and "Vague" in line for line in summary.splitlines())


def test_a_company_entity_with_its_preposition_is_named_without_it(advisor):
    text = "At Wayne they took a month to reply"
    mentions = opp.find_mentions(advisor, State(), text, [
        {"entity": "company", "value": "At Wayne", "start": 0, "end": 8}])
    assert [(m.name, m.start, m.end) for m in mentions] == [("Wayne", 3, 8)]


def test_why_for_all_of_them_explains_each_with_its_name(advisor):
    state, _ = talk(advisor, ("At Acme the recruiter couldn't tell me what the job is",
                              "describe_interview"),
                    ("At Globex they took three weeks to get back to me", "describe_interview"))
    for key in ("o1", "o2"):      # the advice each was shown, as the actions remember it
        opp.switch(advisor, state, key)
        state.last_advice = advising.assess(advisor, state).rule_ids[:3]
    assert several.asks_for_all(advisor, state, "why, for both of them?", {"mentioned": []})
    reply = several.why_all_reply(advisor, state)
    named = {e.opportunity for e in reply.explanations}
    assert named == {"Acme", "Globex"}
    text = render_text(reply)
    assert any("(Acme)" in line and "rule" in line for line in text.splitlines())
    data = reply.to_json()
    jsonschema.validate(data, SCHEMA)
    assert Reply.from_json(json.loads(json.dumps(data))) == reply
    # one company named: that one only
    assert not several.asks_for_all(advisor, state, "why for Acme?", {"mentioned": ["o1"]})


@pytest.mark.parametrize("about_current_job", [
    "my current job is ok but there's no growth at all",
    "I just got a raise where i work now actually",
    "honestly i'm pretty happy in my current role, good people",
])
def test_after_the_current_job_the_bot_does_not_ask_about_this_role(advisor, about_current_job):
    state, turn = talk(advisor, ("I got an offer from Initech, 75k", "evaluate_offer"))
    first = advising.choose_question(advisor, state, advising.assess(advisor, state), turn)
    assert first is not None and opp.scope_of(advisor, first.fact) == "opportunity"
    state = advising.remember_question(state, first)
    state, turn = talk(advisor, (about_current_job, "inform"), state=state)
    assert opp.record(state, CURRENT_JOB) is not None
    question = advising.choose_question(advisor, state, advising.assess(advisor, state), turn)
    assert question is None or opp.scope_of(advisor, question.fact) != "opportunity"
    # the next message about the offer may ask about the role again
    state, turn = talk(advisor, ("Initech's recruiter was great, replied the same day",
                                 "describe_interview"), state=state)
    question = advising.choose_question(advisor, state, advising.assess(advisor, state), turn)
    assert question is not None and opp.scope_of(advisor, question.fact) == "opportunity"


@pytest.mark.parametrize("second", [
    "still waiting on Initech's paperwork, final round at Hooli, they couldn't say what the "
    "role is and took ages to reply",
    "Initech sent the contract. At Hooli on the other hand nobody could tell me what the job "
    "actually is",
])
def test_the_reply_is_about_the_opportunity_the_news_is_about(advisor, second):
    state, turn = talk(advisor, ("an offer at Initech", "evaluate_offer"),
                       (second, "describe_interview"))
    hooli = next(e for e in state.opportunities if e["name"] == "Hooli")
    assert state.active == hooli["id"]
    reply = compose.advice_reply(advisor, state, turn, advising.assess(advisor, state), None)
    reply = several.about(advisor, state, reply, turn)
    assert reply.opportunity == "Hooli"
    assert render_text(reply).startswith("About Hooli:")
    vague = [f for f in reply.flags if f.id == "vague_job_description"]
    assert vague and all(f.opportunity == "Hooli" for f in vague)
    assert "vague_job_description" in flags_of(advisor, state, "Hooli")
    assert "vague_job_description" not in flags_of(advisor, state, "Initech")


def test_back_to_is_said_only_of_an_opportunity_talked_about_before(advisor):
    state, turn = talk(advisor, ("At Initech the recruiter couldn't say what the job is",
                                 "describe_interview"),
                       ("At Hooli I have the final round next week", "describe_interview"))
    reply = several.about(advisor, state, compose.advice_reply(
        advisor, state, turn, advising.assess(advisor, state), None), turn)
    assert turn["switched"] and "Back to" not in render_text(reply)
    state, turn = talk(advisor, ("Hooli's recruiter is nice", "describe_interview"),
                       ("ok and Initech?", "describe_interview"), state=state)
    reply = several.about(advisor, state, compose.advice_reply(
        advisor, state, turn, advising.assess(advisor, state), None), turn)
    assert "Back to Initech." in render_text(reply)


def test_a_reply_to_words_about_the_current_job_says_so(advisor):
    state, _ = talk(advisor, ("Initech made me an offer", "evaluate_offer"),
                    ("Hooli made me an offer too", "evaluate_offer"))
    state, turn = talk(advisor, ("as for my current job, the people are lovely but there's no "
                                 "growth", "inform"), state=state)
    reply = several.about(advisor, state, compose.advice_reply(
        advisor, state, turn, advising.assess(advisor, state), None), turn)
    assert reply.opportunity == "your current job"
    assert render_text(reply).startswith("About your current job:")


def test_an_internal_opening_and_an_outside_round_are_two_processes(advisor):
    state, _ = talk(advisor, ("theres an internal opening on the data team i applied for, and i "
                              "also have a second round at Stark Industries", "describe_interview"))
    assert sorted(e["kind"] for e in opp.others(state)) == ["company", "internal"]
    assert state.fact_value("multiple_processes") is True


def test_on_equal_news_the_reply_is_about_the_one_named_first(advisor):
    state, _ = talk(advisor, ("Umbrella gave me an offer and want an answer by friday, but I'm "
                              "still waiting on the final round with Cyberdyne", "evaluate_offer"))
    umbrella = next(e for e in state.opportunities if e["name"] == "Umbrella")
    assert state.active == umbrella["id"] and state.fact_value("stage") == "offer"


def test_something_said_of_both_is_noted_for_each_without_asking_which(advisor):
    state, turn = talk(advisor, ("theres an internal opening on the data team i applied for, and i "
                                 "also have a second round at Stark Industries",
                                 "describe_interview"),
                       ("my boss has no idea about either of them", "inform"))
    assert not turn.get("ask_which")
    for entry in opp.others(state):
        view = opp.view_of(advisor, state, entry["id"])
        assert view.fact_value("manager_aware") is False, entry["name"]


@pytest.mark.parametrize("text, names", [
    ("got an offer at initech", ["initech"]),
    ("final round at hooli, they couldn't say what the role is", ["hooli"]),
    ("an offer from brightwave for a senior analyst role", ["brightwave"]),
    ("I work from home at the moment with my team", []),
    ("coffee with sarah from hr, then an interview at thier office", []),   # a person, a typo
    # seen in make shell: news awaited from a company named in lower case
    ("also still waiting to hear from copperfield after a final round", ["copperfield"]),
    ("no news from fernhollow since tuesday", ["fernhollow"]),
    ("still waiting on feedback from the panel", []),
    ("i'm waiting for them to reply", []),
])
def test_company_names_written_in_lower_case(advisor, text, names):
    assert [m.name for m in opp.find_mentions(advisor, State(), text)] == names


def test_a_lower_case_company_gets_its_own_flags(advisor):
    state, turn = talk(advisor, ("got an offer at initech", "evaluate_offer"),
                       ("final round at hooli, they couldn't say what the role is",
                        "describe_interview"))
    assert names(state) == ["initech", "hooli"]
    assert flags_of(advisor, state, "hooli") == {"vague_job_description"}
    assert not flags_of(advisor, state, "initech")


# -- FACTS3: names of several words, kinds of employer, an internal role beside a company ----

def test_a_name_with_an_ampersand_is_one_company_and_one_word_for_the_facts(advisor):
    state, _ = talk(advisor, ("phone interview with Hollis & Venn tomorrow for a junior role",
                              "describe_interview"))
    assert names(state) == ["Hollis & Venn"]
    assert state.facts["stage"]["value"] == "upcoming"
    assert "phone interview with Hollis & Venn tomorrow" in state.facts["stage"]["quote"]


def test_a_possessive_is_not_part_of_the_name(advisor):
    state, _ = talk(advisor, ("I'm talking to Acme and Initech. Acme's offer came in yesterday",
                              "describe_interview"))
    assert names(state) == ["Acme", "Initech"]


def test_the_bank_is_the_company_whose_name_says_bank(advisor):
    state, turn = talk(advisor,
                       ("Thornbury Bank offered me the analyst job, Quenby Freight hasnt "
                        "answered yet", "evaluate_offer"),
                       ("the bank wants an answer by wednesday", "inform"))
    assert names(state) == ["Thornbury Bank", "Quenby Freight"]
    assert opp.record(state, state.active)["name"] == "Thornbury Bank"


def test_a_kind_said_beside_a_name_is_that_company_later(advisor):
    state, _ = talk(advisor,
                    ("a fintech startup called Lorvik wants a final chat, and Marrable Mutual "
                     "(the bank) screened me on friday", "describe_interview"))
    assert names(state) == ["Lorvik", "Marrable Mutual"]
    for text, name in (("the startup put it all in writing", "Lorvik"),
                       ("the bank keeps dodging my questions about pay", "Marrable Mutual")):
        mentions = opp.find_mentions(advisor, state, text)
        assert [opp.record(state, m.key)["name"] for m in mentions] == [name]


def test_the_first_word_of_a_known_name_names_it(advisor):
    state, _ = talk(advisor, ("two interviews lined up, Halvard Energy on monday and Pemberton "
                              "Labs on wednesday", "describe_interview"))
    assert names(state) == ["Halvard Energy", "Pemberton Labs"]
    assert state.facts["stage"]["value"] == "upcoming"
    mentions = opp.find_mentions(advisor, state, "Halvard were vague about the role")
    assert [opp.record(state, m.key)["name"] for m in mentions] == ["Halvard Energy"]


@pytest.mark.parametrize("text", [
    "i applied internally for the ops lead role and im also in the final round at Brisk Logistics",
    "i interviewed for the team lead opening in our claims department (same employer), and "
    "Brisk Logistics made me an offer",
])
def test_an_internal_role_in_a_clause_of_its_own_is_another_opportunity(advisor, text):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert sorted(e["kind"] for e in state.opportunities) == ["company", "internal"]
    assert state.fact_value("multiple_processes") is True
    brisk = next(e for e in state.opportunities if e["name"] == "Brisk Logistics")
    assert opp.view_of(advisor, state, brisk["id"]).facts.get("interview_type", {}).get(
        "value") != "internal"


def test_an_internal_role_said_of_the_only_company_stays_that_company(advisor):
    state, _ = talk(advisor, ("interview at Globex next week, it's an internal role",
                              "describe_interview"))
    assert len(state.opportunities) == 1
    assert state.facts["interview_type"]["value"] == "internal"


def test_a_persons_full_name_is_no_company(advisor):
    state, _ = talk(advisor, ("Sarah Jones from the panel was lovely, the interview is friday",
                              "describe_interview"))
    assert names(state) == []


def test_a_short_message_about_another_role_is_no_failed_answer(advisor):
    state, _ = talk(advisor, ("two interviews lined up, Halvard Energy on monday and Pemberton "
                              "Labs on wednesday", "describe_interview"))
    state.pending_question, state.asked = "interest", ["interest"]
    state, turn = talk(advisor, ("the other one seems way more organised", "inform"),
                       state=state)
    assert turn["unclear_answer"] is None
    state, turn = talk(advisor, ("hmm let me think", "inform"), state=state)
    assert turn["unclear_answer"] == "interest"


def test_once_an_internal_role_is_known_internal_words_name_it(advisor):
    state, _ = talk(advisor, ("theres an opening on the data team here and my boss told me to "
                              "apply. meanwhile i did two rounds with Brisk Logistics",
                              "describe_interview"))
    assert sorted(e["kind"] for e in state.opportunities) == ["company", "internal"]
    state, turn = talk(advisor, ("the internal loop is next monday", "inform"), state=state)
    assert not turn.get("ask_which")
    assert opp.record(state, state.active)["kind"] == "internal"


# --- FACTS4: how people name companies ---------------------------------------------------------

def test_the_recruiter_from_a_company_names_the_company_even_when_nlu_says_person(advisor):
    text = "the recruiter from Pellam called me about a data role"
    start = text.index("Pellam")
    person = [{"entity": "person_name", "start": start, "end": start + len("Pellam")}]
    state = State()
    state, _, _ = reading.absorb(advisor, state, UserMessage(text, "describe_interview",
                                                             person, "m1"))
    assert names(state) == ["Pellam"]
    # a person NLU found elsewhere is still a person ("write to Sam")
    assert opp._company_names(advisor, "write to Sam about it", [
        {"entity": "person_name", "start": 9, "end": 12}]) == []


@pytest.mark.parametrize("text, expected", [
    ("Harlow & Teague rang this afternoon, the job is mine. thing is Mossgiel still wants me "
     "for a final round", ["Harlow & Teague", "Mossgiel"]),
    ("ok three in play: Arbor Health (offer, 54k), Trellis (waiting on feedback from the "
     "final round) and Corvid Games (first interview thurs)",
     ["Arbor Health", "Trellis", "Corvid Games"]),
    ("so Glasswing didnt work out, but i'm meeting the founders of Pennock Studio on monday",
     ["Glasswing", "Pennock Studio"]),
    ("so when Sable Analytics asked me in for a chat i jumped at it", ["Sable Analytics"]),
])
def test_company_names_from_what_follows_them(advisor, text, expected):
    assert [n for n, _, _ in opp._company_names(advisor, text, [])] == expected


@pytest.mark.parametrize("text", [
    "Sam (the recruiter) was lovely",     # who someone is, in brackets: a person
    "Sarah Jones said hi",
])
def test_people_stay_people(advisor, text):
    assert opp._company_names(advisor, text, []) == []


def test_a_known_company_by_its_first_word_in_lower_case(advisor):
    state, _ = talk(advisor, (
        "ok three in play: Arbor Health (offer, 54k), Trellis (waiting on feedback from the "
        "final round) and Corvid Games (first interview thurs)", "describe_interview"),
        ("corvid's recruiter has moved my interview twice already and never says why",
         "describe_interview"))
    assert opp.record(state, state.active)["name"] == "Corvid Games"
    state, _ = talk(advisor, ("back to arbor for a sec - they say 54k is fixed but the ad "
                              "said 60 to 65", "describe_interview"), state=state)
    assert opp.record(state, state.active)["name"] == "Arbor Health"
    # an English word that is not said as a name stays a word
    state, _ = talk(advisor, ("i have an arbor in my garden", "inform"), state=state)
    assert opp.record(state, state.active)["name"] == "Arbor Health"


def test_an_internal_secondment_beside_an_outside_offer_is_two_opportunities(advisor):
    state, _ = talk(advisor, (
        "last week i said yes to the internal secondment my boss pushed me towards, and now "
        "Ashby Rail have come back with a permanent job offer", "ask_withdraw"))
    assert sorted(e["kind"] for e in state.opportunities) == ["company", "internal"]
    assert value(state, "manager_aware") is True
    assert value(state, "multiple_processes") is True


def value(state, fact_id):
    return (state.facts.get(fact_id) or {}).get("value")


def test_what_only_a_firm_is_called_overrules_nlus_person(advisor):
    text = ("Harlow & Teague rang. three in play: Sable Analytics, and Trellis (waiting on "
            "feedback from the final round)")
    people = [{"entity": "person_name", "start": text.index(w), "end": text.index(w) + len(w)}
              for w in ("Harlow", "Sable", "Trellis")]
    assert [n for n, _, _ in opp._company_names(advisor, text, people)] == \
        ["Harlow & Teague", "Sable Analytics", "Trellis"]


def test_a_comparison_asked_in_words_nlu_is_unsure_of_is_answered(advisor):
    state, _ = talk(advisor, ("trying to choose between staying in my current job, the internal "
                              "transfer to the leeds office, or the offer from Harbin Freight",
                              "evaluate_offer"))
    after, turn = talk(advisor, ("so which way do i lean", "evaluate_offer"), state=state)
    assert turn.get("compare")
    assert advising.answer_when_unsure(advisor, state, "so which way do i lean",
                                       "evaluate_offer", turn) == advising.UNSURE_ADVICE


def test_a_message_that_names_several_options_says_it_keeps_them_apart(advisor):
    state, turn = talk(advisor, (
        "ok three in play: Arbor Health (offer, 54k), Trellis (waiting on feedback from the "
        "final round) and Corvid Games (first interview thurs)", "describe_interview"))
    reply = several.about(advisor, state, compose.say("advice", "x"), turn)
    assert any("Arbor Health, Trellis, Corvid Games" in note for note in reply.notes)
    state, turn = talk(advisor, ("corvid's recruiter has moved my interview twice",
                                 "describe_interview"), state=state)
    reply = several.about(advisor, state, compose.say("advice", "x"), turn)
    assert not any("keep these apart" in note for note in reply.notes)   # nothing new named


# -- FACTS5: "at the same time" turns to another opportunity --------------------------------

@pytest.mark.parametrize("text", [
    "got asked to apply for a senior role internally and at the same time im interviewing at "
    "Brackwater",
    "i applied internally for a product job, in the meantime i have a final round at Ostrander",
])
def test_an_internal_role_and_a_company_said_at_the_same_time_are_two(advisor, text):
    state, _ = talk(advisor, (text, "describe_interview"))
    assert sorted(e["kind"] for e in opp.others(state)) == ["company", "internal"]
    assert state.fact_value("multiple_processes") is True
