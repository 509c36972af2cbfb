"""The report as every output sees it: provisioning parameter values masked (see ``planlint.masking``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from planlint.engine.run import PlanResult
from planlint.masking import Masker, maskable_values
from planlint.model.findings import Finding
from planlint.model.plan import Plan, ResourceChange
from planlint.report.result import Report


def _masked_finding(finding: Finding, mask: Masker, plan: Plan, masked_plan: Plan) -> Finding:
    masked = {
        "message": mask(finding.message),
        "subject": mask.optional(finding.subject),
        "logical_id": mask.optional(finding.logical_id),
        "plan_id": mask.optional(finding.plan_id),
        "resource_type": mask.optional(finding.resource_type),
        "change": _same_place(finding.change, plan, masked_plan, mask),
    }
    if all(value is getattr(finding, key) for key, value in masked.items()):  # a masker returns a text it left alone
        return finding
    return finding.stamped(**masked)


def _same_place(change: ResourceChange | None, plan: Plan, masked_plan: Plan, mask: Masker) -> ResourceChange | None:
    """The change of ``masked_plan`` in the place ``change`` has in ``plan`` (its index); a change
    that is not one of ``plan``'s (the engine refuses such a finding before it gets here) masked on
    its own, never shown as it is."""
    if change is None:
        return None
    index = change.binding.index
    if index < len(plan.changes) and plan.changes[index] is change:
        return masked_plan.changes[index]
    return mask.change(change)


def mask_report(report: Report, public: Sequence[str] = ()) -> Report:
    """The report with every plan's parameter values masked in everything it holds; a nested
    change set's with those of every change set of its root as well (it is named after them)."""
    values = {id(r): maskable_values(r.plan, public) for r in report.results}
    families: dict[str, set[str]] = {}
    for result in report.results:
        families.setdefault(_family(result), set()).update(values[id(result)])
    results = []
    for result in report.results:
        mask = Masker.of(families[_family(result)])
        if not mask:
            results.append(result)
            continue
        plan = mask.model(result.plan)
        findings = [_masked_finding(f, mask, result.plan, plan) for f in result.findings]
        errors = [replace(e, message=mask(e.message)) for e in result.errors]
        output = [(name, mask(text)) for name, text in result.output]
        results.append(PlanResult(plan, findings, errors, dict(result.seconds), output))
    every = set().union(*values.values())
    mask_all = Masker.of(every)
    return replace(
        report,
        results=results,
        masked_values=len(every),
        input_errors=[replace(e, problem=mask_all(e.problem)) for e in report.input_errors]
        if mask_all
        else report.input_errors,
    )


def _family(result: PlanResult) -> str:
    """The root change set a change set belongs to (its own id when it is a root); a plan is its own."""
    change_set = result.plan.change_set
    if change_set is not None and change_set.root_change_set_id:
        return change_set.root_change_set_id
    return result.plan.plan_id or f"#{id(result)}"
