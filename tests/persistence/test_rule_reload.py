"""The action server's rule base: reloaded in the background, never blocking a request; a
broken edit keeps the last good rule base and is reported with file and line."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from actions import advisor_service

ROOT = Path(__file__).resolve().parents[2]
OLD_TITLE, NEW_TITLE = "Get the role described in writing", "Ask them to write the role down"
RULE = "vague_role_ask_for_written_scope"


def title(rule_id: str = RULE) -> str:
    rules = {r.id: r for r in advisor_service.get_advisor().rulebase.rules}
    return rules[rule_id].title


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    monkeypatch.setenv("INTERVIEW_ADVISOR_RULES", str(copy))
    monkeypatch.setenv("INTERVIEW_ADVISOR_RELOAD_SECONDS", "0")
    advisor_service.reset_advisor()
    yield copy
    advisor_service.reset_advisor()   # the next user loads the project's rules/ again


def edit(rules: Path, old: str, new: str) -> None:
    path = rules / "advice" / "red_flags.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_edit_keeps_the_last_good_rule_base_and_names_file_and_line(
        rules: Path, caplog: pytest.LogCaptureFixture) -> None:
    advisor = advisor_service.get_advisor()
    assert title() == OLD_TITLE
    edit(rules, OLD_TITLE, NEW_TITLE)
    edit(rules, "    priority: 85\n", "    priority: very high\n")
    with caplog.at_level(logging.ERROR, logger=advisor_service.__name__):
        issues = advisor_service.check_now()
    assert issues and "red_flags.yml:7" in str(issues[0])
    assert "red_flags.yml:7" in caplog.text and "keeping the last good" in caplog.text
    assert advisor_service.get_advisor() is advisor and title() == OLD_TITLE
    # the same broken version is reported once, not at every check
    assert advisor_service.check_now() is None
    # the next valid edit is picked up
    edit(rules, "    priority: very high\n", "    priority: 85\n")
    assert advisor_service.check_now() == []
    assert title() == NEW_TITLE


def test_the_reloader_thread_picks_up_an_edit_by_itself(
        rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEW_ADVISOR_RELOAD_SECONDS", "0.2")
    assert title() == OLD_TITLE
    assert any(t.name == "rule-base-reloader" for t in threading.enumerate())
    edit(rules, OLD_TITLE, NEW_TITLE)
    deadline = time.monotonic() + 60
    while title() != NEW_TITLE:
        assert time.monotonic() < deadline, "the edit was not picked up"
        time.sleep(0.1)


def test_requests_never_wait_for_a_reload(rules: Path) -> None:
    advisor = advisor_service.get_advisor()
    got = []
    # a reload in progress holds the reload lock for as long as it compiles
    with advisor_service._reload_lock:
        worker = threading.Thread(target=lambda: got.append(advisor_service.get_advisor()))
        worker.start()
        worker.join(timeout=30)
        finished_during_reload = not worker.is_alive()
    worker.join()
    assert finished_during_reload and got == [advisor]
