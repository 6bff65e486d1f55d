"""The advisor: detection plus rule evaluation, with explanations and the next best question.

>>> advisor = Advisor()                                          # doctest: +SKIP
>>> result = advisor.analyze("the recruiter couldn't say what the job is",
...                          facts={"interview_type": "internal"})  # doctest: +SKIP
>>> [s.id for s in result.signals], [a.rule for a in result.advice][:2]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import string
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .backstop import Backstop
from .conditions import Context, KnownFact, coerce_fact_value
from .cues import compile_cues
from .detect import Hit, PatternSource, amounts_agree
from .errors import RuleBaseError, RuleIssue
from .nlp import Normaliser, lemma_table, word_classes
from .reader import READER_FILE, Reader, Reading
from .rulebase import Draft, RuleBase, check_rulebase, default_rules_dir
from .stance import earlier_feeling
from .wording import SENTENCE_END_MARKS, normalise

MAX_TEXT_CHARS = 20_000
_WORD = re.compile(r"\w+")
#: a clause: what stands between , . ; : ! ? and line ends, without its outer spaces
_CLAUSE = re.compile(r"[^,.;:!?\n\s][^,.;:!?\n]*")
_SURROGATES = re.compile("[\ud800-\udfff]")
#: where a sentence ends, for quoting a changed feeling to the end of its sentence
_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_END_MARKS) + "]")


@dataclass
class SignalFinding:
    id: str
    title: str
    severity: str
    why: str
    hits: List[Hit]

    def as_dict(self) -> Dict[str, Any]:
        first = self.hits[0]
        return {"id": self.id, "title": self.title, "severity": self.severity,
                "evidence": first.text, "start": first.start, "end": first.end,
                "why": self.why, "matches": [h.as_dict() for h in self.hits]}


@dataclass
class AdviceItem:
    rule: str
    title: str
    topic: str
    priority: int
    text: str
    why: str
    next_steps: List[str]
    questions_to_ask: List[str]
    draft: Optional[str]
    because: List[Dict[str, Any]]
    source: Dict[str, str]

    def as_dict(self) -> Dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "topic": self.topic,
                "priority": self.priority, "text": self.text, "why": self.why,
                "next_steps": self.next_steps, "questions_to_ask": self.questions_to_ask,
                "draft": self.draft, "because": self.because, "source": self.source}


@dataclass
class Question:
    fact: str
    question: str
    options: Dict[str, str]
    would_decide: List[str]
    score: float

    def as_dict(self) -> Dict[str, Any]:
        return {"fact": self.fact, "question": self.question, "options": self.options,
                "would_decide": self.would_decide}


@dataclass
class Detection:
    """What was found in one message."""

    signals: Dict[str, List[Hit]]
    facts: Dict[str, KnownFact]


@dataclass
class Analysis:
    signals: List[SignalFinding]
    facts: Dict[str, KnownFact]
    advice: List[AdviceItem]
    questions: List[Question]
    notes: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        return {"signals": [s.as_dict() for s in self.signals],
                "facts": {k: v.as_dict() for k, v in self.facts.items()},
                "advice": [a.as_dict() for a in self.advice],
                "questions": [q.as_dict() for q in self.questions],
                "notes": self.notes}

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, **kwargs)


@dataclass
class DirectAnswer:
    """The short answer to a direct question the person asked, given before the advice."""

    id: str                      # the question's id in the rule base (questions:)
    title: str                   # the question, as a short title
    answer: str                  # one or two sentences, starting "Yes"/"No"/"It depends"
    evidence: str                # the words of the message that asked it
    start: int                   # character offsets of the evidence in the message
    end: int
    source: Dict[str, str]       # {seed, section}
    because: List[Dict[str, Any]] = field(default_factory=list)  # the facts it depends on

    def as_dict(self) -> Dict[str, Any]:
        return {"id": self.id, "title": self.title, "answer": self.answer,
                "evidence": self.evidence, "start": self.start, "end": self.end,
                "source": self.source, "because": self.because}


@dataclass
class RenderedDraft:
    id: str
    title: str
    text: str
    missing: List[Tuple[str, str]]   # (placeholder, question) still needed


class Advisor:
    """Loads the rule base once; analyses messages; reloads safely when the files change."""

    def __init__(self, rules_dir: Optional[Path] = None) -> None:
        self.rules_dir = Path(rules_dir) if rules_dir is not None else default_rules_dir()
        self.normaliser = Normaliser()
        self._lock = threading.Lock()
        rulebase, issues = check_rulebase(self.rules_dir, self.normaliser)
        if rulebase is None:
            raise RuleBaseError(issues)
        self.rulebase: RuleBase = rulebase
        #: the statistical reader for facts and direct questions the patterns missed (None
        #: without rules/reader.json, or when switched off for a measurement)
        self.reader: Optional[Reader] = Reader.load(self.rules_dir / READER_FILE)

    # -- reloading ----------------------------------------------------------------------------
    def reload(self) -> List[RuleIssue]:
        """Load the rule base again; on errors keep the current one and return the errors."""
        rulebase, issues = check_rulebase(self.rules_dir, self.normaliser)
        if rulebase is None:
            return issues
        with self._lock:
            self.rulebase = rulebase
            self.reader = Reader.load(self.rules_dir / READER_FILE)
        return []

    def reload_if_changed(self) -> Optional[List[RuleIssue]]:
        """Reload when the files' fingerprint changed; None when nothing changed."""
        from .rulebase import fingerprint

        if fingerprint(self.rules_dir) == self.rulebase.fingerprint:
            return None
        return self.reload()

    # -- facts --------------------------------------------------------------------------------
    def parse_facts(self, raw: Mapping[str, Any], source: str = "given") -> Dict[str, KnownFact]:
        """Validate and coerce fact values; raise ValueError naming the bad one."""
        facts: Dict[str, KnownFact] = {}
        for name, value in raw.items():
            fact = self.rulebase.facts.get(name)
            if fact is None:
                raise ValueError(f"unknown fact {name!r}; known facts: "
                                 f"{', '.join(sorted(self.rulebase.facts))}")
            facts[name] = KnownFact(coerce_fact_value(fact.spec, value), source)
        return facts

    # -- detection ----------------------------------------------------------------------------
    def detect(self, text: str, backstop: Optional[Backstop] = None,
               threshold: Optional[float] = None) -> Detection:
        """Red flags and facts in ``text``: the YAML patterns first, then the statistical
        backstop for flags the patterns missed (``backstop``/``threshold`` override the rule
        base's, for evaluation)."""
        rulebase = self.rulebase
        # lone surrogates (from broken UTF-16/JSON) crash spaCy; U+FFFD keeps every offset
        text = _SURROGATES.sub("\ufffd", (text or "")[:MAX_TEXT_CHARS])
        signals: Dict[str, List[Hit]] = {}
        fact_hits: Dict[str, Hit] = {}
        fact_found: Dict[str, List[Hit]] = {}
        hits, reassurances = rulebase.detector.run_full(text) if text.strip() else ([], {})
        for hit in hits:
            kind, _, rest = hit.owner.partition(":")
            if kind == "signal":
                signals.setdefault(rest, []).append(hit)
            else:
                fact_id = rest.partition("=")[0]
                fact_found.setdefault(fact_id, []).append(hit)
        grammar = rulebase.detector.grammar
        left_behind: Dict[str, Hit] = {}   # fact id -> the last feeling turned away from
        for fact_id, read in fact_found.items():
            if rulebase.facts[fact_id].changes_mind is not None:
                # "i was keen at first but ...": how they used to feel is not how they feel
                earlier = [h for h in read if earlier_feeling(text, h.start, h.end, grammar)]
                if earlier:
                    left_behind[fact_id] = earlier[-1]
                    read = [h for h in read if h not in earlier]
            if read:
                fact_hits[fact_id] = _fact_reading(read, rulebase.facts[fact_id].prevails,
                                                   text, rulebase.words.additions)
        facts = {fact_id: KnownFact(json.loads(hit.owner.partition("=")[2]), "text", hit)
                 for fact_id, hit in fact_hits.items()}
        if self.reader is not None and text.strip():
            for reading in self._read(text, "fact", facts):
                if any(reading.start <= start and end <= reading.end
                       for start, end in reassurances.get(reading.label, ())):
                    continue  # the value's own `unless` stands in it ("not keen on the commute")
                if rulebase.facts[reading.name].changes_mind is not None and \
                        earlier_feeling(text, reading.start, reading.end, grammar):
                    left_behind.setdefault(reading.name, _reader_hit(text, reading))
                    continue
                facts[reading.name] = KnownFact(reading.value, "text",
                                                _reader_hit(text, reading))
        for fact_id, hit in left_behind.items():
            if fact_id not in facts:
                now = _feeling_now(text, hit, rulebase.facts[fact_id].changes_mind or {})
                if now is not None:
                    facts[fact_id] = KnownFact(json.loads(now.owner.partition("=")[2]), "text",
                                               now)
        model = backstop if backstop is not None else rulebase.backstop
        if model is not None and text.strip():
            active = rulebase.active_signals
            hypothetical: Optional[List[Tuple[int, int]]] = None  # worked out when needed
            for found in model.detect(text, skip=tuple(signals), threshold=threshold,
                                      beside=bool(signals)):
                owner = f"signal:{found.signal}"
                if found.signal not in active or any(
                        found.start <= start and end <= found.end
                        for start, end in reassurances.get(owner, ())):
                    continue  # the sentence it relies on also reassures ("laid out in detail")
                if amounts_agree(owner, text[found.start:found.end]):
                    continue  # "they said 75k and the offer says 75k"
                if hypothetical is None:
                    hypothetical = rulebase.detector.hypothetical_spans(text)
                if _mostly_hypothetical(text, found.start, found.end, hypothetical):
                    continue  # "is it a red flag if they take two weeks to reply?"
                source = PatternSource(owner, "model",
                                       f"statistical backstop (p={found.probability:.2f}); "
                                       f"words that weighed most: {', '.join(found.words)}")
                # decided on the whole sentence (reassurances, hypotheticals); quoted by the
                # clause that carries the flag
                q_start, q_end = found.quote if found.quote != (0, 0) else \
                    (found.start, found.end)
                signals[found.signal] = [Hit(owner, q_start, q_end, text[q_start:q_end],
                                             source)]
        return Detection(signals, facts)

    def _read(self, text: str, kind: str, skip: Any) -> List[Reading]:
        """The reader's readings of ``kind`` the rule base knows, not mostly hypothetical
        ("if i got the offer i'd decline" does not tell that the person would)."""
        assert self.reader is not None
        known = self.rulebase.facts if kind == "fact" else self.rulebase.active_questions
        readings = [r for r in self.reader.read(text, kind, skip) if r.name in known]
        if not readings:
            return []
        hypothetical = self.rulebase.detector.hypothetical_spans(text)
        return [r for r in readings
                if not _mostly_hypothetical(text, r.start, r.end, hypothetical)]

    # -- evaluation ---------------------------------------------------------------------------
    def evaluate(self, signals: Mapping[str, Sequence[Hit]], facts: Mapping[str, KnownFact],
                 skip_questions: Sequence[str] = ()) -> Tuple[List[AdviceItem], List[Question]]:
        rulebase = self.rulebase
        active = {k: list(v) for k, v in signals.items() if k in rulebase.active_signals}
        ctx = Context(facts, active)
        advice: List[AdviceItem] = []
        open_rules = []
        for rule in rulebase.active_rules:
            outcome = rule.when.value(ctx)
            if outcome is True:
                because = [r.as_dict() for r in rule.when.explain(ctx)]
                advice.append(AdviceItem(rule.id, rule.title, rule.topic, rule.priority,
                                         rule.advice, rule.why, rule.next_steps,
                                         rule.questions_to_ask, rule.draft, because,
                                         rule.source))
            elif outcome is None:
                open_rules.append(rule)
        return advice, self._questions(ctx, open_rules, skip_questions)

    def _questions(self, ctx: Context, open_rules: Sequence[Any],
                   skip: Sequence[str]) -> List[Question]:
        scores: Dict[str, float] = {}
        decides: Dict[str, List[str]] = {}
        for rule in open_rules:
            for fact_id in sorted(rule.when.facts() - set(ctx.facts)):
                if fact_id in skip or self.rulebase.facts[fact_id].scope == "derived":
                    continue  # derived facts are worked out, never asked
                spec = self.rulebase.facts[fact_id].spec
                outcomes = set()
                for value in spec.values:
                    trial = dict(ctx.facts)
                    trial[fact_id] = KnownFact(value)
                    outcomes.add(rule.when.value(Context(trial, ctx.signals, ctx.signal_count)))
                if True in outcomes:
                    weight = float(rule.priority)
                elif False in outcomes and None in outcomes:
                    weight = rule.priority / 3
                else:
                    continue
                scores[fact_id] = scores.get(fact_id, 0.0) + weight
                if True in outcomes:
                    decides.setdefault(fact_id, []).append(rule.id)
        questions = []
        for fact_id, score in scores.items():
            fact = self.rulebase.facts[fact_id]
            if fact.ask_unless is not None and fact.ask_unless.value(ctx) is True:
                continue    # the answer is plain from what is known
            questions.append(Question(fact_id, fact.question, fact.options,
                                      decides.get(fact_id, []), score + fact.ask_priority / 100))
        questions.sort(key=lambda q: (-q.score, q.fact))
        return questions

    def analyze(self, text: str, facts: Optional[Mapping[str, Any]] = None) -> Analysis:
        """Detect signals and facts in ``text``, merge given facts (they win), evaluate."""
        rulebase = self.rulebase
        notes: List[str] = []
        if text and len(text) > MAX_TEXT_CHARS:
            notes.append(f"only the first {MAX_TEXT_CHARS} characters were analysed")
        detection = self.detect(text)
        merged: Dict[str, KnownFact] = dict(detection.facts)
        merged.update(self.parse_facts(facts or {}))
        advice, questions = self.evaluate(detection.signals, merged)
        findings = [SignalFinding(sid, rulebase.signals[sid].title, rulebase.signals[sid].severity,
                                  rulebase.signals[sid].why, hits)
                    for sid, hits in sorted(detection.signals.items(),
                                            key=lambda kv: kv[1][0].start)]
        return Analysis(findings, merged, advice, questions, notes)

    # -- direct answers -------------------------------------------------------------------------
    def direct_answers(self, text: str, facts: Optional[Mapping[str, Any]] = None,
                       earlier: Sequence[str] = ()) -> List[DirectAnswer]:
        """The direct questions asked in ``text`` ("is it dishonest to keep interviewing?")
        with the rule base's short answer to each, most specific first.

        ``facts`` are what is known already (values, or :class:`KnownFact`); facts detected in
        ``text`` count too, the given ones win. An answer with a ``when`` condition is given
        only when its condition is true, and comes before the answers without one; then a
        longer quoted question comes first, then the rule base's order. One answer per
        question entry; an empty list when no direct question was asked. ``earlier``: the
        person's earlier messages - a pronoun asked about ("how do i tell her?") stands for
        the manager named in one of them ("my boss is called Fiona")."""
        rulebase = self.rulebase
        detector = rulebase.question_detector
        text = (text or "")[:MAX_TEXT_CHARS]
        if detector is None or not text.strip() or not rulebase.active_questions:
            return []
        hits: Dict[str, Hit] = {}
        for hit in detector.run(text):
            question_id = hit.owner.partition(":")[2]
            previous = hits.get(question_id)
            if previous is None or (hit.end - hit.start) > (previous.end - previous.start):
                hits[question_id] = hit
        if not hits:
            # asked sideways ("is there any way i can ...", "do you think i should ..."): the
            # plain form
            hits = self._plain_form_hits(text)
        if not hits:
            # asked about a person named before by a pronoun ("my head teacher doesnt know yet.
            # should i tell her?"): the question with the person put back
            hits = self._referent_hits(text, "manager_aware" in (facts or {}) or
                                       self._names_manager(earlier))
        if not hits and self.reader is not None:
            # the patterns found no question: the reader's most likely one, if any
            for reading in self._read(text, "question", ())[:1]:
                hits[reading.name] = _reader_hit(text, reading)
        if not hits:
            return []
        detection = self.detect(text)
        known: Dict[str, KnownFact] = dict(detection.facts)
        plain = {k: v for k, v in (facts or {}).items() if not isinstance(v, KnownFact)}
        known.update(self.parse_facts(plain))
        known.update({k: v for k, v in (facts or {}).items() if isinstance(v, KnownFact)})
        ctx = Context(known, {k: list(v) for k, v in detection.signals.items()
                              if k in rulebase.active_signals})
        ranked: List[Tuple[Tuple[int, int, int], DirectAnswer]] = []
        for question_id, hit in hits.items():
            question = rulebase.questions[question_id]
            because: List[Dict[str, Any]] = []
            if question.when is not None:
                if question.when.value(ctx) is not True:
                    continue
                because = [r.as_dict() for r in question.when.explain(ctx)]
            answer = DirectAnswer(question.id, question.title,
                                  question.answer_for(self._framing(text, hit)), hit.text,
                                  hit.start, hit.end, dict(question.source), because)
            key = (0 if question.when is not None else 1, -(hit.end - hit.start), question.index)
            ranked.append((key, answer))
        ranked.sort(key=lambda item: item[0])
        return [answer for _, answer in ranked]

    def _framing(self, text: str, hit: Hit) -> Optional[str]:
        """How the question quoted by ``hit`` is asked: "worry" ("would it be weird to ask
        for more time", "am i wrong to ..."), "permission" ("is it ok to ...", "can i ...")
        or None; read with ``asks_worry_frames`` and ``asks_permission_frames``
        (rules/words.yml) from the start of the hit's sentence to its end, a worry first."""
        words = self.rulebase.words
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, hit.start)), default=0)
        asked = normalise(text[start:hit.end])
        for framing, cues in (("worry", words.asks_worry_frames),
                              ("permission", words.asks_permission_frames)):
            if cues and compile_cues(tuple(cues)).search(asked):
                return framing
        return None

    def _plain_form_hits(self, text: str) -> Dict[str, Hit]:
        """The direct questions a clause asks sideways, read in its plain form: the first cue of
        ``asks_can_forms`` / ``asks_should_forms`` (rules/words.yml) replaced by "can i" /
        "should i" ("is there any way i can get out of it now that ive signed" is "can i get
        out of it now that ive signed"). Each hit quotes the clause as written."""
        detector = self.rulebase.question_detector
        if detector is None:
            return {}
        hits: Dict[str, Hit] = {}
        heads = self.rulebase.words.option_heads
        for match in _CLAUSE.finditer(text):
            clause = normalise(match.group(0))
            found = self._plain_form_clause(clause)
            if not found and heads:
                # an option described by what it is: "do i just take the warehouse one or hold
                # out for the college" asks "do i just take the job"
                plain = option_as_job(clause, heads)
                if plain != clause:
                    found = {hit.owner.partition(":")[2]: hit for hit in detector.run(plain)} \
                        or self._plain_form_clause(plain)
            for question_id, hit in found.items():
                hits.setdefault(question_id, _quoting_clause(hit, match))
        return hits

    def _plain_form_clause(self, clause: str) -> Dict[str, Hit]:
        """The direct questions one normalised clause asks in a plain form: "can i" / "should
        i" for ``asks_can_forms`` / ``asks_should_forms``, "is it bad to" for
        ``asks_judgement_forms`` ("am i wrong to keep my options open", "would it look bad if
        i pulled out"), "do i have to" for ``asks_must_forms`` ("am i obliged to explain
        myself"); the first cue found counts."""
        words = self.rulebase.words
        detector = self.rulebase.question_detector
        assert detector is not None
        forms = [(plain, compile_cues(tuple(cues))) for plain, cues in
                 (("can i", words.asks_can_forms), ("should i", words.asks_should_forms),
                  ("is it bad to", words.asks_judgement_forms),
                  ("do i have to", words.asks_must_forms))
                 if cues]
        hits: Dict[str, Hit] = {}
        for plain, pattern in forms:
            found = pattern.search(clause)
            if not found:
                continue
            rest = plain_complement(clause[found.end():], words.judgement_wrappers,
                                    words.contact_verbs)
            asked = f"{clause[:found.start()]}{plain} {rest}".strip()
            for hit in detector.run(asked):
                hits.setdefault(hit.owner.partition(":")[2], hit)
            break
        return hits

    def _names_manager(self, messages: Sequence[str]) -> bool:
        """Does one of ``messages`` speak of the person's manager (``manager_referents``)?"""
        words = self.rulebase.words
        if not messages or not words.manager_referents:
            return False
        referents = compile_cues(tuple(words.manager_referents))
        return any(referents.search(normalise(said)) for said in messages)

    def _referent_hits(self, text: str, manager_known: bool = False) -> Dict[str, Hit]:
        """The direct questions a clause asks about a person it names by a pronoun, after the
        person was named earlier in the message ("my head teacher doesnt know yet. should i
        tell her?", "my line manager dave has no clue. should i let him know?"): the pronoun
        (``person_pronouns``, rules/words.yml) that follows a name for the person's manager
        (``manager_referents``: "my head teacher", "my ward manager") is replaced by "my
        manager" and the clause read again, as written and in its plain form.
        ``manager_known``: the manager was spoken of in an earlier message (whether they know
        is a known fact), so a pronoun from the first clause on stands for them. Each hit
        quotes the clause as written. Only the question clause is read, so what stands
        between the two ("doesnt know") does not negate the question."""
        words = self.rulebase.words
        detector = self.rulebase.question_detector
        if detector is None or not words.manager_referents or not words.person_pronouns:
            return {}
        referents = compile_cues(tuple(words.manager_referents))
        pronouns = compile_cues(tuple(words.person_pronouns))
        named = manager_known
        hits: Dict[str, Hit] = {}
        for match in _CLAUSE.finditer(text):
            clause = normalise(match.group(0))
            pronoun = pronouns.search(clause)
            if pronoun and (named or referents.search(clause, 0, pronoun.start())):
                asked = pronouns.sub("my manager ", clause)
                found = {hit.owner.partition(":")[2]: hit for hit in detector.run(asked)} \
                    or self._plain_form_clause(asked)
                for question_id, hit in found.items():
                    hits.setdefault(question_id, _quoting_clause(hit, match))
            named = named or bool(referents.search(clause))
        return hits

    # -- drafts -------------------------------------------------------------------------------
    def draft(self, draft_id: str, values: Optional[Mapping[str, str]] = None) -> RenderedDraft:
        """Fill a message draft; placeholders without a value or default are listed as missing."""
        draft: Draft = self.rulebase.drafts[draft_id]
        values = {k: str(v).strip() for k, v in (values or {}).items()
                  if v is not None and str(v).strip()}
        filled: Dict[str, str] = {}
        missing: List[Tuple[str, str]] = []
        for name, placeholder in draft.placeholders.items():
            if name in values:
                filled[name] = str(values[name]).strip()
            elif placeholder.default is not None:
                filled[name] = placeholder.default
            else:
                filled[name] = f"[{name.replace('_', ' ')}]"
                missing.append((name, placeholder.question))
        text = string.Formatter().vformat(draft.template, (), filled).strip()
        return RenderedDraft(draft.id, draft.title, text, missing)

    def drafts_for(self, purpose: str) -> List[Draft]:
        return [d for d in self.rulebase.drafts.values()
                if d.purpose == purpose and d.status != "deprecated"]


