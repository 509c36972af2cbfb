"""Properties over generated plans: the loader and every rule never crash, and no removal or
replacement is ever reported as clean — whatever the size, missing fields or unknown values."""

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
from planlint.support.safetext import clean

pytestmark = pytest.mark.slow  # hypothesis at length: not in the quick subset

KNOWN_ACTIONS = ["ADD", "MODIFY", "REMOVE"]
KNOWN_REPLACEMENTS = ["TRUE", "FALSE", "CONDITIONAL"]
ATTRIBUTES = ["PROPERTIES", "METADATA", "CREATIONPOLICY", "UPDATEPOLICY", "DELETIONPOLICY", "TAGS"]
TYPES = [
    "AWS::RDS::DBInstance",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::Lambda::Function",
    "AWS::IAM::Role",
    "AWS::EC2::SecurityGroup",
    "AWS::CloudFormation::Stack",
    "AWS::CDK::Metadata",
    "AWS::SQS::Queue",
    "Custom::Thing",
]
UNKNOWN = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=12)
IDS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=40)
SECRET_PREFIX = "S3CR3T:"
# A risky change must be reported by one of these, not only as an unknown value.
LOSS_RULES = {"stateful-replacement", "stateful-removal", "replacement", "removal"}

RULES, _errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
assert not _errors


def maybe(strategy):
    """A value, an explicit null, or (marked by None in the dict builder) a missing key."""
    return st.one_of(strategy, st.just(None), st.just(...))


def put(target: dict, key: str, value) -> None:
    if value is not ...:
        target[key] = value


@st.composite
def details(draw):
    out: dict = {}
    target: dict = {}
    put(target, "Attribute", draw(maybe(st.sampled_from(ATTRIBUTES) | UNKNOWN)))
    put(target, "Name", draw(maybe(IDS)))
    put(target, "RequiresRecreation", draw(maybe(st.sampled_from(["NEVER", "CONDITIONALLY", "ALWAYS"]) | UNKNOWN)))
    put(out, "Target", draw(st.sampled_from([target, None, ...])))
    put(out, "Evaluation", draw(maybe(st.sampled_from(["STATIC", "DYNAMIC"]) | UNKNOWN)))
    put(out, "CausingEntity", draw(maybe(IDS)))
    return out


@st.composite
def changes(draw, logical_id: str):
    out: dict = {"LogicalResourceId": logical_id}
    put(out, "Action", draw(maybe(st.sampled_from(KNOWN_ACTIONS) | UNKNOWN)))
    put(out, "ResourceType", draw(maybe(st.sampled_from(TYPES))))
    put(out, "PhysicalResourceId", draw(maybe(IDS)))
    put(out, "Replacement", draw(maybe(st.sampled_from(KNOWN_REPLACEMENTS) | UNKNOWN)))
    put(out, "Scope", draw(maybe(st.lists(st.sampled_from(ATTRIBUTES) | UNKNOWN, max_size=4))))
    put(out, "Details", draw(maybe(st.lists(details(), max_size=4))))
    return out


@st.composite
def plans(draw, max_changes: int = 60):
    ids = draw(st.lists(IDS, unique=True, max_size=max_changes))
    plan_details: dict = {"PlanId": draw(IDS)}
    put(
        plan_details,
        "Status",
        draw(
            maybe(
                st.sampled_from(["CREATE_SUCCESS", "CREATE_FAILED", "CREATE_IN_PROGRESS", "EXECUTE_SUCCESS"]) | UNKNOWN
            )
        ),
    )
    put(plan_details, "PlanType", draw(maybe(st.just("CLOUDFORMATION") | UNKNOWN)))
    put(plan_details, "StatusMessage", draw(maybe(st.text(max_size=50))))
    put(
        plan_details,
        "CreatedTime",
        draw(
            maybe(
                st.sampled_from(
                    [1762733377.808, "2025-11-09T18:09:37.808000-06:00", "2025-11-10 00:09:37.808000+00:00"]
                )
            )
        ),
    )
    put(plan_details, "ProvisionProductName", draw(maybe(IDS)))
    params = draw(st.lists(st.tuples(IDS, st.text(alphabet="abcdefghij!@#", min_size=1, max_size=20)), max_size=4))
    put(plan_details, "ProvisioningParameters", [{"Key": k, "Value": SECRET_PREFIX + v} for k, v in params])
    doc: dict = {"ProvisionedProductPlanDetails": plan_details}
    put(doc, "ResourceChanges", [draw(changes(i)) for i in ids] if ids else draw(st.sampled_from([[], None, ...])))
    put(doc, "NextPageToken", draw(maybe(IDS)))
    return doc


