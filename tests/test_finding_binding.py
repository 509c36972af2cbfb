"""A finding's change, logical id, resource type, action and plan id name one place, the same in every report."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint import Finding
from planlint.engine import run as engine
from planlint.engine.rule import rule
from planlint.model.plan import Plan
from planlint.testing import change, make_plan
from tests.conftest import FIXTURES

DEMO = FIXTURES / "demo.json"


def three_changes() -> Plan:
    return make_plan(
        change("ADD", "Queue", "AWS::SQS::Queue"),
        change("MODIFY", "Database", "AWS::RDS::DBInstance"),
        change("REMOVE", "Topic", "AWS::SNS::Topic"),
    )


PLAN = three_changes()


def yielding(make: Callable[[Plan], Iterator[object]], plan: Plan = PLAN) -> engine.PlanResult:
    @rule("ACME901", "places")
    def places(plan: Plan) -> Iterator[object]:
        yield from make(plan)

    [result] = engine.run([plan], [places.__planlint_rule__])  # type: ignore[attr-defined]
    return result


def error_of(make: Callable[[Plan], Iterator[object]]) -> str:
    result = yielding(make)
    assert result.findings == []
    [error] = result.errors
    assert error.message.startswith("TypeError: yielded a finding ")
    return error.message.removeprefix("TypeError: yielded a finding ")


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (
            lambda plan: [dataclasses.replace(plan.changes[0].finding("ok"), change=plan.changes[1])],
            "on change 'Database' whose logical_id is 'Queue', not the change's (Database)",
        ),
        (
            lambda plan: [dataclasses.replace(plan.changes[1].finding("ok"), logical_id=None)],
            "on change 'Database' whose logical_id is None, not the change's (Database)",
        ),
        (
            lambda plan: [plan.changes[1].finding("ok").stamped(resource_type="AWS::Fake::Type", action="ADD")],
            "on change 'Database' whose resource_type is 'AWS::Fake::Type', not the change's (AWS::RDS::DBInstance)",
        ),
        (
            lambda plan: [plan.changes[1].finding("ok").stamped(action="REMOVE")],
            "on change 'Database' whose action is 'REMOVE', not the change's (MODIFY)",
        ),
        (
            lambda plan: [Finding("ok", logical_id="Topic", resource_type="AWS::SQS::Queue")],
            "on change 'Topic' whose resource_type is 'AWS::SQS::Queue', not the change's (AWS::SNS::Topic)",
        ),
        (
            lambda plan: [Finding("ok", logical_id="Topic", action="Remove")],
            "on change 'Topic' whose action is 'Remove', not the change's (REMOVE)",
        ),
        (
            lambda plan: [plan.finding("ok").stamped(resource_type="AWS::SQS::Queue")],
            "on the whole plan (no logical_id) whose resource_type is 'AWS::SQS::Queue'",
        ),
        (
            lambda plan: [Finding("ok", action="ADD")],
            "on the whole plan (no logical_id) whose action is 'ADD'",
        ),
    ],
    ids=[
        "another-change",
        "no-logical-id",
        "another-type-and-action",
        "another-action",
        "logical-id-and-another-type",
        "logical-id-and-another-spelling-of-the-action",
        "plan-with-a-type",
        "plan-with-an-action",
    ],
)
def test_a_finding_whose_fields_name_different_places_is_the_rules_error(make, error: str):
    assert error_of(make) == error


def test_a_logical_id_naming_two_changes_is_the_rules_error():
    plan = make_plan(change("ADD", "Twin", "AWS::SQS::Queue"), change("REMOVE", "Twin", "AWS::SQS::Queue"))
    result = yielding(lambda plan: [Finding("ok", logical_id="Twin")], plan)
    assert [e.message for e in result.errors] == [
        "TypeError: yielded a finding whose logical_id 'Twin' names 2 changes of this plan: "
        "build it from the change (change.finding)"
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda plan: Finding("ok", logical_id="Database"),
        lambda plan: Finding("ok", logical_id="Database", resource_type="AWS::RDS::DBInstance", action="MODIFY"),
        lambda plan: plan.changes[1].finding("ok").stamped(resource_type=None, action=None),
        lambda plan: dataclasses.replace(plan.changes[1].finding("ok"), plan_id=None),
    ],
    ids=["logical-id-alone", "every-field", "change-alone", "change-without-plan-id"],
)
def test_a_finding_named_in_part_is_bound_to_its_change(make):
    result = yielding(lambda plan: [make(plan)])
    assert result.errors == []
    [found] = result.findings
    assert found.change is PLAN.changes[1]
    assert (found.logical_id, found.resource_type, found.action, found.plan_id) == (
        "Database",
        "AWS::RDS::DBInstance",
        "MODIFY",
        PLAN.plan_id,
    )


FIELDS = st.sampled_from([None, 0, 1, 2])  # no value, or the value of that change of the plan


@settings(max_examples=200, deadline=None)
@given(on=FIELDS, logical=FIELDS, kind=FIELDS, action=FIELDS)
def test_a_finding_is_accepted_only_when_its_fields_agree(on, logical, kind, action):
    changes = PLAN.changes

    def make(plan: Plan) -> Iterator[Finding]:
        yield Finding(
            "m",
            change=None if on is None else changes[on],
            logical_id=None if logical is None else changes[logical].path,
            resource_type=None if kind is None else changes[kind].resource_type,
            action=None if action is None else changes[action].action.value,  # type: ignore[union-attr]
        )

    result = yielding(make)
    place = on if on is not None else logical
    agree = (
        (on is None or logical == on)
        and (kind is None or kind == place)
        and (action is None or action == place)
        and (place is not None or (kind is None and action is None))
    )
    assert (result.errors == []) == agree
    if agree:
        [found] = result.findings
        expected = None if place is None else changes[place]
        assert found.change is expected
        assert found.logical_id == (None if expected is None else expected.path)
        assert found.resource_type == (None if expected is None else expected.resource_type)


RULE = """
from planlint import Finding, rule

