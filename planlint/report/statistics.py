"""``--statistics``: how many findings each rule made, by severity, waived ones apart — the table a
team reads to see which rule makes the noise, or which exception has grown."""

from __future__ import annotations

from planlint.model.findings import Severity
from planlint.report.result import Report

_COLUMNS = ("errors", "warnings", "notes", "waived")


def render(report: Report) -> str:
    counts: dict[tuple[str, str], list[int]] = {}
    for finding in report.findings:
        row = counts.setdefault((finding.rule_code, finding.rule_name), [0, 0, 0, 0])
        if finding.waived is not None:
            row[3] += 1
        else:
            row[(Severity.ERROR, Severity.WARNING, Severity.NOTE).index(finding.level)] += 1
    if not counts:
        return "findings per rule: none\n"
    rows = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0][0]))
    names = [f"{code} {name}" for (code, name), _ in rows]
    width = max(len("rule"), *(len(n) for n in names))
    lines = ["findings per rule:", f"  {'count':>5}  {'rule':<{width}}  " + "  ".join(f"{c:>8}" for c in _COLUMNS)]
    for name, (_, row) in zip(names, rows, strict=True):
        lines.append(f"  {sum(row):>5}  {name:<{width}}  " + "  ".join(f"{n:>8}" for n in row))
    totals = [sum(row[i] for _, row in rows) for i in range(4)]
    lines.append(f"  {sum(totals):>5}  {'total':<{width}}  " + "  ".join(f"{n:>8}" for n in totals))
    return "\n".join(lines) + "\n"
