"""The range of every number planlint takes — one definition each, read by the command line's
options and by the configuration's keys alike, so a value is refused in the same words wherever
it was given. A bound never reaches where a value past it would overflow: a timer, a deadline, a
read buffer. It imports nothing, so the command line can show the ranges in its help cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DEADLINE = 86400.0  # a day: the most any bound may be set to (an infinite one is none)


@dataclass(frozen=True)
class Bound:
    """The least and the most a number may be (both allowed); NaN never is."""

    low: float
    high: float


DEFAULT_RULE_TIMEOUT = 30.0  # seconds a rule has for one plan unless told otherwise
RULE_TIMEOUT = Bound(0.001, MAX_DEADLINE)  # seconds: --rule-timeout, rule-timeout
MAX_FILE_SIZE = Bound(0.0001, 65536.0)  # MiB (64 GiB at most): --max-file-size, max-file-size
TIMEOUT = Bound(0.1, MAX_DEADLINE)  # seconds: --timeout
REQUEST_TIMEOUT = Bound(0.1, MAX_DEADLINE)  # seconds: --request-timeout
POLL_INTERVAL = Bound(0.0, MAX_DEADLINE)  # seconds: --poll-interval
EXECUTE_TIMEOUT = Bound(1.0, MAX_DEADLINE)  # seconds: --execute-timeout
JOBS = Bound(1, 64)  # --jobs
