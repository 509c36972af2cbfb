"""The command line's option groups: where rules come from, the policy, the reports, and AWS.

Each group is a dataclass of ``Annotated`` typer options (see ``planlint.cli.groups``); a command
takes the groups it needs, and the groups turn their values into what the library takes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from planlint.aws.request import DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_REQUEST_TIMEOUT, DEFAULT_TIMEOUT, FetchRequest
from planlint.model.findings import FailOn
from planlint.support import bounds

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from planlint.config.tables import Config
    from planlint.engine.setup import Setup
    from planlint.read.load import Document, LoadError
    from planlint.report.result import RenderOptions


def within(bound: bounds.Bound) -> dict[str, Any]:
    """The ``typer.Option`` arguments that keep a number within ``bound`` — NaN included, which an
    older click lets through a range: it is refused in the words a newer one uses."""

    def not_nan(value: float | None) -> float | None:
        if value is not None and value != value:
            raise typer.BadParameter(f"{value} is not in the range x<={bound.high:g}")
        return value

    return {"min": bound.low, "max": bound.high, "callback": not_nan}


def split(values: Optional[list[str]]) -> list[str]:
    """``--select a,b --select c`` → ``[a, b, c]``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class RuleSources:
    """The configuration file and extra rule directories: what ``lint``, ``rules`` and ``explain`` read."""

    config_file: Annotated[
        Optional[Path],
        typer.Option(
            "--config", metavar="FILE", help="Use this planlint.toml (or pyproject.toml) instead of searching for one."
        ),
    ] = None
    rule_dirs: Annotated[
        Optional[list[Path]],
        typer.Option("--rules", metavar="DIR", help="A directory of extra rule modules (repeatable)."),
    ] = None

    @property
    def directories(self) -> list[Path]:
        return list(self.rule_dirs or [])

    def config(self) -> Config:
        """The configuration named by --config, or found from the working directory upwards."""
        from planlint.config import files as config_files

        return config_files.load(self.config_file if self.config_file is not None else config_files.find())

    def setup(self) -> tuple[Config, Setup]:
        """The configuration and the rules it chooses; raises ``SetupError``."""
        from planlint.engine.setup import setup

        config = self.config()
        return config, setup(config, self.directories)


@dataclass(frozen=True)
class Policy:
    """Which rules run and what fails the gate; each overrides the configuration."""

    select: Annotated[
        Optional[list[str]],
        typer.Option(
            "--select", metavar="RULES", help="Rules to run: codes, names or tags, comma-separated (default ALL)."
        ),
    ] = None
    ignore: Annotated[
        Optional[list[str]],
        typer.Option("--ignore", metavar="RULES", help="Rules not to run: codes, names or tags, comma-separated."),
    ] = None
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity [default: error]."),
    ] = None
    today: Annotated[
        Optional[datetime],
        typer.Option(
            "--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="The date waivers expire against (UTC)."
        ),
    ] = None
    rule_timeout: Annotated[
        Optional[float],
        typer.Option(
            "--rule-timeout",
            metavar="SECONDS",
            **within(bounds.RULE_TIMEOUT),
            help="Stop a rule that takes longer on one plan [default: 30].",
        ),
    ] = None
    max_file_size: Annotated[
        Optional[float],
        typer.Option(
            "--max-file-size",
            metavar="MIB",
            **within(bounds.MAX_FILE_SIZE),
            help="Refuse plan files larger than this [default: 256].",
        ),
    ] = None

    @property
    def overrides(self) -> dict[str, Any]:
        """The configuration keys these options set (None: keep the configured value)."""
        return {
            "select": split(self.select) or None,
            "ignore": split(self.ignore) or None,
            "fail_on": self.fail_on,
            "rule_timeout": self.rule_timeout,
            "max_file_size": self.max_file_size,
        }

    @property
    def day(self) -> date | None:
        return self.today.date() if self.today else None


