"""Priorities and the comparison (issue 12), in the dialogue core: priorities read as weights,
cells filled only from what the person said and the red flags found, gaps as questions, a
ranked verdict that says how sure it is, and the renderings of all of it."""

from __future__ import annotations

import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import comparison, priorities
from interview_advisor.dialogue import compose_opportunities as several
from interview_advisor.dialogue import opportunities as opp
from interview_advisor.dialogue.render_slack import render_blocks
from interview_advisor.dialogue.render_text import buttons, render_text

from .conversation import talk

TWO_OFFERS = ("two offers on the table: one from a startup paying 70k, one from a bank paying "
              "62k with much better hours")


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("text, order", [
    ("pay matters most, then remote, then growth",
     ["topic_pay_and_title", "topic_commute_and_flexibility", "topic_growth"]),
    ("I care about work-life balance above everything", ["topic_work_life_balance"]),
    ("stability matters most", ["topic_stability"]),
    ("pay matters most to me, then remote, then not burning out",
     ["topic_pay_and_title", "topic_commute_and_flexibility", "topic_work_life_balance"]),
])
def test_priorities_in_the_persons_words_become_weights(advisor, text, order):
    read = priorities.read_priorities(advisor, text, stated=False)
    assert read["order"] == order
    weights = [read["weights"][t] for t in order]
    assert weights == sorted(weights, reverse=True) and weights[-1] > 0


@pytest.mark.parametrize("text", [
    "the recruiter said the pay is negotiable",          # a topic, no cue: not a ranking
    "the first round was fine then the team lead joined",
    "it matters most to me that they reply",             # a cue, no topic
])
def test_a_story_is_not_read_as_priorities(advisor, text):
    assert priorities.read_priorities(advisor, text, stated=False) is None


def test_the_quick_replies_are_the_rule_base_topics_and_read_back(advisor):
    question = several.priorities_question(advisor)
    assert [o.value for o in question.options] == list(advisor.rulebase.active_topics)
    for option in question.options:   # each button's words state that topic as the first
        read = priorities.read_priorities(advisor, option.label, stated=True)
        assert read["order"][0] == option.value


def test_compare_two_offers_against_the_priorities(advisor):
    state, _ = talk(advisor, (TWO_OFFERS, "evaluate_offer"),
                    ("work-life balance matters most to me, then pay", "inform"))
    assert state.priorities["order"] == ["topic_work_life_balance", "topic_pay_and_title"]
    result = comparison.compare(advisor, state)
    ranked = [o.opportunity for o in result.options]
    assert ranked == ["the bank", "the startup"]           # wins the person's first priority
    bank, startup = result.options
    cells = {c.topic: c for c in bank.cells}
    assert cells["topic_work_life_balance"].status == "for"
    assert "much better hours" in cells["topic_work_life_balance"].quotes[0].text
    start = {c.topic: c for c in startup.cells}
    assert start["topic_work_life_balance"].status == "unknown"      # never made up
    assert start["topic_work_life_balance"].question                 # a question to ask
    assert start["topic_pay_and_title"].status == "for"              # 70k against 62k
    # "much better hours" is about the hours, not the pay in the same clause
    assert cells["topic_pay_and_title"].status == "said"
    assert result.verdict.confidence in ("low", "medium")            # gaps: not sure
    assert any("much better hours" in r for r in result.verdict.reasons)


def test_red_flags_count_against_and_nothing_known_is_a_tie(advisor):
    state, _ = talk(advisor, ("At Acme the recruiter couldn't tell me what the job is",
                              "describe_interview"),
                    ("At Globex the interview went well", "describe_interview"))
    result = comparison.compare(advisor, state)
    assert result.assumed_priorities
    acme = next(o for o in result.options if o.opportunity == "Acme")
    growth = next(c for c in acme.cells if c.topic == "topic_growth")
    assert growth.status == "against" and growth.flags == ["Vague job description"]
    assert result.options[0].opportunity == "Globex"
    assert result.verdict.confidence == "low"
    state, _ = talk(advisor, ("At Initech it went ok", "describe_interview"),
                    ("At Hooli it went ok too", "describe_interview"))
    tie = comparison.compare(advisor, state)
    assert tie.verdict.confidence == "low" and "can't separate" in tie.verdict.text


def test_compare_asks_for_priorities_once_then_compares(advisor):
    state, turn = talk(advisor, (TWO_OFFERS, "evaluate_offer"), ("which should I pick?",
                                                                  "evaluate_offer"))
    assert turn["compare"] is True
    assert state.fact_value("question") is None    # the comparison, not the offer dilemma
    reply = several.comparison_reply(advisor, state)
    text = render_text(reply)
    assert "the startup" in text and "the bank" in text and "My verdict" in text
    header = text.splitlines()[1]
    rows = [line for line in text.splitlines() if " | " in line]
    assert len({line.index(" | ") for line in rows}) == 1        # aligned columns
    assert "1. " in header and "2. " in header


