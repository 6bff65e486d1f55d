"""`make shell` (scripts/run.sh shell): a real `rasa shell` in a pseudo-terminal.

Describe an interview, see the red flags and the advice as readable text - never JSON - with
the bot's choices offered as words to type, never as Rasa's arrow-key menu (which swallows typed
text); answer its question by typing an option, ask "why?"; type "that helped" and find the
rating stored; quit with /stop; and find the action server gone afterwards.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path
from typing import Set

import pexpect
import pytest

from interview_advisor import Advisor
from interview_advisor.dialogue import advising, reading
from interview_advisor.dialogue.state import State, UserMessage
from interview_advisor.engine import Question
from interview_advisor.feedback import FeedbackStore

from .conftest import ROOT, listening_sockets, port_open, rs, run_env, survivors, wait_until

pytestmark = pytest.mark.slow

INTERVIEW = ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
             "actually is, and they took three weeks to answer my emails.")
PROMPT = "Your input ->"
FREE_TEXT = "Type out your own message..."   # the last item of rasa shell's button menu
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r")
PASTE_OFF = "\x1b[?2004l"  # prompt_toolkit's last word when an input is accepted


def plain(text: str) -> str:
    """Terminal output without colours and cursor movements."""
    return ANSI.sub("", text)


def asked_after(message: str) -> Question:
    """The question the bot asks after ``message`` opens a conversation (from the core)."""
    advisor = Advisor()
    state, turn = reading.update_state(advisor, State(), UserMessage(message, "describe_interview"))
    question = advising.choose_question(advisor, state, advising.assess(advisor, state), turn)
    assert question is not None and question.options, question
    return question


def hangup_as_in_a_terminal() -> None:
    """SIGHUP as a person's terminal delivers it: a test run started under nohup (or any parent
    that ignores SIGHUP) passes the ignored signal on, and bash cannot trap a signal it was
    started with ignored."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


class Shell:
    """scripts/run.sh shell in a pseudo-terminal; collects everything it prints."""

    def __init__(self, tmp_path: Path, ports: dict, feedback_db: Path) -> None:
        self.log = open(tmp_path / "terminal.log", "w", encoding="utf-8")  # noqa: SIM115
        env = run_env(ports, tmp_path)
        env["FEEDBACK_DB"] = str(feedback_db)
        # pexpect's terminal does not answer "where is the cursor?" (a real one does)
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
        self.child = pexpect.spawn("bash", [str(ROOT / "scripts" / "run.sh"), "shell"],
                                   cwd=str(ROOT), env=env,
                                   encoding="utf-8", codec_errors="replace",
                                   dimensions=(60, 200), timeout=120,
                                   preexec_fn=hangup_as_in_a_terminal)
        self.child.logfile_read = self.log
        self.menu = False

    def wait_for_input(self, timeout: float = 120) -> str:
        """Everything printed until rasa shell waits for input; ``menu`` tells whether it drew
        a button menu instead of its prompt (it never should: see delivery.TYPED_CHANNELS)."""
        index = self.child.expect([re.escape(PROMPT), re.escape(FREE_TEXT)], timeout=timeout)
        self.menu = index == 1
        return plain(self.child.before + self.child.after)

    def type_line(self, text: str) -> None:
        """Type a message at the prompt and wait until prompt_toolkit has accepted it (it turns
        bracketed paste off)."""
        self.child.sendline(text)
        self.child.expect(re.escape(PASTE_OFF))

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.log.close()


