"""The report as every output sees it: provisioning parameter values masked (see ``planlint.secrets``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from planlint.engine import PlanResult
from planlint.findings import Finding
from planlint.model import ResourceChange
from planlint.report import Report
from planlint.secrets import Masker, masked_values


def _masked_finding(finding: Finding, mask: Masker, changes: dict[int, ResourceChange]) -> Finding:
    masked = {
        "message": mask(finding.message),
        "subject": mask.optional(finding.subject),
        "logical_id": mask.optional(finding.logical_id),
        "plan_id": mask.optional(finding.plan_id),
        "resource_type": mask.optional(finding.resource_type),
        "change": changes.get(id(finding.change), finding.change),
    }
    if all(value is getattr(finding, key) for key, value in masked.items()):  # a masker returns a text it left alone
        return finding
    return finding.stamped(**masked)


def mask_report(report: Report, public: Sequence[str] = ()) -> Report:
    """The report with every plan's parameter values masked in everything it holds."""
    results = []
    every: set[str] = set()
    count = 0
    for result in report.results:
        count += masked_values(result.plan, public)
        mask = Masker.for_plan(result.plan, public)
        every.update(mask.secrets)
        if not mask:
            results.append(result)
            continue
        plan = mask.model(result.plan)
        changes = (
            {}
            if plan is result.plan
            else {id(old): new for old, new in zip(result.plan.changes, plan.changes, strict=True)}
        )
        findings = [_masked_finding(f, mask, changes) for f in result.findings]
        errors = [replace(e, message=mask(e.message)) for e in result.errors]
        output = [(name, mask(text)) for name, text in result.output]
        results.append(PlanResult(plan, findings, errors, dict(result.seconds), output))
    mask_all = Masker.joined(every)
    return replace(
        report,
        results=results,
        masked_values=count,
        input_errors=[replace(e, problem=mask_all(e.problem)) for e in report.input_errors]
        if mask_all
        else report.input_errors,
    )