def test_comparison_renders_in_slack_with_a_section_per_option(advisor):
    state, _ = talk(advisor, (TWO_OFFERS, "evaluate_offer"),
                    ("work-life balance matters most to me, then pay", "inform"))
    blocks = render_blocks(several.comparison_reply(advisor, state))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    options = [s for s in sections if s.startswith("*1. ") or s.startswith("*2. ")]
    assert [s.split("*")[1] for s in options] == ["1. the bank", "2. the startup"]
    assert "much better hours" in options[0] and "ask:" in options[1]
    assert any(s.startswith(":scales:") for s in sections)


def test_one_opportunity_cannot_be_compared(advisor):
    state, _ = talk(advisor, ("At Acme they were vague about the role", "describe_interview"))
    reply = several.comparison_reply(advisor, state)
    assert reply.comparison is None and "only one opportunity" in reply.message
    assert buttons(reply) == []


@pytest.mark.parametrize("about_current_job", [
    "my current job is ok but there's no growth at all",
    "honestly where i work now there's zero growth, the team is nice though",
    "At my current job I've been stuck for years, no growth, no promotion in sight",
])
def test_words_about_the_current_job_count_for_it_not_for_the_offer(advisor, about_current_job):
    state, _ = talk(advisor, ("I got an offer from Initech, the team seemed nice",
                              "evaluate_offer"),
                    (about_current_job, "inform"))
    options = {o.opportunity: o for o in comparison.compare(advisor, state).options}
    assert set(options) == {"Initech", "your current job"}
    growth = {name: next(c for c in o.cells if c.topic == "topic_growth")
              for name, o in options.items()}
    assert growth["your current job"].status == "against"
    assert any("growth" in q.text for q in growth["your current job"].quotes)
    assert growth["Initech"].status == "unknown" and growth["Initech"].question


def test_a_ranking_is_not_a_red_flag_and_amounts_are_pay(advisor):
    state, turn = talk(advisor,
                       ("I've got two offers. Initech offered 78k but the hiring manager "
                        "couldn't really say what I'd be doing day to day", "evaluate_offer"),
                       ("Hooli made me an offer too, $70,000, fully remote", "evaluate_offer"),
                       ("pay matters most, then growth, then remote", "inform"))
    assert turn.get("priorities") and not turn["flag_hits"]
    assert state.priorities["order"] == ["topic_pay_and_title", "topic_growth",
                                         "topic_commute_and_flexibility"]
    hooli = next(e for e in state.opportunities if e["name"] == "Hooli")
    assert not opp.view_of(advisor, state, hooli["id"]).flags
    options = {o.opportunity: o for o in comparison.compare(advisor, state).options}
    pay = {name: next(c for c in o.cells if c.topic == "topic_pay_and_title")
           for name, o in options.items()}
    assert pay["Initech"].status == "for" and "78k" in pay["Initech"].quotes[0].text
    assert pay["Hooli"].status == "said" and "70,000" in pay["Hooli"].quotes[0].text


def test_the_current_jobs_gaps_are_not_questions_for_an_employer(advisor):
    state, _ = talk(advisor, ("I got an offer from Initech, fully remote", "evaluate_offer"),
                    ("my current job is ok but there's no growth at all", "inform"))
    result = comparison.compare(advisor, state)
    current = next(o for o in result.options if o.opportunity == "your current job")
    assert any(c.status == "unknown" for c in current.cells)
    assert all(c.question is None for c in current.cells)
    assert "your current job:" not in render_text(several.comparison_reply(advisor, state)) \
        .split("Questions to ask:")[-1].split("My verdict")[0]


@pytest.mark.parametrize("ask", ["so which one do i go for then", "ok so which should i take",
                                 "how do they stack up?", "which would you pick in my shoes"])
def test_everyday_ways_of_asking_which_one(advisor, ask):
    state, turn = talk(advisor, ("I got an offer from Brightwave, 15% more than i make now",
                                 "evaluate_offer"),
                       ("my current job is comfy but theres zero room to grow", "inform"),
                       (ask, "ask_keep_interviewing"))
    assert turn.get("compare") is True


def test_priorities_answer_something_else_than_the_pending_question(advisor):
    state, _ = talk(advisor, ("Pied Piper offered 95k and Aviato offered 88k, fully remote",
                              "evaluate_offer"))
    state.pending_question = "recent_improvement"
    state, turn = talk(advisor, ("remote matters most to me, then pay", "inform"), state=state)
    assert turn.get("priorities") and not turn.get("unclear_answer")
    assert state.priorities["order"][0] == "topic_commute_and_flexibility"


