"""Reading answers and corrections: which fact value, yes/no, skip or stop, and which red flag
a few words refer to.

The everyday words come from the rule base (a fact's ``answer_words``, a signal's
``correction_words``, the lists in rules/words.yml), so an editor who adds a fact or a signal
gives them in the same place. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor

from ..cues import alternation, in_clauses, says
from ..nlp import lemma_table, word_classes
from ..wording import contains_any, contains_phrase, normalise, word_count
from .state import State


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
            if phrase and names_unnegated(text, phrase):
                length = len(normalise(phrase).strip())
                if length > best[0]:
                    best = (length, str(value))
    return best[1]


#: an answer's clauses: a negation holds up to the next comma, full stop or the like
_ANSWER_CLAUSE = re.compile(r"[^,.;:!?\n]+")


def names_unnegated(text: str, phrase: str) -> bool:
    """Does ``text`` name ``phrase`` somewhere that no negation just before it in its clause
    takes back? "its not where i work now, its a totally different firm" does not name "where
    i work" (grammar: a negator up to three words before a phrase negates it); a leading
    yes/no word ("no its internal") answers the question and negates nothing."""
    needle = normalise(phrase)
    if not needle.strip():
        return False
    for clause in _ANSWER_CLAUSE.findall(text or ""):
        hay = normalise(clause)
        start = hay.find(needle)
        while start >= 0:
            if not _NEGATORS.search(" " + strip_yes_no(hay[:start + 1])):
                return True
            start = hay.find(needle, start + 1)
    return False


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


_SENTENCE = re.compile(r"[^.!?\n]*[^.!?\n\s][^.!?\n]*[.!?]*")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when there is only one)."""
    found = _SENTENCE.search(text)
    return found.group(0).strip() if found else text


_CLAUSE_END = re.compile(r"[,;:]|\s[-\u2013\u2014]\s")


def first_clause(text: str) -> str:
    """The first sentence of ``text`` up to its first comma, semicolon, colon or dash: "i mean
    i want it yeah" out of "i mean i want it yeah, its 8k more and fully remote"."""
    sentence = first_sentence(text)
    end = _CLAUSE_END.search(sentence)
    return sentence[:end.start()].strip() if end else sentence


def answer_span(advisor: Advisor, fact_id: str, value: object, text: str) -> Tuple[int, int]:
    """Where in ``text`` the answer ``value`` to the question about ``fact_id`` was given: the
    first sentence that names it on its own ("different company obviously lol." out of
    "different company obviously lol. should i tell my boss?"); for a yes/no, the first
    sentence; the whole text when no one sentence does."""
    sentences = [(m.end() - len(m.group(0).lstrip()), m.end())
                 for m in _SENTENCE.finditer(text)]
    if len(sentences) < 2:
        return 0, len(text)
    fact = advisor.rulebase.facts.get(fact_id)
    if fact is not None and fact.spec.type == "boolean":
        return sentences[0]
    for start, end in sentences:
        if match_option(advisor, fact_id, text[start:end]) == value:
            return start, end
    return 0, len(text)


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

def is_explanation(advisor: Advisor, text: str, state: Optional[State] = None) -> bool:
    """Does the message explain something away (a cause on the person's side, a
    misunderstanding, an apology with a reason), or open by correcting what was said ("in
    fairness it was only a screening call", "no no thats not fair on her, she answered") -
    unless it is about a subject that was not flagged ("no wait, the salary is fine"). A
    correction that quotes the words of an active flag is about that flag, whatever other
    subject it names on the way ("hang on i got that wrong, the 35-40 was for the senior
    version of the role" after "the ad said 35-40k but they offered 33k")."""
    if mentions_any(text, advisor.rulebase.words.explanation_cues):
        return True
    return opens_as_correction(advisor, text) and \
        not (state is not None and names_another_subject(advisor, state, text) and
             not flags_quoted_in(advisor, state, text))


@lru_cache(maxsize=4)
def _turn_words(words: Tuple[str, ...]) -> re.Pattern[str]:
    """One of ``words`` (the ``contrasts`` and ``additions`` of rules/words.yml) as a whole
    word in a normalised message."""
    return re.compile(f" {alternation(words)} ")


def turns(advisor: Advisor, text: str, additions: bool = True) -> Optional[re.Match[str]]:
    """The first contrast ("but", "though") - or, with ``additions``, addition ("also",
    "except") - in ``text``, matched in its normalised form (" word word ")."""
    words = advisor.rulebase.words
    chosen = tuple(words.contrasts) + (tuple(words.additions) if additions else ())
    return _turn_words(chosen).search(normalise(text or ""))