class Color(str, Enum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True)
class Reporting:
    """How the reports are made (``--format``/``--output`` say which go where)."""

    source_root: Annotated[
        Optional[Path],
        typer.Option(
            "--source-root",
            metavar="DIR",
            help="Paths in SARIF and annotations are relative to DIR (default: the git root).",
        ),
    ] = None
    sarif_category: Annotated[
        Optional[str],
        typer.Option("--sarif-category", metavar="ID", help="SARIF automationDetails.id, to tell analyses apart."),
    ] = None
    sarif_waived: Annotated[
        bool, typer.Option("--sarif-include-waived", help="Put waived findings in SARIF, as suppressed results.")
    ] = False
    color: Annotated[Color, typer.Option("--color", help="Colour the text report on stdout.")] = Color.AUTO
    statistics: Annotated[
        bool, typer.Option("--statistics", help="After the report, how many findings each rule made.")
    ] = False

    def render_options(self) -> RenderOptions:
        """May raise ``LocationError`` (no source root to be found)."""
        from planlint.report.locations import repository_root
        from planlint.report.result import RenderOptions

        return RenderOptions(
            color=self._use_color(),
            source_root=self.source_root or repository_root(),
            sarif_category=self.sarif_category,
            sarif_waived=self.sarif_waived,
        )

    def _use_color(self) -> bool:
        """--color, then NO_COLOR (no-color.org), then FORCE_COLOR (force-color.org), then whether stdout
        is a terminal; either variable counts when set to anything but the empty string."""
        if self.color is not Color.AUTO:
            return self.color is Color.ALWAYS
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return sys.stdout is not None and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


@dataclass(frozen=True)
class Aws:
    """Plans fetched from AWS, shared by ``lint`` and ``fetch``."""

    plan_ids: Annotated[
        Optional[list[str]],
        typer.Option("--plan-id", metavar="ID", help="Fetch this plan from AWS (repeatable)."),
    ] = None
    products: Annotated[
        Optional[list[str]],
        typer.Option(
            "--provisioned-product", metavar="ID-OR-NAME", help="Fetch every plan of this provisioned product."
        ),
    ] = None
    every_plan: Annotated[
        bool, typer.Option("--all-plans", help="Fetch every plan the caller can see in the account.")
    ] = False
    change_sets: Annotated[
        Optional[list[str]],
        typer.Option(
            "--change-set",
            metavar="ARN-OR-NAME",
            help="Fetch this CloudFormation change set and its nested change sets (repeatable; a name needs --stack).",
        ),
    ] = None
    stack: Annotated[
        Optional[str], typer.Option("--stack", metavar="NAME", help="The stack of the change sets given by name.")
    ] = None
    save_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--save-dir",
            metavar="DIR",
            help="Save each fetched plan as DIR/PLAN-ID.json, each change set as DIR/NAME-ID.json.",
        ),
    ] = None
    profile: Annotated[Optional[str], typer.Option("--profile", help="The AWS profile to use.")] = None
    region: Annotated[Optional[str], typer.Option("--region", help="The AWS region to use.")] = None
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Do not wait for plans still being created.")] = False
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            **within(bounds.TIMEOUT),
            help="The most the whole fetch may take, waiting for plans being created included.",
        ),
    ] = DEFAULT_TIMEOUT
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            metavar="SECONDS",
            **within(bounds.REQUEST_TIMEOUT),
            help="The most one request to AWS may take, retries included.",
        ),
    ] = DEFAULT_REQUEST_TIMEOUT
    poll_interval: Annotated[
        float,
        typer.Option(
            "--poll-interval",
            metavar="SECONDS",
            **within(bounds.POLL_INTERVAL),
            help="First wait between polls of a plan being created.",
        ),
    ] = DEFAULT_INTERVAL
    jobs: Annotated[int, typer.Option("--jobs", **within(bounds.JOBS), help="How many requests to AWS at once.")] = (
        DEFAULT_JOBS
    )
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress on stderr while fetching, waiting or executing."),
    ] = False

    def request(self, public_parameters: Sequence[str] = ()) -> FetchRequest:
        return FetchRequest(
            plan_ids=self.plan_ids or [],
            provisioned_products=self.products or [],
            every_plan=self.every_plan,
            change_sets=self.change_sets or [],
            stack=self.stack,
            profile=self.profile,
            region=self.region,
            jobs=self.jobs,
            wait=not self.no_wait,
            timeout=self.timeout,
            request_timeout=self.request_timeout,
            interval=self.poll_interval,
            public_parameters=public_parameters,
        )

    @property
    def wanted(self) -> bool:
        return self.request().wanted

    def fetch(
        self,
        public_parameters: Sequence[str] = (),
        save_as: Callable[[str], Path] | None = None,
        only_one: bool = False,
    ) -> tuple[list[Document], list[LoadError]]:
        """Fetch (and save: to ``save_as(name)``, else into ``--save-dir``) what was asked for, and
        what could not be. ``only_one``: one file is all there is to save to."""
        from planlint.gate import fetch, saved_in

        if save_as is None and self.save_dir is not None:
            save_as = saved_in(self.save_dir)
        return fetch(self.request(public_parameters), save_as, only_one=only_one, progress=not self.quiet)
