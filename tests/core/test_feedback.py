"""The feedback store against real SQLite files, and `interview-advisor feedback-report`."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from interview_advisor.cli import main as cli_main
from interview_advisor.feedback import FeedbackStore, RuleFeedback, format_report

RULE_A = "vague_role_get_it_in_writing"
RULE_B = "slow_process_set_a_deadline"


def test_ratings_and_showings_are_counted_per_rule(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "deep" / "er" / "feedback.sqlite3")
    store.record_shown("conv-1", "webchat", [RULE_A, RULE_B])
    store.record_shown("conv-2", "cmdline", [RULE_A])
    store.record("conv-1", "webchat", [RULE_A, RULE_B], helpful=True)
    store.record("conv-2", "cmdline", [RULE_A], helpful=False)
    store.record("conv-3", "slack", [RULE_A], helpful=False)

    assert store.report() == [RuleFeedback(RULE_B, 1, 1, 0), RuleFeedback(RULE_A, 2, 1, 2)]
    # a row is a plain tuple too: (rule_id, shown, helpful, not_helpful)
    assert tuple(store.report()[0]) == (RULE_B, 1, 1, 0)


def test_the_store_is_durable_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    FeedbackStore(path).record("conv-1", "rest", [RULE_A], helpful=True)
    reopened = FeedbackStore(path)
    assert reopened.report() == [RuleFeedback(RULE_A, 0, 1, 0)]
    # the salt is kept in the file: the same conversation hashes the same way after reopening
    assert reopened.conversation_key("conv-1") == FeedbackStore(path).conversation_key("conv-1")
    assert reopened.delete_conversation("conv-1") == 1


def test_what_is_stored_per_event_and_no_raw_conversation_id(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    secret_id = "U024BE7LH-slack-user"
    FeedbackStore(path).record(secret_id, "slack", [RULE_A, RULE_A, RULE_B], helpful=False)

    raw = path.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("*-wal"))
    assert secret_id.encode() not in raw
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT at, conversation, channel, kind, helpful "
                            "FROM events").fetchall()
        rules = conn.execute("SELECT rule_id FROM event_rules ORDER BY rule_id").fetchall()
    finally:
        conn.close()
    assert len(rows) == 1
    at, conversation, channel, kind, helpful = rows[0]
    assert at.endswith("+00:00") and at[:4].isdigit()
    assert conversation == FeedbackStore(path).conversation_key(secret_id) != secret_id
    assert len(conversation) == 64
    assert (channel, kind, helpful) == ("slack", "rated", 0)
    assert rules == [(RULE_B,), (RULE_A,)], "a rule listed twice counts once per event"


def test_two_files_hash_the_same_conversation_differently(tmp_path: Path) -> None:
    one, two = FeedbackStore(tmp_path / "1.sqlite3"), FeedbackStore(tmp_path / "2.sqlite3")
    assert one.conversation_key("conv-1") != two.conversation_key("conv-1")
    assert one.conversation_key("conv-1") != one.conversation_key("conv-2")


def test_delete_conversation_forgets_only_that_conversation(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record_shown("forget-me", "webchat", [RULE_A, RULE_B])
    store.record("forget-me", "webchat", [RULE_A], helpful=True)
    store.record("keep-me", "webchat", [RULE_A], helpful=False)

    assert store.delete_conversation("forget-me") == 2
    assert store.delete_conversation("forget-me") == 0
    assert store.delete_conversation("never-seen") == 0
    assert store.report() == [RuleFeedback(RULE_A, 0, 0, 1)]


def test_nothing_is_recorded_without_rule_ids_and_bad_arguments_are_refused(
        tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record_shown("conv-1", "webchat", [])
    store.record("conv-1", "webchat", [], helpful=True)
    assert store.report() == []
    with pytest.raises(TypeError):
        store.record("conv-1", "webchat", RULE_A, helpful=True)  # one string, not a list
    with pytest.raises(TypeError):
        store.record("conv-1", "webchat", [RULE_A], helpful="yes")  # type: ignore[arg-type]
    assert store.report() == []


def test_the_path_comes_from_feedback_db_then_the_default(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEEDBACK_DB", raising=False)
    store = FeedbackStore()
    store.record("conv-1", "rest", [RULE_A], helpful=True)
    assert store.path == Path(".rasa") / "feedback.sqlite3"
    assert (tmp_path / ".rasa" / "feedback.sqlite3").is_file()

    monkeypatch.setenv("FEEDBACK_DB", str(tmp_path / "elsewhere" / "fb.db"))
    FeedbackStore().record("conv-1", "rest", [RULE_B], helpful=False)
    assert (tmp_path / "elsewhere" / "fb.db").is_file()
    assert FeedbackStore().report() == [RuleFeedback(RULE_B, 0, 0, 1)]


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    shared = FeedbackStore(path)
    errors: list = []

    def worker(n: int) -> None:
        try:
            own = FeedbackStore(path)  # another instance on the same file, like a second process
            for i in range(25):
                shared.record_shown(f"conv-{n}-{i}", "webchat", [RULE_A])
                own.record(f"conv-{n}-{i}", "webchat", [RULE_A], helpful=i % 2 == 0)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert shared.report() == [RuleFeedback(RULE_A, 150, 6 * 13, 6 * 12)]


def test_feedback_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "feedback.sqlite3"
    assert cli_main(["feedback-report", "--db", str(db)]) == 0
    assert "No feedback recorded yet" in capsys.readouterr().out
    assert not db.exists(), "reporting must not create the file"

    store = FeedbackStore(db)
    store.record_shown("c1", "webchat", [RULE_A])
    store.record_shown("c2", "webchat", [RULE_A])
    store.record("c1", "webchat", [RULE_A], helpful=True)
    store.record("c2", "webchat", [RULE_A], helpful=False)
    store.record("c2", "webchat", [RULE_A], helpful=False)

    assert cli_main(["feedback-report", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith(RULE_A))
    assert line.split() == [RULE_A, "2", "1", "2", "33%"]

    assert cli_main(["feedback-report", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"rule_id": RULE_A, "shown": 2, "helpful": 1, "not_helpful": 2}]


def test_format_report_of_an_unrated_rule() -> None:
    text = format_report([RuleFeedback(RULE_A, 3, 0, 0)])
    assert text.splitlines()[1].split() == [RULE_A, "3", "0", "0", "-"]
    assert format_report([]) == "No feedback recorded yet."
