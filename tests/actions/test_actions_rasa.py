"""The Rasa custom actions with rasa_sdk trackers, the real Advisor and the real rule base.

Assertions are on returned events (SlotSet ...) and dispatched messages: text and, for the
rich channels, the reply model (``json_message={"reply": ...}``, which CollectingDispatcher
stores under ``custom``).
"""

from __future__ import annotations

import itertools

import pytest
import yaml
from rasa_sdk import Action

from actions import actions as rasa_actions
from actions import input_actions
from interview_advisor.dialogue.state import STATE_SLOTS
from interview_advisor.engine import MAX_TEXT_CHARS

from .conftest import ROOT, entity, make_tracker, payloads, run_action, slot_sets, texts

VAGUE = "the recruiter couldn't say what the job is"
PRAISE = "everyone was weirdly upbeat and nobody could name a single downside"



def analyze(domain, text, intent="describe_interview", entities=(), slots=None, **kw):
    tracker = make_tracker(text, intent, entities, slots or {}, **kw)
    return run_action(rasa_actions.ActionAnalyzeSituation(), tracker, domain)


# -- every message is merged into the state by the action that answers it --------------------

def merge(domain, text, intent, slots=None, message_id=None):
    """The state slots after the replying action (here the summary, which says nothing of the
    message itself) merged one message."""
    events, _ = run_action(rasa_actions.ActionSummarizeSituation(),
                           make_tracker(text, intent, slots=slots, message_id=message_id), domain)
    return events


def test_the_answering_action_sets_state_slots(domain):
    slots = slot_sets(merge(domain, VAGUE, "describe_interview", message_id="u1"))
    assert {"flags", "facts", "last_turn"} <= set(slots) <= set(STATE_SLOTS) | {"stage"}
    assert "vague_job_description" in slots["flags"]
    assert slots["last_turn"]["message_id"] == "u1"


def test_only_changed_slots_are_sent_back(domain):
    """Rasa ships every event to the action server on each call: unchanged state is not
    repeated, so the conversation does not get slower turn by turn."""
    slots = slot_sets(merge(domain, VAGUE, "describe_interview", message_id="u1"))
    changed = slot_sets(merge(domain, "ok", "affirm", slots=slots, message_id="u2"))
    assert "last_turn" in changed and "flags" not in changed and "facts" not in changed


def test_merging_is_idempotent_for_the_same_message(domain):
    slots = slot_sets(merge(domain, VAGUE, "describe_interview", message_id="u2"))
    assert merge(domain, VAGUE, "describe_interview", slots=slots, message_id="u2") == []


def test_entity_slots_follow_the_facts(domain):
    text = "it's an internal role, my manager will know"
    assert slot_sets(merge(domain, text, "inform"))["interview_type"] == "internal"


@pytest.mark.parametrize("action,text,intent", [
    (rasa_actions.ActionExplainAdvice, "why? oh and it's an internal role", "ask_why"),
    (rasa_actions.ActionSummarizeSituation, "summary please, it's an internal role btw",
     "ask_summary"),
    (rasa_actions.ActionAnswerSmallTalk, "thanks, it's an internal role by the way", "thank"),
    (rasa_actions.ActionGreetUser, "hi, it's about an internal role", "greet")])
def test_facts_in_any_message_are_kept(domain, action, text, intent):
    events, messages = run_action(action(), make_tracker(text, intent), domain)
    assert messages and slot_sets(events)["facts"]["interview_type"]["value"] == "internal"


# -- advice ---------------------------------------------------------------------------------

def test_description_gets_flags_advice_and_one_question(domain, advisor):
    events, messages = analyze(domain, VAGUE + ". " + PRAISE)
    replies = payloads(messages)
    assert [r["kind"] for r in replies] == ["intro", "advice"]     # the introduction, once
    text, payload = messages[1]["text"], replies[1]
    assert {f["id"] for f in payload["flags"]} == {"vague_job_description",
                                                     "overly_positive_acquaintances"}
    for flag in payload["flags"]:
        quote = flag["quotes"][0]
        assert f'"{quote["text"]}"' in text                       # the user's own words
        assert (VAGUE + ". " + PRAISE)[quote["start"]:quote["end"]] == quote["text"]
    assert 1 <= len(payload["advice"]) <= 3
    assert all(1 <= len(a["next_steps"]) <= 2 for a in payload["advice"])
    assert text.count("One question") == 1 and payload["question"]["text"] in text
    assert payload["rateable"] and [s["payload"] for s in payload["suggestions"]] == \
        ["why?", "summary", "draft it"]
    slots = slot_sets(events)
    assert slots["pending_question"] == payload["question"]["fact"]
    assert slots["asked_questions"] == [payload["question"]["fact"]]
    assert slots["last_advice"] == payload["rule_ids"]
    assert slots["introduced"] is True


