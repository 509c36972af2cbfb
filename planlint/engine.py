"""Find rules, choose which run, run them over plans, and never lose a failure.

Built-in rules and a user's rule directories are loaded by the same mechanism: every
``*.py`` file (not starting with ``_``) is imported as a module and its ``@rule``
functions collected. A module that fails to import or defines no rule, and a code or
name registered twice, are ``RuleError``s. A rule that raises while running is a
``RuleError`` too; the other rules still run. The caller turns errors into exit 2.

"Raises" means any ``BaseException``: a rule (or rule module) that calls ``sys.exit(0)`` or
raises ``KeyboardInterrupt`` has failed, it has not ended the run. Only a real SIGINT or
SIGTERM (see ``interrupts``) goes through. Each rule runs within a time budget (``budget``),
sees a plan it cannot change (the model is frozen), and what it prints is captured, kept with
its result and shown on stderr, so it cannot corrupt a report written to stdout.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

from planlint import interrupts
from planlint.budget import Budget, RuleTimeout
from planlint.findings import Finding, Severity
from planlint.model import Plan
from planlint.patterns import PatternTimeout
from planlint.resources import DEFAULT_FACTS, ResourceFacts
from planlint.rule import RULE_ATTRIBUTE, Options, Rule, config_key, did_you_mean, rule_names
from planlint.safetext import clean

ALL = "ALL"


@dataclass(frozen=True)
class RuleError:
    """A rule that failed: where it comes from, what happened, and which kind of failure —
    ``load`` (a module or package that could not be loaded, or a clash) or ``crash`` (a rule that
    raised, ran out of time or yielded something else on ``plan``, a plan id or label)."""

    source: str
    message: str
    rule: str | None = None
    plan_id: str | None = None
    kind: str = "load"  # "load" | "crash"

    @classmethod
    def crash(cls, rule: Rule, plan: Plan, message: str) -> RuleError:
        return cls(rule.source, message, rule.name, plan.plan_id or plan.label, kind="crash")

    def __str__(self) -> str:
        if self.kind == "crash":
            return f"rule {self.rule} on plan {clean(self.plan_id or '?')}: {self.message}"
        return f"{clean(self.source)}: {self.message}"


class SelectionError(ValueError):
    """A --select or --ignore entry that names no rule, code or tag."""


def builtin_rules_dir() -> Path:
    """The built-in rule pack: ``planlint/rules`` in a wheel, ``rules/`` beside the package in a checkout."""
    package = Path(__file__).resolve().parent
    shipped = package / "rules"
    return shipped if shipped.is_dir() else package.parent / "rules"


ENTRY_POINT_GROUP = "planlint.rules"


def load_rules(directories: Iterable[tuple[Path, str]], packages: bool = False) -> tuple[list[Rule], list[RuleError]]:
    """Load rule modules from ``(directory, origin)`` pairs and, with ``packages``, from installed
    packages' ``planlint.rules`` entry points. Codes and names must be unique across all of them."""
    batches = [load_directory(directory, origin) for directory, origin in directories]
    if packages:
        batches.append(load_packages())
    rules: list[Rule] = []
    errors: list[RuleError] = []
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    for found, failed in batches:
        errors.extend(failed)
        for rule in found:
            clash = by_code.get(rule.code) or by_name.get(rule.name)
            if clash is not None:
                what = f"code {rule.code}" if clash.code == rule.code else f"name {rule.name}"
                errors.append(
                    RuleError(rule.source, f"rule {rule.name}: {what} is already used by {clash.source}", rule.name)
                )
                continue
            by_code[rule.code] = by_name[rule.name] = rule
            rules.append(rule)
    return rules, errors


