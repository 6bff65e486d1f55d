"""Round 13 (dlm13): the kind of employer a person says they work at now ("i'm a contractor
... at a bank", "i work for a charity") is their current job, not another opportunity; a kind
of employer that offers or interviews is still one."""

from __future__ import annotations

from interview_advisor import Advisor
from interview_advisor.dialogue.opportunity_mentions import find_mentions
from interview_advisor.dialogue.state import State

from .conversation import talk

ADVISOR = Advisor()


def opportunities(*messages):
    state, _ = talk(ADVISOR, *messages)
    return [(o["name"], o["kind"]) for o in state.opportunities], state


def test_the_place_they_work_is_the_current_job():
    found, state = opportunities(
        ("i'm a contractor, 18 months into a rolling contract at a bank. a perm job came up at "
         "Hartwell Digital", "ask_keep_interviewing"),
        ("final stage is next wednesday and tbh im leaning towards going for it", "inform"))
    assert ("bank", "employer") not in found
    assert ("Hartwell Digital", "company") in found
    assert state.facts["stage"]["value"] == "upcoming"
    assert state.facts["interest"]["value"] == "interested"


def test_an_employer_that_offers_or_interviews_is_still_an_opportunity():
    assert ("startup", "employer") in opportunities(
        ("i work at a bank and a startup offered me a job", "evaluate_offer"))[0]
    assert ("bank", "employer") in opportunities(
        ("i work for a charity. the bank want to interview me", "describe_interview"))[0]
    assert ("bank", "employer") in opportunities(("got an offer from a bank", "evaluate_offer"))[0]


class _CountingAdvisor(Advisor):
    """The real advisor, counting how often a message goes through detection."""

    calls = 0

    def detect(self, text, backstop=None, threshold=None):
        type(self).calls += 1
        return super().detect(text, backstop, threshold)


def test_mentions_run_detection_once_and_only_when_a_fact_can_place_them():
    """Where someone works, a promotion granted and an internal role told beside a company
    read the facts of one detection, and a message that names no kind of employer nor an
    internal role needs none."""
    advisor = _CountingAdvisor()
    state = State()
    _CountingAdvisor.calls = 0
    find_mentions(advisor, state, "the recruiter never called back after the second round")
    assert _CountingAdvisor.calls == 0
    text = ("i'm a contractor, 18 months into a rolling contract at a bank, and i applied "
            "internally for the ops role while a startup wants to interview me")
    mentions = find_mentions(advisor, state, text)
    assert _CountingAdvisor.calls == 1
    assert [m.kind for m in mentions][:1] == ["current"]
    assert "employer" in [m.kind for m in mentions]
