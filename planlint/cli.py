"""The command line: parse, call, print, map to an exit code. Nothing else lives here."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand

from planlint import __version__
from planlint.findings import FailOn
from planlint.outputs import Format
from planlint.report import ExitCode
from planlint.request import DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_TIMEOUT, FetchRequest
from planlint.safetext import clean, clean_lines

if TYPE_CHECKING:
    from planlint.config import Config
    from planlint.lint import Setup
    from planlint.load import Document, LoadError

MAX_PRINTED_LINES = 20  # of what one rule printed on one plan, shown on stderr

app = typer.Typer(
    name="planlint",
    help="Policy-as-code checks on AWS Service Catalog provisioned product plans, before they run.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Color(str, Enum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


def _split(values: Optional[list[str]]) -> list[str]:
    """``--select a,b --select c`` → ``[a, b, c]``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _use_color(choice: Color) -> bool:
    if choice is Color.ALWAYS:
        return True
    if choice is Color.NEVER or "NO_COLOR" in os.environ:
        return False
    return sys.stdout is not None and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def say(message: str, prefix: str = "planlint: ") -> None:
    """One line on stderr, every character from outside made harmless for a terminal."""
    typer.echo(clean(f"{prefix}{message}"), err=True)


def _print(text: str) -> None:
    """Text with parts from rule packs (names, docs, paths) on stdout, safe for a terminal and a CI log."""
    from planlint.outputs import for_actions_log, write_stdout

    write_stdout(for_actions_log(clean_lines(text)))


