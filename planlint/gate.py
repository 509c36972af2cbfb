"""The gate as one library call: what to check in, a ``Report`` out — nothing printed, no command line.

``run(GateRequest(...))`` fetches from AWS when asked (boto3 imported only then), fetches or reads
the templates, reads the plans, binds the templates, runs the rules, applies the waivers and masks
what no output may show. The command line, ``execute`` and the benchmarks call it; ``lint`` is the
shorthand for saved plans. What stops a run is a ``PlanlintError`` (``planlint.support.errors``);
an input that cannot be read — a file, a fetch, a template — is an input error in the report, and
the report's exit code says the run cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from planlint.config.tables import Config
from planlint.engine import run as engine
from planlint.engine import waivers
from planlint.engine.setup import prepare
from planlint.read.declare import TemplateFiles, Templates, declare_all
from planlint.read.load import Document, LoadError, load
from planlint.read.template import Template, TemplateError
from planlint.report.masked import mask_report
from planlint.report.result import Report

if TYPE_CHECKING:
    from planlint.aws.errors import AwsError
    from planlint.aws.request import FetchRequest
    from planlint.report.delivery import Target


@dataclass(frozen=True)
class TemplateSources:
    """Where each plan's templates come from, over the configuration's by product: files for every
    plan (``new``, ``previous``), or fetched from AWS for each fetched plan (``fetch``)."""

    new: Path | None = None
    previous: Path | None = None
    fetch: bool = False

    def files(self, config: Config, fetched: dict[str, Templates] | None = None) -> TemplateFiles:
        return TemplateFiles(
            new=str(self.new) if self.new else None,
            previous=str(self.previous) if self.previous else None,
            by_product=tuple(config.templates),
            by_plan=fetched or {},
        )


@dataclass(frozen=True)
class GateRequest:
    """One run of the gate: saved plans (``paths``, ``-`` for ``stdin``), plans to fetch (``fetch``;
    saved into ``save_dir`` when given, as ``PLAN-ID.json``), the templates, the configuration
    (default: planlint's defaults) and extra ``rule_dirs``, the day waivers expire against (default:
    today, UTC). ``targets``: where the reports will go, refused before anything is read when one
    would overwrite an input (and once fetched, a saved plan). ``progress``: show on stderr what a
    fetch is waiting for."""

    paths: Sequence[str] = ()
    config: Config | None = None
    rule_dirs: Sequence[Path] = ()
    today: date | None = None
    stdin: BinaryIO | None = None
    pages_from_dir: bool = False  # each file's plan takes its other pages from the file's directory
    fetch: FetchRequest | None = None
    save_dir: Path | None = None
    templates: TemplateSources = field(default_factory=TemplateSources)
    targets: Sequence[Target] = ()
    progress: bool = False


@dataclass(frozen=True)
class GateResult:
    """The masked report, and the documents fetched for it (what ``execute`` executes)."""

    report: Report
    documents: list[Document]


def run(request: GateRequest) -> Report:
    """The gate: the report on everything ``request`` names. Raises ``PlanlintError`` when the run
    cannot start (configuration, rules, outputs); unreadable inputs are in the report."""
    return check(request).report


def check(request: GateRequest) -> GateResult:
    """``run``, with the documents fetched."""
    config = request.config or Config.model_construct()
    if request.targets:
        from planlint.report.delivery import check_targets

        read = [str(t) for t in (request.templates.new, request.templates.previous) if t]
        rule_dirs = [*config.rule_directories(), *request.rule_dirs]
        check_targets(request.targets, request.paths, config.files, rule_dirs, read)
    documents: list[Document] = []
    unread: list[LoadError] = []
    if request.fetch is not None and request.fetch.wanted:
        asked = replace(request.fetch, public_parameters=config.public_parameters)
        save_as = saved_in(request.save_dir) if request.save_dir is not None else None
        documents, unread = fetch(asked, save_as, progress=request.progress)
        if request.targets:
            from planlint.report.delivery import check_targets

            check_targets(request.targets, [], [], saved=[d.name for d in documents if d.origin == "file"])
    fetched: dict[str, Templates] = {}
    if request.templates.fetch and request.fetch is not None:
        fetched, failed = _fetch_templates(documents, request.fetch, request.save_dir, request.progress)
        unread += failed
    report = _judge(
        request.paths,
        config,
        rule_dirs=request.rule_dirs,
        today=request.today,
        stdin=request.stdin,
        documents=documents,
        unread=unread,
        templates=request.templates.files(config, fetched),
        pages_from_dir=request.pages_from_dir,
    )
    return GateResult(report, documents)


def lint(
    sources: Iterable[str],
    *,
    config: Config | None = None,
    rule_dirs: Sequence[Path] = (),
    today: date | None = None,
    stdin: BinaryIO | None = None,
    templates: TemplateFiles | None = None,
    pages_from_dir: bool = False,
) -> Report:
    """Lint saved plans under ``config`` (defaults when None): ``run`` for files, with the templates
    given as ``TemplateFiles`` (default: the configuration's by product). Raises ``SetupError``."""
    config = config or Config.model_construct()
    return _judge(
        list(sources),
        config,
        rule_dirs=rule_dirs,
        today=today,
        stdin=stdin,
        templates=templates,
        pages_from_dir=pages_from_dir,
    )


def fetch(
    request: FetchRequest,
    save_as: Callable[[str], Path] | None = None,
    *,
    only_one: bool = False,
    progress: bool = False,
) -> tuple[list[Document], list[LoadError]]:
    """Fetch what ``request`` asks for and save each document to ``save_as(name)`` (unsaved when None);
    what could not be fetched or saved comes back as input errors, said like unreadable files.
    ``only_one``: one file is all there is to save to, so a change set with nested ones is refused."""
    from planlint.aws.fetch import fetch_and_save

    with _progress(progress, "fetching from AWS"):
        documents, failures = fetch_and_save(request, save_as, only_one=only_one)
    return documents, [unreadable(e) for e in failures]


def unreadable(exc: AwsError | TemplateError) -> LoadError:
    """An input the run could not have — a fetch that failed, a template that cannot be used — said
    like a file that cannot be read: the one place AWS and template problems become input errors."""
    if isinstance(exc, TemplateError):
        return exc.unreadable()
    return LoadError(exc.subject, "", exc.problem)


def saved_in(directory: Path) -> Callable[[str], Path]:
    """Where a fetched document named ``name`` (a plan id, a change set's name and id) is saved in ``directory``."""
    return lambda name: directory / f"{name}.json"


@contextmanager
def _progress(shown: bool, what: str) -> Iterator[None]:
    from planlint.support import progress

    with progress.showing(progress.for_stderr(not shown, what)):
        yield


def _fetch_templates(
    documents: list[Document], request: FetchRequest, save_dir: Path | None, shown: bool
) -> tuple[dict[str, Templates], list[LoadError]]:
    """The templates of each fetched plan (saved into ``save_dir``, if given), and what failed."""
    from planlint.aws.templates import fetch_all

    plans = [d.value for d in documents if isinstance(d.value, dict) and "ProvisionedProductPlanDetails" in d.value]
    with _progress(shown, "fetching templates"):
        got, failures = fetch_all(plans, request.profile, request.region, request.timeout, request.request_timeout)
    errors = [unreadable(e) for e in failures]
    chosen = {}
    for templates in got:
        new = _kept(templates.new, templates.plan_id, "template", save_dir, errors)
        previous = _kept(templates.previous, templates.plan_id, "previous-template", save_dir, errors)
        chosen[templates.plan_id] = Templates(new, previous)
    return chosen, errors


def _kept(text: str | None, plan_id: str, kind: str, save_dir: Path | None, errors: list[LoadError]) -> Template | None:
    """The fetched template, saved as DIR/PLAN-ID.KIND.yaml (or .json) with ``save_dir``, and parsed."""
    from planlint.aws.errors import AwsError
    from planlint.read.template import parse
    from planlint.support.files import write_atomic

    if text is None:
        return None
    name, origin = f"<aws {kind} of plan {plan_id}>", "fetched"
    if save_dir is not None:
        name, origin = str(save_dir / f"{plan_id}.{kind}.{'json' if text.lstrip().startswith('{') else 'yaml'}"), "file"
        try:
            write_atomic(name, text)
        except OSError as exc:
            errors.append(unreadable(AwsError(name, f"cannot save the fetched {kind}: {exc.strerror or exc}")))
            return None
    try:
        return parse(text, name, origin)
    except TemplateError as exc:
        errors.append(unreadable(exc))
        return None


def _judge(
    sources: Sequence[str],
    config: Config,
    *,
    rule_dirs: Sequence[Path] = (),
    today: date | None = None,
    stdin: BinaryIO | None = None,
    documents: Iterable[Document] = (),
    unread: Iterable[LoadError] = (),
    templates: TemplateFiles | None = None,
    pages_from_dir: bool = False,
) -> Report:
    """Read, bind, run, waive, mask: the report on the plans in ``sources`` and ``documents``;
    ``unread``: inputs that could not be had (fetches, templates), reported first. Raises ``SetupError``."""
    ready, choose = prepare(config, rule_dirs, templates)
    loaded = load(sources, stdin=stdin, documents=documents, max_size=config.max_bytes, pages_from_dir=pages_from_dir)
    load_errors = loaded.errors
    if config.given("max_file_size"):  # the limit a file is over: where it was set
        said = f" ({config.where('max_file_size')})"
        load_errors = [replace(e, problem=e.problem.replace(" (--max-file-size)", said)) for e in load_errors]
    plans, template_errors = declare_all(loaded.plans, choose)  # a plan they do not fit: linted without them
    results = engine.run(
        plans,
        ready.plan_rules,
        options=ready.options,
        severities=ready.severities,
        facts=config.facts(),
        rule_timeout=config.rule_timeout,
    )
    own = waivers.apply(results, config, today or waivers.today_utc(), ready.waiver_rules, ready.severities)
    report = Report(
        results=results,
        rules=ready.plan_rules + (ready.waiver_rules if config.waivers else []),
        input_errors=[*unread, *load_errors, *template_errors],
        rule_load_errors=ready.errors,
        fail_on=config.fail_on,
        config_findings=own,
        config_path=str(config.path) if config.path else None,
    )
    return mask_report(report, config.public_parameters)  # the one place outputs are masked