def option_as_job(clause: str, heads: Sequence[str]) -> str:
    """A normalised clause with each option described by what it is - "the" / "this" / "that"
    and up to two words before one of ``heads`` (``option_heads``, rules/words.yml: "the
    warehouse one", "the council job", "the amazon offer") - read as "the job", or "the
    offer" when the head is "offer". "the job" itself stays as it is."""
    alternatives = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))

    def plain(found: re.Match[str]) -> str:
        return f" the {'offer' if found.group(2) == 'offer' else 'job'}"

    return re.sub(rf" (?:the|this|that) ((?:\S+ ){{1,2}}?)({alternatives})(?= )", plain, clause)


#: "did not" / "didnt" before a verb: the past of "not" + verb ("if i just didnt pick up")
_DID_NOT = ("didnt", "did not", "didn't")


def plain_complement(rest: str, wrappers: Sequence[str] = (),
                     contacts: Sequence[str] = ()) -> str:
    """What a sideways question asks about, with its first verb in the plain form that follows
    "can i" / "is it bad to": a conditional's past ("would it be bad if i still went to
    pennock" - "still go to pennock"), a gerund after "for" ("am i an idiot for going back on
    it" - "go back on it"), "didnt" + verb ("if i just didnt pick up" - "just not pick up");
    a wrapper (``judgement_wrappers``, rules/words.yml: "thinking about", "considering") in
    the first words is dropped first, and so is a way of getting in touch joined by "and"
    to what is asked (``contacts``, ``contact_verbs``: "ring maddox and ask if they can move it
    forward" - "ask if they can move it forward"). Adverbs before the verb ("still", "even")
    stay; the first verb already plain ("keep interviewing") leaves the words as they are."""
    rest = f" {' '.join(rest.split())} "    # the cues read normalised words between spaces
    if wrappers:
        wrapper = compile_cues(tuple(wrappers)).search(rest)
        if wrapper and len(rest[:wrapper.start()].split()) <= 2:
            rest = f"{rest[:wrapper.start()]}{rest[wrapper.end():]}"
    if contacts:
        contact = compile_cues(tuple(contacts)).search(rest)
        if contact and len(rest[:contact.start()].split()) <= 2:
            joined = re.match(r"(?:\S+ ){0,3}?and ", rest[contact.end():])
            if joined:
                rest = f"{rest[:contact.start()]}{rest[contact.end() + joined.end():]}"
    rest = rest.strip()
    for did_not in _DID_NOT:
        rest = re.sub(rf"^((?:\w+ ){{0,2}}){re.escape(did_not)} ", r"\1not ", rest)
    tokens = rest.split()
    table, classes = lemma_table(), word_classes()
    for index, token in enumerate(tokens[:4]):
        lemma = table.get(token, token)
        kinds = classes.get(lemma, frozenset())
        if token == "not" or ("adv" in kinds and "verb" not in classes.get(token, kinds)) or \
                (token in ("still", "even", "just", "really", "actually") and index < 3):
            continue
        if "verb" not in kinds:
            break
        if lemma != token and (token.endswith(("ing", "ed")) or not token.endswith("s")):
            tokens[index] = lemma
        break
    return " ".join(tokens)


