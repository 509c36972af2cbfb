"""``--pages-from-dir``: a file names its plan, and the plan's other pages come from the ``*.json``
files beside it — what the pre-commit hook needs, since a commit may touch only one page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.read.load import load
from planlint.testing import change, change_set_document, plan_document
from tests.conftest import write_json

PLAN = "pl-paged0000000001"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    plans = tmp_path / "plans"
    plans.mkdir()
    first = plan_document(change("ADD", "TopicA", "AWS::SNS::Topic"), plan_id=PLAN, next_page_token="t2")
    second = plan_document(change("REMOVE", "TableB", "AWS::DynamoDB::Table"), plan_id=PLAN)
    other = plan_document(change("REMOVE", "Elsewhere", "AWS::DynamoDB::Table"), plan_id="pl-other0000000001")
    write_json(plans / "paged-1.json", first)
    write_json(plans / "paged-2.json", second)
    write_json(plans / "other.json", other)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def summary(cli, *args: str) -> tuple[int, dict]:
    result = cli("lint", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def changes(report: dict) -> list[tuple[str, int]]:
    """Each plan linted: its id and how many changes it has."""
    return [(plan["plan_id"], plan["changes"]) for plan in report["plans"]]


@pytest.mark.parametrize("page", ["plans/paged-1.json", "plans/paged-2.json"])
def test_without_the_option_one_page_is_not_the_plan(cli, repo: Path, page: str):
    code, report = summary(cli, page)
    assert changes(report) == [(PLAN, 1)]


@pytest.mark.parametrize(
    "given",
    [
        ["plans/paged-1.json"],
        ["plans/paged-2.json"],
        ["plans/paged-2.json", "plans/paged-1.json"],
        ["./plans/paged-2.json"],
        ["{repo}/plans/paged-2.json"],
    ],
    ids=["first-page", "second-page", "both-out-of-order", "dot-slash", "absolute"],
)
def test_either_page_brings_the_whole_plan_and_nothing_else(cli, repo: Path, given: list[str]):
    code, report = summary(cli, "--pages-from-dir", *(g.format(repo=repo) for g in given))
    assert code == 1
    assert changes(report) == [(PLAN, 2)]


def test_a_page_named_from_its_own_directory(cli, repo: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo / "plans")
    code, report = summary(cli, "--pages-from-dir", "paged-2.json")
    assert changes(report) == [(PLAN, 2)]


def test_pages_of_a_change_set_are_found_by_its_id(cli, repo: Path):
    removed = {"Action": "Remove", "LogicalResourceId": "Db", "ResourceType": "AWS::RDS::DBInstance"}
    added = {"Action": "Add", "LogicalResourceId": "Queue", "ResourceType": "AWS::SQS::Queue"}
    (repo / "change-sets").mkdir()
    write_json(repo / "change-sets" / "cs-1.json", change_set_document(added, next_token="t2"))
    write_json(repo / "change-sets" / "cs-2.json", change_set_document(removed))
    code, report = summary(cli, "--pages-from-dir", "change-sets/cs-2.json")
    assert code == 1
    assert [count for _, count in changes(report)] == [2]


def test_a_file_beside_that_cannot_be_read_is_an_error(cli, repo: Path):
    (repo / "plans" / "broken.json").write_text("{")
    result = cli("lint", "--pages-from-dir", "plans/paged-2.json")
    assert result.exit_code == 2
    assert "plans/broken.json: line 1 column 2: invalid JSON" in result.stderr


def test_the_loader_reads_files_beside_only_when_asked(repo: Path):
    assert [len(p.changes) for p in load(["plans/paged-2.json"]).plans] == [1]
    loaded = load(["plans/paged-2.json"], pages_from_dir=True)
    assert [len(p.changes) for p in loaded.plans] == [2] and loaded.errors == []
