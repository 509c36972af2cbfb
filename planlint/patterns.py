"""Regular expressions from configuration, run in bounded time.

A pattern a user wrote meets text a plan's author wrote: ``^(a|a)+$`` against a crafted tag
value backtracks for minutes with the standard library's engine. Rules match user patterns
through this module instead: the ``regex`` engine (the same syntax as ``re``) with a timeout
on every match. A match that runs out of time raises :class:`PatternTimeout`, which the
engine reports as the rule's failure, naming the option that holds the pattern.

Patterns a rule's author wrote (its defaults) can be declared with :func:`trust`: they are
matched with ``re``, so a run that uses only those never imports ``regex`` (about 25 ms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

TIMEOUT = 1.0  # seconds for one match of one pattern against one value
_TRUSTED: set[str] = set()


def trust(patterns: Iterable[str]) -> None:
    """Declare patterns a rule's author wrote and checked: matched with ``re``, without a timeout."""
    _TRUSTED.update(patterns)


class PatternTimeout(Exception):
    """A user pattern took longer than :data:`TIMEOUT` on one value."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"the regular expression {pattern!r} took longer than {TIMEOUT:g}s on one value")
        self.pattern = pattern


@lru_cache(maxsize=1024)
def compile(pattern: str, ignore_case: bool = False) -> Any:  # noqa: A001 - the name re uses
    """The compiled pattern; raises ``ValueError`` naming what is wrong with it."""
    import regex

    try:
        return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    except regex.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None


@lru_cache(maxsize=256)
def _trusted(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def search(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """True when ``pattern`` matches anywhere in ``text``."""
    return _matches("search", pattern, text, ignore_case)


def fullmatch(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """True when ``pattern`` matches the whole of ``text``."""
    return _matches("fullmatch", pattern, text, ignore_case)


def _matches(how: str, pattern: str, text: str, ignore_case: bool) -> bool:
    if pattern in _TRUSTED:
        return getattr(_trusted(pattern, ignore_case), how)(text) is not None
    try:
        return getattr(compile(pattern, ignore_case), how)(text, timeout=TIMEOUT) is not None
    except TimeoutError:
        raise PatternTimeout(pattern) from None
