"""Reading answers and corrections: which fact value, yes/no, skip or stop, and which red flag
a few words refer to.

The everyday words come from the rule base (a fact's ``answer_words``, a signal's
``correction_words``, the lists in rules/words.yml), so an editor who adds a fact or a signal
gives them in the same place. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from interview_advisor import Advisor

from .state import State
from .text import contains_any, contains_phrase, normalise, word_count


def mentions_any(text: str, words: Sequence[str]) -> bool:
    return contains_any(text, words)


def match_option(advisor: Advisor, fact_id: str, text: str) -> Optional[str]:
    """The enum value that ``text`` names (longest matching phrase wins), or None: the value's
    name, its option label and the fact's ``answer_words`` for it."""
    fact = advisor.rulebase.facts.get(fact_id)
    if fact is None or fact.spec.type != "enum":
        return None
    best: Tuple[int, Optional[str]] = (0, None)
    for value in fact.spec.values:
        phrases = [str(value).replace("_", " "), str(fact.options.get(str(value), ""))]
        phrases += list(fact.answer_words.get(str(value), ()))
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


def plain_yes_no(advisor: Advisor, text: str) -> bool:
    """Only a yes or a no ("no, not yet", "yes he does"), nothing that answers anything else."""
    words = advisor.rulebase.words
    rest = normalise(strip_yes_no(text)).strip()
    return rest == "" or rest in {normalise(w).strip() for w in words.affirm + words.deny} or \
        word_count(rest) <= 1


