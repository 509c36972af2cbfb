"""The gate as a library call: no command line needed, the same report as the command line gives,
and one error family — each kind with its exit code and its one line, said once at the top."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from planlint.aws.errors import AwsError
from planlint.cli.console import stops_on_errors
from planlint.config.errors import ConfigError
from planlint.engine.failures import RuleError
from planlint.engine.run import SelectionError
from planlint.engine.setup import RulesNotLoaded, SetupError
from planlint.gate import GateRequest, run
from planlint.read.jsonmap import DocumentError
from planlint.read.template import TemplateError
from planlint.report.delivery import Format, Target, TargetError, deliver
from planlint.report.locations import LocationError
from planlint.report.result import RenderOptions
from planlint.support.errors import (
    KINDS,
    ConfigurationError,
    InputError,
    OutputError,
    PlanlintError,
    RuleSetError,
    ServiceError,
)
from planlint.support.exits import ExitCode
from planlint.support.files import FileProblem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

LIBRARY_CALL = """
import sys
from planlint.gate import GateRequest, run
report = run(GateRequest(paths=[sys.argv[1]]))
print(int(report.exit_code), len(report.results), "typer" in sys.modules, "click" in sys.modules)
"""


def test_the_gate_runs_as_a_library_call_without_typer():
    proc = subprocess.run(
        [sys.executable, "-c", LIBRARY_CALL, str(FIXTURES / "demo.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.stderr == ""
    assert proc.stdout.split() == [str(int(ExitCode.FINDINGS)), "1", "False", "False"]


@pytest.mark.parametrize(
    "error,kind",
    [
        (ConfigError("planlint.toml", "fail-on", "expected one of 'error'"), ConfigurationError),
        (SelectionError("--select: nope: no rule, code or tag of that name", "select"), ConfigurationError),
        (SetupError(["one", "two"]), ConfigurationError),
        (DocumentError("a key written twice", "{}", 0), InputError),
        (TemplateError("orders.yaml", 3, "not a template"), InputError),
        (FileProblem("not a regular file (a FIFO)"), InputError),
        (AwsError("plan pp-1", "no AWS credentials found"), ServiceError),
        (RulesNotLoaded([RuleError("rules/bad.py", "cannot import: boom")]), RuleSetError),
        (TargetError("only one --format can go to stdout"), OutputError),
        (LocationError("plan.json is outside the source root"), OutputError),
    ],
)
def test_each_error_is_of_its_kind(error: PlanlintError, kind: type[PlanlintError]):
    assert isinstance(error, kind)
    assert error.exit_code is ExitCode.ERROR


def _said(error: PlanlintError) -> tuple[int, str]:
    """What the command line says for ``error``, raised by a command, and its exit code."""
    app = typer.Typer()

    @app.command()
    @stops_on_errors
    def stops() -> None:
        raise error

    result = CliRunner().invoke(app, [], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_one_line_and_exit_2(kind: type[PlanlintError]):
    code, said = _said(kind(f"what went wrong ({kind.kind})"))
    assert code == ExitCode.ERROR == kind.exit_code
    assert said == f"planlint: error: what went wrong ({kind.kind})\n"


def test_a_set_up_error_is_one_line_per_problem():
    code, said = _said(SetupError(["rules/bad.py: cannot import", "--select: nope: no rule, code or tag of that name"]))
    assert code == ExitCode.ERROR
    assert said == (
        "planlint: error: rules/bad.py: cannot import\n"
        "planlint: error: --select: nope: no rule, code or tag of that name\n"
    )


def test_rules_not_loaded_are_one_line_each():
    errors = [RuleError("rules/bad.py", "cannot import: boom"), RuleError("rules/worse.py", "registers nothing")]
    code, said = _said(RulesNotLoaded(errors))
    assert code == ExitCode.ERROR
    assert said == "".join(f"planlint: error: {error}\n" for error in errors)


def test_every_kind_is_a_planlint_error_and_none_another():
    assert len(set(KINDS)) == len(KINDS) == 5
    assert all(issubclass(kind, PlanlintError) for kind in KINDS)
    assert not any(issubclass(a, b) for a in KINDS for b in KINDS if a is not b)
    assert RuleSetError in KINDS


SAVED = sorted(p.name for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", SAVED)
def test_the_command_line_and_the_library_give_the_same_report(cli, name: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    path = f"fixtures/{name}"
    report = run(GateRequest(paths=[path]))
    options = RenderOptions(source_root=ROOT)
    for format_ in (Format.TEXT, Format.SARIF):
        result = cli("lint", path, "-f", format_.value, "--color", "never")
        assert result.exit_code == report.exit_code
        assert result.stdout == deliver([Target(format_, None)], report, options)


def test_the_library_gate_refuses_an_output_over_its_input(tmp_path: Path):
    plan = tmp_path / "plan.json"
    plan.write_text((FIXTURES / "demo.json").read_text())
    with pytest.raises(OutputError, match="is an input plan"):
        run(GateRequest(paths=[str(plan)], targets=[Target(Format.SARIF, str(plan))]))
    assert json.loads(plan.read_text()) == json.loads((FIXTURES / "demo.json").read_text())
