"""Shared helpers for the core test-suite (no test logic here)."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

from interview_advisor import Advisor
from interview_advisor.errors import RuleIssue

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"
SCHEMA = RULES / "schema.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = REPO.parent / "shared" / "seeds"

SIGNAL_IDS = {"vague_job_description", "unrealistic_expectations", "overly_positive_acquaintances",
              "unclear_culture", "poor_communication"}


def pattern_signals(advisor: Advisor, text: str) -> Set[str]:
    """What the YAML patterns and the grammar find, without the statistical backstop."""
    return {hit.owner.partition(":")[2] for hit in advisor.rulebase.detector.run(text)
            if hit.owner.startswith("signal:")}


@functools.lru_cache(maxsize=1)
def real_advisor() -> Advisor:
    """The advisor over the project's real rule base, built once per test session."""
    return Advisor(RULES)


class RuleDir:
    """A rule base folder in tmp_path that tests can edit and locate lines in.

    The folder is called ``rules`` so that issue file names read ``rules/<file>``, exactly as
    they do for the project's own rule base.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def create(cls, parent: Path, source: Optional[Path] = None,
               files: Optional[Dict[str, str]] = None, schema: bool = True) -> RuleDir:
        root = parent / "rules"
        if source is not None:
            shutil.copytree(source, root)
        else:
            root.mkdir(parents=True)
        if schema:
            shutil.copy(SCHEMA, root / "schema.json")
        rule_dir = cls(root)
        for rel, text in (files or {}).items():
            rule_dir.write(rel, text)
        return rule_dir

    def path(self, rel: str) -> Path:
        return self.root / rel

    def name(self, rel: str) -> str:
        """The file name as the loader reports it."""
        return f"rules/{rel}"

    def read(self, rel: str) -> str:
        return self.path(rel).read_text("utf-8")

    def write(self, rel: str, text: str) -> None:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
        self.write(rel, text.replace(old, new))

    def line(self, rel: str, needle: str, nth: int = 1) -> int:
        """The 1-based line number of the nth line of ``rel`` containing ``needle``."""
        found = [i for i, line in enumerate(self.read(rel).splitlines(), 1) if needle in line]
        assert len(found) >= nth, f"{needle!r} not found {nth} time(s) in {rel}"
        return found[nth - 1]


def mini(tmp_path: Path) -> RuleDir:
    """A fresh copy of the small valid fixture rule base."""
    return RuleDir.create(tmp_path, FIXTURES / "mini")


def only(issues: Iterable[RuleIssue], kind: Optional[str] = None) -> RuleIssue:
    """The single issue (of ``kind``) in ``issues``; fails with the full list otherwise."""
    issues = list(issues)
    chosen: List[RuleIssue] = [i for i in issues if kind is None or i.kind == kind]
    assert len(chosen) == 1, "expected exactly one issue" + \
        (f" of kind {kind!r}" if kind else "") + ", got:\n" + "\n".join(map(str, issues))
    return chosen[0]


def tuning_dialogues(root: Path, conversations_yaml: str) -> Path:
    """A dialogue tuning folder under ``root`` (as reader training reads it) holding one
    category file with ``conversations_yaml`` (the text after ``conversations:``); returns
    ``root``."""
    from interview_advisor.reader_train import TUNING_DIR

    folder = root / TUNING_DIR
    folder.mkdir(parents=True)
    (folder / "dilemmas.yml").write_text("conversations:\n" + conversations_yaml, "utf-8")
    return root
