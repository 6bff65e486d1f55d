"""A FallbackClassifier that does not interrupt a story with "did you mean ...?".

When a long message sits between two intents that the dialogue answers the same way - "Should
I keep interviewing? Everyone there only says great things ..." is half a dilemma, half a
description, and both go to the same analysis - asking the person which one they meant only
delays the answer. Short messages, and long ones where one of the two best intents leads
elsewhere (small talk, a draft, a correction), still get the usual fallback.

Nor does a statement of a fact that the rule base reads ("the pay is like 15k more than what i
get now", "tbh im not that into it anymore") when NLU's best guess is one of those intents: the
analysis uses the fact at once, where "did you mean ...?" would only lose it.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

#: the intents that data/rules/advice.yml answers with action_analyze_situation
ANALYSIS_INTENTS = ["describe_interview", "ask_keep_interviewing", "ask_withdraw",
                    "evaluate_offer", "report_rejection", "inform"]

#: facts that are what the person asks, not something they state about their situation
NOT_STATEMENTS = frozenset({"question"})

_advisor: Optional[Any] = None
_advisor_lock = threading.Lock()


def rule_base() -> Any:
    """The rule base's ``Advisor``, loaded once per process (about 7 s) and then shared."""
    global _advisor
    if _advisor is None:
        with _advisor_lock:
            if _advisor is None:
                from interview_advisor import Advisor
                _advisor = Advisor()
    return _advisor


def states_a_fact(text: str) -> bool:
    """Does the rule base read a fact about the person's situation in ``text``?"""
    return any(fact not in NOT_STATEMENTS for fact in rule_base().detect(text).facts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class StoryAwareFallbackClassifier(FallbackClassifier):
    """FallbackClassifier, except for long messages whose two best intents are both analysed."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**FallbackClassifier.get_default_config(), "story_min_words": 12,
                "story_intents": ANALYSIS_INTENTS, "fact_statements": True}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        if self.component_config["fact_statements"]:
            # When the model loads (server start, `rasa shell`, `rasa test`), not on the
            # first unsure message: that person would wait for the rule base to load.
            rule_base()

    def _should_fallback(self, message: Message) -> bool:
        if not super()._should_fallback(message):
            return False
        words = len(str(message.get(TEXT) or "").split())
        top: List[str] = [str(r.get(INTENT_NAME_KEY)) for r in
                          (message.get(INTENT_RANKING_KEY) or [])[:2]]
        story_intents = set(self.component_config["story_intents"])
        if top and top[0] in story_intents and self.component_config["fact_statements"] and \
                states_a_fact(str(message.get(TEXT) or "")):
            return False
        return not (words >= self.component_config["story_min_words"] and top and
                    all(name in story_intents for name in top))
