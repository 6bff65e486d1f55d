"""The details a request for a message gives without NLU tagging them: a contact, a company or a
role said in words ("her name is Marguerite", "fenna from the agency", "with marrowgate about a
planner job", "for the patient experience lead job"), in any case. Names in lower case are taken
only where nothing but a name fits and when they are no English word.
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, FrozenSet, Optional, Sequence, Tuple

from interview_advisor.nlp import lemma_table, word_classes

from ..wording import normalise

if TYPE_CHECKING:
    from ..rulebase import Words

#: "her name is Marguerite", "he's called Tomasz": a capitalised name said to be someone's
#: the same in lower case ("her name is priya"), taken when the word can be a name
_NAMED_LOWER = re.compile(r"\b(?:(?:his|her|their) name(?:'s|s| is)|(?:she|he)(?:'s|s| is) called|"
                          r"(?:she|he) goes by)\s+([a-z][a-z'-]{2,})\b", re.IGNORECASE)
#: "write to tom at harrow", "a note for rose from the agency": someone at an employer
_TO_PERSON_AT = re.compile(r"\b(?:to|for)\s+([a-z][a-z'-]{2,})\s+(?:at|from)\s+(?!the\b)[a-z]",
                           re.IGNORECASE)
_NAMED = re.compile(r"\b(?:(?:his|her|their) name(?:'s| is)|(?:she|he)(?:'s| is) called|"
                    r"(?:she|he) goes by)\s+([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\b")


#: a name in lower case where only a person fits: "fenna from the agency", "write fenna a
#: note", "the woman chairing it (nkechi)" - taken when it is no English word
_LOWER_PERSON = re.compile(
    r"\b([a-z][a-z'-]{2,}) from (?:the |their )?(?:agency|recruit\w*|hr|talent|people team)\b|"
    r"\b(?:write|email|e-mail|message|text|thank|tell|mail|send|ping)\s+([a-z][a-z'-]{2,})\s+"
    r"(?:a|an|some|something|back|that|saying|to say)\b|"
    r"\b(?:to|for|thank(?:ing)?|send|write)\s+([a-z][a-z'-]{2,})\s+"
    r"(?:from|at)\b|"
    r"\b(?:recruiter|interviewer|manager|woman|man|guy|lady|person|contact|chair)\b"
    r"[^()\n]{0,30}\(([a-z][a-z'-]{2,})\)|"
    r"\b(?:recruiter|interviewer|hiring manager|contact)\s+(?:called\s+|named\s+)?"
    r"([a-z][a-z'-]{2,})\b|"
    # who a message came from is a person: "the email came from sophie", "it was signed by
    # tamsin", "the rejection was sent by olu"
    r"\b(?:email|e-mail|mail|message|letter|call|news|rejection|reply|text|note|voicemail|"
    r"it|that)\s+(?:came|come|was|were|is)\s+(?:(?:sent|signed|written)\s+)?(?:from|by)\s+"
    r"([a-z][a-z'-]{2,})\b|"
    r"\b(?:sent|signed|written)\s+(?:off\s+)?by\s+([a-z][a-z'-]{2,})\b", re.IGNORECASE)

#: the people a message goes to, as people say who they are ("the hr lady", "my boss")
_PERSON_NOUNS = (r"(?:recruiter|interviewer|hiring manager|line manager|manager|boss|"
                 r"supervisor|team lead|contact|woman|man|guy|lady|bloke|person|chair|hr|"
                 r"head of \w+|director|ceo|founder|assistant|coordinator|talent partner)")
#: a name said to be a person's, by the grammar of the clause rather than by fixed words:
#: "the woman who ran it was called ingrid", "the hr lady is called beatrix", "my contact
#: there is Rosalind", "my boss sunita has no idea" - the person noun, a few words at most,
#: then "is/was called/named" or "is/was", then the name
_PERSON_IS = re.compile(
    rf"\b{_PERSON_NOUNS}\b(?:\s+(?!is\b|was\b|called\b|named\b)[\w']+){{0,4}}?"
    r"(?:\s+(?:is|was)\s+|\s*'s\s+|\s+)(?:called|named)\s+([A-Za-z][a-z'-]{2,})\b|"
    rf"\b(?:my|our|the|their)\s+{_PERSON_NOUNS}(?:\s+(?:there|(?:at|from|in)\s+(?:the\s+)?[\w&]+))?"
    r"\s+(?:is|was|'s)\s+([A-Za-z][a-z'-]{2,})\s*(?:[,.;:!?)]|and\b|who\b|$)|"
    rf"\b(?:my|our|her|his|their)\s+{_PERSON_NOUNS}\s+([A-Za-z][a-z'-]{{2,}})\b|"
    # the name beside who they are, either side: "the practice manager Karen said", "Sandra
    # the practice manager rang me" (taken when no English word)
    rf"\bthe\s+(?:[a-z]+\s+)?{_PERSON_NOUNS}\s+((?-i:[A-Z])[a-z'-]{{2,}})\b|"
    rf"\b((?-i:[A-Z])[a-z'-]{{2,}}),?\s+(?:the|our|their|my)\s+(?:[a-z]+\s+)?{_PERSON_NOUNS}\b|"
    r"\b(?:she|he)(?:'s|s| is| was)\s+(?:called|named)\s+([a-z][a-z'-]{2,})\b", re.IGNORECASE)


def named_person(text: str, wordlists: Words) -> Optional[str]:
    """The contact's name when the request says whose name it is and NLU did not tag it: said
    outright ("her name is Marguerite"), or where only a person fits, in any case. The words
    that are no name are the rule base's (``wordlists``: ``not_employers``, ``calendar_words``)."""
    match = _NAMED.search(text or "")
    if match:
        return match.group(1)
    # "her name is priya", "his name's tom": in lower case where it can be a name
    for match in _NAMED_LOWER.finditer(text or ""):
        if can_be_a_name(match.group(1).lower()):
            return _capitalised(match.group(1))
    # "write to tom at harrow": a thing's name only ("mark" is also a verb, "start" only one)
    for match in _TO_PERSON_AT.finditer(text or ""):
        word = match.group(1).lower()
        if is_english_word(word) and word_classes().get(word) == frozenset({"noun"}) and \
                can_be_a_name(word) and not _listed(word, wordlists.not_employers):
            return _capitalised(word)
    for pattern in (_LOWER_PERSON, _PERSON_IS):
        for match in pattern.finditer(text or ""):
            name = next(g for g in match.groups() if g)
            if _CONTRACTION.search(name) or name.lower() in _bare_contractions():
                continue   # "the recruiter couldn't", "my manager doesnt": no names
            # a capitalised word said to be what someone is called is a name ("the guy was
            # called Mark"); so is, in any case, a word that can only be a thing's name where
            # the grammar wants a name ("the recruiter is tom", "the hr lady's called rose" -
            # not "the recruiter is lovely" or "my boss is away"); anywhere else it must be no
            # English word ("my boss Said no")
            if not is_english_word(name.lower()) or (
                    pattern is _PERSON_IS and name.lower() not in _stop_words() and (
                        ((match.group(1) or _BESIDE_ROLE & {match.lastindex}) and
                         name[:1].isupper() and not _listed(name, wordlists.calendar_words)) or
                        (_NAMING_SLOT.search(match.group(0)) and can_be_a_name(name.lower())))):
                return name[:1].upper() + name[1:]
    return None


