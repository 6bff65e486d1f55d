"""Round 14 (dlm14): an answer word negated in its clause does not answer ("its not where i
work now, its a totally different firm" is external); praise of the current job with stacked
adverbs and "decent" ("work's actually pretty decent these days") is being satisfied."""

from __future__ import annotations

from interview_advisor import Advisor
from interview_advisor.dialogue.answers import match_option, names_unnegated

from .conversation import talk

ADVISOR = Advisor()


def test_a_negated_answer_word_does_not_answer():
    assert not names_unnegated("its not where i work now", "where i work")
    assert names_unnegated("no, where i work", "where i work")
    assert names_unnegated("no its internal", "internal")
    assert match_option(ADVISOR, "interview_type",
                        "fwiw its not where i work now, its a totally different firm") == "external"
    assert match_option(ADVISOR, "interview_type", "it isnt internal") is None


def test_negation_words_inside_answer_words_still_answer():
    assert match_option(ADVISOR, "interest", "not interested tbh") == "not_interested"
    assert match_option(ADVISOR, "interest", "i really dont know") == "unsure"
    assert match_option(ADVISOR, "stage", "havent had it yet") == "upcoming"


def test_decent_work_with_stacked_adverbs_is_satisfied():
    state, _ = talk(ADVISOR, ("so yeah work's actually pretty decent these days", "inform"))
    assert state.facts["current_satisfaction"]["value"] == "satisfied"
    state, _ = talk(ADVISOR, ("the job was decent enough but the pay is awful", "inform"))
    assert state.facts.get("current_satisfaction", {}).get("value") != "satisfied"
