"""``planlint lint``: the gate. Load, lint, report, exit 0, 1 or 2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand

from planlint.cli.console import fail, say, show
from planlint.cli.groups import grouped
from planlint.cli.options import Aws, Policy, Reporting, RuleSources, setup_failed
from planlint.cli.template_options import Templates
from planlint.report.delivery import Format

if TYPE_CHECKING:
    from planlint.config.tables import Config
    from planlint.read.load import Document
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
        """In command-line order; the text report on stdout unless another format goes there."""
        from planlint.report.delivery import Target, TargetError, pair_targets

        try:
            targets = pair_targets(self.formats or [], self.outputs or [], ctx.meta.get(_ORDER, []))
        except TargetError as exc:
            raise fail(str(exc)) from None
        if not any(t.path is None for t in targets):
            targets.append(Target(Format.TEXT, None))
        return targets


@grouped
def lint(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="PLAN",
            help="Saved DescribeProvisionedProductPlan or DescribeChangeSet responses: files, directories, or - for stdin.",
        ),
    ] = None,
    pages_from_dir: Annotated[
        bool,
        typer.Option(
            "--pages-from-dir",
            help="Read each PLAN file's other pages (same PlanId or change set) from the *.json files beside it; "
            "for a pre-commit hook, which names only the files a commit touches.",
        ),
    ] = False,
    show_config: Annotated[
        bool,
        typer.Option(
            "--show-config",
            help="Print the configuration this run would use, and where each value came from; lint nothing.",
        ),
    ] = False,
    *,
    policy: Policy,
    sources: RuleSources,
    destinations: Destinations,
    reporting: Reporting,
    aws: Aws,
    templates: Templates,
) -> None:
    """Lint saved plans. Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 when planlint could not do its job."""
    if show_config:
        _show_config(sources, policy)
    report, _ = gate(
        ctx, paths or [], policy, sources, destinations, reporting, aws, templates, pages_from_dir=pages_from_dir
    )
    raise typer.Exit(report.exit_code)


def gate(
    ctx: typer.Context,
    paths: list[str],
    policy: Policy,
    sources: RuleSources,
    destinations: Destinations,
    reporting: Reporting,
    aws: Aws,
    templates: Templates,
    config: Config | None = None,
    *,
    pages_from_dir: bool = False,
) -> tuple[Report, list[Document]]:
    """Fetch, lint and write every report (problems said on stderr); the report and the fetched
    documents. ``config``: the configuration with the options over it, when the caller has read it
    already. A usage or set-up problem is one line and exit 2 (``typer.Exit``)."""
    from planlint.config import tables as configuration
    from planlint.gate import SetupError
    from planlint.gate import lint as run_lint
    from planlint.report.delivery import TargetError, check_targets

    if not paths and not aws.wanted:
        raise fail(
            "no plan given: name a saved plan or change set file, a directory or - for stdin, "
            "or fetch one with --plan-id or --change-set"
        )
    problem = templates.check(aws)
    if problem:
        raise fail(problem)
    targets = destinations.targets(ctx)
    config = config or configuration.merged(sources.config(), policy.overrides)
    try:
        read = [str(t) for t in (templates.template, templates.previous_template) if t]
        check_targets(targets, paths, config.files, [*config.rule_directories(), *sources.directories], read)
    except TargetError as exc:
        raise fail(str(exc)) from None
    documents, fetch_errors = aws.fetch(config.public_parameters) if aws.wanted else ([], [])
    try:
        check_targets(targets, [], [], saved=[d.name for d in documents if d.origin == "file"])
    except TargetError as exc:
        raise fail(str(exc)) from None
    fetched, template_errors = templates.fetched(documents, aws)
    try:
        report = run_lint(
            paths,
            config=config,
            rule_dirs=sources.directories,
            today=policy.day,
            documents=documents,
            fetch_errors=[*fetch_errors, *template_errors],
            templates=templates.files(config, fetched),
            pages_from_dir=pages_from_dir,
        )
    except SetupError as exc:
        raise setup_failed(exc) from None
    _say_problems(report)
    _write(targets, report, reporting)
    if reporting.statistics:
        _statistics(report, text_on_stdout=any(t.path is None and t.format is Format.TEXT for t in targets))
    return report, documents


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
    from planlint.report.locations import LocationError

    try:
        stdout = deliver(targets, report, reporting.render_options())
    except LocationError as exc:
        raise fail(f"cannot write a report that points at files: {exc}") from None
    except OSError as exc:
        raise fail(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    try:
        write_stdout(stdout)
    except OSError as exc:
        raise fail(f"cannot write the report to stdout: {exc.strerror or exc}") from None


def _show_config(sources: RuleSources, policy: Policy) -> None:
    """The effective configuration on stdout, then exit 0; 2, and nothing shown, for a configuration
    that ``lint`` would refuse (judged by the same ``prepare``), one line per problem."""
    from planlint.config import show as config_show
    from planlint.config import tables as configuration
    from planlint.gate import SetupError, prepare

    overrides = {k: v for k, v in policy.overrides.items() if v is not None}
    config = configuration.merged(sources.config(), overrides)
    try:
        ready, _ = prepare(config, sources.directories)
    except SetupError as exc:
        raise setup_failed(exc) from None
    if ready.errors:  # a rule that cannot be loaded: lint would run the others and exit 2
        raise setup_failed(SetupError([str(e) for e in ready.errors]))
    show(config_show.render(config, overrides))
    raise typer.Exit(0)


def _statistics(report: Report, text_on_stdout: bool) -> None:
    """After the text report on stdout; on stderr when stdout carries another format."""
    from planlint.report import statistics

    table = statistics.render(report)
    if text_on_stdout:
        show("\n" + table)
    else:
        for line in table.splitlines():
            say(line, prefix="")
