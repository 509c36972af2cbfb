"""``--output -`` is stdout, as ``-`` is stdin for an input: for a report of ``lint`` and for the
document ``fetch`` saves. A file named ``-`` is written as ``./-``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
FAST = ["--poll-interval", "0.01"]


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "plan.json"
    copy.write_bytes(DEMO.read_bytes())
    return copy


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "text"])
def test_lint_output_dash_is_stdout(cli, plan: Path, tmp_path: Path, fmt: str):
    to_stdout = cli("lint", "plan.json", "-f", fmt)
    dashed = cli("lint", "plan.json", "-f", fmt, "-o", "-")
    assert dashed.exit_code == to_stdout.exit_code == 1
    assert _timeless(dashed.stdout) == _timeless(to_stdout.stdout) != ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def _timeless(report: str) -> str:
    """A report without what differs from run to run (JUnit's time and timestamp, JSON's
    ``created``)."""
    report = re.sub(r' (time|timestamp)="[^"]*"', "", report)
    return re.sub(r'"created":"[^"]*"', "", report)


def test_lint_output_dash_beside_a_file(cli, plan: Path, tmp_path: Path):
    result = cli("lint", "plan.json", "-f", "sarif", "-o", "out.sarif", "-f", "json", "-o", "-")
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout)["summary"]
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"]
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "args",
    [["-f", "json", "-o", "-", "-f", "sarif", "-o", "-"], ["-f", "json", "-o", "-", "-f", "sarif"]],
    ids=["two-dashes", "dash-and-none"],
)
def test_two_reports_on_stdout_are_refused(cli, plan: Path, tmp_path: Path, args: list[str]):
    result = cli("lint", "plan.json", *args)
    assert result.exit_code == 2
    assert "only one --format can go to stdout" in result.stderr
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("spelling", ["./-", "sub/../-"])
def test_a_file_named_dash_is_written_as_a_path(cli, plan: Path, tmp_path: Path, spelling: str):
    (tmp_path / "sub").mkdir()
    result = cli("lint", "plan.json", "-f", "json", "-o", spelling)
    assert result.exit_code == 1, result.stderr
    assert json.loads((tmp_path / "-").read_text())["summary"]
    assert not result.stdout.startswith("{")  # the text report, as with any --output file


def test_lint_output_dash_to_a_full_disk_is_one_line(plan: Path, tmp_path: Path):
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "planlint", "lint", "plan.json", "-f", "json", "-o", "-"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
    if Path("/dev/full").exists():
        assert result.returncode == 2
        assert result.stderr.startswith("planlint: error: cannot write the report to stdout")
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "-").exists()


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.fake_servicecatalog import FakeServiceCatalog

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPLANLINTTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "planlint-testing-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = FakeServiceCatalog().start()
    server.add_plan(json.loads(DEMO.read_text()))
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", server.url)
    yield server
    server.stop()


def test_fetch_output_dash_writes_the_document_to_stdout(cli, fake, plan: Path, tmp_path: Path):
    saved = cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", "saved.json", *FAST)
    dashed = cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", "-", *FAST)
    assert saved.exit_code == dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout == (tmp_path / "saved.json").read_text()
    assert dashed.stderr.startswith("saved plan pl-6kxqz3vbw2jra (")
    assert dashed.stderr.endswith(" changes) to stdout\n") and dashed.stderr.count("\n") == 1
    assert not (tmp_path / "-").exists()
    relinted = cli("lint", "-", stdin=dashed.stdout)
    assert relinted.exit_code == cli("lint", "saved.json").exit_code


@pytest.mark.parametrize("spelling", ["./-", "sub/../-"])
def test_fetch_to_a_file_named_dash(cli, fake, plan: Path, tmp_path: Path, spelling: str):
    (tmp_path / "sub").mkdir()
    result = cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", spelling, *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads((tmp_path / "-").read_text())["ProvisionedProductPlanDetails"]["PlanId"] == "pl-6kxqz3vbw2jra"


def test_fetch_output_dash_still_takes_one_plan(cli, fake, plan: Path, tmp_path: Path):
    result = cli("fetch", "--plan-id", "a", "--plan-id", "b", "-o", "-")
    assert result.exit_code == 2
    assert "--output takes exactly one" in result.stderr
