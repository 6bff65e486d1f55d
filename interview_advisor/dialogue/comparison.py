"""The opportunities side by side against the person's priorities, and a ranked verdict.

Each cell is filled only from what the person said about that opportunity (their words
quoted), the facts they gave and the red flags found; a topic nobody said anything about is a
gap, shown as the question to ask that employer. Whether words count for or against an
opportunity comes from the rule base's ``better_words`` / ``worse_words`` and, for numbers
("paying 70k" against "62k"), the topic's ``more_is_better``. The verdict says how sure it is:
it never ranks on what it was not told. This module imports neither Rasa nor rasa_sdk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from interview_advisor import Advisor
from interview_advisor.rulebase import DecisionTopic

from ..wording import normalise
from . import opportunities as opp
from . import phrases
from .answers import mentions_any
from .priorities import weight
from .reply import Cell, ComparedOption, Comparison, Priority, Quote, Verdict
from .state import State

QUOTE_CHARS = 90        # a quoted clause in a cell is cut to this length
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k|K)?\b")
#: an amount of money ("78k", "$120,000", "£55k"): about the topic where more is better (pay)
_MONEY = re.compile(r"[$£€]\s?\d|\b\d+(?:[.,]\d+)?\s?[kK]\b|\b\d{2,3},\d{3}\b")
SEVERITY = {"high": 1.0, "medium": 0.75, "low": 0.5}


def _current_job_words(advisor: Advisor, state: State) -> List[str]:
    """The words that mark a clause as about the current job: those behind the facts about it
    ("gave me a raise") and the words that name it ("my current job")."""
    return [str(v.get("quote")) for k, v in state.facts.items()
            if v.get("quote") and opp.scope_of(advisor, k) == "current_job"] + \
        list(advisor.rulebase.words.opportunity_current_job)


def _without_link(advisor: Advisor, clause: str) -> str:
    """A clause without the word that links it to the one before ("but there's no growth")."""
    for phrase in advisor.rulebase.words.clause_breaks:
        span = opp.first_span(clause, [phrase])
        if span is not None and span[0] == 0 and clause[span[1]:].strip():
            return clause[span[1]:].strip(" ,.;:!?")
    return clause


class _Messages:
    """The person's messages cut into clauses once per comparison, each clause marked as about
    the current job or not (see :meth:`about_current`): a comparison reads every message once
    per topic and option, and doing that work again each time made comparing many
    opportunities slow."""

    LONGEST_NAME = 6        # words; longer names are not looked for inside a clause

    def __init__(self, advisor: Advisor, names: Sequence[str]) -> None:
        self.advisor = advisor
        self.names = {normalise(n).strip() for n in names if normalise(n).strip()}
        self._read: Dict[Tuple[str, Tuple[str, ...]], List[Tuple[str, bool]]] = {}

    def _names_one(self, clause: str) -> bool:
        words = normalise(clause).split()
        return any(" ".join(words[i:i + n]) in self.names
                   for n in range(1, self.LONGEST_NAME + 1) for i in range(len(words) - n + 1))

    def about_current(self, text: str, current_words: Sequence[str]) -> List[Tuple[str, bool]]:
        """The clauses of ``text``, each with whether it is about the current job: those with
        the words of a fact about it or that name it, and the clauses after them that name no
        opportunity ("my current place counter offered 72k, but its 5 days in the office":
        both); a clause that names an opportunity is about that one, and a message starts
        with the one it was told of."""
        key = (text, tuple(current_words))
        read = self._read.get(key)
        if read is None:
            about, read = False, []
            for start, end in opp.clauses(self.advisor, text):
                clause = _without_link(self.advisor, text[start:end].strip(" ,.;:!?"))
                if any(w.lower() in clause.lower() for w in current_words):
                    about = True
                elif self._names_one(clause):
                    about = False
                read.append((clause, about))
            self._read[key] = read
        return read


def _clauses_about(messages: _Messages, topic: DecisionTopic, said: Sequence[Mapping[str, Any]],
                   current_words: Sequence[str], current: Optional[bool]) -> List[Quote]:
    """The person's clauses about an opportunity that name the topic; a clause about the
    current job (see :meth:`_Messages.about_current`) counts for it, whichever message it was
    in (``current`` None: every clause, for the current job's own words)."""
    quotes: List[Quote] = []
    seen = set()
    for entry in said:
        text = str(entry.get("text") or "")
        for clause, about_current in messages.about_current(text, current_words):
            if current is not None and about_current != current:
                continue
            named = names_topic(clause, topic) or \
                (topic.more_is_better is True and _MONEY.search(clause) is not None)
            if clause and named and clause.lower() not in seen:
                seen.add(clause.lower())
                quotes.append(Quote(clause[:QUOTE_CHARS], None, None, entry.get("turn")))
    return quotes


def _masked(text: str, topic: DecisionTopic) -> str:
    """``text`` with the topic's ``not_words`` blanked out, offsets kept ("promoted me to team
    lead" does not name the team)."""
    for phrase in topic.not_words:
        for start, end in opp.phrase_spans(text, phrase):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def names_topic(text: str, topic: DecisionTopic) -> bool:
    """Do ``text``'s words name the topic (outside its ``not_words``)?"""
    return mentions_any(_masked(text, topic), topic.words)


def _shortest(quotes: Sequence[Quote]) -> List[Quote]:
    """Each piece of evidence once, as its shortest quote: a quote that holds another whole
    ("and my current place counter offered 72k" holds "my current place counter offered
    72k") is left out; the order is kept."""
    keys = [normalise(q.text) for q in quotes]
    kept = []
    for i, q in enumerate(quotes):
        inside = [j for j, k in enumerate(keys)
                  if j != i and k in keys[i] and (k != keys[i] or j < i)]
        if not inside:
            kept.append(q)
    return kept


def _topic_spans(text: str, topic: DecisionTopic) -> List[Tuple[int, int]]:
    """Where ``text`` names the topic: its words, and for pay (``more_is_better``) amounts of
    money ("offered 85k")."""
    masked = _masked(text, topic)
    spans = [span for word in topic.words for span in opp.phrase_spans(masked, word)]
    if topic.more_is_better is True:
        spans += [m.span() for m in _MONEY.finditer(text)]
    return spans


def _near(text: str, topic: DecisionTopic, before: int = 3, after: int = 2) -> List[str]:
    """The few words around each place ``text`` names the topic ("much better hours": the
    words near "hours"), where a better / worse word describes that topic and not another."""
    windows = []
    for start, end in _topic_spans(text, topic):
        head = text[:start].split()[-before:]
        tail = text[end:].split()[:after]
        windows.append(" ".join(head + [text[start:end]] + tail))
    return windows


_WORD = re.compile(r"\S+")
_CLAUSE_END = re.compile(r"[,.;:!?)]$")


def _around(text: str, topic: DecisionTopic, others: Sequence[DecisionTopic],
            breaks: Sequence[str], before: int = 3, after: int = 6) -> List[str]:
    """The words that describe the topic each place ``text`` names it, within its part of the
    clause: up to ``before`` words ahead ("much better hours") and ``after`` words behind ("my
    boss is kind of a nightmare"), never past a clause break ("but", "and", a comma), nor into
    another topic's words and the two words before them ("paying 62k with much better hours":
    "better" describes the hours, not the pay)."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    breaking = {normalise(b).strip() for b in breaks if len(normalise(b).split()) == 1}
    taken = _topic_spans(text, topic)
    foreign = sorted(span for t in others for span in _topic_spans(text, t)
                     if not any(a < span[1] and span[0] < b for a, b in taken))
    windows = []
    for start, end in taken:
        first = next((i for i, w in enumerate(words) if w[1] > start), len(words))
        last = max((i for i, w in enumerate(words) if w[0] < end), default=first)
        head: List[str] = []
        for i in range(first - 1, max(-1, first - 1 - before), -1):
            w = words[i]
            if normalise(w[2]).strip() in breaking or _CLAUSE_END.search(w[2]) or \
                    any(a < w[1] and w[0] < b for a, b in foreign):
                break
            head.insert(0, w[2])
        tail: List[str] = []
        stop = next((a for a, _ in foreign if a >= end), len(text))
        ahead = [w for w in words[last + 1:] if w[1] <= stop]
        if stop < len(text):          # the other topic's own describing words
            ahead = ahead[:max(0, len(ahead) - 2)]
        for w in ahead[:after]:
            if normalise(w[2]).strip() in breaking:
                break
            tail.append(w[2])
            if _CLAUSE_END.search(w[2]):
                break
        windows.append(" ".join(head + [text[start:end]] + tail))
    return windows


@dataclass(frozen=True)
class _Lexicon:
    """The words that judge one topic: the other topics' words, and the better / worse words
    that name none of them. Built once per comparison, not once per cell."""

    others: Tuple[DecisionTopic, ...]
    #: words that end the part of a clause a better / worse word may describe
    breaks: Tuple[str, ...]
    #: the better / worse words, normalised once (as :func:`normalise` pads them)
    better: Tuple[str, ...]
    worse: Tuple[str, ...]

    @classmethod
    def of(cls, advisor: Advisor, topic: DecisionTopic) -> _Lexicon:
        words = advisor.rulebase.words
        others = tuple(t for t in advisor.rulebase.active_topics.values() if t.id != topic.id)
        other = [w for t in others for w in t.words]

        def needles(phrases: Sequence[str]) -> Tuple[str, ...]:
            return tuple(n for n in (normalise(w) for w in phrases
                                     if not mentions_any(w, other)) if n.strip())

        return cls(others, tuple(words.clause_breaks) + ("and",),
                   needles(words.better_words), needles(words.worse_words))

    def names_another(self, text: str) -> bool:
        return any(names_topic(text, t) for t in self.others)

    def judge(self, text: str) -> int:
        """+1 better, -1 worse, 0 neither or both. Where a better and a worse phrase overlap
        the longer one counts ("more work" is worse although "more" is better; "not bad" is
        better), so a word inside a phrase never votes on its own."""
        hay = normalise(text)
        found = []
        for sign, needles in ((1, self.better), (-1, self.worse)):
            for needle in needles:
                at = hay.find(needle)
                while at >= 0:
                    found.append((at, at + len(needle), sign))
                    at = hay.find(needle, at + 1)
        taken: List[Tuple[int, int, int]] = []
        for start, end, sign in sorted(found, key=lambda f: f[0] - f[1]):   # longest first
            # needles are padded with a space on each side: touching is not overlapping
            if all(end - 1 <= s or start >= e - 1 for s, e, _ in taken):
                taken.append((start, end, sign))
        signs = {sign for _, _, sign in taken}
        return (1 in signs) - (-1 in signs)


def _direction(topic: DecisionTopic, lexicon: _Lexicon, quotes: Sequence[Quote]) -> int:
    """+1 when the person's words about the topic say better, -1 worse, 0 neither or both: the
    whole clause when it names no other topic ("the team I met was great"), else the words
    near the topic's ("one from a bank paying 62k with much better hours"). A better / worse
    word that names another topic ("fully remote") speaks for that topic only."""
    score = 0
    for q in quotes:
        alone = not lexicon.names_another(q.text)
        windows = [q.text] if alone else \
            _around(q.text, topic, lexicon.others, lexicon.breaks)
        for window in windows or [q.text]:
            score += lexicon.judge(window)
    return (score > 0) - (score < 0)


def _value(match: re.Match[str]) -> float:
    value = float(match.group(1).replace(",", ""))
    return value * 1000 if match.group(2) else value


def _number(topic: DecisionTopic, quotes: Sequence[Quote]) -> Optional[float]:
    """The first number the person gave on the topic: an amount of money for pay ("92k"), a
    number near the topic's words for the others ("4 days in office") - never an amount of
    money named beside them ("85k fully remote" says nothing about days in the office)."""
    for q in quotes:
        if topic.more_is_better is True:
            amounts = [_NUMBER.search(m.group(0)) for m in _MONEY.finditer(q.text)]
        else:
            amounts = [m for window in _near(q.text, topic) for m in _NUMBER.finditer(window)
                       if not _MONEY.search(window, max(0, m.start() - 1), m.end() + 1)]
        for match in amounts:
            if match is not None:
                return _value(match)
    return None


def _entries(advisor: Advisor, state: State) -> List[Tuple[Dict[str, Any], State]]:
    """The opportunities compared: every role, and the current job when something is known
    about it - without those that are out ("forget the startup, they rejected me": rejected,
    withdrawn from, or of no interest any more) while two others are left."""
    entries = [(e, opp.view_of(advisor, state, str(e["id"]))) for e in opp.compared(state)]
    left = [(e, view) for e, view in entries if not _dropped(view)]
    return left if len(left) >= 2 else entries


def _dropped(view: State) -> bool:
    return view.fact_value("stage") == "rejected" or \
        view.fact_value("interest") == "not_interested"


def _facts_about(advisor: Advisor, view: State, entry: Mapping[str, Any],
                 topic: DecisionTopic) -> List[Quote]:
    """Facts of the topic this opportunity has (the current job: its own facts)."""
    wanted = "current_job" if entry.get("kind") == "current" else "opportunity"
    quotes = []
    for fact_id in topic.facts:
        fact = view.facts.get(fact_id)
        if fact is None or opp.scope_of(advisor, fact_id) != wanted:
            continue
        spec = advisor.rulebase.facts[fact_id].spec
        # the person's own words; a value given by a button has none: the fact and its value
        said = str(fact.get("quote") or "") or f"{spec.title}: {spec.label(fact.get('value'))}"
        quotes.append(Quote(said[:QUOTE_CHARS], None, None, fact.get("turn")))
    return quotes


def _flags_by_topic(advisor: Advisor, view: State) -> Dict[str, List[str]]:
    """The red flags of one opportunity, by the topic each counts against: the topics its
    quoted words name ("three jobs on my own for junior pay" is about pay, whichever signal
    found it), else the topics the rule base ties the signal to."""
    topics = advisor.rulebase.active_topics.values()
    by_topic: Dict[str, List[str]] = {}
    for signal_id, evidence in view.flags.items():
        if signal_id not in advisor.rulebase.signals:
            continue
        quotes = [str(e.get("quote") or "") for e in evidence or [] if isinstance(e, Mapping)]
        named = [t.id for t in topics if any(names_topic(q, t) for q in quotes if q)]
        for topic_id in named or [t.id for t in topics if signal_id in t.signals]:
            by_topic.setdefault(topic_id, []).append(signal_id)
    return by_topic


def _cell(advisor: Advisor, view: State, entry: Mapping[str, Any], topic: DecisionTopic,
          lexicon: _Lexicon, flags: List[str], messages: _Messages) -> Tuple[Cell, float]:
    current = entry.get("kind") == "current"
    said = [s for e in opp.others(view) for s in e.get("said") or []] if current else \
        entry.get("said") or []
    words = _current_job_words(advisor, view)
    own = _clauses_about(messages, topic, entry.get("said") or [], words, None) if current \
        else []
    quotes = _shortest(own + _clauses_about(messages, topic, said, words, current) +
                       _facts_about(advisor, view, entry, topic))
    signals = advisor.rulebase.signals
    value = float(_direction(topic, lexicon, quotes))
    value -= sum(SEVERITY.get(signals[s].severity, 0.75) for s in flags)
    if flags or value < 0:
        status = "against"
    elif value > 0:
        status = "for"
    else:
        status = "said" if quotes else "unknown"
    # a gap is a question to ask that employer - not the person's own employer
    cell = Cell(topic.id, topic.title, status, quotes,
                [signals[s].title for s in flags],
                None if quotes or flags or current else topic.question)
    return cell, max(-2.0, min(1.0, value))


def _compare_numbers(advisor: Advisor, options: List[ComparedOption],
                     values: Dict[Tuple[str, str], float]) -> None:
    """Numbers in the person's words on a topic with ``more_is_better`` ("paying 70k" against
    "paying 62k"): the better one counts for its opportunity, the worse one against."""
    for topic in advisor.rulebase.active_topics.values():
        if topic.more_is_better is None:
            continue
        numbers = {}
        for option in options:
            cell = next((c for c in option.cells if c.topic == topic.id), None)
            number = _number(topic, cell.quotes) if cell else None
            if cell is not None and number is not None:
                numbers[option.id] = (number, cell)
        if len(numbers) < 2 or len({n for n, _ in numbers.values()}) < 2:
            continue
        best = (max if topic.more_is_better else min)(n for n, _ in numbers.values())
        for key, (number, cell) in numbers.items():
            # the best number counts for its opportunity; the others are only "said" - how much
            # a smaller number matters is for the person to judge
            if number == best and cell.status in ("said", "for") and not cell.flags:
                cell.status = "for"
                values[(key, topic.id)] = 1.0


def compare(advisor: Advisor, state: State) -> Comparison:
    """Every opportunity against the priorities (all topics alike when none were given)."""
    priorities = state.priorities
    active = advisor.rulebase.active_topics
    assumed = not priorities.get("order")
    ordered = [t for t in priorities.get("order") or [] if t in active]
    topics = [active[t] for t in ordered] + [t for k, t in active.items() if k not in ordered]
    weights = {t.id: (1.0 if assumed else _weight(priorities, t)) for t in topics}
    lexicons = {t.id: _Lexicon.of(advisor, t) for t in topics}
    options: List[ComparedOption] = []
    values: Dict[Tuple[str, str], float] = {}
    messages = _Messages(advisor, [n for e in opp.others(state)
                                   for n in (str(e.get("name") or ""), opp.label_of(e)) if n])
    for entry, view in _entries(advisor, state):
        flags = _flags_by_topic(advisor, view)    # once per opportunity, not per cell
        cells = []
        for topic in topics:
            cell, value = _cell(advisor, view, entry, topic, lexicons[topic.id],
                                flags.get(topic.id, []), messages)
            cells.append(cell)
            values[(str(entry["id"]), topic.id)] = value
        options.append(ComparedOption(str(entry["id"]), opp.label_of(entry), 0, 0.0, cells))
    _compare_numbers(advisor, options, values)
    # a topic nobody said anything about, and that is not a priority, is left out
    shown = {c.topic for o in options for c in o.cells if c.status != "unknown"} | set(ordered)
    if not shown:
        shown = {t.id for t in topics[:3]}
    for option in options:
        option.cells = [c for c in option.cells if c.topic in shown]
        option.score = round(sum(weights[c.topic] * values[(option.id, c.topic)]
                                 for c in option.cells), 2)
    options.sort(key=lambda o: -o.score)
    for rank, option in enumerate(options, 1):
        option.rank = rank
    prios = _priorities([t for t in topics if t.id in shown and weights[t.id] > 0], ordered,
                        active, weights)
    judged = verdict(options, weights, assumed)
    # the table's row says why an unranked topic weighs ("Commute and flexibility (part of
    # work-life balance)"); the verdict's reasons keep the short title
    titles = {p.topic: p.title for p in prios if p.part_of is not None}
    for option in options:
        for cell in option.cells:
            cell.title = titles.get(cell.topic, cell.title)
    return Comparison(prios, options, judged, assumed)


def described_option(advisor: Advisor, state: State, description: str,
                     keys: Sequence[str]) -> Optional[Tuple[str, bool]]:
    """The one opportunity of ``keys`` that a description by a decision topic picks out, read
    from the comparison: "the higher paying one" (the larger amount), "the one with the long
    commute" (the longer journey, or the one whose commute counts against it), "the one with
    the better team" (the one the person's words on the team count for), or the only one the
    person said anything about on that topic - with True when a better / worse word decided
    it, False when it is only the one spoken of. None when the description names no topic, or
    several, or fits more than one."""
    topics = [t for t in advisor.rulebase.active_topics.values() if names_topic(description, t)]
    if len(topics) != 1:
        return None
    topic = topics[0]
    sign = _Lexicon.of(advisor, topic).judge(description)
    table = compare(advisor, state)
    cells = {o.id: c for o in table.options if o.id in keys
             for c in o.cells if c.topic == topic.id}
    said = {key: cell for key, cell in cells.items() if cell.status != "unknown"}
    if sign and topic.more_is_better is not None:
        numbers = {key: n for key, cell in said.items()
                   if (n := _number(topic, cell.quotes)) is not None}
        if len(numbers) >= 2 and len(set(numbers.values())) == len(numbers):
            larger = (sign > 0) == bool(topic.more_is_better)
            return (max if larger else min)(numbers, key=lambda k: numbers[k]), True
    if sign:
        wanted = "for" if sign > 0 else "against"
        fits = [key for key, cell in said.items() if cell.status == wanted]
        if len(fits) == 1:
            return fits[0], True
        if fits:
            return None
        # "the one with the long commute": of a walkable one and a ninety-minute one, the one
        # the person's words do not count for
        fits = [key for key, cell in said.items() if cell.status in ("said", wanted)]
        if len(fits) == 1 and len(said) > 1:
            return fits[0], True
    return (next(iter(said)), False) if len(said) == 1 else None


def _priorities(weighed: Sequence[DecisionTopic], ranked: Sequence[str],
                active: Mapping[str, DecisionTopic], weights: Mapping[str, float]
                ) -> List[Priority]:
    """The topics that weigh, in order; a factor the person did not rank themselves takes the
    rank of the topic it is part of, and says so in its title."""
    out: List[Priority] = []
    for topic in weighed:
        broader = active.get(topic.part_of or "") if topic.id not in ranked and ranked else None
        if broader is not None and broader.id in ranked:
            rank = next(p.rank for p in out if p.topic == broader.id) \
                if any(p.topic == broader.id for p in out) else ranked.index(broader.id) + 1
            out.append(Priority(topic.id, phrases.PART_OF.format(
                title=topic.title, broader=broader.title.lower()), weights[topic.id], rank,
                broader.id))
        else:
            out.append(Priority(topic.id, topic.title, weights[topic.id], len(
                [p for p in out if p.part_of is None]) + 1))
    return out


def _weight(priorities: Dict[str, Any], topic: DecisionTopic) -> float:
    """The topic's weight in the person's priorities; a factor of a topic they ranked that
    they did not name themselves (commute, of work-life balance) weighs half as much."""
    own = weight(priorities, topic.id)
    if own or topic.part_of is None:
        return own
    return weight(priorities, topic.part_of) / 2


def verdict(options: Sequence[ComparedOption], weights: Mapping[str, float],
            assumed: bool) -> Verdict:
    """The ranking in words, the reasons, and how sure it is: how much of what weighs is known
    about the option known least about, and how far apart the scores are."""
    if len(options) < 2:
        return Verdict(phrases.VERDICT_ONE, "low", [])
    # how much is known about the option known least about (weighted by the priorities)
    known = min(sum(weights[c.topic] for c in o.cells if c.status != "unknown") /
                (sum(weights[c.topic] for c in o.cells) or 1.0) for o in options)
    first, second = options[0], options[1]
    gaps = [phrases.REASON_GAP.format(name=o.opportunity, topic=c.title.lower())
            for o in options for c in o.cells
            if c.status == "unknown" and weights[c.topic] > 0][:4]
    if first.score == second.score:
        reasons = [_reason(o, c) for o in options for c in o.cells
                   if c.status in ("for", "against")][:4]
        return Verdict(phrases.VERDICT_TIE.format(first=first.opportunity,
                                                  second=second.opportunity), "low",
                       reasons + gaps)
    reasons = [_reason(first, c) for c in first.cells if c.status == "for"][:3]
    reasons += [_reason(o, c) for o in options[1:] for c in o.cells
                if c.status == "against"][:3]
    gap = first.score - second.score
    confidence = "high" if known >= 0.75 and gap >= 2 else \
        "medium" if known >= 0.4 and gap >= 1 else "low"
    ranking = phrases.VERDICT_THEN.join(o.opportunity for o in options)
    basis = phrases.VERDICT_BASIS_ASSUMED if assumed else phrases.VERDICT_BASIS
    return Verdict(phrases.VERDICT_RANKED.format(basis=basis, ranking=ranking), confidence,
                   reasons + gaps)


def _reason(option: ComparedOption, cell: Cell) -> str:
    if cell.flags:
        return phrases.REASON_FLAG.format(name=option.opportunity, topic=cell.title.lower(),
                                          flags=", ".join(f.lower() for f in cell.flags))
    said = cell.quotes[0].text if cell.quotes else ""
    form = phrases.REASON_FOR if cell.status == "for" else phrases.REASON_AGAINST
    return form.format(name=option.opportunity, topic=cell.title.lower(), said=said)