def test_a_direct_question_first_gets_its_answer_then_an_introduction_that_follows_on(domain):
    """Found trying the bot: "Hi, I'm an interview advisor. Tell me in your own words ..."
    under the answer and the advice read as if the bot had not heard the question."""
    text = ("i got offered a promotion internally but i also have a final interview elsewhere "
            "next week. is it bad to go to the interview if i accept the promotion?")
    events, messages = analyze(domain, text, "ask_keep_interviewing")
    replies = payloads(messages)
    assert [r["kind"] for r in replies] == ["advice", "intro"]
    assert replies[0]["answer"]
    intro = messages[-1]["text"]
    assert not intro.startswith("Hi") and "Tell me in your own words" not in intro
    assert "Privacy:" in intro and "delete my data" in intro
    assert slot_sets(events)["introduced"] is True


def test_in_the_terminal_the_introduction_after_a_first_answer_comes_before_the_question(
        domain):
    """rasa shell shows messages one after another: the introduction that follows a direct
    answer opening the conversation goes inside the reply, before its choices and question,
    so the question stays the last thing on screen; channels with buttons keep it a message
    of its own (Slack's "delete my data" button is on it)."""
    text = ("i got offered a promotion internally but i also have a final interview elsewhere "
            "next week. is it bad to go to the interview if i accept the promotion?")
    events, messages = analyze(domain, text, "ask_keep_interviewing", channel="cmdline")
    _, rest = analyze(domain, text, "ask_keep_interviewing", channel="rest")
    assert len(messages) == 1 and slot_sets(events)["introduced"] is True
    shown = messages[0]["text"]
    intro = next(m["text"] for m in rest if "Privacy:" in m["text"])
    question = next(m["text"] for m in rest if m.get("buttons"))
    assert rest[-1]["text"] == intro                        # a message of its own there
    assert intro in shown and shown.index(intro) > 0        # the answer and advice first
    if question != "What next?":
        assert shown.splitlines()[-1].startswith(question), shown
        assert shown.index(intro) < shown.rindex(question)


def test_introduction_only_once(domain):
    _, messages = analyze(domain, VAGUE, slots={"introduced": True})
    assert [r["kind"] for r in payloads(messages)] == ["advice"]


FACT_COMBINATIONS = list(itertools.product(["internal", "external"],
                                           ["interested", "not_interested"],
                                           ["upcoming", "done", "rejected", "offer"]))


@pytest.mark.parametrize("interview_type,interest,stage", FACT_COMBINATIONS)
def test_advice_for_fact_combinations(domain, advisor, interview_type, interest, stage):
    """Entities and earlier facts combine; the advice is the core's for the same facts."""
    text = f"it's {interview_type}, stage {stage}"
    facts = {"interest": {"value": interest, "source": "given"}}
    entities = [entity(text, interview_type, "interview_type"),
                entity(text, stage, "stage")]
    events, messages = analyze(domain, text, "inform", entities,
                               slots={"facts": facts, "introduced": True})
    slots = slot_sets(events)
    implied = {"employed": True} if interview_type == "internal" else {}  # an internal role
    assert {k: v["value"] for k, v in slots["facts"].items()} == {
        "interview_type": interview_type, "stage": stage, "interest": interest, **implied}
    assert slots["interview_type"] == interview_type and slots["stage"] == stage
    expected = advisor.analyze("", {"interview_type": interview_type, "stage": stage,
                                    "interest": interest})
    payload = payloads(messages)[-1]
    assert payload["rule_ids"] == [a.rule for a in expected.advice[:3]]
    asked = payload["question"]
    assert asked is None or asked["fact"] not in slots["facts"]
    assert "Internal or external interview" in messages[0]["text"]    # acknowledged


def test_bare_yes_answers_the_pending_boolean_question(domain):
    slots = {"pending_question": "recent_improvement", "asked_questions": ["recent_improvement"],
             "introduced": True}
    events, messages = analyze(domain, "yes", "affirm", slots=slots)
    facts = slot_sets(events)["facts"]
    assert facts["recent_improvement"]["value"] is True
    assert facts["recent_improvement"]["source"] == "answer"
    assert slot_sets(events)["pending_question"] != "recent_improvement"


def test_enum_answer_in_words(domain):
    slots = {"pending_question": "interview_type", "asked_questions": ["interview_type"],
             "introduced": True}
    events, _ = analyze(domain, "it's at another company", "inform", slots=slots)
    assert slot_sets(events)["facts"]["interview_type"]["value"] == "external"


def test_unclear_answer_asks_again_with_options(domain):
    slots = {"pending_question": "stage", "asked_questions": ["stage"], "introduced": True}
    events, messages = analyze(domain, "yes", "affirm", slots=slots)
    assert len(messages) == 1 and "didn't catch your answer" in messages[0]["text"]
    reply = payloads(messages)[-1]
    assert reply["kind"] == "question" and reply["question"]["repeat"]
    assert [o["value"] for o in reply["question"]["options"]] == \
        ["upcoming", "done", "rejected", "offer"]
    assert "pending_question" not in slot_sets(events)  # unchanged: still "stage"
    assert "asked_questions" not in slot_sets(events)   # unchanged: still ["stage"]


def test_empty_message_gets_a_polite_reply(domain):
    _, messages = analyze(domain, "", "describe_interview", slots={"introduced": True})
    assert "didn't get any words" in texts(messages)


