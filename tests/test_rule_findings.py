"""What a rule yields is checked where it runs: anything the reports could not show (a message
that is not a string, a severity that is none, a change of another plan, a finding already
waived) is that rule's failure, named, and exit 2 — never an internal error, never a pass."""

from __future__ import annotations

import copy
import datetime
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint import Finding
from planlint.engine import run as engine
from planlint.engine.rule import rule
from planlint.model.findings import Location, Waived
from planlint.model.plan import Plan
from planlint.support.safetext import clean
from planlint.testing import change, make_plan
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
OTHER = make_plan(change("ADD", "Other", "AWS::SNS::Topic"))


def two_changes() -> Plan:
    return make_plan(change("ADD", "Queue", "AWS::SQS::Queue"), change("ADD", "Topic", "AWS::SNS::Topic"))


def errors_of(make: Callable[[Plan], Iterator[object]]) -> tuple[list[str], list[str]]:
    """The messages of what the rule found before it failed, and its errors."""

    @rule("ACME900", "yields-oddly")
    def yields_oddly(plan: Plan) -> Iterator[object]:
        yield plan.finding("kept")
        yield from make(plan)

    [result] = engine.run([two_changes()], [yields_oddly.__planlint_rule__])  # type: ignore[attr-defined]
    return [f.message for f in result.findings], [e.message for e in result.errors]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda plan: [plan.changes[0].finding(3)], "message is int, not a string"),
        (lambda plan: [plan.finding(None)], "message is NoneType, not a string"),
        (lambda plan: [plan.finding(b"bytes")], "message is bytes, not a string"),
        (lambda plan: [plan.changes[0].finding("x", subject=7)], "subject is int, not a string"),
        (lambda plan: [Finding("x", logical_id=5)], "logical_id is int, not a string"),  # type: ignore[arg-type]
        (lambda plan: [Finding("x", plan_id=["p"])], "plan_id is list, not a string"),  # type: ignore[arg-type]
        (lambda plan: [Finding("x", location="a.json:1")], "location is str, not a Location"),  # type: ignore[arg-type]
        (lambda plan: [plan.finding("x", severity="fatal")], "severity is 'fatal', not one of error, warning, note"),
        (lambda plan: [plan.finding("x", severity=3)], "severity is 3, not one of error, warning, note"),
        (
            lambda plan: [plan.finding("x", severity=["error"])],
            "severity is ['error'], not one of error, warning, note",
        ),
        (lambda plan: [OTHER.changes[0].finding("x")], "on a change that is not one of this plan's changes"),
        (lambda plan: [copy.copy(plan.changes[0]).finding("x")], "on a change that is not one of this plan's changes"),
        (lambda plan: [Finding("x", change=object())], "on a change that is not one of this plan's changes"),  # type: ignore[arg-type]
        (
            lambda plan: [plan.finding("x").stamped(waived=Waived("mine", datetime.date(2099, 1, 1), "rule"))],
            "marked waived: only the configuration's waivers waive a finding",
        ),
        (lambda plan: ["a finding"], "yielded str, not a Finding"),
        (lambda plan: [plan.finding("")], "message is empty"),
        (lambda plan: [plan.changes[0].finding(" \t\n\u3000")], "message is empty"),
        (
            lambda plan: [Finding("m", plan_id="pl-zzzzzzzzzzzzz")],
            "plan_id is 'pl-zzzzzzzzzzzzz', not this plan's (pl-test0000000001)",
        ),
        (lambda plan: [Finding("m", logical_id="Ghost")], "logical_id is 'Ghost', not a change of this plan"),
        (
            lambda plan: [Finding(message="m", logical_id="Ghost", plan_id="pl-zzzzzzzzzzzzz")],
            "plan_id is 'pl-zzzzzzzzzzzzz', not this plan's (pl-test0000000001)",
        ),
        (
            lambda plan: [plan.changes[0].finding("m").stamped(logical_id="queue")],
            "on change 'Queue' whose logical_id is 'queue', not the change's (Queue)",
        ),
        (
            lambda plan: [plan.finding("m").stamped(plan_id=plan.plan_id + " ")],  # type: ignore[operator]
            "not this plan's (pl-test0000000001)",
        ),
    ],
    ids=[
        "int-message",
        "none-message",
        "bytes-message",
        "int-subject",
        "int-logical-id",
        "list-plan-id",
        "str-location",
        "unknown-severity",
        "int-severity",
        "unhashable-severity",
        "another-plans-change",
        "a-copied-change",
        "not-a-change",
        "self-waived",
        "not-a-finding",
        "empty-message",
        "blank-message",
        "another-plan-id",
        "a-ghost-logical-id",
        "ghost-and-another-plan",
        "logical-id-in-another-case",
        "plan-id-with-a-space",
    ],
)
def test_what_a_rule_yields_wrongly_is_its_failure_and_what_came_before_is_kept(make, error: str):
    found, errors = errors_of(make)
    assert found == ["kept"]
    assert len(errors) == 1
    assert errors[0].startswith("TypeError: yielded ")
    assert errors[0].endswith(error)


