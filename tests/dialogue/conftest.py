"""The dialogue-layer tests: the core is imported first, as in tests/core/conftest.py (spaCy's
third-party imports warn, and pytest turns warnings into errors)."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            module=r"(?!interview_advisor)")
    import interview_advisor  # noqa: F401  (imports spaCy without TensorFlow)
