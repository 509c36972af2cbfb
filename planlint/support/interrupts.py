"""SIGINT and SIGTERM end a run cleanly: temporary files removed, ``planlint: interrupted``, exit 2.

The handlers raise :class:`Interrupted` wherever the main thread is, so ``finally`` blocks run.
It is not a ``KeyboardInterrupt``, which click and typer turn into exit codes of their own.
The handlers also record that a signal really arrived: the engine reports a rule that raises
``KeyboardInterrupt`` (or ``Interrupted``) itself as a rule failure, but lets a real one through.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_received: list[int] = []


class Interrupted(BaseException):
    """A SIGINT or SIGTERM arrived."""


def _handler(number: int, frame: FrameType | None) -> None:
    _received.append(number)
    raise Interrupted(signal.Signals(number).name)


def install() -> None:
    """Handle SIGINT and SIGTERM from now on (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, _handler)


def received() -> bool:
    """True once a real SIGINT or SIGTERM has arrived."""
    return bool(_received)