def match_boolean(advisor: Advisor, text: str, intent: Optional[str]) -> Optional[bool]:
    """A yes/no answer: the affirm/deny intent, else a leading yes or no word."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    words = normalise(text)
    for phrase in sorted(advisor.rulebase.words.deny, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return False
    for phrase in sorted(advisor.rulebase.words.affirm, key=len, reverse=True):
        if words.startswith(normalise(phrase)):
            return True
    return None


# -------------------------------------------------------------------------------------------
# withdrawing red flags
# -------------------------------------------------------------------------------------------

def is_explanation(advisor: Advisor, text: str) -> bool:
    """Does the message explain something away (a cause on the person's side, a
    misunderstanding, an apology with a reason)?"""
    return mentions_any(text, advisor.rulebase.words.explanation_cues)


def is_retraction(advisor: Advisor, text: str) -> bool:
    """"forget what I said about ...", "scratch that": what the message mentions is taken
    back rather than said again."""
    return mentions_any(text, advisor.rulebase.words.retraction_cues)


def is_negation(advisor: Advisor, text: str) -> bool:
    """Does a correction say that something was wrong ("wasn't", "scratch that")?"""
    return mentions_any(text, advisor.rulebase.words.negation_cues)


def refers_to_a_flag(advisor: Advisor, text: str) -> bool:
    """"that concern", "not a red flag": a flag referred to without its name."""
    return mentions_any(text, advisor.rulebase.words.flag_references)


def flags_named_in(advisor: Advisor, text: str) -> List[str]:
    """Signal ids whose correction words (or title) appear in ``text``."""
    found = []
    for signal_id, signal in advisor.rulebase.active_signals.items():
        words = list(signal.correction_words) + [signal.title, signal_id.replace("_", " ")]
        if mentions_any(text, words):
            found.append(signal_id)
    return found


#: a denial NLU filed as inform/deny is this short at most; a longer message tells a story
DENIAL_WORDS = 25


def flags_denied_in(advisor: Advisor, state: State, text: str) -> List[str]:
    """Active flags a message NLU did not call a correction denies by name: "no no, they
    weren't vague at all" takes back the vague job description. A denial that names nothing
    active ("no wait, the salary is fine") takes nothing back."""
    if not state.flags or word_count(text) > DENIAL_WORDS or not is_negation(advisor, text):
        return []
    return [s for s in flags_named_in(advisor, text) if s in state.flags]


#: how people mark that they are correcting themselves rather than telling more (grammar, not
#: domain knowledge): "i misremembered", "to be fair", "thats unfair of me", "i was mixing it up",
#: "the recruiter wasn't slow really", "never an issue"
_SELF_CORRECTION = re.compile(
    r"\b(?:to be fair|in fairness|misremember\w*|misspoke|not true|unfair|"
    r"i was wrong|(?:mix|mixed|mixing) (?:it |them |that )?up|mixing them|take (?:that|it) back|"
    r"scratch|on second thought|thinking about it|now that i think|hang on|no wait|wait no|"
    r"no no|not really|never (?:an?|the) (?:issue|problem)|why i said|exaggerat\w*|"
    r"overreact\w*|being (?:harsh|unfair|dramatic))\b|"
    r"\b(?:was|were|is|are|has|have)(?:n'?t| not)\b[^.!?]{0,30}\breally\b",
    re.IGNORECASE)

#: "<the flag's words> was|seemed ... clear|fine|responsive": the opposite of the flag asserted
_POSITIVE_CLAIM = (r"\b(?:was|were|is|are|seemed|seems|been|looked|sounded|felt)\b"
                   r"(?:\s+\w+){0,3}?\s+(?:clear|fine|ok|okay|good|great|responsive|quick|"
                   r"fast|prompt|consistent|honest|transparent|realistic|organi[sz]ed|"
                   r"balanced|straight|upfront|helpful)\b")


def is_self_correction(text: str) -> bool:
    """Does the message mark itself as correcting what was said before?"""
    return _says(_SELF_CORRECTION, text)


def flags_denied_firmly(advisor: Advisor, state: State, text: str) -> List[str]:
    """Active flags a message denies, whatever intent NLU gave it: it marks itself as a
    correction ("tbh i misremembered", "thats unfair of me") and names an active flag by its
    words, either negated ("the recruiter wasn't slow really") or with the opposite asserted
    ("the culture seemed clear enough"). A plain further description ("they still haven't
    replied") has no such mark and takes nothing back."""
    if not state.flags or word_count(text) > DENIAL_WORDS or not is_self_correction(text):
        return []
    named = [s for s in flags_named_in(advisor, text) if s in state.flags]
    if not named:
        return []
    if is_negation(advisor, text) or claims_the_opposite(text):
        return named
    return []


def claims_the_opposite(text: str) -> bool:
    """"the culture seemed clear enough", "she's been really responsive": words that assert
    the opposite of a red flag (then the flag's own words in the message are not evidence)."""
    return bool(re.search(_POSITIVE_CLAIM, text or "", re.IGNORECASE))


def names_another_subject(advisor: Advisor, state: State, text: str) -> bool:
    """Does a correction name a red flag that is not active ("the salary is fine" when only
    the vague job description was flagged)? Then "that's not the issue" is about that
    subject, not about the flag."""
    return any(s not in state.flags for s in flags_named_in(advisor, text))


#: words too common to tie a correction to a quoted red flag (grammar, not domain knowledge)
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


def facts_quoted_in(advisor: Advisor, state: State, text: str) -> List[str]:
    """Facts whose quoted words share a word (as a lemma) with the message: "forget what I
    said about the raise" points at the fact read from "I just got a 10% raise"."""
    lemmas = advisor.rulebase.detector.normaliser.phrase_keys
    words = {w for w in lemmas(text) if len(w) >= 4 and w not in QUOTE_STOPWORDS}
    return [fact_id for fact_id, entry in state.facts.items()
            if entry.get("source") != "intent" and
            words & set(lemmas(str(entry.get("quote") or "")))]


def flag_from_entity(advisor: Advisor, value: str) -> List[str]:
    """The signal id a ``red_flag`` entity names (its synonym-mapped value or its words)."""
    if value in advisor.rulebase.active_signals:
        return [value]
    return flags_named_in(advisor, value)


# -------------------------------------------------------------------------------------------
# skip and stop
# -------------------------------------------------------------------------------------------

#: how "skip ..." answers may go on ("skip that one", "no idea really")
_SKIP_STARTS = ("skip", "pass", "dont know", "no idea", "leave it")


def _variants(text: str) -> List[str]:
    """The normalised words, also without a leading "no/ok/just" or a trailing "please"."""
    words = normalise(text).strip()
    trimmed = re.sub(r"^(no|nah|nope|ok|okay|just|please)\s+", "", words)
    trimmed = re.sub(r"\s+(please|pls|thanks|for now|then)$", "", trimmed)
    return [words, trimmed]


def is_skip(advisor: Advisor, text: str) -> bool:
    """"skip", "no idea", "rather not say": the question asked is let go."""
    phrases = {normalise(p).strip() for p in advisor.rulebase.words.skip}
    starts = [normalise(p).strip() + " " for p in _SKIP_STARTS]
    return any(v in phrases or any(v.startswith(s) for s in starts) for v in _variants(text))


def is_stop(advisor: Advisor, text: str) -> bool:
    """"stop", "never mind": the draft being filled in is dropped."""
    phrases = {normalise(p).strip() for p in advisor.rulebase.words.stop}
    return any(v in phrases for v in _variants(text))


# -------------------------------------------------------------------------------------------
# asking for the advice again
# -------------------------------------------------------------------------------------------

#: "what should I ask them then", "so what now", "what do you suggest": the person asks what
#: to do, so the advice is shown again in full (grammar, not domain knowledge). Not "what
#: should I say": that asks for words, a draft.
_ASKS_WHAT_TO_DO = re.compile(
    r"\bwhat (?:should|shall|do|can|could|would|must) i (?:even )?(?:do|ask|try|bring up)\b|"
    r"\bwhat (?:now|next|then)\b|\bnow what\b|\b(?:my |the )?next steps?\b|"
    r"\bwhat (?:do|would) you (?:suggest|recommend|advise)\b|\bwhat would you do\b|"
    r"\bany (?:advice|tips|suggestions)\b|\bwhat are my options\b|\bhow do i proceed\b|"
    r"\bwhere do i go from here\b", re.IGNORECASE)


def _says(pattern: re.Pattern[str], text: Optional[str]) -> bool:
    return bool(pattern.search(text or ""))


def asks_what_to_do(text: str) -> bool:
    """Does the message ask what to do (or ask) next, rather than tell something new?"""
    return _says(_ASKS_WHAT_TO_DO, text)


#: "but why are you telling me to ...", "what makes you say that", "how come": a why-question
#: about the advice inside a message that also tells something (grammar, not domain knowledge)
_ASKS_WHY = re.compile(
    r"\bwhy (?:are|do|did|would|should|is|was) (?:you|u)\b|\bwhat makes (?:you|u) (?:say|think)\b|"
    r"\bwhy (?:that|this|so)\s*\??\s*$|\bhow come\b|\bwhat(?:'s| is) (?:that|this|it) based on\b|"
    r"\bhow (?:did|do|'d) (?:you|u) (?:get|got|come up|arrive|reach|decide)\b|"
    r"\bhow'd (?:you|u) (?:get|come up|arrive|decide)\b|"
    r"\bwalk me through (?:it|that|this|how|why|your)\b|\byour reasoning\b|\bbased on what\b",
    re.IGNORECASE)
#: "where does all that leave me", "sum it up", "the full picture": the whole summary asked for
#: inside a message that also tells something
_ASKS_SUMMARY = re.compile(
    r"\bwhere (?:does|do|did) (?:all )?(?:that|this|it|things) (?:leave|put) me\b|"
    r"\bwhere (?:am i|do i stand|do things stand)(?: at)?(?: now| overall)?\s*\??\s*$|"
    r"\bsum (?:it|this|that|everything|things) up\b|\brecap\b|\b(?:full|big|whole) picture\b|"
    r"\bin a nutshell\b|\btl;?dr\b", re.IGNORECASE)


def asks_why_advice(text: str) -> bool:
    """Does the message ask why the advice is what it is?"""
    return _says(_ASKS_WHY, text)


def asks_for_summary(text: str) -> bool:
    """Does the message ask for everything so far at once?"""
    return _says(_ASKS_SUMMARY, text)


#: "hiya, bit of a weird one", "hi, need some help with something awkward": a greeting that
#: opens a conversation with a few words of lead-in
_OPENS_WITH_GREETING = re.compile(
    r"^\W*(?:hi+|hiya|hey+|heya|hello|helo|yo|howdy|morning|evening|afternoon|"
    r"good (?:morning|afternoon|evening))\b", re.IGNORECASE)
GREETING_WORDS = 10     # a greeting with a lead-in is this short at most; longer is a story


def is_greeting_with_lead_in(text: str) -> bool:
    """A short message that opens with a greeting (then says little else)."""
    return _says(_OPENS_WITH_GREETING, text) and word_count(text) <= GREETING_WORDS