#: the groups of _PERSON_IS that hold a capitalised name beside who the person is ("the
#: practice manager Karen", "Sandra the practice manager")
_BESIDE_ROLE = frozenset((4, 5))

#: where a person's name is said to be one: "is called", "'s named", "my contact there is"
_NAMING_SLOT = re.compile(r"(?:\b(?:is|was)\s+|'s\s+|\b(?:called|named)\s+)[A-Za-z][a-z'-]+\W*$",
                          re.IGNORECASE)


def can_be_a_name(word: str) -> bool:
    """Can ``word`` (lower case) stand for a person or an employer where the grammar wants a
    name? Yes when it is no English word, or when the dictionary knows it only as a thing or
    an action in its base form - "tom", "kestrel", "harrow" - never as a quality or a manner
    ("lovely", "away", "late") and not inflected ("leaving", "gone")."""
    if not is_english_word(word):
        return True
    if word in _stop_words() or lemma_table().get(word, word) != word:
        return False
    pos = word_classes().get(word, frozenset())
    return bool(pos) and not pos & {"adj", "adv"}


@lru_cache(maxsize=1)
def _bare_contractions() -> FrozenSet[str]:
    """Contractions written without their apostrophe ("doesnt", "isnt", "wont"), as spaCy's
    tokenizer splits them."""
    from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS
    return frozenset(key.lower() for key, parts in TOKENIZER_EXCEPTIONS.items()
                     if key.isalpha() and len(parts) > 1)