def _feeling_now(text: str, hit: Hit, changes: Mapping[str, str]) -> Optional[Hit]:
    """What a feeling the person turned away from leaves the fact at (``changes_mind``: "i was
    keen before but ..." is no longer keen), quoting from the old feeling to the end of its
    sentence; None when the fact's ``changes_mind`` names no value for it."""
    target = changes.get(_value_key(hit))
    if target is None:
        return None
    fact_id = hit.owner.partition(":")[2].partition("=")[0]
    value = json.dumps(target == "true" if target in ("true", "false") else target)
    end = next((m.start() for m in _SENTENCE_END.finditer(text, hit.end)), len(text))
    return Hit(f"fact:{fact_id}={value}", hit.start, end, text[hit.start:end].rstrip(),
               hit.via)


def _value_key(hit: Hit) -> str:
    """The value a fact hit reads, as ``prevails`` names it ("upcoming", "true")."""
    return hit.owner.partition("=")[2].strip('"').lower()


def _fact_reading(hits: Sequence[Hit], prevails: Mapping[str, Sequence[str]],
                  text: str = "", additions: Sequence[str] = ()) -> Hit:
    """The hit that gives a fact its value, of all those read in one text (in text order).

    Of two matches that overlap one reads the clause (:func:`_reads_over`); of the rest, a value
    that another one read ``prevails`` over drops out ("the second round is next week, the first
    went fine": upcoming over done); then the last mention wins - except, for a step of a
    process (a fact with ``prevails``), a value told in a sentence of addition (``additions``,
    rules/words.yml: "got offered the warehouse job. i also have a first interview with a
    college"): that is a second process beside the first, not a later step of it."""
    kept: List[Hit] = []
    for hit in hits:
        clash = [k for k in kept if hit.start < k.end and k.start < hit.end]
        if clash and not all(_reads_over(hit, k) for k in clash):
            continue
        kept = [k for k in kept if k not in clash] + [hit]
    values = {_value_key(k) for k in kept}
    beaten = {v for value in values for v in prevails.get(value, ()) if v != value}
    left = [k for k in kept if _value_key(k) not in beaten] or kept
    if prevails and additions and len({_value_key(k) for k in left}) > 1:
        first = min(left, key=lambda k: k.start)
        main = [k for k in left if _value_key(k) == _value_key(first) or
                not _in_addition(text, k.start, additions)]
        left = main or left
    return max(enumerate(left), key=lambda item: (item[1].start, item[0]))[1]