def load_packages() -> tuple[list[Rule], list[RuleError]]:
    """Rules from installed packages: each ``planlint.rules`` entry point names a module (all its
    submodules too, for a package) or one rule function (``module:function``)."""
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    errors: list[RuleError] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value)):
        distribution = point.dist.name if point.dist is not None else "unknown distribution"
        source = f"{point.value} (package {distribution})"
        try:
            module = importlib.import_module(point.module)
            found: list[Rule] = []
            if point.attr:
                rule = getattr(getattr(module, point.attr), RULE_ATTRIBUTE, None)
                found = [replace(rule, source=source, origin="package")] if rule else []
            else:
                for submodule in [module, *_submodules(module)]:
                    found += _collect(submodule, f"{submodule.__name__} (package {distribution})", "package")
        except BaseException as exc:  # a broken package is reported, never skipped
            _reraise_interrupt(exc)
            errors.append(RuleError(source, f"failed to import: {_describe(exc)}"))
            continue
        if not found:
            errors.append(RuleError(source, "defines no rule (no function decorated with @rule)"))
        rules.extend(found)
    return rules, errors


def _submodules(package: ModuleType) -> list[ModuleType]:
    import pkgutil

    if not hasattr(package, "__path__"):
        return []
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _collect(module: ModuleType, source: str, origin: str) -> list[Rule]:
    """The rules defined in ``module`` itself (not those it imports)."""
    return [
        replace(found, source=source, origin=origin)
        for value in vars(module).values()
        if (found := getattr(value, RULE_ATTRIBUTE, None)) is not None
        and getattr(value, "__module__", None) == module.__name__
    ]


def load_directory(directory: Path, origin: str) -> tuple[list[Rule], list[RuleError]]:
    if not directory.is_dir():
        return [], [RuleError(str(directory), "rule directory not found")]
    rules: list[Rule] = []
    errors: list[RuleError] = []
    package = "planlint.rules" if origin == "built-in" else _package_name(directory)
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        found, error = load_module(path, f"{package}.{path.stem}", origin)
        rules.extend(found)
        if error:
            errors.append(error)
    return rules, errors


def _package_name(directory: Path) -> str:
    import hashlib

    digest = hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:10]
    return f"planlint_user_rules_{digest}"


def load_module(path: Path, module_name: str, origin: str) -> tuple[list[Rule], RuleError | None]:
    """Import one rule module from its file and collect the rules defined in it."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        return [], RuleError(str(path), "cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        with _captured():
            spec.loader.exec_module(module)
    except BaseException as exc:  # any failure in user code is reported, never skipped
        _reraise_interrupt(exc)
        sys.modules.pop(module_name, None)
        return [], RuleError(str(path), f"failed to import: {_describe(exc)}")
    rules = _collect(module, str(path), origin)
    if not rules:
        return [], RuleError(str(path), "defines no rule (no function decorated with @rule)")
    return rules, None


def select(rules: Sequence[Rule], chosen: Iterable[str], ignored: Iterable[str]) -> list[Rule]:
    """Rules matching any ``chosen`` entry and no ``ignored`` one; entries are codes, names or tags."""
    chosen, ignored = list(chosen), list(ignored)
    for entry in chosen + ignored:
        if entry != ALL and not any(_matches(rule, entry) for rule in rules):
            raise SelectionError(_unknown_selector(entry, rules))
    return [
        rule for rule in rules if any(_matches(rule, e) for e in chosen) and not any(_matches(rule, e) for e in ignored)
    ]


def _matches(rule: Rule, entry: str) -> bool:
    return entry == ALL or rule.named(entry) or entry in rule.tags


def _unknown_selector(entry: str, rules: Sequence[Rule]) -> str:
    hint = did_you_mean(entry, [*rule_names(rules), *(t for r in rules for t in r.tags)])
    return f"{clean(entry, 80)}: no rule, code or tag of that name{hint}"


@dataclass
class PlanResult:
    """What the rules found on one plan, what went wrong, and how long each rule took."""

    plan: Plan
    findings: list[Finding] = field(default_factory=list)
    errors: list[RuleError] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    output: list[tuple[str, str]] = field(default_factory=list)  # (rule name, what it printed)


def run(
    plans: Sequence[Plan],
    rules: Sequence[Rule],
    *,
    options: Mapping[str, Options] | None = None,
    severities: Mapping[str, Severity] | None = None,
    facts: ResourceFacts = DEFAULT_FACTS,
    rule_timeout: float | None = None,
) -> list[PlanResult]:
    """Run every rule over every plan. ``options`` and ``severities`` are keyed by rule code;
    ``rule_timeout`` is each rule's budget in seconds on each plan (None: no budget)."""
    with Budget(rule_timeout) as budget:
        return [_run_plan(plan, rules, options or {}, severities or {}, facts, budget) for plan in plans]