@lru_cache(maxsize=1)
def _stop_words() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


#: "the recruiter couldn't say", "the interviewer's notes": a contraction, not a name
_CONTRACTION = re.compile(r"(?:n't|'s|'d|'ll|'re|'ve|'m)$", re.IGNORECASE)


#: a company in lower case where only an employer fits: "going back and forth with marrowgate
#: about a planner job", "applied to brenlow for the analyst role"
_LOWER_COMPANY = re.compile(
    r"\b(?:with|at|to|from)\s+([a-z][a-z0-9&'-]{2,})\s+(?:about|for|regarding)\s+"
    r"(?:a|an|the|their|this|that|my)\b", re.IGNORECASE)


#: "pull out of the harrow process", "write to the ardent recruiter": one word between "the"
#: and what only an employer has is its name, even an English word ("harrow", "ardent") -
#: unless it says what kind of process or offer it is ("the hiring process", "the verbal offer")
_THE_COMPANY_THING = re.compile(
    r"\b(?:of|from|with|at|to|for|in|on|about|by)\s+the\s+([a-z][a-z0-9&'-]{2,})\s+"
    r"(?:process|offer|recruiter|recruiters|application|people|folks|lot|hiring manager)\b",
    re.IGNORECASE)


#: "the recruiter at marsh & co": a name with a firm's ending, whatever its first word
_FIRM_ENDING = re.compile(
    r"\b(?:at|from|with|to|for)\s+([a-z][a-z'-]+\s+(?:&|and)\s+(?:co|sons|partners|daughters))\b",
    re.IGNORECASE)
#: "help me chase copperfield", "nudge brightwell": who is chased for news is the employer
_CHASED = re.compile(r"\b(?:chase|chasing|nudge|nudging|chase up|follow up with)\s+"
                     r"([a-z][a-z0-9&'-]{2,})\b(?!\s+(?:from|at)\b)", re.IGNORECASE)
#: "a follow up for the brightwell job": a word no English word before the job is its employer
_EMPLOYER_JOB = re.compile(r"\b(?:for|about|from|on|at)\s+the\s+([a-z][a-z0-9&'-]{2,})\s+"
                           r"(?:job|role|position|interview|one)\b", re.IGNORECASE)


#: where only an employer fits, by the grammar of the clause: "the process at harrow, ...",
#: "the job at beacon is the data engineer one", "i interviewed with orchard for a support
#: role", "the offer from kestrel came", "he's from summit." - a single word without an article
#: after what an employer has (a process, a job, an offer, a recruiter) or after applying or
#: interviewing, ending its phrase; an English word counts when it can be a name
#: (:func:`can_be_a_name`) and is no place or time ("interviewed at home", "the job at night")
_EMPLOYER_SLOT = re.compile(
    r"\b(?:(?:process|job|role|position|post|vacancy|opening|offer|interview|application|"
    r"final|round|stage|recruiter|recruiters|hiring manager|contact|people)\s+(?:there\s+)?"
    r"(?:at|from)|(?:process|interview|interviews|interviewed|interviewing|talks|chat|call)\s+"
    r"with|(?:applied|applying|apply|interviewed|interviewing|interview)\s+(?:at|to)|"
    r"(?:she|he|they)(?:'s|s|'re| is| was| are| were)\s+from)\s+([a-z][a-z0-9&'-]{2,})"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:for|about|regarding|is|was|and|but|as|came|come|"
    r"got|get|has|have|had|just|last|this|yesterday|today|tomorrow|on|in)\b)", re.IGNORECASE)
