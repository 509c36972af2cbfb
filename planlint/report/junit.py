"""JUnit XML that Jenkins, GitLab and the strict Ant schema all read the same way.

One ``<testsuites>``; a ``<testsuite>`` per plan; a ``<testcase>`` per finding, named by rule and
logical id only (never message text or line numbers, so names are stable and CI servers do
not merge or split them). A finding at or above ``--fail-on`` is a ``<failure>``; one below it
passes — a gate that passes leaves Jenkins green, not UNSTABLE — and is written, with its
causes, in the suite's ``<system-out>`` (the strict Ant schema allows no output inside a
testcase). A waived finding is ``<skipped>``; a rule that found nothing is a passing testcase;
a rule that crashed is an ``<error>``; an input that could not be read is a testsuite with an
``<error>``. Every testcase's classname names the product (or stack) and the plan, with the
plan's id when two plans in the run share a name, so that cases never collide across plans.
Characters XML forbids are removed.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from planlint.engine.run import PlanResult
from planlint.model.findings import Finding
from planlint.read.load import LoadError
from planlint.report.result import RenderOptions, Report, masking_note

# Everything outside XML 1.0's Char production: C0 controls but tab, CR and LF; surrogates; U+FFFE/F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _FORBIDDEN.sub("", value)


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    classnames = _classnames(report.results)
    masked = [("masked", note)] if (note := masking_note(report)) else []
    suites = [
        _Suite(
            _plan_name(r),
            _plan_cases(r, report, name),
            _plan_properties(r) + masked,
            _passed_output(r.findings, report),
        )
        for r, name in zip(report.results, classnames, strict=True)
    ]
    suites += [_Suite(f"input {e.path}", [_load_case(e)]) for e in report.input_errors]
    if report.config_findings:
        cases = [
            _Case(f"{f.rule_name} {f.subject}", "planlint.configuration", 0.0, _outcome(f, report))
            for f in report.config_findings
        ]
        output = _passed_output(report.config_findings, report)
        suites.append(_Suite(f"configuration {report.config_path or ''}".strip(), cases, output=output))
    root = ET.Element("testsuites")
    stamp = _Stamp(report.started.strftime("%Y-%m-%dT%H:%M:%S"), xml_text(socket.gethostname()) or "localhost")
    for number, suite in enumerate(suites):
        _write_suite(root, suite, number, stamp)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass(frozen=True)
class _Outcome:
    """What a testcase holds: a ``failure``, an ``error`` or ``skipped``, of a type, with a message and a body."""

    kind: str
    type: str
    message: str
    body: str


@dataclass(frozen=True)
class _Case:
    name: str
    classname: str
    seconds: float
    outcome: _Outcome | None = None  # None: the case passed


@dataclass(frozen=True)
class _Suite:
    name: str
    cases: list[_Case]
    properties: list[tuple[str, str]] = field(default_factory=list)
    output: str = ""  # the findings below --fail-on, as text

    def count(self, kind: str) -> int:
        return sum(1 for c in self.cases if c.outcome is not None and c.outcome.kind == kind)


@dataclass(frozen=True)
class _Stamp:
    """When and where the run was: the same on every suite."""

    timestamp: str
    hostname: str


def _plan_name(result: PlanResult) -> str:
    plan = result.plan
    return f"planlint {plan.noun} {plan.label}" + (f" ({plan.plan_id})" if plan.plan_id else "")


def _plan_properties(result: PlanResult) -> list[tuple[str, str]]:
    details = result.plan.details
    pairs = (
        ("kind", str(result.plan.kind)),
        ("plan_id", details.plan_id),
        ("plan_name", details.plan_name),
        ("provisioned_product_id", details.provisioned_product_id),
        ("provisioned_product_name", details.provisioned_product_name),
        ("status", result.plan.status_text if details.status is not None or result.plan.change_set else None),
        ("source", str(result.plan.source.path) if result.plan.source else None),
    )
    return [(key, value) for key, value in pairs if value]


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _classnames(results: list[PlanResult]) -> list[str]:
    """``planlint.orders-prod.orders-release-42``; with ``.PLAN-ID`` when two plans share a name."""
    names = []
    for result in results:
        plan = result.plan
        product = plan.details.provisioned_product_name or plan.details.provisioned_product_id or "no-product"
        names.append(f"planlint.{product}.{plan.details.plan_name or plan.plan_id or 'plan'}")
    repeated = {name for name, count in Counter(names).items() if count > 1}
    return [
        f"{name}.{result.plan.plan_id or index}" if name in repeated else name
        for index, (name, result) in enumerate(zip(names, results, strict=True))
    ]


def _plan_cases(result: PlanResult, report: Report, classname: str) -> list[_Case]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule_code, []).append(finding)
    crashed = {e.rule: e for e in result.errors}
    cases: list[_Case] = []
    seen: Counter[str] = Counter()
    for rule in report.rules:
        seconds = result.seconds.get(rule.code, 0.0)
        findings = by_rule.get(rule.code, [])
        if rule.name in crashed:
            error = crashed[rule.name]
            cases.append(_Case(rule.name, classname, seconds, _Outcome("error", rule.code, error.message, str(error))))
        for finding in findings:
            base = f"{rule.name} {finding.logical_id if finding.logical_id is not None else '(plan)'}"
            if finding.subject:
                base += f" {finding.subject}"
            seen[base] += 1
            name = base if seen[base] == 1 else f"{base} #{seen[base]}"
            cases.append(_Case(name, classname, seconds / len(findings), _outcome(finding, report)))
        if not findings and rule.name not in crashed:
            cases.append(_Case(rule.name, classname, seconds))
    return cases


def _outcome(finding: Finding, report: Report) -> _Outcome | None:
    """A failure at or above --fail-on; skipped, with the waiver as the reason, when waived; else a pass."""
    if finding.waived is not None:
        return _Outcome("skipped", finding.rule_code, str(finding.waived), _failure_body(finding))
    if report.fail_on.fails(finding.level):
        return _Outcome("failure", finding.rule_code, finding.message, _failure_body(finding))
    return None


def _passed_output(findings: list[Finding], report: Report) -> str:
    """The findings that pass (below --fail-on, not waived), each with its causes."""
    passed = [f for f in findings if f.waived is None and not report.fail_on.fails(f.level)]
    return "\n\n".join(_failure_body(f) for f in passed)


def _failure_body(finding: Finding) -> str:
    lines = [f"{finding.level} {finding.rule_code} {finding.rule_name}: {finding.message}"]
    if finding.template_location is not None:
        lines.append(
            f"at {finding.template_location}" + (f" (the plan: {finding.location})" if finding.location else "")
        )
    elif finding.location is not None:
        lines.append(f"at {finding.location}")
    if finding.change is not None:
        lines.extend(f"cause: {cause.text}" for cause in finding.change.causes)
    return "\n".join(lines)


def _load_case(error: LoadError) -> _Case:
    return _Case("load", "planlint.input", 0.0, _Outcome("error", "load-error", error.problem, str(error)))


def _write_suite(root: ET.Element, suite: _Suite, number: int, stamp: _Stamp) -> None:
    element = ET.SubElement(
        root,
        "testsuite",
        {
            "name": xml_text(suite.name),
            "tests": str(len(suite.cases)),
            "failures": str(suite.count("failure")),
            "errors": str(suite.count("error")),
            "skipped": str(suite.count("skipped")),
            "time": _seconds(sum(c.seconds for c in suite.cases)),
            "timestamp": stamp.timestamp,
            "hostname": stamp.hostname,
            "id": str(number),
            "package": "planlint",
        },
    )
    properties = ET.SubElement(element, "properties")
    for key, value in suite.properties:
        ET.SubElement(properties, "property", {"name": key, "value": xml_text(value)})
    for case in suite.cases:
        _write_case(element, case)
    ET.SubElement(element, "system-out").text = xml_text(suite.output) or None
    ET.SubElement(element, "system-err")


def _write_case(suite: ET.Element, case: _Case) -> None:
    element = ET.SubElement(
        suite,
        "testcase",
        {"name": xml_text(case.name), "classname": xml_text(case.classname), "time": _seconds(case.seconds)},
    )
    outcome = case.outcome
    if outcome is None:
        return
    attributes = {"message": xml_text(outcome.message)}
    if outcome.kind != "skipped":
        attributes = {"type": xml_text(outcome.type), **attributes}
    child = ET.SubElement(element, outcome.kind, attributes)
    child.text = xml_text(outcome.body)
