"""What a Snapshot or a PolicyAction really keeps: Snapshot only on the types CloudFormation can snapshot,
and a change set's PolicyAction only when it fits the change's action; anything else is read as a deletion."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.gate import lint
from planlint.model.resources import DEFAULT_FACTS, NO_SNAPSHOT, SNAPSHOT_TYPES
from planlint.read.declare import TemplateFiles, Templates, declare
from planlint.read.template import parse
from planlint.testing import change, change_set_document, make_plan, plan_document, run_rule
from tests.conftest import write_json

SNAPSHOTTABLE = "AWS::RDS::DBInstance"
NOT_SNAPSHOTTABLE = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::DocDB::DBInstance", "AWS::EFS::FileSystem")


def template(resource_type: str, attribute: str | None = None, policy: str | None = None, fmt: str = "yaml") -> str:
    if fmt == "json":
        resource: dict[str, Any] = {"Type": resource_type}
        if attribute and policy:
            resource[attribute] = policy
        return json.dumps({"Resources": {"OrdersDb": resource}}, indent=2)
    lines = ["Resources:", "  OrdersDb:", f"    Type: {resource_type}"]
    if attribute and policy:
        lines.append(f"    {attribute}: {policy}")
    return "\n".join(lines) + "\n"


def one(rule: str, plan: Any, facts: Any = DEFAULT_FACTS) -> tuple[str, str]:
    [finding] = run_rule(rule, plan, facts=facts)
    return str(finding.level), finding.message


# --- Snapshot on a type that cannot be snapshotted: plans with templates --------------------


@pytest.mark.parametrize("resource_type", NOT_SNAPSHOTTABLE)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_update_replace_policy_snapshot_on_a_type_without_snapshots_is_a_deletion(resource_type: str, fmt: str):
    plan = make_plan(change("MODIFY", "OrdersDb", resource_type, replacement="TRUE"))
    new = parse(template(resource_type, "UpdateReplacePolicy", "Snapshot", fmt), f"new.{fmt}")
    plan = declare(plan, Templates(new=new, previous=parse(template(resource_type), "old.yaml")))
    level, message = one("stateful-replacement", plan)
    assert level == "error"
    assert f"(UpdateReplacePolicy Snapshot at new.{fmt}:" in message
    assert NO_SNAPSHOT in message
    assert "after a snapshot" not in message


@pytest.mark.parametrize("resource_type", NOT_SNAPSHOTTABLE)
def test_deletion_policy_snapshot_on_a_type_without_snapshots_is_a_deletion(resource_type: str):
    plan = make_plan(change("REMOVE", "OrdersDb", resource_type))
    plan = declare(plan, Templates(previous=parse(template(resource_type, "DeletionPolicy", "Snapshot"), "old.yaml")))
    level, message = one("stateful-removal", plan)
    assert level == "error"
    assert "(DeletionPolicy Snapshot at old.yaml:2, " + NO_SNAPSHOT in message
    assert "after a snapshot" not in message


@pytest.mark.parametrize("resource_type", sorted(SNAPSHOT_TYPES))
def test_snapshot_on_a_type_that_can_be_snapshotted_stays_a_warning(resource_type: str):
    removal = make_plan(change("REMOVE", "OrdersDb", resource_type))
    removal = declare(
        removal, Templates(previous=parse(template(resource_type, "DeletionPolicy", "Snapshot"), "old.yaml"))
    )
    assert one("stateful-removal", removal)[0] == "warning"
    replaced = make_plan(change("MODIFY", "OrdersDb", resource_type, replacement="TRUE"))
    replaced = declare(
        replaced, Templates(new=parse(template(resource_type, "UpdateReplacePolicy", "Snapshot"), "new.yaml"))
    )
    level, message = one("stateful-replacement", replaced)
    assert (level, "deleted after a snapshot" in message) == ("warning", True)


def test_retain_on_a_type_without_snapshots_still_keeps_it():
    plan = make_plan(change("MODIFY", "OrdersDb", "AWS::DynamoDB::Table", replacement="TRUE"))
    plan = declare(
        plan, Templates(new=parse(template("AWS::DynamoDB::Table", "UpdateReplacePolicy", "Retain"), "new.yaml"))
    )
    assert one("stateful-replacement", plan)[0] == "warning"


def test_configuration_adds_types_that_can_be_snapshotted():
    facts = DEFAULT_FACTS.extended(stateful=["Custom::Ledger*"], snapshot=["Custom::Ledger*"])
    assert facts.can_snapshot("Custom::LedgerStore") and not DEFAULT_FACTS.can_snapshot("Custom::LedgerStore")
    assert not DEFAULT_FACTS.can_snapshot(None)
    plan = make_plan(change("REMOVE", "OrdersDb", "Custom::LedgerStore"))
    plan = declare(
        plan, Templates(previous=parse(template("Custom::LedgerStore", "DeletionPolicy", "Snapshot"), "old.yaml"))
    )
    assert one("stateful-removal", plan, facts)[0] == "warning"
    assert one("stateful-removal", plan, DEFAULT_FACTS.extended(stateful=["Custom::Ledger*"]))[0] == "error"


def test_the_command_line_fails_a_snapshot_replacement_of_a_table(cli, tmp_path: Path):
    plan = write_json(
        tmp_path / "plan.json",
        plan_document(change("MODIFY", "OrdersDb", "AWS::DynamoDB::Table", replacement="TRUE")),
    )
    (tmp_path / "new.yaml").write_text(template("AWS::DynamoDB::Table", "UpdateReplacePolicy", "Snapshot"))
    (tmp_path / "old.yaml").write_text(template("AWS::DynamoDB::Table"))
    result = cli(
        "lint", str(plan), "--template", str(tmp_path / "new.yaml"), "--previous-template", str(tmp_path / "old.yaml")
    )
    assert result.exit_code == 1, result.stdout
    line = next(ln for ln in result.stdout.splitlines() if "PL101" in ln)
    assert "error" in line and "cannot snapshot this type" in line


def test_a_configured_snapshot_type_is_read_from_the_configuration(cli, tmp_path: Path):
    plan = write_json(tmp_path / "plan.json", plan_document(change("REMOVE", "OrdersDb", "Custom::LedgerStore")))
    (tmp_path / "old.yaml").write_text(template("Custom::LedgerStore", "DeletionPolicy", "Snapshot"))
    config = tmp_path / "planlint.toml"
    config.write_text('[resources]\nstateful = ["Custom::Ledger*"]\nsnapshot = ["Custom::LedgerStore"]\n')
    args = ("lint", str(plan), "--previous-template", str(tmp_path / "old.yaml"), "--config", str(config))
    result = cli(*args)
    assert result.exit_code == 0, result.stdout
    assert "after a snapshot" in result.stdout
    config.write_text('[resources]\nstateful = ["Custom::Ledger*"]\n')
    assert cli(*args).exit_code == 1


# --- change sets: PolicyAction ---------------------------------------------------------------


def change_set_verdicts(*changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_json(Path(folder) / "cs.json", change_set_document(*changes))
        report = lint([str(path)], templates=TemplateFiles())
    assert report.input_errors == [] and report.rule_errors == []
    return [(f.rule_name, str(f.level), f.message) for f in report.findings if f.rule_code in ("PL101", "PL102")]


def cs_change(action: str, resource_type: str, policy: str | None, replacement: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Action": action,
        "LogicalResourceId": "OrdersDb",
        "PhysicalResourceId": "orders",
        "ResourceType": resource_type,
        "Scope": [],
        "Details": [],
    }
    if replacement is not None:
        out["Replacement"] = replacement
    if policy is not None:
        out["PolicyAction"] = policy
    return out


@pytest.mark.parametrize("policy", ["Retain", "Snapshot", "Delete", "RETAIN", "SNAPSHOT"])
def test_a_removal_policy_action_on_a_replacement_is_read_as_replace_and_delete(policy: str):
    [(rule, level, message)] = change_set_verdicts(cs_change("Modify", "AWS::DynamoDB::Table", policy, "True"))
    assert (rule, level) == ("stateful-replacement", "error")
    if policy.lower() != "delete":
        assert "sends only on a removal, not on a replacement: read as ReplaceAndDelete" in message
        assert "kept" not in message


@pytest.mark.parametrize("policy", ["ReplaceAndRetain", "ReplaceAndSnapshot", "REPLACEANDRETAIN"])
def test_a_replacement_policy_action_on_a_removal_is_read_as_delete(policy: str):
    [(rule, level, message)] = change_set_verdicts(cs_change("Remove", "AWS::RDS::DBInstance", policy))
    assert (rule, level) == ("stateful-removal", "error")
    assert "sends only on a replacement, not on a REMOVE: read as Delete" in message


@pytest.mark.parametrize("resource_type", NOT_SNAPSHOTTABLE)
def test_a_snapshot_policy_action_on_a_type_without_snapshots_is_a_deletion(resource_type: str):
    [(_, removal_level, removal)] = change_set_verdicts(cs_change("Remove", resource_type, "Snapshot"))
    assert removal_level == "error" and NO_SNAPSHOT in removal
    [(_, replaced_level, replaced)] = change_set_verdicts(
        cs_change("Modify", resource_type, "ReplaceAndSnapshot", "True")
    )
    assert replaced_level == "error" and NO_SNAPSHOT in replaced


def test_policy_actions_that_fit_keep_their_verdicts():
    assert change_set_verdicts(cs_change("Remove", "AWS::DynamoDB::Table", "Retain"))[0][1] == "note"
    assert change_set_verdicts(cs_change("Remove", SNAPSHOTTABLE, "Snapshot"))[0][1] == "warning"
    assert (
        change_set_verdicts(cs_change("Modify", "AWS::DynamoDB::Table", "ReplaceAndRetain", "True"))[0][1] == "warning"
    )
    assert change_set_verdicts(cs_change("Modify", SNAPSHOTTABLE, "ReplaceAndSnapshot", "True"))[0][1] == "warning"
    # a conditional replacement may end as either
    assert change_set_verdicts(cs_change("Modify", "AWS::DynamoDB::Table", "Retain", "Conditional"))[0][1] == "warning"


# --- every combination ----------------------------------------------------------------------

POLICIES = ("Delete", "Retain", "Snapshot", "ReplaceAndDelete", "ReplaceAndRetain", "ReplaceAndSnapshot")
TYPES = (SNAPSHOTTABLE, "AWS::Redshift::Cluster", *NOT_SNAPSHOTTABLE)


def expected(action: str, replacement: str | None, policy: str | None, resource_type: str) -> tuple[str, str] | None:
    """The verdict worked out from AWS's rules: which policies go with which action, which types snapshot."""
    snap = resource_type in SNAPSHOT_TYPES
    if action == "Remove":
        fits = policy in ("Delete", "Retain", "Snapshot")
        rule = "stateful-removal"
    elif replacement == "False":
        return None
    else:
        conditional = replacement == "Conditional"
        fits = policy is not None and (conditional or policy.startswith("Replace"))
        rule = "stateful-replacement"
    if not fits or policy is None:
        return rule, "error"
    if policy.endswith("Retain"):
        return rule, "note" if action == "Remove" else "warning"
    if policy.endswith("Snapshot") and snap:
        return rule, "warning"
    return rule, "error"


