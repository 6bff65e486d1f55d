"""Reading answers and corrections: which fact value, yes/no, skip or stop, and which red flag
a few words refer to.

The everyday word lists live here for now; they are domain knowledge and move into the rule base.
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from interview_advisor import Advisor

from .state import State
from .text import contains_phrase, normalise, word_count

#: extra everyday words for the values of well-known facts (the value name and the option
#: label from rules/facts.yml always count too)
OPTION_WORDS: Dict[str, Dict[str, Sequence[str]]] = {
    "interview_type": {
        "internal": ["internal", "internally", "in house", "inhouse", "current company",
                     "my company", "same company", "my employer", "current employer",
                     "where i work", "my own company", "another team", "different team",
                     "another department"],
        "external": ["external", "externally", "another company", "other company",
                     "different company", "new company", "elsewhere", "outside",
                     "somewhere else", "a different employer", "another employer"],
    },
    "stage": {
        "upcoming": ["upcoming", "ahead", "not yet", "havent had", "hasnt happened", "tomorrow",
                     "next week", "coming up", "still to come", "soon", "later this week"],
        "done": ["done", "already had", "had it", "had the interview", "finished", "its over",
                 "yesterday", "this morning", "last week", "happened already", "already"],
        "rejected": ["rejected", "turned me down", "didnt get", "did not get", "rejection",
                     "no luck", "said no"],
        "offer": ["offer", "offered", "got the job"],
    },
    "interest": {
        "interested": ["interested", "keen", "want it", "i want", "really want", "excited",
                       "very much", "a lot"],
        "unsure": ["unsure", "not sure", "maybe", "dont know", "on the fence", "torn", "mixed",
                   "undecided", "no idea"],
        "not_interested": ["not interested", "not really", "dont want", "no interest",
                           "not keen", "not at all", "nope", "meh"],
    },
    "current_satisfaction": {
        "satisfied": ["happy", "satisfied", "like it", "love it", "love my job", "good", "great"],
        "mixed": ["mixed", "so so", "ok", "okay", "alright", "its fine", "fine", "meh"],
        "unsatisfied": ["unhappy", "hate", "miserable", "unsatisfied", "dissatisfied",
                        "not happy", "bad", "awful", "terrible"],
    },
}

YES_WORDS = ("yes", "yeah", "yep", "yup", "ya", "y", "sure", "correct", "true", "definitely",
             "absolutely", "of course", "i do", "they do", "he does", "she does", "it has",
             "i am", "100")
NO_WORDS = ("no", "nope", "nah", "n", "not really", "never", "negative", "false", "i dont",
            "i do not", "they dont", "he doesnt", "she doesnt", "it hasnt", "im not", "i am not",
            "not yet")


def match_option(advisor: Advisor, fact_id: str, text: str) -> Optional[str]:
    """The enum value that ``text`` names (longest matching phrase wins), or None."""
    fact = advisor.rulebase.facts.get(fact_id)
    if fact is None or fact.spec.type != "enum":
        return None
    best: Tuple[int, Optional[str]] = (0, None)
    for value in fact.spec.values:
        phrases = [str(value).replace("_", " "), str(fact.options.get(str(value), ""))]
        phrases += list(OPTION_WORDS.get(fact_id, {}).get(str(value), ()))
        for phrase in phrases:
            if phrase and contains_phrase(text, phrase):
                length = len(normalise(phrase).strip())
                if length > best[0]:
                    best = (length, str(value))
    return best[1]


def values_named_in(advisor: Advisor, text: str) -> Dict[str, str]:
    """Enum facts whose value is named outright in a short reply ("internal", "an offer",
    "not interested"): fact id -> value, longest name first, one value per fact."""
    found: Dict[str, Tuple[int, str]] = {}
    for fact_id, fact in advisor.rulebase.facts.items():
        if fact.spec.type != "enum":
            continue
        for value in fact.spec.values:
            name = str(value).replace("_", " ")
            if contains_phrase(text, name):
                length = len(name)
                if fact_id not in found or length > found[fact_id][0]:
                    found[fact_id] = (length, str(value))
    return {fact_id: value for fact_id, (_, value) in found.items()}


def strip_yes_no(text: str) -> str:
    """The reply without a leading yes/no word ("yes, really want it" -> "really want it")."""
    return re.sub(r"^\s*(yes|yeah|yep|yup|no|nope|nah|ok|okay|sure|well)\b[\s,.!-]*", "",
                  text or "", flags=re.IGNORECASE)


def plain_yes_no(text: str) -> bool:
    """Only a yes or a no ("no, not yet", "yes he does"), nothing that answers anything else."""
    rest = normalise(strip_yes_no(text)).strip()
    return rest == "" or rest in {normalise(w).strip() for w in YES_WORDS + NO_WORDS} or \
        word_count(rest) <= 1


def match_boolean(text: str, intent: Optional[str]) -> Optional[bool]:
    """A yes/no answer: the affirm/deny intent, else a leading yes or no word."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    words = normalise(text)
    for phrase in sorted(NO_WORDS, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return False
    for phrase in sorted(YES_WORDS, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return True
    return None



#: words people use for each red flag when they take it back ("they weren't vague actually")
FLAG_WORDS: Dict[str, Sequence[str]] = {
    "vague_job_description": ["vague", "unclear role", "job description", "description",
                              "role was unclear", "responsibilities", "duties", "what the job is",
                              "the role", "job spec", "scope", "vagueness"],
    "unrealistic_expectations": ["expectations", "expectation", "promise", "promises", "promised",
                                 "oversold", "overselling", "bait", "switch", "goalposts",
                                 "too good to be true", "benefits", "unrealistic", "pay matched",
                                 "salary", "remote", "hours"],
    "overly_positive_acquaintances": ["positive", "praise", "rehearsed", "upbeat", "downsides",
                                      "downside", "too nice", "enthusiastic", "glowing",
                                      "overly positive", "too positive", "raving"],
    "unclear_culture": ["culture", "values", "direction", "vision", "mission"],
    "poor_communication": ["communication", "communicate", "ghost", "ghosted", "ghosting",
                           "reply", "replied", "replies", "respond", "responded", "response",
                           "email", "emails", "late", "reschedule", "rescheduled", "recruiter",
                           "organised", "organized", "disorganised", "disorganized", "update",
                           "updates", "spam folder"],
}

#: words that refer to "the red flag" without naming it
FLAG_REFERENCES = ("flag", "red flag", "problem", "issue", "concern", "warning sign", "a worry")
NEGATION_CUES = ("not", "no", "wasnt", "werent", "isnt", "arent", "didnt", "dont", "doesnt",
                 "never", "fine", "ok", "okay", "actually", "take that back", "ignore", "forget",
                 "scratch that", "my bad", "wrong", "misread", "exaggerated", "misspoke")


#: words that explain a red flag away rather than deny it ("the delay was on my side", "it was
#: a misunderstanding", "they apologised and explained")
EXPLANATION_CUES = ("my fault", "my side", "on my end", "my mistake", "my bad", "my own fault",
                    "was me", "it was me", "because of me", "i gave them the wrong",
                    "i forgot to", "i missed their", "i missed the", "misunderstanding",
                    "misunderstood", "miscommunication", "mix up", "mixup", "mixed up",
                    "they apologised", "they apologized", "apologised and explained",
                    "apologized and explained", "they explained", "turns out", "turned out",
                    "there was a good reason", "good reason for", "spam folder", "wrong email",
                    "wrong number", "wrong address", "my email", "my phone", "they did send",
                    "they did reply", "they did get back", "they did explain",
                    "they sent it after all", "it was sorted", "sorted it out", "cleared it up",
                    "cleared up", "all cleared up")


def is_explanation(text: str) -> bool:
    """Does the message explain something away (a cause on the person's side, a
    misunderstanding, an apology with a reason)?"""
    return any(contains_phrase(text, cue) for cue in EXPLANATION_CUES)


def flags_named_in(advisor: Advisor, text: str) -> List[str]:
    """Signal ids whose everyday words (or title) appear in ``text``."""
    found = []
    for signal_id, signal in advisor.rulebase.active_signals.items():
        words = list(FLAG_WORDS.get(signal_id, ())) + [signal.title,
                                                       signal_id.replace("_", " ")]
        if any(contains_phrase(text, w) for w in words):
            found.append(signal_id)
    return found


#: words too common to tie a correction to a quoted red flag
QUOTE_STOPWORDS = frozenset({
    "actually", "really", "just", "that", "this", "they", "them", "their", "there", "were",
    "have", "been", "what", "when", "with", "about", "from", "would", "could", "should", "will",
    "dont", "didnt", "wasnt", "werent", "isnt", "arent", "misread", "wrong", "take", "back",
    "said", "tell", "told", "job", "role", "interview", "company"})


def flags_quoted_in(advisor: Advisor, state: State, text: str) -> List[str]:
    """Flags whose quoted evidence shares a word (as a lemma) with a correction: "they weren't
    dodging" takes back what was flagged from "the CEO kept dodging my questions"."""
    lemmas = advisor.rulebase.detector.normaliser.phrase_keys
    words = {w for w in lemmas(text) if len(w) >= 4 and w not in QUOTE_STOPWORDS}
    found = []
    for signal_id, evidence in state.flags.items():
        quoted = {w for e in evidence for w in lemmas(str(e.get("quote") or ""))}
        if words & quoted:
            found.append(signal_id)
    return found


def flag_from_entity(advisor: Advisor, value: str) -> List[str]:
    """The signal id a ``red_flag`` entity names (its synonym-mapped value or its words)."""
    if value in advisor.rulebase.active_signals:
        return [value]
    return flags_named_in(advisor, value)




SKIP_PHRASES = ("skip", "skip it", "skip this", "pass", "dont know", "do not know", "dunno",
                "no idea", "not sure", "idk", "leave it", "leave it blank", "leave blank",
                "blank", "n a", "na", "none", "no clue", "next", "rather not say",
                "prefer not to say", "whatever", "doesnt matter", "later", "fill it in later",
                "ill fill it in", "you choose", "default")
STOP_PHRASES = ("stop", "cancel", "cancel it", "cancel that", "quit", "exit", "abort",
                "forget it", "never mind", "nevermind", "no thanks", "dont bother",
                "drop it", "i changed my mind", "not now", "no need", "stop the draft",
                "forget the draft", "no draft")



def _variants(text: str) -> List[str]:
    """The normalised words, also without a leading "no/ok/just" or a trailing "please"."""
    words = normalise(text).strip()
    trimmed = re.sub(r"^(no|nah|nope|ok|okay|just|please)\s+", "", words)
    trimmed = re.sub(r"\s+(please|pls|thanks|for now|then)$", "", trimmed)
    return [words, trimmed]



def is_skip(text: str) -> bool:
    phrases = {normalise(p).strip() for p in SKIP_PHRASES}
    starts = [normalise(p).strip() + " " for p in ("skip", "pass", "dont know", "no idea",
                                                   "leave it")]
    return any(v in phrases or any(v.startswith(s) for s in starts) for v in _variants(text))


def is_stop(text: str) -> bool:
    phrases = {normalise(p).strip() for p in STOP_PHRASES}
    return any(v in phrases for v in _variants(text))
