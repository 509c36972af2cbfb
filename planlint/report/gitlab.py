"""GitLab Code Quality: the Code Climate subset a merge request's Code Quality widget reads.

A JSON array with one issue per finding that is not waived: ``description`` (rule code and the
finding's message), ``check_name`` (the rule's name), ``fingerprint``, ``severity`` (``major`` for
an error, ``minor`` for a warning, ``info`` for a note) and ``location.path`` relative to the
source root with ``location.lines.begin``. A fingerprint is stable across runs — rule, provisioned
product or stack, logical id, subject and file, never a line number or message text — and unique
in the report, as GitLab requires. A plan with no file under the source root (read from stdin,
fetched and not saved) has no path GitLab accepts: ``LocationError``, as for SARIF.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from planlint.model.findings import Finding, Severity
from planlint.model.plan import Plan
from planlint.report.locations import relative_path, shown_at
from planlint.report.result import RenderOptions, Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    """The Code Quality report as text. Raises ``LocationError`` when a finding has no file under the source root."""
    pairs = [(f, r.plan) for r in report.results for f in r.findings] + [(f, None) for f in report.config_findings]
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for finding, plan in pairs:
        if finding.waived is None:
            issues.append(_issue(finding, plan, options.source_root, seen))
    return json.dumps(issues, ensure_ascii=False, separators=(",", ":")) + "\n"


def _issue(finding: Finding, plan: Plan | None, root: Path, seen: dict[str, int]) -> dict[str, Any]:
    location = shown_at(finding, root)[0] or (plan.source if plan else None)
    if location is None:
        raise ValueError(f"finding {finding.rule_code} on {finding.logical_id or 'the plan'} has no source location")
    path = relative_path(location, root)
    return {
        "description": f"{finding.rule_code} {finding.message}",
        "check_name": finding.rule_name,
        "fingerprint": _fingerprint(finding, plan, path, seen),
        "severity": SEVERITIES[finding.level],
        "location": {"path": path, "lines": {"begin": max(1, location.line)}},
    }


def _fingerprint(finding: Finding, plan: Plan | None, path: str, seen: dict[str, int]) -> str:
    product = (plan.details.provisioned_product_id or plan.details.provisioned_product_name or "") if plan else ""
    key = "\x1f".join((finding.rule_code, product, finding.logical_id or "<plan>", finding.subject or "", path))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    count = seen.get(digest, 0)  # the same finding twice in one file (two plans of one product): still unique
    seen[digest] = count + 1
    if count:
        digest = hashlib.sha256(f"{digest}\x1f{count}".encode()).hexdigest()
    return digest