#: "write to tom at harrow", "email priya from kestrel": the employer of the person written to
_PERSON_AT_EMPLOYER = re.compile(
    r"\b(?:to|for|email|e-mail|message|thank|write|text)\s+[a-z][a-z'-]{2,}\s+(?:at|from)\s+"
    r"([a-z][a-z0-9&'-]{2,})(?=\s*(?:[,.;:!?)]|$)|\s+(?:for|about|regarding|and|but|to|saying|"
    r"asking|telling|that)\b)", re.IGNORECASE)


def _listed(word: str, *lists: Sequence[str]) -> bool:
    """Is ``word`` in one of the rule base's word lists (compared as word lists are: lower case,
    apostrophes dropped, punctuation as spaces)?"""
    key = normalise(word).strip()
    return any(key in _keys(tuple(items)) for items in lists)


@lru_cache(maxsize=64)
def _keys(items: Tuple[str, ...]) -> FrozenSet[str]:
    return frozenset(normalise(word).strip() for word in items)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def named_company(text: str, wordlists: Words) -> Optional[str]:
    """The company a request names in lower case when NLU did not tag it (the words that are
    none are the rule base's: ``not_employers``, ``process_kinds``, ``job_pointers``)."""
    for match in _LOWER_COMPANY.finditer(text or ""):
        if not is_english_word(match.group(1).lower()):
            return match.group(1)[:1].upper() + match.group(1)[1:]
    firm = _FIRM_ENDING.search(text or "")
    if firm:
        return " ".join(_capitalised(w) for w in firm.group(1).split())
    for pattern in (_CHASED, _EMPLOYER_JOB):
        for match in pattern.finditer(text or ""):
            word = match.group(1)
            if not is_english_word(word.lower()) and not _CONTRACTION.search(word):
                return _capitalised(word)
    for match in (*_EMPLOYER_SLOT.finditer(text or ""),
                  *_PERSON_AT_EMPLOYER.finditer(text or "")):
        word = match.group(1)
        if not _listed(word, wordlists.not_employers, wordlists.process_kinds) and \
                can_be_a_name(word.lower()) and not _CONTRACTION.search(word):
            return _capitalised(word)
    for match in _THE_COMPANY_THING.finditer(text or ""):
        word = match.group(1)
        if not _listed(word, wordlists.process_kinds, wordlists.job_pointers) and \
                word.lower() not in _stop_words() and not _CONTRACTION.search(word):
            return word[:1].upper() + word[1:]
    return None


#: a role named before "role", "job", "position" ("for the patient experience lead job")
_ROLE = re.compile(r"\b(?:for|as|about|offered\s+me|offer\s+(?:of|for))\s+"
                   r"(?:a|an|the|their|this|that)\s+"
                   r"((?:[a-z][a-z&/-]*\s+){0,3}[a-z][a-z&/-]*)\s+"
                   r"(?:role|job|position|post|vacancy|opening)\b", re.IGNORECASE)


#: a team or department named by the grammar of the phrase: "the data lead role in the insights
#: team", "a move to the platform squad", "join their risk department" - up to three words
#: between "the"/"their" and what a team is called
_TEAM = re.compile(r"\b(?:in|on|into|to|join|joining|with)\s+(?:the|their)\s+"
                   r"((?:[a-z][a-z&/-]*\s+){0,2}[a-z][a-z&/-]*)\s+"
                   r"(?:team|department|dept|squad|division|unit|function)\b", re.IGNORECASE)