def test_long_message_says_it_was_cut(domain):
    text = "they were vague about the role. " * (MAX_TEXT_CHARS // 20)
    _, messages = analyze(domain, text, slots={"introduced": True})
    assert f"first {MAX_TEXT_CHARS:,}" in texts(messages)
    assert payloads(messages)[-1]["notes"]


@pytest.mark.parametrize("channel", ["rest", "telegram", ""])
def test_text_channels_get_text_and_buttons_never_json(domain, channel):
    _, messages = analyze(domain, VAGUE, slots={"introduced": True}, channel=channel)
    assert payloads(messages) == [] and "Red flags" in texts(messages)
    assert "{" not in texts(messages)
    titles = [b["title"] for m in messages for b in m.get("buttons", [])]
    assert titles[-3:] == ["Why?", "Summary", "Draft it"]
    assert len(messages[-1]["text"]) < 200          # the buttons' title stays short


def test_the_terminal_gets_its_choices_as_words_to_type_not_a_menu(domain):
    """rasa shell (channel cmdline) turns buttons into an arrow-key menu that swallows typed
    text, so the terminal gets one message, without buttons, whose text offers every choice
    the buttons would have: the question's options after it, and the suggestions."""
    _, messages = analyze(domain, VAGUE, slots={"introduced": True}, channel="cmdline")
    _, rest = analyze(domain, VAGUE, slots={"introduced": True}, channel="rest")
    assert len(messages) == 1 and not messages[0].get("buttons") and payloads(messages) == []
    text = messages[0]["text"]
    assert "Red flags" in text and "{" not in text
    offered = [b["payload"] for m in rest for b in m.get("buttons", [])]
    assert offered, rest            # the same reply on a channel with buttons offers choices
    for payload in offered:
        assert f'"{payload.rstrip("?")}' in text or payload in text.splitlines()[-1], \
            (payload, text)
    question = rest[-1]["text"]     # the question closes the message, as it did the menu
    if question != "What next?":
        assert text.splitlines()[-1].startswith(question), (question, text)


@pytest.mark.parametrize("channel", ["webchat", "slack"])
def test_rich_channels_get_the_reply_model_and_its_text(domain, channel):
    from interview_advisor.dialogue.render_text import render_text
    from interview_advisor.dialogue.reply import Reply
    _, messages = analyze(domain, VAGUE, slots={"introduced": True}, channel=channel)
    reply = payloads(messages)[-1]
    assert reply["schema"] == "interview-advisor/reply" and reply["version"] == 1
    assert messages[0]["text"] == render_text(Reply.from_json(reply))
    assert not messages[0].get("buttons")       # the channel renders them from the model


# -- whole conversations --------------------------------------------------------------------

def test_facts_accumulate_and_a_later_message_changes_the_advice(conversation, advisor):
    conversation.say("I had the interview yesterday, it was fine", "describe_interview")
    first = list(conversation.slots["last_advice"])
    text = "I'm not interested in this job anymore"
    messages = conversation.say(text, "inform")
    assert conversation.slots["facts"]["interest"]["value"] == "not_interested"
    assert conversation.slots["facts"]["stage"]["value"] == "done"
    assert conversation.slots["last_advice"] != first
    assert payloads(messages)[-1]["rule_ids"] == conversation.slots["last_advice"]


def test_correction_withdraws_a_flag_and_changes_the_advice(conversation):
    conversation.say(VAGUE + ". " + PRAISE, "describe_interview")
    before = list(conversation.slots["last_advice"])
    text = "they weren't vague actually"
    messages = conversation.say(text, "correct",
                                [entity(text, "vague", "red_flag", "vague_job_description")])
    assert "taken back" in texts(messages)
    payload = payloads(messages)[-1]
    assert payload["kind"] == "correction"
    assert [w["id"] for w in payload["withdrawn"]] == ["vague_job_description"]
    assert "vague_job_description" not in conversation.slots["flags"]
    assert conversation.slots["withdrawn_flags"] == ["vague_job_description"]
    assert conversation.slots["last_advice"] != before


def test_correction_replaces_a_fact(conversation):
    conversation.say("it's an internal role, my manager will know", "describe_interview")
    text = "no, it's external actually"
    messages = conversation.say(text, "correct", [entity(text, "external", "interview_type")])
    assert "Corrected" in texts(messages) and "external (was: internal)" in texts(messages)
    assert conversation.slots["facts"]["interview_type"]["value"] == "external"
    assert conversation.slots["interview_type"] == "external"


def test_a_description_filed_under_correct_is_answered_as_a_description(conversation):
    text = "the recruiter was vague about the role"
    messages = conversation.say(text, "correct",
                                [entity(text, "vague", "red_flag", "vague_job_description")])
    assert conversation.slots["flags"] and conversation.slots["withdrawn_flags"] == []
    assert payloads(messages)[-1]["kind"] == "advice"
    assert "Red flags I noticed" in texts(messages)


def test_unclear_correction_asks_what_to_fix(conversation):
    conversation.say(VAGUE, "describe_interview")
    messages = conversation.say("that's not right", "correct")
    assert "not sure what to correct" in texts(messages)


def test_why_quotes_the_rule_conditions_and_words(conversation):
    conversation.say(VAGUE, "describe_interview")
    messages = conversation.say("why?", "ask_why")
    payload = payloads(messages)[-1]
    assert payload["kind"] == "why"
    assert [e["rule"] for e in payload["explanations"]] == conversation.slots["last_advice"]
    quote_ = conversation.slots["flags"]["vague_job_description"][0]["quote"]
    assert f'"{quote_}"' in texts(messages)
    assert conversation.slots["last_advice"][0] in texts(messages)


def test_a_first_message_with_a_direct_question_gets_the_answer_before_the_introduction(
        conversation):
    messages = conversation.say("Hollis offered me a job yesterday but i think i'll say no. is "
                                "it rude to turn down an offer?", "evaluate_offer")
    kinds = [p["kind"] for p in payloads(messages)]
    assert kinds[0] == "advice" and "intro" in kinds[1:]
    assert texts(messages).startswith("No")
    again = conversation.say("is it rude to turn down an offer?", "evaluate_offer")
    assert "intro" not in [p["kind"] for p in payloads(again)]


def test_why_asked_with_the_first_news_explains_the_advice_just_shown(conversation):
    """"im not into it anymore, why pull out now": no advice was shown before this message, so
    the reasons are those of the advice it gets."""
    messages = conversation.say("so i'm not interested in that job anymore, but why back out "
                                "now", "inform")
    kinds = [p["kind"] for p in payloads(messages)]
    assert kinds[-1] == "why" and "advice" in kinds
    why = payloads(messages)[-1]
    assert [e["rule"] for e in why["explanations"]] == conversation.slots["last_advice"]


def test_summary_lists_everything_as_a_checklist(conversation):
    text = f"{VAGUE} at Initech"
    conversation.say(text, "describe_interview", [entity(text, "Initech", "company")])
    conversation.say("I'm not interested in it", "inform")
    messages = conversation.say("summary", "ask_summary")
    summary = texts(messages)
    assert "Red flags" in summary and "Company: Initech" in summary and "[ ]" in summary
    payload = payloads(messages)[-1]
    assert payload["kind"] == "summary"
    assert sum(len(a["next_steps"]) for a in payload["advice"]) == summary.count("[ ]") > 0
    assert set(conversation.slots["last_advice"]) <= set(payload["rule_ids"])


def test_greeting_introduces_once_then_says_hi(conversation):
    first = conversation.say("hi", "greet")
    assert [r["kind"] for r in payloads(first)] == ["intro"]
    assert "Privacy" in texts(first)
    second = conversation.say("hello again", "greet")
    assert [r["kind"] for r in payloads(second)] == ["greeting"]


@pytest.mark.parametrize("text,intent,kind,words", [
    ("thanks a lot!", "thank", "small_talk", "You're welcome"),
    ("bye", "goodbye", "small_talk", "Good luck"),
    ("are you a real person?", "bot_challenge", "small_talk", "I'm a bot"),
    ("what can you do", "help", "small_talk", "Here's what I can do"),
    ("what's the weather like in Paris tomorrow", "out_of_scope", "out_of_scope",
     "Sorry, that's outside what I can help with"),
    # short, or long without a red flag: still small talk
    ("thanks, the recruiter was vague", "thank", "small_talk", "You're welcome"),
    ("thank you so much for all of this, I will think about it over the weekend and come back",
     "thank", "small_talk", "You're welcome")])
def test_small_talk_gets_its_reply(conversation, text, intent, kind, words):
    conversation.slots["introduced"] = True
    messages = conversation.say(text, intent)
    assert [r["kind"] for r in payloads(messages)] == [kind]
    assert texts(messages).startswith(words)
    assert not conversation.slots.get("flags")


STORY = ("thanks for earlier! so today I had the second interview and the manager couldn't "
         "tell me what the job actually is, nobody knew who I would report to")


@pytest.mark.parametrize("intent", ["thank", "out_of_scope", "greet", "goodbye", "help"])
def test_a_long_story_misread_as_small_talk_gets_advice(conversation, intent):
    messages = conversation.say(STORY, intent)
    data = payloads(messages)[-1]
    assert data["kind"] == "advice"
    assert "vague_job_description" in [f["id"] for f in data["flags"]]
    assert "vague_job_description" in conversation.slots["flags"]
    assert "couldn't tell me what the job actually is" in texts(messages)


@pytest.mark.parametrize("text", ["what should i do", "so what now?", "any advice?"])
def test_asking_what_to_do_after_a_story_gets_the_advice_not_the_menu(conversation, text):
    """NLU files "what should i do" under help; after a story the person wants the advice."""
    conversation.say(VAGUE, "describe_interview")
    messages = conversation.say(text, "help")
    data = payloads(messages)[-1]
    assert data["kind"] == "advice" and data["rule_ids"]
    assert "Here's what I can do" not in texts(messages)


@pytest.mark.parametrize("intent", ["help", "describe_interview", "ask_summary"])
def test_asking_what_to_ask_them_gets_the_questions_to_ask(conversation, intent):
    conversation.say(VAGUE, "describe_interview")
    messages = conversation.say("what questions should I ask them?", intent)
    data = payloads(messages)[-1]
    assert data["kind"] == "advice" and data["advice"]
    assert all(a["questions_to_ask"] for a in data["advice"])
    assert "Questions to ask them:" in texts(messages)


def test_asking_what_to_do_with_nothing_told_gets_the_menu(conversation):
    conversation.slots["introduced"] = True
    messages = conversation.say("what should i do", "help")
    assert texts(messages).startswith("Here's what I can do")


# -- drafts ---------------------------------------------------------------------------------

def test_draft_from_the_situation_with_known_details(conversation):
    text = "I'm not interested in the data analyst job at Initech anymore, should I withdraw?"
    conversation.say(text, "ask_withdraw", [entity(text, "Initech", "company"),
                                            entity(text, "data analyst", "role")])
    messages = conversation.start_draft("draft it")
    assert conversation.slots["draft_id"] == "withdraw_application"
    assert "Withdraw from an interview process" in texts(messages)
    assert "How would you like to sign" in texts(messages)      # company and role are known
    messages = conversation.answer_form("Kim", "inform", [entity("Kim", "Kim", "person_name")])
    draft = payloads(messages)[-1]
    assert draft["kind"] == "draft" and draft["draft"]["id"] == "withdraw_application"
    letter = draft["draft"]["text"]
    assert "Initech" in letter and "data analyst" in letter
    assert "Kim" in letter and draft["draft"]["missing"] == []
    assert conversation.slots["draft_answer"] is None and conversation.slots["draft_id"] is None
    assert conversation.slots["draft_memory"]["your_name"] == "Kim"


def test_draft_type_entity_picks_the_template(conversation):
    text = "help me write a thank you note to Sam"
    conversation.say("they turned me down", "report_rejection")
    messages = conversation.start_draft(text, [entity(text, "thank you note", "draft_type",
                                                      "thank_you"),
                                               entity(text, "Sam", "person_name")])
    assert conversation.slots["draft_id"] == "thank_you_after_rejection"
    assert conversation.slots["draft_values"]["contact_name"] == "Sam"
    assert "Which company" in texts(messages)


def test_draft_skip_and_interruption_then_finish(conversation):
    conversation.start_draft("write the withdrawal email",
                             [entity("write the withdrawal email", "withdrawal", "draft_type")])
    assert conversation.slots["draft_pending"] == "company"
    # an interruption inside the form: answered, then the form asks again
    why = run_action(rasa_actions.ActionExplainAdvice(),
                     make_tracker("why?", "ask_why", slots=conversation.slots,
                                  active_loop="draft_form"), conversation.domain)[1]
    assert "haven't given you any advice" in texts(why)
    assert "Which company" in texts(conversation.ask_form())
    messages = conversation.answer_form("skip", "deny")
    assert "Skipped" in texts(messages) and "role" in texts(messages)
    conversation.answer_form("the role is product manager")
    messages = conversation.answer_form("Kim")
    draft = payloads(messages)[-1]["draft"]
    assert "[company]" in draft["text"] and "product manager" in draft["text"]
    assert draft["missing"] == ["company"]


@pytest.mark.parametrize("text,intent", [
    ("why?", "ask_why"), ("can I get a summary", "ask_summary"), ("help", "help"),
    ("what's the weather like", "out_of_scope"), ("are you a bot?", "bot_challenge"),
    ("bye", "goodbye")])
def test_questions_inside_the_form_reject_it(conversation, text, intent):
    conversation.start_draft("draft a withdrawal",
                             [entity("draft a withdrawal", "withdrawal", "draft_type")])
    messages = conversation.answer_form(text, intent)
    assert conversation.rejected and messages == []
    assert conversation.slots["draft_answer"] is None
    assert conversation.slots["draft_pending"] == "company"        # still waiting for it
    assert "Which company" in texts(conversation.ask_form())


@pytest.mark.parametrize("text,intent", [("Max", "out_of_scope"), ("Kim Lee", "goodbye"),
                                         ("Initech", "help")])
def test_a_bare_name_is_an_answer_whatever_nlu_says(conversation, text, intent):
    conversation.start_draft("draft a withdrawal",
                             [entity("draft a withdrawal", "withdrawal", "draft_type")])
    conversation.answer_form(text, intent)
    assert not conversation.rejected
    assert conversation.slots["draft_values"]["company"] == text


def test_draft_stop_drops_it(conversation):
    conversation.start_draft("draft a withdrawal",
                             [entity("draft a withdrawal", "withdrawal", "draft_type")])
    messages = conversation.answer_form("stop", "deny")
    assert "dropped the draft" in texts(messages)
    assert [r["kind"] for r in payloads(messages)] == ["draft_step"]
    assert conversation.slots["draft_cancelled"] is False and conversation.active_loop is None


def test_draft_asks_which_message_when_nothing_points_to_one(conversation):
    messages = conversation.start_draft("draft it")
    assert "Which message should I write?" in texts(messages)
    conversation.answer_form("the thank you one")
    assert conversation.slots["draft_id"] == "thank_you_after_interview"


def test_draft_without_missing_details_is_presented_at_once(conversation):
    conversation.slots["draft_memory"] = {"your_name": "Kim"}
    text = "I don't want the data analyst job at Initech, please draft a withdrawal"
    conversation.say("I'm not interested in the job", "ask_withdraw")
    messages = conversation.start_draft(text, [entity(text, "data analyst", "role"),
                                               entity(text, "Initech", "company"),
                                               entity(text, "withdrawal", "draft_type")])
    assert payloads(messages)[-1]["kind"] == "draft"


def test_validate_draft_form_returns_slot_events(domain):
    slots = {"draft_id": "withdraw_application", "draft_values": {}, "draft_pending": "company"}
    tracker = make_tracker("Initech", "inform", [entity("Initech", "Initech", "company")],
                           slots, active_loop="draft_form",
                           events=[{"event": "action", "name": "draft_form"},
                                   {"event": "slot", "name": "draft_answer",
                                    "value": "Initech"}])
    events, _ = run_action(rasa_actions.ValidateDraftForm(), tracker, domain)
    slots = slot_sets(events)
    assert slots["draft_values"] == {"company": "Initech"}
    assert slots["draft_pending"] == "role" and slots["draft_answer"] is None
    assert "requested_slot" not in slots      # the form goes on asking for draft_answer


# -- fallback -------------------------------------------------------------------------------

def test_ask_affirmation_names_the_intent_in_words(domain):
    tracker = make_tracker("hmm the thing", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.5},
                                                {"name": "describe_interview", "confidence": 0.4}]
    _, messages = run_action(rasa_actions.ActionDefaultAskAffirmation(), tracker, domain)
    assert "tell me how an interview went" in messages[0]["text"]
    reply = payloads(messages)[0]
    assert reply["kind"] == "fallback"
    assert [b["payload"] for b in reply["suggestions"]] == ["/describe_interview",
                                                            "/out_of_scope"]


