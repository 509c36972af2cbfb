"""``planlint execute``: fetch a plan, lint it, and execute it only when the gate is clean.

Exit 0: the gate passed and the execution succeeded (or, with ``--dry-run``, would be asked for);
1: policy said no, and nothing was executed; 2: planlint could not do its job — nothing executed —
or the execution failed, in a line quoting the record's errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from planlint.cli.console import fail, say
from planlint.cli.gating import Destinations, gate_request, publish
from planlint.cli.groups import grouped
from planlint.cli.options import Aws, Policy, Reporting, RuleSources, within
from planlint.cli.template_options import Templates
from planlint.model.findings import FailOn
from planlint.support import bounds
from planlint.support.exits import ExitCode

DEFAULT_EXECUTE_TIMEOUT = 3600.0  # planlint.aws.execute's, here without importing boto3


@grouped
def execute(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and lint, and say what would be executed; execute nothing.")
    ] = False,
    execute_timeout: Annotated[
        float,
        typer.Option(
            "--execute-timeout",
            metavar="SECONDS",
            **within(bounds.EXECUTE_TIMEOUT),
            help="The most the execution may take: the final check, the execution and following its record.",
        ),
    ] = DEFAULT_EXECUTE_TIMEOUT,
    *,
    policy: Policy,
    sources: RuleSources,
    destinations: Destinations,
    reporting: Reporting,
    aws: Aws,
    templates: Templates,
) -> None:
    """Fetch a plan, lint it, and execute it only when the gate is clean; follow the execution to its end.

    Exit 0 when it passed and was executed, 1 when policy said no (nothing executed), 2 when planlint
    could not do its job or the execution failed."""
    from planlint.config import tables as configuration

    if len(aws.plan_ids or []) != 1 or aws.products or aws.every_plan or aws.change_sets:
        raise fail(
            "planlint execute takes exactly one --plan-id, and no --provisioned-product, --all-plans or --change-set"
        )
    config = configuration.merged(sources.config(), policy.overrides)
    if config.fail_on is FailOn.NEVER:
        raise fail(
            f"{config.where('fail_on')}: planlint execute needs a gate, and fail-on is never: "
            "nothing would stop the plan; set --fail-on"
        )
    from planlint.gate import check

    request = gate_request(ctx, [], policy, sources, destinations, aws, templates, config)
    gated = check(request)
    report, documents = gated.report, gated.documents
    publish(report, list(request.targets), reporting)
    plan_id = (aws.plan_ids or [""])[0]
    if report.exit_code is not ExitCode.OK or len(documents) != 1 or len(report.results) != 1:
        why = "policy said no" if report.exit_code is ExitCode.FINDINGS else "the plan could not be checked"
        say(f"plan {plan_id} not executed: {why}")
        raise typer.Exit(report.exit_code if report.exit_code is not ExitCode.OK else ExitCode.ERROR)
    plan = report.results[0].plan
    from planlint.report.result import plural

    what = f"plan {plan_id} ({plan.label}, {plural(len(plan.changes), 'change')})"
    if dry_run:
        say(f"dry run: the gate passed; would execute {what}; nothing executed")
        raise typer.Exit(ExitCode.OK)
    _execute(documents[0].value, what, aws, execute_timeout, config.fail_on, config.public_parameters)


def _execute(
    linted: dict[str, Any], what: str, aws: Aws, timeout: float, fail_on: FailOn, public: Sequence[str]
) -> None:
    from planlint.aws.execute import execute as run
    from planlint.support import progress

    say(f"executing {what}: the gate passed at --fail-on {fail_on.value}")
    with progress.showing(progress.for_stderr(aws.quiet, "executing")):
        outcome = run(
            linted,
            profile=aws.profile,
            region=aws.region,
            public=public,
            timeout=timeout,
            interval=aws.poll_interval,
            request_timeout=aws.request_timeout,
        )
    if not outcome.succeeded:
        errors = "; ".join(outcome.errors) or "no errors given"
        raise fail(f"{what}: the execution ended {outcome.status} (record {outcome.record_id}): {errors}")
    say(f"executed {what}: record {outcome.record_id} SUCCEEDED")
    raise typer.Exit(ExitCode.OK)