@rule("ACME902", "named")
def named(plan):
    \"\"\"Nothing.\"\"\"
    yield {yielded}
"""


@pytest.mark.parametrize(
    "yielded",
    [
        'Finding("named", logical_id="OrdersTable")',
        'Finding("named", logical_id="OrdersTable", action="REMOVE")',
        "plan.changes[1].finding('named')",
    ],
    ids=["logical-id", "logical-id-and-action", "change"],
)
def test_every_report_places_the_finding_on_the_same_resource(cli, tmp_path: Path, yielded: str):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "named.py").write_text(RULE.format(yielded=yielded))
    args = ("lint", str(DEMO), "--rules", str(policies), "--select", "ACME902", "--fail-on", "never")
    text = cli(*args).stdout
    assert "  OrdersTable (AWS::DynamoDB::Table): REMOVE  " in text
    assert text.index("OrdersTable (AWS::DynamoDB::Table)") < text.index("ACME902 named: named")
    [finding] = json.loads(cli(*args, "-f", "json").stdout)["findings"]
    assert (finding["logical_id"], finding["resource_type"], finding["action"]) == (
        "OrdersTable",
        "AWS::DynamoDB::Table",
        "REMOVE",
    )
    [result] = json.loads(cli(*args, "-f", "sarif").stdout)["runs"][0]["results"]
    [location] = result["locations"]
    assert location["logicalLocations"][0]["name"] == "OrdersTable"
    assert result["properties"]["resourceType"] == "AWS::DynamoDB::Table"
    assert location["physicalLocation"]["region"]["startLine"] == int(
        text.split("REMOVE  ")[1].split(":")[1].split()[0]
    )


INVISIBLE = st.characters(categories=["Zs", "Zl", "Zp", "Cc", "Cf"])


@settings(max_examples=100, deadline=None)
@given(message=st.text(alphabet=INVISIBLE, min_size=1, max_size=8))
def test_no_message_without_a_visible_character_reaches_a_report(message: str):
    result = yielding(lambda plan: [plan.changes[0].finding(message)])
    assert result.findings == []
    assert [e.message for e in result.errors] in (
        ["TypeError: yielded a finding whose message is empty"],
        ["TypeError: yielded a finding whose message has no visible character"],
    )


@pytest.mark.parametrize("message", ["\u200b\u3000", "\u2066\u2069", "\u00ad", "\ufeff\u200d"])
def test_format_characters_alone_are_no_message(message: str):
    assert error_of(lambda plan: [plan.finding(message)]) == "whose message has no visible character"


@settings(max_examples=100, deadline=None)
@given(
    before=st.text(alphabet=INVISIBLE, max_size=4),
    shown=st.characters(categories=["L", "N", "P", "S"]),
    after=st.text(alphabet=INVISIBLE, max_size=4),
)
def test_a_message_with_one_visible_character_is_accepted(before: str, shown: str, after: str):
    result = yielding(lambda plan: [plan.changes[0].finding(before + shown + after)])
    assert result.errors == []