def test_ask_affirmation_without_candidates_asks_to_rephrase(domain):
    _, messages = run_action(rasa_actions.ActionDefaultAskAffirmation(),
                             make_tracker("???", "nlu_fallback"), domain)
    assert payloads(messages)[0]["kind"] == "fallback"
    assert "put it another way" in messages[0]["text"]


def unsure(conversation, text, ranking):
    """An nlu_fallback message with NLU's ranking after it; returns the dispatched messages."""
    tracker = conversation.tracker(text, "nlu_fallback", [], f"unsure-{len(conversation.events)}")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4}] + \
        [{"name": name, "confidence": 0.3} for name in ranking]
    events, messages = run_action(rasa_actions.ActionAnswerUnsureMessage(), tracker,
                                  conversation.domain)
    if any(e.get("event") == "followup" for e in events):
        # Rasa runs the two-stage fallback next; its first stage is our ask-affirmation action
        events, messages = run_action(rasa_actions.ActionDefaultAskAffirmation(), tracker,
                                      conversation.domain)
    conversation.apply(events)
    return messages


def test_an_unsure_message_nothing_answers_hands_over_to_the_two_stage_fallback(domain):
    tracker = make_tracker("hmm the thing", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4},
                                                {"name": "describe_interview", "confidence": 0.3}]
    events, messages = run_action(rasa_actions.ActionAnswerUnsureMessage(), tracker, domain)
    assert messages == []
    assert events == [{"event": "followup", "name": "action_two_stage_fallback",
                       "timestamp": None}]