def _run_plan(
    plan: Plan,
    rules: Sequence[Rule],
    options: Mapping[str, Options],
    severities: Mapping[str, Severity],
    facts: ResourceFacts,
    budget: Budget,
) -> PlanResult:
    result = PlanResult(plan)
    order = {id(change): i for i, change in enumerate(plan.changes)}
    for rule in rules:
        started = time.perf_counter()
        printed = io.StringIO()
        produced: list[object] = []
        arguments: dict[str, object] = {"plan": plan, "facts": facts}
        try:
            if "options" in rule.parameters:
                # defaults need no validation, and so no schema: model_construct keeps start-up short
                arguments["options"] = options.get(rule.code) or rule.options.model_construct()
            with budget.rule(rule.name), _captured(printed):
                produced.extend(rule.function(**{p: arguments[p] for p in rule.parameters}) or ())
        except BaseException as exc:  # a crashing rule is an error the user sees, never a pass
            _reraise_interrupt(exc)
            result.errors.append(RuleError.crash(rule, plan, _describe(exc, arguments.get("options"))))
        try:  # what a rule found before it failed is still reported
            for finding in produced:
                if not isinstance(finding, Finding):
                    raise TypeError(f"yielded {type(finding).__name__}, not a Finding")
                severity = Severity(severities.get(rule.code) or finding.severity or rule.severity)
                result.findings.append(
                    replace(
                        finding,
                        severity=severity,
                        rule_code=rule.code,
                        rule_name=rule.name,
                        plan_id=finding.plan_id or plan.plan_id,
                    )
                )
        except Exception as exc:
            result.errors.append(RuleError.crash(rule, plan, _describe(exc)))
        if printed.getvalue():
            result.output.append((rule.name, printed.getvalue()))
        result.seconds[rule.code] = time.perf_counter() - started
    result.findings.sort(key=lambda f: (order.get(id(f.change), -1), -f.level.rank, f.rule_code))
    return result


def _describe(exc: BaseException, options: object = None) -> str:
    if isinstance(exc, RuleTimeout):
        return str(exc)
    if isinstance(exc, PatternTimeout):
        where = _option_holding(options, exc.pattern)
        return clean(f"option {where}: {exc}; use a simpler pattern" if where else str(exc), 300)
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}); a rule must return, not end the run"
    if isinstance(exc, ValidationError) and (frozen := [e for e in exc.errors() if e["type"] == "frozen_instance"]):
        where = ".".join(str(part) for part in frozen[0]["loc"])
        return f"tried to change {exc.title}.{where}: rules see the plan read-only"
    try:
        text = str(exc).strip().splitlines()
    except BaseException:  # noqa: BLE001 - a hostile __str__ is still just a failure
        text = []
    return clean(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__, 300)


def _option_holding(options: object, pattern: str) -> str | None:
    """The configuration key of the option that holds ``pattern`` (``values.Environment``)."""
    if not isinstance(options, Options):
        return None
    for name in type(options).model_fields:
        key = config_key(type(options), name)
        value = getattr(options, name)
        if value == pattern or (isinstance(value, (list, tuple)) and pattern in value):
            return key
        if isinstance(value, dict):
            inner = next((k for k, v in value.items() if v == pattern), None)
            if inner is not None:
                return f"{key}.{inner}"
    return None


def _reraise_interrupt(exc: BaseException) -> None:
    """A real SIGINT or SIGTERM ends the run; anything else a rule raises is its failure."""
    if isinstance(exc, interrupts.Interrupted) and interrupts.received():
        raise exc


@contextlib.contextmanager
def _captured(into: io.StringIO | None = None) -> Iterator[None]:
    """What user code prints goes to ``into`` (or nowhere), never to planlint's stdout."""
    sink = into if into is not None else io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield
