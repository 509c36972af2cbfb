"""The GitHub Action's second step: run planlint as the inputs say, write the reports where they say,
and give the exit code and the counts as step outputs.

The inputs arrive as environment variables, never pasted into a shell script, so nothing in them
runs: ``args`` is split the way a shell splits words, and nothing else is done with it. Standard
library only: this runs with the Python of planlint's own environment.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

COMMANDS = ("lint", "execute")
FAIL_ON = ("error", "warning", "note", "never")
COUNTS = ("errors", "warnings", "notes", "waived", "plans")


class InputError(ValueError):
    """An input the action cannot use, said in one line."""


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "true").strip().lower()
    if value not in ("true", "false"):
        raise InputError(
            f"{name.removeprefix('PLANLINT_').lower().replace('_', '-')} must be true or false, got {value!r}"
        )
    return value == "true"


def command_line(env: Mapping[str, str], json_report: str) -> list[str]:
    """planlint's arguments (after ``python -m planlint``) for the inputs in ``env``."""
    command = env.get("PLANLINT_COMMAND", "").strip() or "lint"
    if command not in COMMANDS:
        raise InputError(f"command must be lint or execute, got {command!r}")
    fail_on = env.get("PLANLINT_FAIL_ON", "").strip() or "error"
    if fail_on not in FAIL_ON:
        raise InputError(f"fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    paths = [line.strip() for line in env.get("PLANLINT_PATHS", "").splitlines() if line.strip()]
    plan_ids = env.get("PLANLINT_PLAN_IDS", "").split()
    if command == "execute" and paths:
        raise InputError("command execute fetches its plan: give plan-ids, not paths")
    if not paths and not plan_ids:
        raise InputError("nothing to lint: give paths or plan-ids")
    try:
        extra = shlex.split(env.get("PLANLINT_ARGS", ""))
    except ValueError as exc:
        raise InputError(f"args cannot be split into words: {exc}") from None
    arguments = [command]
    for plan_id in plan_ids:
        arguments += ["--plan-id", plan_id]
    arguments += ["--fail-on", fail_on, "--format", "json", "--output", json_report]
    for name, fmt in (("PLANLINT_SARIF_FILE", "sarif"), ("PLANLINT_JUNIT_FILE", "junit")):
        if env.get(name, "").strip():
            arguments += ["--format", fmt, "--output", env[name].strip()]
    summary = env.get("GITHUB_STEP_SUMMARY", "")
    if _flag(env, "PLANLINT_SUMMARY") and summary:
        arguments += ["--format", "markdown", "--output", summary]  # planlint appends to it
    if _flag(env, "PLANLINT_ANNOTATIONS"):
        arguments += ["--format", "github"]
    # the paths last, after "--": a path that begins with "-" is still a path
    return [*arguments, *extra, *(["--", *paths] if paths else [])]


def outputs(exit_code: int, json_report: Path) -> dict[str, str]:
    """The step's outputs: the exit code, and the counts when planlint got as far as a report."""
    values = {"exit-code": str(exit_code), **dict.fromkeys(COUNTS, "")}
    try:
        summary = json.loads(json_report.read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return values
    for name in COUNTS:
        if isinstance(summary.get(name), int):
            values[name] = str(summary[name])
    return values


def shown(arguments: list[str]) -> str:
    """The command line as one line of the log that the runner does not obey: quoted like a shell
    would take it, with line breaks and other unprintable characters as escapes and no ``##[``."""
    quoted = " ".join(shlex.quote(a) for a in ["planlint", *arguments])
    visible = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in quoted)
    return visible.replace("##[", "#\\#[")


def escape_data(value: str) -> str:
    """A workflow command's message as the runner expects it: ``%``, CR and LF escaped."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _write_outputs(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.writelines(f"{name}={value}\n" for name, value in values.items())


def main(env: Mapping[str, str] = os.environ) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="planlint-action-", dir=env.get("RUNNER_TEMP") or None))
    report = scratch / "report.json"
    try:
        arguments = command_line(env, str(report))
    except InputError as exc:
        print(f"::error title=planlint::{escape_data(str(exc))}", flush=True)
        _write_outputs(env, outputs(2, report))
        return 2
    print(f"planlint: running {shown(arguments)}", file=sys.stderr, flush=True)
    code = subprocess.call([sys.executable, "-m", "planlint", *arguments])
    code = code if code in (0, 1, 2) else 2  # a signal or a crash of the interpreter: not a clean gate
    _write_outputs(env, outputs(code, report))
    return code


if __name__ == "__main__":
    sys.exit(main())