def test_an_unsure_direct_question_gets_its_answer(conversation):
    conversation.say("I want to pull out of the process, the interview is next week",
                     "ask_withdraw")
    reply = payloads(unsure(conversation, "do i need to tell them why though?",
                            ["request_draft"]))[-1]
    assert reply["kind"] == "advice" and reply["answer"]["text"].startswith("No")


def test_an_unsure_message_that_tells_something_new_is_read(conversation):
    conversation.say("the recruiter couldn't say what the job is", "describe_interview")
    messages = unsure(conversation, "sum it up, oh and I got the offer yesterday",
                      ["ask_summary", "evaluate_offer"])
    assert payloads(messages)[-1]["kind"] == "summary" and "offer" in texts(messages)
    assert conversation.slots["stage"] == "offer"


def test_an_unsure_what_now_gets_the_advice(conversation):
    conversation.say(PRAISE, "describe_interview")
    messages = unsure(conversation, "ok so what do I do now", ["help"])
    assert payloads(messages)[-1]["kind"] == "advice" and "not sure I understood" not in \
        texts(messages)


def test_an_unsure_message_with_nothing_to_go_on_still_asks(conversation):
    conversation.say(PRAISE, "describe_interview")
    messages = unsure(conversation, "hmm the thing with the stuff", ["describe_interview"])
    assert payloads(messages)[-1]["kind"] == "fallback"


