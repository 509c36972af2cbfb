"""The command line: parse, call, print, map to an exit code. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from planlint import __version__
from planlint.report import ExitCode, FailOn

app = typer.Typer(
    name="planlint",
    help="Policy-as-code checks on AWS Service Catalog provisioned product plans, before they run.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Color(str, Enum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


def _split(values: Optional[list[str]]) -> list[str]:
    """``--select a,b --select c`` → ``[a, b, c]``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _use_color(choice: Color) -> bool:
    if choice is Color.ALWAYS:
        return True
    if choice is Color.NEVER or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"planlint: error: {message}", err=True)
    return typer.Exit(ExitCode.ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planlint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Policy-as-code checks on AWS Service Catalog provisioned product plans, before they run."""


@app.command()
def lint(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Saved DescribeProvisionedProductPlan responses: files, directories, or - for stdin."),
    ] = None,
    select: Annotated[
        Optional[list[str]], typer.Option("--select", help="Rules to run: codes, names or tags (default ALL).")
    ] = None,
    ignore: Annotated[
        Optional[list[str]], typer.Option("--ignore", help="Rules not to run: codes, names or tags.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")
    ] = FailOn.ERROR,
    rules: Annotated[
        Optional[list[Path]], typer.Option("--rules", help="A directory of extra rule modules (repeatable).")
    ] = None,
    color: Annotated[Color, typer.Option("--color", help="Colour the text report.")] = Color.AUTO,
) -> None:
    """Lint saved plans. Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 when planlint could not do its job."""
    from planlint.engine import SelectionError
    from planlint.lint import lint as run_lint
    from planlint.report import text

    if not paths:
        raise _fail("no plan given: name a saved plan file, a directory, or - for stdin")
    try:
        report = run_lint(
            paths,
            select=_split(select) or ["ALL"],
            ignore=_split(ignore),
            fail_on=fail_on,
            rule_dirs=rules or [],
        )
    except SelectionError as exc:
        raise _fail(str(exc)) from None
    for error in report.load_errors:
        typer.echo(f"planlint: error: {error}", err=True)
    for rule_error in report.rule_errors:
        typer.echo(f"planlint: error: {rule_error}", err=True)
    sys.stdout.write(text.render(report, color=_use_color(color)))
    sys.stdout.flush()
    raise typer.Exit(report.exit_code)


def main() -> None:
    """Console entry point: never a traceback, always one of the three exit codes."""
    try:
        app(prog_name="planlint")
    except KeyboardInterrupt:
        typer.echo("planlint: interrupted", err=True)
        sys.exit(ExitCode.ERROR)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.ERROR)
    except Exception as exc:  # the last line of defence: one line, exit 2
        typer.echo(f"planlint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(ExitCode.ERROR)
