"""Helpers for testing rules: build a plan in one expression, run one rule on it.

Plans are built as AWS-shaped documents and validated by the real model, so a test
exercises exactly what a saved plan would::

    from planlint.testing import change, detail, make_plan, run_rule

    plan = make_plan(
        change("MODIFY", "Db", "AWS::RDS::DBInstance", replacement="TRUE",
               details=[detail("StorageEncrypted", recreation="ALWAYS", causing_entity="Encrypt")]),
        parameters={"Encrypt": "true"},
    )
    assert [f.logical_id for f in run_rule("stateful-replacement", plan)] == ["Db"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from planlint.engine import run as engine
from planlint.engine.rule import RULE_ATTRIBUTE, Rule, did_you_mean, lookup, rule_names
from planlint.model.findings import Finding
from planlint.model.plan import Plan
from planlint.model.resources import DEFAULT_FACTS, ResourceFacts


def detail(
    name: str | None = None,
    *,
    attribute: str = "PROPERTIES",
    recreation: str | None = "NEVER",
    evaluation: str = "STATIC",
    causing_entity: str | None = None,
) -> dict[str, Any]:
    """One ResourceChangeDetail as AWS writes it."""
    target: dict[str, Any] = {"Attribute": attribute}
    if name is not None:
        target["Name"] = name
    if recreation is not None:
        target["RequiresRecreation"] = recreation
    out: dict[str, Any] = {"Target": target, "Evaluation": evaluation}
    if causing_entity is not None:
        out["CausingEntity"] = causing_entity
    return out


def change(
    action: str,
    logical_id: str,
    resource_type: str,
    *,
    replacement: str | None = None,
    scope: Iterable[str] | None = None,
    details: Iterable[Mapping[str, Any]] = (),
    physical_id: str | None = None,
) -> dict[str, Any]:
    """One ResourceChange as AWS writes it; a MODIFY defaults to Replacement FALSE."""
    details = [dict(d) for d in details]
    out: dict[str, Any] = {"Action": action, "LogicalResourceId": logical_id, "ResourceType": resource_type}
    if physical_id is None and action != "ADD":
        physical_id = f"{logical_id.lower()}-physical"
    if physical_id is not None:
        out["PhysicalResourceId"] = physical_id
    if replacement is None and action == "MODIFY":
        replacement = "FALSE"
    if replacement is not None:
        out["Replacement"] = replacement
    if scope is None:
        scope = sorted({d["Target"]["Attribute"] for d in details if d.get("Target", {}).get("Attribute")})
    out["Scope"] = list(scope)
    out["Details"] = details
    return out


def plan_document(
    *changes: Mapping[str, Any],
    status: str = "CREATE_SUCCESS",
    plan_id: str = "pl-test0000000001",
    plan_name: str = "test-plan",
    product: str = "test-product",
    parameters: Mapping[str, str] | None = None,
    tags: Mapping[str, str] | None = None,
    status_message: str | None = None,
    next_page_token: str | None = None,
) -> dict[str, Any]:
    """A whole DescribeProvisionedProductPlan response as a dict."""
    details: dict[str, Any] = {
        "CreatedTime": "2026-01-01T00:00:00+00:00",
        "PlanName": plan_name,
        "PlanId": plan_id,
        "ProvisionProductId": "pp-test000000001",
        "ProvisionProductName": product,
        "PlanType": "CLOUDFORMATION",
        "Status": status,
        "ProvisioningParameters": [{"Key": k, "Value": v} for k, v in (parameters or {}).items()],
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }
    if status_message is not None:
        details["StatusMessage"] = status_message
    return {
        "ProvisionedProductPlanDetails": details,
        "ResourceChanges": [dict(c) for c in changes],
        "NextPageToken": next_page_token,
    }


CHANGE_SET_ID = (
    "arn:aws:cloudformation:us-east-1:123456789012:changeSet/test-change-set/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
)
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/test-stack/1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"


def change_set_document(
    *changes: Mapping[str, Any],
    status: str = "CREATE_COMPLETE",
    execution_status: str = "AVAILABLE",
    parameters: Mapping[str, str] | None = None,
    tags: Mapping[str, str] | None = None,
    status_reason: str | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    """A whole DescribeChangeSet response as a dict; ``changes`` are ``ResourceChange`` objects
    (as a change set writes them: ``Remove``, ``True``), each wrapped in a ``Change``."""
    document: dict[str, Any] = {
        "Changes": [{"Type": "Resource", "ResourceChange": dict(c)} for c in changes],
        "ChangeSetName": "test-change-set",
        "ChangeSetId": CHANGE_SET_ID,
        "StackId": STACK_ID,
        "StackName": "test-stack",
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
        "CreationTime": "2026-01-01T00:00:00+00:00",
        "ExecutionStatus": execution_status,
        "Status": status,
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
        "Capabilities": [],
        "NotificationARNs": [],
        "IncludeNestedStacks": False,
    }
    if status_reason is not None:
        document["StatusReason"] = status_reason
    if next_token is not None:
        document["NextToken"] = next_token
    return document


def make_plan(*changes: Mapping[str, Any], **kwargs: Any) -> Plan:
    """A validated ``Plan`` from changes built with :func:`change` (keywords as :func:`plan_document`)."""
    return Plan.model_validate(plan_document(*changes, **kwargs))


def find_rule(rule: str | Path | Callable[..., Any]) -> Rule:
    """A rule by its function, by the path of its module file, or a built-in rule by code or name."""
    decorated: Rule | None = getattr(rule, RULE_ATTRIBUTE, None)
    if decorated is not None:
        return decorated
    if isinstance(rule, Path) or (isinstance(rule, str) and rule.endswith(".py")):
        return _rule_in_file(Path(rule))
    found = lookup(str(rule), _builtin_rules())
    if found is None:
        raise LookupError(f"no built-in rule {rule!r}" + did_you_mean(str(rule), rule_names(_builtin_rules())))
    return found


def _rule_in_file(path: Path) -> Rule:
    rules, error = engine.load_module(path, f"planlint_tested_rules.{path.stem}", "path")
    if error is not None:
        raise AssertionError(str(error))
    if len(rules) != 1:
        raise LookupError(f"{path} defines {len(rules)} rules; pass the rule function instead")
    return rules[0]


@lru_cache(maxsize=1)
def _builtin_rules() -> tuple[Rule, ...]:
    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    if errors:
        raise AssertionError("; ".join(str(e) for e in errors))
    return tuple(rules)


def run_rule(
    rule: str | Path | Callable[..., Any],
    plan: Plan,
    options: Mapping[str, Any] | None = None,
    facts: ResourceFacts = DEFAULT_FACTS,
) -> list[Finding]:
    """Run one rule on ``plan`` with ``options`` (as in config: kebab-case keys) and return its
    findings. Options are validated as the configuration would be. A rule that raises makes the
    test fail with the rule's error."""
    found = find_rule(rule)
    chosen = {found.code: found.options.model_validate(dict(options))} if options else None
    [result] = engine.run([plan], [found], options=chosen, facts=facts)
    if result.errors:
        raise AssertionError(str(result.errors[0]))
    return result.findings