def test_an_unsure_first_message_naming_a_company_is_the_start_of_a_story(conversation):
    messages = unsure(conversation, "need some advice about a claims analyst job at Glenholm "
                      "Insurance", ["describe_interview"])
    kinds = [p["kind"] for p in payloads(messages)]
    assert "fallback" not in kinds and "advice" in kinds
    assert "Glenholm Insurance" in texts(messages)
    assert payloads(messages)[-1]["question"] or payloads(messages)[0]["question"]


def test_an_unsure_message_that_says_again_what_is_known_gets_the_advice(conversation):
    """"ok yeah im out" after asking whether it is too late to bail: a confirmation."""
    conversation.say("im 2 rounds into the Gildersleeve process and tbh the more i hear the "
                     "less i like it. is it too late to bail", "ask_withdraw")
    assert conversation.slots["facts"]["interest"]["value"] == "not_interested"
    messages = unsure(conversation, "ok yeah im out. they were nice tho so i dont want to be "
                      "rude about it", ["correct"])
    kinds = [p["kind"] for p in payloads(messages)]
    assert "fallback" not in kinds and "advice" in kinds


def test_an_unsure_message_naming_a_company_midway_still_asks(conversation):
    """Once a story is told, a new name alone is no news to answer with advice."""
    conversation.say(PRAISE, "describe_interview")
    messages = unsure(conversation, "hmm the thing with Glenholm Insurance",
                      ["describe_interview"])
    assert payloads(messages)[-1]["kind"] == "fallback"


