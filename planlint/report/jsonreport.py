"""The JSON report: a documented, versioned schema (``planlint.report/1``, see ``report.schema.json``)."""

from __future__ import annotations

import json
from typing import Any

from planlint import __version__
from planlint.model.causes import Cause
from planlint.model.change_set import ChangeSetDetails
from planlint.model.findings import Finding, Severity
from planlint.model.plan import Plan
from planlint.report.result import PUBLIC_SETTING, RenderOptions, Report

SCHEMA = "planlint.report/1"


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, separators=(",", ":")) + "\n"


def to_dict(report: Report) -> dict[str, Any]:
    causes: dict[int, list[dict[str, Any]]] = {}  # by change: each of its findings lists the same causes
    return {
        "schema": SCHEMA,
        "tool": {"name": "planlint", "version": __version__},
        "created": report.started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "fail_on": report.fail_on.value,
        "exit_code": int(report.exit_code),
        "complete": report.complete,
        "summary": {
            "plans": len(report.results),
            "changes": report.change_count,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "notes": report.count(Severity.NOTE),
            "waived": report.waived,
        },
        "masked": {"parameter_values": report.masked_values, "shown_with": PUBLIC_SETTING},
        "plans": [_plan(r.plan) for r in report.results],
        "findings": [_finding(f, r.plan, causes) for r in report.results for f in r.findings]
        + [_finding(f, None, causes) for f in report.config_findings],
        "errors": [
            {"kind": "input", "source": e.path, "where": e.where or None, "message": e.problem}
            for e in report.input_errors
        ]
        + [
            {"kind": "rule", "source": e.source, "rule": e.rule, "plan_id": e.plan_id, "message": e.message}
            for e in report.rule_errors
        ],
        "rules": [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "tags": sorted(r.tags),
                "origin": r.origin,
                "summary": r.summary,
            }
            for r in report.rules
        ],
    }


def _location(location: Any) -> dict[str, Any] | None:
    return {"path": location.path, "line": location.line} if location is not None else None


def _plan(plan: Plan) -> dict[str, Any]:
    details, change_set = plan.details, plan.change_set
    return {
        "kind": str(plan.kind),
        "plan_id": details.plan_id,
        "plan_name": details.plan_name,
        "provisioned_product_id": details.provisioned_product_id,
        "provisioned_product_name": details.provisioned_product_name,
        "status": str(details.status) if details.status is not None else None,
        "status_message": details.status_message,
        "created": details.created_time.isoformat().replace("+00:00", "Z") if details.created_time else None,
        "pages": plan.pages,
        "changes": len(plan.changes),
        "incomplete": plan.incomplete,
        "location": _location(plan.source),
        "change_set": _change_set(change_set) if change_set is not None else None,
    }


def _change_set(change_set: ChangeSetDetails) -> dict[str, Any]:
    """What only a change set has; its id and name are the plan's ``plan_id`` and ``plan_name``."""
    return {
        "stack_id": change_set.stack_id,
        "stack_name": change_set.stack_name,
        "status": str(change_set.status) if change_set.status is not None else None,
        "execution_status": str(change_set.execution_status) if change_set.execution_status is not None else None,
        "parent_change_set_id": change_set.parent_change_set_id,
        "root_change_set_id": change_set.root_change_set_id,
    }


def _cause(cause: Cause) -> dict[str, Any]:
    return {
        "attribute": str(cause.attribute) if cause.attribute is not None else None,
        "property": cause.name,
        "requires_recreation": str(cause.requires_recreation) if cause.requires_recreation is not None else None,
        "evaluations": [str(e) for e in cause.evaluations],
        "caused_by": [{"name": e.name, "kind": e.kind} for e in cause.entities],
        "text": cause.text,
    }


def _finding(finding: Finding, plan: Plan | None, causes: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    change = finding.change
    if change is not None and id(change) not in causes:
        causes[id(change)] = [_cause(c) for c in change.causes]
    details = plan.details if plan is not None else None
    waived = finding.waived
    return {
        "rule": finding.rule_code,
        "rule_name": finding.rule_name,
        "severity": finding.severity.value if finding.severity else None,
        "message": finding.message,
        "plan_id": details.plan_id if details else None,
        "provisioned_product_id": details.provisioned_product_id if details else None,
        "provisioned_product_name": details.provisioned_product_name if details else None,
        "logical_id": finding.logical_id,
        "subject": finding.subject,
        "physical_id": change.physical_resource_id if change else None,
        "resource_type": finding.resource_type,
        "action": finding.action,
        "replacement": str(change.replacement) if change and change.replacement is not None else None,
        "causes": causes[id(change)] if change else [],
        "location": _location(finding.location),
        "template_location": _location(finding.template_location),
        "waived": waived is not None,
        "waiver": {"reason": waived.reason, "expires": waived.expires.isoformat(), "where": waived.where}
        if waived
        else None,
    }
