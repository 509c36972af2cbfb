"""A Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

Verdict and counts first, then per plan a table of the risky changes (errors and warnings),
then notes in a collapsed section. Text from the plan is escaped so that it cannot form
links, mentions, HTML or break the table. The whole stays under 1 MiB (GitHub's limit for
a step summary): rows past the budget are replaced by one "N more" line.
"""

from __future__ import annotations

import html
import re

from planlint.engine import PlanResult
from planlint.findings import Finding, Severity
from planlint.model import ResourceChange
from planlint.report import ExitCode, RenderOptions, Report, by_change, plural, summary
from planlint.safetext import clean

_RESERVE = 4096  # kept free for the closing lines
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")
_ICONS = {Severity.ERROR: ":x:", Severity.WARNING: ":warning:", Severity.NOTE: ":information_source:"}


def escape(value: str, limit: int = 500) -> str:
    """Plan text made inert for Markdown tables: no HTML, links, emphasis, mentions or line breaks."""
    value = _SPECIAL.sub(r"\\\1", clean(value, limit))
    return html.escape(value, quote=False).replace("@", "&#64;")


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    out = _Budget(options.markdown_limit - _RESERVE)
    verdict = {ExitCode.OK: ":white_check_mark: passed", ExitCode.FINDINGS: ":x: failed"}.get(
        report.exit_code, ":boom: could not finish"
    )
    out.add(f"## planlint: {verdict}\n\n{escape(summary(report), 2000)}\n")
    out.add("| errors | warnings | notes | waived | plans | changes |\n|---:|---:|---:|---:|---:|---:|")
    out.add(
        f"| {report.count(Severity.ERROR)} | {report.count(Severity.WARNING)} | {report.count(Severity.NOTE)} "
        f"| {report.waived} | {len(report.results)} | {report.change_count} |\n"
    )
    problems = [str(e) for e in report.input_errors] + [str(e) for e in report.rule_errors]
    if problems:
        out.add("### Could not check\n")
        for problem in problems:
            out.add(f"- {escape(problem)}")
        out.add("")
    if report.config_findings:
        out.add(f"### Configuration {escape(report.config_path or '')}\n")
        for finding in report.config_findings:
            out.add(f"- {_ICONS[finding.level]} **{finding.rule_code}** {escape(finding.message)}")
        out.add("")
    for result in report.results:
        _plan(result, out)
    if out.dropped:
        out.force(f"\n_{out.dropped} more lines not shown: the summary is limited to 1 MiB. See the full report._\n")
    return out.text()


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.dropped = limit, 0, 0
        self.parts: list[str] = []

    def add(self, line: str) -> None:
        cost = len(line.encode("utf-8", "backslashreplace")) + 1
        if self.dropped or self.size + cost > self.limit:
            self.dropped += 1
            return
        self.size += cost
        self.parts.append(line)

    def force(self, line: str) -> None:
        self.parts.append(line)

    def text(self) -> str:
        return "\n".join(self.parts) + "\n"


def _plan(result: PlanResult, out: _Budget) -> None:
    """A plan: its heading, then the risky findings (plan-level ones, then a table of changes),
    then notes and waived findings collapsed."""
    plan = result.plan
    out.add(f"### {escape(plan.label)}\n")
    identity = f"{plan.noun} {plan.plan_id or '(no id)'}"
    out.add(f"{escape(identity)} · {escape(plan.status_text)} · {plural(len(plan.changes), 'change')}\n")
    if not result.findings:
        out.add("No findings.\n")
        return
    shown = [f for f in result.findings if f.waived is None]
    risky = by_change(plan, (f for f in shown if f.level is not Severity.NOTE))
    _plan_level(risky.plan_level, out)
    _change_table(risky.changes, out)
    _collapsed("note", [f for f in shown if f.level is Severity.NOTE], out)
    _collapsed("waived finding", [f for f in result.findings if f.waived is not None], out)


def _plan_level(findings: list[Finding], out: _Budget) -> None:
    for finding in findings:
        out.add(f"- {_ICONS[finding.level]} **{finding.rule_code}** {escape(finding.message)}")
    if findings:
        out.add("")


def _change_table(changes: list[tuple[ResourceChange, list[Finding]]], out: _Budget) -> None:
    if not changes:
        return
    out.add("| | Resource | Type | Action | Replacement | Cause | Rules |\n|---|---|---|---|---|---|---|")
    for change, found in changes:
        worst = max((f.level for f in found), key=lambda s: s.rank)
        rules = "<br>".join(f"{f.rule_code} {f.rule_name}" for f in found)
        out.add(
            f"| {_ICONS[worst]} | {escape(change.path or '(no logical id)')} "
            f"| {escape(change.resource_type or '')} | {escape(str(change.action or ''))} "
            f"| {escape(str(change.replacement or ''))} | {escape(change.cause_text)} | {rules} |"
        )
    out.add("")


def _collapsed(title: str, findings: list[Finding], out: _Budget) -> None:
    if not findings:
        return
    out.add(f"<details><summary>{plural(len(findings), title)}</summary>\n")
    for finding in findings:
        why = f" — {escape(str(finding.waived))}" if finding.waived else ""
        out.add(f"- **{finding.rule_code}** {escape(finding.message)}{why}")
    out.add("\n</details>\n")
