"""Pages of one plan (or change set) are merged only when they describe it alike: AWS repeats every
detail on every page, so pages that differ in one are refused — one line naming both, exit 2."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.model.plan import _plain
from planlint.read.load import Document, load
from planlint.testing import change, change_set_document, plan_document
from tests.conftest import write_json
from tests.test_aws import FAST, aws_env, big_plan, fake, repo  # noqa: F401 - fixtures
from tests.test_aws_change_sets import MULTIPLE, cfn, serve  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset


def plan_pages(**second: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    first = plan_document(change("ADD", "A", "AWS::SNS::Topic"), next_page_token="t2")
    other = plan_document(change("ADD", "B", "AWS::SNS::Topic"))
    other["ProvisionedProductPlanDetails"].update(second)
    return first, other


def change_set_pages(**second: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    first = change_set_document(change("Add", "A", "AWS::SNS::Topic"), next_token="t2")
    other = change_set_document(change("Add", "B", "AWS::SNS::Topic"))
    other.update(second)
    return first, other


def errors_of(tmp_path: Path, *pages: dict[str, Any]) -> list[str]:
    names = []
    for i, page in enumerate(pages, 1):
        write_json(tmp_path / f"p{i}.json", page)
        names.append(str(tmp_path / f"p{i}.json"))
    result = load(names)
    return [str(e) for e in result.errors]


@pytest.mark.parametrize("reverse", [False, True])
def test_plan_pages_whose_status_differs_are_refused_naming_both_files(cli, tmp_path, monkeypatch, reverse: bool):
    monkeypatch.chdir(tmp_path)
    first, other = plan_pages(Status="EXECUTE_IN_PROGRESS")
    if reverse:  # the executed page first, one saved before the plan ran second
        first["ProvisionedProductPlanDetails"]["Status"] = "EXECUTE_SUCCESS"
        other["ProvisionedProductPlanDetails"]["Status"] = "CREATE_SUCCESS"
    write_json(tmp_path / "p1.json", first)
    write_json(tmp_path / "p2.json", other)
    result = cli("lint", "p1.json", "p2.json")
    assert result.exit_code == 2, result.stdout
    mine, theirs = ("CREATE_SUCCESS", "EXECUTE_SUCCESS") if reverse else ("EXECUTE_IN_PROGRESS", "CREATE_SUCCESS")
    assert result.stderr.splitlines() == [
        "planlint: error: p2.json: ProvisionedProductPlanDetails.Status: differs from p1.json, another page of plan "
        f"pl-test0000000001 ({mine} here, {theirs} there): pages that disagree are not one plan; was it changing "
        "while its pages were saved? Save them again"
    ]


def test_pages_found_beside_a_file_that_disagree_are_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    first, other = plan_pages(ProvisioningArtifactId="pa-other0000001")
    write_json(tmp_path / "plans" / "a.json", first)
    write_json(tmp_path / "plans" / "b.json", other)
    result = cli("lint", "--pages-from-dir", "plans/a.json")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("planlint: error: plans/b.json: ProvisionedProductPlanDetails.ProvisioningArtifactId: ")
    assert "differs from plans/a.json, another page of plan pl-test0000000001: " in line


def test_pages_in_one_file_that_disagree_name_their_places(tmp_path: Path):
    first, other = plan_pages(ProvisionProductName="someone-else")
    write_json(tmp_path / "both.json", [first, other])
    [error] = [str(e) for e in load([str(tmp_path / "both.json")]).errors]
    assert error.endswith(
        "both.json: [1].ProvisionedProductPlanDetails.ProvisionProductName: differs from "
        f"{tmp_path / 'both.json'}[0], another page of plan pl-test0000000001: pages that disagree are not one "
        "plan; was it changing while its pages were saved? Save them again"
    )


PLAN_DIFFERENCES: list[tuple[str, Any]] = [
    ("Status", "EXECUTE_SUCCESS"),
    ("PlanName", "another-plan"),
    ("ProvisionProductId", "pp-other00000001"),
    ("ProvisionProductName", "other-product"),
    ("ProvisioningArtifactId", "pa-other00000001"),
    ("ProductId", "prod-other0000001"),
    ("PathId", "lpv2-other000001"),
    ("UpdatedTime", "2026-01-02T00:00:00+00:00"),
    ("CreatedTime", "2026-01-01T00:00:01+00:00"),
    ("StatusMessage", "now failed"),
    ("Tags", [{"Key": "team", "Value": "b"}]),
    ("ProvisioningParameters", [{"Key": "Password", "Value": "hunter2-secret"}]),
    ("NotificationArns", ["arn:aws:sns:us-east-1:123456789012:t"]),
]


@pytest.mark.parametrize("member,value", PLAN_DIFFERENCES)
def test_every_plan_detail_a_page_repeats_is_compared(tmp_path: Path, member: str, value: Any):
    [error] = errors_of(tmp_path, *plan_pages(**{member: value}))
    assert f"p2.json: ProvisionedProductPlanDetails.{member}: differs from " in error
    assert "hunter2" not in error  # parameter values are secrets: never shown


@pytest.mark.parametrize(
    "member,value",
    [
        ("Status", "FAILED"),
        ("ExecutionStatus", "EXECUTE_IN_PROGRESS"),
        ("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/other/1a2b3c4d"),
        ("StackName", "other-stack"),
        ("ChangeSetName", "other-change-set"),
        ("Parameters", [{"ParameterKey": "Env", "ParameterValue": "prod"}]),
        ("Capabilities", ["CAPABILITY_IAM"]),
        ("IncludeNestedStacks", True),
        ("StatusReason", "gone"),
        ("Tags", [{"Key": "team", "Value": "b"}]),
    ],
)
def test_every_change_set_detail_a_page_repeats_is_compared(tmp_path: Path, member: str, value: Any):
    [error] = errors_of(tmp_path, *change_set_pages(**{member: value}))
    assert f"p2.json: {member}: differs from " in error and "another page of change set " in error


def test_a_change_set_whose_status_differs_between_pages_shows_both():
    first, other = change_set_pages(ExecutionStatus="EXECUTE_COMPLETE")
    result = load([], documents=[Document("one", json.dumps(first)), Document("two", json.dumps(other))])
    [error] = [str(e) for e in result.errors]
    assert error.startswith("two: ExecutionStatus: differs from one, another page of change set ")
    assert "(EXECUTE_COMPLETE here, AVAILABLE there)" in error


@pytest.mark.parametrize(
    "first_has,second_has",
    [
        ({"StatusMessage": None}, {}),  # null on one page, absent on the other: no value on both
        ({"Tags": []}, {"Tags": None}),
        ({"UpdatedTime": "2026-01-01T00:00:00Z"}, {"UpdatedTime": "2026-01-01 00:00:00+00:00"}),  # one moment
    ],
)
def test_pages_that_say_the_same_in_other_words_are_one_plan(tmp_path: Path, first_has, second_has):
    first, other = plan_pages()
    for page, members in ((first, first_has), (other, second_has)):
        details = page["ProvisionedProductPlanDetails"]
        for member in ("StatusMessage", "Tags", "UpdatedTime"):
            details.pop(member, None)
        details.update(members)
    result = load([str(write_json(tmp_path / "p1.json", first)), str(write_json(tmp_path / "p2.json", other))])
    assert result.errors == []
    [plan] = result.plans
    assert (plan.pages, len(plan.changes)) == (2, 2)


def test_a_value_on_one_page_and_none_on_the_other_differ(tmp_path: Path):
    first, other = plan_pages()
    first["ProvisionedProductPlanDetails"]["StatusMessage"] = "all good"
    [error] = errors_of(tmp_path, first, other)
    assert "ProvisionedProductPlanDetails.StatusMessage: differs from " in error


@settings(max_examples=40, deadline=None)
@given(
    member=st.sampled_from([m for m, _ in PLAN_DIFFERENCES]),
    pages=st.integers(min_value=2, max_value=4),
    at=st.integers(min_value=1, max_value=3),
)
def test_any_page_that_differs_from_the_first_is_refused(tmp_path_factory, member: str, pages: int, at: int):
    at = min(at, pages - 1)
    documents = []
    for i in range(pages):
        page = plan_document(change("ADD", f"R{i}", "AWS::SNS::Topic"), next_page_token=f"t{i}")
        documents.append(page)
    documents[-1]["NextPageToken"] = None
    same = load([str(write_json(tmp_path_factory.mktemp("same") / f"p{i}.json", d)) for i, d in enumerate(documents)])
    assert same.errors == [] and same.plans[0].pages == pages
    documents = copy.deepcopy(documents)
    documents[at]["ProvisionedProductPlanDetails"][member] = dict(PLAN_DIFFERENCES)[member]
    folder = tmp_path_factory.mktemp("differ")
    result = load([str(write_json(folder / f"p{i}.json", d)) for i, d in enumerate(documents)])
    [error] = [str(e) for e in result.errors]
    assert f"p{at}.json: ProvisionedProductPlanDetails.{member}: differs from {folder / 'p0.json'}, " in error
    assert result.plans == []


# --- pages fetched with a real boto3 client from the loopback fakes ----------------------------


@pytest.mark.parametrize(
    "members,words",
    [
        ({"Status": "EXECUTE_IN_PROGRESS"}, "ProvisionedProductPlanDetails.Status otherwise than page 1 "),
        ({"ProvisioningArtifactId": "pa-other00000001"}, "ProvisionedProductPlanDetails.ProvisioningArtifactId "),
        ({"Tags": [{"Key": "team", "Value": "b"}]}, "ProvisionedProductPlanDetails.Tags otherwise than page 1;"),
    ],
)
def test_fetched_plan_pages_that_disagree_are_refused(cli, fake, repo: Path, members: dict[str, Any], words: str):  # noqa: F811
    fake.add_plan(big_plan(60))
    fake.faults.details_on_page_2.update(members)
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("planlint: error: plan pl-bigplan0000001: page 2 describes ") and words in line
    assert line.endswith("the plan changed while it was read, try again")


def test_fetched_plan_pages_that_agree_are_one_plan(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(60))
    result = cli("fetch", "--plan-id", "pl-bigplan0000001", "-o", "saved.json", *FAST)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads((repo / "saved.json").read_text())["ResourceChanges"]) == 60


@pytest.mark.parametrize(
    "members,words",
    [
        (
            {"ExecutionStatus": "EXECUTE_IN_PROGRESS"},
            "ExecutionStatus otherwise than page 1 (EXECUTE_IN_PROGRESS, not ",
        ),
        (
            {"Parameters": [{"ParameterKey": "Secret", "ParameterValue": "hunter2"}]},
            "Parameters otherwise than page 1;",
        ),
    ],
)
def test_fetched_change_set_pages_that_disagree_are_refused(cli, cfn, repo: Path, members: dict[str, Any], words: str):  # noqa: F811
    arn = serve(cfn, MULTIPLE)
    cfn.faults.on_page_2.update(members)
    result = cli("lint", "--change-set", arn, *FAST)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"planlint: error: change set {arn}: page 2 describes ") and words in line
    assert "hunter2" not in line


# --- members no model reads: compared as written, never shown ------------------------------------

ROLLBACK = {"MonitoringTimeInMinutes": 5, "RollbackTriggers": [{"Arn": "arn:aws:cloudwatch:x", "Type": "A"}]}


@pytest.mark.parametrize(
    "member,value",
    [
        ("RollbackConfiguration", ROLLBACK),
        ("RollbackConfiguration", {"MonitoringTimeInMinutes": 0}),
        ("NewMemberAwsAddsLater", "hunter2-secret"),
        ("NewMemberAwsAddsLater", {"Nested": ["hunter2-secret"]}),
    ],
)
def test_a_change_set_member_no_model_reads_is_compared(tmp_path: Path, member: str, value: Any):
    [error] = errors_of(tmp_path, *change_set_pages(**{member: value}))
    assert f"p2.json: {member}: differs from " in error and "another page of change set " in error
    assert "hunter2" not in error and "(" not in error.split("differs from")[1].split(":")[0]


@pytest.mark.parametrize(
    "where,member",
    [("top", "Extra"), ("details", "Extra"), ("details", "SomethingNew"), ("top", "Warnings")],
)
def test_a_plan_member_no_model_reads_is_compared(tmp_path: Path, where: str, member: str):
    first, other = plan_pages()
    (other if where == "top" else other["ProvisionedProductPlanDetails"])[member] = "hunter2-x"
    [error] = errors_of(tmp_path, first, other)
    named = member if where == "top" else f"ProvisionedProductPlanDetails.{member}"
    assert f"p2.json: {named}: differs from " in error and "hunter2" not in error


@pytest.mark.parametrize(
    "first_has,second_has",
    [
        ({}, {"RollbackConfiguration": {}}),
        ({"RollbackConfiguration": None}, {"RollbackConfiguration": {"RollbackTriggers": []}}),
        ({"RollbackConfiguration": ROLLBACK}, {"RollbackConfiguration": dict(reversed(list(ROLLBACK.items())))}),
        ({"ResponseMetadata": {"RequestId": "a"}}, {"ResponseMetadata": {"RequestId": "b"}}),
        ({"Extra": []}, {}),
    ],
)
def test_change_set_pages_that_say_the_same_of_unread_members_are_one(tmp_path: Path, first_has, second_has):
    first, other = change_set_pages()
    first.update(first_has)
    other.update(second_has)
    result = load([str(write_json(tmp_path / "p1.json", first)), str(write_json(tmp_path / "p2.json", other))])
    assert result.errors == []
    assert [p.pages for p in result.plans] == [2]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None)
@given(mine=json_values, theirs=json_values)
def test_any_unread_member_agrees_exactly_when_its_values_mean_the_same(tmp_path_factory, mine, theirs):
    first, other = change_set_pages(Unread=theirs)
    first["Unread"] = mine
    folder = tmp_path_factory.mktemp("pages")
    result = load([str(write_json(folder / "p1.json", first)), str(write_json(folder / "p2.json", other))])
    assert (result.errors == []) == (_plain(mine) == _plain(theirs))


def test_fetched_change_set_pages_whose_rollback_configuration_differs_are_refused(cli, cfn, repo: Path):  # noqa: F811
    arn = serve(cfn, MULTIPLE)
    cfn.faults.on_page_2.update({"RollbackConfiguration": ROLLBACK})
    result = cli("lint", "--change-set", arn, *FAST)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"planlint: error: change set {arn}: page 2 describes RollbackConfiguration otherwise")
    assert "cloudwatch" not in line