def _fail(message: str) -> typer.Exit:
    say(f"error: {message}")
    return typer.Exit(ExitCode.ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planlint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Policy-as-code checks on AWS Service Catalog provisioned product plans, before they run."""


# Options for plans fetched from AWS, shared by `lint` and `fetch`.
PlanIds = Annotated[
    Optional[list[str]], typer.Option("--plan-id", metavar="ID", help="Fetch this plan from AWS (repeatable).")
]
Products = Annotated[
    Optional[list[str]],
    typer.Option("--provisioned-product", metavar="ID-OR-NAME", help="Fetch every plan of this provisioned product."),
]
AllPlans = Annotated[bool, typer.Option("--all-plans", help="Fetch every plan the caller can see in the account.")]
Profile = Annotated[Optional[str], typer.Option("--profile", help="The AWS profile to use.")]
Region = Annotated[Optional[str], typer.Option("--region", help="The AWS region to use.")]
NoWait = Annotated[bool, typer.Option("--no-wait", help="Do not wait for plans still being created.")]
Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="The most the whole fetch may take, waiting for plans being created included.",
    ),
]
Jobs = Annotated[int, typer.Option("--jobs", min=1, max=64, help="How many plans to fetch at once.")]
Interval = Annotated[
    float,
    typer.Option(
        "--poll-interval", metavar="SECONDS", min=0.0, help="First wait between polls of a plan being created."
    ),
]
SaveDir = Annotated[
    Optional[Path], typer.Option("--save-dir", metavar="DIR", help="Save each fetched plan as DIR/PLAN-ID.json.")
]


def _request(
    plan_ids: Optional[list[str]],
    products: Optional[list[str]],
    every_plan: bool,
    profile: Optional[str],
    region: Optional[str],
    no_wait: bool,
    timeout: float,
    interval: float,
    jobs: int,
    public_parameters: Sequence[str] = (),
) -> FetchRequest:
    """The AWS options of ``lint`` and ``fetch`` as one request."""
    return FetchRequest(
        plan_ids=plan_ids or [],
        provisioned_products=products or [],
        every_plan=every_plan,
        profile=profile,
        region=region,
        jobs=jobs,
        wait=not no_wait,
        timeout=timeout,
        interval=interval,
        public_parameters=public_parameters,
    )


def _fetch(request: FetchRequest, save_as: Optional[Callable[[str], Path]]) -> tuple[list[Document], list[LoadError]]:
    """Fetch (and save) what the request asks for; failures become LoadErrors, reported like
    unreadable files."""
    from planlint import aws
    from planlint.load import LoadError

    documents, failures = aws.fetch_and_save(request, save_as)
    return documents, [LoadError(e.subject, "", e.problem) for e in failures]


def _in_dir(directory: Optional[Path]) -> Optional[Callable[[str], Path]]:
    return (lambda plan_id: directory / f"{plan_id}.json") if directory is not None else None


_PAIRED = {"formats": "format", "outputs": "output"}
_ORDER = "planlint.format-output-order"


class _LintCommand(TyperCommand):
    """Keeps the order in which click's parser met ``--format`` and ``--output``: they pair up by it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        values, _, order = self.make_parser(ctx).parse_args(args=list(args))
        pending = {name: list(values.get(name) or []) for name in _PAIRED}
        ctx.meta[_ORDER] = [(_PAIRED[p.name], pending[p.name].pop(0)) for p in order if p.name in _PAIRED]
        return super().parse_args(ctx, args)


@app.command(cls=_LintCommand)
def lint(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="PLAN", help="Saved DescribeProvisionedProductPlan responses: files, directories, or - for stdin."
        ),
    ] = None,
    select: Annotated[
        Optional[list[str]],
        typer.Option(
            "--select", metavar="RULES", help="Rules to run: codes, names or tags, comma-separated (default ALL)."
        ),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option("--ignore", metavar="RULES", help="Rules not to run: codes, names or tags, comma-separated."),
    ] = None,
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity [default: error]."),
    ] = None,
    config_file: Annotated[
        Optional[Path],
        typer.Option(
            "--config", metavar="FILE", help="Use this planlint.toml (or pyproject.toml) instead of searching for one."
        ),
    ] = None,
    today: Annotated[
        Optional[datetime],
        typer.Option(
            "--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="The date waivers expire against (UTC)."
        ),
    ] = None,
    rules: Annotated[
        Optional[list[Path]],
        typer.Option("--rules", metavar="DIR", help="A directory of extra rule modules (repeatable)."),
    ] = None,
    formats: Annotated[
        Optional[list[Format]],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, json, sarif, junit, github or markdown (repeatable); the --output after it says where, "
            "else stdout.",
        ),
    ] = None,
    outputs: Annotated[
        Optional[list[str]],
        typer.Option("--output", "-o", metavar="FILE", help="Write the --format before it to FILE (atomically)."),
    ] = None,
    source_root: Annotated[
        Optional[Path],
        typer.Option(
            "--source-root",
            metavar="DIR",
            help="Paths in SARIF and annotations are relative to DIR (default: the git root).",
        ),
    ] = None,
    sarif_category: Annotated[
        Optional[str],
        typer.Option("--sarif-category", metavar="ID", help="SARIF automationDetails.id, to tell analyses apart."),
    ] = None,
    sarif_waived: Annotated[
        bool, typer.Option("--sarif-include-waived", help="Put waived findings in SARIF, as suppressed results.")
    ] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the text report on stdout.")] = Color.AUTO,
    rule_timeout: Annotated[
        Optional[float],
        typer.Option(
            "--rule-timeout",
            metavar="SECONDS",
            min=0.001,
            help="Stop a rule that takes longer on one plan [default: 30].",
        ),
    ] = None,
    max_file_size: Annotated[
        Optional[float],
        typer.Option(
            "--max-file-size", metavar="MIB", min=0.0001, help="Refuse plan files larger than this [default: 256]."
        ),
    ] = None,
    plan_ids: PlanIds = None,
    products: Products = None,
    every_plan: AllPlans = False,
    profile: Profile = None,
    region: Region = None,
    no_wait: NoWait = False,
    timeout: Timeout = DEFAULT_TIMEOUT,
    poll_interval: Interval = DEFAULT_INTERVAL,
    jobs: Jobs = DEFAULT_JOBS,
    save_dir: SaveDir = None,
) -> None:
    """Lint saved plans. Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 when planlint could not do its job."""
    from planlint import config as configuration
    from planlint.lint import SetupError
    from planlint.lint import lint as run_lint
    from planlint.outputs import Target, TargetError, check_targets, deliver, pair_targets, write_stdout
    from planlint.report import RenderOptions
    from planlint.report.locations import LocationError, repository_root

    request = _request(plan_ids, products, every_plan, profile, region, no_wait, timeout, poll_interval, jobs)
    if not paths and not request.wanted:
        raise _fail("no plan given: name a saved plan file, a directory or - for stdin, or fetch one with --plan-id")
    try:
        targets = pair_targets(ctx.meta.get(_ORDER, []))
    except TargetError as exc:
        raise _fail(str(exc)) from None
    if not any(t.path is None for t in targets):
        targets.append(Target(Format.TEXT, None))
    overrides = {
        "select": _split(select) or None,
        "ignore": _split(ignore) or None,
        "fail_on": fail_on,
        "rule_timeout": rule_timeout,
        "max_file_size": max_file_size,
    }
    config = configuration.merged(_config(config_file), overrides)
    try:
        check_targets(targets, paths or [], config.path, [*config.rule_directories(), *(rules or [])])
    except TargetError as exc:
        raise _fail(str(exc)) from None
    request = replace(request, public_parameters=config.public_parameters)
    documents, fetch_errors = _fetch(request, _in_dir(save_dir)) if request.wanted else ([], [])
    try:
        report = run_lint(
            paths or [],
            config=config,
            rule_dirs=rules or [],
            today=today.date() if today else None,
            documents=documents,
            fetch_errors=fetch_errors,
        )
    except SetupError as exc:
        raise _setup_failed(exc) from None
    for error in report.input_errors:
        say(f"error: {error}")
    for rule_error in report.rule_errors:
        say(f"error: {rule_error}")
    for result in report.results:
        for name, printed in result.output:
            for line in printed.splitlines()[:MAX_PRINTED_LINES]:
                say(f"rule {name} printed: {line}")
    try:
        options = RenderOptions(
            color=_use_color(color),
            source_root=source_root or repository_root(),
            sarif_category=sarif_category,
            sarif_waived=sarif_waived,
        )
        stdout = deliver(targets, report, options)
    except LocationError as exc:
        raise _fail(f"cannot write a report that points at files: {exc}") from None
    except OSError as exc:
        raise _fail(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    try:
        write_stdout(stdout)
    except OSError as exc:
        raise _fail(f"cannot write the report to stdout: {exc.strerror or exc}") from None
    raise typer.Exit(report.exit_code)


def _config(config_file: Optional[Path]) -> Config:
    """The configuration named by --config, or found from the working directory upwards."""
    from planlint import config as configuration

    try:
        return configuration.load(config_file if config_file is not None else configuration.find())
    except configuration.ConfigError as exc:
        raise _fail(str(exc)) from None


def _setup_failed(exc: Any) -> typer.Exit:
    """Every problem that stopped a run before it started, one line each."""
    for problem in exc.problems[:-1]:
        say(f"error: {problem}")
    return _fail(exc.problems[-1])


def _setup(config_file: Optional[Path], rules: Optional[list[Path]]) -> tuple[Config, Setup]:
    from planlint.lint import SetupError, setup

    config = _config(config_file)
    try:
        return config, setup(config, rules or [])
    except SetupError as exc:
        raise _setup_failed(exc) from None


class ListFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


@app.command("rules")
def list_rules(
    output: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.TABLE,
    config_file: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Configuration file.")] = None,
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", metavar="DIR", help="Extra rule directory.")] = None,
) -> None:
    """List every rule: code, name, default and effective severity, tags, source."""
    from planlint import catalog

    _, ready = _setup(config_file, rules)
    selected = {r.code for r in ready.chosen}
    render = catalog.as_json if output is ListFormat.JSON else catalog.table
    _print(render(ready.rules, ready.severities, selected))
    for error in ready.errors:
        say(f"error: {error}")
    raise typer.Exit(ExitCode.ERROR if ready.errors else ExitCode.OK)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(metavar="RULE", help="A rule's code or name.")],
    config_file: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Configuration file.")] = None,
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", metavar="DIR", help="Extra rule directory.")] = None,
) -> None:
    """Print a rule's documentation and its options with their defaults."""
    from planlint import catalog
    from planlint.rule import did_you_mean, lookup, rule_names

    _, ready = _setup(config_file, rules)
    found = lookup(rule, ready.rules)
    if found is None:
        raise _fail(f"{rule}: no such rule" + did_you_mean(rule, rule_names(ready.rules)))
    _print(catalog.explain(found, ready.severities.get(found.code)))


