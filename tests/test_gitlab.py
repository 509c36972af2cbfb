"""GitLab Code Quality: valid for the merge request widget, stable fingerprints, nothing waived."""

from __future__ import annotations

import json
from pathlib import Path

from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, write_json
from tests.reports import check_gitlab
from tests.test_reports import DEMO, repo  # noqa: F401 - the fixture


def test_every_finding_is_an_issue_on_its_line(cli, repo: Path):  # noqa: F811
    result = cli("lint", "plans/demo.json", "--format", "gitlab", "--output", "gl-code-quality.json")
    assert result.exit_code == 1, result.stderr
    issues = check_gitlab((repo / "gl-code-quality.json").read_text())
    assert len(issues) == 10
    database = next(
        i for i in issues if i["check_name"] == "stateful-replacement" and "OrdersDatabase" in i["description"]
    )
    assert database["severity"] == "major"
    assert database["location"] == {"path": "plans/demo.json", "lines": {"begin": 59}}
    assert database["description"].startswith("PL101 OrdersDatabase (AWS::RDS::DBInstance) will be replaced")
    assert {i["severity"] for i in issues} == {"major", "minor"}


def test_fingerprints_stay_when_only_lines_move(cli, repo: Path):  # noqa: F811
    first = check_gitlab(cli("lint", "plans/demo.json", "--format", "gitlab").stdout)
    moved = repo / "plans" / "demo.json"
    moved.write_text("\n\n\n" + moved.read_text())
    again = check_gitlab(cli("lint", "plans/demo.json", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    assert [i["location"]["lines"]["begin"] for i in again] == [i["location"]["lines"]["begin"] + 3 for i in first]


def test_the_same_finding_twice_in_one_file_has_two_fingerprints(cli, repo: Path):  # noqa: F811
    removed = change("REMOVE", "Table", "AWS::DynamoDB::Table")
    write_json(repo / "pages.json", [plan_document(removed, plan_id="pl-a"), plan_document(removed, plan_id="pl-b")])
    issues = check_gitlab(cli("lint", "pages.json", "--format", "gitlab").stdout)
    assert [i["check_name"] for i in issues] == ["stateful-removal", "stateful-removal"]


def test_waived_findings_are_left_out(cli, repo: Path):  # noqa: F811
    (repo / "planlint.toml").write_text(
        '[[waivers]]\nrule = "stateful-removal"\nresource = "OrdersTable"\n'
        'reason = "Migrated to the new ledger, CHG-7"\nexpires = "2099-01-01"\n'
    )
    issues = check_gitlab(cli("lint", "plans/demo.json", "--format", "gitlab").stdout)
    assert len(issues) == 9 and not any("OrdersTable" in i["description"] for i in issues)


def test_a_plan_read_from_stdin_has_no_path_and_is_refused(cli, repo: Path):  # noqa: F811
    (repo / "gl.json").write_text("previous")
    result = cli("lint", "-", "--format", "gitlab", "--output", "gl.json", stdin=DEMO.read_bytes())
    assert result.exit_code == 2
    assert "cannot write a report that points at files" in result.stderr
    assert (repo / "gl.json").read_text() == "previous"


def test_a_clean_plan_is_an_empty_report(cli, repo: Path):  # noqa: F811
    assert json.loads(cli("lint", "plans/benign.json", "--format", "gitlab").stdout) == []
    assert (FIXTURES / "benign.json").exists()
