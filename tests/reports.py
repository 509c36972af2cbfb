"""Validators for the reports: the SARIF 2.1.0 schema plus GitHub's ingestion rules, both JUnit
XSDs, and the shipped JSON report schema."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import xmlschema
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

SCHEMAS = Path(__file__).resolve().parent / "schemas"
REPORT_SCHEMA = Path(__file__).resolve().parent.parent / "planlint" / "report" / "report.schema.json"


@cache
def _sarif_validator() -> Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    return Draft4Validator(schema, format_checker=FormatChecker())


@cache
def _junit_schemas() -> tuple[xmlschema.XMLSchema, ...]:
    return tuple(xmlschema.XMLSchema(str(SCHEMAS / name)) for name in ("junit-10.xsd", "junit-windyroad.xsd"))


@cache
def _gitlab_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / "gitlab-code-quality.json").read_text()))


def check_gitlab(text: str) -> list[dict[str, Any]]:
    """A Code Quality report GitLab accepts: valid, every fingerprint unique."""
    issues = json.loads(text)
    errors = sorted(_gitlab_validator().iter_errors(issues), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    return list(issues)


@cache
def _report_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(REPORT_SCHEMA.read_text()), format_checker=FormatChecker())


def _strings(value: Any, path: str = "$"):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$")


def check_sarif(text: str) -> dict[str, Any]:
    """Validate a SARIF log against the schema and GitHub code scanning's rules; return it parsed."""
    log = json.loads(text)
    errors = sorted(_sarif_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for path, value in _strings(log):
        assert value != "", f"empty string at {path}"
    for rule in driver["rules"]:
        assert "helpUri" not in rule or urlsplit(rule["helpUri"]).scheme in ("http", "https")
        if "security-severity" in rule.get("properties", {}):
            float(rule["properties"]["security-severity"])
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["locations"]) == 1
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not urlsplit(uri).scheme and ":" not in uri, uri
        assert not uri.startswith("/") and _URI_CHARS.match(uri), uri
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
        assert result["message"]["text"].strip()
    return log


def check_junit(text: str) -> Any:
    """Validate JUnit XML against both XSDs; return the parsed tree's root."""
    for schema in _junit_schemas():
        schema.validate(text)
    from xml.etree import ElementTree

    return ElementTree.fromstring(text.encode("utf-8"))


def check_report_json(text: str) -> dict[str, Any]:
    report = json.loads(text)
    errors = list(_report_validator().iter_errors(report))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return report
