"""``planlint fetch``: save plans from AWS as documents ``planlint lint`` reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from planlint.cli.console import fail, say
from planlint.cli.groups import grouped
from planlint.cli.options import Aws
from planlint.report import ExitCode


@grouped
def fetch(
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Save the one fetched plan to FILE.")
    ] = None,
    *,
    aws: Aws,
) -> None:
    """Fetch plans from AWS and save each as one complete JSON document that `planlint lint` reads."""
    if not aws.wanted:
        raise fail("nothing to fetch: give --plan-id, --provisioned-product or --all-plans")
    if (output is None) == (aws.save_dir is None):
        raise fail("say where to save: --output FILE for one plan, or --save-dir DIR")
    if output is not None and (aws.products or aws.every_plan or len(aws.plan_ids or []) != 1):
        raise fail("--output takes exactly one --plan-id; use --save-dir DIR for several plans")
    documents, errors = aws.fetch(save_as=(lambda plan_id: output) if output is not None else None)
    for error in errors:
        say(f"error: {error}")
    for saved in documents:
        document = json.loads(saved.text)
        plan_id = document["ProvisionedProductPlanDetails"]["PlanId"]
        say(f"saved plan {plan_id} ({len(document.get('ResourceChanges') or [])} changes) to {saved.name}", prefix="")
    raise typer.Exit(ExitCode.ERROR if errors else ExitCode.OK)
