"""The pre-commit hook, run the way a user's repository runs it: ``pre-commit try-repo`` on this
checkout, in a temporary git repository holding saved plans and other JSON."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, ROOT, write_json

pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the module: the hook's environment is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "infra"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(FIXTURES / "demo.json", repo / "plans" / "demo.json")
    write_json(repo / "plans" / "clean.json", plan_document(change("ADD", "Topic", "AWS::SNS::Topic")))
    (repo / "package.json").write_text('{"name": "not-a-plan"}\n')
    git(repo, "init", "-q")
    return repo


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path, staged: bool = False) -> subprocess.CompletedProcess[str]:
    """The hook on every file (``git add -A`` first), or with ``staged`` on what the index holds."""
    if not staged:
        git(repo, "add", "-A")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", SKIP="")
    which = [] if staged else ["--all-files"]
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "planlint", *which, "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_hook_definition():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "planlint" and hook["entry"] == "planlint lint --pages-from-dir"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True  # the pages of one plan reach one run


def test_a_risky_plan_fails_the_commit_and_other_json_is_not_touched(user_repo: Path, hook_home: Path, package_index):
    result = try_repo(user_repo, hook_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "planlint" in result.stdout and "Failed" in result.stdout
    assert "OrdersDatabase (AWS::RDS::DBInstance): MODIFY, replacement TRUE  plans/demo.json:59" in result.stdout
    assert "error   PL101 stateful-replacement" in result.stdout
    assert "2 errors, 8 warnings in 2 plans (15 changes)" in result.stdout
    assert "package.json" not in result.stdout


def test_clean_plans_and_pages_in_several_files_pass(user_repo: Path, hook_home: Path, package_index):
    (user_repo / "plans" / "demo.json").unlink()
    one = plan_document(change("ADD", "TopicA", "AWS::SNS::Topic"), plan_id="pl-paged0000000001", next_page_token="t2")
    two = plan_document(change("ADD", "TopicB", "AWS::SNS::Topic"), plan_id="pl-paged0000000001")
    write_json(user_repo / "plans" / "paged-1.json", one)
    write_json(user_repo / "plans" / "paged-2.json", two)
    result = try_repo(user_repo, hook_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    assert "in 2 plans (3 changes)" in result.stdout  # the two pages are one plan


@pytest.mark.parametrize("staged", ["paged-1.json", "paged-2.json"])
def test_a_commit_touching_one_page_lints_the_whole_plan(user_repo: Path, hook_home: Path, package_index, staged: str):
    (user_repo / "plans" / "demo.json").unlink()
    first = plan_document(
        change("ADD", "TopicA", "AWS::SNS::Topic"), plan_id="pl-paged0000000001", next_page_token="t2"
    )
    second = plan_document(change("REMOVE", "TableB", "AWS::DynamoDB::Table"), plan_id="pl-paged0000000001")
    write_json(user_repo / "plans" / "paged-1.json", first)
    write_json(user_repo / "plans" / "paged-2.json", second)
    git(user_repo, "add", "-A")
    git(user_repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "plans")
    page = user_repo / "plans" / staged
    page.write_text(page.read_text().replace('"CREATE_SUCCESS"', '"CREATE_SUCCESS" '))
    git(user_repo, "add", f"plans/{staged}")
    result = try_repo(user_repo, hook_home, staged=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "incomplete" not in result.stdout
    assert "TableB (AWS::DynamoDB::Table): REMOVE" in result.stdout
    assert "in 1 plan (2 changes)" in result.stdout  # both pages, and not clean.json
