"""Checking the action server's answers with a schema compiled once (Rasa Open Source 3.6).

Rasa checks every answer of the action server against its response schema with
``jsonschema.validate(answer, schema)``, which first checks *the schema itself* against the
JSON Schema meta-schema and builds a new validator - on every action call. For our answers
(a few slot events with the conversation's facts and flags) that was a fifth of the Rasa
server's time per message (measured with py-spy; see the README's performance section).

:func:`install` replaces ``RemoteAction._validate_action_result`` with the same check through
one validator built once from the same schema: an answer passes or fails exactly as before,
and a failure raises the same ``ValidationError`` with Rasa's own explanation appended.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

logger = logging.getLogger(__name__)

_INSTALLED = "_interview_advisor_validator"


def install() -> None:
    """Compile Rasa's action response schema once (idempotent)."""
    if getattr(RemoteAction, _INSTALLED, False):
        return
    original = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return bool(original(self, result))   # raises Rasa's own error, message and all
        return True

    RemoteAction._validate_action_result = _validate_action_result
    setattr(RemoteAction, _INSTALLED, True)
    logger.debug("Action server answers are checked by a compiled schema "
                 "(stores.action_responses)")
