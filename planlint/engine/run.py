"""Choose which rules run and run them over plans, never losing a failure.

Rules are found by ``rule_loader``. A rule that raises while running is a ``RuleError`` (see
``failures``); the other rules still run, and the caller turns errors into exit 2. Each rule runs
within a time budget (``budget``), sees a plan it cannot change (the model is frozen), and what it
prints is captured, kept with its result and shown on stderr, so it cannot corrupt a report
written to stdout.
"""

from __future__ import annotations

import io
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from planlint.config.rule_options import Options
from planlint.engine.budget import Budget
from planlint.engine.failures import RuleError, captured, describe, reraise_interrupt
from planlint.engine.loader import (
    ENTRY_POINT_GROUP,
    builtin_rules_dir,
    load_directory,
    load_module,
    load_packages,
    load_rules,
)
from planlint.engine.rule import Rule, did_you_mean, rule_names
from planlint.model.findings import Finding, Location, Severity
from planlint.model.plan import Plan
from planlint.model.resource_change import ResourceChange
from planlint.model.resources import DEFAULT_FACTS, ResourceFacts
from planlint.support.errors import ConfigurationError
from planlint.support.safetext import clean

__all__ = [
    "ALL",
    "ENTRY_POINT_GROUP",
    "PlanResult",
    "RuleError",
    "SelectionError",
    "builtin_rules_dir",
    "load_directory",
    "load_module",
    "load_packages",
    "load_rules",
    "run",
    "select",
]

ALL = "ALL"


class SelectionError(ConfigurationError, ValueError):
    """A --select or --ignore entry that names no rule, code or tag: ``key`` (``select`` or
    ``ignore``) and ``index`` say which."""

    def __init__(self, message: str, key: str = "", index: int = 0) -> None:
        super().__init__(message)
        self.key, self.index = key, index


def select(rules: Sequence[Rule], chosen: Iterable[str], ignored: Iterable[str]) -> list[Rule]:
    """Rules matching any ``chosen`` entry and no ``ignored`` one; entries are codes, names or tags."""
    chosen, ignored = list(chosen), list(ignored)
    for key, entries in (("select", chosen), ("ignore", ignored)):
        for index, entry in enumerate(entries):
            if entry != ALL and not any(_matches(rule, entry) for rule in rules):
                raise SelectionError(_unknown_selector(entry, rules), key, index)
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
    # defaults need no validation, and so no schema (model_construct keeps start-up short); built
    # once per run, not once per plan: rules see a frozen plan and cannot keep state in them
    chosen = {
        r.code: (options or {}).get(r.code) or r.options.model_construct() for r in rules if "options" in r.parameters
    }
    with Budget(rule_timeout) as budget:
        return [_run_plan(plan, rules, chosen, severities or {}, facts, budget) for plan in plans]


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
    paths: dict[str, list[ResourceChange]] = {}  # the plan's changes by logical id, gathered when needed
    for rule in rules:
        started = time.perf_counter()
        printed = io.StringIO()
        produced: list[object] = []
        arguments: dict[str, object] = {"plan": plan, "facts": facts}
        try:
            if "options" in rule.parameters:
                arguments["options"] = options[rule.code]
            with budget.rule(rule.name), captured(printed):
                produced.extend(rule.function(**{p: arguments[p] for p in rule.parameters}) or ())
        except BaseException as exc:  # a crashing rule is an error the user sees, never a pass
            reraise_interrupt(exc)
            result.errors.append(RuleError.crash(rule, plan, describe(exc, arguments.get("options"))))
        try:  # what a rule found before it failed is still reported
            for yielded in produced:
                finding = _checked(yielded, plan, order, paths)
                severity = Severity(severities.get(rule.code) or finding.severity or rule.severity)
                result.findings.append(
                    finding.stamped(
                        severity=severity,
                        rule_code=rule.code,
                        rule_name=rule.name,
                        plan_id=finding.plan_id or plan.plan_id,
                    )
                )
        except Exception as exc:
            result.errors.append(RuleError.crash(rule, plan, describe(exc)))
        if printed.getvalue():
            result.output.append((rule.name, printed.getvalue()))
        result.seconds[rule.code] = time.perf_counter() - started
    result.findings.sort(key=lambda f: (order.get(id(f.change), -1), -f.level.rank, f.rule_code))
    return result


_TEXT_FIELDS = ("message", "plan_id", "logical_id", "resource_type", "action", "subject")


