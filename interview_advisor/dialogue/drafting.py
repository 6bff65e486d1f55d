"""The draft flow: which message to write, what is still missing, reading each answer.

The Rasa form ``draft_form`` asks for one placeholder at a time; these functions decide what it
asks and what an answer means (a value, "skip", "stop", another message). The finished message
is a :class:`~interview_advisor.dialogue.reply.Reply` built in :mod:`.compose`.
This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor

from ..cues import says
from ..wording import contains_any, contains_phrase, normalise, word_count
from . import phrases
from .answers import asks_what_to_do, is_skip, is_stop
from .draft_details import named_company, named_person, named_role, named_team
from .intents import ASK_WITHDRAW, INTERRUPT_INTENTS, REQUEST_DRAFT
from .opportunities import find_mentions, is_multi
from .reply import Option
from .reply import Question as AskedQuestion
from .state import State

CHOICE = "__choice__"       # the draft form first asks which message to write
DONE = "__done__"           # sentinel value of the form's slot: nothing left to ask
STOPPED = "__stopped__"     # sentinel value: the person dropped the draft
NOT_A_DRAFT = "__not_a_draft__"  # sentinel value: the request was a question, answered instead

#: placeholders that an entity of the latest message can fill directly
PLACEHOLDER_ENTITIES = {"contact_name": "person_name", "manager_name": "person_name",
                        "your_name": "person_name", "company": "company", "role": "role",
                        "other_role": "role"}
#: placeholders a bare person's name cannot answer ("Priya" for "What is the role called?")
NOT_A_NAME = ("role", "company", "team", "other_role", "current_team")
NAME_CHECKED = "__name_checked__"
#: answers to these placeholders are remembered for later drafts in the same conversation
REMEMBERED_PLACEHOLDERS = ("your_name", "company", "role", "team", "manager_name",
                           "contact_name", "current_team")

_LEAD_IN = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|um+|uh+|yes|yeah|sure|please|just)[,.!]?\s+)*"
    r"(?:(?:it'?s|it is|its|that'?s|that is|they'?re|they are|he'?s|she'?s|it was|"
    r"the (?:company|role|job|position|team|title|department|name|deadline) is(?: called)?|"
    r"(?:his|her|their|my|the manager'?s|the) (?:first )?name is|my name'?s|"
    r"call (?:him|her|them|me)|sign (?:it |off )?(?:as|with)|sign it|i'?m|i am|"
    r"called|by)\s+)+", re.IGNORECASE)


SHORT_FORM_ANSWER_WORDS = 3


def is_interruption(advisor: Advisor, text: str, intent: Optional[str]) -> bool:
    """Should this message inside the draft form be answered as a question (why, summary,
    help, out of scope, bot challenge, goodbye) rather than taken as the requested value?"""
    if intent not in INTERRUPT_INTENTS:
        return False
    if "?" in (text or ""):
        return True
    if contains_any(text, advisor.rulebase.words.interrupt_words):
        return True
    return word_count(text) > SHORT_FORM_ANSWER_WORDS


#: words an answer may have around the value itself ("the role is data analyst")
FILLER_WORDS = frozenset((
    "a", "an", "the", "it", "its", "it's", "is", "was", "be", "called", "name", "names", "my",
    "his", "her", "their", "our", "role", "job", "position", "title", "company", "team",
    "department", "at", "for", "with", "in", "of", "as", "by", "i", "im", "am", "sign",
    "please", "just", "ok", "okay", "yes", "sure", "so", "well", "um", "uh", "its", "thats",
    "that", "this", "s", "manager", "first",
))


def entity_covers(text: str, value: str) -> bool:
    """Is the entity value all there is to the answer, apart from filler words?"""
    rest = normalise(text)
    for word in normalise(value).split():
        rest = rest.replace(f" {word} ", " ", 1)
    return all(word in FILLER_WORDS for word in rest.split())


def clean_answer(text: str) -> str:
    """The value in an answer: lead-ins ("her name is", "it's") and end punctuation dropped."""
    value = (text or "").strip()
    stripped = _LEAD_IN.sub("", value).strip()
    value = stripped or value
    value = value.strip().strip("\"'“”‘’").strip()
    value = re.sub(r"[.!?,;:]+$", "", value).strip()
    return value[:200]


def choice_order(advisor: Advisor) -> Tuple[str, ...]:
    """The purposes offered when nothing points to one message (rules/drafts.yml order)."""
    return tuple(advisor.rulebase.purposes)


def without_fillers(text: str, fillers: Sequence[str]) -> str:
    """The normalised text with the words that only stress or hedge left out ("what the job
    even is" -> "what the job is"; the ``request_fillers`` of rules/words.yml)."""
    drop = {normalise(f).strip() for f in fillers}
    return " ".join(w for w in normalise(text).split() if w not in drop)


def names_phrase(text: str, phrase: str, fillers: Sequence[str] = ()) -> bool:
    """Is ``phrase`` in ``text``, as written or with ``fillers`` left out of the text?"""
    return contains_phrase(text, phrase) or \
        bool(fillers) and contains_phrase(without_fillers(text, fillers), phrase)


def longest_named(text: str, named: Sequence[Tuple[str, Sequence[str]]],
                  prefer: Sequence[str] = (), fillers: Sequence[str] = ()) -> Optional[str]:
    """The key whose longest phrase in the text is the longest of all: the most specific words
    win ("to say no thanks" is declining, not thanking); among equals, one of ``prefer`` (what
    the situation calls for), else the first in the given order. A phrase also counts when
    the text has one of ``fillers`` inside it ("what the job *even* is")."""
    lengths: Dict[str, int] = {}
    for key, phrases_ in named:
        found = [len(normalise(p).split()) for p in phrases_ if names_phrase(text, p, fillers)]
        if found:
            lengths[key] = max(found)
    if not lengths:
        return None
    best_len = max(lengths.values())
    best = [key for key, length in lengths.items() if length == best_len]
    # among equals, the one the situation calls for most (``prefer`` is in that order)
    return next((key for key in prefer if key in best), best[0])


def purpose_named_in(advisor: Advisor, text: str) -> Optional[str]:
    return longest_named(text, [(p.id, p.words) for p in advisor.rulebase.purposes.values()],
                         fillers=advisor.rulebase.words.request_fillers)


def draft_named_in(advisor: Advisor, text: str, facts: Mapping[str, Any],
                   prefer: Sequence[str] = ()) -> Optional[str]:
    """A draft id from free words ("the withdrawal one", "2", "thank you"): a purpose's words
    or a draft's own ``request_words``, whichever match is the most specific; between equally
    specific words, one of the drafts in ``prefer`` (those the advice offers: "something in
    writing" after a vague role asks for the role, after changed terms for the terms)."""
    words = normalise(text).strip()
    order = choice_order(advisor)
    if words.isdigit() and 1 <= int(words) <= len(order):
        return draft_for_purpose(advisor, order[int(words) - 1], facts)
    named = [("purpose:" + p.id, p.words) for p in advisor.rulebase.purposes.values()]
    named += [(d.id, d.request_words) for d in advisor.rulebase.drafts.values()
              if d.request_words]
    drafts = advisor.rulebase.drafts
    # each draft the situation calls for, then its purpose, in the order they are called for
    preferred = [key for d in prefer
                 for key in (d, "purpose:" + drafts[d].purpose if d in drafts else d)]
    key = longest_named(text, named, preferred, advisor.rulebase.words.request_fillers)
    if key and key.startswith("purpose:"):
        return draft_for_purpose(advisor, key[len("purpose:"):], facts)
    return key


def words_naming(advisor: Advisor, text: str, draft_id: str) -> int:
    """How many words the longest phrase in ``text`` naming this draft has (its own
    ``request_words`` or its purpose's words); 0 when none is there."""
    draft = advisor.rulebase.drafts[draft_id]
    purpose = advisor.rulebase.purposes.get(draft.purpose)
    phrases_ = list(draft.request_words) + (list(purpose.words) if purpose else [])
    fillers = advisor.rulebase.words.request_fillers
    return max((len(normalise(p).split()) for p in phrases_ if names_phrase(text, p, fillers)),
               default=0)


def draft_for_purpose(advisor: Advisor, purpose: str, facts: Mapping[str, Any]) -> Optional[str]:
    """The best draft for a purpose given the facts (internal and rejection variants)."""
    candidates = advisor.drafts_for(purpose)
    if not candidates:
        return purpose if purpose in advisor.rulebase.drafts else None
    internal = facts.get("interview_type") == "internal"
    rejected = facts.get("stage") == "rejected"

    def score(draft_id: str) -> int:
        points = 0
        if "internal" in draft_id:
            points += 2 if internal else -2
        if "rejection" in draft_id:
            points += 2 if rejected else -1
        return points

    return max(candidates, key=lambda d: score(d.id)).id  # max keeps the first of equals


def choose_draft(advisor: Advisor, state: State, draft_type: Optional[str]) -> Optional[str]:
    """Which message to write: the asked-for type, else what the situation calls for."""
    facts = {k: v.get("value") for k, v in state.facts.items()}
    if draft_type:
        if draft_type in advisor.rulebase.drafts:
            return draft_type
        chosen = draft_for_purpose(advisor, draft_type, facts)
        if chosen:
            return chosen
        named = draft_named_in(advisor, draft_type, facts)
        if named:
            return named
    not_interested = facts.get("interest") == "not_interested" or \
        facts.get("certain_to_decline") is True
    # asked about backing out ("how do i tell them no?"): a message is the way to do it
    backing_out = not_interested or facts.get("question") == "back_out"
    if facts.get("stage") == "offer" and backing_out:
        return draft_for_purpose(advisor, "decline_offer", facts)
    if backing_out:
        return draft_for_purpose(advisor, "withdrawal", facts)
    if facts.get("stage") == "rejected":
        return draft_for_purpose(advisor, "thank_you", facts)
    if facts.get("interview_type") == "internal" and facts.get("manager_aware") is not True:
        return draft_for_purpose(advisor, "tell_manager", facts)
    offered = advice_drafts(advisor, state.last_advice)
    if offered:
        return offered[0]
    if facts.get("other_roles_suggested") is True and facts.get("stage") not in ("offer",
                                                                                 "rejected"):
        # they pointed the person to another opening and no advice chose a message yet ("how
        # do i go back to her about the partnerships thing ... could u write it"): the
        # message is about that role
        return draft_for_purpose(advisor, "interested_in_other_role", facts)
    if facts.get("recent_improvement") is True and facts.get("stage") not in ("offer",
                                                                               "rejected"):
        # their job got better since they applied: what they have to tell the recruiter is
        # that things changed ("my company just promoted me ... what should i send the
        # recruiter")
        return draft_for_purpose(advisor, "update_on_changed_circumstances", facts)
    if facts.get("stage") == "done":
        return draft_for_purpose(advisor, "thank_you", facts)
    return None


def advice_drafts(advisor: Advisor, rule_ids: Sequence[str]) -> List[str]:
    """The drafts the given advice rules offer, in their order."""
    found: List[str] = []
    for rule_id in rule_ids:
        try:
            draft_id = advisor.rulebase.rule(rule_id).draft
        except KeyError:
            continue
        if draft_id and draft_id in advisor.rulebase.drafts and draft_id not in found:
            found.append(draft_id)
    return found


def situation_drafts(advisor: Advisor, state: State) -> List[str]:
    """The drafts the situation calls for, to settle words that name two ("nudge Corvid"
    is the other-offer message while another company's offer waits, a plain follow-up
    otherwise): those the advice of this opportunity offers, then those the other
    opportunities' advice offers."""
    found = advice_drafts(advisor, state.last_advice)
    for entry in state.opportunities:
        if entry.get("id") == state.active:
            continue
        found += [d for d in advice_drafts(advisor, entry.get("last_advice") or [])
                  if d not in found]
    return found


def draft_prefill(advisor: Advisor, draft_id: str, details: Mapping[str, Optional[str]],
                  memory: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """Placeholder values already known: remembered answers, then company/role/person slots."""
    draft = advisor.rulebase.drafts[draft_id]
    values: Dict[str, str] = {}
    for name, value in (memory or {}).items():
        if name in draft.placeholders and value:
            values[name] = str(value)
    if details.get("company") and "company" in draft.placeholders:
        values["company"] = str(details["company"])
    if details.get("role") and "role" in draft.placeholders:
        values["role"] = str(details["role"])
    person = details.get("person_name")
    if person:
        target = "manager_name" if draft.purpose == "tell_manager" else "contact_name"
        if target in draft.placeholders:
            values[target] = str(person)
    return values


#: how the start of a draft repeats the details it already took from the conversation
KNOWN_DETAILS = "From what you've told me: {items}."
#: the prefilled placeholders named back, in this order, with how each is said
KNOWN_LABELS = (("contact_name", "to {}"), ("manager_name", "to {}"), ("company", "at {}"),
                ("team", "in {}"), ("role", "the {} role"))


def known_details(values: Mapping[str, str]) -> Optional[str]:
    """"From what you've told me: to Priya, at Quillon Analytics, the data engineer role." -
    the details a draft took from the request and the earlier turns, so the person sees they
    were heard (and can correct them) rather than wonder whether they will be asked again."""
    items = [label.format(values[name]) for name, label in KNOWN_LABELS if values.get(name)]
    return KNOWN_DETAILS.format(items=", ".join(items)) if items else None


def next_missing(advisor: Advisor, draft_id: str, values: Mapping[str, str]) -> Optional[str]:
    """The next placeholder to ask for: no default and no answer (a skipped one counts as
    answered - it keeps its [bracket])."""
    draft = advisor.rulebase.drafts[draft_id]
    for name, placeholder in draft.placeholders.items():
        if name not in values and placeholder.default is None:
            return name
    return None


def missing_count(advisor: Advisor, draft_id: str, values: Mapping[str, str]) -> int:
    draft = advisor.rulebase.drafts[draft_id]
    return sum(1 for n, p in draft.placeholders.items() if n not in values and p.default is None)


def placeholder_question(advisor: Advisor, draft_id: Optional[str],
                         pending: Optional[str]) -> AskedQuestion:
    """The form's next question: which message to write, or the placeholder to fill."""
    if pending == CHOICE or not draft_id or draft_id not in advisor.rulebase.drafts:
        purposes = list(advisor.rulebase.purposes.values())
        options = "; ".join(f"{n}) {p.label}" for n, p in enumerate(purposes, 1))
        return AskedQuestion(fact=None, text=f"{phrases.WHICH_MESSAGE} {options}.",
                             options=[Option(p.id, p.label) for p in purposes], optional=False)
    placeholder = advisor.rulebase.drafts[draft_id].placeholders.get(pending or "")
    if placeholder is None:
        return AskedQuestion(fact=None, text=phrases.WHAT_TO_PUT, optional=False)
    return AskedQuestion(fact=None, optional=False,
                         text=phrases.PLACEHOLDER_HINT.format(question=placeholder.question),
                         options=[Option("skip", "skip"), Option("stop", "stop")])


@dataclass
class DraftState:
    draft_id: Optional[str]
    values: Dict[str, str]
    pending: Optional[str]
    cancelled: bool = False
    note: Optional[str] = None          # something to tell the person before the next question

    @property
    def answer_slot(self) -> Optional[str]:
        """The value for the form's slot: None asks again, a sentinel ends the form."""
        if self.cancelled:
            return STOPPED
        return None if self.pending else DONE


def names_a_message(advisor: Advisor, text: str) -> bool:
    """Does the message use a word for a message ("draft", "email")? "draft it" again while
    the form runs is not an answer (but "Kofi Mensah", which NLU may file under request_draft,
    is)."""
    return contains_any(text, advisor.rulebase.words.draft_request_words)


def asks_rather_than_requests(advisor: Advisor, text: str,
                              facts: Optional[Mapping[str, Any]] = None,
                              earlier: Sequence[str] = ()) -> bool:
    """"should I tell my manager?", "what should I ask them then?" or "will it hurt me if i
    say no?" filed under request_draft: a direct question, a question about what to do or
    about what would happen, with no word asking for a message - it gets its answer and the
    advice, not a draft. ``facts`` and the ``earlier`` messages tell whom a pronoun stands for
    ("my boss is called Fiona" ... "how do i tell her?" asks about telling the manager)."""
    if names_a_message(advisor, text):
        return False
    return asks_what_to_do(advisor, text) or asks_what_happens(advisor, text) or \
        bool(advisor.direct_answers(text, facts, earlier))


def asks_what_happens(advisor: Advisor, text: str) -> bool:
    """"if i say no to the internal one will it hurt me", "would turning it down count
    against me": a question about what follows from a choice, not a request for its wording -
    the purpose words in it ("say no") name the choice, not a message (unless it also asks for
    words: "how do i say no without it hurting me")."""
    words = advisor.rulebase.words
    return says(words.asks_what_happens, text) and \
        not says(words.asks_for_words, text, unless=words.asks_for_words_not)


#: a request in a long message counts when it is in its last sentences (after the story)
REQUEST_TAIL_CHARS = 160


def asks_for_a_draft(advisor: Advisor, text: str, answers: Sequence[Any]) -> bool:
    """Does a message that NLU did not file as a draft request ask for a message all the
    same ("...she left and i'm happy now. how do i let them know im done", the
    ``asks_for_words`` of rules/words.yml)? The request has to come at the end of a long story
    (where people put what they want), and a direct question the rule base answers ("how do i
    tell my manager?" is not one, but "should i tell...?") is answered instead: ``answers``
    are the message's direct answers (``Advisor.direct_answers``), computed once by the
    caller."""
    words = advisor.rulebase.words
    return not answers and says(words.asks_for_words, request_tail(text),
                                unless=words.asks_for_words_not)


def request_part(advisor: Advisor, text: str) -> str:
    """The message from the clause that asks for a message onwards ("so can you help me write
    to her to withdraw"); the whole message when no clause does."""
    parts = [p for p in re.split(r"(?<=[,.;:!?\n])", text or "") if p.strip()]
    words = advisor.rulebase.words
    for i in range(len(parts) - 1, -1, -1):
        if says(words.asks_for_words, parts[i], unless=words.asks_for_words_not):
            return "".join(parts[i:])
    return text or ""


def question_before_request(advisor: Advisor, text: str,
                            facts: Optional[Mapping[str, Any]] = None) -> Optional[Any]:
    """The direct question asked before the request for a message, answered before the draft
    ("do i owe them an explanation when i pull out? and could you write the email for me"):
    the rule base's answer (``Advisor.direct_answers``) to the part before the clause that asks
    for the message, or None."""
    request = request_part(advisor, text)
    asked = (text or "")[:len(text or "") - len(request)]
    if not asked.strip() or not (text or "").endswith(request):
        return None
    answers = advisor.direct_answers(asked, facts)
    return answers[0] if answers else None


def request_tail(text: Optional[str]) -> str:
    """Where a request in a message counts: all of a short one, the end of a long story."""
    text = text or ""
    return text if len(text) <= REQUEST_TAIL_CHARS * 2 else text[-REQUEST_TAIL_CHARS:]


def asks_for_a_set_message(advisor: Advisor, text: str, answers: Sequence[Any]) -> bool:
    """A request for a message at the end of a decision question ("...how do i let corrib know
    so they hurry up") that names one of the drafts offered by their own ``request_words``
    (more time, terms in writing, another offer): that message is what is asked for, not the
    decision - unlike "how do i say no nicely?", which gets the advice (and its draft offer)."""
    if not asks_for_a_draft(advisor, text, answers):
        return False
    return draft_named_in(advisor, request_tail(text), {}) in {
        d.id for d in advisor.rulebase.drafts.values() if d.request_words}


def _asks_in_form(advisor: Advisor, text: str, first_words: Sequence[str]) -> bool:
    """Does the tail hold one of the ``asks_for_words`` that start with one of
    ``first_words`` ("how": a question about how to say it; "i": a need told, "i need to
    answer them")?"""
    words = advisor.rulebase.words
    cues = [c for c in words.asks_for_words
            if c.lstrip("^").split()[0].split("|")[0] in first_words]
    return says(cues, request_tail(text), unless=words.asks_for_words_not)


def asks_for_message_in_decision(advisor: Advisor, text: str, intent: Optional[str],
                                 answers: Sequence[Any]) -> bool:
    """A message NLU filed as a decision (backing out, an offer) that asks for a message all
    the same: one of the drafts named by their own words (more time, another offer), a request
    to write it ("help me decline Fletcher Moss politely", "can you put that together"), or,
    about backing out, how to tell them ("how do i tell penhallow no") - the message is the
    answer. "how do i say no nicely?" asks no such thing, and "i need to answer them by friday"
    tells a need: they get the advice (which offers the draft)."""
    if not asks_for_a_draft(advisor, text, answers):
        return False
    if asks_for_a_set_message(advisor, text, answers):
        return True
    if _asks_in_form(advisor, text, ("how",)):
        return intent == ASK_WITHDRAW
    # a need told asks for the message when it says what the message is ("i need to tell them
    # no nicely": a purpose's words); "i need to answer them by friday" does not
    return not _asks_in_form(advisor, text, ("i",)) or \
        purpose_named_in(advisor, request_part(advisor, text)) is not None


def addressee(advisor: Advisor, state: State, text: str,
              entities: Sequence[Mapping[str, Any]] = ()) -> Optional[str]:
    """The opportunity a request naming several is addressed to: the one named last, where
    the request is ("leaning greyling now. how do i tell penhallow no" writes to Penhallow;
    "withdraw from brightwater, no wait, from ashgrove" to Ashgrove). None when it names
    fewer than two."""
    mentions = [m for m in find_mentions(advisor, state, text, entities) if m.key]
    if len({m.key for m in mentions}) < 2:
        return None
    return str(mentions[-1].key)


def start_draft(advisor: Advisor, state: State, draft_type: Optional[str],
                details: Mapping[str, Optional[str]],
                memory: Optional[Mapping[str, str]] = None, text: str = "",
                earlier: Sequence[str] = ()) -> DraftState:
    """Pick and prefill the draft: the draft_type entity, else words of the request that name
    one ("write the thank-you email" when NLU missed the entity), else the situation. A
    contact NLU did not tag is looked for in ``text``, then in the ``earlier`` messages."""
    if text and not normalise(text).strip().isdigit():
        facts = {k: v.get("value") for k, v in state.facts.items()}
        prefer = situation_drafts(advisor, state)
        # the words of the request itself first ("i got an offer elsewhere, so can you help me
        # write to her to withdraw" withdraws), then the whole message
        worded = draft_named_in(advisor, request_part(advisor, text), facts, prefer) or \
            draft_named_in(advisor, text, facts, prefer)
        if not draft_type or (worded and worded != choose_draft(advisor, state, draft_type) and
                              words_naming(advisor, text, worded) >
                              len(normalise(draft_type).split())):
            # more specific words than NLU's entity ("say thanks" in "a message to say thanks
            # but no thanks") name the draft
            draft_type = worded or draft_type
    draft_id = choose_draft(advisor, state, draft_type)
    if draft_id is None:
        return DraftState(None, {}, CHOICE)
    wordlists = advisor.rulebase.words
    named = named_person(text, wordlists) or next(
        (name for name in (named_person(said, wordlists) for said in reversed(earlier))
         if name), None)
    if named and not details.get("person_name"):
        details = {**details, "person_name": named}
    company = named_company(text, wordlists)
    if company and not details.get("company"):
        details = {**details, "company": company}
    role = named_role(text, wordlists)
    if not role and not details.get("role") and not is_multi(state):
        # the role said in an earlier message about the one opportunity ("interview with
        # Brightwater on thursday for the housing officer post" ... "what do i even say to
        # them"), as the contact is; with several, an earlier role may be another's
        role = next((found for found in (named_role(said, wordlists)
                                         for said in reversed(earlier)) if found), None)
    if role and not details.get("role"):
        details = {**details, "role": role}
    if details.get("person_name") and details.get("company") and \
            str(details["company"]).lower() == str(details.get("person_name")).lower():
        # "the email came from brennock": the employer, not a person, sent it
        details = {k: v for k, v in details.items() if k != "person_name"}
    values = draft_prefill(advisor, draft_id, details, memory)
    team = named_team(text, wordlists)
    if team and "team" in advisor.rulebase.drafts[draft_id].placeholders and \
            not values.get("team"):
        values["team"] = team
    return DraftState(draft_id, values, next_missing(advisor, draft_id, values))


def draft_step(advisor: Advisor, draft: DraftState, text: str, intent: Optional[str],
               entities: Mapping[str, str], facts: Mapping[str, Any],
               details: Mapping[str, Optional[str]],
               memory: Optional[Mapping[str, str]] = None) -> DraftState:
    """Take one answer inside the draft form; return the new draft state.

    ``skip``/``don't know`` keeps the placeholder's default or its [bracket]; ``stop``, or a
    plain "no", drops the draft; anything else is the answer (an entity of the right kind in the
    message wins over the raw words).
    """
    draft = DraftState(draft.draft_id, dict(draft.values), draft.pending)
    text = (text or "").strip()
    if is_stop(advisor, text) or (intent == "deny" and not is_skip(advisor, text)):
        draft.cancelled = True
        return draft
    if draft.pending == CHOICE or draft.draft_id is None:
        choice = None
        if entities.get("draft_type"):
            choice = choose_draft(advisor, State(), entities["draft_type"])
        choice = choice or draft_named_in(advisor, text, facts)
        if choice is None:
            if is_skip(advisor, text):
                draft.cancelled = True
            else:
                draft.note = "Sorry, I didn't catch which message you need."
            return draft
        values = draft_prefill(advisor, choice, details, memory)
        return DraftState(choice, values, next_missing(advisor, choice, values))
    pending = draft.pending
    if pending is None:
        return draft
    words = advisor.rulebase.words
    if intent == REQUEST_DRAFT or says(words.asks_for_words, text,
                                       unless=words.asks_for_words_not):
        # "actually write the thank-you one", "what should I tell my boss": another message -
        # also when NLU did not see a request in it, if its words ask for a message ("scrap
        # that, just write the one where i pull out")
        if entities.get("draft_type"):
            switched = choose_draft(advisor,
                                    State(facts={k: {"value": v} for k, v in facts.items()}),
                                    entities["draft_type"])
        else:
            switched = draft_named_in(advisor, text, facts)
        if switched and switched != draft.draft_id:
            values = draft_prefill(advisor, switched, details, memory)
            return DraftState(switched, values, next_missing(advisor, switched, values),
                              note=f"Switching to: {advisor.rulebase.drafts[switched].title}.")
    if intent == REQUEST_DRAFT and names_a_message(advisor, text):
        draft.note = "We're writing it right now - just answer the question below."
        return draft
    if is_skip(advisor, text):
        draft.values[pending] = ""
        draft.note = "Skipped - I'll leave that part for you to fill in."
    elif intent == "affirm" and word_count(text) <= 2:
        draft.note = "I need the actual words for this one."
        return draft
    elif pending in NOT_A_NAME and entities.get("person_name") and \
            entity_covers(text, entities["person_name"]) and \
            not entities.get(PLACEHOLDER_ENTITIES.get(pending, "")) and \
            draft.values.get(NAME_CHECKED) != pending:
        draft.note = "That sounds like a person's name - I'm asking about something else."
        draft.values[NAME_CHECKED] = pending  # the same answer again is taken as it is
        return draft
    else:
        entity = PLACEHOLDER_ENTITIES.get(pending)
        value = entities.get(entity) if entity else None
        if value and not entity_covers(text, value):
            value = None  # "Kim Lee" with a stray entity "Lee": the person's words win
        others = other_details(advisor, draft, text)
        answer = value or (own_clause(text) if others else text)
        draft.values[pending] = clean_answer(answer) or text[:200]
        draft.values.update(others)
    draft.pending = next_missing(advisor, draft.draft_id, draft.values)
    return draft


_ANSWER_CLAUSES = re.compile(r"[^,;\n]+")


def own_clause(text: str) -> str:
    """The first clause of an answer that goes on to name other details ("its Kestrel
    Analytics, the role's called insights partner" answers "Which company?" with its first
    clause)."""
    found = _ANSWER_CLAUSES.search(text or "")
    return found.group(0).strip() if found else (text or "")


def other_details(advisor: Advisor, draft: DraftState, text: str) -> Dict[str, str]:
    """Details still missing that an answer names in a later clause, besides the one asked:
    the role by what it is called or the company, read as in a request
    (:func:`named_role`, :func:`named_company`)."""
    clauses = _ANSWER_CLAUSES.findall(text or "")
    if len(clauses) < 2 or draft.draft_id not in advisor.rulebase.drafts:
        return {}
    rest = ",".join(clauses[1:])
    placeholders = advisor.rulebase.drafts[str(draft.draft_id)].placeholders
    wordlists = advisor.rulebase.words
    found: Dict[str, str] = {}
    for name, reader in (("role", named_role), ("company", named_company)):
        if name != draft.pending and name in placeholders and not draft.values.get(name):
            value = reader(rest, wordlists)
            if value:
                found[name] = value
    return found


def remembered(values: Mapping[str, str], memory: Optional[Mapping[str, str]]) -> Dict[str, str]:
    """Merge a finished draft's answers into what is remembered for later drafts."""
    merged = dict(memory or {})
    for name in REMEMBERED_PLACEHOLDERS:
        if values.get(name):
            merged[name] = values[name]
    return merged
