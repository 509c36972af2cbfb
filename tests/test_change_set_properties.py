"""Properties over generated change sets, as over plans: the loader and every rule never crash, and
no removal or replacement is reported as clean unless CloudFormation's PolicyAction keeps it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint import Severity
from planlint.engine import run as engine
from planlint.read.load import load
from planlint.report import text
from planlint.report.result import Report
from tests.test_properties import IDS, LOSS_RULES, RULES, SECRET_PREFIX, TYPES, maybe, put

pytestmark = pytest.mark.slow  # hypothesis at length: not in the quick subset

ACTIONS = ["Add", "Modify", "Remove", "Import", "Dynamic", "SyncWithActual"]
REPLACEMENTS = ["True", "False", "Conditional"]
POLICIES = ["Delete", "Retain", "Snapshot", "ReplaceAndDelete", "ReplaceAndRetain", "ReplaceAndSnapshot"]
ATTRIBUTES = [
    "Properties",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Tags",
]
SOURCES = ["ResourceReference", "ParameterReference", "ResourceAttribute", "DirectModification", "Automatic"]
UNKNOWN = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
VALUES = st.text(max_size=30) | st.just("{{changeSet:KNOWN_AFTER_APPLY}}")


def spelled(values: list[str]):
    """A value as a change set writes it, in capitals as a plan does, or as Go SDK v2's empty string."""
    return st.sampled_from(values).flatmap(lambda v: st.sampled_from([v, v.upper()])) | st.just("")


@st.composite
def details(draw, ids: list[str]):
    target: dict = {}
    put(target, "Attribute", draw(maybe(spelled(ATTRIBUTES) | UNKNOWN)))
    put(target, "Name", draw(maybe(st.sampled_from(["Tags", "BucketName", "Password"]) | IDS)))
    put(target, "RequiresRecreation", draw(maybe(spelled(["Never", "Conditionally", "Always"]) | UNKNOWN)))
    put(target, "Path", draw(maybe(st.just("/Properties/BucketName"))))
    put(target, "BeforeValue", draw(maybe(VALUES)))
    put(target, "AfterValue", draw(maybe(VALUES)))
    put(target, "AttributeChangeType", draw(maybe(spelled(["Add", "Remove", "Modify"]) | UNKNOWN)))
    out: dict = {}
    put(out, "Target", draw(st.sampled_from([target, None, ...])))
    put(out, "Evaluation", draw(maybe(spelled(["Static", "Dynamic"]) | UNKNOWN)))
    put(out, "ChangeSource", draw(maybe(spelled(SOURCES) | UNKNOWN)))
    entity = st.sampled_from(ids).map(lambda i: f"{i}.Arn") if ids else IDS
    put(out, "CausingEntity", draw(maybe(entity | IDS)))
    return out


@st.composite
def changes(draw, logical_id: str, ids: list[str]):
    out: dict = {"LogicalResourceId": logical_id}
    put(out, "Action", draw(maybe(spelled(ACTIONS) | UNKNOWN)))
    put(out, "ResourceType", draw(maybe(st.sampled_from(TYPES))))
    put(out, "PhysicalResourceId", draw(maybe(IDS)))
    put(out, "Replacement", draw(maybe(spelled(REPLACEMENTS) | UNKNOWN)))
    put(out, "PolicyAction", draw(maybe(spelled(POLICIES) | UNKNOWN)))
    put(out, "Scope", draw(maybe(st.lists(spelled(ATTRIBUTES) | UNKNOWN, max_size=4))))
    put(out, "Details", draw(maybe(st.lists(details(ids), max_size=4))))
    put(out, "BeforeContext", draw(maybe(st.just('{"Properties": {}}') | st.just({"Properties": {}}) | IDS)))
    return {"Type": "Resource", "ResourceChange": out}