def test_an_out_of_scope_message_naming_opportunities_gets_advice(conversation):
    text = "applications out at Garrow Digital, Pellin Homes and a small charity near my mum's"
    messages = conversation.say(text, "out_of_scope")
    assert "outside what I can help with" not in texts(messages)
    assert "advice" in [p["kind"] for p in payloads(messages)]
    assert "Pellin Homes" in texts(messages)


def test_every_action_in_the_domain_is_implemented(domain):
    """The action classes of actions/actions.py (and actions/input_actions.py) and the domain's
    custom actions are the same set: nothing declared without code, no code the domain does not
    know."""
    implemented = {cls().name() for module in (rasa_actions, input_actions)
                   for cls in vars(module).values()
                   if isinstance(cls, type) and issubclass(cls, Action)
                   and cls.__module__ == module.__name__}
    declared = {a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]}
    assert implemented == declared


def test_actions_that_read_the_domain_receive_it(domain):
    """endpoints.yml sends the domain only to actions marked send_domain (selective domain);
    the form validator reads the form's required slots from it."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True
    marked = {next(iter(a)) for a in domain["actions"]
              if isinstance(a, dict) and next(iter(a.values())).get("send_domain")}
    assert marked == {"validate_draft_form"}


def test_fallback_yes_button_analyses_the_original_words(domain):
    """After "did you mean ...?" -> Yes, the clarified message is only "/describe_interview";
    the advice still comes from the words the person wrote."""
    original = {"event": "user", "text": VAGUE + " at Initech",
                "parse_data": {"intent": {"name": "nlu_fallback"},
                               "entities": [{"entity": "company", "value": "Initech"}]}}
    button = {"event": "user", "text": "/describe_interview",
              "parse_data": {"intent": {"name": "describe_interview"}, "entities": []}}
    tracker = make_tracker("/describe_interview", "describe_interview",
                           slots={"introduced": True}, events=[original, button, button])
    events, messages = run_action(rasa_actions.ActionAnalyzeSituation(), tracker, domain)
    assert "vague_job_description" in slot_sets(events)["flags"]
    assert slot_sets(events)["company"] == "Initech"       # the reverted slot, set again
    assert "Red flags I noticed" in texts(messages)


# -- feedback -------------------------------------------------------------------------------

def flushed(store):
    """The store, once the action server's writer thread has written what it was given."""
    from actions import feedback_service

    feedback_service.flush()
    return store


def test_ratings_are_stored_against_the_rules_shown(conversation, feedback_db):
    from interview_advisor.feedback import FeedbackStore
    conversation.say(VAGUE, "describe_interview")
    shown = list(conversation.slots["last_advice"])
    assert shown
    helped = conversation.say("that helped", "rate_helpful")
    assert "glad it helped" in texts(helped) and payloads(helped)[-1]["rule_ids"] == shown
    not_helped = conversation.say("not helpful", "rate_unhelpful")
    assert "didn't help" in texts(not_helped)
    rows = {row.rule_id: row for row in flushed(FeedbackStore(feedback_db)).report()}
    assert set(rows) == set(shown)
    for rule in shown:
        assert (rows[rule].shown, rows[rule].helpful, rows[rule].not_helpful) == (1, 1, 1)


def test_a_rating_before_any_advice_stores_nothing(conversation, feedback_db):
    from interview_advisor.feedback import FeedbackStore
    messages = conversation.say("that helped", "rate_helpful")
    assert "no advice to rate yet" in texts(messages)
    assert flushed(FeedbackStore(feedback_db)).report() == []


@pytest.mark.parametrize("text", ["ur useless, waste of my time", "this is going nowhere",
                                  "you're not listening to a word i say"])
def test_frustration_before_any_advice_is_answered_calmly(conversation, feedback_db, text):
    """Frustration with the bot before it has advised: an apology, what it can do and how to
    go on - not a thank-you for a rating, not the fallback; nothing is stored."""
    from interview_advisor.feedback import FeedbackStore
    reply = texts(conversation.say(text, "rate_unhelpful"))
    assert "Sorry" in reply and "red flags" in reply and '"help"' in reply
    assert "Thanks!" not in reply
    assert flushed(FeedbackStore(feedback_db)).report() == []


