"""JUnit XML that Jenkins, GitLab and the strict Ant schema all read the same way.

One ``<testsuites>``; a ``<testsuite>`` per plan; a ``<testcase>`` per finding, named by rule and
logical id only (never message text or line numbers, so names are stable and CI servers do
not merge or split them), with exactly one ``<failure>``; a passing testcase for each rule
that found nothing; an ``<error>`` testcase for a rule that crashed; a testsuite with an
``<error>`` for each input that could not be read. Characters XML forbids are removed.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections import Counter

from planlint.engine import PlanResult
from planlint.findings import Finding
from planlint.load import LoadError
from planlint.report import RenderOptions, Report

# Everything outside XML 1.0's Char production: C0 controls but tab, CR and LF; surrogates; U+FFFE/F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _FORBIDDEN.sub("", value)


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    root = ET.Element("testsuites")
    timestamp = report.started.strftime("%Y-%m-%dT%H:%M:%S")
    hostname = xml_text(socket.gethostname()) or "localhost"
    suite_id = 0
    for result in report.results:
        _suite(root, _plan_cases(result, report), _plan_name(result), suite_id, timestamp, hostname, result)
        suite_id += 1
    for error in report.input_errors:
        _suite(root, [_load_case(error)], f"input {error.path}", suite_id, timestamp, hostname, None)
        suite_id += 1
    if report.config_findings:
        cases = [
            _Case(f"{f.rule_name} {f.subject}", "planlint.configuration", 0.0, _outcome(f))
            for f in report.config_findings
        ]
        _suite(root, cases, f"configuration {report.config_path or ''}".strip(), suite_id, timestamp, hostname, None)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _plan_name(result: PlanResult) -> str:
    return f"planlint {result.plan.label}" + (f" ({result.plan.plan_id})" if result.plan.plan_id else "")


def _seconds(value: float) -> str:
    return f"{value:.3f}"


class _Case:
    def __init__(self, name: str, classname: str, seconds: float, outcome: tuple[str, str, str, str] | None) -> None:
        self.name, self.classname, self.seconds, self.outcome = name, classname, seconds, outcome


def _plan_cases(result: PlanResult, report: Report) -> list[_Case]:
    plan = result.plan
    classname = f"planlint.{plan.details.provisioned_product_name or plan.plan_id or 'plan'}"
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
            cases.append(_Case(rule.name, classname, seconds, ("error", rule.code, error.message, str(error))))
        for finding in findings:
            base = f"{rule.name} {finding.logical_id if finding.logical_id is not None else '(plan)'}"
            if finding.subject:
                base += f" {finding.subject}"
            seen[base] += 1
            name = base if seen[base] == 1 else f"{base} #{seen[base]}"
            cases.append(_Case(name, classname, seconds / len(findings), _outcome(finding)))
        if not findings and rule.name not in crashed:
            cases.append(_Case(rule.name, classname, seconds, None))
    return cases


def _outcome(finding: Finding) -> tuple[str, str, str, str]:
    """A failure — or, for a waived finding, skipped with the waiver as the reason."""
    if finding.waived is not None:
        return ("skipped", finding.rule_code, str(finding.waived), _failure_body(finding))
    return ("failure", finding.rule_code, finding.message, _failure_body(finding))


def _failure_body(finding: Finding) -> str:
    lines = [f"{finding.severity} {finding.rule_code} {finding.rule_name}: {finding.message}"]
    if finding.location is not None:
        lines.append(f"at {finding.location}")
    if finding.change is not None:
        lines.extend(f"cause: {cause.text}" for cause in finding.change.causes)
    return "\n".join(lines)


def _load_case(error: LoadError) -> _Case:
    return _Case("load", "planlint.input", 0.0, ("error", "load-error", error.problem, str(error)))


def _suite(
    root: ET.Element,
    cases: list[_Case],
    name: str,
    suite_id: int,
    timestamp: str,
    hostname: str,
    result: PlanResult | None,
) -> None:
    failures = sum(1 for c in cases if c.outcome and c.outcome[0] == "failure")
    errors = sum(1 for c in cases if c.outcome and c.outcome[0] == "error")
    skipped = sum(1 for c in cases if c.outcome and c.outcome[0] == "skipped")
    total = sum(c.seconds for c in cases)
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": xml_text(name),
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": str(skipped),
            "time": _seconds(total),
            "timestamp": timestamp,
            "hostname": hostname,
            "id": str(suite_id),
            "package": "planlint",
        },
    )
    properties = ET.SubElement(suite, "properties")
    if result is not None:
        details = result.plan.details
        for key, value in (
            ("plan_id", details.plan_id),
            ("plan_name", details.plan_name),
            ("provisioned_product_id", details.provisioned_product_id),
            ("provisioned_product_name", details.provisioned_product_name),
            ("status", str(details.status) if details.status is not None else None),
            ("source", str(result.plan.source.path) if result.plan.source else None),
        ):
            if value:
                ET.SubElement(properties, "property", {"name": key, "value": xml_text(value)})
    for case in cases:
        element = ET.SubElement(
            suite,
            "testcase",
            {"name": xml_text(case.name), "classname": xml_text(case.classname), "time": _seconds(case.seconds)},
        )
        if case.outcome is not None:
            kind, type_, message, body = case.outcome
            attributes = (
                {"message": xml_text(message)}
                if kind == "skipped"
                else {"type": xml_text(type_), "message": xml_text(message)}
            )
            child = ET.SubElement(element, kind, attributes)
            child.text = xml_text(body)
    ET.SubElement(suite, "system-out")
    ET.SubElement(suite, "system-err")
