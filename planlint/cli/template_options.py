"""The product's templates on the command line: what a plan does not say — the policies
CloudFormation will apply — and the lines findings point at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from planlint.cli.options import Aws
    from planlint.config.tables import Config
    from planlint.read.declare import TemplateFiles
    from planlint.read.declare import Templates as Chosen
    from planlint.read.load import Document, LoadError
    from planlint.read.template import Template


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

    def files(self, config: Config, fetched: dict[str, Chosen] | None = None) -> TemplateFiles:
        from planlint.read.declare import TemplateFiles

        return TemplateFiles(
            new=str(self.template) if self.template else None,
            previous=str(self.previous_template) if self.previous_template else None,
            by_product=tuple(config.templates),
            by_plan=fetched or {},
        )

    def fetched(self, documents: list[Document], aws: Aws) -> tuple[dict[str, Chosen], list[LoadError]]:
        """With --fetch-templates, the templates of each fetched plan (saved into --save-dir, if given)."""
        if not self.fetch:
            return {}, []
        from planlint.aws.templates import fetch_all
        from planlint.read.declare import Templates as Chosen
        from planlint.read.load import LoadError
        from planlint.support import progress

        plans = [d for d in (json.loads(doc.text) for doc in documents) if "ProvisionedProductPlanDetails" in d]
        with progress.showing(progress.for_stderr(aws.quiet, "fetching templates")):
            got, failures = fetch_all(plans, aws.profile, aws.region, aws.timeout, aws.request_timeout)
        errors = [LoadError(e.subject, "", e.problem) for e in failures]
        chosen = {}
        for templates in got:
            new = _kept(templates.new, templates.plan_id, "template", aws.save_dir, errors)
            previous = _kept(templates.previous, templates.plan_id, "previous-template", aws.save_dir, errors)
            chosen[templates.plan_id] = Chosen(new, previous)
        return chosen, errors


def _kept(text: str | None, plan_id: str, kind: str, save_dir: Path | None, errors: list[LoadError]) -> Template | None:
    """The fetched template, saved as DIR/PLAN-ID.KIND.yaml (or .json) with --save-dir, and parsed."""
    from planlint.read.load import LoadError
    from planlint.read.template import TemplateError, parse
    from planlint.support.files import write_atomic

    if text is None:
        return None
    name, origin = f"<aws {kind} of plan {plan_id}>", "fetched"
    if save_dir is not None:
        name, origin = str(save_dir / f"{plan_id}.{kind}.{'json' if text.lstrip().startswith('{') else 'yaml'}"), "file"
        try:
            write_atomic(name, text)
        except OSError as exc:
            errors.append(LoadError(name, "", f"cannot save the fetched {kind}: {exc.strerror or exc}"))
            return None
    try:
        return parse(text, name, origin)
    except TemplateError as exc:
        errors.append(LoadError(exc.path, f"line {exc.line}" if exc.line else "", exc.problem))
        return None