def test_the_terminal_shows_readable_advice_choices_to_type_and_cleans_up(
        tmp_path: Path, reaper: Set[int]) -> None:
    rasa_port, action_port = rs.free_ports(2)
    feedback_db = tmp_path / "feedback.sqlite3"
    shell = Shell(tmp_path, {"RASA_PORT": rasa_port, "ACTION_PORT": action_port},
                  feedback_db)
    reaper.add(shell.child.pid)
    transcript = tmp_path / "terminal.log"
    try:
        greeting = shell.wait_for_input(timeout=900)  # trains first when the model is stale
        assert "Bot loaded" in greeting, greeting[-3000:]
        tree = set(rs.process_tree(shell.child.pid))
        reaper.update(tree)
        sockets = listening_sockets(tree)
        assert {rasa_port, action_port} <= {port for _, _, port in sockets}, sockets
        assert [s for s in sockets if s[1] != "127.0.0.1"] == [], sockets

        # 1. describe an interview: flags and advice, as text, and a question with its options
        shell.type_line(INTERVIEW)
        advice = shell.wait_for_input()
        assert not shell.menu, f"a button menu, in which typed text is lost:\n{advice}"
        expected = Advisor().analyze(INTERVIEW)
        for signal in expected.signals:
            assert signal.title in advice, f"flag {signal.title!r} not shown:\n{advice}"
        titles = [item.title for item in expected.advice]
        assert any(title in advice for title in titles), f"no advice shown:\n{advice}"
        question = asked_after(INTERVIEW)
        options = list(question.options.items())
        assert question.question in advice and \
            " / ".join(label for _, label in options) in advice, advice
        assert '"why"' in advice, advice        # the choices are named as words to type

        # 2. answer the question by typing an option, as its button would have sent it
        value, label = options[0]
        shell.type_line(label)
        answered = shell.wait_for_input()
        assert not shell.menu, answered
        title = Advisor().rulebase.facts[question.fact].spec.title
        assert title in answered, f"the typed answer {label!r} was not taken:\n{answered}"

        # 3. "why?", typed
        shell.type_line("why?")
        why = shell.wait_for_input()
        assert not shell.menu, why
        assert "because" in why.lower(), why
        assert any(title in why for title in titles), f"why? names no rule shown:\n{why}"

        # 4. rate it by typing, as the terminal offers no rating buttons
        shell.type_line("that helped")
        rated = shell.wait_for_input()
        assert "noted that this advice was useful" in rated, rated   # the rating was recorded

        # 5. quit
        shell.type_line("/stop")
        shell.child.expect(pexpect.EOF, timeout=60)
        shell.child.close()
        assert shell.child.exitstatus == 0, plain(transcript.read_text("utf-8"))[-3000:]
    finally:
        shell.close()

    everything = plain(transcript.read_text("utf-8"))
    assert "Custom json" not in everything, "the terminal got a JSON payload"
    assert not re.search(r'"[a-z_]+": [\[{"0-9tfn]', everything), "JSON in the terminal"
    assert "Traceback" not in everything and "Warning" not in everything, \
        "logs and warnings belong in the log, not in the conversation"
    # the rating is stored against the advice rules that were shown (cmdline channel): those
    # after the answer, which changed the advice
    report = FeedbackStore(feedback_db).report()
    rules = Advisor().rulebase.rules
    first = {rule.id for rule in rules if rule.title in advice}
    advised = {rule.id for rule in rules if rule.title in answered}
    assert first and advised - first, "the answer changed no advice"
    assert {row.rule_id for row in report if row.helpful == 1} == advised, report
    assert all(row.not_helpful == 0 for row in report)
    assert {row.rule_id for row in report if row.shown} == first | advised, report
    # the action server (and everything else run.sh started) is gone
    assert wait_until(lambda: not survivors(tree), timeout=15), survivors(tree)
    assert not port_open(action_port) and not port_open(rasa_port)


@pytest.mark.parametrize("stop, code", [
    ("SIGTERM", 143),    # `kill` while rasa shell waits for the person's next message
    ("hangup", 129),     # the terminal window is closed
])
def test_the_shell_stops_everything_when_killed_or_its_terminal_closes(
        tmp_path: Path, reaper: Set[int], stop: str, code: int) -> None:
    """Found trying `make shell`: with rasa shell in the foreground, bash ran run.sh's traps
    only after rasa shell ended, so SIGTERM did nothing and a closed terminal left the servers
    holding their ports ("port 5005 is already in use" at the next `make shell`)."""
    rasa_port, action_port = rs.free_ports(2)
    shell = Shell(tmp_path, {"RASA_PORT": rasa_port, "ACTION_PORT": action_port},
                  tmp_path / "feedback.sqlite3")
    reaper.add(shell.child.pid)
    try:
        greeting = shell.wait_for_input(timeout=900)
        assert "Bot loaded" in greeting, greeting[-3000:]
        tree = set(rs.process_tree(shell.child.pid))
        reaper.update(tree)
        assert len(tree) >= 3, tree       # run.sh, the action server, rasa shell
        if stop == "SIGTERM":
            os.kill(shell.child.pid, signal.SIGTERM)
            shell.child.expect(pexpect.EOF, timeout=60)
            shell.child.close()
            assert shell.child.exitstatus == code
        else:
            # close the terminal (the pty's only master): the kernel hangs it up and sends
            # SIGHUP; pexpect's own close() would signal the child itself if it took a moment
            shell.child.ptyproc.fileobj.close()
            process = shell.child.ptyproc
            assert wait_until(lambda: not process.isalive(), timeout=60)
            # run.sh exits by its own hand: 129 from the SIGHUP, or rasa shell's status when
            # the hung-up terminal ended rasa shell first - never killed by the signal
            assert process.signalstatus is None and process.exitstatus in (code, 1)
        assert wait_until(lambda: not survivors(tree), timeout=60), survivors(tree)
        assert not port_open(action_port) and not port_open(rasa_port)
    finally:
        shell.close()
