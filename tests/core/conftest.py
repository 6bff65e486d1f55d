"""Fixtures for the core tests: the real advisor (built once) and small tmp rule bases.

pyproject.toml turns every warning into an error.  Importing spaCy 3.4 (pinned through Rasa)
pulls in third-party modules that emit DeprecationWarnings at import time - ``packaging`` 20.9
calls pyparsing's deprecated ``setParseAction``, ``typer`` touches the deprecated
``click.utils.get_binary_stream`` - none of them ours to fix, and conftests are imported before
an ini ``filterwarnings`` line could be added.  So the core is imported here first, with
DeprecationWarnings from modules outside ``interview_advisor`` silenced for that import only.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            module=r"(?!interview_advisor)")
    import interview_advisor  # noqa: F401  (imports spaCy without TensorFlow)
    import interview_advisor.cli  # noqa: F401
    import interview_advisor.docs  # noqa: F401
    import interview_advisor.evaluate  # noqa: F401
    import interview_advisor.examples  # noqa: F401

import pytest  # noqa: E402

from interview_advisor import Advisor  # noqa: E402

from .helpers import FIXTURES, RuleDir, mini, real_advisor  # noqa: E402


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The advisor over the project's rules/ (about a second to build; never mutate it)."""
    return real_advisor()


@pytest.fixture
def mini_dir(tmp_path) -> RuleDir:
    """A fresh, editable copy of tests/core/fixtures/mini (with the real schema.json)."""
    return mini(tmp_path)


@pytest.fixture(scope="module")
def mini_advisor(tmp_path_factory) -> Advisor:
    """An advisor over an untouched copy of the mini rule base (shared, never mutate it)."""
    return Advisor(RuleDir.create(tmp_path_factory.mktemp("mini"), FIXTURES / "mini").root)
