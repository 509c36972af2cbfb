"""A command line planlint cannot parse is one line in planlint's words — the option, what it takes,
the value given — and exit 2; never the framework's phrasing, whichever typer reads it."""

from __future__ import annotations

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.cli import app, usage
from tests.conftest import run_planlint

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

# what typer, click and pydantic say, which planlint must never pass on
FRAMEWORK = (
    "Value error",
    "Input should",
    "%Y",
    "%m",
    "Usage:",
    "Try '",
    "Invalid value for",
    "is not one of",
    "does not match the format",
    "is not a valid",
    "is not in the range",
    "No such option",
    "requires an argument",
    "Possible options",
    "Missing argument",
    "Missing parameter",
    "Got unexpected",
    "No such command",
    "Error:",
    "does not take a value",
)
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
VALUED = [
    (name, option)
    for name, command in COMMANDS.items()
    for param in command.params
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False)
    for option in param.opts[-1:]
    if option.startswith("--")
]
ARGUMENTS = {"explain": ["PL101"]}  # what a command needs besides the option tried
BAD_VALUES = ["not-a-value", "-1", "0", "1.5", "2026-13-01", "0.00001", "1e999", ""]


def refusal(command: str, args: list[str]) -> str | None:
    """What planlint says of ``args`` to ``command``, or None when the framework took them (the
    command itself is not run)."""
    try:
        COMMANDS[command].make_context(command, list(args))
    except Exception as exc:  # noqa: BLE001 - what the framework raises is the subject
        if not hasattr(exc, "exit_code"):
            raise
        return usage.problem(exc)
    return None


def framework_phrases(text: str) -> list[str]:
    return [phrase for phrase in FRAMEWORK if phrase in text]


@pytest.mark.parametrize(("command", "option"), VALUED, ids=[f"{c}{o}" for c, o in VALUED])
def test_every_option_refuses_a_bad_value_in_planlints_words(command: str, option: str):
    for value in BAD_VALUES:
        said = refusal(command, [*ARGUMENTS.get(command, []), option, value])
        if said is not None:
            assert not framework_phrases(said), (value, said)
            assert said.startswith(f"{option}: "), said


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["lint", "--today", "2026-13-01", "x.json"], "--today: expected a date, YYYY-MM-DD, got '2026-13-01'"),
        (["lint", "--fail-on", "loud", "x.json"], "--fail-on: expected one of error, warning, note, never, got 'loud'"),
        (["lint", "--rule-timeout", "0", "x.json"], "--rule-timeout: expected at least 0.001, got '0"),
        (["lint", "--rule-timeout", "abc", "x.json"], "--rule-timeout: expected a number, got 'abc'"),
        (
            ["lint", "--format", "pdf", "x.json"],
            "--format: expected one of text, json, sarif, junit, github, markdown, gitlab, got 'pdf'",
        ),
        (["fetch", "--plan-id", "pl-1", "--jobs", "1.5"], "--jobs: expected a whole number, got '1.5'"),
        (["lint", "--fial-on", "error", "x.json"], "unknown option --fial-on; did you mean --fail-on?"),
        (["lintt"], "unknown command lintt; did you mean lint?"),
        (["explain"], "RULE is missing; see planlint explain --help"),
        (["explain", "a", "b"], "unexpected argument b; see planlint explain --help"),
        (["lint", "x.json", "--select"], "--select needs a value"),
    ],
    ids=[
        "date",
        "choice",
        "minimum",
        "number",
        "format",
        "integer",
        "near-miss",
        "command",
        "missing",
        "extra",
        "no-value",
    ],
)
def test_the_command_says_one_line_and_exits_2(args: list[str], line: str):
    proc = run_planlint(args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"planlint: error: {line}")
    assert proc.stderr.count("\n") == 1
    assert not framework_phrases(proc.stderr)


@settings(max_examples=40, deadline=None)
@given(value=st.text(max_size=30))
def test_any_value_of_a_typed_option_is_refused_in_planlints_words(value: str):
    for option in ("--today", "--fail-on", "--rule-timeout", "--max-file-size", "--color"):
        said = refusal("lint", [option, value])
        if said is not None:
            assert not framework_phrases(said), said