def _checked(
    finding: object, plan: Plan, changes: Mapping[int, int], paths: dict[str, list[ResourceChange]]
) -> Finding:
    """What a rule yielded is a finding the reports can show, on the plan it was given or one of its
    changes (``changes``: the plan's changes by ``id``; ``paths``: the changes by logical id, filled
    on first use), every report placing it alike; else a ``TypeError`` saying what is wrong with it.
    The finding returned is bound to its change: one named by logical id alone gets it, and the
    change's resource type, action and locations where the finding left them out."""
    if not isinstance(finding, Finding):
        raise TypeError(f"yielded {type(finding).__name__}, not a Finding")
    for name in _TEXT_FIELDS:
        value = getattr(finding, name)
        if not isinstance(value, str) and (value is not None or name == "message"):
            raise TypeError(f"yielded a finding whose {name} is {type(value).__name__}, not a string")
    if not finding.message.strip():
        raise TypeError("yielded a finding whose message is empty")
    if not any(_visible(character) for character in finding.message):
        raise TypeError("yielded a finding whose message has no visible character")
    if finding.plan_id is not None and finding.plan_id != plan.plan_id:
        shown = clean(repr(finding.plan_id), 60)
        own = f" ({clean(plan.plan_id, 60)})" if plan.plan_id else ""
        raise TypeError(f"yielded a finding whose plan_id is {shown}, not this plan's{own}")
    if finding.severity is not None and not _is_severity(finding.severity):
        shown = clean(repr(finding.severity), 40)
        raise TypeError(f"yielded a finding whose severity is {shown}, not one of error, warning, note")
    for name in ("location", "template_location"):
        value = getattr(finding, name)
        if value is not None and not isinstance(value, Location):
            raise TypeError(f"yielded a finding whose {name} is {type(value).__name__}, not a Location")
    if finding.change is not None and id(finding.change) not in changes:
        raise TypeError("yielded a finding on a change that is not one of this plan's changes")
    if finding.waived is not None:
        raise TypeError("yielded a finding marked waived: only the configuration's waivers waive a finding")
    return _bound(finding, plan, paths)


def _bound(finding: Finding, plan: Plan, paths: dict[str, list[ResourceChange]]) -> Finding:
    """The finding with the change its fields name, which must all name the same one (or none)."""
    change = finding.change
    if change is None and finding.logical_id is not None:
        if not paths:
            for each in plan.changes:
                paths.setdefault(each.path, []).append(each)
        named = paths.get(finding.logical_id, [])
        shown = clean(repr(finding.logical_id), 60)
        if not named:
            raise TypeError(f"yielded a finding whose logical_id is {shown}, not a change of this plan")
        if len(named) > 1:
            raise TypeError(
                f"yielded a finding whose logical_id {shown} names {len(named)} changes of this plan: "
                "build it from the change (change.finding)"
            )
        change = named[0]
    if change is None:  # on the whole plan: nothing of a resource
        for name in ("resource_type", "action"):
            if getattr(finding, name) is not None:
                shown = clean(repr(getattr(finding, name)), 60)
                raise TypeError(f"yielded a finding on the whole plan (no logical_id) whose {name} is {shown}")
        return finding
    own = {
        "logical_id": change.path,
        "resource_type": change.resource_type,
        "action": change.action.value if change.action is not None else None,
    }
    for name, value in own.items():
        given = getattr(finding, name)
        if given != value and (given is not None or name == "logical_id"):
            raise TypeError(
                f"yielded a finding on change {clean(repr(change.path), 60)} whose {name} is "
                f"{clean(repr(given), 60)}, not the change's ({clean(str(value), 60)})"
            )
    where = {
        "location": finding.location or change.source,
        "template_location": finding.template_location or (change.declared.location if change.declared else None),
    }
    if change is finding.change and all(getattr(finding, k) == v for k, v in {**own, **where}.items()):
        return finding
    return finding.stamped(change=change, **own, **where)


def _visible(character: str) -> bool:
    """Whether a character shows: not a space or separator, a control, a format character (a
    zero-width space, a direction mark), a lone surrogate or an unassigned code point."""
    return not character.isspace() and unicodedata.category(character) not in _INVISIBLE


_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Cn"})


def _is_severity(value: object) -> bool:
    """A ``Severity``, or its value (``"warning"``): what ``Severity(value)`` turns into one."""
    return isinstance(value, str) and any(value == s.value for s in Severity)
