"""What the README promises about the project, checked against the project itself."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def test_the_readmes_complete_rule_example_is_the_real_rule() -> None:
    block = re.search(r"```yaml\n(rules:\n.*?)```", README, re.S)
    assert block, "the README has no complete rule example"
    (example,) = yaml.safe_load(block.group(1))["rules"]
    real = [rule for path in sorted((ROOT / "rules" / "advice").glob("*.yml"))
            for rule in yaml.safe_load(path.read_text("utf-8")).get("rules") or []
            if rule.get("id") == example["id"]]
    assert real == [example]


def test_the_readme_names_the_python_versions_setup_accepts() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    versions = re.search(r'requires-python = ">=3\.(\d+),<3\.(\d+)"', pyproject)
    assert versions, "requires-python is not of the form >=3.X,<3.Y"
    lowest, highest = int(versions[1]), int(versions[2]) - 1
    assert f"this project on 3.{lowest}-3.{highest}" in " ".join(README.split())
    finder = (ROOT / "scripts" / "find-python.sh").read_text("utf-8")
    assert f"CPython 3.{lowest} or 3.{highest}" in finder