@st.composite
def change_sets(draw, max_changes: int = 40):
    ids = draw(st.lists(IDS, unique=True, max_size=max_changes))
    doc: dict = {"ChangeSetId": "arn:aws:cloudformation:us-east-1:123456789012:changeSet/" + draw(IDS)}
    put(doc, "Status", draw(maybe(st.sampled_from(["CREATE_COMPLETE", "FAILED", "CREATE_PENDING"]) | UNKNOWN)))
    put(doc, "ExecutionStatus", draw(maybe(st.sampled_from(["AVAILABLE", "UNAVAILABLE", "OBSOLETE"]) | UNKNOWN)))
    put(doc, "StatusReason", draw(maybe(st.text(max_size=40))))
    put(doc, "CreationTime", draw(maybe(st.sampled_from([1772442867.5, "2026-03-02T09:14:27Z", "datetime"]))))
    put(doc, "StackName", draw(maybe(IDS)))
    params = draw(st.lists(st.tuples(IDS, st.text(alphabet="abcdefghij!@#", min_size=1, max_size=20)), max_size=4))
    put(doc, "Parameters", [{"ParameterKey": k, "ParameterValue": SECRET_PREFIX + v} for k, v in params])
    put(doc, "Changes", [draw(changes(i, ids)) for i in ids] if ids else draw(st.sampled_from([[], None, ...])))
    put(doc, "NextToken", draw(maybe(IDS)))
    return doc


def risky(change: dict) -> bool:
    """A removal or replacement that CloudFormation's PolicyAction does not keep, read from the raw
    document (unknown values read as the riskiest)."""
    action = (change.get("Action") or "").upper() or None
    replacement = (change.get("Replacement") or "").upper() or None
    policy = (change.get("PolicyAction") or "").upper()
    if policy in ("RETAIN", "REPLACEANDRETAIN"):
        return False  # orphaned, not deleted: a note
    removal = action not in ("ADD", "MODIFY", "IMPORT", "SYNCWITHACTUAL")  # Dynamic, missing, unknown
    replaced = replacement in ("TRUE", "CONDITIONAL") or (replacement is not None and replacement != "FALSE")
    forced = replacement == "FALSE" and any(
        (d.get("Evaluation") or "").upper() == "STATIC"
        and ((d.get("Target") or {}).get("RequiresRecreation") or "").upper() == "ALWAYS"
        for d in change.get("Details") or []
    )
    replaced = action not in ("ADD", "IMPORT", "SYNCWITHACTUAL", "REMOVE") and (replaced or forced)
    missing = action == "MODIFY" and replacement is None
    return (removal or replaced or missing) and change.get("ResourceType") != "AWS::CDK::Metadata"


def load_doc(doc: object):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "change-set.json"
        path.write_text(json.dumps(doc, indent=2))
        return load([str(path)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change_sets())
def test_rules_never_crash_and_never_call_a_risky_change_clean(doc):
    result = load_doc(doc)
    assert result.errors == []
    [plan] = result.plans
    [outcome] = engine.run([plan], RULES)
    assert outcome.errors == []
    flagged = {
        f.logical_id for f in outcome.findings if f.rule_name in LOSS_RULES and f.level.rank >= Severity.WARNING.rank
    }
    for item in doc.get("Changes") or []:
        change = item["ResourceChange"]
        if risky(change):
            assert change["LogicalResourceId"] in flagged, change
    report = Report(results=[outcome], rules=list(RULES))
    assert SECRET_PREFIX not in text.render(report)


@settings(max_examples=100, deadline=None)
@given(st.lists(change_sets(max_changes=3).map(lambda d: d.get("Changes") or []), max_size=2))
def test_the_console_form_of_any_change_set_loads(lists):
    items = [item for changes in lists for item in changes]
    console = [
        {key[:1].lower() + key[1:]: value for key, value in item.items()}
        | {"resourceChange": {k[:1].lower() + k[1:]: v for k, v in item["ResourceChange"].items()}}
        for item in items
    ]
    result = load_doc(console)
    assert len(result.errors) + len(result.plans) >= 1
    for error in result.errors:
        assert "\n" not in str(error)
