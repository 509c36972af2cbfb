"""How the benchmarks measure: commands run as a user runs them, interleaved, summarised honestly.

Every command of a comparison runs once per round, in turn, so that whatever else the machine
does falls on all of them alike. A figure is the median of the rounds with the min–max beside it;
a command's peak memory is its resident set at its largest (``wait4``'s ``ru_maxrss``), the worst
of the rounds. A command that exits with a code it should not (2, a crash) stops the benchmark.

Linux counts in a child's peak the memory of the process it was forked from, until it execs: a
command forked from this (large) process would be charged for it. Each command is therefore
started by a small launcher (a fresh ``python -S``, about 10 MiB), which times it and reads its
peak; the launcher's own start-up is not in the time.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Figure:
    """The times (seconds) and peak resident set (bytes) of one command or function over the rounds."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        """``median (min–max)`` in milliseconds or seconds, whichever reads better."""
        low, high = min(self.seconds), max(self.seconds)
        if self.median < 1:
            return f"{self.median * 1e3:,.1f} ms ({low * 1e3:,.1f}–{high * 1e3:,.1f})"
        return f"{self.median:,.2f} s ({low:,.2f}–{high:,.2f})"

    def memory(self) -> str:
        return f"{self.peak / 2**20:,.0f} MiB" if self.peak else ""


@dataclass(frozen=True)
class Command:
    """A command to time; ``codes``: the exit codes it may end with (lint: 0 or 1)."""

    name: str
    argv: Sequence[str]
    cwd: Path
    codes: frozenset[int] = frozenset({0, 1})


LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(command: Command) -> tuple[float, int]:
    """Wall time and peak resident set of one run of ``command`` (its output discarded)."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures"
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, str(figures), *command.argv],
            cwd=command.cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        elapsed, peak, code = figures.read_text().split() if figures.exists() else ("0", "0", str(done.returncode))
    if int(code) not in command.codes:
        raise SystemExit(f"{command.name}: exit {code}: {done.stderr.decode(errors='replace')[-2000:]}")
    return float(elapsed), int(peak) * 1024  # Linux reports kilobytes


def interleaved(commands: Sequence[Command], rounds: int, warmup: int = 1) -> list[Figure]:
    """Each command ``rounds`` times, in turn, after ``warmup`` untimed rounds (caches, bytecode)."""
    figures = [Figure(c.name) for c in commands]
    for round_ in range(warmup + rounds):
        for command, figure in zip(commands, figures, strict=True):
            elapsed, peak = run_once(command)
            if round_ >= warmup:
                figure.seconds.append(elapsed)
                figure.peak = max(figure.peak, peak)
    return figures


def interleaved_calls(
    functions: Sequence[tuple[str, Callable[[], object]]], rounds: int, warmup: int = 2
) -> list[Figure]:
    """The same for functions in this process (in-process comparisons: no start-up, no file reading)."""
    figures = [Figure(name) for name, _ in functions]
    for round_ in range(warmup + rounds):
        for (_, function), figure in zip(functions, figures, strict=True):
            started = time.perf_counter()
            function()
            if round_ >= warmup:
                figure.seconds.append(time.perf_counter() - started)
    return figures
