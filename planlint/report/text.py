"""The default report: readable on a terminal, grouped by plan and then by resource.

Every piece of text that came from a plan passes through ``safetext.clean`` so that an
escape sequence in a logical id or status message cannot reach the terminal. Colour is
plain ANSI, used only when the caller asks for it.
"""

from __future__ import annotations

from planlint.model.findings import Finding
from planlint.model.plan import Plan, ResourceChange
from planlint.report.result import RenderOptions, Report, by_change, masking_note, plural, summary
from planlint.support.exits import ExitCode
from planlint.support.safetext import clean

_RESET = "\033[0m"
_STYLES = {  # ANSI SGR codes
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "note": "\033[36m",
    "bold": "\033[1m",
    "dim": "\033[2m",
    "ok": "\033[32m",
}


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color else text


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    paint = _Painter(options.color)
    lines: list[str] = []
    for result in report.results:
        lines.extend(_plan(result.plan, result.findings, paint))
        lines.append("")
    if report.config_findings:
        lines.append(f"configuration {paint('bold', clean(report.config_path or ''))}")
        for finding in report.config_findings:
            where = f"  {paint('dim', clean(str(finding.location)))}" if finding.location else ""
            lines.append(_finding(finding, "", paint) + where)
        lines.append("")
    verdict = "ok" if report.exit_code == ExitCode.OK else "error"
    if note := masking_note(report):
        lines.append(paint("dim", note))
    lines.append(paint(verdict, summary(report)))
    return "\n".join(lines) + "\n"


def _plan(plan: Plan, findings: list[Finding], paint: _Painter) -> list[str]:
    details = plan.details
    ids = ", ".join(clean(i) for i in (details.plan_id, details.provisioned_product_id) if i)
    facts = [plan.status_text, plural(len(plan.changes), "change")]
    if plan.pages > 1:
        facts.append(f"{plan.pages} pages")
    where = f"  {paint('dim', clean(str(plan.source.path)))}" if plan.source else ""
    head = f"{plan.noun} {paint('bold', clean(plan.label))}" + (f" ({ids})" if ids else "")
    lines = [f"{head}: {', '.join(clean(f) for f in facts)}{where}"]
    if not findings:
        lines.append(f"  {paint('ok', 'no findings')}")
        return lines
    grouped = by_change(plan, findings)
    if grouped.plan_level:
        lines.append(f"  {plan.noun}")
        lines.extend(_finding(f, "", paint) for f in grouped.plan_level)
    for change, found in grouped.changes:
        lines.extend(_change(change, found, paint))
    return lines


def _change(change: ResourceChange, findings: list[Finding], paint: _Painter) -> list[str]:
    action = str(change.action) if change.action else "no action"
    if change.replacement is not None:
        action += f", replacement {change.replacement}"
    places = [str(change.declared.location)] if change.declared else []  # the template first
    places += [str(change.source)] if change.source else []
    where = f"  {paint('dim', clean('  '.join(places)))}" if places else ""
    name = clean(change.path or "(no logical id)")
    kind = clean(change.resource_type or "unknown type")
    lines = [f"  {paint('bold', name)} ({kind}): {clean(action)}{where}"]
    lines.extend(_finding(f, change.label, paint) for f in findings)
    for cause in change.causes:
        lines.append(f"      {paint('dim', '<-')} {clean(cause.text)}")
    return lines


def _finding(finding: Finding, prefix: str, paint: _Painter) -> str:
    severity = finding.level
    message = finding.message
    if prefix and message.startswith(prefix):
        message = message[len(prefix) :].lstrip(":").lstrip()
    if finding.waived is not None:
        label = paint("dim", "waived ")
        message += f" [{finding.waived}]"
    else:
        label = paint(str(severity), f"{severity!s:<7}")
    return f"    {label} {finding.rule_code} {finding.rule_name}: {clean(message)}"
