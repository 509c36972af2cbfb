"""stderr that cannot be written (a full disk, closed) is planlint failing to tell: exit 2, and every
report still written whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
BENIGN = FIXTURES / "benign.json"


def run(args: list[str], stdout: str, stderr: str, unbuffered: bool) -> int:
    env = {"PYTHONUNBUFFERED": "1"} if unbuffered else {}
    redirect = f"2>{stderr}" if stderr != "&-" else "2>&-"
    command = f"{sys.executable} -m planlint {' '.join(args)} >{stdout} {redirect}"
    return subprocess.run(command, shell=True, cwd=ROOT, env={**_base_env(), **env}, timeout=120).returncode


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "NO_COLOR")}


@pytest.mark.parametrize("unbuffered", [False, True])
@pytest.mark.parametrize("plan", [DEMO, BENIGN])
def test_stderr_on_a_full_disk_is_exit_2_and_the_report_file_is_whole(tmp_path: Path, unbuffered: bool, plan: Path):
    report = tmp_path / "report.json"
    # --statistics goes to stderr when stdout carries another format
    args = ["lint", str(plan), "-f", "json", "-o", str(report), "-f", "sarif", "--statistics"]
    code = run(args, str(tmp_path / "out.sarif"), "/dev/full", unbuffered)
    assert code == 2
    assert json.loads(report.read_text())["summary"]["plans"] == 1
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"]


@pytest.mark.parametrize("unbuffered", [False, True])
def test_stderr_and_stdout_on_a_full_disk_is_exit_2(tmp_path: Path, unbuffered: bool):
    report = tmp_path / "report.txt"
    code = run(
        ["lint", str(DEMO), "-f", "text", "-o", str(report), "--statistics"], "/dev/full", "/dev/full", unbuffered
    )
    assert code == 2 and report.read_text().endswith("2 errors, 8 warnings in 1 plan (14 changes)\n")


@pytest.mark.parametrize("unbuffered", [False, True])
def test_an_error_said_on_a_full_stderr_is_still_exit_2(tmp_path: Path, unbuffered: bool):
    (tmp_path / "bad.json").write_text("[1,")
    report = tmp_path / "report.json"
    args = ["lint", str(BENIGN), str(tmp_path / "bad.json"), "-f", "json", "-o", str(report)]
    assert run(args, "/dev/null", "/dev/full", unbuffered) == 2
    assert json.loads(report.read_text())["exit_code"] == 2


def test_a_closed_stderr_is_exit_2(tmp_path: Path):
    report = tmp_path / "report.json"
    args = ["lint", str(DEMO), "-f", "json", "-o", str(report), "-f", "sarif", "--statistics"]
    assert run(args, "/dev/null", "&-", False) == 2
    assert json.loads(report.read_text())["exit_code"] == 1


def test_a_run_that_says_nothing_is_unaffected_by_a_full_stderr(tmp_path: Path):
    assert run(["lint", str(BENIGN), "-f", "json"], "/dev/null", "/dev/full", False) == 0
    assert run(["lint", str(DEMO), "-f", "json"], "/dev/null", "/dev/full", True) == 1
