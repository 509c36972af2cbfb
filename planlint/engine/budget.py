"""A time budget for each rule: a rule that does not return in time is stopped and reported.

The budget is kept with ``SIGALRM`` in the main thread: when it runs out, :class:`RuleTimeout`
is raised inside the rule, which the engine reports as that rule's failure (exit 2) before the
other rules go on. A rule that swallows the exception and keeps going is given a grace period,
then the whole process stops with one line and exit 2: the gate must not hang. Code that never
returns to the interpreter (a C extension stuck in a loop) and ``os._exit`` cannot be stopped
from inside the process: rule packs are code you trust.

Importing a rule module is bounded the same way (``Budget(..., importing=True)``), by the longer of
the rule budget and ``IMPORT_SECONDS``: an import may load a heavy library once for every plan, so a
rule budget meant for one call on one plan is not enough on its own, yet a module that blocks at
import (a sleep, a loop, a read of stdin) must not hang the gate. Such a module is that module's
load error.

Off the main thread, or where ``setitimer`` does not exist, rules run without a budget.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from planlint.support.bounds import DEFAULT_RULE_TIMEOUT

DEFAULT_SECONDS = DEFAULT_RULE_TIMEOUT
GRACE = 5.0
IMPORT_SECONDS = 30.0  # the least time a rule module is given to import
_TICK = 0.5


class RuleTimeout(BaseException):
    """A rule used up its time budget. A BaseException, so ``except Exception`` in a rule does not catch it."""


def import_seconds(rule_timeout: float | None) -> float:
    """How long importing one rule module may take: the longer of the rule budget and ``IMPORT_SECONDS``."""
    return max(rule_timeout or 0.0, IMPORT_SECONDS)


class Budget:
    """Arms a timer around each rule call of one run, or (``importing``) each rule module's import."""

    def __init__(self, seconds: float | None, *, importing: bool = False) -> None:
        self.seconds = seconds
        self.importing = importing
        self.enabled = (
            bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        self._rule = ""
        self._deadline = 0.0
        self._fired = False
        self._previous: Any = None
        self._outer: tuple[float, float] = (0.0, 0.0)
        self._entered = 0.0

    def __enter__(self) -> Budget:
        if self.enabled:
            self._outer = signal.getitimer(signal.ITIMER_REAL)  # a timer set by the caller, if any
            self._entered = time.monotonic()
            self._previous = signal.signal(signal.SIGALRM, self._alarm)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            delay, interval = self._outer
            if delay:  # the caller's timer goes on, less the time the run took
                signal.setitimer(signal.ITIMER_REAL, max(0.001, delay - (time.monotonic() - self._entered)), interval)

    @contextmanager
    def rule(self, name: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        assert self.seconds is not None
        self._rule, self._fired = name, False
        self._deadline = time.monotonic() + self.seconds
        signal.setitimer(signal.ITIMER_REAL, self.seconds, _TICK)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _alarm(self, number: int, frame: FrameType | None) -> None:
        if not self._fired:
            self._fired = True
            raise RuleTimeout(
                f"still importing after {self.seconds:g}s (the longer of --rule-timeout and {IMPORT_SECONDS:g}s)"
                if self.importing
                else f"took longer than its time budget of {self.seconds:g}s (--rule-timeout)"
            )
        if time.monotonic() > self._deadline + GRACE:
            what = f"{self._rule} did not stop importing" if self.importing else f"rule {self._rule} did not stop"
            message = (
                f"planlint: error: {what} {GRACE:g}s after its time budget of "
                f"{self.seconds:g}s ran out; stopped without reports\n"
            )
            os.write(2, message.encode("utf-8", "backslashreplace"))
            os._exit(2)
