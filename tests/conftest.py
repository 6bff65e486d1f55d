"""Loaded before every test folder's own conftest: imports the advisor core once, quietly.

pyproject.toml turns every warning into an error, and importing spaCy 3.4 (pinned through
Rasa) makes third-party modules warn at import time (``click.parser.split_arg_string``,
pyparsing's ``setParseAction``) - none of them ours to fix. Any folder's conftest may import
``interview_advisor`` (tests/e2e does, for the channel names), and a folder run on its own
(``pytest tests/e2e``) must not fail on those warnings, so the core is imported here first with
DeprecationWarnings from modules outside ``interview_advisor`` silenced for that import only.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            module=r"(?!interview_advisor)")
    import interview_advisor  # noqa: F401  (imports spaCy without TensorFlow)