def _in_addition(text: str, start: int, additions: Sequence[str]) -> bool:
    """Does the sentence ``start`` lies in say it adds something ("i also have ...", "... as
    well")?"""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    end = _SENTENCE_END.search(text, start)
    sentence = text[begin:end.start() if end else len(text)]
    return compile_cues(tuple(additions)).search(normalise(sentence)) is not None


def _reads_over(hit: Hit, previous: Hit) -> bool:
    """Does ``hit`` replace ``previous`` as the value of their fact?

    The last mention wins ("it's internal - no wait, it's external"). Two matches that overlap
    read one clause, and the one that starts first reads more of it: "**had** my 2nd round on
    tuesday" is done, though "round on tuesday" alone reads as ahead. From the same word, a
    token pattern on the written form wins over a phrase on lemmas, which cannot see the tense
    ("interviewed" and "interview" are one lemma)."""
    if hit.start < previous.end and previous.start < hit.end:
        if hit.start != previous.start:
            return hit.start < previous.start
        written, written_before = hit.via.kind == "pattern", previous.via.kind == "pattern"
        if written != written_before:
            return written
        return hit.end > previous.end
    return hit.start >= previous.start


def _quoting_clause(hit: Hit, match: re.Match[str]) -> Hit:
    """``hit``, found in a rewritten form of a clause, quoting the clause as written."""
    return replace(hit, start=match.start(), end=match.start() + len(match.group(0).rstrip()),
                   text=match.group(0).rstrip(), token_start=0, token_end=0, parts=())


def _reader_hit(text: str, reading: Reading) -> Hit:
    """A reading as a hit, quoting its clause; ``via`` says it was the model and why."""
    source = PatternSource(reading.label, "model",
                           f"statistical reader (p={reading.probability:.2f}); words that "
                           f"weighed most: {', '.join(reading.words)}")
    return Hit(reading.label, reading.start, reading.end, text[reading.start:reading.end],
               source)


def _mostly_hypothetical(text: str, start: int, end: int,
                         hypothetical: Sequence[Tuple[int, int]]) -> bool:
    """Do most words of ``text[start:end]`` stand in a hypothetical clause?"""
    words = sum(1 for _ in _WORD.finditer(text, start, end))
    inside = sum(1 for s, e in hypothetical if start <= s and e <= end)
    return words > 0 and inside * 2 > words
