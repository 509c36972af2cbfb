"""``planlint lint``: the gate. Options into a request, the library's gate, the reports, exit 0, 1 or 2."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planlint.cli.console import show
from planlint.cli.gating import Destinations, gate_request, publish
from planlint.cli.groups import grouped
from planlint.cli.options import Aws, Policy, Reporting, RuleSources
from planlint.cli.template_options import Templates


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
    from planlint.gate import run

    request = gate_request(
        ctx, paths or [], policy, sources, destinations, aws, templates, pages_from_dir=pages_from_dir
    )
    report = run(request)
    publish(report, list(request.targets), reporting)
    raise typer.Exit(report.exit_code)


def _show_config(sources: RuleSources, policy: Policy) -> None:
    """The effective configuration on stdout, then exit 0; 2, and nothing shown, for a configuration
    that ``lint`` would refuse (judged by the same ``prepare``), one line per problem."""
    from planlint.config import show as config_show
    from planlint.config import tables as configuration
    from planlint.engine.setup import RulesNotLoaded, prepare

    overrides = {k: v for k, v in policy.overrides.items() if v is not None}
    config = configuration.merged(sources.config(), overrides)
    ready, _ = prepare(config, sources.directories)
    if ready.errors:  # a rule that cannot be loaded: lint would run the others and exit 2
        raise RulesNotLoaded(ready.errors)
    show(config_show.render(config, overrides))
    raise typer.Exit(0)