def test_the_priorities_are_noted_in_the_persons_words(advisor):
    stated = priorities.read_priorities(advisor, "remote matters most to me, then pay", False)
    note = several.priorities_note(advisor, stated)
    assert 'commute and flexibility ("remote"), then pay and title.' in note


def test_a_clause_about_one_topic_counts_as_a_whole(advisor):
    state, _ = talk(advisor, ("Hooli made me an offer, and the team I met was great",
                              "evaluate_offer"),
                    ("Initech made me an offer too, the team seemed pretty toxic tbh",
                     "evaluate_offer"))
    options = {o.opportunity: o for o in comparison.compare(advisor, state).options}
    team = {name: next(c for c in o.cells if c.topic == "topic_team_and_relationships")
            for name, o in options.items()}
    assert team["Hooli"].status == "for" and team["Initech"].status == "against"


def test_a_number_counts_only_for_the_topic_it_is_about(advisor):
    """Found trying the widget: "85k fully remote" made the remote offer win on pay, and 85k
    against "4 days in office" made the office job win on flexibility (fewer is better)."""
    state, _ = talk(advisor, ("i have two offers rn. Northwind offered 85k fully remote, and "
                              "Castle Bank offered 92k but 4 days in office", "evaluate_offer"),
                    ("pay matters most to me, then flexibility", "inform"))
    options = {o.opportunity: {c.topic: c for c in o.cells}
               for o in comparison.compare(advisor, state).options}
    pay, flex = "topic_pay_and_title", "topic_commute_and_flexibility"
    assert options["Castle Bank"][pay].status == "for"              # 92k against 85k
    assert options["Northwind"][pay].status == "said"               # "fully remote" is not pay
    assert options["Northwind"][flex].status == "for"               # fully remote
    assert options["Castle Bank"][flex].status == "said"            # 4 days is not 85,000 days


def test_a_red_flag_counts_against_the_topic_its_words_name(advisor):
    """"three jobs on my own for junior pay" is about pay, although the signal that found it
    (unrealistic expectations) is tied to commute and flexibility in the rule base; "fully
    remote" then counts for Caldera's flexibility instead of a flag it never had."""
    state, _ = talk(advisor, (
        "two offers on the table. Caldera wants me to run marketing, sales and support on my "
        "own for junior pay, but they are fully remote. Ostrava pays 15k more but its 4 days "
        "in the office", "evaluate_offer"))
    assert "unrealistic_expectations" in state.flags
    result = comparison.compare(advisor, state)
    caldera = {c.topic: c for c in next(o for o in result.options
                                        if o.opportunity == "Caldera").cells}
    assert caldera["topic_pay_and_title"].status == "against"
    assert caldera["topic_pay_and_title"].flags
    assert not caldera["topic_commute_and_flexibility"].flags


def test_a_cell_reads_negations_burdens_and_job_titles(advisor):
    """Found trying `make shell`: "couldnt tell me the salary band" beside "were like a family"
    counted FOR the fintech's pay ("like"), "promoted me to team lead" filled the current job's
    team row, and the raise's cell quoted the fact's title instead of the person's words."""
    state, _ = talk(advisor, (
        "so ive been at my company 4 yrs, they just promoted me to team lead last month. but a "
        "recruiter from a fintech called harbourline reached out and i did a first call, it went "
        "fine but the guy kept saying were like a family here and couldnt tell me the salary "
        "band", "describe_interview"))
    options = {o.opportunity: {c.topic: c for c in o.cells}
               for o in comparison.compare(advisor, state).options}
    fintech = next(v for k, v in options.items() if k != "your current job")
    current = options["your current job"]
    pay, team = "topic_pay_and_title", "topic_team_and_relationships"
    assert fintech[pay].status == "against"                   # "couldnt tell me"
    assert team not in current or current[team].status == "unknown"
    assert [q.text for q in current[pay].quotes] == \
        ["they just promoted me to team lead last month"]      # the person's words


@pytest.mark.parametrize("clause, status", [
    ("the new role is basically more work for the same money", "against"),
    ("they pay well and i like the package", "for"),
    ("the pay seems like a joke", "against"),
    ("they didnt want to talk about pay", "against"),
    ("pay is fine, nothing special", "said"),
])
def test_what_a_clause_says_about_pay(advisor, clause, status):
    state, _ = talk(advisor, (f"I got an offer from Initech. {clause}", "evaluate_offer"),
                    ("Hooli offered me a job too", "evaluate_offer"))
    initech = next(o for o in comparison.compare(advisor, state).options
                   if o.opportunity == "Initech")
    assert next(c for c in initech.cells if c.topic == "topic_pay_and_title").status == status