def named_team(text: str, wordlists: Words) -> Optional[str]:
    """The team or department a request names ("in the insights team") when NLU did not tag
    it; none when a word says which team rather than what it is called (``job_pointers``,
    ``team_pointers``)."""
    for match in _TEAM.finditer(text or ""):
        words = match.group(1).split()
        if not any(_listed(w, wordlists.job_pointers, wordlists.team_pointers) for w in words):
            return " ".join(words)
    return None




#: a role named by what it is called ("the role's called insights partner", "the job title is
#: payroll officer"): up to four words, to the end of the clause
_ROLE_CALLED = re.compile(r"\b(?:role|job|position|post|title|job\s+title)(?:'?s|\s+is|\s+was)?"
                         r"\s+(?:called|named|titled)\s+"
                         r"((?:[a-z][a-z&/-]*\s+){0,3}[a-z][a-z&/-]*)\s*(?=[,.;:!?\n]|$)",
                         re.IGNORECASE)


#: a role said without "role" or "job" after it: after "for", up to three words to the end of
#: the phrase ("for store manager and nothing since"), or between "the" and what it is part of
#: ("pull out of the pharmacy technician process") - read when its last word is one of
#: ``role_heads``
_BARE_ROLE = re.compile(
    r"\bfor\s+((?:[a-z][a-z&/-]*\s+){0,2}[a-z][a-z&/-]*)"
    r"(?=\s*(?:[,.;:!?)\n]|$)|\s+(?:and|but|at|with|in|last|this|next|on|a|two|three|\d+)\b)|"
    r"\bthe\s+((?:[a-z][a-z&/-]*\s+){0,2}[a-z][a-z&/-]*)\s+"
    r"(?:process|application|interview|interviews|vacancy|post|opening)\b", re.IGNORECASE)


def _bare_role(text: str, wordlists: Words) -> Optional[str]:
    """A role named by its last word (``role_heads``), without "role" or "job" after it; none
    that is someone written to (``contact_roles``: "for the hiring manager") or holds a word
    saying which job (``job_pointers``, ``process_kinds``: "the hiring manager interview")."""
    heads = _keys(tuple(wordlists.role_heads))
    contacts = _keys(tuple(wordlists.contact_roles))
    for match in _BARE_ROLE.finditer(text or ""):
        phrase = match.group(1) or match.group(2)
        words = phrase.split()
        while words and _listed(words[0], wordlists.job_terms, ("a", "an", "the")):
            words = words[1:]
        if not words or normalise(words[-1]).strip() not in heads or \
                normalise(" ".join(words)).strip() in contacts or \
                any(_listed(w, wordlists.job_pointers, wordlists.process_kinds,
                            wordlists.contact_roles) or w.lower() in _stop_words()
                    for w in words[:-1]) or \
                _listed(words[0], ("my", "your", "their", "her", "his")):
            continue
        return " ".join(words)
    return None


def named_role(text: str, wordlists: Words) -> Optional[str]:
    """The role a request names ("for the grid analyst position", "offered me the part time
    admin assistant job", "the role's called insights partner") when NLU did not tag it; the
    terms said before it (``job_terms``) are left out, and a word that says which job
    (``job_pointers``) names none."""
    called = _ROLE_CALLED.search(text or "")
    if called:
        return called.group(1)
    for match in _ROLE.finditer(text or ""):
        words = match.group(1).split()
        while len(words) > 1 and _listed(words[0], wordlists.job_terms):
            words = words[1:]
        if len(words) == 1 and not is_english_word(words[0].lower()):
            continue   # "the brightwell job": the employer's name, not what the job is
        if not any(_listed(w, wordlists.job_pointers) for w in words):
            return " ".join(words)
    return _bare_role(text, wordlists)


@lru_cache(maxsize=1)
def _english() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    table = lemma_table()
    return frozenset(set(table) | set(table.values()) | set(STOP_WORDS) | set(word_classes()))


def is_english_word(word: str) -> bool:
    """A word of the lemma table, of the dictionary (the words that never inflect: "away",
    "aware") or a stop word ("them", "back", "everyone" are no names)."""
    return normalise(word).strip() in _english()
