"""`make shell` (scripts/run.sh shell): a real `rasa shell` in a pseudo-terminal.

Describe an interview, see the red flags and the advice as readable text - never JSON - with
the bot's buttons offered as choices; pick "why?" from them; type "that helped" and find the
rating stored; quit with /stop; and find the action server gone afterwards.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
from pathlib import Path
from typing import List, Set, Tuple

import pexpect
import pytest

from interview_advisor import Advisor
from interview_advisor.feedback import FeedbackStore

from .conftest import ROOT, listening_sockets, port_open, rs, run_env, survivors, wait_until

pytestmark = pytest.mark.slow

INTERVIEW = ("I had an interview at Acme yesterday. The recruiter couldn't tell me what the job "
             "actually is, and they took three weeks to answer my emails.")
PROMPT = "Your input ->"
FREE_TEXT = "Type out your own message..."
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r")
DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
PASTE_OFF = "\x1b[?2004l"  # prompt_toolkit's last word when an input is accepted


def plain(text: str) -> str:
    """Terminal output without colours and cursor movements."""
    return ANSI.sub("", text)


def choices(screen: str) -> List[Tuple[int, str, str]]:
    """The button menu rasa shell shows: (number, title, payload) for "1: Why? (why?)"."""
    found = [(int(n), title, payload) for n, title, payload in
             re.findall(r"(\d+): ([^\n()]+?) \(([^\n()]+)\)", screen)]
    # questionary redraws the menu on every key; keep the first of each number
    seen: dict = {}
    for item in found:
        seen.setdefault(item[0], item)
    return [seen[n] for n in sorted(seen)]


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
        """Everything printed until rasa shell waits for input (a prompt or a button menu)."""
        index = self.child.expect([re.escape(PROMPT), re.escape(FREE_TEXT)], timeout=timeout)
        text = plain(self.child.before + self.child.after)
        self.menu = index == 1
        if self.menu:  # the rest of the menu's first drawing
            time.sleep(0.5)
            with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
                text += plain(self.child.read_nonblocking(100_000, timeout=0.5))
        return text

    def submitted(self) -> None:
        """Wait until prompt_toolkit has accepted the input (it turns bracketed paste off)."""
        self.child.expect(re.escape(PASTE_OFF))

    def type_line(self, text: str, screen: str) -> None:
        """Type a message: at the prompt, or through the menu's free-text choice."""
        if self.menu:
            self.child.send(UP)  # from the first choice, up wraps to the last: free text
            time.sleep(0.3)
            self.child.send(ENTER)
            self.submitted()
            self.child.expect(re.escape(PROMPT))
            time.sleep(0.3)
        self.child.sendline(text)
        self.submitted()

    def pick(self, payload: str, screen: str) -> None:
        """Choose the menu's button whose payload is ``payload``."""
        menu = choices(screen)
        numbers = [n for n, _, p in menu if p == payload]
        assert numbers, f"no {payload!r} button among {menu}"
        for _ in range(numbers[0] - 1):
            self.child.send(DOWN)
            time.sleep(0.2)
        self.child.send(ENTER)
        self.submitted()

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.log.close()


def test_the_terminal_shows_readable_advice_buttons_as_choices_and_cleans_up(
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

        # 1. describe an interview: flags and advice, as text
        shell.type_line(INTERVIEW, greeting)
        advice = shell.wait_for_input()
        expected = Advisor().analyze(INTERVIEW)
        for signal in expected.signals:
            assert signal.title in advice, f"flag {signal.title!r} not shown:\n{advice}"
        titles = [item.title for item in expected.advice]
        assert any(title in advice for title in titles), f"no advice shown:\n{advice}"

        # 2. "why?" - from the buttons when the bot offered them, else typed
        if shell.menu:
            assert any(p == "why?" for _, _, p in choices(advice)), advice
            shell.pick("why?", advice)
        else:
            shell.type_line("why?", advice)
        why = shell.wait_for_input()
        assert "because" in why.lower(), why
        assert any(title in why for title in titles), f"why? names no rule shown:\n{why}"

        # 3. rate it by typing, as the terminal offers no rating buttons
        shell.type_line("that helped", why)
        rated = shell.wait_for_input()
        assert "noted that this advice was useful" in rated, rated   # the rating was recorded

        # 4. quit
        shell.type_line("/stop", rated)
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
    # the rating is stored against the advice rules that were shown (cmdline channel)
    report = FeedbackStore(feedback_db).report()
    advised = {item.rule for item in expected.advice}
    assert {row.rule_id for row in report if row.helpful == 1} & advised, report
    assert all(row.not_helpful == 0 for row in report)
    assert all(row.rule_id in advised or row.shown == 0 for row in report), report
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
