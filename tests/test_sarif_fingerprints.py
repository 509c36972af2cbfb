"""SARIF ``partialFingerprints``: one alert per finding per plan file — different files never share
one (code scanning would merge their alerts), while moving lines, a new plan of the product saved
to the same file, or another spelling of the same path keep it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, write_json
from tests.reports import check_sarif

KEY = "planlint/v1"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plans").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "plans" / "a.json")
    another_plan(tmp_path / "plans" / "b.json", "pl-another00000001")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def another_plan(path: Path, plan_id: str) -> None:
    """demo.json's plan of the same product, with another plan id (not a page of the same plan)."""
    doc = json.loads((FIXTURES / "demo.json").read_text())
    doc["ProvisionedProductPlanDetails"]["PlanId"] = plan_id
    write_json(path, doc)


def results(cli, *args: str) -> list[dict]:
    result = cli("lint", *args, "--format", "sarif")
    assert result.exit_code == 1, result.stderr
    return list(check_sarif(result.stdout)["runs"][0]["results"])


def prints(cli, *args: str) -> list[str]:
    return [r["partialFingerprints"][KEY] for r in results(cli, *args)]


def by_target(cli, *args: str) -> dict[tuple[str, str, str], str]:
    """Each result's fingerprint by (file, rule, resource)."""
    return {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["logicalLocations"][0]["name"]
            if r["locations"][0]["logicalLocations"][0]["kind"] == "resource"
            else "(plan)",
        ): r["partialFingerprints"][KEY]
        for r in results(cli, *args)
    }


def test_two_files_of_one_product_never_share_a_fingerprint(cli, repo: Path):
    both = prints(cli, "plans/a.json", "plans/b.json")
    assert len(both) == 20
    assert len(set(both)) == 20


def test_a_directory_of_plans_of_one_product_never_shares_a_fingerprint(cli, repo: Path):
    another_plan(repo / "plans" / "c.json", "pl-another00000002")
    every = prints(cli, "plans")
    assert len(every) == 30
    assert len(set(every)) == 30


def test_fingerprints_stay_when_only_lines_move(cli, repo: Path):
    first = by_target(cli, "plans/a.json", "plans/b.json")
    moved = repo / "plans" / "a.json"
    moved.write_text("\n\n\n" + moved.read_text())
    assert by_target(cli, "plans/a.json", "plans/b.json") == first


def test_fingerprints_stay_for_a_new_plan_of_the_product_in_the_same_file(cli, repo: Path):
    first = by_target(cli, "plans/a.json")
    doc = json.loads((repo / "plans" / "a.json").read_text())
    doc["ProvisionedProductPlanDetails"]["PlanId"] = "pl-nextweek000001"
    doc["ProvisionedProductPlanDetails"]["PlanName"] = "orders-release-43"
    doc["ResourceChanges"].insert(0, change("ADD", "NewTopic", "AWS::SNS::Topic"))
    write_json(repo / "plans" / "a.json", doc)
    assert by_target(cli, "plans/a.json") == first


@pytest.mark.parametrize("spelling", ["./plans/a.json", "plans/../plans/a.json", "{repo}/plans/a.json"])
def test_another_spelling_of_the_same_file_keeps_the_fingerprints(cli, repo: Path, spelling: str):
    assert prints(cli, spelling.format(repo=repo)) == prints(cli, "plans/a.json")


def test_two_plans_of_one_product_in_one_file_never_share_a_fingerprint(cli, repo: Path):
    removed = change("REMOVE", "Table", "AWS::DynamoDB::Table")
    write_json(repo / "pages.json", [plan_document(removed, plan_id="pl-a"), plan_document(removed, plan_id="pl-b")])
    found = [r for r in results(cli, "pages.json") if r["ruleId"] == "PL102"]
    assert len(found) == 2
    assert found[0]["partialFingerprints"][KEY] != found[1]["partialFingerprints"][KEY]
