"""The gate on the command line, for ``lint`` and ``execute``: the options turned into one
``GateRequest``, and the report out — problems on stderr, every report written, the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand

from planlint.cli.console import fail, say, show
from planlint.report.delivery import Format

if TYPE_CHECKING:
    from planlint.cli.options import Aws, Policy, Reporting, RuleSources
    from planlint.cli.template_options import Templates
    from planlint.config.tables import Config
    from planlint.gate import GateRequest
    from planlint.report.delivery import Target
    from planlint.report.result import Report

MAX_PRINTED_LINES = 20  # of what one rule printed on one plan, shown on stderr

_ORDER = "planlint.format-output-order"


class LintCommand(TyperCommand):
    """Records the order in which click's parser met ``--format`` and ``--output``: they pair up by it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context, or typer's own copy of it
        _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        ctx.meta[_ORDER] = [p.name.removesuffix("s") for p in order if p.name in ("formats", "outputs") and p.name]
        return super().parse_args(ctx, args)


@dataclass(frozen=True)
class Destinations:
    """Which reports to write and where: each ``--output`` belongs to the ``--format`` before it."""

    formats: Annotated[
        Optional[list[Format]],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, json, sarif, junit, github, markdown or gitlab (repeatable); the --output after it says where, "
            "else stdout.",
        ),
    ] = None
    outputs: Annotated[
        Optional[list[str]],
        typer.Option("--output", "-o", metavar="FILE", help="Write the --format before it to FILE (atomically)."),
    ] = None

    def targets(self, ctx: typer.Context) -> list[Target]:
        """In command-line order; the text report on stdout unless another format goes there.
        Raises ``TargetError``."""
        from planlint.report.delivery import Target, pair_targets

        targets = pair_targets(self.formats or [], self.outputs or [], ctx.meta.get(_ORDER, []))
        if not any(t.path is None for t in targets):
            targets.append(Target(Format.TEXT, None))
        return targets


def gate_request(
    ctx: typer.Context,
    paths: list[str],
    policy: Policy,
    sources: RuleSources,
    destinations: Destinations,
    aws: Aws,
    templates: Templates,
    config: Config | None = None,
    *,
    pages_from_dir: bool = False,
) -> GateRequest:
    """The gate's request from the command line's options. ``config``: the configuration with the
    options over it, when the caller has read it already. A usage problem is one line and exit 2."""
    from planlint.config import tables as configuration
    from planlint.gate import GateRequest

    if not paths and not aws.wanted:
        raise fail(
            "no plan given: name a saved plan or change set file, a directory or - for stdin, "
            "or fetch one with --plan-id or --change-set"
        )
    problem = templates.check(aws)
    if problem:
        raise fail(problem)
    targets = destinations.targets(ctx)
    return GateRequest(
        paths=paths,
        config=config or configuration.merged(sources.config(), policy.overrides),
        rule_dirs=sources.directories,
        today=policy.day,
        pages_from_dir=pages_from_dir,
        fetch=aws.request() if aws.wanted else None,
        save_dir=aws.save_dir,
        templates=templates.sources(),
        targets=targets,
        progress=not aws.quiet,
    )


def publish(report: Report, targets: list[Target], reporting: Reporting) -> None:
    """Problems on stderr, then every report written, then the statistics if asked for."""
    _say_problems(report)
    _write(targets, report, reporting)
    if reporting.statistics:
        _statistics(report, text_on_stdout=any(t.path is None and t.format is Format.TEXT for t in targets))


def _say_problems(report: Report) -> None:
    """Unreadable inputs, failed rules, and what rules printed: on stderr, whatever the formats."""
    for error in report.input_errors:
        say(f"error: {error}")
    for rule_error in report.rule_errors:
        say(f"error: {rule_error}")
    for result in report.results:
        for name, printed in result.output:
            for line in printed.splitlines()[:MAX_PRINTED_LINES]:
                say(f"rule {name} printed: {line}")


def _write(targets: list[Target], report: Report, reporting: Reporting) -> None:
    """Render every report, write the files, then stdout; a failure is one line and exit 2."""
    from planlint.report.delivery import deliver, write_stdout

    stdout = deliver(targets, report, reporting.render_options())
    try:
        write_stdout(stdout)
    except OSError as exc:
        raise fail(f"cannot write the report to stdout: {exc.strerror or exc}") from None


def _statistics(report: Report, text_on_stdout: bool) -> None:
    """After the text report on stdout; on stderr when stdout carries another format."""
    from planlint.report import statistics

    table = statistics.render(report)
    if text_on_stdout:
        show("\n" + table)
    else:
        for line in table.splitlines():
            say(line, prefix="")
