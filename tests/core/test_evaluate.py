"""Precision, recall and F1 over a tiny hand-labelled set (mini rule base)."""

from __future__ import annotations

import pytest

from interview_advisor.evaluate import Counts, evaluate, load_set


@pytest.mark.parametrize("tp, fp, fn, precision, recall, f1", [
    (3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
    (1, 0, 0, 1.0, 1.0, 1.0),
    (0, 0, 0, 1.0, 1.0, 1.0),          # nothing to find, nothing found: perfect
    (0, 2, 0, 0.0, 1.0, 0.0),
    (0, 0, 3, 1.0, 0.0, 0.0),
    (0, 1, 1, 0.0, 0.0, 0.0),
], ids=["mixed", "perfect", "empty", "only-false-alarms", "only-misses", "all-wrong"])
def test_counts_arithmetic(tp, fp, fn, precision, recall, f1):
    counts = Counts(tp, fp, fn)
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)


ITEMS = [
    {"id": "hit", "text": "they ghosted me", "signals": ["ghosting"]},
    {"id": "miss", "text": "the role was vague", "signals": ["vague_role", "ghosting"]},
    {"id": "false-alarm", "text": "they ghosted me and the role was vague", "signals": []},
    {"id": "clean", "text": "it all went well", "signals": []},
]


def test_evaluate_counts_per_signal_and_micro(mini_advisor):
    report = evaluate(mini_advisor, ITEMS, "tiny")
    assert report.messages == 4
    assert set(report.per_signal) == {"ghosting", "vague_role"}   # deprecated old_flag: not scored
    g, v = report.per_signal["ghosting"], report.per_signal["vague_role"]
    assert (g.tp, g.fp, g.fn) == (1, 1, 1)
    assert (v.tp, v.fp, v.fn) == (1, 1, 0)
    m = report.micro
    assert (m.tp, m.fp, m.fn) == (2, 2, 1)
    assert m.precision == pytest.approx(0.5)
    assert m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(4 / 7)
    assert report.macro_f1 == pytest.approx((0.5 + 2 / 3) / 2)
    assert (report.no_flag_total, report.no_flag_clean) == (2, 1)
    assert [(e[0], e[2], e[3]) for e in report.errors] == [
        ("miss", {"vague_role", "ghosting"}, {"vague_role"}),
        ("false-alarm", set(), {"ghosting", "vague_role"})]


def test_report_table(mini_advisor):
    table = evaluate(mini_advisor, ITEMS, "tiny").table().splitlines()
    assert table[0] == "tiny: 4 messages"
    assert table[1].split() == ["signal", "prec", "recall", "F1", "TP", "FP", "FN"]
    assert table[2].split() == ["ghosting", "0.500", "0.500", "0.500", "1", "1", "1"]
    assert table[3].split() == ["vague_role", "0.500", "1.000", "0.667", "1", "1", "0"]
    assert table[4].split() == ["micro", "0.500", "0.667", "0.571", "2", "2", "1"]
    assert table[5].split() == ["macro", "F1", "0.583"]
    assert table[6] == "no-flag messages clean: 1/2"


def test_load_set(tmp_path):
    good = tmp_path / "good.yml"
    good.write_text("- {text: hi, signals: []}\n- {text: they ghosted me, signals: [ghosting]}\n")
    assert [i["text"] for i in load_set(good)] == ["hi", "they ghosted me"]


@pytest.mark.parametrize("content, message", [
    ("text: hi\n", "expected a list"),
    ("- {text: hi}\n", "item 0 needs 'text' and 'signals'"),
    ("- {text: hi, signals: []}\n- just a string\n", "item 1 needs"),
], ids=["mapping", "no-signals", "not-a-mapping"])
def test_load_set_rejects_malformed_files(tmp_path, content, message):
    path = tmp_path / "bad.yml"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_set(path)
