"""Nested change sets are linked only when parent and child name each other: the parent's stack change
(``ChangeSetId``, ``PhysicalResourceId``) and the child's ``ParentChangeSetId``, ``RootChangeSetId`` and
``StackId`` agree. A loop or a child claimed twice is refused; any other disagreement leaves the
child unlinked, warned about, and ``nested-stack-change`` still speaks for its parent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.gate import lint
from tests.conftest import FIXTURES, write_json
from tests.test_aws import FAST, aws_env, repo  # noqa: F401 - fixtures
from tests.test_aws_change_sets import cfn  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

OWN = FIXTURES / "change-sets"
ROOT: dict[str, Any] = json.loads((OWN / "nested-root.json").read_text())
CHILD: dict[str, Any] = json.loads((OWN / "nested-child.json").read_text())
OTHER_ID = "arn:aws:cloudformation:eu-west-1:123456789012:changeSet/other-update/0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
OTHER_STACK = (
    "arn:aws:cloudformation:eu-west-1:123456789012:stack/platform-Other-9Z8Y7X/3c4d5e6f-2f4a-11f0-8e1b-0a1b2c3d4e5f"
)


def stack_change(document: dict[str, Any]) -> dict[str, Any]:
    [found] = [
        c["ResourceChange"]
        for c in document["Changes"]
        if c["ResourceChange"]["ResourceType"] == "AWS::CloudFormation::Stack"
    ]
    return found


def nested_as(document: dict[str, Any], parent: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """``document`` made a child of ``parent`` from both sides, under a stack change ``logical_id``."""
    document = copy.deepcopy(document)
    document["ParentChangeSetId"] = parent["ChangeSetId"]
    document["RootChangeSetId"] = parent.get("RootChangeSetId") or parent["ChangeSetId"]
    change = copy.deepcopy(stack_change(ROOT))
    change.update(LogicalResourceId=logical_id, ChangeSetId=document["ChangeSetId"])
    change["PhysicalResourceId"] = document["StackId"]
    parent["Changes"].append({"Type": "Resource", "ResourceChange": change})
    return document


def linted(tmp_path: Path, *documents: dict[str, Any]) -> tuple[Any, list[str]]:
    paths = [str(write_json(tmp_path / f"cs-{i}.json", d)) for i, d in enumerate(documents)]
    return lint(paths), paths


def rules_on(report: Any) -> list[tuple[str, str | None]]:
    return [(f.rule_name, f.logical_id or f.subject) for f in report.findings]


def assert_not_linked(report: Any) -> None:
    found = rules_on(report)
    assert ("nested-stack-change", "NetworkStack") in found  # the parent still says what it cannot see
    assert ("stateful-removal", "FlowLogsBucket") in found  # the child linted on its own, not by path
    assert not any(name and name.startswith("NetworkStack/") for _, name in found)
    [unlinked] = [f for f in report.findings if f.rule_name == "nested-stack-change" and f.subject == "not linked"]
    assert unlinked.level.value == "warning" and "not linked" in unlinked.message


def test_a_child_whose_ids_agree_is_linked(tmp_path: Path):
    report, _ = linted(tmp_path, ROOT, CHILD)
    assert rules_on(report) == [
        ("stateful-removal", "NetworkStack/FlowLogsBucket"),
        ("tag-change", "NetworkStack/PrivateRouteTable"),
    ]


# --- disagreements: left unlinked and warned about ---------------------------------------------


def _child(**ids: Any) -> dict[str, Any]:
    child = copy.deepcopy(CHILD)
    for key, value in ids.items():
        if value is None:
            child.pop(key, None)
        else:
            child[key] = value
    return child


def _root(**ids: Any) -> dict[str, Any]:
    root = copy.deepcopy(ROOT)
    change = stack_change(root)
    for key, value in ids.items():
        if value is None:
            change.pop(key, None)
        else:
            change[key] = value
    return root


@pytest.mark.parametrize(
    "root,child",
    [
        pytest.param(ROOT, _child(StackId=OTHER_STACK), id="the child is of another stack"),
        pytest.param(ROOT, _child(ParentChangeSetId=OTHER_ID), id="the child names another parent"),
        pytest.param(ROOT, _child(ParentChangeSetId=None), id="the child names no parent"),
        pytest.param(ROOT, _child(RootChangeSetId=OTHER_ID), id="the child names another root"),
        pytest.param(ROOT, _child(RootChangeSetId=None), id="the child names no root"),
        pytest.param(_root(ChangeSetId=OTHER_ID), CHILD, id="the parent names another child"),
        pytest.param(_root(PhysicalResourceId=None), CHILD, id="the parent's stack change names no stack"),
        pytest.param(_root(PhysicalResourceId=OTHER_STACK), CHILD, id="the parent's stack change is of another stack"),
        pytest.param(
            ROOT,
            _child(ParentChangeSetId=CHILD["ParentChangeSetId"].upper()),
            id="the child names its parent in another case",
        ),
        pytest.param(
            ROOT,
            _child(StackId=CHILD["StackId"].replace(":123456789012:", ":210987654321:")),
            id="the child's stack is in another account",
        ),
    ],
)
def test_a_child_that_does_not_agree_is_not_linked_and_is_warned_about(
    cli, tmp_path: Path, root: dict[str, Any], child: dict[str, Any]
):
    report, paths = linted(tmp_path, root, child)
    assert_not_linked(report)
    result = cli("lint", *paths, "--fail-on", "warning")
    assert result.exit_code == 1
    assert "nested-stack-change" in result.stdout


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    side=st.sampled_from(["ParentChangeSetId", "RootChangeSetId", "StackId", "ChangeSetId@root", "Physical@root"]),
    how=st.sampled_from(["other", "missing", "swapped case", "space", "trailing slash"]),
)
def test_no_spelling_of_a_wrong_id_links_a_child(tmp_path: Path, side: str, how: str):
    root, child = copy.deepcopy(ROOT), copy.deepcopy(CHILD)
    target, key = (stack_change(root), side.split("@")[0]) if "@" in side else (child, side)
    key = "PhysicalResourceId" if key == "Physical" else key
    value = target[key]
    spelled = {
        "other": OTHER_STACK if "Stack" in key or key == "PhysicalResourceId" else OTHER_ID,
        "missing": None,
        "swapped case": value.swapcase(),
        "space": value + " ",
        "trailing slash": value + "/",
    }[how]
    if spelled is None and key == "ChangeSetId":
        return  # a stack change that names no change set leaves the link to the child's ids (see below)
    if spelled is None:
        del target[key]
    else:
        target[key] = spelled
    report, _ = linted(tmp_path, root, child)
    assert_not_linked(report)


def test_a_parent_that_names_no_change_set_links_by_the_childs_ids(tmp_path: Path):
    # a viewer that saved the root replaced the stack change's ChangeSetId by a file name
    for spelled in ("file://examples/nested.nested.json", None):
        report, _ = linted(tmp_path, _root(ChangeSetId=spelled), CHILD)
        assert ("stateful-removal", "NetworkStack/FlowLogsBucket") in rules_on(report)


def test_a_new_nested_stack_has_no_stack_id_yet_and_is_linked_by_its_change_set_id(tmp_path: Path):
    root = _root(PhysicalResourceId=None, Action="Add", Replacement=None, Scope=[], Details=[])
    report, _ = linted(tmp_path, root, CHILD)
    assert ("stateful-removal", "NetworkStack/FlowLogsBucket") in rules_on(report)
    report, _ = linted(tmp_path, _root(PhysicalResourceId=None, Action="Add", ChangeSetId="file://c.json"), CHILD)
    assert ("nested-stack-change", "not linked") in rules_on(report)  # then nothing ties the child to it


def test_a_child_of_a_grandchild_chain_names_the_root_of_the_run(tmp_path: Path):
    root, child = copy.deepcopy(ROOT), copy.deepcopy(CHILD)
    grandchild = copy.deepcopy(CHILD)
    grandchild.update(
        ChangeSetId=OTHER_ID.replace("other-update", "network-update-Subnets-1"),
        ChangeSetName="network-update-Subnets-1",
        StackId=OTHER_STACK,
    )
    grandchild = nested_as(grandchild, child, "Subnets")
    report, _ = linted(tmp_path, root, child, grandchild)
    assert ("stateful-removal", "NetworkStack/Subnets/FlowLogsBucket") in rules_on(report)
    wrong_root = copy.deepcopy(grandchild)
    wrong_root["RootChangeSetId"] = child["ChangeSetId"]  # its parent, not the root
    report, _ = linted(tmp_path, root, child, wrong_root)
    assert ("nested-stack-change", "not linked") in rules_on(report)
    assert ("nested-stack-change", "NetworkStack/Subnets") in rules_on(report)


# --- contradictions: refused, naming the files -------------------------------------------------


def _refused(cli, paths: list[str], *expected: str) -> str:
    result = cli("lint", *paths, "--fail-on", "never")
    assert result.exit_code == 2, result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr
    return result.stderr


def test_two_change_sets_that_name_each_other_are_refused(cli, tmp_path: Path):
    a, b = copy.deepcopy(ROOT), copy.deepcopy(CHILD)
    a = nested_as(a, b, "Loop")  # a is b's child, and b is a's
    _, paths = linted(tmp_path, a, b)
    stderr = _refused(cli, paths, "name each other in a loop", paths[0], paths[1])
    assert len([line for line in stderr.splitlines() if "loop" in line]) == 1


def test_a_loop_named_by_change_set_ids_alone_is_refused(cli, tmp_path: Path):
    a, b = copy.deepcopy(CHILD), copy.deepcopy(ROOT)
    for key in ("ParentChangeSetId", "RootChangeSetId"):
        a.pop(key)
    change = copy.deepcopy(stack_change(ROOT))
    change.update(ChangeSetId=b["ChangeSetId"], PhysicalResourceId=b["StackId"])
    a["Changes"].append({"Type": "Resource", "ResourceChange": change})
    _, paths = linted(tmp_path, a, b)
    _refused(cli, paths, "name each other in a loop")


def test_a_change_set_that_names_itself_is_refused(cli, tmp_path: Path):
    root = _root(ChangeSetId=ROOT["ChangeSetId"])
    _, paths = linted(tmp_path, root)
    _refused(cli, paths, "name each other in a loop", paths[0])


def test_a_loop_of_three_is_refused(cli, tmp_path: Path):
    a, b = copy.deepcopy(ROOT), copy.deepcopy(CHILD)
    c = copy.deepcopy(CHILD)
    c.update(ChangeSetId=OTHER_ID, ChangeSetName="other-update", StackId=OTHER_STACK)
    c = nested_as(c, b, "Third")
    a = nested_as(a, c, "First")
    _, paths = linted(tmp_path, a, b, c)
    _refused(cli, paths, "name each other in a loop", *paths)


def test_a_child_claimed_by_two_parents_is_refused(cli, tmp_path: Path):
    second = copy.deepcopy(ROOT)
    second.update(ChangeSetId=OTHER_ID, ChangeSetName="other-update")
    _, paths = linted(tmp_path, ROOT, second, CHILD)
    _refused(cli, paths, "claimed by 2 stack changes", *paths)


def test_a_child_claimed_twice_by_one_parent_is_refused(cli, tmp_path: Path):
    root = copy.deepcopy(ROOT)
    twice = copy.deepcopy(stack_change(ROOT))
    twice["LogicalResourceId"] = "NetworkStackAgain"
    root["Changes"].append({"Type": "Resource", "ResourceChange": twice})
    _, paths = linted(tmp_path, root, CHILD)
    _refused(cli, paths, "claimed by 2 stack changes")


def test_a_child_claimed_by_two_stack_changes_of_its_stack_is_refused(cli, tmp_path: Path):
    root = _root(ChangeSetId=None)  # neither stack change names a change set: the child's stack does
    twice = copy.deepcopy(stack_change(root))
    twice.update(LogicalResourceId="NetworkStackAgain", ChangeSetId="file://child.json")
    root["Changes"].append({"Type": "Resource", "ResourceChange": twice})
    _, paths = linted(tmp_path, root, CHILD)
    _refused(cli, paths, "claimed by 2 stack changes (NetworkStack, NetworkStackAgain)")


def test_the_same_parent_given_twice_claims_its_child_once(tmp_path: Path):
    report, _ = linted(tmp_path, ROOT, ROOT, CHILD)  # described twice: with and without values, say
    assert report.input_errors == []
    assert ("stateful-removal", "NetworkStack/FlowLogsBucket") in rules_on(report)


# --- the same through --change-set ---------------------------------------------------------------


def test_a_fetched_child_that_names_another_parent_is_not_linked(cli, cfn, repo: Path):  # noqa: F811
    root = cfn.add(copy.deepcopy(ROOT))
    cfn.add(_child(ParentChangeSetId=OTHER_ID))
    result = cli("lint", "--change-set", root, "--fail-on", "warning", *FAST)
    assert result.exit_code == 1, result.stderr
    assert "NetworkStack/" not in result.stdout
    assert "NetworkStack (AWS::CloudFormation::Stack): MODIFY" in result.stdout
    assert "warning PL404 nested-stack-change: is modified" in result.stdout
    assert "is not linked as a nested change set to change set network-update: its ParentChangeSetId" in " ".join(
        result.stdout.split()
    )


def test_fetched_change_sets_that_name_each_other_are_refused(cli, cfn, repo: Path):  # noqa: F811
    a, b = copy.deepcopy(ROOT), copy.deepcopy(CHILD)
    a = nested_as(a, b, "Loop")
    cfn.add(a)
    cfn.add(b)
    result = cli("lint", "--change-set", a["ChangeSetId"], "--fail-on", "never", *FAST)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "name each other in a loop" in result.stderr


def test_a_fetched_child_claimed_twice_is_refused(cli, cfn, repo: Path):  # noqa: F811
    root = copy.deepcopy(ROOT)
    twice = copy.deepcopy(stack_change(ROOT))
    twice["LogicalResourceId"] = "NetworkStackAgain"
    root["Changes"].append({"Type": "Resource", "ResourceChange": twice})
    cfn.add(root)
    cfn.add(copy.deepcopy(CHILD))
    result = cli("lint", "--change-set", root["ChangeSetId"], "--fail-on", "never", *FAST)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "claimed by 2 stack changes (NetworkStack, NetworkStackAgain)" in result.stderr
    assert len(cfn.requests) == 2  # the child is fetched once


def test_two_fetched_roots_that_claim_one_child_are_refused(cli, cfn, repo: Path):  # noqa: F811
    second = copy.deepcopy(ROOT)
    second.update(ChangeSetId=OTHER_ID, ChangeSetName="other-update")
    cfn.add(copy.deepcopy(ROOT))
    cfn.add(second)
    cfn.add(copy.deepcopy(CHILD))
    result = cli("lint", "--change-set", ROOT["ChangeSetId"], "--change-set", OTHER_ID, *FAST)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "claimed by 2 stack changes" in result.stderr
