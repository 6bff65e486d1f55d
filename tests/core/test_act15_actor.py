"""Who did it (team act15, from tuning37): a red flag is the employer's doing, not the person's.
The subject of the cue's clause decides - "i"/"we" in the active voice is the person's own doing,
a passive ("i was ghosted"), a subject who only waited, heard, chased or reports ("i never heard
back", "i think they ghosted me"), a subject of another verb group or one inside quotes is not;
"my choice" and the person's own apology put a clause on the person; "took them N days to" is the
employer's slowness."""

from __future__ import annotations

import pytest

from .helpers import pattern_signals

TERMS = "unrealistic_expectations"
CULTURE = "unclear_culture"
COMMS = "poor_communication"
VAGUE = "vague_job_description"


@pytest.mark.parametrize("text", [
    "honestly i was really slow to reply to the hiring manager, nearly a week",
    "we were super slow getting back to the agency because of the move",
    "i'm the one who has been slow to respond here, they've been patient",
    "i cancelled my second interview last minute because my train was stuck",
    "ugh i am terrible at replying to emails, it's a wonder they still want me",
    "i was slow to reply and slow to send the forms so fair enough",
])
def test_the_persons_own_slowness_or_cancelling_is_no_poor_communication(advisor, text):
    assert COMMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "they were really slow to reply, nearly a week each time",
    "the recruiter cancelled my second interview last minute",
    "i applied in may and they cancelled on me last minute twice",
    "i think they were slow to reply on purpose",
    "i had my interview cancelled last minute by the agency",
    "i was slow to reply once and they were slow to reply every single time",
])
def test_the_employers_slowness_or_cancelling_stays_a_flag(advisor, text):
    assert COMMS in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "i couldn't really explain what my own values are in the interview",
    "honestly we couldn't explain what our own values are when they asked",
])
def test_the_persons_own_answer_about_values_is_no_unclear_culture(advisor, text):
    assert CULTURE not in pattern_signals(advisor, text)


def test_the_employers_answer_about_values_stays_a_flag(advisor):
    assert CULTURE in pattern_signals(
        advisor, "i asked about their values and they couldn't really explain them")


@pytest.mark.parametrize("text", [
    "the policy area i'd cover hasn't been assigned yet",
    "the accounts i would look after haven't been assigned yet",
])
def test_a_subject_of_another_verb_group_does_not_take_the_flag(advisor, text):
    assert VAGUE in pattern_signals(advisor, text)


def test_a_quoted_we_is_the_employer_not_the_person(advisor):
    text = ("asked about the challenges and got 'our challenge is that we can't hire great "
            "people fast enough'")
    assert "overly_positive_acquaintances" in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "the ad said remote and i went with three days in the office instead, my choice",
    "first call was all remote talk, now its two days in, my own decision tbf",
])
def test_the_persons_own_choice_is_no_broken_promise(advisor, text):
    assert TERMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "sorry for the late reply, been at a wedding all weekend",
    "apologies for the slow response, my laptop died",
])
def test_the_persons_own_apology_is_no_poor_communication(advisor, text):
    assert COMMS not in pattern_signals(advisor, text)


def test_their_apology_for_a_late_reply_stays_a_flag(advisor):
    assert COMMS in pattern_signals(
        advisor, "three weeks later the recruiter said sorry for the late reply")


@pytest.mark.parametrize("text", [
    "it took them 10 days to tell me i was through",
    "took him a fortnight to send the invite",
    "took her nearly three weeks to send over the invite",
])
def test_the_employer_taking_days_is_poor_communication(advisor, text):
    assert COMMS in pattern_signals(advisor, text)


def test_the_person_taking_days_is_not(advisor):
    assert COMMS not in pattern_signals(advisor, "it took me 10 days to send my references")


@pytest.mark.parametrize("text", [
    "i was so slow emailing them back after the intro call",
    "we were so late sending the forms, totally on us",
])
def test_so_before_a_predicate_is_a_filler_not_a_conjunction(advisor, text):
    assert COMMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "i was slow to reply once, and now they have gone silent for three weeks",
    "i was fine with the wait so they were slow to reply again",
])
def test_a_clause_with_its_own_subject_is_not_the_persons(advisor, text):
    assert COMMS in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "they sent the contract a week ago, i just haven't signed it yet",
    "she actually sent the offer two days ago and i'm still deciding",
])
def test_a_step_taken_in_the_simple_past_is_no_broken_promise(advisor, text):
    assert COMMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "they said they'd send the contract, that was two weeks ago",
    "they promised to send the contract by friday and that was weeks ago",
])
def test_a_promise_to_send_that_was_not_kept_stays_a_flag(advisor, text):
    assert COMMS in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "we were told on the first call the salary was 40k and on the next call it was 35k",
    "i was told in the first round it was fully remote and by the third round it was hybrid",
    "i was told at the first interview that the hours are flexible, and at the second one that "
    "core hours are 8 to 6",
])
def test_an_earlier_and_a_later_stage_after_a_passive_are_the_employers_terms(advisor, text):
    assert TERMS in pattern_signals(advisor, text)


@pytest.mark.parametrize("text, signal", [
    ("i was kept in the dark for weeks about the next steps", COMMS),
    ("i left the interview with no idea what the day to day would be", VAGUE),
    ("we discussed remote on the first call and now they want 5 days in the office", TERMS),
    ("i negotiated 50k on the phone and the contract says 45k", TERMS),
    ("i emailed twice and got nothing back", COMMS),
    ("i had an interview cancelled last minute", COMMS),
])
def test_what_the_person_underwent_or_did_with_the_employer_stays_a_flag(advisor, text, signal):
    assert signal in pattern_signals(advisor, text)


@pytest.mark.parametrize("text, signal", [
    ("they keep promising i'll double my pay within a year with commission but nobody on the "
     "team seems to actually earn that", TERMS),
    ("the manager promised i'll be running the whole team within a year, i'd be joining as a "
     "junior", TERMS),
    ("i genuinely don't know what my kpis would be, they just said 'get stuff done'", VAGUE),
    ("honestly i could not describe this job to my mum after three interviews", VAGUE),
    ("every time i raised the bad reviews everyone just laughed and said they weren't a fit",
     "overly_positive_acquaintances"),
    ("ngl i came out of it not knowing what the job actually is", VAGUE),
])
def test_promised_futures_inability_adverbs_and_other_subjects_stay_the_employers(
        advisor, text, signal):
    assert signal in pattern_signals(advisor, text)


@pytest.mark.parametrize("text", [
    "the recruiter warned me the hiring manager can be slow to reply",
    "apparently the process can get a bit chaotic around year end",
    "the hiring manager tends to be slow to reply, the recruiter said",
])
def test_a_disposition_told_as_a_downside_is_no_event(advisor, text):
    assert COMMS not in pattern_signals(advisor, text)


@pytest.mark.parametrize("text, signal", [
    ("they were slow to reply and the process has been chaotic", COMMS),
    ("the job spec could be for any company, so generic", VAGUE),
])
def test_what_happened_and_could_be_stay_flags(advisor, text, signal):
    assert signal in pattern_signals(advisor, text)