def test_a_rest_client_can_ask_for_the_reply_model(domain):
    events = [{"event": "user", "text": VAGUE, "input_channel": "rest",
               "metadata": {"reply_model": True}}]
    tracker = make_tracker(VAGUE, "describe_interview", slots={"introduced": True},
                           channel="rest")
    tracker.events[:] = events  # the latest user event carries the metadata
    _, messages = run_action(rasa_actions.ActionAnalyzeSituation(), tracker, domain)
    assert payloads(messages)[0]["kind"] == "advice"
    tracker.events[0]["metadata"] = {"reply_model": "yes"}   # only a real true counts
    _, messages = run_action(rasa_actions.ActionAnalyzeSituation(), tracker, domain)
    assert payloads(messages) == [] and not messages[0]["buttons"] and messages[-1]["buttons"]
    assert messages[-1]["text"].startswith("One question")   # the choices' own short message


# -- delete my data -------------------------------------------------------------------------

def test_forget_me_asks_then_deletes_ratings_and_marks_the_conversation(conversation,
                                                                        feedback_db):
    from interview_advisor.feedback import FeedbackStore
    conversation.say(VAGUE, "describe_interview")
    conversation.say("that helped", "rate_helpful")
    assert flushed(FeedbackStore(feedback_db)).report()
    asked = conversation.say("delete my data", "forget_me")
    assert payloads(asked)[-1]["question"]["options"][0]["value"] == "yes"
    assert conversation.slots["forget_pending"] is True
    events, messages = run_action(rasa_actions.ActionForgetUser(),
                                  make_tracker("yes", "affirm", slots=conversation.slots),
                                  conversation.domain)
    assert [e["event"] for e in events] == ["restart", "slot"]
    assert slot_sets(events) == {"forget_confirmed": True}
    assert "deleted" in texts(messages)
    assert flushed(FeedbackStore(feedback_db)).report() == []


def test_an_unanswered_forget_question_lapses(conversation):
    conversation.say(VAGUE, "describe_interview")
    conversation.say("delete my data", "forget_me")
    conversation.say("why?", "ask_why")
    assert conversation.slots["forget_pending"] is False


def test_a_direct_question_filed_as_a_draft_request_is_answered(conversation):
    conversation.say("it's an internal role and my manager doesn't know yet", "inform")
    messages = conversation.start_draft("should I tell my manager?")
    replies = payloads(messages)
    assert replies[0]["kind"] == "advice" and replies[0]["answer"]["text"].startswith("Yes")
    assert conversation.slots["draft_answer"] is None and not conversation.slots["draft_id"]
    assert [r["kind"] for r in replies] == ["advice"]       # no "dropped the draft" note


def test_what_to_ask_filed_as_a_draft_request_gets_the_advice(conversation):
    conversation.say(PRAISE, "describe_interview")
    messages = conversation.start_draft("ok so what should I ask them then?")
    assert [r["kind"] for r in payloads(messages)] == ["advice"]
    assert payloads(messages)[0]["advice"] and not conversation.slots["draft_id"]


def test_a_real_draft_request_with_a_question_mark_is_still_a_draft(conversation):
    conversation.say("it's an internal role and my manager doesn't know yet", "inform")
    messages = conversation.start_draft("can you write what I should tell my manager?")
    assert conversation.slots["draft_id"] == "tell_manager_internal"
    assert "Let's write it" in texts(messages)


def test_a_draft_looks_back_no_further_than_the_windowed_store_keeps():
    """The windowed tracker store keeps at least KEEP_TURNS user turns; a draft that looked
    further back for a contact's name would read differently with and without the window."""
    from stores.windows import KEEP_TURNS

    assert rasa_actions.EARLIER_MESSAGES + 1 <= KEEP_TURNS
    events = [{"event": "user", "text": f"message {n}"} for n in range(10)]
    tracker = make_tracker("message 9", "inform")
    tracker.events = events
    assert rasa_actions.earlier_texts(tracker) == ["message 6", "message 7", "message 8"]


@pytest.mark.parametrize("guess", ["rate_unhelpful", "thank", "ask_summary"])
def test_an_unsure_story_guessed_as_feedback_keeps_its_red_flag(conversation, guess):
    """NLU unsure, its best guess an intent red flags are not read under, a story intent close
    behind: the vague role a pattern finds is not lost (nor read as an answer only)."""
    conversation.say("i had a second interview at Orbis on monday", "describe_interview")
    messages = unsure(conversation, "dunno what the role even is honestly",
                      [guess, "describe_interview", "inform"])
    reply = payloads(messages)[-1]
    assert "vague_job_description" in [f["id"] for f in reply["flags"]]


def test_an_unsure_message_without_a_red_flag_keeps_the_best_guess(conversation):
    conversation.say(PRAISE, "describe_interview")
    messages = unsure(conversation, "ok so what do I do now", ["help", "describe_interview"])
    assert payloads(messages)[-1]["kind"] == "advice"
