"""Errors raised while loading the rule base.

Every problem is a :class:`RuleIssue` that names the file, the line and (when known) the id of
the entry it is about, so that a person editing YAML can go straight to it.  Loading collects
every issue it can find before giving up, and raises one :class:`RuleBaseError` holding them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional


@dataclass(frozen=True)
class RuleIssue:
    """One problem in the rule base."""

    file: str
    line: Optional[int]
    message: str
    rule_id: Optional[str] = None
    kind: str = "invalid"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{where}:{who} {self.message} ({self.kind})"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "rule_id": self.rule_id,
            "kind": self.kind,
            "message": self.message,
        }


class RuleBaseError(Exception):
    """The rule base could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[RuleIssue]):
        self.issues: List[RuleIssue] = sorted(
            issues, key=lambda i: (i.file, i.line or 0, i.message)
        )
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in the rule base"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in self.issues))
