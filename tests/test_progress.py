"""Progress on stderr while planlint waits on AWS: a live line on a terminal, a plain line when
something changes in a CI log, nothing for quick work or with --quiet — and never anything an endpoint could
use to drive the terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planlint.support import progress
from planlint.support.progress import Progress
from tests.conftest import ROOT
from tests.test_aws import aws_env, big_plan, fake, repo  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_ci_log_gets_a_plain_line_a_few_seconds_in_and_quick_work_shows_nothing():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="fetching", every=5, first=0.5, clock=clock)
    shown.note("plan pl-1", "CREATE_IN_PROGRESS, looking again in 4s")
    for now in (100.1, 101, 104.9):
        clock.now = now
        shown.tick()
    assert out.getvalue() == ""  # nothing in the first few seconds
    clock.now = 105.2
    shown.tick()
    assert out.getvalue() == "planlint: fetching (5s): plan pl-1 CREATE_IN_PROGRESS, looking again in 4s\n"
    clock.now = 108
    shown.tick()
    assert out.getvalue().count("\n") == 1  # not again until five seconds later
    shown.finish("plan pl-1")
    shown.note("plan pl-2", "reading")
    clock.now = 110.3
    shown.tick()
    assert out.getvalue().splitlines()[-1] == "planlint: fetching (10s): plan pl-2 reading; plan pl-1 done"
    shown.close()
    assert out.getvalue().count("\n") == 2  # a log keeps its lines


def test_a_terminal_gets_one_live_line_wiped_at_the_end():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=True, what="fetching", every=5, first=0.5, clock=clock)
    shown.note("plan pl-1", "reading")
    clock.now = 100.2
    shown.tick()
    assert out.getvalue() == ""  # quick work shows nothing
    clock.now = 100.6
    shown.tick()
    clock.now = 101.0
    shown.note("plan pl-1", "CREATE_IN_PROGRESS, looking again in 2s")
    shown.tick()
    shown.close()
    assert out.getvalue() == (
        "\r\x1b[2Kplanlint: fetching (1s): plan pl-1 reading"
        "\r\x1b[2Kplanlint: fetching (1s): plan pl-1 CREATE_IN_PROGRESS, looking again in 2s"
        "\r\x1b[2K"
    )
    assert "\n" not in out.getvalue()


def test_an_endpoints_status_cannot_drive_the_terminal():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="fetching", every=1, first=0, clock=clock)
    shown.note("plan pl-1", "\x1b]0;pwned\x07CREATE\r\n::error::x\u202e")
    clock.now = 102
    shown.tick()
    text = out.getvalue()
    assert text.count("\n") == 1 and "\x1b" not in text and "\r" not in text and "\u202e" not in text


def test_a_broken_stderr_stops_the_progress_not_the_run():
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    clock = Clock()
    shown = Progress(Broken(), live=False, every=1, first=0, clock=clock)
    clock.now = 102
    shown.tick()
    shown.tick()
    assert shown.stream is None


def test_join_shows_progress_while_the_work_runs_and_returns_at_its_timeout():
    out = io.StringIO()
    release = threading.Event()

    def work() -> None:
        progress.note("record rec-1", "IN_PROGRESS")
        time.sleep(0.25)
        progress.note("record rec-1", "SUCCEEDED")
        release.wait()

    with progress.showing(Progress(out, live=False, what="waiting", every=0.1, first=0)):
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        progress.join(worker, 0.6)
    release.set()
    assert out.getvalue().count("planlint: waiting (") == 2  # a line for each state: nothing else changed
    assert "record rec-1 IN_PROGRESS\n" in out.getvalue() and "record rec-1 SUCCEEDED\n" in out.getvalue()


@pytest.fixture
def often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "EVERY", 0.2)


def test_waiting_for_a_plan_being_created_is_told_in_the_log(cli, fake, repo: Path, often):  # noqa: F811
    fake.add_plan(big_plan(5))
    fake.faults.in_progress_polls["pl-bigplan0000001"] = 4
    result = cli("lint", "--plan-id", "pl-bigplan0000001", "--poll-interval", "0.2")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) >= 2, result.stderr
    assert all(line.startswith("planlint: fetching from AWS (") for line in lines), lines
    assert any("plan pl-bigplan0000001 CREATE_IN_PROGRESS, looking again in" in line for line in lines)
    quiet = cli("lint", "--plan-id", "pl-bigplan0000001", "--poll-interval", "0.2", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_a_terminal_sees_a_live_line_that_is_wiped(fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(5))
    fake.faults.in_progress_polls["pl-bigplan0000001"] = 4
    controller, worker = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run(
        [sys.executable, "-m", "planlint", "lint", "--plan-id", "pl-bigplan0000001", "--poll-interval", "0.2"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=worker,
        env={**env, "PYTHONPATH": str(ROOT), "TERM": "xterm"},
    )
    os.close(worker)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    shown = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert shown.startswith("\r\x1b[2Kplanlint: fetching from AWS (") and shown.endswith("\r\x1b[2K")
    assert "\n" not in shown


def test_what_is_done_is_named_and_past_a_few_counted_by_kind():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="executing", every=5, first=0.5, clock=clock)
    shown.note("plan pl-1", "reading")
    shown.finish("plan pl-1")
    shown.note("record rec-1", "IN_PROGRESS")
    assert shown.line().endswith(": record rec-1 IN_PROGRESS; plan pl-1 done")  # never a bare "1 done"
    for i in range(2, 6):
        shown.note(f"plan pl-{i}", "reading")
        shown.finish(f"plan pl-{i}")
    shown.note("change set arn:cs/1", "reading")
    shown.finish("change set arn:cs/1")
    assert shown.line().endswith(": record rec-1 IN_PROGRESS; 5 plans done; 1 change set done")


def test_a_line_names_a_few_subjects_and_counts_the_others():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="fetching", every=1, first=0, clock=clock)
    for n in range(64):
        shown.note(f"plan pl-{n}", "reading")
    shown.finish("plan pl-0")
    clock.now = 101
    shown.tick()
    assert out.getvalue() == (
        "planlint: fetching (1s): plan pl-1 reading; plan pl-2 reading; plan pl-3 reading; plan pl-4 reading; "
        "59 more; plan pl-0 done\n"
    )
