"""Dilemmas and statements made midway (DLM6): a raise that left the real problem in place
changes the advice, a rule on a fact told just now ranks higher, everyday words set the facts (a
deadline to answer is an offer, avoiding them is falling interest), and a verdict asked for at
the end of a story gets a direct answer."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.conditions import KnownFact
from interview_advisor.dialogue.advising import assess, rank_by_news

from .conversation import talk


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("complaint", [
    "but its not about the money, the hours are killing me and that hasnt changed",
    "the extra cash is nice but it does nothing about the reason i wanted out",
    "the raise doesnt fix the real problem",
])
def test_a_raise_that_left_the_problem_changes_the_advice(advisor, complaint):
    state, _ = talk(advisor, ("second round with Vessry next tues", "describe_interview"),
                    ("my boss found out and threw an 8% raise at me to stay", "inform"))
    before = [a.rule for a in assess(advisor, state).top()]
    state, _ = talk(advisor, (complaint, "inform"), state=state)
    after = [a.rule for a in assess(advisor, state).top()]
    assert state.fact_value("current_satisfaction") == "unsatisfied"
    assert after[0] == "pay_title_raise_left_the_problem"
    assert after != before


def test_a_raise_alone_does_not_give_the_keep_going_rule(advisor):
    state, _ = talk(advisor, ("my boss just gave me a 12% raise", "inform"))
    assert "pay_title_raise_left_the_problem" not in [a.rule for a in assess(advisor, state).advice]


def test_the_raise_is_quoted_to_the_word_raise(advisor):
    state, _ = talk(advisor, ("but plot twist my boss just gave me a 12% raise out of nowhere",
                              "inform"))
    quote = state.facts["recent_improvement"]["quote"]
    assert "12% raise" in quote and not quote.endswith("%")
    assert advisor.detect("my boss just gave me a 12% raise").facts[
        "recent_improvement"].evidence.text == "gave me a 12% raise"


@pytest.mark.parametrize("text, fact, expected", [
    ("Oakhanger want an answer by wednesday", "stage", "offer"),
    ("they need to know by thursday if im in", "stage", "offer"),
    ("im in the middle of it with them, 2nd stage next tues", "stage", "upcoming"),
    ("did one interview and then heard nothing for weeks", "stage", "done"),
    ("the more i hear the less i like it", "interest", "not_interested"),
    ("i keep finding reasons not to reply to them", "interest", "not_interested"),
    ("its not what i want long term but beggars cant be choosers", "interest", "unsure"),
    ("sunday nights i get that dread about monday", "current_satisfaction", "unsatisfied"),
    ("ive been at my place 3 yrs and im fine there really", "current_satisfaction", "satisfied"),
    ("oh and they bumped my title to senior last month", "recent_improvement", True),
    ("a job came up in our finance team and my skip level nudged me to go for it",
     "interview_type", "internal"),
    ("the promo is mine if i want it, but i also got to final round at Selwyn",
     "multiple_processes", True),
    ("the final round with them is in two weeks", "stage", "upcoming"),
    ("ok WOW they just phoned, they want me!!", "stage", "offer"),
    ("havent worked since the factory shut in january", "employed", False),
    ("4 yrs at current job, good team", "employed", True),
    ("now that ive slept on it im just not fussed either way", "interest", "unsure"),
    ("To clarify, I am genuinely enthusiastic about the role.", "interest", "interested"),
    ("my line manager actually wrote my reference", "manager_aware", True),
    ("started a new job 3 weeks ago and its awful", "current_satisfaction", "unsatisfied"),
    ("sorry i should have said, glenmorven is where i already work", "interview_type",
     "internal"),
    ("meeting their director friday for the final round", "stage", "upcoming"),
    ("Dunkeld Digital came thru with an offer lol", "stage", "offer"),
    ("my company finally made me permanent after two years of contracts",
     "recent_improvement", True),
    ("my current place is ok, nothing special", "current_satisfaction", "mixed"),
    ("they mentioned a graduate scheme opening in spring that might suit me better",
     "other_roles_suggested", True),
    ("honestly the job isnt what i want at all, im gonna bow out", "interest", "not_interested"),
    ("it went sooo well, i'd genuinely love to work there", "interest", "interested"),
    ("theres an opening in the data team at my work", "interview_type", "internal"),
    ("im still waiting to hear from another place i like way more", "multiple_processes", True),
    ("my company just countered with a big raise", "recent_improvement", True),
])
def test_everyday_words_told_midway_set_the_fact(advisor, text, fact, expected):
    state, _ = talk(advisor, ("had a first chat with Pellow on monday", "describe_interview"),
                    (text, "inform"))
    assert state.fact_value(fact) == expected


@pytest.mark.parametrize("text", [
    "they said theyd let me know by friday",
    "they want me to come in next week",
])
def test_their_own_deadline_or_an_invitation_is_no_offer(advisor, text):
    state, _ = talk(advisor, (text, "inform"))
    assert state.fact_value("stage") != "offer"


@pytest.mark.parametrize("text, question", [
    ("im so torn, what would u do", "move_or_stay"),
    ("which would you go for", "move_or_stay"),
    ("is it dumb to take a pay cut for a job id enjoy more", "move_or_stay"),
    ("so is it rude to just cancel", "decline_after_interview_rude"),
    ("would it be bad form to just not turn up", "no_show_instead_of_withdrawing"),
    ("what should i be asking them next time round", "what_to_ask_them"),
    ("is it possible to ask them for some more days?", "more_time_to_decide"),
    ("is it bad to start interviewing again so soon", "keep_interviewing_dishonest"),
    ("do i have to give them an answer straight away", "answer_offer_straight_away"),
])
def test_a_verdict_asked_for_at_the_end_gets_a_direct_answer(advisor, text, question):
    assert question in [a.id for a in advisor.direct_answers(text)]


def test_someone_else_not_turning_up_is_not_the_no_show_question(advisor):
    answers = advisor.direct_answers("they didn't turn up to the interview, is that normal?")
    assert "no_show_instead_of_withdrawing" not in [a.id for a in answers]


def test_a_rule_on_a_fact_told_now_moves_up_among_near_equals(advisor):
    facts = {"stage": KnownFact("offer"), "interest": KnownFact("unsure"),
             "recent_improvement": KnownFact(True)}
    advice, _ = advisor.evaluate({}, facts)
    assert rank_by_news(advisor, advice, set()) == advice
    ranked = rank_by_news(advisor, advice, {"recent_improvement"})
    assert sorted(a.rule for a in ranked) == sorted(a.rule for a in advice)
    uses = [a for a in ranked
            if "recent_improvement" in advisor.rulebase.rule(a.rule).when.facts()]
    assert uses and ranked[0] == uses[0]
    bonus = advisor.rulebase.facts["recent_improvement"].news_bonus
    assert bonus > 0
    assert ranked[0].priority + bonus >= advice[0].priority


def test_news_of_a_fact_without_a_bonus_moves_nothing(advisor):
    # having a job comes along with an internal role or a raise: the rule base gives it no
    # news_bonus, so telling it keeps the order by priority
    assert advisor.rulebase.facts["employed"].news_bonus == 0
    facts = {"stage": KnownFact("offer"), "employed": KnownFact(True),
             "interest": KnownFact("unsure")}
    advice, _ = advisor.evaluate({}, facts)
    assert rank_by_news(advisor, advice, {"employed"}) == advice
