"""A resource with a ``Condition`` comes and goes with it: the plan removes it while the template
still declares it (its condition has turned false), or adds it while the deployed template declares
it (its condition has turned true). A resource without one keeps the strict reading: the templates
are not this plan's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.read.declare import Templates, declare
from planlint.read.template import TemplateError, parse
from planlint.testing import change, make_plan, plan_document, run_rule
from tests.conftest import write_json

TABLE = "AWS::DynamoDB::Table"
CONDITIONS = "Conditions:\n  Off: !Equals [a, b]\n"


def table(condition: str | None, policy: str | None) -> str:
    lines = ["Resources:", "  OrdersTable:", f"    Type: {TABLE}"]
    if condition is not None:
        lines.append(f"    Condition: {condition}")
    if policy is not None:
        lines.append(f"    DeletionPolicy: {policy}")
    return CONDITIONS + "\n".join(lines) + "\n"


def removal(new: str, previous: str | None = None) -> list[str]:
    plan = make_plan(change("REMOVE", "OrdersTable", TABLE))
    plan = declare(plan, Templates(parse(new, "new.yaml"), parse(previous, "old.yaml") if previous else None))
    return [f.message for f in run_rule("stateful-removal", plan)]


def test_the_condition_is_read():
    assert parse(table("Off", "Retain"), "t.yaml").resources["OrdersTable"].condition == "Off"
    assert parse(table(None, "Retain"), "t.yaml").resources["OrdersTable"].condition is None
    as_json = json.dumps({"Resources": {"OrdersTable": {"Type": TABLE, "Condition": {"Ref": "X"}}}})
    assert parse(as_json, "t.json").resources["OrdersTable"].condition == "(an expression)"


@pytest.mark.parametrize("condition", ["Off", "'IsProd'", '"Off"', "{Ref: Somewhere}", "!Ref Somewhere"])
def test_a_removal_of_a_conditional_resource_the_new_template_declares_is_allowed(condition):
    [message] = removal(table(condition, "Delete"), table(None, "Retain"))
    assert "DeletionPolicy Retain at old.yaml:" in message  # the deployed template's policy counts


def test_a_conditional_removal_without_the_previous_template_does_not_guess_the_policy():
    [message] = removal(table("Off", "Retain"))
    assert "(--previous-template would show its DeletionPolicy)" in message


def test_a_removal_of_a_resource_declared_without_a_condition_is_still_refused():
    with pytest.raises(TemplateError, match="removes OrdersTable, but this template still declares it"):
        removal(table(None, "Retain"), table(None, "Retain"))


@given(name=st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,15}", fullmatch=True), policy=st.sampled_from(["Retain", "Delete"]))
@settings(max_examples=30, deadline=None)
def test_any_condition_name_lets_the_removal_through(name, policy):
    [message] = removal(table(name, "Snapshot"), table(None, policy))
    assert f"DeletionPolicy {policy} at old.yaml:" in message


def test_an_addition_of_a_resource_the_deployed_template_declares_under_a_condition_has_no_policy_before():
    plan = make_plan(change("ADD", "OrdersTable", TABLE))
    plan = declare(plan, Templates(parse(table(None, "Retain"), "new.yaml"), parse(table("Off", "Delete"), "old.yaml")))
    [added] = plan.changes
    assert added.declared is not None
    assert added.declared.deletion_policy == "Retain" and added.declared.previous_deletion_policy is None
    assert not run_rule("deletion-policy-change", plan)


def test_an_addition_the_deployed_template_declares_unconditionally_keeps_its_policy_before():
    plan = make_plan(change("ADD", "OrdersTable", TABLE))
    plan = declare(plan, Templates(parse(table(None, "Retain"), "new.yaml"), parse(table(None, "Delete"), "old.yaml")))
    [added] = plan.changes
    assert added.declared is not None and added.declared.previous_deletion_policy == "Delete"


def test_the_command_line_lints_a_conditional_removal(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "plan.json", plan_document(change("REMOVE", "OrdersTable", TABLE)))
    (tmp_path / "new.yaml").write_text(table("Off", "Retain"))
    (tmp_path / "old.yaml").write_text(table(None, "Retain"))
    result = cli("lint", "plan.json", "--template", "new.yaml", "--previous-template", "old.yaml")
    assert result.exit_code == 0, result.stderr
    strict = cli("lint", "plan.json", "--template", "old.yaml")
    assert strict.exit_code == 2
    assert "removes OrdersTable, but this template still declares it" in strict.stderr


def test_a_flow_style_conditional_resource_is_no_mismatch(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "plan.json", plan_document(change("REMOVE", "OrdersTable", TABLE)))
    (tmp_path / "new.yaml").write_text(
        CONDITIONS + f"Resources:\n  OrdersTable: {{Type: {TABLE}, Condition: Off, DeletionPolicy: Retain}}\n"
    )
    result = cli("lint", "plan.json", "--template", "new.yaml")
    assert result.exit_code == 1 and result.stderr == ""  # judged as without the deployed template
    assert "(--previous-template would show its DeletionPolicy)" in result.stdout