def test_a_severity_spelt_as_its_value_and_a_location_are_accepted():
    found, errors = errors_of(
        lambda plan: [
            plan.changes[1].finding("by value", severity="warning"),  # type: ignore[arg-type]
            Finding("placed", location=Location("plan.json", 3)),
        ]
    )
    assert errors == []
    assert sorted(found) == ["by value", "kept", "placed"]


def test_a_finding_may_name_its_plan_and_changes_without_being_built_from_them():
    found, errors = errors_of(
        lambda plan: [
            Finding("on the queue", logical_id="Queue"),
            Finding("on the topic", logical_id="Topic", plan_id=plan.plan_id),
            Finding("on the plan", plan_id=plan.plan_id),
        ]
    )
    assert errors == []
    assert sorted(found) == ["kept", "on the plan", "on the queue", "on the topic"]


@settings(max_examples=50, deadline=None)
@given(logical_id=st.text(max_size=12).filter(lambda s: s not in ("Queue", "Topic")))
def test_no_logical_id_that_names_no_change_reaches_a_report(logical_id: str):
    found, errors = errors_of(lambda plan: [Finding("m", logical_id=logical_id)])
    assert found == ["kept"]
    assert errors == [
        f"TypeError: yielded a finding whose logical_id is {clean(repr(logical_id), 60)}, not a change of this plan"
    ]


@settings(max_examples=50, deadline=None)
@given(message=st.text(alphabet=st.characters(categories=["Zs", "Cc"]), max_size=8).filter(lambda s: not s.strip()))
def test_no_blank_message_reaches_a_report(message: str):
    found, errors = errors_of(lambda plan: [plan.changes[1].finding(message)])
    assert found == ["kept"]
    assert errors == ["TypeError: yielded a finding whose message is empty"]


@settings(max_examples=50, deadline=None)
@given(
    message=st.one_of(
        st.integers(), st.none(), st.binary(), st.lists(st.text()), st.floats(), st.dictionaries(st.text(), st.text())
    )
)
def test_no_message_that_is_not_a_string_reaches_a_report(message: object):
    found, errors = errors_of(lambda plan: [plan.changes[0].finding(message)])  # type: ignore[arg-type]
    assert found == ["kept"]
    assert errors == [f"TypeError: yielded a finding whose message is {type(message).__name__}, not a string"]


RULE = '''
from planlint import rule

@rule("EVIL001", "hostile")
def hostile(plan):
    """## What it flags
    Nothing.
    """
    yield plan.changes[0].finding({yielded})
'''


@pytest.mark.parametrize(
    ("yielded", "shown"),
    [
        ("3", "whose message is int, not a string"),
        ('"x", severity="loud"', "whose severity is 'loud', not one of error, warning, note"),
        ('"x", subject=b"key"', "whose subject is bytes, not a string"),
        ('""', "whose message is empty"),
        (
            '"m").stamped(plan_id="pl-zzzzzzzzzzzzz"',
            "whose plan_id is 'pl-zzzzzzzzzzzzz', not this plan's (pl-6kxqz3vbw2jra)",
        ),
        (
            '"m").stamped(logical_id="Ghost"',
            "on change 'OrdersDatabase' whose logical_id is 'Ghost', not the change's (OrdersDatabase)",
        ),
        (
            '"m").stamped(change=plan.changes[1]',
            "on change 'OrdersTable' whose logical_id is 'OrdersDatabase', not the change's (OrdersTable)",
        ),
        (
            '"m").stamped(logical_id=None',
            "on change 'OrdersDatabase' whose logical_id is None, not the change's (OrdersDatabase)",
        ),
        (
            '"m").stamped(resource_type="AWS::Fake::Type", action="ADD"',
            "on change 'OrdersDatabase' whose resource_type is 'AWS::Fake::Type', not the change's "
            "(AWS::RDS::DBInstance)",
        ),
        ('"\\u200b\\u3000"', "whose message has no visible character"),
    ],
    ids=[
        "message",
        "severity",
        "subject",
        "empty-message",
        "another-plan-id",
        "ghost-logical-id",
        "another-change",
        "no-logical-id-on-a-change",
        "another-type",
        "invisible-message",
    ],
)
def test_the_command_names_the_rule_and_exits_2(cli, tmp_path: Path, yielded: str, shown: str):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "hostile.py").write_text(textwrap.dedent(RULE.format(yielded=yielded)))
    for form in ("text", "json", "sarif", "junit", "markdown", "github", "gitlab"):
        result = cli("lint", str(DEMO), "--rules", str(policies), "--select", "EVIL001", "--format", form)
        assert result.exit_code == 2, form
        assert result.stderr.startswith(
            f"planlint: error: rule hostile on plan pl-6kxqz3vbw2jra: TypeError: yielded a finding {shown}\n"
        ), form
        assert "internal error" not in result.stderr
