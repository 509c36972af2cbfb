"""The report as every output sees it: provisioning parameter values masked (see ``planlint.secrets``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from planlint.engine import PlanResult
from planlint.report import Report
from planlint.secrets import Masker


def mask_report(report: Report, public: Sequence[str] = ()) -> Report:
    """The report with every plan's parameter values masked in everything it holds."""
    results = []
    every: set[str] = set()
    for result in report.results:
        mask = Masker.for_plan(result.plan, public)
        every.update(mask.secrets)
        if not mask:
            results.append(result)
            continue
        plan = mask.model(result.plan)
        changes = {id(old): new for old, new in zip(result.plan.changes, plan.changes, strict=True)}
        findings = [
            replace(
                f,
                message=mask(f.message),
                subject=mask.optional(f.subject),
                logical_id=mask.optional(f.logical_id),
                change=changes.get(id(f.change), f.change),
            )
            for f in result.findings
        ]
        errors = [replace(e, message=mask(e.message)) for e in result.errors]
        output = [(name, mask(text)) for name, text in result.output]
        results.append(PlanResult(plan, findings, errors, dict(result.seconds), output))
    mask_all = Masker.of(every)
    return replace(
        report,
        results=results,
        input_errors=[replace(e, problem=mask_all(e.problem)) for e in report.input_errors]
        if mask_all
        else report.input_errors,
    )
