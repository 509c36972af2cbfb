"""An output path means what it names on disk: judged as the kernel resolves it, written there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
BENIGN = FIXTURES / "benign.json"


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a plan in the working directory."""
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "plan.json"
    copy.write_bytes(DEMO.read_bytes())
    return copy


@pytest.mark.parametrize("spelling", ["missing/../plan.json", "./missing/../plan.json", "a/b/../../plan.json"])
def test_an_output_through_a_missing_directory_and_up_is_the_input(cli, plan: Path, spelling: str):
    result = cli("lint", "plan.json", "-f", "json", "-o", spelling)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"planlint: error: --output {spelling} is an input plan; planlint never writes over its input\n"
    )
    assert plan.read_bytes() == DEMO.read_bytes()


def test_an_output_through_a_missing_directory_and_up_is_the_configuration(cli, plan: Path):
    Path("planlint.toml").write_text('fail-on = "error"\n')
    result = cli("lint", "plan.json", "--config", "planlint.toml", "-f", "junit", "-o", "new/../planlint.toml")
    assert result.exit_code == 2 and "is the configuration in use" in result.stderr
    assert Path("planlint.toml").read_text() == 'fail-on = "error"\n'


def test_dot_dot_after_a_linked_directory_goes_up_from_where_the_link_points(cli, plan: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere" / "deep"
    elsewhere.mkdir(parents=True)
    Path("link").symlink_to(elsewhere)
    (elsewhere.parent / "plan.json").write_bytes(BENIGN.read_bytes())
    # link/../plan.json is elsewhere/plan.json, not ./plan.json: linting ./plan.json may write it
    assert cli("lint", "plan.json", "-f", "json", "-o", "link/../plan.json").exit_code == 1
    assert json.loads((elsewhere.parent / "plan.json").read_text())["exit_code"] == 1
    assert plan.read_bytes() == DEMO.read_bytes()
    # and linting elsewhere/plan.json may not
    result = cli("lint", str(elsewhere.parent / "plan.json"), "-f", "json", "-o", "link/../plan.json")
    assert result.exit_code == 2 and "is an input plan" in result.stderr


def test_a_hard_link_to_the_input_is_the_input(cli, plan: Path):
    os.link("plan.json", "hard.json")
    result = cli("lint", "plan.json", "-f", "sarif", "-o", "hard.json")
    assert result.exit_code == 2 and "is an input plan" in result.stderr
    assert plan.read_bytes() == DEMO.read_bytes()


def test_a_link_to_the_input_through_a_missing_directory_is_the_input(cli, plan: Path):
    Path("link.json").symlink_to("plan.json")
    result = cli("lint", "plan.json", "-f", "json", "-o", "gone/../link.json")
    assert result.exit_code == 2 and "is an input plan" in result.stderr
    assert Path("link.json").is_symlink() and plan.read_bytes() == DEMO.read_bytes()


@pytest.mark.parametrize("second", ["gone/../r.json", "./r.json", "sub/../r.json"])
@pytest.mark.parametrize("exists", [True, False])
def test_two_spellings_of_one_output_are_one_output(cli, plan: Path, second: str, exists: bool):
    Path("sub").mkdir()
    if exists:
        Path("r.json").write_text("old")
    result = cli("lint", "plan.json", "-f", "json", "-o", "r.json", "-f", "sarif", "-o", second)
    assert result.exit_code == 2 and "is given for both --format json and --format sarif" in result.stderr


def test_a_new_directory_in_an_output_path_is_made_as_named(cli, plan: Path, tmp_path: Path):
    assert cli("lint", "plan.json", "-f", "json", "-o", "out/deeper/../r.json").exit_code == 1
    assert json.loads((tmp_path / "out" / "r.json").read_text())["exit_code"] == 1
    assert (tmp_path / "out" / "deeper").is_dir() and plan.read_bytes() == DEMO.read_bytes()


def test_dot_dot_after_a_file_is_not_a_path(cli, plan: Path):
    Path("file").write_text("")
    result = cli("lint", "plan.json", "-f", "json", "-o", "file/../r.json")
    assert result.exit_code == 2 and result.stderr == "planlint: error: cannot write file/../r.json: Not a directory\n"
    assert not Path("r.json").exists()


@pytest.mark.parametrize("link_to", ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"])
def test_a_link_to_stdout_writes_to_what_stdout_is_in_place(tmp_path: Path, link_to: str):
    """stdout redirected to a regular file: the report goes into that open file, not over its name."""
    link = tmp_path / "out"
    link.symlink_to(link_to)
    captured = tmp_path / "captured.txt"
    with open(captured, "wb") as stdout:
        proc = subprocess.run(
            [sys.executable, "-m", "planlint", "lint", str(BENIGN), "-f", "json", "-o", str(link), "-f", "text"],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )
        inode = os.fstat(stdout.fileno()).st_ino
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == link_to
    assert os.stat(captured).st_ino == inode  # the same file the shell opened, not a new one in its place
    report, end = json.JSONDecoder().raw_decode(captured.read_text())
    assert report["exit_code"] == 0 and "no findings" in captured.read_text()[end:]


@pytest.mark.parametrize("option", ["--template", "--previous-template"])
def test_an_output_through_a_missing_directory_and_up_is_a_template(cli, plan: Path, option: str):
    template = Path("template.yaml")
    template.write_text("Resources: {}\n")
    result = cli("lint", "plan.json", option, "template.yaml", "-f", "json", "-o", "gone/../template.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: --output gone/../template.yaml is a template read in this run; "
        "planlint never writes over its input\n"
    )
    assert template.read_text() == "Resources: {}\n" and not Path("gone").exists()


# --- fetched plans: saved where the kernel resolves the path, never under a report ---------------

FAST = ["--poll-interval", "0.01"]


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


def test_fetch_output_through_a_missing_directory_and_up(cli, fake, plan: Path, tmp_path: Path):
    result = cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", "new/deeper/../../saved.json", *FAST)
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "saved.json").read_text())["ProvisionedProductPlanDetails"]["PlanId"]
    assert (tmp_path / "new" / "deeper").is_dir()


