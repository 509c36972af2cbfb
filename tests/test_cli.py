"""The command line: the gate's exit codes, fail-on, the text report, colour, safety, start-up."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from planlint.cli.groups import grouped
from planlint.testing import change, plan_document
from tests.conftest import CANARY, FIXTURES, ROOT, run_planlint, write_json


def test_demo_plan_fails_the_gate_with_its_summary(cli):
    result = cli("lint", str(FIXTURES / "demo.json"))
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 errors, 8 warnings in 1 plan (14 changes)"
    assert lines[0].startswith(
        "plan orders-release-42 for orders-prod (pl-6kxqz3vbw2jra, pp-x3jc5zbkoa4ms): CREATE_SUCCESS, 14 changes"
    )


def test_text_report_groups_by_resource_and_shows_the_cause_chain(cli):
    out = cli("lint", str(FIXTURES / "demo.json")).stdout
    block = out[out.index("  OrdersDatabase") : out.index("  OrdersTable")]
    assert block.splitlines() == [
        f"  OrdersDatabase (AWS::RDS::DBInstance): MODIFY, replacement TRUE  {FIXTURES / 'demo.json'}:59",
        "    error   PL101 stateful-replacement: will be replaced: property StorageEncrypted requires recreation (ALWAYS), caused by parameter EncryptDatabase (--template would show its UpdateReplacePolicy)",
        "      <- property StorageEncrypted requires recreation (ALWAYS), caused by parameter EncryptDatabase",
        "      <- property DBInstanceClass changes, caused by parameter DatabaseInstanceClass",
    ]


def test_clean_plan_exits_zero(cli):
    result = cli("lint", str(FIXTURES / "benign.json"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "no findings in 1 plan (5 changes)"


@pytest.mark.parametrize(
    "fixture,fail_on,code",
    [
        ("demo.json", "error", 1),
        ("demo.json", "never", 0),
        ("boto3-default-str.json", "error", 0),  # one warning
        ("boto3-default-str.json", "warning", 1),
        ("plan-no-changes.json", "warning", 0),  # one note
        ("plan-no-changes.json", "note", 1),
        ("benign.json", "note", 0),
    ],
)
def test_fail_on(cli, fixture, fail_on, code):
    assert cli("lint", str(FIXTURES / fixture), "--fail-on", fail_on).exit_code == code


def test_errors_exit_two_even_when_fail_on_never(cli, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    assert cli("lint", str(bad), str(FIXTURES / "benign.json"), "--fail-on", "never").exit_code == 2


def test_select_and_ignore_accept_commas_and_repeats(cli):
    result = cli("lint", str(FIXTURES / "demo.json"), "--select", "PL101,stateful-removal", "--select", "removal")
    assert result.stdout.splitlines()[-1] == "2 errors, 2 warnings in 1 plan (14 changes)"
    result = cli("lint", str(FIXTURES / "demo.json"), "--ignore", "data-loss,security")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "no findings in 1 plan (14 changes)"


def test_unknown_selector_exits_two_with_suggestion(cli):
    result = cli("lint", str(FIXTURES / "demo.json"), "--select", "stateful-removals")
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: --select: stateful-removals: no rule, code or tag of that name; did you mean stateful-removal?\n"
    )
    assert result.stdout == ""


def test_bad_fail_on_is_a_usage_error_exit_two(cli):
    assert cli("lint", str(FIXTURES / "demo.json"), "--fail-on", "fatal").exit_code == 2


def test_stdin(cli):
    result = cli("lint", "-", stdin=(FIXTURES / "demo.json").read_bytes())
    assert result.exit_code == 1
    assert "<stdin>:59" in result.stdout


def test_no_colour_unless_asked_or_on_a_terminal(cli):
    assert "\x1b[" not in cli("lint", str(FIXTURES / "demo.json")).stdout
    coloured = cli("lint", str(FIXTURES / "demo.json"), "--color", "always").stdout
    assert "\x1b[1;31merror  \x1b[0m" in coloured
    assert "\x1b[" not in cli("lint", str(FIXTURES / "demo.json"), "--color", "never").stdout


@pytest.mark.parametrize(
    "env,args,coloured",
    [
        ({"FORCE_COLOR": "1"}, [], True),  # not a terminal, but asked for
        ({"FORCE_COLOR": ""}, [], False),  # empty: not set
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),  # NO_COLOR wins
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),  # the command line wins
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({"NO_COLOR": ""}, ["--color", "always"], True),
    ],
)
def test_force_color_is_honoured_like_no_color(cli, env, args, coloured):
    out = cli("lint", str(FIXTURES / "demo.json"), *args, env=env).stdout
    assert ("\x1b[1;31merror  \x1b[0m" in out) is coloured


def test_no_color_environment_is_honoured_on_a_terminal():
    import pty
    import subprocess

    for env, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        controller, worker = pty.openpty()
        proc = subprocess.run(
            [sys.executable, "-m", "planlint", "lint", "fixtures/demo.json"],
            cwd=ROOT,
            stdout=worker,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "TERM": "xterm", **env},
        )
        import os

        os.close(worker)
        chunks = []
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(controller)
        output = b"".join(chunks).decode()
        assert proc.returncode == 1
        assert ("\x1b[" in output) is coloured, env


def test_escape_sequences_from_the_plan_never_reach_the_terminal(cli, tmp_path: Path):
    doc = plan_document(
        change("REMOVE", "Evil\x1b[2J\x1b]0;pwned\x07Bucket\u202e", "AWS::S3::Bucket\r\nFAKE"),
        status="CREATE_FAILED",
        status_message="failed\x1b[31m\x9b31m red",
    )
    path = write_json(tmp_path / "evil.json", doc)
    for color in ("never", "always"):
        out = cli("lint", str(path), "--color", color).stdout
        for bad in ("\x1b[2J", "\x1b]0", "\x07", "\u202e", "\r", "\x9b"):
            assert bad not in out, (color, repr(bad))
        assert "Evil\\x1b[2J\\x1b]0;pwned\\x07Bucket\\u202e" in out


def test_secret_parameter_value_never_appears(cli, tmp_path: Path):
    result = cli("lint", str(FIXTURES / "demo.json"), "--fail-on", "never")
    assert CANARY not in result.stdout + result.stderr
    assert "hunter2" not in result.stdout + result.stderr


def test_python_dash_m_and_version():
    proc = run_planlint(["--version"])
    assert proc.returncode == 0 and proc.stdout.startswith("planlint ")


def test_lint_of_a_local_file_never_imports_boto3():
    code = (
        "import sys\n"
        "from planlint.cli import app\n"
        "code = app(['lint', 'fixtures/demo.json'], prog_name='planlint', standalone_mode=False)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'rich', 'regex'))\n"
        "print('HEAVY', heavy, 'EXIT', int(code), file=sys.stderr)\n"
    )
    import subprocess

    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "HEAVY [] EXIT 1" in proc.stderr, proc.stderr


def test_help_lists_lint(cli):
    import re

    result = cli("--help")
    assert result.exit_code == 0
    assert re.search(r"^\W*lint\W+Lint saved plans", result.stdout, re.MULTILINE), result.stdout


@dataclass(frozen=True)
class Pair:
    left: Annotated[int, typer.Option("--left")] = 1
    right: Annotated[int, typer.Option("--right")] = 2


@dataclass(frozen=True)
class Required:
    value: Annotated[int, typer.Option("--value")]


def test_option_groups_reach_the_command_as_one_value_each():
    seen = []

    @grouped
    def command(name: Annotated[str, typer.Argument()], *, pair: Pair) -> None:
        seen.append((name, pair))

    app = typer.Typer()
    app.command()(command)
    app.command("other")(lambda: None)
    assert CliRunner().invoke(app, ["command", "x", "--right", "5"]).exit_code == 0
    assert seen == [("x", Pair(1, 5))]


def test_an_option_group_needs_defaults_and_distinct_names():
    def needs(*, group: Required) -> None: ...

    def clash(left: int = 0, *, group: Pair) -> None: ...

    with pytest.raises(TypeError, match="Required.value: an option in a group needs a default"):
        grouped(needs)
    with pytest.raises(TypeError, match="clash: two options of its groups share a name"):
        grouped(clash)


def test_statistics_count_findings_per_rule_after_the_report(cli):
    out = cli("lint", str(FIXTURES / "demo.json"), "--statistics").stdout
    report, table = out.split("\n\nfindings per rule:\n")
    assert report.endswith("2 errors, 8 warnings in 1 plan (14 changes)")
    rows = table.splitlines()
    assert rows[0].split() == ["count", "rule", "errors", "warnings", "notes", "waived"]
    assert rows[1].split() == ["2", "PL101", "stateful-replacement", "1", "1", "0", "0"]
    assert rows[-1].split() == ["10", "total", "2", "8", "0", "0"]
    assert sum(int(row.split()[0]) for row in rows[1:-1]) == 10


def test_statistics_go_to_stderr_when_stdout_carries_another_format(cli):
    import json

    result = cli("lint", str(FIXTURES / "demo.json"), "--statistics", "-f", "json")
    json.loads(result.stdout)  # the JSON report is untouched
    assert result.stderr.startswith("findings per rule:\n  count  rule")
    assert result.stderr.splitlines()[-1].split() == ["10", "total", "2", "8", "0", "0"]
