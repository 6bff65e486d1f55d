"""Round 12 (dlm12): a direct question that NLU files under `correct` and that corrects
nothing is answered, not met with "I'm not sure what to correct"."""

from __future__ import annotations

from .conftest import payloads, texts


def test_a_question_filed_under_correct_gets_its_answer(conversation):
    conversation.say("signed the offer from Harwick last week, start date is in march",
                     "evaluate_offer")
    messages = conversation.say("is it actually that bad to go back on a yes?", "correct")
    assert "not sure what to correct" not in texts(messages)
    assert payloads(messages)[-1]["kind"] == "advice"
    assert "Yes, you can" in texts(messages)


def test_a_real_correction_is_still_a_correction(conversation):
    conversation.say("it's an internal role, my manager will know", "describe_interview")
    messages = conversation.say("no, it's external actually", "correct")
    assert "Corrected" in texts(messages)