@app.command()
def fetch(
    plan_ids: PlanIds = None,
    products: Products = None,
    every_plan: AllPlans = False,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Save the one fetched plan to FILE.")
    ] = None,
    save_dir: SaveDir = None,
    profile: Profile = None,
    region: Region = None,
    no_wait: NoWait = False,
    timeout: Timeout = DEFAULT_TIMEOUT,
    poll_interval: Interval = DEFAULT_INTERVAL,
    jobs: Jobs = DEFAULT_JOBS,
) -> None:
    """Fetch plans from AWS and save each as one complete JSON document that `planlint lint` reads."""
    request = _request(plan_ids, products, every_plan, profile, region, no_wait, timeout, poll_interval, jobs)
    if not request.wanted:
        raise _fail("nothing to fetch: give --plan-id, --provisioned-product or --all-plans")
    if (output is None) == (save_dir is None):
        raise _fail("say where to save: --output FILE for one plan, or --save-dir DIR")
    if output is not None and (products or every_plan or len(plan_ids or []) != 1):
        raise _fail("--output takes exactly one --plan-id; use --save-dir DIR for several plans")
    save_as = (lambda plan_id: output) if output is not None else _in_dir(save_dir)
    documents, errors = _fetch(request, save_as)
    for error in errors:
        say(f"error: {error}")
    for saved in documents:
        document = json.loads(saved.text)
        plan_id = document["ProvisionedProductPlanDetails"]["PlanId"]
        say(f"saved plan {plan_id} ({len(document.get('ResourceChanges') or [])} changes) to {saved.name}", prefix="")
    raise typer.Exit(ExitCode.ERROR if errors else ExitCode.OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report (planlint.report/1)."""
    from importlib.resources import files

    sys.stdout.write(files("planlint.report").joinpath("report.schema.json").read_text(encoding="utf-8"))


def main() -> None:
    """Console entry point: never a traceback, always one of the three exit codes.

    The process ends with ``os._exit`` once stdout and stderr are flushed, so a thread a rule
    left behind cannot keep it alive.
    """
    from planlint import interrupts

    interrupts.install()
    code: int = ExitCode.ERROR
    try:
        returned = app(prog_name="planlint", standalone_mode=False)
        code = returned if isinstance(returned, int) else ExitCode.OK
    except interrupts.Interrupted:  # said below
        pass
    except (KeyboardInterrupt, typer.Abort):
        if not interrupts.received():
            say("error: aborted")
    except BrokenPipeError:
        pass
    except SystemExit as exc:  # only code outside planlint's own paths calls sys.exit
        say(f"error: stopped by sys.exit({exc.code!r})")
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, exit 2
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):  # a usage error, said by click
            show()
        else:
            say(f"internal error: {type(exc).__name__}: {exc}")
    if interrupts.received():
        say("interrupted")
        code = ExitCode.ERROR
    if code not in (ExitCode.OK, ExitCode.FINDINGS):
        code = ExitCode.ERROR
    _exit(code)


def _exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and code != ExitCode.ERROR:
                code = ExitCode.ERROR  # the report did not reach stdout: the gate cannot pass
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.write("planlint: error: cannot write the report to stdout\n")
                    sys.stderr.flush()
    os._exit(code)