def test_save_dir_after_a_linked_directory_and_up(cli, fake, plan: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere" / "deep"
    elsewhere.mkdir(parents=True)
    Path("link").symlink_to(elsewhere)
    result = cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "--save-dir", "link/..", *FAST)
    assert result.exit_code == 0, result.stderr
    assert (elsewhere.parent / "pl-6kxqz3vbw2jra.json").is_file() and not Path("pl-6kxqz3vbw2jra.json").exists()


@pytest.mark.parametrize("spelling", ["saved/pl-6kxqz3vbw2jra.json", "saved/x/../pl-6kxqz3vbw2jra.json"])
def test_a_report_over_a_plan_saved_in_the_run_is_refused(cli, fake, plan: Path, spelling: str):
    result = cli("lint", "--plan-id", "pl-6kxqz3vbw2jra", "--save-dir", "saved", "-f", "json", "-o", spelling, *FAST)
    assert result.exit_code == 2
    assert f"--output {spelling} is a plan saved in this run" in result.stderr
    saved = json.loads(Path("saved/pl-6kxqz3vbw2jra.json").read_text())
    assert saved["ProvisionedProductPlanDetails"]["PlanId"] == "pl-6kxqz3vbw2jra"


def test_a_link_loop_is_not_replaced_by_a_report(cli, plan: Path):
    Path("loop").symlink_to("loop")
    result = cli("lint", "plan.json", "-f", "json", "-o", "loop")
    assert (
        result.exit_code == 2
        and result.stderr == "planlint: error: cannot write loop: Too many levels of symbolic links\n"
    )
    assert Path("loop").is_symlink()


def test_a_dangling_link_is_followed_to_where_it_points(cli, plan: Path, tmp_path: Path):
    Path("link.json").symlink_to("target.json")
    assert cli("lint", "plan.json", "-f", "json", "-o", "link.json").exit_code == 1
    assert Path("link.json").is_symlink() and json.loads((tmp_path / "target.json").read_text())["exit_code"] == 1
