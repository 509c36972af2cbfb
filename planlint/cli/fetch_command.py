"""``planlint fetch``: save plans from AWS as documents ``planlint lint`` reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from planlint.cli.console import fail, say
from planlint.cli.groups import grouped
from planlint.cli.options import Aws, RuleSources
from planlint.report.delivery import STDOUT, write_stdout
from planlint.support.exits import ExitCode

if TYPE_CHECKING:
    from planlint.read.load import Document


@grouped
def fetch(
    output: Annotated[
        Optional[str],
        typer.Option("--output", "-o", metavar="FILE", help="Save the one fetched plan to FILE (- for stdout)."),
    ] = None,
    config_file: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            metavar="FILE",
            help="Use this planlint.toml (or pyproject.toml) for public-parameters instead of searching for one.",
        ),
    ] = None,
    *,
    aws: Aws,
) -> None:
    """Fetch plans from AWS and save each as one complete JSON document that `planlint lint` reads:
    parameter values masked, but for those the configuration's `public-parameters` names."""
    if not aws.wanted:
        raise fail("nothing to fetch: give --plan-id, --provisioned-product, --all-plans or --change-set")
    if (output is None) == (aws.save_dir is None):
        raise fail("say where to save: --output FILE for one plan or change set, or --save-dir DIR")
    one = len(aws.plan_ids or []) + len(aws.change_sets or []) == 1 and not (aws.products or aws.every_plan)
    if output is not None and not one:
        raise fail("--output takes exactly one --plan-id or --change-set; use --save-dir DIR for several")
    public = RuleSources(config_file=config_file).config().public_parameters
    if output == STDOUT:
        documents, errors = aws.fetch(public, only_one=True)
        _to_stdout(documents)
    elif output is not None:
        given = Path(output)
        documents, errors = aws.fetch(public, save_as=lambda _: given, only_one=True)
    else:
        documents, errors = aws.fetch(public)
    for error in errors:
        say(f"error: {error}")
    for saved in documents:
        document = saved.value
        if "ProvisionedProductPlanDetails" in document:
            what, changes = (
                f"plan {document['ProvisionedProductPlanDetails']['PlanId']}",
                document.get("ResourceChanges"),
            )
        else:
            what, changes = f"change set {document.get('ChangeSetId')}", document.get("Changes")
        where = "stdout" if output == STDOUT else saved.name
        say(f"saved {what} ({len(changes or [])} changes) to {where}", prefix="")
    raise typer.Exit(ExitCode.ERROR if errors else ExitCode.OK)


def _to_stdout(documents: list[Document]) -> None:
    """The fetched document on stdout, as it would have been saved; a failure is one line and exit 2."""
    try:
        write_stdout("".join(document.text for document in documents))
    except OSError as exc:
        raise fail(f"cannot write the fetched document to stdout: {exc.strerror or exc}") from None
