"""The command line, called in-process through main() and once as the installed script."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interview_advisor.cli import main

from .helpers import FIXTURES, RULES, RuleDir

REAL = ["--rules", str(RULES)]
MESSAGE = "I have an interview next week for a job I'm not interested in, and they ghosted me"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_json_shape(capsys):
    code, out, err = run(capsys, *REAL, "analyze", "--json", MESSAGE)
    assert code == 0, err
    data = json.loads(out)
    assert {"signals", "advice", "questions", "facts", "notes"} <= set(data)
    assert data["signals"], "the message has a clear red flag"
    for signal in data["signals"]:
        assert {"id", "evidence", "start", "end"} <= set(signal)
        assert MESSAGE[signal["start"]:signal["end"]] == signal["evidence"]
    assert [s["id"] for s in data["signals"]] == ["poor_communication"]
    assert data["advice"]
    for item in data["advice"]:
        assert {"rule", "text", "next_steps", "because"} <= set(item)
        assert item["next_steps"] and item["text"]
        assert any(reason["held"] for reason in item["because"])
    for question in data["questions"]:
        assert {"fact", "question", "options", "would_decide"} <= set(question)


def test_fact_option_changes_the_advice(capsys):
    _, plain, _ = run(capsys, *REAL, "analyze", "--json", MESSAGE)
    code, internal, err = run(capsys, *REAL, "analyze", "--json", "--fact",
                              "interview_type=internal", MESSAGE)
    assert code == 0, err
    plain, internal = json.loads(plain), json.loads(internal)
    assert internal["facts"]["interview_type"] == {"value": "internal", "source": "given"}
    assert [a["rule"] for a in internal["advice"]] != [a["rule"] for a in plain["advice"]]
    assert "interview_type" in {q["fact"] for q in plain["questions"]}
    assert "interview_type" not in {q["fact"] for q in internal["questions"]}


@pytest.fixture(scope="module")
def mini_rules(tmp_path_factory):
    return RuleDir.create(tmp_path_factory.mktemp("cli"), FIXTURES / "mini").root


@pytest.mark.parametrize("fact, message", [
    ("stag=offer", "unknown fact 'stag'"),
    ("stage=offered", "fact 'stage' must be one of upcoming, offer, rejected, not 'offered'"),
    ("internal=perhaps", "fact 'internal' is yes/no"),
    ("stage", "--fact must look like NAME=VALUE, not 'stage'"),
    ("=offer", "--fact must look like NAME=VALUE"),
], ids=["unknown-fact", "bad-value", "bad-boolean", "no-equals", "no-name"])
def test_bad_fact_exits_2_with_a_message(capsys, monkeypatch, mini_rules, fact, message):
    monkeypatch.setattr(sys, "stdin", io.StringIO("never read\n"))
    code, out, err = run(capsys, "--rules", str(mini_rules), "analyze", "--fact", fact, "-")
    assert code == 2
    assert out == ""
    assert err.startswith("interview-advisor: error: ")
    assert message in err


def test_analyze_stdin_prints_one_json_object_per_line(capsys, monkeypatch):
    lines = ["they ghosted me after the interview", "", "the responsibilities were vague"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, err = run(capsys, *REAL, "analyze", "--fact", "stage=upcoming", "-")
    assert code == 0, err
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 3
    assert [s["id"] for s in objects[0]["signals"]] == ["poor_communication"]
    assert objects[1]["signals"] == [] and "empty message" in objects[1]["notes"]
    assert [s["id"] for s in objects[2]["signals"]] == ["vague_job_description"]
    assert all(o["facts"]["stage"]["value"] == "upcoming" for o in objects)


def test_analyze_text_output(capsys):
    code, out, _ = run(capsys, *REAL, "analyze", MESSAGE)
    assert code == 0
    assert "Red flags I noticed" in out and '"ghosted me"' in out
    assert "What I'd do, most important first" in out      # the chat's own renderer
    assert "{" not in out
    code, out, _ = run(capsys, *REAL, "analyze", "   ")
    assert code == 0 and out.startswith("That message was empty.")


def test_rules_check_ok_on_the_real_rule_base(capsys):
    code, out, err = run(capsys, *REAL, "rules", "check")
    assert code == 0, out + err
    assert out.startswith("ok: ")


def test_rules_check_reports_file_and_line_on_a_broken_copy(capsys, tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    (broken / "advice" / "zz_broken.yml").write_text("""\
rules:
  - id: zz_broken_rule
    title: Refers to a fact that does not exist
    status: stable
    priority: 10
    topic: mindset
    source: {seed: "003", section: Keeping an open mind}
    when: {fact: no_such_fact, is: true}
    advice: Some advice.
    why: Some reason.
    next_steps: [Do something.]
    examples:
      trigger: [{facts: {employed: true}}]
      no_trigger: [{facts: {employed: false}}]