def risky(change: dict) -> bool:
    """A removal or replacement, read from the raw document (riskiest reading of unknowns)."""
    action = change.get("Action")
    replacement = change.get("Replacement")
    removal = action not in ("ADD", "MODIFY")  # missing or unknown actions read as removals
    replaced = replacement in ("TRUE", "CONDITIONAL") or (
        replacement is not None and replacement not in KNOWN_REPLACEMENTS
    )
    forced = replacement == "FALSE" and any(  # FALSE contradicted by a static change that always recreates
        d.get("Evaluation") == "STATIC" and (d.get("Target") or {}).get("RequiresRecreation") == "ALWAYS"
        for d in change.get("Details") or []
    )
    replaced = action != "ADD" and (replaced or forced)  # a Replacement on an ADD means nothing
    missing = action == "MODIFY" and replacement is None
    return (removal or replaced or missing) and change.get("ResourceType") != "AWS::CDK::Metadata"


def load_doc(doc: object, indent: int | None = 2):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(json.dumps(doc, indent=indent))
        return load([str(path)]), path.read_text()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.sampled_from([None, 1, 4]))
def test_rules_never_crash_and_never_call_a_risky_change_clean(doc, indent):
    result, source = load_doc(doc, indent)
    assert result.errors == []
    [plan] = result.plans
    [outcome] = engine.run([plan], RULES)
    assert outcome.errors == []
    flagged = {
        f.logical_id
        for f in outcome.findings
        if f.rule_name in LOSS_RULES and f.severity is not None and f.severity.rank >= Severity.WARNING.rank
    }
    for change in doc.get("ResourceChanges") or []:
        if risky(change):
            assert change["LogicalResourceId"] in flagged, change
    # every change remembers where its object starts
    lines = source.splitlines()
    for change in plan.changes:
        assert change.source is not None
        assert "{" in lines[change.source.line - 1]
    # secrets never reach the text report
    report = Report(results=[outcome], rules=list(RULES))
    assert SECRET_PREFIX not in text.render(report)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(JSON, plans(max_changes=5).map(lambda d: _mangle(d)), st.lists(plans(max_changes=3), max_size=3)))
def test_loader_never_crashes_on_any_json(value):
    result, _ = load_doc(value)
    assert len(result.errors) + len(result.plans) >= 1
    for error in result.errors:
        assert "\n" not in str(error)


def _mangle(doc: dict) -> dict:
    changes_ = doc.get("ResourceChanges") or []
    if changes_:
        changes_[0]["Action"] = 7
    return doc


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_loader_never_crashes_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_bytes(data)
        result = load([str(path)])
    assert len(result.errors) + len(result.plans) == 1


@settings(max_examples=60, deadline=None)
@given(plans(max_changes=70), st.integers(min_value=1, max_value=20))
def test_pages_merge_to_the_whole_plan(doc, page_size):
    whole, _ = load_doc(doc)
    everything = doc.get("ResourceChanges") or []
    pages = []
    for start in range(0, max(len(everything), 1), page_size):
        page = dict(doc, ResourceChanges=everything[start : start + page_size], NextPageToken=f"t{start}")
        pages.append(page)
    pages[-1]["NextPageToken"] = doc.get("NextPageToken")
    merged, _ = load_doc(pages)
    assert merged.errors == []
    [a], [b] = whole.plans, merged.plans
    assert [c.model_dump() for c in a.changes] == [c.model_dump() for c in b.changes]
    assert a.incomplete == b.incomplete
    assert b.pages == len(pages)


@given(st.text())
def test_clean_leaves_no_control_or_bidi_characters(value):
    import unicodedata

    cleaned = clean(value)
    for char in cleaned:
        assert unicodedata.category(char) not in ("Cc", "Cs"), repr(char)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u2028\u2029"
