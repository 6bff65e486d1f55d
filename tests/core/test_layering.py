"""The core's layers: the rule base, detection and the engine sit below the dialogue layer and
never import it (the dialogue layer builds on the engine, not the other way round), and no
module of the package imports Rasa."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Optional, Set

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "interview_advisor"

#: the modules the engine is made of; the dialogue layer and the command line build on them
CORE = ("backstop", "conditions", "cues", "detect", "engine", "errors", "evaluate", "nlp",
        "reader", "rulebase", "stance", "wording", "yamlload")


def imported_modules(path: Path, source: Optional[str] = None) -> Set[str]:
    """Every module ``path`` imports (or ``source`` as if it were that file), relative imports
    resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base: List[str] = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("name", CORE)
def test_core_module_does_not_import_the_dialogue_layer(name: str) -> None:
    imports = imported_modules(PACKAGE / f"{name}.py")
    upward = sorted(m for m in imports if m.startswith("interview_advisor.dialogue"))
    assert upward == [], f"interview_advisor/{name}.py imports {upward}"


def test_no_module_of_the_package_imports_rasa() -> None:
    offenders = {
        str(path.relative_to(PACKAGE.parent)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in ("rasa", "rasa_sdk"))
        for path in PACKAGE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_resolves_relative_imports() -> None:
    engine, reading = PACKAGE / "engine.py", PACKAGE / "dialogue" / "reading.py"
    assert "interview_advisor.dialogue.text" in imported_modules(
        engine, "from .dialogue.text import quote\n")
    assert "interview_advisor.cues" in imported_modules(reading, "from ..cues import says\n")
    assert "interview_advisor.dialogue.state" in imported_modules(
        reading, "from .state import State\n")
