"""Intent names the dialogue code relies on - the one place they are written down.

``tests/actions/test_intents.py`` checks them against domain.yml: every intent here is declared
there, and every intent declared there is listed in :data:`ALL_INTENTS`.
This module imports nothing.
"""

from __future__ import annotations

GREET = "greet"
GOODBYE = "goodbye"
THANK = "thank"
AFFIRM = "affirm"
DENY = "deny"
BOT_CHALLENGE = "bot_challenge"
HELP = "help"
RESTART = "restart"
OUT_OF_SCOPE = "out_of_scope"
DESCRIBE_INTERVIEW = "describe_interview"
ASK_KEEP_INTERVIEWING = "ask_keep_interviewing"
ASK_WITHDRAW = "ask_withdraw"
EVALUATE_OFFER = "evaluate_offer"
REPORT_REJECTION = "report_rejection"
INFORM = "inform"
CORRECT = "correct"
ASK_WHY = "ask_why"
ASK_SUMMARY = "ask_summary"
REQUEST_DRAFT = "request_draft"
RATE_HELPFUL = "rate_helpful"
RATE_UNHELPFUL = "rate_unhelpful"
FORGET_ME = "forget_me"
#: Rasa's own: NLU below the fallback threshold
NLU_FALLBACK = "nlu_fallback"
#: a message the input guard refused (interview_advisor/guard.py): empty, too long, another
#: language, a typed /intent shortcut
UNREADABLE_INPUT = "unreadable_input"

ALL_INTENTS = (GREET, GOODBYE, THANK, AFFIRM, DENY, BOT_CHALLENGE, HELP, RESTART, OUT_OF_SCOPE,
               DESCRIBE_INTERVIEW, ASK_KEEP_INTERVIEWING, ASK_WITHDRAW, EVALUATE_OFFER,
               REPORT_REJECTION, INFORM, CORRECT, ASK_WHY, ASK_SUMMARY, REQUEST_DRAFT,
               RATE_HELPFUL, RATE_UNHELPFUL, FORGET_ME, UNREADABLE_INPUT)

ANSWER_INTENTS = (INFORM, AFFIRM, DENY, CORRECT)
#: intents whose words may hold red flags; in other messages ("what's the weather?", "why?",
#: "thanks") a detected flag is more likely noise than something that happened to the person
SIGNAL_INTENTS = (DESCRIBE_INTERVIEW, ASK_KEEP_INTERVIEWING, ASK_WITHDRAW, EVALUATE_OFFER,
                  REPORT_REJECTION, INFORM, CORRECT, REQUEST_DRAFT)
#: NLU was unsure: flags are held back until the two-stage fallback clarifies the intent
HOLD_INTENTS = (NLU_FALLBACK,)
#: small talk and out-of-scope intents with a canned reply - unless the message is long and
#: tells of red flags: then NLU misread a story ("thanks! so today the recruiter couldn't say
#: what the job is...") and the person gets advice, not "you're welcome"
SMALL_TALK_INTENTS = (THANK, GOODBYE, BOT_CHALLENGE, HELP, OUT_OF_SCOPE)
STORY_INTENTS = (GREET,) + SMALL_TALK_INTENTS
#: the dilemma an intent stands for (the `question` fact), when the words did not say it
INTENT_QUESTIONS = {ASK_KEEP_INTERVIEWING: "keep_interviewing", ASK_WITHDRAW: "back_out",
                    EVALUATE_OFFER: "evaluate_offer"}
#: facts an intent states by itself, when the words did not say them ("just got turned down by
#: Stark" is a rejection even when no phrase of the stage fact matched)
INTENT_FACTS = {REPORT_REJECTION: {"stage": "rejected"}}
#: intents that interrupt the draft form (answered, then the form asks again) - unless the
#: message looks like a plain answer: NLU often files a bare name ("Max", "Kim Lee") under them
INTERRUPT_INTENTS = (ASK_WHY, ASK_SUMMARY, HELP, OUT_OF_SCOPE, BOT_CHALLENGE, GOODBYE)
RATING_INTENTS = {RATE_HELPFUL: True, RATE_UNHELPFUL: False}

#: how the two-stage fallback describes an intent when it asks "did you mean ...?"
DESCRIPTIONS = {
    DESCRIBE_INTERVIEW: "tell me how an interview went",
    ASK_KEEP_INTERVIEWING: "ask whether to keep interviewing",
    ASK_WITHDRAW: "ask about withdrawing from a process",
    EVALUATE_OFFER: "talk about a job offer",
    REPORT_REJECTION: "tell me you were turned down",
    INFORM: "tell me something about your situation",
    CORRECT: "correct something I got wrong",
    ASK_WHY: "ask why I gave that advice",
    ASK_SUMMARY: "get a summary of everything so far",
    REQUEST_DRAFT: "have me draft a message",
    HELP: "know what I can do",
    GREET: "say hello",
    GOODBYE: "end the conversation",
    THANK: "say thanks",
    AFFIRM: "say yes",
    DENY: "say no",
    RESTART: "start over",
    BOT_CHALLENGE: "know whether I'm a bot",
    RATE_HELPFUL: "tell me my advice helped",
    RATE_UNHELPFUL: "tell me my advice didn't help",
    FORGET_ME: "have me delete what you told me",
}
