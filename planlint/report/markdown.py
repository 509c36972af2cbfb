"""A Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

Verdict and counts first, then per plan a table of the risky changes (errors and warnings),
then notes in a collapsed section. Text from the plan is escaped so that it cannot form
links, mentions, HTML or break the table. The whole stays within ``markdown_limit`` bytes
(64 KiB: a pull-request comment takes 65,536 characters, a step summary 1 MiB): what does not
fit is left out whole — a finding is shown or it is not — every ``<details>`` that was opened is
closed, and one line says how many findings are not shown.
"""

from __future__ import annotations

import html
import re

from planlint.engine.run import PlanResult
from planlint.model.findings import Finding, Severity
from planlint.model.plan import ResourceChange
from planlint.report.result import RenderOptions, Report, by_change, masking_note, plural, summary
from planlint.support.exits import ExitCode
from planlint.support.safetext import clean

_RESERVE = 512  # kept free for the "N more" line
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
    if note := masking_note(report):
        out.add(f"{escape(note, 2000)}\n")
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
    if out.full:
        more = [plural(out.dropped_findings, "more finding")] if out.dropped_findings else []
        more += [plural(count, f"more {noun}") for noun, count in out.dropped_inputs.items()]
        out.force(
            f"\n_{' and '.join(more) or 'More'} not shown: the summary is limited to "
            f"{_size(options.markdown_limit)}. See the full report._\n"
        )
    return out.text()


def _size(limit: int) -> str:
    return f"{limit // 1024} KiB" if limit % 1024 == 0 and limit < 1024 * 1024 else f"{limit:,} bytes"


class _Budget:
    """Lines up to a byte limit. Once a line does not fit, no later line is added (so a table or list
    never resumes after a gap); the findings and plans each dropped line stood for are counted."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.full = limit, 0, False
        self.dropped_findings = 0
        self.dropped_inputs: dict[str, int] = {}  # "plan"/"change set": how many headings were left out
        self.parts: list[str] = []
        self._open: list[str] = []

    def add(self, line: str, findings: int = 0, noun: str | None = None) -> bool:
        """Add ``line``, which stands for ``findings`` findings (and, given its ``noun``, is a plan's
        heading); False when it did not fit."""
        cost = len(line.encode("utf-8", "backslashreplace")) + 1
        if self.full or self.size + cost + self._closing > self.limit:
            self.full = True
            self.dropped_findings += findings
            if noun is not None:
                self.dropped_inputs[noun] = self.dropped_inputs.get(noun, 0) + 1
            return False
        self.size += cost
        self.parts.append(line)
        return True

    @property
    def _closing(self) -> int:
        return sum(len(tag) + 1 for tag in self._open)

    def open(self, line: str, closing: str) -> bool:
        """Add an opening line whose ``closing`` line is kept in reserve, so it is always written."""
        if not self.add(line):
            return False
        self._open.append(closing)
        return True

    def close(self) -> None:
        closing = self._open.pop()
        self.size += len(closing) + 1
        self.parts.append(closing)

    def force(self, line: str) -> None:
        self.parts.append(line)

    def text(self) -> str:
        return "\n".join(self.parts) + "\n"


def _plan(result: PlanResult, out: _Budget) -> None:
    """A plan: its heading, then the risky findings (plan-level ones, then a table of changes),
    then notes and waived findings collapsed."""
    plan = result.plan
    if not out.add(f"### {escape(plan.label)}\n", findings=len(result.findings), noun=plan.noun):
        return
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
        out.add(f"- {_ICONS[finding.level]} **{finding.rule_code}** {escape(finding.message)}", findings=1)
    if findings:
        out.add("")


def _change_table(changes: list[tuple[ResourceChange, list[Finding]]], out: _Budget) -> None:
    if not changes:
        return
    out.add("| | Resource | Type | Action | Replacement | Cause | Rules |\n|---|---|---|---|---|---|---|")
    for change, found in changes:
        if out.full:  # nothing more is shown: the rows are counted, not built (a plan can have thousands)
            out.dropped_findings += len(found)
            continue
        worst = max((f.level for f in found), key=lambda s: s.rank)
        rules = "<br>".join(f"{f.rule_code} {f.rule_name}" for f in found)
        out.add(
            f"| {_ICONS[worst]} | {escape(change.path or '(no logical id)')} "
            f"| {escape(change.resource_type or '')} | {escape(str(change.action or ''))} "
            f"| {escape(str(change.replacement or ''))} | {escape(change.cause_text)} | {rules} |",
            findings=len(found),
        )
    out.add("")


def _collapsed(title: str, findings: list[Finding], out: _Budget) -> None:
    if not findings:
        return
    if not out.open(f"<details><summary>{plural(len(findings), title)}</summary>\n", "\n</details>\n"):
        out.dropped_findings += len(findings)
        return
    for finding in findings:
        why = f" — {escape(str(finding.waived))}" if finding.waived else ""
        out.add(f"- **{finding.rule_code}** {escape(finding.message)}{why}", findings=1)
    out.close()
