"""Telling a person what planlint is doing while it waits on AWS: fetching, waiting for a plan or
change set being created, following an execution.

On stderr. On a terminal, one live line rewritten in place (and wiped when the work ends); in a CI
log, which is no terminal, a plain line when something changes (at most one every few seconds),
and the same line again after a minute without change, to show the run is alive. Work that ends
within the first moment shows nothing, so a fast run stays quiet; ``--quiet`` shows nothing at all.

Work in any thread says what it is doing with ``note(subject, status)`` and ``finish(subject)``;
only the thread that waits for the work writes, from ``join`` (or ``tick``), so lines never
interleave. Everything shown passes through ``safetext.clean``: a status comes from an endpoint.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from planlint.support.logsafe import Style, inert
from planlint.support.safetext import clean

EVERY = 5.0  # the least time between plain lines in a CI log
SHOWN = 4  # subjects named in a line; the others are counted
SAME = 60.0  # seconds without change before a CI log is told the same again
FIRST = 0.5  # seconds of work before anything is shown
LIVE_EVERY = 0.2  # seconds between rewrites of the live line
_ERASE = "\r\x1b[2K"


class Progress:
    """The state of the work (subjects and their statuses) and how it is shown on ``stream``."""

    def __init__(
        self,
        stream: TextIO | None,
        *,
        live: bool,
        what: str = "working",
        every: float = EVERY,
        first: float = FIRST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.live, self.what = stream, live, what
        self.every, self.first, self.clock = every, first, clock
        self.started = clock()
        self._lock = threading.Lock()
        self._statuses: dict[str, str] = {}
        self._done: list[str] = []  # the subjects finished, in order
        self._shown_at: float | None = None
        self._shown = ""
        self._state = ""  # what the last plain line said, without its time

    def note(self, subject: str, status: str) -> None:
        with self._lock:
            self._statuses[subject] = status

    def finish(self, subject: str) -> None:
        with self._lock:
            if self._statuses.pop(subject, None) is not None:
                self._done.append(subject)

    def line(self, state: str | None = None) -> str:
        """``planlint: fetching (12s): plan pl-1 CREATE_IN_PROGRESS, looking again in 8s; plan pl-2 done``;
        past a few finished, how many of each kind (``12 plans done``)."""
        elapsed = self.clock() - self.started
        return inert(clean(f"planlint: {self.what} ({elapsed:.0f}s): {state or self.state()}", 2000), Style.TEXT)

    def state(self) -> str:
        """What the first few subjects are doing, how many more there are and what is done: the line
        without its time."""
        with self._lock:
            statuses, done = dict(self._statuses), list(self._done)
        parts = [f"{subject} {status}" for subject, status in list(statuses.items())[:SHOWN]]
        if len(statuses) > SHOWN:
            parts.append(f"{len(statuses) - SHOWN} more")
        parts += _finished(done)
        return "; ".join(parts) or "starting"

    def tick(self) -> None:
        """Show the state if it is time to: called by the waiting thread."""
        if self.stream is None:
            return
        now = self.clock()
        if now - self.started < self.first:
            return
        if self.live:
            self._live(now)
        else:
            self._plain(now)

    def _live(self, now: float) -> None:
        if self._shown_at is not None and now - self._shown_at < LIVE_EVERY:
            return
        text = self.line()
        width = shutil.get_terminal_size((80, 24)).columns
        text = text if len(text) < width else text[: max(1, width - 2)] + "…"
        if text != self._shown:
            self._write(_ERASE + text)
        self._shown, self._shown_at = text, now

    def _plain(self, now: float) -> None:
        """A line for a log: after a few seconds of work, then when the state changed (a few seconds
        apart at least), or after a minute of the same."""
        if now - self.started < self.every:
            return  # a CI log gets its first line after a few seconds of work, not at once
        state = self.state()
        if self._shown_at is not None:
            since = now - self._shown_at
            if since < self.every or (state == self._state and since < SAME):
                return
        self._write(self.line(state) + "\n")
        self._state, self._shown_at = state, now

    def close(self) -> None:
        """The work is over: wipe the live line (a plain log keeps its lines)."""
        if self.live and self._shown_at is not None:
            self._write(_ERASE)
        self._shown_at = None

    def _write(self, text: str) -> None:
        try:
            assert self.stream is not None
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed or full: progress is not worth failing for
            self.stream = None


MAX_NAMED = 3  # finished subjects named one by one; past that, counted by kind


def _finished(done: list[str]) -> list[str]:
    """``plan pl-1 done``, or ``12 plans done`` and ``1 record done``: what has finished, said so that a
    reader knows what (a subject is its kind, then its id)."""
    if len(done) <= MAX_NAMED:
        return [f"{subject} done" for subject in done]
    kinds: dict[str, int] = {}
    for subject in done:
        kind = subject.rsplit(" ", 1)[0] if " " in subject else "item"
        kinds[kind] = kinds.get(kind, 0) + 1
    return [f"{count} {kind}{'' if count == 1 else 's'} done" for kind, count in kinds.items()]


_current: Progress | None = None


def note(subject: str, status: str) -> None:
    """Say what ``subject`` (``plan pl-1``) is doing now; nothing when no progress is shown."""
    if _current is not None:
        _current.note(subject, status)


def finish(subject: str) -> None:
    if _current is not None:
        _current.finish(subject)


def join(thread: threading.Thread, timeout: float) -> None:
    """``thread.join(timeout)``, showing progress while it runs."""
    end = time.monotonic() + timeout
    while thread.is_alive():
        left = end - time.monotonic()
        if left <= 0:
            return
        thread.join(min(left, LIVE_EVERY))
        if _current is not None:
            _current.tick()


def for_stderr(quiet: bool, what: str) -> Progress:
    """Progress on stderr: live on a terminal (not ``TERM=dumb``), plain lines elsewhere, none when quiet."""
    import os

    stream = None if quiet else sys.stderr
    live = bool(stream is not None and stream.isatty() and os.environ.get("TERM") != "dumb")
    return Progress(stream, live=live, what=what, every=EVERY, first=FIRST)


@contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Make ``progress`` the one ``note``/``finish``/``join`` use, for the length of the block."""
    global _current
    previous, _current = _current, progress
    try:
        yield progress
    finally:
        progress.close()
        _current = previous
