"""The input guard in the NLU pipeline: every message, from every channel, passes it first.

Two thin components around :mod:`interview_advisor.guard` (which knows nothing of Rasa):

- :class:`InputGuard` comes **first** in the pipeline. It replaces the message's text by its
  cleaned form (no control or zero-width characters) before anything tries to understand it,
  and records what is wrong with the message, if anything, under ``input_guard`` in the parse
  data (``{"problem": "too_long", "length": 100000, "limit": 5000}``). A refused message
  reaches the rest of the pipeline as an empty text: a 100 KB message is never tokenised, and
  Rasa's own handling of ``/intent{...}`` shortcuts (RegexMessageHandler, which always runs
  last and would set the intent and entities - hence slots - from the typed text) never sees a
  shortcut. The exact ``/<intent>`` payloads of the bot's own buttons (the two-stage
  fallback's "did you mean ...?") are kept: the component learns at training time which
  intents the classifier can propose, which are exactly those the fallback offers as buttons.
- :class:`InputGuardDecision` comes **last**. For a refused message it sets the intent
  ``unreadable_input`` (answered by ``action_answer_unreadable_input``, data/rules/) with no
  entities; for an emoji- or punctuation-only message it does so only when the classifier
  fell back (``nlu_fallback``), since "👍" is understood as a yes.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from interview_advisor import guard

logger = logging.getLogger(__name__)

#: the key of the guard's finding in a message's parse data (read by the custom action)
GUARD_KEY = "input_guard"
#: intents never accepted as a typed ``/intent``, even if they are in the training data
NEVER_PAYLOADS = frozenset({guard.INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME})
#: the fallback's "No, something else" button
ALWAYS_PAYLOADS = frozenset({"out_of_scope"})
_FILE = "allowed_payloads.json"


def allowed_payloads(intents: Iterable[str]) -> List[str]:
    """The intents whose bare ``/name`` the bot's buttons may send, given the trained ones."""
    return sorted((set(intents) | ALWAYS_PAYLOADS) - NEVER_PAYLOADS)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class InputGuard(GraphComponent):
    """Cleans every message and records its problem (see the module docstring)."""

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 allowed: Iterable[str] = ()) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.allowed = frozenset(allowed)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> InputGuard:
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> InputGuard:
        guard.warn_if_debug_logging(logger, "rasa")
        allowed: List[str] = []
        try:
            with model_storage.read_from(resource) as folder:
                allowed = json.loads((folder / _FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            logger.warning("the input guard has no list of button payloads; every typed "
                           "/intent shortcut will be refused")
        return cls(model_storage, resource, allowed)

    def train(self, training_data: TrainingData) -> Resource:
        self.allowed = frozenset(allowed_payloads(training_data.intents))
        with self._model_storage.write_to(self._resource) as folder:
            (folder / _FILE).write_text(json.dumps(sorted(self.allowed)), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            checked = guard.check(message.get(TEXT), self.allowed)
            message.set(TEXT, checked.text)
            if checked.problem:
                message.set(GUARD_KEY, checked.as_dict(), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuardDecision(GraphComponent):
    """Sets ``unreadable_input`` for the messages the guard refused (see the module docstring)."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> InputGuardDecision:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            finding: Optional[Dict[str, Any]] = message.get(GUARD_KEY)
            if not finding:
                continue
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if finding.get("problem") in guard.SOFT_PROBLEMS and \
                    intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                message.set(GUARD_KEY, None, add_to_output=True)  # understood after all
                continue
            decided = {INTENT_NAME_KEY: guard.INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, decided, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(decided)], add_to_output=True)
            message.set(ENTITIES, [], add_to_output=True)
        return messages
