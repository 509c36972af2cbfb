"""A command line planlint cannot parse, said in planlint's words: one line naming the option and
what it takes, never the framework's phrasing (``Value error, …``, ``Input should be …``,
``'%Y-%m-%d'``), whichever version of typer (and of the click it uses) reads the arguments.

Only the text of the framework's error is known here, with the option it is about when there is
one; each phrase the framework has is matched, and anything unmatched loses its framework prefix.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from planlint.support.safetext import clean
from planlint.support.wording import bad_value, unquoted

# (pattern of the framework's message about the command line, what planlint says instead)
_USAGE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No such option:? '?(?P<option>[^\s']+)'?.*", re.S), "unknown option {option}"),
    (re.compile(r"Option '(?P<option>[^']+)' requires an argument\.?"), "{option} needs a value"),
    (re.compile(r"Option '(?P<option>[^']+)' does not take a value\.?"), "{option} takes no value"),
    (re.compile(r"Missing argument '(?P<name>[^']+)'\.?"), "{name} is missing"),
    (re.compile(r"Missing option '(?P<option>[^']+)'\.?"), "{option} is required"),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<extra>.*)\)"), "unexpected argument {extra}"),
    (re.compile(r"Got unexpected extra arguments? \((?P<extra>.*)\)"), "unexpected argument {extra}"),
    (re.compile(r"No such command '(?P<command>[^']+)'.*"), "unknown command {command}"),
]


def problem(exc: Any) -> str:
    """The one line (without ``planlint: error:``) for a usage error the framework raised, with the
    command's ``--help`` to see."""
    message = str(getattr(exc, "message", "") or exc).strip()
    param = getattr(exc, "param", None)
    option = _option_name(param)
    if option is not None and type(exc).__name__ == "MissingParameter":
        said = f"{option} is missing"
    elif option is not None:
        said = f"{option}: {bad_value(message, _given(exc))}"
    else:
        said = _usage(message, exc)
    if said.endswith("?"):  # a near miss: the right spelling says enough
        return clean(said, 400)
    command = getattr(getattr(exc, "ctx", None), "command_path", None) or "planlint"
    return clean(f"{said}; see {command} --help", 400)


def _option_name(param: Any) -> str | None:
    """``--today`` (an option's longest name), ``PLAN`` (an argument's), or None."""
    if param is None:
        return None
    names: list[str] = [str(n) for n in getattr(param, "opts", []) if str(n).startswith("-")]
    if names:
        return max(names, key=len)
    name = getattr(param, "human_readable_name", None) or getattr(param, "name", None)
    return str(name).upper() if name else None


def _given(exc: Any) -> str | None:
    """The value given, when the framework kept it (pydantic's error, the cause of typer's)."""
    errors = getattr(exc.__cause__, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
        except (IndexError, TypeError, KeyError):
            return None
        value = first.get("input") if isinstance(first, dict) else None
        return None if value is None else str(value)
    return None


def _usage(message: str, exc: Any) -> str:
    for pattern, words in _USAGE:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        parts = {k: unquoted(v) for k, v in match.groupdict().items()}
        said = words.format(**parts)
        if "option" in parts and said.startswith("unknown option"):
            said += _did_you_mean(parts["option"], exc)
        if "command" in parts:
            said += _did_you_mean(parts["command"], exc)
        return said
    return message.removeprefix("Error: ").rstrip(".")


def _did_you_mean(word: str, exc: Any) -> str:
    """``; did you mean --jobs?``: the closest option (or command) the command line has."""
    command = getattr(getattr(exc, "ctx", None), "command", None)
    known: list[str] = [n for p in getattr(command, "params", []) for n in getattr(p, "opts", []) if n.startswith("-")]
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        known += list(commands)
    bare = {name.lstrip("-"): name for name in known}  # "--" alike in every option is no likeness
    close = difflib.get_close_matches(word.split("=", 1)[0].lstrip("-"), list(bare), n=1)
    return f"; did you mean {bare[close[0]]}?" if close else ""
