"""The result of a lint run, and the reporters that render it (one module per format)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from planlint.engine.rule import Rule
from planlint.engine.run import PlanResult, RuleError
from planlint.model.enums import InputKind
from planlint.model.findings import FailOn, Finding, Severity
from planlint.model.plan import Plan, ResourceChange
from planlint.read.load import LoadError
from planlint.support.exits import ExitCode


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the one options object every reporter takes beside the report."""

    color: bool = False  # text: ANSI colour
    source_root: Path = Path(".")  # SARIF, annotations: paths are relative to it
    sarif_category: str | None = None  # SARIF automationDetails.id
    sarif_waived: bool = False  # SARIF: waived findings as suppressed results
    markdown_limit: int = 64 * 1024  # Markdown: the most bytes (a pull-request comment, a step summary)


@dataclass
class Report:
    """Everything a reporter needs: each plan with its findings, the rules that ran, what went wrong."""

    results: list[PlanResult] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    input_errors: list[LoadError] = field(default_factory=list)  # inputs that could not be read or fetched
    rule_load_errors: list[RuleError] = field(default_factory=list)  # rules that could not be loaded
    fail_on: FailOn = FailOn.ERROR
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    config_findings: list[Finding] = field(default_factory=list)
    config_path: str | None = None
    masked_values: int = 0  # parameter values shown as **** wherever they appear (see ``planlint.masking``)

    @property
    def plans(self) -> list[Plan]:
        return [r.plan for r in self.results]

    @property
    def findings(self) -> list[Finding]:
        """Every finding, waived or not: those on plans, then those on the configuration."""
        return [f for r in self.results for f in r.findings] + self.config_findings

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived is not None)

    @property
    def rule_errors(self) -> list[RuleError]:
        """Rules that failed to load, then rules that crashed on a plan."""
        return self.rule_load_errors + [e for r in self.results for e in r.errors]

    def count(self, severity: Severity) -> int:
        """Findings of this severity that are not waived."""
        return sum(1 for f in self.findings if f.severity == severity and f.waived is None)

    @property
    def change_count(self) -> int:
        return sum(len(p.changes) for p in self.plans)

    @property
    def failed(self) -> bool:
        return any(
            f.severity is not None and f.waived is None and self.fail_on.fails(f.severity) for f in self.findings
        )

    @property
    def complete(self) -> bool:
        """False when an input could not be read or a rule could not load or run."""
        return not self.input_errors and not self.rule_errors

    @property
    def exit_code(self) -> ExitCode:
        if not self.complete:
            return ExitCode.ERROR
        return ExitCode.FINDINGS if self.failed else ExitCode.OK


@dataclass(frozen=True)
class Grouped:
    """One plan's findings as reports show them: those on the plan, then each change with its
    findings, in the plan's order of changes."""

    plan_level: list[Finding]
    changes: list[tuple[ResourceChange, list[Finding]]]


def by_change(plan: Plan, findings: Iterable[Finding]) -> Grouped:
    """Group ``findings`` of ``plan`` by the change they are on (the one way every reporter does it)."""
    plan_level: list[Finding] = []
    on: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.change is None:
            plan_level.append(finding)
        else:
            on.setdefault(id(finding.change), []).append(finding)
    return Grouped(plan_level, [(change, on[id(change)]) for change in plan.changes if id(change) in on])


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _inputs(plans: Sequence[Plan]) -> str:
    """``3 plans``, ``1 change set``, ``2 plans and 1 change set``."""
    change_sets = sum(plan.kind is InputKind.CHANGE_SET for plan in plans)
    counts = [plural(len(plans) - change_sets, "plan")] if len(plans) > change_sets or not plans else []
    counts += [plural(change_sets, "change set")] if change_sets else []
    return " and ".join(counts)


PUBLIC_SETTING = "public-parameters"


def masking_note(report: Report) -> str:
    """``2 parameter values are masked as **** …``, saying how to show those that are not secret;
    empty when no value is masked."""
    if not report.masked_values:
        return ""
    where = "it appears" if report.masked_values == 1 else "they appear"
    return (
        f"{plural(report.masked_values, 'parameter value')} masked as **** wherever {where}; "
        f"name the parameters that are not secret in {PUBLIC_SETTING} (configuration) to show them"
    )


def summary(report: Report) -> str:
    """``2 errors, 3 warnings, 1 note in 1 plan (14 changes)``, plus what could not be done."""
    counts = [plural(n, str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE) if (n := report.count(s))]
    found = ", ".join(counts) if counts else "no findings"
    if report.plans:
        text = f"{found} in {_inputs(report.plans)} ({plural(report.change_count, 'change')})"
    else:  # nothing read: never "no findings in 0 plans"; the configuration may have findings of its own
        text = f"{found}, no plan linted" if counts else "no plan linted"
    if report.waived:
        text += f", {report.waived} waived"
    problems = []
    if report.input_errors:
        problems.append(f"{plural(len(report.input_errors), 'input')} could not be read")
    if report.rule_errors:
        problems.append(f"{plural(len(report.rule_errors), 'rule error')}")
    if problems:
        text += "; " + ", ".join(problems) + ": the check is incomplete"
    return text
