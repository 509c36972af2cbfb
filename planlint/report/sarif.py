"""SARIF 2.1.0 that GitHub code scanning accepts the first time.

One run. Every rule that ran is in ``tool.driver.rules`` with its documentation. Every result
has exactly one physical location — relative to the source root and percent-encoded: the line of
the resource in the product's template when one was given and is under the source root (the
plan's change is then a related location), else the line where the change starts in the plan
file — and a logical location naming the resource. ``partialFingerprints`` depend on rule, provisioned product,
logical id, subject and the plan's file (as its URI under the source root), never a line or the plan
id: the same finding in the next plan saved to the same file is the same alert, and the same finding
in two files is two (a second one in one file, two plans of a product in a list of pages, is
numbered). No empty strings.

Within what code scanning keeps: at most 5,000 results (it stores no more of a run), the most
severe first, with a notification saying how many were left out; at most 10 tags per rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planlint import __url__, __version__
from planlint.engine.rule import Rule
from planlint.model.findings import Finding, Location, Severity
from planlint.model.plan import Plan
from planlint.report.locations import shown_at, uri
from planlint.report.result import PUBLIC_SETTING, RenderOptions, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "planlint/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
# GitHub shows security-severity as critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low.
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.NOTE: "3.0"}
MAX_RESULTS = 5000  # code scanning stores at most this many results of a run (and rejects over 25,000)
MAX_TAGS = 10  # tags of a rule that code scanning keeps (it rejects over 20)


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    """The SARIF log as text. Raises ``LocationError`` when a plan has no file under the source root."""
    return json.dumps(to_dict(report, options), ensure_ascii=False, separators=(",", ":")) + "\n"


def to_dict(report: Report, options: RenderOptions = RenderOptions()) -> dict[str, Any]:
    """Waived findings are left out, or with ``sarif_waived`` given as suppressed results."""
    index = {rule.code: i for i, rule in enumerate(report.rules)}
    pairs: list[tuple[Finding, Plan | None]] = [(f, r.plan) for r in report.results for f in r.findings]
    pairs += [(f, None) for f in report.config_findings]
    pairs = [(f, plan) for f, plan in pairs if options.sarif_waived or f.waived is None]
    kept, left_out = _most_severe(pairs)
    facts: dict[int, _PlanFacts] = {}
    artifacts: dict[tuple[str, str], dict[str, str]] = {}  # each file's artifactLocation, worked out once
    results = []
    seen: dict[str, int] = {}  # how many results had each fingerprint so far
    for finding, plan in kept:
        shared = facts.get(id(plan))
        if shared is None:
            shared = facts[id(plan)] = _PlanFacts.of(plan)
        results.append(_result(finding, plan, shared, index, options.source_root, artifacts, seen))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "planlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": __url__,
                "rules": [_rule(rule) for rule in report.rules],
            }
        },
        "invocations": [_invocation(report, index, left_out)],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"maskedParameterValues": report.masked_values, "maskedShownWith": PUBLIC_SETTING},
    }
    category = options.sarif_category
    if category:
        run["automationDetails"] = {"id": category if category.endswith("/") else f"{category}/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _most_severe(pairs: list[tuple[Finding, Plan | None]]) -> tuple[list[tuple[Finding, Plan | None]], int]:
    """The ``MAX_RESULTS`` most severe findings (unwaived before waived), in their order; and how many
    were left out."""
    if len(pairs) <= MAX_RESULTS:
        return pairs, 0
    order = sorted(range(len(pairs)), key=lambda i: (pairs[i][0].waived is not None, -pairs[i][0].level.rank, i))
    keep = sorted(order[:MAX_RESULTS])
    return [pairs[i] for i in keep], len(pairs) - MAX_RESULTS


def _text(value: str) -> str:
    """A non-empty message text (SARIF consumers reject empty strings)."""
    return value.strip() or "(no text)"


@lru_cache(maxsize=512)
def _rule(rule: Rule) -> dict[str, Any]:
    """A rule's descriptor: the same for every log that names the rule, so made once (and shared:
    the log is only ever encoded, never changed)."""
    sections = rule.sections()
    what = " ".join(sections.get("What it flags", "").split()) or rule.summary
    tags = sorted(rule.tags, key=lambda tag: (tag != "security", tag))[:MAX_TAGS] or ["planlint"]
    properties: dict[str, Any] = {"tags": tags, "precision": "very-high"}
    if "security" in rule.tags:
        properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _text(rule.summary or rule.name)},
        "fullDescription": {"text": _text(what)},
        "help": {"text": _text(_plain(rule.doc) or rule.name), "markdown": _text(rule.doc or rule.name)},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": properties,
    }


_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


def _plain(doc: str) -> str:
    """The docstring as plain text: headings become ``Heading:`` lines, links ``title (url)``, and
    the fences around an example go (its text stays)."""
    lines = [line[3:] + ":" if line.startswith("## ") else line for line in doc.splitlines()]
    return _LINK.sub(r"\1 (\2)", "\n".join(line for line in lines if not line.lstrip().startswith("```")))


def _sentence(message: str) -> str:
    """A result's or notification's ``message.text``: a sentence, with ``\\``, ``[`` and ``]`` escaped, so
    that text from a plan cannot form an embedded link (SARIF 2.1.0 §3.11.6) that GitHub renders."""
    message = _text(message)
    message = message if message.endswith((".", "!", "?")) else message + "."
    return message.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


@dataclass(frozen=True)
class _PlanFacts:
    """What every result on one plan shares, worked out once per plan."""

    product: str  # for names
    plan_name: str
    fingerprint_product: str
    properties: dict[str, str]

    @classmethod
    def of(cls, plan: Plan | None) -> _PlanFacts:
        if plan is None:
            return cls("", "", "", {})
        details = plan.details
        return cls(
            product=details.provisioned_product_name or details.provisioned_product_id or "(no product)",
            plan_name=details.plan_name or plan.plan_id or "(no plan id)",
            fingerprint_product=details.provisioned_product_id or details.provisioned_product_name or "",
            properties={"inputKind": str(plan.kind), **({"inputId": plan.plan_id} if plan.plan_id else {})},
        )


def _result(
    finding: Finding,
    plan: Plan | None,
    facts: _PlanFacts,
    index: dict[str, int],
    root: Path,
    artifacts: dict[tuple[str, str], dict[str, str]],
    seen: dict[str, int],
) -> dict[str, Any]:
    shown, plan_line = shown_at(finding, root)
    location = shown or (plan.source if plan else None)
    if location is None:
        raise ValueError(f"finding {finding.rule_code} on {finding.logical_id or 'the plan'} has no source location")
    physical = _physical(location, root, artifacts)
    in_file = _physical(plan_line, root, artifacts) if plan_line is not None else physical  # the plan's file
    result: dict[str, Any] = {
        "ruleId": finding.rule_code,
        "ruleIndex": index[finding.rule_code],
        "level": _LEVELS[finding.level],
        "message": {"text": _sentence(finding.message)},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [_logical(finding, plan, facts)],
            }
        ],
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding, facts, in_file["artifactLocation"]["uri"], seen)},
    }
    if plan_line is not None:  # the finding is shown on the template; the plan's change is related
        related = {
            "id": 1,
            "physicalLocation": in_file,
            "message": {"text": "The change in the plan."},
        }
        result["relatedLocations"] = [related]
    properties = {"resourceType": finding.resource_type} if finding.resource_type else {}
    if plan is not None:
        properties.update(facts.properties)
    if properties:
        result["properties"] = properties
    if finding.waived is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": _text(str(finding.waived))}
        ]
    return result


def _logical(finding: Finding, plan: Plan | None, facts: _PlanFacts) -> dict[str, str]:
    """The resource (or plan, or configuration entry) a result is about."""
    if plan is None:
        return {"name": finding.subject or "configuration", "kind": "object"}
    if finding.logical_id is None:
        return {"name": facts.plan_name, "fullyQualifiedName": f"{facts.product}/{facts.plan_name}", "kind": "module"}
    name = finding.logical_id or "(no logical id)"
    return {"name": name, "fullyQualifiedName": f"{facts.product}/{facts.plan_name}/{name}", "kind": "resource"}


def _physical(location: Location, root: Path, artifacts: dict[tuple[str, str], dict[str, str]]) -> dict[str, Any]:
    key = (location.path, location.origin)
    artifact = artifacts.get(key)
    if artifact is None:
        artifact = artifacts[key] = {"uri": uri(location, root)}
    return {"artifactLocation": artifact, "region": {"startLine": max(1, location.line)}}


def _fingerprint(finding: Finding, facts: _PlanFacts, file: str, seen: dict[str, int]) -> str:
    """Stable across plans saved to one ``file`` and when lines move: rule, provisioned product,
    logical id, subject and file — not the plan id or a line. Unique in the log: the same key again
    (two plans of one product in one file) is numbered, in the order of the results."""
    key = "\x1f".join(
        (finding.rule_code, facts.fingerprint_product, finding.logical_id or "<plan>", finding.subject or "", file)
    )
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    count = seen.get(digest, 0)
    seen[digest] = count + 1
    return hashlib.sha256(f"{digest}\x1f{count}".encode()).hexdigest()[:32] if count else digest


def _invocation(report: Report, index: dict[str, int], left_out: int) -> dict[str, Any]:
    notifications: list[dict[str, Any]] = [
        {"level": "error", "message": {"text": _sentence(f"Could not read {error}")}} for error in report.input_errors
    ]
    if left_out:
        text = f"{left_out:,} less severe results left out: code scanning keeps {MAX_RESULTS:,} of a run"
        notifications.append({"level": "warning", "message": {"text": _sentence(f"{text}; see the JSON report")}})
    by_name = {rule.name: rule for rule in report.rules}
    for error in report.rule_errors:
        notification: dict[str, Any] = {"level": "error", "message": {"text": _sentence(str(error))}}
        rule = by_name.get(error.rule or "")
        if rule is not None:
            notification["associatedRule"] = {"id": rule.code, "index": index[rule.code]}
        notifications.append(notification)
    invocation: dict[str, Any] = {"executionSuccessful": report.complete}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
