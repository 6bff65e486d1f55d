"""Interview Advisor core: rule base, red-flag detection and an explaining rule engine.

This package never imports Rasa; the Rasa custom actions in ``actions/`` are thin adapters
over :class:`Advisor`.
"""

from ._quiet import import_spacy_without_tensorflow

import_spacy_without_tensorflow()

from .engine import AdviceItem, Advisor, Analysis, Question, SignalFinding  # noqa: E402
from .errors import RuleBaseError, RuleIssue  # noqa: E402
from .rulebase import RuleBase, check_rulebase, load_rulebase  # noqa: E402

__all__ = ["AdviceItem", "Advisor", "Analysis", "Question", "RuleBase", "RuleBaseError",
           "RuleIssue", "SignalFinding", "check_rulebase", "load_rulebase"]
__version__ = "0.1.0"
