"""Waiting for a plan or change set that is still being created: capped exponential backoff with
jitter, within a deadline, and one line when the deadline comes first. Each look and each wait is
told to ``progress``."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from planlint.aws.errors import AwsError
from planlint.support import progress

MAX_INTERVAL = 30.0
_JITTER = random.Random()  # its own: polling never moves the process's global random state

T = TypeVar("T")


def backoff(attempt: int, interval: float) -> float:
    """The wait before poll ``attempt + 1``: ``interval`` doubling up to 30 s, with jitter (half to all of it)."""
    return float(min(MAX_INTERVAL, interval * 2**attempt) * (0.5 + _JITTER.random() / 2))


def until_ready(
    read: Callable[[], T],
    pending: Callable[[T], str | None],
    subject: str,
    *,
    wait: bool,
    timeout: float,
    interval: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    deadline: float,
    advice: str = "raise --timeout, or lint it as it is with --no-wait",
) -> T:
    """``read()``, and read again while ``pending`` names the status it is still in (unless
    ``wait`` is false); ``AwsError`` for ``subject``, with ``advice``, when the next poll would pass
    ``deadline``."""
    attempt = 0
    try:
        while True:
            progress.note(subject, "reading" if attempt == 0 else "reading again")
            result = read()
            status = pending(result)
            if not wait or status is None:
                return result
            delay = backoff(attempt, interval)
            if clock() + delay > deadline:
                raise AwsError(subject, f"still {status} after {timeout:g}s; {advice}")
            progress.note(subject, f"{status}, looking again in {delay:.0f}s")
            sleep(delay)
            attempt += 1
    finally:
        progress.finish(subject)
