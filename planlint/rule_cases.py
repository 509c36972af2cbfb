"""A rule's contract as data: plans that must and must not make it report, checked by one driver.

A case file is JSON — ``{"rule": "stateful-removal", "cases": [...]}`` — and each case says:

- ``name``: what the case shows, unique in its file;
- ``plan``: a fragment of a DescribeProvisionedProductPlan response, laid over a minimal
  complete one: ``ResourceChanges`` as AWS writes them, the ``ProvisionedProductPlanDetails``
  members to set (``null`` removes one) and ``NextPageToken``; or ``change_set``: a fragment
  of a DescribeChangeSet response, laid over a minimal complete one (``Changes``, and any
  other member to set; ``null`` removes one);
- ``options``: the rule's ``[rules.NAME]`` table, and ``resources``: the ``[resources]`` table
  (more stateful, identity, network or snapshot types), both as in ``planlint.toml``;
- ``expect``: every finding, in the order the rule reports them — ``resource`` (the logical id,
  ``null`` for the plan itself), ``severity``, and optionally the exact ``message``, a part of it
  (``contains``) or the ``subject``; an empty list is a case where the rule must stay quiet;
- ``hidden``: text no message may show (a parameter's value, say).

The plan goes through the real loader and the rule through the real engine, so a case checks
exactly what a saved plan would. ``planlint.testing`` has helpers to build plans in Python;
this is for the many small cases a rule's contract is made of, with no test code per rule::

    @pytest.mark.parametrize("case", load_cases("tests/cases/my-rule.json").cases, ids=str)
    def test_my_rule(case):
        check_case("policies/my_rule.py", case)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from planlint.model.change_set import ChangeSetPage
from planlint.model.findings import Finding, Severity
from planlint.model.resources import DEFAULT_FACTS
from planlint.read.load import Document, load
from planlint.testing import change_set_document, find_rule, plan_document, run_rule


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Expected(_Data):
    """One finding a case expects."""

    resource: str | None
    severity: Severity
    message: str | None = None
    contains: str | None = None
    subject: str | None = None

    def problem(self, finding: Finding) -> str | None:
        """What is wrong with ``finding`` for this expectation, or None."""
        if (finding.logical_id, finding.severity) != (self.resource, self.severity):
            return f"expected {self.resource} ({self.severity.value}), got {_shown(finding)}"
        if self.message is not None and finding.message != self.message:
            return f"{_shown(finding)}: expected the message {self.message!r}, got {finding.message!r}"
        if self.contains is not None and self.contains not in finding.message:
            return f"{_shown(finding)}: the message {finding.message!r} does not contain {self.contains!r}"
        if self.subject is not None and finding.subject != self.subject:
            return f"{_shown(finding)}: expected the subject {self.subject!r}, got {finding.subject!r}"
        return None


class Resources(_Data):
    stateful: list[str] = Field(default_factory=list)
    identity: list[str] = Field(default_factory=list)
    network: list[str] = Field(default_factory=list)
    snapshot: list[str] = Field(default_factory=list)


class Case(_Data):
    """One plan, the configuration to run the rule with, and what the rule must report."""

    name: str = Field(min_length=1)
    plan: dict[str, Any] = Field(default_factory=dict)
    change_set: dict[str, Any] | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    resources: Resources = Field(default_factory=Resources)
    expect: list[Expected]
    hidden: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _plan_keys(self) -> Case:
        unknown = set(self.plan) - set(plan_document())
        if unknown:
            raise ValueError(f"plan: unknown member {sorted(unknown)[0]} (a DescribeProvisionedProductPlan response)")
        if self.change_set is not None and self.plan:
            raise ValueError("a case has a plan or a change_set, not both")
        unknown = set(self.change_set or {}) - {f.alias for f in ChangeSetPage.model_fields.values()}
        if unknown:
            raise ValueError(f"change_set: unknown member {sorted(unknown)[0]} (a DescribeChangeSet response)")
        return self

    def __str__(self) -> str:
        return self.name

    def document(self) -> dict[str, Any]:
        """The case's plan as a complete DescribeProvisionedProductPlan response, or its change set
        as a complete DescribeChangeSet response."""
        if self.change_set is not None:
            merged = {**change_set_document(), **self.change_set}
            return {k: v for k, v in merged.items() if v is not None}
        document = plan_document()
        for key, value in self.plan.items():
            if key == "ProvisionedProductPlanDetails":
                details = {**document[key], **value}
                document[key] = {k: v for k, v in details.items() if v is not None}
            else:
                document[key] = value
        return document


class CaseFile(_Data):
    rule: str = Field(min_length=1)
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> CaseFile:
        names = [case.name for case in self.cases]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"two cases are named {repeated[0]!r}")
        return self


def load_cases(path: str | Path) -> CaseFile:
    """The cases of one file; ``ValueError`` naming the file and the key for a malformed one."""
    path = Path(path)
    try:
        return CaseFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValueError(f"{path}: {where}: {error['msg']}") from None


def check_case(rule: str | Path | Callable[..., Any], case: Case) -> None:
    """Run ``rule`` on the case's plan; ``AssertionError`` saying how the findings differ from ``expect``."""
    findings = _run(rule, case)
    problems = [f"got {len(findings)} findings, expected {len(case.expect)}: {_listed(findings)}"]
    if len(findings) == len(case.expect):
        problems = [p for e, f in zip(case.expect, findings, strict=True) if (p := e.problem(f)) is not None]
    problems += [f"a message shows {text!r}" for text in case.hidden for f in findings if text in f.message]
    if problems:
        raise AssertionError(f"rule {find_rule(rule).name}, case {case.name!r}: " + "; ".join(problems))


