"""stdout that cannot take what a command prints (a full disk, a pipe whose reader is gone, closed)
is planlint failing to do its job, whichever command printed: one line naming stdout and why, exit 2.

A closed pipe is exit 2 too, not the quiet end an ordinary Unix tool makes of it: planlint is a
gate, and a report, a rule list or a schema that did not reach its reader is a job not done."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.test_aws import aws_env, big_plan, fake  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
BENIGN = FIXTURES / "benign.json"

COMMANDS = {
    "rules": ["rules"],
    "rules-json": ["rules", "--format", "json"],
    "explain": ["explain", "PL101"],
    "explain-by-name": ["explain", "stateful-replacement"],
    "schema": ["schema"],
    "version": ["--version"],
    "help": ["--help"],
    "lint-help": ["lint", "--help"],
    "fetch-help": ["fetch", "--help"],
    "execute-help": ["execute", "--help"],
    "show-config": ["lint", "--show-config"],
    "lint": ["lint", str(BENIGN)],
    "lint-findings": ["lint", str(DEMO), "-f", "json", "--statistics"],
    "lint-statistics": ["lint", str(DEMO), "--statistics"],
    "lint-dev-stdout": ["lint", str(BENIGN), "-f", "sarif", "-o", "/dev/stdout"],
}
REASONS = {"full": "No space left on device", "pipe": "Broken pipe", "closed": "stdout is closed"}
LINE = re.compile(
    r"planlint: error: cannot write (the output to stdout|the report to stdout|/dev/stdout): (?P<reason>.+)\n"
)


def run(args: list[str], stdout: str) -> subprocess.CompletedProcess[str]:
    """planlint with its stdout on a full disk, the write end of a pipe nobody reads, or closed."""
    command = [sys.executable, "-m", "planlint", *args]
    if stdout == "closed":
        return subprocess.run(
            " ".join(["exec", *command, ">&-"]), shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    if stdout == "full":
        with open("/dev/full", "w") as full:
            return subprocess.run(command, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte: every write is EPIPE
    try:
        return subprocess.run(command, cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("stdout", list(REASONS))
@pytest.mark.parametrize("args", list(COMMANDS.values()), ids=list(COMMANDS))
def test_every_command_says_one_line_and_exits_2_when_stdout_takes_nothing(args: list[str], stdout: str):
    proc = run(args, stdout)
    assert proc.returncode == 2, proc.stderr
    shown = LINE.fullmatch(proc.stderr)
    assert shown, proc.stderr
    if args[-1] != "/dev/stdout":  # a file planlint opened: its own words for it
        assert shown["reason"] == REASONS[stdout]
    assert "internal error" not in proc.stderr and "sys.exit" not in proc.stderr


@pytest.mark.parametrize("args", [COMMANDS[name] for name in ("schema", "version", "explain", "show-config")])
def test_stdout_that_takes_it_is_exit_0_with_nothing_on_stderr(tmp_path: Path, args: list[str]):
    with open(tmp_path / "out", "w") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "planlint", *args], cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True
        )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (tmp_path / "out").read_text().strip()


def test_the_schema_is_written_whole():
    proc = subprocess.run([sys.executable, "-m", "planlint", "schema"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["$schema"]


@pytest.fixture
def one_plan(fake) -> Iterator[str]:  # noqa: F811
    fake.add_plan(big_plan(3, plan_id="pl-stdoutfull0001"))
    yield "pl-stdoutfull0001"


@pytest.mark.parametrize("stdout", list(REASONS))
def test_a_plan_fetched_to_dev_stdout_that_takes_nothing_is_exit_2(one_plan: str, stdout: str):
    proc = run(["fetch", "--plan-id", one_plan, "-o", "/dev/stdout"], stdout)
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stderr and "sys.exit" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if "stdout" in line], proc.stderr


@pytest.mark.parametrize("args", [COMMANDS[name] for name in ("rules", "schema", "version", "show-config", "lint")])
def test_an_unbuffered_stdout_on_a_full_disk_is_the_same_one_line(args: list[str]):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "planlint", *args], cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, env=env
        )
    assert proc.returncode == 2
    shown = LINE.fullmatch(proc.stderr)
    assert shown and shown["reason"] == REASONS["full"], proc.stderr
