"""What a document says of its own state: a plan or change set that says it was created but shows
no changes, and a document that does not say its status at all, are judged alike for both kinds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.testing import change, change_set_document, plan_document
from tests.conftest import write_json

SUCCEEDED = {"plan": ("CREATE_SUCCESS", "ResourceChanges"), "change set": ("CREATE_COMPLETE", "Changes")}
BUCKET = {
    "Action": "Modify",
    "LogicalResourceId": "Logs",
    "ResourceType": "AWS::Logs::LogGroup",
    "Replacement": "False",
    "Scope": ["Tags"],
    "Details": [{"Evaluation": "Static", "ChangeSource": "DirectModification", "Target": {"Attribute": "Tags"}}],
}


def _document(kind: str, missing: str) -> dict[str, Any]:
    document = plan_document() if kind == "plan" else change_set_document()
    member = SUCCEEDED[kind][1]
    if missing == "absent":
        del document[member]
    elif missing == "null":
        document[member] = None
    else:
        document[member] = []
    return document


@pytest.mark.parametrize("missing", ["absent", "null", "empty"])
def test_a_complete_change_set_without_changes_fails_closed(cli, tmp_path: Path, missing: str):
    # CloudFormation sends Changes even for a FAILED change set, and fails one that has none
    path = write_json(tmp_path / "doc.json", _document("change set", missing))
    result = cli("lint", str(path))
    assert result.exit_code == 1, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert "error PL402 incomplete-plan: change set test-change-set for stack test-stack is CREATE_COMPLETE" in text
    assert "but its document lists no changes: AWS fails a change set that contains none" in text


@pytest.mark.parametrize("missing", ["absent", "null", "empty"])
def test_a_successful_plan_without_changes_is_warned_about_whatever_the_spelling(cli, tmp_path: Path, missing: str):
    # Service Catalog leaves an empty ResourceChanges out: absent, null and [] say the same
    path = write_json(tmp_path / "doc.json", _document("plan", missing))
    assert cli("lint", str(path)).exit_code == 0
    result = cli("lint", str(path), "--fail-on", "warning")
    assert result.exit_code == 1, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert "warning PL402 incomplete-plan: plan test-plan for test-product is CREATE_SUCCESS" in text
    assert "planlint cannot tell no changes from changes left out" in text


def test_a_successful_change_set_from_aws_with_changes_is_not_that_error(cli, tmp_path: Path):
    path = write_json(tmp_path / "cs.json", change_set_document(BUCKET))
    result = cli("lint", str(path), "--format", "json")
    assert [f["rule_name"] for f in json.loads(result.stdout)["findings"]] == ["tag-change"]


@pytest.mark.parametrize("kind", ["plan", "change set"])
def test_a_document_that_failed_for_no_changes_stays_a_note(cli, tmp_path: Path, kind: str):
    reason = "The submitted information didn't contain changes. Submit different information to create a change set."
    if kind == "plan":
        document = plan_document(status="CREATE_FAILED", status_message=reason)
    else:
        document = change_set_document(status="FAILED", execution_status="UNAVAILABLE", status_reason=reason)
    result = cli("lint", str(write_json(tmp_path / "doc.json", document)), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule_name"], f["severity"]) for f in findings] == [("plan-status", "note")]


def test_a_page_with_a_next_token_and_no_changes_is_incomplete_once(cli, tmp_path: Path):
    document = change_set_document(next_token="page-2")
    result = cli("lint", str(write_json(tmp_path / "cs.json", document)), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [f["rule_name"] for f in findings if f["rule_name"] == "incomplete-plan"] == ["incomplete-plan"]


# --- a document that does not say its status ----------------------------------------------------


def _console_list() -> list[dict[str, Any]]:
    return [{"type": "Resource", "resourceChange": {k[:1].lower() + k[1:]: v for k, v in BUCKET.items()}}]


def _without_status(kind: str) -> Any:
    if kind == "plan":
        document = plan_document(change("MODIFY", "Logs", "AWS::Logs::LogGroup"))
        del document["ProvisionedProductPlanDetails"]["Status"]
        return document
    if kind == "change set":
        document = change_set_document(BUCKET)
        del document["Status"]
        return document
    return _console_list()


@pytest.mark.parametrize("kind", ["plan", "change set", "console list"])
def test_a_document_that_does_not_say_its_status_is_judged_alike(cli, tmp_path: Path, kind: str):
    path = write_json(tmp_path / "doc.json", _without_status(kind))
    result = cli("lint", str(path), "--format", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    statuses = [f for f in json.loads(result.stdout)["findings"] if f["rule_name"] == "plan-status"]
    assert [f["severity"] for f in statuses] == ["error"]
    assert "cannot vouch" in statuses[0]["message"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([None, "", "  "]), ids=st.booleans())
def test_every_spelling_of_no_status_is_an_error(tmp_path: Path, status: str | None, ids: bool):
    from planlint.gate import lint

    document = change_set_document(BUCKET)
    document["Status"] = status
    if not ids:
        for key in ("ChangeSetId", "ChangeSetName", "StackId", "StackName"):
            del document[key]
    path = write_json(tmp_path / "doc.json", document)
    report = lint([str(path)])
    assert [f.level.value for f in report.findings if f.rule_name == "plan-status"] == ["error"]
