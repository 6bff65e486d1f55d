"""Round 15 (dil15): a yes/no question asked as a judgement in other words ("is it weird
to ...", "am i an idiot for ...", "would i be mad to ...") and what it judges read in the plain
form that follows "is it bad to": a conditional's past ("would it be bad if i still went"), a
gerund after "for" ("for going back on it"), "didnt" + verb, and a wrapper such as "thinking
about" or "considering" dropped first. The answer's yes or no turns with the framing: "am i an
idiot for asking ...?" is a worry, answered "No"."""

from __future__ import annotations

import pytest

from interview_advisor.engine import plain_complement

from .helpers import real_advisor

WRAPPERS = ["thinking|think about|of", "considering|consider", "wanting|want to"]


def answered(text, known=None):
    return [(a.id, a.answer) for a in real_advisor().direct_answers(text, known or {})]


@pytest.mark.parametrize("rest, plain", [
    ("still went to the interview", "still go to the interview"),        # conditional past
    ("pulled out now", "pull out now"),
    ("kept my options open", "keep my options open"),
    ("even thinking about going back on it", "even go back on it"),      # wrapper + gerund
    ("considering asking them for more time", "ask them for more time"),
    ("just didnt pick up", "just not pick up"),                          # did not + verb
    ("keep interviewing", "keep interviewing"),                          # already plain
    ("offers from them", "offers from them"),                            # a noun's plural
])
def test_the_judged_words_in_plain_form(rest, plain):
    assert plain_complement(rest, WRAPPERS) == plain


@pytest.mark.parametrize("text, question", [
    ("am i daft for considering asking them for more time?", "more_time_to_decide"),
    ("am i a total idiot for wanting to ask for more time", "more_time_to_decide"),
    ("would it be weird if i asked for a few more days to decide", "more_time_to_decide"),
    ("is it strange to keep interviewing when i just got promoted",
     "keep_interviewing_after_improvement"),
    ("am i mad to keep interviewing after they gave me a raise",
     "keep_interviewing_after_improvement"),
    ("am i an idiot for even thinking about going back on my acceptance?",
     "back_out_after_accepting"),
    ("would i be naive to accept the first offer", "accept_first_offer"),
])
def test_judgements_in_other_words_are_answered(text, question):
    found = answered(text)
    assert found and found[0][0] == question


@pytest.mark.parametrize("text", [
    "am i a total idiot for wanting to ask for more time",
    "would it be weird if i asked for a few more days to decide",
    "am i daft for considering asking them for more time?",
])
def test_a_judgement_of_oneself_is_a_worry_answered_no(text):
    assert answered(text)[0][1].startswith("No")


@pytest.mark.parametrize("text", [
    "is it kinda weird that they never called back",      # about the employer, not a question
    "am i mad for thinking they were rude",
    "the interview was weird",
])
def test_a_judgement_of_something_else_asks_nothing(text):
    assert answered(text) == []


@pytest.mark.parametrize("rest, plain", [
    ("ring maddox and ask if they can move it forward", "ask if they can move it forward"),
    ("email the recruiter and ask for more time", "ask for more time"),
    ("just phone them and say im out", "just say im out"),
    ("get in touch with hr and withdraw", "withdraw"),
    ("ask the recruiter and wait", "ask the recruiter and wait"),     # no way of contact first
])
def test_a_way_of_getting_in_touch_before_and_is_dropped(rest, plain):
    contacts = real_advisor().rulebase.words.contact_verbs
    assert plain_complement(rest, WRAPPERS, contacts) == plain


@pytest.mark.parametrize("text, question", [
    ("is it cheeky to ring maddox and ask if they can move it forward?", "ask_to_speed_up"),
    ("would it be pushy to call them and ask to move the final round up", "ask_to_speed_up"),
    ("would it look desperate to email the recruiter and ask them to speed things up",
     "ask_to_speed_up"),
    ("would it be rude to email the recruiter and ask for more time", "more_time_to_decide"),
])
def test_the_question_is_about_what_is_said_not_how(text, question):
    found = answered(text)
    assert found and found[0][0] == question and found[0][1].startswith("No")


@pytest.mark.parametrize("clause, plain", [
    (" do i just take the warehouse one or hold out ", " do i just take the job or hold out "),
    (" should i accept the council job ", " should i accept the job "),
    (" do i take the amazon offer ", " do i take the offer "),
    (" should i take the job ", " should i take the job "),
])
def test_an_option_described_by_what_it_is(clause, plain):
    from interview_advisor.engine import option_as_job
    heads = real_advisor().rulebase.words.option_heads
    assert option_as_job(clause, heads) == plain


@pytest.mark.parametrize("text", [
    "do i just take the warehouse one or hold out for the college?",
    "should i accept the council job or wait for the nhs one",
    "should i just take the admin role?",
])
def test_taking_an_option_described_by_what_it_is_is_answered(text):
    assert answered(text)[:1] and answered(text)[0][0] == "accept_first_offer"
