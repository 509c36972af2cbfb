"""The command line: parse, call, print, map to an exit code. Nothing else lives here.

One module per command (``lint_command``, ``fetch_command``, ``execute_command``, ``rule_commands``), their option groups
in ``options``, the gate's request and reports (for ``lint`` and ``execute``) in ``gating``; this module holds the app,
where every command's ``PlanlintError`` is said and mapped to its exit code (``console.stops_on_errors``), and the
entry point that turns every ending into 0, 1 or 2.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated

import typer

from planlint import __version__
from planlint.cli.console import say, stderr_lost, stdout_lost, stops_on_errors, watch_stdout
from planlint.cli.execute_command import execute
from planlint.cli.fetch_command import fetch
from planlint.cli.gating import LintCommand
from planlint.cli.lint_command import lint
from planlint.cli.rule_commands import explain, list_rules, schema
from planlint.support.exits import ExitCode

GC_THRESHOLDS = (50_000, 20, 20)  # Python's own are (700, 10, 10) (2000 on 3.13 and later)

app = typer.Typer(
    name="planlint",
    help="Policy-as-code checks on AWS Service Catalog plans and CloudFormation change sets, before they run.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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
    """Policy-as-code checks on AWS Service Catalog plans and CloudFormation change sets, before they run."""


app.command(cls=LintCommand)(stops_on_errors(lint))
app.command("rules")(stops_on_errors(list_rules))
app.command()(stops_on_errors(explain))
app.command()(stops_on_errors(fetch))
app.command(cls=LintCommand)(stops_on_errors(execute))
app.command()(schema)


def main() -> None:
    """Console entry point: never a traceback, always one of the three exit codes.

    The process ends with ``os._exit`` once stdout and stderr are flushed, so a thread a rule
    left behind cannot keep it alive.
    """
    from planlint.support import interrupts

    interrupts.install()
    watch_stdout()
    # What is imported lives until exit: the collector need not look at it again. A run makes
    # many objects and few cycles (they are collected still, only less often).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    code: int = ExitCode.ERROR
    try:
        returned = app(prog_name="planlint", standalone_mode=False)
        code = returned if isinstance(returned, int) else ExitCode.OK
    except interrupts.Interrupted:  # said below
        pass
    except (KeyboardInterrupt, typer.Abort):
        if not interrupts.received():
            say("error: aborted")
    except (OSError, SystemExit) as exc:  # click ends a closed pipe with sys.exit(1)
        if (reason := stdout_lost()) is not None:
            say(f"error: {_NOT_WRITTEN}: {reason}")
        elif isinstance(exc, SystemExit):  # only code outside planlint's own paths calls sys.exit
            say(f"error: stopped by sys.exit({exc.code!r})")
        else:
            say(f"internal error: {type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, exit 2
        if callable(getattr(exc, "show", None)) and hasattr(exc, "exit_code"):  # a usage error: in planlint's words
            from planlint.cli import usage

            say(f"error: {usage.problem(exc)}")
        else:
            say(f"internal error: {type(exc).__name__}: {exc}")
    if interrupts.received():
        say("interrupted")
        code = ExitCode.ERROR
    if code not in (ExitCode.OK, ExitCode.FINDINGS):
        code = ExitCode.ERROR
    _exit(code)


_NOT_WRITTEN = "cannot write the output to stdout"


def _exit(code: int) -> None:
    """Flush stdout and stderr and end: exit 2 when either lost what it was given (a full disk)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and code != ExitCode.ERROR:
                code = ExitCode.ERROR  # the report did not reach stdout: the gate cannot pass
                say(f"error: {_NOT_WRITTEN}: {stdout_lost() or 'stdout is closed'}")
            elif stream is sys.stderr:
                code = ExitCode.ERROR
    if stderr_lost():  # what planlint had to say did not reach anyone
        code = ExitCode.ERROR
    os._exit(code)
