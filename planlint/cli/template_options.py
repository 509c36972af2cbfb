"""The product's templates on the command line: what a plan does not say — the policies
CloudFormation will apply — and the lines findings point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from planlint.cli.options import Aws
    from planlint.gate import TemplateSources


@dataclass(frozen=True)
class Templates:
    """``--template``/``--previous-template``: for every plan of the run, over the configuration's
    templates by product."""

    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            metavar="FILE",
            help="The product's CloudFormation template as it will be (YAML or JSON), for every plan (not change sets).",
        ),
    ] = None
    previous_template: Annotated[
        Optional[Path],
        typer.Option(
            "--previous-template",
            metavar="FILE",
            help="The template as it is deployed now: what a removal's DeletionPolicy is.",
        ),
    ] = None
    fetch: Annotated[
        bool,
        typer.Option(
            "--fetch-templates",
            help="With --plan-id: fetch each plan's deployed and new templates from AWS (saved by --save-dir).",
        ),
    ] = False

    def check(self, aws: Aws) -> str | None:
        """What is wrong with these options together, or None."""
        if self.fetch and (self.template or self.previous_template):
            return "give --fetch-templates or template files (--template, --previous-template), not both"
        if self.fetch and not (aws.plan_ids or aws.products or aws.every_plan):
            return "--fetch-templates fetches the templates of the plans fetched: give --plan-id"
        return None

    def sources(self) -> TemplateSources:
        from planlint.gate import TemplateSources

        return TemplateSources(new=self.template, previous=self.previous_template, fetch=self.fetch)