def opens_as_correction(advisor: Advisor, text: str) -> bool:
    """Does the message open (its first clause) with words that mark what follows as a
    correction of what was said before ("to be fair", "in fairness", "no no", "hang on"), with
    no contrast or addition later ("to be fair they replied, but ...", "no wait, they also
    ...") that would make it news? Grammar of how people correct themselves: the cue comes
    first, the reason after it."""
    if turns(advisor, text):   # "..., but ...", "they also ...": news after the opening
        return False
    return says(advisor.rulebase.words.self_correction_cues, text, first_clause_only=True)


#: where a sentence ends (a clause after a contrast holds to its sentence's end)
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")


def standing_spans(advisor: Advisor, text: str) -> List[Tuple[int, int]]:
    """The parts of a correction that say what still holds, as (start, end) character spans:
    from a contrast word after the opening words to the end of its sentence ("the pay thing
    was me misreading it, but they really were vague about the role"), and a whole sentence
    that says so ("the vague ad bit still stands though"). How people withdraw part of what
    they said: the withdrawal first, what stands after the contrast."""
    text = text or ""
    spans: List[Tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(text):
        if says(advisor.rulebase.words.reaffirm_cues, sentence.group()):
            spans.append(sentence.span())
            continue
        contrast = _contrast_in(advisor, sentence.group())
        if contrast is not None and sentence.start() + contrast > 0:
            spans.append((sentence.start() + contrast, sentence.end()))
    return spans


def _contrast_in(advisor: Advisor, sentence: str) -> Optional[int]:
    """Where the first contrast word of a sentence starts (not an addition: what follows
    "also" is news, not what still holds)."""
    contrasts = advisor.rulebase.words.contrasts
    found = [m.start() for word in contrasts
             for m in re.finditer(rf"\b{re.escape(word)}\b", sentence, re.IGNORECASE)]
    return min(found) if found else None


def flags_left_standing(advisor: Advisor, text: str,
                        detected: Mapping[str, Sequence[int]]) -> List[str]:
    """Red flags a partial correction leaves standing: named (by their correction words) or
    detected (``detected``: signal id -> start of each hit) only in its standing part, never
    in what it withdraws ("ok the pay thing was me misreading it, but they really were vague
    about the role" keeps the vague job description)."""
    spans = standing_spans(advisor, text)
    if not spans:
        return []
    standing = " ".join(text[a:b] for a, b in spans)
    withdrawing = "".join(ch if not any(a <= i < b for a, b in spans) else " "
                          for i, ch in enumerate(text))
    inside = {s for s, starts in detected.items()
              if any(any(a <= start < b for a, b in spans) for start in starts)}
    outside = {s for s, starts in detected.items()
               if any(not any(a <= start < b for a, b in spans) for start in starts)}
    inside |= set(flags_named_in(advisor, standing))
    outside |= set(flags_named_in(advisor, withdrawing))
    return sorted(inside - outside)


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


#: a negated "was/were/is..." followed by "really" in the same sentence marks a
#: self-correction too ("the recruiter wasn't slow really"; grammar, not domain knowledge)
_NEGATED_REALLY = re.compile(
    r"\b(?:was|were|is|are|has|have)(?:n'?t| not)\b[^.!?]{0,30}\breally\b", re.IGNORECASE)


def is_self_correction(advisor: Advisor, text: str) -> bool:
    """Does the message mark itself as correcting what was said before (the
    ``self_correction_cues`` of rules/words.yml, or a negation with "really")?"""
    return says(advisor.rulebase.words.self_correction_cues, text) or \
        bool(_NEGATED_REALLY.search(text or ""))


def flags_denied_firmly(advisor: Advisor, state: State, text: str) -> List[str]:
    """Active flags a message denies, whatever intent NLU gave it: it marks itself as a
    correction ("tbh i misremembered", "thats unfair of me") and names an active flag by its
    words, either negated ("the recruiter wasn't slow really") or with the opposite asserted
    ("the culture seemed clear enough"). A plain further description ("they still haven't
    replied") has no such mark and takes nothing back."""
    if not state.flags or word_count(text) > DENIAL_WORDS or \
            not is_self_correction(advisor, text):
        return []
    named = [s for s in flags_named_in(advisor, text) if s in state.flags]
    if not named:
        return []
    if is_negation(advisor, text) or claims_the_opposite(advisor, text):
        return named
    return []


def claims_the_opposite(advisor: Advisor, text: str) -> bool:
    """"the culture seemed clear enough", "she's been really responsive": words that assert
    the opposite of a red flag (then the flag's own words in the message are not evidence):
    one of ``claim_verbs``, up to three words, one of ``claim_positive_words``."""
    words = advisor.rulebase.words
    return in_clauses(_claim(tuple(words.claim_verbs), tuple(words.claim_positive_words)), text)


@lru_cache(maxsize=4)
def _claim(verbs: Tuple[str, ...], positives: Tuple[str, ...]) -> re.Pattern[str]:
    """A verb, up to three words, a positive word (built once per rule base)."""
    return re.compile(rf" {alternation(verbs)} (?:[a-z0-9]+ ){{0,3}}?{alternation(positives)} ")


#: words that negate what follows them (grammar, not domain knowledge)
_NEGATORS = re.compile(r"\b(?:not|no|never|wasn'?t|weren'?t|isn'?t|aren'?t|didn'?t|don'?t|"
                       r"doesn'?t|hasn'?t|haven'?t)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,.;:!?\n]")


def negated(text: str, start: int) -> bool:
    """Is the phrase at ``text[start:]`` negated by one of the three words before it, in its
    clause ("they weren't only positive", "it was not vague")?"""
    before = (text or "")[:max(start, 0)]
    clause = _CLAUSE_START.split(before)[-1]
    return bool(_NEGATORS.search(clause))


#: the past before the past: "she'd only joined a fortnight before", "they had sent a job
#: spec" (a participle after "had"), "i hadnt read that far" (any verb after a negated "had")
_PAST_PERFECT = re.compile(r"\b(?:had|(?<=\w)'d)\s+(?:(?:only|just|already|actually|even|also|"
                           r"both|all)\s+){0,2}([a-z]+)\b", re.IGNORECASE)
_NOT_PAST_PERFECT = re.compile(r"\b(?:hadn'?t|had\s+not|had\s+never|(?<=\w)'d\s+never)\s+"
                               r"(?:(?:even|actually|really|properly)\s+)?([a-z]+)\b",
                               re.IGNORECASE)
#: an emphatic "did"/"do" after its subject and before a bare verb: "my cousin did grumble
#: about the pay", "they did answer it", "they genuinely do work different hours" - what was
#: said not to happen, said to have happened after all
_EMPHATIC = re.compile(r"\b(?:i|you|he|she|they|we|it|[a-z]{3,})\s+(?:(?:really|actually|"
                       r"genuinely|definitely|also|still)\s+)?(?:did|do|does)\s+(?:(?:actually|"
                       r"really|also)\s+)?([a-z]+)\b", re.IGNORECASE)
#: words before "did/do" that make it a question or an auxiliary of something else
_NOT_A_SUBJECT = frozenset(("what", "why", "how", "when", "where", "who", "which", "and", "or",
                            "but", "so", "if", "to", "not", "that", "then"))


def _is_verb(word: str) -> bool:
    return "verb" in word_classes().get(word.lower(), frozenset())


def _participle(word: str) -> bool:
    """An inflected verb form that can follow "had" ("sent", "joined", "given"; not "been",
    which starts a story in the past: "i had been looking for ages")."""
    word = word.lower()
    lemma = lemma_table().get(word, word)
    return lemma not in (word, "be") and _is_verb(lemma) and not word.endswith(("ing", "s"))


def _bare_verb(word: str) -> bool:
    """A verb in its base form ("grumble", "answer"), not a word that merely can be one
    ("it", "well", "so")."""
    word = word.lower()
    return lemma_table().get(word, word) == word and _is_verb(word) and \
        word not in _NOT_A_SUBJECT and word not in _NOT_AFTER_DO


#: words after "do/did" that are no verb of an emphatic "did" ("i did well", "they did it")
_NOT_AFTER_DO = frozenset(("not", "you", "they", "it", "so", "that", "this", "well", "we",
                           "he", "she", "i", "too", "anything", "something", "nothing"))


def gives_a_reason(text: str) -> bool:
    """Does the message, in a sentence that asks nothing, tell the background of what
    happened (the past before the past) or that something happened after all (an emphatic
    "did")? How people explain a red flag away or deny it without a cue word ("she'd only
    joined a fortnight before", "my cousin did grumble about the pay reviews"): grammar, not
    domain knowledge."""
    for sentence in _SENTENCE.findall(text or ""):
        if "?" in sentence:
            continue
        if any(_participle(m.group(1)) for m in _PAST_PERFECT.finditer(sentence)) or \
                any(_is_verb(lemma_table().get(m.group(1).lower(), m.group(1)))
                    for m in _NOT_PAST_PERFECT.finditer(sentence)):
            return True
        if any(m.group(0).split()[0].lower() not in _NOT_A_SUBJECT and _bare_verb(m.group(1))
               for m in _EMPHATIC.finditer(sentence)):
            return True
    return False


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


#: endings dropped before a correction's words are compared with a quote ("differently" is
#: "different"; the lemma table leaves adverbs and nouns alone): grammar, not domain knowledge
_ENDINGS = ("ingly", "edly", "ly", "ness")


def word_stem(word: str) -> str:
    """A lemma without an adverb or noun ending, when at least five letters are left."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[:-len(ending)]
    return word


def flags_quoted_in(advisor: Advisor, state: State, text: str) -> List[str]:
    """Flags whose quoted evidence shares a word (as a lemma, without an adverb ending) with a
    correction: "they weren't dodging" takes back what was flagged from "the CEO kept dodging
    my questions", "it makes sense theyd be different" what came from "... totally
    differently". A figure said again ties them too, whatever its length ("the 35-40 was for
    the senior role" points at "the ad said 35-40k")."""
    lemmas = advisor.rulebase.detector.normaliser.phrase_keys
    words = {word_stem(w) for w in lemmas(text)
             if (len(w) >= 4 and w not in QUOTE_STOPWORDS) or (len(w) >= 2 and w.isdigit())}
    found = []
    for signal_id, evidence in state.flags.items():
        quoted = {word_stem(w) for e in evidence for w in lemmas(str(e.get("quote") or ""))}
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

def _variants(text: str) -> List[str]:
    """The normalised words, also without a leading "no/ok/just" or a trailing "please"."""
    words = normalise(text).strip()
    trimmed = re.sub(r"^(no|nah|nope|ok|okay|just|please)\s+", "", words)
    trimmed = re.sub(r"\s+(please|pls|thanks|for now|then)$", "", trimmed)
    return [words, trimmed]


def is_skip(advisor: Advisor, text: str) -> bool:
    """"skip", "no idea", "rather not say": the question asked is let go."""
    phrases = {normalise(p).strip() for p in advisor.rulebase.words.skip}
    starts = [normalise(p).strip() + " " for p in advisor.rulebase.words.skip_starts]
    return any(v in phrases or any(v.startswith(s) for s in starts) for v in _variants(text))


def is_stop(advisor: Advisor, text: str) -> bool:
    """"stop", "never mind": the draft being filled in is dropped."""
    phrases = {normalise(p).strip() for p in advisor.rulebase.words.stop}
    return any(v in phrases for v in _variants(text))


# -------------------------------------------------------------------------------------------
# asking for the advice again
# -------------------------------------------------------------------------------------------

def asks_what_to_do(advisor: Advisor, text: str) -> bool:
    """Does the message ask what to do (or ask) next, rather than tell something new ("so
    what now", "what should I ask them then")? Then the advice is shown again in full."""
    return says(advisor.rulebase.words.asks_what_to_do, text)


def asks_questions_to_ask(advisor: Advisor, text: str) -> bool:
    """Does the message ask what to ask the employer ("what questions should i ask them")?
    Then the advice is shown with the questions to ask from its rules."""
    return says(advisor.rulebase.words.asks_questions_to_ask, text)


def asks_why_advice(advisor: Advisor, text: str) -> bool:
    """Does the message ask why the advice is what it is ("but why are you telling me to
    ...", "how come"), also inside a message that tells something?"""
    return says(advisor.rulebase.words.asks_why, text)


def asks_for_summary(advisor: Advisor, text: str) -> bool:
    """Does the message ask for everything so far at once ("where does all that leave me")?"""
    return says(advisor.rulebase.words.asks_summary, text)


GREETING_WORDS = 10     # a greeting with a lead-in is this short at most; longer is a story


def is_greeting_with_lead_in(advisor: Advisor, text: str) -> bool:
    """A short message that opens with a greeting ("hiya, bit of a weird one"), then says
    little else."""
    return says(advisor.rulebase.words.greetings, text, first_clause_only=True) and \
        word_count(text) <= GREETING_WORDS


def opens_a_story(advisor: Advisor, text: str) -> bool:
    """A short message that announces what is coming rather than telling it ("ok bear with
    me, this is a long one", "hiya, got a slightly awkward one"): no question mark, and one of
    the ``story_openers`` of rules/words.yml."""
    return word_count(text) <= GREETING_WORDS and "?" not in (text or "") and \
        says(advisor.rulebase.words.story_openers, text)