def check_example(rule: str | Path | Callable[..., Any]) -> None:
    """The ``## Example`` of the rule's documentation makes it report: its ``json`` plan fragment,
    with its ``toml`` configuration (the rule's ``[rules.NAME]`` table and ``[resources]``) if it
    has one. ``AssertionError`` when it does not, or when there is no fragment."""
    found = find_rule(rule)
    fragment, configuration = example(found.sections())
    if fragment is None:
        raise AssertionError(f"rule {found.name}: its ## Example has no ```json plan fragment")
    table = _toml(configuration) if configuration else {}
    tables = table.get("rules", {})
    case = Case(
        name="the example in its documentation",
        plan=fragment,
        options=tables.get(found.name) or tables.get(found.code) or {},
        resources=table.get("resources", {}),
        expect=[],
    )
    if not _run(rule, case):
        raise AssertionError(f"rule {found.name}: the example in its documentation makes it report nothing")


def _run(rule: str | Path | Callable[..., Any], case: Case) -> list[Finding]:
    """The rule's findings on the case's plan, read by the real loader."""
    document = json.dumps(case.document(), indent=2)
    loaded = load([], documents=[Document(f"<case {case.name}>", document, "fetched")])
    if loaded.errors:
        raise AssertionError(f"case {case.name!r}: the plan does not load: {loaded.errors[0]}")
    [plan] = loaded.plans
    facts = DEFAULT_FACTS.extended(**case.resources.model_dump())
    return run_rule(rule, plan, case.options or None, facts=facts)


def _toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    table: dict[str, Any] = tomllib.loads(text)
    return table


def _shown(finding: Finding) -> str:
    level = finding.severity.value if finding.severity else "?"
    return f"{finding.logical_id} ({level})"


def _listed(findings: list[Finding]) -> str:
    return ", ".join(_shown(f) for f in findings) or "none"


def example(doc_sections: Mapping[str, str]) -> tuple[dict[str, Any] | None, str | None]:
    """The plan fragment (the ``json`` block) and configuration (the ``toml`` block) of a rule's
    ``## Example`` section; None for a block that is not there."""
    text = doc_sections.get("Example", "")
    blocks: dict[str, str] = {}
    fence: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith("```") and stripped[3:]:
            fence, lines = stripped[3:], []
        elif fence is not None and stripped == "```":
            blocks.setdefault(fence, "\n".join(lines))
            fence = None
        elif fence is not None:
            lines.append(line)
    fragment = json.loads(blocks["json"]) if "json" in blocks else None
    return fragment, blocks.get("toml")