""")
    code, out, err = run(capsys, "--rules", str(broken), "rules", "check")
    assert code == 1
    assert "rules/advice/zz_broken.yml:8: [zz_broken_rule] unknown fact 'no_such_fact'" in out
    assert "1 problem found" in err
    code, out, _ = run(capsys, "--rules", str(broken), "rules", "check", "--json")
    assert code == 1
    assert json.loads(out) == [{"file": "rules/advice/zz_broken.yml", "line": 8,
                                "rule_id": "zz_broken_rule", "kind": "reference",
                                "message": json.loads(out)[0]["message"]}]


def test_rules_check_lists_every_problem_syntax_and_schema_first(capsys, tmp_path):
    rules = RuleDir.create(tmp_path, FIXTURES / "broken")
    code, out, err = run(capsys, "--rules", str(rules.root), "rules", "check")
    assert code == 1
    lines = out.splitlines()
    separator = lines.index("-- the problems below may follow from the ones above --")
    first, rest = lines[:separator], lines[separator + 1:]
    assert any("(duplicate-key)" in line for line in first)
    assert any("(schema)" in line for line in first)
    assert not any("(duplicate-key)" in line or "(schema)" in line for line in rest)
    assert any("(reference)" in line for line in rest)
    assert f"{len(first) + len(rest)} problems found" in err
    for where in ["rules/advice/b.yml:16:", "rules/advice/a.yml:8: [rule_a]",
                  "rules/signals.yml:11: [ghosting]", "rules/drafts.yml:9: [thanks]"]:
        assert any(line.startswith(where) for line in lines), where


def test_broken_rule_base_makes_analyze_exit_1(capsys, tmp_path):
    rules = RuleDir.create(tmp_path, files={"facts.yml": "facts: []\nfacts: []\n"})
    code, out, err = run(capsys, "--rules", str(rules.root), "analyze", "hello")
    assert code == 1
    assert "duplicate key 'facts'" in err and "rules/facts.yml:2" in err


def test_rules_test_passes(capsys):
    code, out, err = run(capsys, *REAL, "rules", "test")
    assert code == 0, out
    assert re.search(r"^\d+ passed, 0 failed$", out, re.M)


def test_rules_docs_lists_every_id(capsys, tmp_path, advisor):
    target = tmp_path / "docs" / "catalogue.md"
    code, out, err = run(capsys, *REAL, "rules", "docs", "-o", str(target))
    assert code == 0, err
    assert out.strip() == f"wrote {target}"
    text = target.read_text("utf-8")
    assert text.startswith("# Rule base catalogue")
    rulebase = advisor.rulebase
    missing = [i for i in [r.id for r in rulebase.rules] + list(rulebase.signals) +
               list(rulebase.facts) + list(rulebase.drafts) + list(rulebase.conditions)
               if f"`{i}`" not in text]
    assert missing == []


def test_draft_command(capsys):
    code, out, err = run(capsys, *REAL, "draft", "withdraw_application", "--set", "company=Acme",
                         "--set", "role=Data Analyst", "--set", "contact_name=Priya")
    assert code == 0, err
    assert out.startswith("Hi Priya,")
    assert "Data Analyst role at Acme" in out
    assert "[your name]" in out
    assert "[missing your_name]" in err and "--set your_name=..." in err


def test_draft_command_unknown_id(capsys):
    code, out, err = run(capsys, *REAL, "draft", "no_such_draft")
    assert code == 2
    assert "unknown draft 'no_such_draft'; drafts: " in err
    assert "withdraw_application" in err


def test_eval_signals_prints_the_table(capsys, tmp_path):
    labelled = tmp_path / "tiny.yml"
    labelled.write_text("""\
- {id: a, text: "they ghosted me after the second round", signals: [poor_communication]}
- {id: b, text: "the responsibilities were vague", signals: [vague_job_description]}
- {id: c, text: "the interview was great and I liked the team", signals: []}
""")
    code, out, err = run(capsys, *REAL, "eval-signals", str(labelled))
    assert code == 0, out + err
    assert out.startswith("tiny.yml: 3 messages\n")
    assert re.search(r"^poor_communication\s+1\.000\s+1\.000\s+1\.000\s+1\s+0\s+0$", out, re.M)
    assert re.search(r"^micro\s+1\.000\s+1\.000\s+1\.000\s+2\s+0\s+0$", out, re.M)
    assert "no-flag messages clean: 1/1" in out
    assert "targets (micro-F1 >= 0.9, every signal >= 0.85, no-flag clean): met" in out


def test_eval_signals_fails_when_targets_are_missed(capsys, tmp_path):
    labelled = tmp_path / "wrong.yml"
    labelled.write_text("- {id: x, text: \"they ghosted me\", signals: [unclear_culture]}\n")
    code, out, _ = run(capsys, *REAL, "eval-signals", "--show-errors", str(labelled))
    assert code == 1
    assert "NOT met" in out
    assert "x: gold=['unclear_culture'] found=['poor_communication']" in out


def test_eval_signals_rejects_a_malformed_set(capsys, tmp_path):
    labelled = tmp_path / "bad.yml"
    labelled.write_text("text: not a list\n")
    code, _, err = run(capsys, *REAL, "eval-signals", str(labelled))
    assert code == 2 and "expected a list of labelled messages" in err


def test_installed_console_script():
    script = Path(sys.executable).with_name("interview-advisor")
    assert script.is_file(), f"console script not installed at {script}"
    proc = subprocess.run([str(script), *REAL, "analyze", "--json", "they ghosted me"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [s["id"] for s in data["signals"]] == ["poor_communication"]
    assert data["signals"][0]["evidence"] == "ghosted"
    proc = subprocess.run([str(script), "analyze"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "usage: interview-advisor" in proc.stderr


def test_analyze_json_gives_the_direct_answers(capsys):
    text = "I just got a raise, should I keep interviewing?"
    code, out, err = run(capsys, *REAL, "analyze", "--json", text)
    assert code == 0, err
    answers = json.loads(out)["answers"]
    assert [a["id"] for a in answers] == ["keep_interviewing_after_improvement",
                                          "keep_interviewing_should_i"]
    assert text[answers[0]["start"]:answers[0]["end"]] == answers[0]["evidence"]
    code, out, err = run(capsys, *REAL, "analyze", "--json", "they ghosted me for weeks")
    assert json.loads(out)["answers"] == []
