"""Bad input: one line naming the file and where in it, exit 2, no traceback, other files still linted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, run_planlint, write_json


def bad_documents() -> list[tuple[str, object, str]]:
    action = plan_document(*[change("ADD", f"R{i}", "AWS::SNS::Topic") for i in range(5)])
    action["ResourceChanges"][3]["Action"] = 7
    when = plan_document()
    when["ProvisionedProductPlanDetails"]["CreatedTime"] = "yesterday"
    tag = plan_document()
    tag["ProvisionedProductPlanDetails"]["Tags"] = [{"Key": "Owner"}]
    changes_object = plan_document()
    changes_object["ResourceChanges"] = {"a": 1}
    nested = plan_document(change("MODIFY", "X", "AWS::S3::Bucket"))
    nested["ResourceChanges"][0]["Details"] = [{"Target": {"Name": 5}}]
    scope = plan_document(change("MODIFY", "X", "AWS::S3::Bucket"))
    scope["ResourceChanges"][0]["Scope"] = [None]
    flag = plan_document()
    flag["ProvisionedProductPlanDetails"]["ProvisioningParameters"] = [
        {"Key": "DbPassword", "Value": "s3cr3t-value", "UsePreviousValue": "maybe"}
    ]
    return [
        ("action", action, "ResourceChanges[3].Action: expected a string, got 7"),
        ("time", when, 'ProvisionedProductPlanDetails.CreatedTime: expected a timestamp, got "yesterday"'),
        ("tag", tag, "ProvisionedProductPlanDetails.Tags[0].Value: required but missing"),
        ("changes-object", changes_object, "ResourceChanges: expected a list, got an object"),
        (
            "pages",
            [plan_document(plan_id="a"), nested],
            "[1].ResourceChanges[0].Details[0].Target.Name: expected a string, got 5",
        ),
        ("page-number", [plan_document(), 5], "[1]: expected a DescribeProvisionedProductPlan response, got a number"),
        ("scope", scope, "ResourceChanges[0].Scope[0]: expected a string, got null"),
        (
            "flag",
            flag,
            "ProvisionedProductPlanDetails.ProvisioningParameters[0].UsePreviousValue: expected true or false, got a string",
        ),
        (
            "stacks",
            {"Stacks": []},
            "not a DescribeProvisionedProductPlan response: no ProvisionedProductPlanDetails; this is a DescribeStacks "
            "response; save `aws cloudformation describe-change-set --stack-name STACK --change-set-name NAME "
            "--include-property-values` for the change set instead",
        ),
        (
            "neither",
            {"Plans": []},
            "not a DescribeProvisionedProductPlan response: no ProvisionedProductPlanDetails; "
            "nor a DescribeChangeSet response: no Changes or ChangeSetId",
        ),
        ("number", 42, "expected a DescribeProvisionedProductPlan response (an object), got a number"),
        ("empty-list", [], "empty list; expected DescribeProvisionedProductPlan responses"),
        (
            "surrogate",
            plan_document(change("\ud800", "A", "AWS::SNS::Topic")),
            "ResourceChanges[0].Action: expected text, got a string with an unpaired surrogate escape",
        ),
    ]


@pytest.mark.parametrize("name,document,message", bad_documents(), ids=[d[0] for d in bad_documents()])
def test_invalid_document_gives_one_line(cli, tmp_path: Path, name: str, document: object, message: str):
    path = write_json(tmp_path / f"{name}.json", document)
    result = cli("lint", str(path), str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {path}: {message}\n"
    # the valid file in the same run is still linted and reported
    assert "plan reports-memory-bump for reports-" in result.stdout
    assert "1 input could not be read: the check is incomplete" in result.stdout


@pytest.mark.parametrize(
    "content,message",
    [
        (
            b'{"ProvisionedProductPlanDetails": {"PlanId": "x",\n  "Status": "CREATE_SUCCESS"\n',
            "line 3 column 1: invalid JSON: Expecting ',' delimiter",
        ),
        (b'{"ProvisionedProductPlanDetails": {}} x', "line 1 column 39: invalid JSON: Extra data"),
        (b'{"a": "caf\xe9"}', "byte 10: not UTF-8 text"),
        (b"  \n", "empty file; expected a DescribeProvisionedProductPlan response"),
        (
            b"{'ProvisionedProductPlanDetails': 1}",
            "line 1 column 2: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (b'[{"ProvisionedProductPlanDetails": {}} {}]', "line 1 column 40: invalid JSON: Expecting ',' delimiter"),
    ],
)
def test_unreadable_text_gives_one_line(cli, tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    result = cli("lint", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {path}: {message}\n"


def test_missing_file(cli, tmp_path: Path):
    result = cli("lint", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {tmp_path / 'nope.json'}: no such file or directory\n"


def test_no_plan_given(cli):
    result = cli("lint")
    assert result.exit_code == 2
    assert "no plan given" in result.stderr


def test_secret_parameter_of_the_wrong_type_is_not_shown(cli, tmp_path: Path):
    doc = plan_document()
    doc["ProvisionedProductPlanDetails"]["ProvisioningParameters"] = [{"Key": "DbPassword", "Value": 987654321}]
    path = write_json(tmp_path / "p.json", doc)
    result = cli("lint", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"planlint: error: {path}: ProvisionedProductPlanDetails.ProvisioningParameters[0].Value: "
        "expected a string, got a number\n"
    )
    assert "987654321" not in result.stdout + result.stderr


def test_control_characters_in_error_are_neutralised(cli, tmp_path: Path):
    doc = plan_document()
    doc["ProvisionedProductPlanDetails"]["CreatedTime"] = "\x1b]0;owned\x07"
    path = write_json(tmp_path / "p.json", doc)
    result = cli("lint", str(path))
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07" in result.stderr


def test_no_traceback_in_a_real_process(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ResourceChanges": "nope"}))
    proc = run_planlint(["lint", str(bad)])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
