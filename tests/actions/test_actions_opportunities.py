"""The custom actions with several opportunities (issue 12): real trackers, the real rule base,
the slots as the Rasa server would keep them."""

from __future__ import annotations

from .conftest import entity, payloads, texts

TWO = ("At Acme the recruiter couldn't tell me what the job is, but at Globex I got an offer "
       "and they want an answer by friday")


def test_two_companies_then_compare_then_priorities(conversation):
    first = payloads(conversation.say(TWO, "describe_interview",
                                      [entity(TWO, "Acme", "company")]))
    advice = next(p for p in first if p["kind"] == "advice")
    assert advice["opportunity"] == "Acme"
    assert conversation.slots["opportunities"]["active"] == "o1"
    # Globex's offer is Globex's: the view of Acme has no offer
    assert conversation.slots["facts"].get("stage", {}).get("value") != "offer"

    compared = payloads(conversation.say("which one should I go for", "evaluate_offer"))[-1]
    assert compared["kind"] == "comparison"
    assert {o["opportunity"] for o in compared["comparison"]["options"]} == {"Acme", "Globex"}
    assert compared["question"]["options"]             # asked for the priorities, once
    assert "question" not in conversation.slots["facts"]    # not filed as the offer dilemma

    again = payloads(conversation.say("growth matters most", "inform"))[-1]
    assert again["kind"] == "comparison" and again["question"] is None
    assert again["comparison"]["priorities"][0]["topic"] == "topic_growth"
    acme = next(o for o in again["comparison"]["options"] if o["opportunity"] == "Acme")
    growth = next(c for c in acme["cells"] if c["topic"] == "topic_growth")
    assert growth["status"] == "against" and growth["flags"] == ["Vague job description"]
    assert again["comparison"]["options"][0]["opportunity"] == "Globex"

    later = payloads(conversation.say("which should I pick?", "evaluate_offer"))[-1]
    assert later["kind"] == "comparison" and later["question"] is None    # never asked twice


def test_summary_of_all_and_of_one(conversation):
    conversation.say(TWO, "describe_interview")
    everything = payloads(conversation.say("summary", "ask_summary"))[-1]
    assert everything.get("opportunity") is None
    assert {f.get("opportunity") for f in everything["flags"]} == {"Acme"}
    one = conversation.say("what did you find about Globex?", "ask_summary")
    data = payloads(one)[-1]
    assert data["opportunity"] == "Globex" and data["flags"] == []
    assert "About Globex" in texts(one)


def test_the_withdrawal_draft_goes_to_the_company_they_no_longer_want(conversation):
    text = ("I'm in process with Massive Dynamic and Soylent. I'm not interested in Soylent "
            "anymore but I really want Massive Dynamic")
    conversation.say(text, "describe_interview")
    messages = conversation.start_draft("draft the withdrawal")
    assert conversation.slots["draft_id"] == "withdraw_application"
    assert conversation.slots["draft_values"].get("company") == "Soylent"
    assert "Soylent" in texts(messages)


def test_a_company_that_nlu_took_for_a_person_is_not_a_contact(conversation):
    """"one from Barclays at 62k": NLU tagged Barclays as a person; the bot keeps it as the
    second company, never notes it as the contact and never writes "Dear Barclays"."""
    text = ("i have 2 offers, one from a startup called Loopwise paying 70k fully remote and one "
            "from Barclays at 62k, 3 days in office")
    first = conversation.say(text, "describe_interview",
                             [entity(text, "Loopwise", "company"),
                              entity(text, "Barclays", "person_name")])
    names = {o["name"] for o in conversation.slots["opportunities"]["list"]}
    assert {"Loopwise", "Barclays"} <= names
    noted = [f for p in payloads(first) for f in p.get("facts") or []]
    assert {"Loopwise"} == {f["value"] for f in noted if f["id"] == "company"}
    assert not [f for f in noted if f["id"] == "person_name"], noted
    assert "contact: Barclays" not in texts(first)
    conversation.say("i want to turn down Barclays", "request_draft")
    values = conversation.slots.get("draft_values") or {}
    assert values.get("contact_name") != "Barclays", values


def test_a_comparison_asked_for_like_a_message_is_a_comparison(conversation):
    """ "put them next to each other for me" reads like a request for a message; with two
    options it asks for the comparison, whatever NLU made of it."""
    conversation.say(TWO, "describe_interview", [entity(TWO, "Acme", "company")])
    replies = payloads(conversation.say("put them next to each other for me", "request_draft"))
    assert replies and replies[-1]["kind"] == "comparison"
    assert {o["opportunity"] for o in replies[-1]["comparison"]["options"]} == {"Acme", "Globex"}


def test_a_direct_question_answered_by_a_comparison_gets_its_answer_first(conversation):
    """ "what would you do in my shoes, stay or go?" (round 15, dil15): the options side by
    side, after the direct answer to the question."""
    story = ("told my boss about the offer from Calloway Print and within a day they matched "
             "the money. i was mostly leaving cos theres no progression here")
    conversation.say(story, "evaluate_offer", [entity(story, "Calloway Print", "company")])
    for asked in ("what would you do in my shoes, stay or go?",
                  "be honest, stay or go? what would you do"):
        reply = payloads(conversation.say(asked, "evaluate_offer"))[-1]
        assert reply["kind"] == "comparison"
        assert reply["answer"]["text"].startswith("It depends")


def test_priorities_in_a_story_are_noted_beside_the_advice(conversation):
    story = ("ok so 2 offers now. Saltire pays 60k but it's 90 mins each way on the train, "
             "Brindle pays 52k and i can walk there. work life balance matters most to me, "
             "then pay")
    said = conversation.say(story, "describe_interview")
    advice = next(p for p in payloads(said) if p["kind"] == "advice")
    assert advice["opportunity"] in ("Saltire", "Brindle")
    assert any("what matters most to you: work-life balance" in n for n in advice["notes"])
    compared = payloads(conversation.say("which should i pick?", "evaluate_offer"))[-1]
    assert compared["kind"] == "comparison" and compared["question"] is None  # not asked again
    assert [p["topic"] for p in compared["comparison"]["priorities"]][:2] == \
        ["topic_work_life_balance", "topic_pay_and_title"]