def spelled(value: str, case: str) -> str:
    return {"as is": value, "upper": value.upper(), "lower": value.lower()}[case]


@settings(max_examples=60, deadline=None)
@given(
    action=st.sampled_from(["Remove", "Modify"]),
    replacement=st.sampled_from([None, "True", "False", "Conditional"]),
    policy=st.sampled_from([None, *POLICIES]),
    resource_type=st.sampled_from(TYPES),
    case=st.sampled_from(["as is", "upper", "lower"]),
)
def test_every_action_replacement_policy_and_type(
    action: str, replacement: str | None, policy: str | None, resource_type: str, case: str
):
    replacement_sent = None if action == "Remove" else replacement
    sent = cs_change(action, resource_type, policy and spelled(policy, case), replacement_sent)
    verdicts = [(rule, level) for rule, level, _ in change_set_verdicts(sent)]
    # a spelling neither API has is an unknown value, read as a deletion
    want = expected(action, replacement_sent, None if case == "lower" else policy, resource_type)
    assert verdicts == ([want] if want else [])


def test_a_policy_action_that_does_not_fit_is_said_of_resources_without_data_too():
    with tempfile.TemporaryDirectory() as folder:
        document = change_set_document(
            cs_change("Remove", "AWS::Lambda::Function", "ReplaceAndRetain"),
            {**cs_change("Modify", "AWS::SNS::Topic", "Retain", "True"), "LogicalResourceId": "Topic"},
        )
        report = lint([str(write_json(Path(folder) / "cs.json", document))], templates=TemplateFiles())
    said = {(f.rule_name, str(f.level)): f.message for f in report.findings}
    removal = said[("removal", "warning")]
    assert "sends only on a replacement, not on a REMOVE: read as Delete" in removal
    assert "kept" not in removal
    replaced = next(m for (rule, _), m in said.items() if rule == "replacement")
    assert "sends only on a removal, not on a replacement: read as ReplaceAndDelete" in replaced
