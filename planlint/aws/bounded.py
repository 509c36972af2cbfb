"""Work against AWS that ends by its deadline however the endpoint behaves (a socket that never
answers or sends a byte at a time, a retry loop that sleeps): it runs in a daemon thread of its own,
waited for until the deadline and a little grace, and past that it is left behind, not waited for.

The thread that waits for a whole fetch or execution shows progress while it waits
(``progress.join``); a bound on one request, which any thread may wait for, shows none: only one
thread writes progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from planlint.support import progress

GRACE = 1.0  # seconds past the deadline before a request still in flight is abandoned

T = TypeVar("T")


class Late(Exception):
    """The work did not end in time; the thread doing it is left behind."""


def within(
    work: Callable[[], T],
    seconds: float,
    name: str,
    join: Callable[[threading.Thread, float], None] = progress.join,
) -> T:
    """What ``work()`` returns (or raises) when it ends within ``seconds`` and twice the grace;
    ``Late`` otherwise. ``join`` waits for the thread: by default showing progress meanwhile."""
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the waiting thread
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    join(worker, seconds + 2 * GRACE)
    if not outcome:
        raise Late
    returned, value = outcome[0]
    if not returned:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]  # what work() returned


def quietly(thread: threading.Thread, seconds: float) -> None:
    """``thread.join(seconds)``, showing nothing: for a bound that any thread may wait on."""
    thread.join(seconds)