def test_clauses_after_one_about_the_current_job_stay_with_it(advisor):
    """Seen in the widget: "my current place just counter offered with 72k but its 5 days in
    the office and my boss is kind of a nightmare" put the office days and the boss under the
    other offer, and quoted the counter-offer twice (with and without its "and")."""
    state, _ = talk(advisor, (
        "got an offer from Ardent Labs, 68k fully remote, and my current place just counter "
        "offered with 72k but its 5 days in the office and my boss is kind of a nightmare",
        "evaluate_offer"))
    options = {o.opportunity: {c.topic: c for c in o.cells}
               for o in comparison.compare(advisor, state).options}
    current = options["your current job"]
    ardent = next(v for k, v in options.items() if k != "your current job")
    flex = "topic_commute_and_flexibility"
    assert [q.text for q in ardent[flex].quotes] == ["68k fully remote"]
    assert any("5 days in the office" in q.text for q in current[flex].quotes)
    assert ardent[flex].status == "for"                        # fully remote
    pay = [q.text for q in current["topic_pay_and_title"].quotes]
    assert len([q for q in pay if "counter offered with 72k" in q]) == 1
    # the harsh word after "my boss" counts against the current job's team
    team = current["topic_team_and_relationships"]
    assert team.status == "against" and any("nightmare" in q.text for q in team.quotes)


def test_a_factor_of_a_ranked_topic_weighs_half_and_says_why(advisor):
    """Commute is part of work-life balance (the seed weighs commute time as a factor of it):
    ranked "work-life balance, then pay", the commute counts too, at half the weight, with
    the rank of work-life balance, and the table says why it is there."""
    state, _ = talk(advisor, ("two offers. Saltire pays 60k but it's 90 mins each way on the "
                              "train, Brindle pays 52k and i can walk there", "evaluate_offer"),
                    ("work-life balance matters most to me, then pay", "inform"))
    result = comparison.compare(advisor, state)
    by_topic = {p.topic: p for p in result.priorities}
    balance = by_topic["topic_work_life_balance"]
    commute = by_topic["topic_commute_and_flexibility"]
    assert commute.weight == balance.weight / 2 and commute.rank == balance.rank
    assert commute.part_of == "topic_work_life_balance" and balance.part_of is None
    assert commute.title == "Commute and flexibility (part of work-life balance)"
    brindle = next(o for o in result.options if o.opportunity == "Brindle")
    cell = next(c for c in brindle.cells if c.topic == "topic_commute_and_flexibility")
    assert cell.status == "for" and cell.title == commute.title
    # pay for Saltire, the walk for Brindle: a tie, said as one
    assert result.options[0].score == result.options[1].score
    reply = several.comparison_reply(advisor, state)
    assert "(work-life balance, then pay and title)" in reply.message
    assert "Commute and flexibility (part of work-life balance) #1" in render_text(reply)
    # named by the person, the commute is their own priority, with its own rank
    state, _ = talk(advisor, ("pay matters most, then the commute, then work-life balance",
                              "inform"), state=state)
    ranked = {p.topic: p for p in comparison.compare(advisor, state).priorities}
    assert ranked["topic_commute_and_flexibility"].part_of is None
    assert ranked["topic_commute_and_flexibility"].rank == 2


def test_priorities_told_in_one_sentence_of_a_story(advisor):
    """"... Brindle pays 52k and i can walk there. work life balance matters most to me, then
    pay": the last sentence is the person's priorities, not something about Brindle; the rest
    is read as usual."""
    story = ("ok so 2 offers now. Saltire pays 60k but it's 90 mins each way on the train, "
             "Brindle pays 52k and i can walk there. work life balance matters most to me, "
             "then pay")
    state, turn = talk(advisor, (story, "describe_interview"))
    assert state.priorities["order"] == ["topic_work_life_balance", "topic_pay_and_title"]
    assert turn["priorities_noted"]
    assert {e["name"] for e in opp.others(state)} == {"Saltire", "Brindle"}
    for option in comparison.compare(advisor, state).options:
        balance = next(c for c in option.cells if c.topic == "topic_work_life_balance")
        assert balance.status == "unknown" and not balance.quotes    # never "matters most"
    # a sentence with a red flag in it is part of the story: the flag counts, no priorities
    story = ("had the final at Quayle on monday. pay matters most to me and they couldn't "
             "say what the salary or the job actually is")
    state, turn = talk(advisor, (story, "describe_interview"))
    assert not state.priorities and not turn.get("priorities_noted")
    assert "vague_job_description" in state.flags
    # one sentence alone is read as before: a story that mentions pay is no ranking
    state, turn = talk(advisor, ("the pay matters but they were lovely on the phone",
                                 "describe_interview"))
    assert not state.priorities
