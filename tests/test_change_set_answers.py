"""The answer is the one asked for: a real boto3 client against the loopback fakes, answering with
another change set (or plan) than the one asked for — another account, region, stack or name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.test_aws import FAST, aws_env, big_plan, fake, repo  # noqa: F401 - fixtures
from tests.test_aws_change_sets import cfn  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

OWN = FIXTURES / "change-sets"
ASKED = "arn:aws:cloudformation:us-east-1:111111111111:changeSet/release-42/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
STACK = "arn:aws:cloudformation:us-east-1:111111111111:stack/orders/1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"


def document(change_set_id: str = ASKED, name: str = "release-42", stack: str = "orders") -> dict[str, Any]:
    value = json.loads((OWN / "remove-and-add.json").read_text())
    value.update(ChangeSetId=change_set_id, ChangeSetName=name, StackName=stack, StackId=STACK)
    return value


def other(**parts: str) -> str:
    """``ASKED`` with some of its parts (partition, region, account, name, uuid) replaced."""
    fields = {"partition": "aws", "region": "us-east-1", "account": "111111111111", "name": "release-42"}
    fields["uuid"] = ASKED.rsplit("/", 1)[1]
    fields.update(parts)
    return "arn:{partition}:cloudformation:{region}:{account}:changeSet/{name}/{uuid}".format(**fields)


def refused(result: Any, saved: Path) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert "not the" in line and "asked for; not used" in line
    assert not saved.exists() or not any(saved.iterdir())  # nothing saved under the name asked for


def test_an_answer_from_another_account_and_region_is_refused(cli, cfn, repo: Path):  # noqa: F811
    cfn.change_sets[ASKED] = document(other(account="222222222222", region="eu-west-1"))
    result = cli("fetch", "--change-set", ASKED, "--save-dir", "saved", *FAST)
    refused(result, repo / "saved")
    assert "222222222222" in result.stderr
    assert cli("lint", "--change-set", ASKED, *FAST).exit_code == 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    part=st.sampled_from(
        [
            {"partition": "aws-cn"},
            {"region": "us-east-2"},
            {"account": "111111111112"},
            {"name": "release-43"},
            {"name": "Release-42"},  # names are case-sensitive
            {"uuid": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f1"},
        ]
    )
)
def test_every_part_of_the_arn_must_be_the_one_asked_for(cli, cfn, repo: Path, part: dict[str, str]):  # noqa: F811
    cfn.change_sets[ASKED] = document(other(**part))
    refused(cli("fetch", "--change-set", ASKED, "--save-dir", "saved", *FAST), repo / "saved")


@pytest.mark.parametrize(
    "answer",
    [
        {"name": "release-43"},  # another change set of the stack
        {"stack": "orders-staging"},  # the same name on another stack
    ],
)
def test_by_name_and_stack_the_answer_must_name_both(cli, cfn, repo: Path, answer: dict[str, str]):  # noqa: F811
    served = document(other(**({"name": answer["name"]} if "name" in answer else {})), **answer)
    cfn.change_sets["release-42"] = served  # the fake finds it under the name asked for
    result = cli("fetch", "--change-set", "release-42", "--stack", "orders", "--save-dir", "saved", *FAST)
    refused(result, repo / "saved")


def test_by_name_and_stack_arn_the_answer_must_be_of_that_stack(cli, cfn, repo: Path):  # noqa: F811
    served = document()
    served["StackId"] = STACK.replace("111111111111", "222222222222")
    cfn.change_sets["release-42"] = served
    result = cli("fetch", "--change-set", "release-42", "--stack", STACK, "--save-dir", "saved", *FAST)
    refused(result, repo / "saved")
    cfn.change_sets["release-42"] = document()
    assert cli("fetch", "--change-set", "release-42", "--stack", STACK, "--save-dir", "ok", *FAST).exit_code == 0


def test_by_name_the_answer_is_in_the_clients_region(cli, cfn, repo: Path):  # noqa: F811
    cfn.change_sets["release-42"] = document(other(region="eu-west-1"))
    result = cli("fetch", "--change-set", "release-42", "--stack", "orders", "--save-dir", "saved", *FAST)
    assert result.exit_code == 2 and "not a change set in us-east-1 as asked for" in result.stderr
    cfn.change_sets["release-42"] = document()
    assert cli("fetch", "--change-set", "release-42", "--stack", "orders", "-o", "ok.json", *FAST).exit_code == 0


def test_the_answer_asked_for_is_used(cli, cfn, repo: Path):  # noqa: F811
    cfn.add(document())
    result = cli("fetch", "--change-set", ASKED, "--save-dir", "saved", *FAST)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (repo / "saved").iterdir()] == ["release-42-0f1e2d3c.json"]


def test_a_nested_change_set_answered_by_another_is_refused(cli, cfn, repo: Path):  # noqa: F811
    root = cfn.add(json.loads((OWN / "nested-root.json").read_text()))
    child = json.loads((OWN / "nested-child.json").read_text())
    asked_child = child["ChangeSetId"]
    child["ChangeSetId"] = asked_child.replace("123456789012", "210987654321")
    cfn.change_sets[asked_child] = child
    result = cli("lint", "--change-set", root, *FAST)
    assert result.exit_code == 2
    assert "210987654321" in result.stderr and "asked for; not used" in result.stderr


def test_a_plan_answered_by_another_plan_is_refused(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(3, plan_id="pl-otherplan00001"))
    fake.plans["pl-asked000000001"] = fake.plans["pl-otherplan00001"]
    result = cli("fetch", "--plan-id", "pl-asked000000001", "--save-dir", "saved", *FAST)
    assert result.exit_code == 2
    assert (
        "page 1 of the answer describes ProvisionedProductPlanDetails.PlanId pl-otherplan00001, "
        "not the pl-asked000000001 asked for; not used"
    ) in result.stderr
    assert not (repo / "saved").exists() or not any((repo / "saved").iterdir())
