"""The product's templates on the command line: what a plan does not say — the policies
CloudFormation will apply — and the lines findings point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from planlint.config import Config
    from planlint.declared import TemplateFiles


@dataclass(frozen=True)
class Templates:
    """``--template``/``--previous-template``: for every plan of the run, over the configuration's
    templates by product."""

    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            metavar="FILE",
            help="The product's CloudFormation template as it will be (YAML or JSON), for every plan.",
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

    def files(self, config: Config) -> TemplateFiles:
        from planlint.declared import TemplateFiles

        return TemplateFiles(
            new=str(self.template) if self.template else None,
            previous=str(self.previous_template) if self.previous_template else None,
            by_product=tuple(config.templates),
        )
