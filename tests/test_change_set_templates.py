"""Templates are for Service Catalog plans: a change set's PolicyAction already says what
CloudFormation will do, so a template named for one (on the command line, or by a ``[[templates]]``
entry matching its stack) is refused — one line naming the change set's file, exit 2 — and its
messages never suggest one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.testing import change, change_set_document, plan_document
from tests.conftest import write_json

BUCKET = "AWS::S3::Bucket"
REFUSED = (
    "templates ({named}) are for Service Catalog plans; a change set's PolicyAction already says what "
    "CloudFormation will do, so lint it without them"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_json(
        tmp_path / "cs.json", change_set_document({**change("Remove", "Logs", BUCKET), "PolicyAction": "Delete"})
    )
    (tmp_path / "empty.yaml").write_text("Resources: {}\n")
    (tmp_path / "logs.yaml").write_text(f"Resources:\n  Logs:\n    Type: {BUCKET}\n    DeletionPolicy: Retain\n")
    return tmp_path


@pytest.mark.parametrize(
    "args,named",
    [
        (("--template", "empty.yaml", "--previous-template", "empty.yaml"), "--template and --previous-template"),
        (("--template", "logs.yaml"), "--template"),
        (("--previous-template", "logs.yaml"), "--previous-template"),
    ],
)
def test_templates_on_the_command_line_with_a_change_set_are_refused(cli, here: Path, args, named):
    result = cli("lint", "cs.json", *args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line == (
        "planlint: error: cs.json: line 1: change set test-change-set for stack test-stack: "
        + REFUSED.format(named=named)
    )


@pytest.mark.parametrize("glob", ["test-stack", "test-*", "*", "orders-*"])
def test_a_configured_entry_is_for_plans_and_leaves_a_change_set_alone(cli, here: Path, glob):
    """A ``[[templates]]`` entry names a provisioned product: a configuration shared by plans and
    change sets stays usable, and the change set is judged by its PolicyAction."""
    (here / "planlint.toml").write_text(f'[[templates]]\nproduct = "{glob}"\nprevious-template = "logs.yaml"\n')
    result = cli("lint", "cs.json")
    assert result.exit_code == 1 and "templates" not in result.stderr


def test_a_plan_beside_it_still_takes_the_templates(cli, here: Path):
    write_json(here / "plan.json", plan_document(change("REMOVE", "Logs", BUCKET)))
    result = cli("lint", "plan.json", "--previous-template", "logs.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule_name"] == "stateful-removal"]
    assert finding["severity"] == "note"


def test_a_change_set_removal_without_a_policy_action_does_not_suggest_a_template(cli, here: Path):
    write_json(here / "bare.json", change_set_document(change("Remove", "Logs", BUCKET)))
    result = cli("lint", "bare.json")
    assert result.exit_code == 1
    assert "--previous-template" not in result.stdout and "--template" not in result.stdout
    assert "the change set gives no PolicyAction" in result.stdout
    write_json(here / "plan.json", plan_document(change("REMOVE", "Logs", BUCKET)))
    assert "(--previous-template would show its DeletionPolicy)" in cli("lint", "plan.json").stdout
