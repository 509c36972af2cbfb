"""A pipe named on the command line (``<(aws …)``, ``/dev/stdin``, a FIFO) is read like a file:
within the size limit and a time limit; a FIFO found inside a directory is still refused."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planlint.read.load import load
from planlint.support.files import FileProblem, read_regular
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
PLANLINT = f"{shlex.quote(sys.executable)} -m planlint"


def bash(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_a_process_substitution_is_read():
    proc = bash(f"{PLANLINT} lint -f json <(cat {shlex.quote(str(DEMO))})")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert proc.stderr == "" and report["exit_code"] == 1 and report["summary"]["plans"] == 1


def test_dev_stdin_from_a_pipe_is_read():
    proc = bash(f"cat {shlex.quote(str(DEMO))} | {PLANLINT} lint /dev/stdin")
    assert proc.returncode == 1, proc.stderr
    assert "2 errors, 8 warnings in 1 plan" in proc.stdout


def test_a_pipe_larger_than_the_limit_is_refused():
    proc = bash(f"{PLANLINT} lint --max-file-size 0.001 <(head -c 5000 {shlex.quote(str(DEMO))})")
    assert proc.returncode == 2
    assert "larger than the 1048 bytes limit (--max-file-size)" in proc.stderr.replace("1048.58", "1048")


def test_a_fifo_whose_writer_comes_later_is_read(tmp_path: Path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)

    def writer() -> None:
        time.sleep(0.5)
        fifo.write_bytes(DEMO.read_bytes())

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = load([str(fifo)])
    thread.join(10)
    assert not result.errors and len(result.plans) == 1 and len(result.plans[0].changes) == 14


def test_a_pipe_that_never_closes_is_refused_in_time(tmp_path: Path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    reader_open = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that the writer's open does not block
    writer = os.open(fifo, os.O_WRONLY)
    os.write(writer, b'{"ProvisionedProductPlanDetails": ')
    started = time.monotonic()
    try:
        with pytest.raises(FileProblem, match=r"^a pipe that did not close within 0.5 seconds$"):
            read_regular(str(fifo), 1024, pipe_seconds=0.5)
        assert time.monotonic() - started < 5
        loaded = load([str(fifo)], pipe_seconds=0.5)
        assert [str(e) for e in loaded.errors] == [f"{fifo}: a pipe that did not close within 0.5 seconds"]
    finally:
        os.close(writer)
        os.close(reader_open)


def test_a_fifo_that_no_one_writes_is_refused_in_time(tmp_path: Path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    loaded = load([str(fifo)], pipe_seconds=0.5)
    assert [str(e) for e in loaded.errors] == [f"{fifo}: a pipe that did not close within 0.5 seconds"]
    assert time.monotonic() - started < 5


def test_a_fifo_inside_a_named_directory_is_not_read(tmp_path: Path):
    plans = tmp_path / "plans"
    plans.mkdir()
    os.mkfifo(plans / "b.json")
    started = time.monotonic()
    loaded = load([str(plans)], pipe_seconds=60)
    assert time.monotonic() - started < 5
    assert [str(e) for e in loaded.errors] == [
        f"{plans / 'b.json'}: not a regular file (a FIFO); planlint reads only regular files"
    ]


def test_a_pipe_is_read_only_when_asked_for(tmp_path: Path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match=r"not a regular file \(a FIFO\)"):
        read_regular(str(fifo), 1024)


def test_stdin_from_a_pipe_that_never_closes_is_refused_in_time():
    read_end, write_end = os.pipe()
    os.write(write_end, b"[")
    started = time.monotonic()
    try:
        with os.fdopen(read_end, "rb") as stdin:
            loaded = load(["-"], stdin=stdin, pipe_seconds=0.5)
    finally:
        os.close(write_end)
    assert [str(e) for e in loaded.errors] == ["<stdin>: a pipe that did not close within 0.5 seconds"]
    assert time.monotonic() - started < 5


def test_stdin_from_a_pipe_is_read_to_its_end():
    proc = bash(f"cat {shlex.quote(str(DEMO))} | {PLANLINT} lint -f json -")
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["plans"] == 1
