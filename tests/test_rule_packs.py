"""Rules from installed packages (entry points), and the commands that show what rules there are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planlint.engine import run as engine
from tests.conftest import FIXTURES, ROOT, package_rule_count

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

PACK_RULE = '''
from planlint import Plan, Severity, rule


@rule("ACME101", "no-sns-topics", severity=Severity.ERROR, tags={"house-rules"})
def no_sns_topics(plan: Plan):
    """## What it flags
    A new SNS topic.

    ## Why it matters
    Events go through the event bus.

    ## How to fix
    Publish to the bus instead.

    ## Options
    None.
    """
    for change in plan.changes:
        if change.is_add and change.resource_type == "AWS::SNS::Topic":
            yield change.finding(f"{change.label} is a new topic")
'''


def build_pack(tmp: Path, name: str, module_source: str) -> Path:
    """Install a tiny rule pack (a real wheel with a planlint.rules entry point) into a target dir."""
    package = name.replace("-", "_")
    project = tmp / name
    (project / package).mkdir(parents=True)
    (project / package / "__init__.py").write_text("")
    (project / package / "topics.py").write_text(textwrap.dedent(module_source))
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [project]
            name = "{name}"
            version = "1.0"

            [project.entry-points."planlint.rules"]
            {package} = "{package}"
            """
        )
    )
    site = tmp / f"{name}-site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(project),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return site


def planlint_with(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "planlint", *args], cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pack(tmp_path_factory.mktemp("pack"), "acme-planlint-rules", PACK_RULE)


def test_installed_pack_is_discovered_listed_and_run(pack: Path):
    listed = json.loads(planlint_with(pack, "rules", "--format", "json").stdout)
    [mine] = [r for r in listed if r["code"] == "ACME101"]
    assert mine["origin"] == "package"
    assert mine["source"] == "acme_planlint_rules.topics (package acme-planlint-rules)"
    run = planlint_with(pack, "lint", "fixtures/demo.json", "--select", "ACME101")
    assert run.returncode == 1, run.stderr
    assert "error   ACME101 no-sns-topics: is a new topic" in run.stdout


def test_broken_pack_exits_two_naming_it(tmp_path: Path):
    site = build_pack(tmp_path, "broken-planlint-rules", "import definitely_not_installed\n")
    run = planlint_with(site, "lint", "fixtures/benign.json")
    assert run.returncode == 2
    assert (
        "planlint: error: broken_planlint_rules (package broken-planlint-rules): failed to import: "
        "ModuleNotFoundError: No module named 'definitely_not_installed'"
    ) in run.stderr
    assert "no findings in 1 plan" in run.stdout  # the other rules still ran


@pytest.mark.parametrize("raised", ["SystemExit(0)", "KeyboardInterrupt()"])
def test_a_pack_that_ends_the_process_at_import_is_a_rule_failure(tmp_path: Path, raised: str):
    site = build_pack(tmp_path, "exiting-planlint-rules", f"raise {raised}\n")
    run = planlint_with(site, "lint", "fixtures/demo.json")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "planlint: error: exiting_planlint_rules (package exiting-planlint-rules): failed to import: " in run.stderr
    assert "2 errors, 8 warnings in 1 plan" in run.stdout  # the built-in rules still ran


def test_pack_clashing_with_a_builtin_code_names_both(tmp_path: Path):
    site = build_pack(tmp_path, "clash-planlint-rules", PACK_RULE.replace("ACME101", "PL101"))
    run = planlint_with(site, "lint", "fixtures/benign.json")
    assert run.returncode == 2
    assert (
        "clash_planlint_rules.topics (package clash-planlint-rules): rule no-sns-topics: code PL101 is already used by"
        in run.stderr
    )
    assert "stateful_replacement.py" in run.stderr


def test_no_packages_means_no_errors():
    rules, errors = engine.load_packages()
    assert errors == [] and all(r.origin == "package" for r in rules)


# --- planlint rules / planlint explain ---------------------------------------------------------


def test_rules_table(cli):
    out = cli("rules").stdout.splitlines()
    assert out[0].split() == ["code", "name", "default", "effective", "tags", "source"]
    assert ["PL001", "expired-waiver", "error", "error", "waivers", "built-in"] in [row.split() for row in out]
    assert len(out) == 1 + 17 + 2 + package_rule_count()


def test_rules_show_effective_severity_and_selection(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "planlint.toml").write_text('ignore = ["PL303"]\n[rules.removal]\nseverity = "error"\n')
    monkeypatch.chdir(tmp_path)
    rows = {r["name"]: r for r in json.loads(cli("rules", "--format", "json").stdout)}
    assert rows["removal"]["severity"] == "warning" and rows["removal"]["effective_severity"] == "error"
    assert rows["tag-change"]["effective_severity"] is None
    assert rows["blast-radius"]["options"][0] == {
        "key": "max-changes",
        "type": "integer",
        "default": 100,
        "description": "Most resource changes in one plan.",
    }


def test_explain_every_builtin_rule(cli):
    rules, _ = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    for rule in rules:
        for key in (rule.code, rule.name):
            result = cli("explain", key)
            assert result.exit_code == 0, key
            assert result.stdout.startswith(f"{rule.code} {rule.name} — default severity {rule.severity.value}")
            for section in (
                "## What it flags",
                "## Why it matters",
                "## Example",
                "## How to fix",
                "## Options",
                "## References",
            ):
                assert section in result.stdout
            assert f"[rules.{rule.name}]" in result.stdout


def test_explain_shows_options_with_defaults(cli):
    out = cli("explain", "protected-resource").stdout
    assert '  actions = ["remove", "replace"]  # list of one of add, modify, replace, remove:' in out
    assert "  logical-ids = []  # list of string: Globs on LogicalResourceId" in out


def test_explain_unknown_rule_suggests(cli):
    result = cli("explain", "blast-radus")
    assert result.exit_code == 2
    assert result.stderr == "planlint: error: blast-radus: no such rule; did you mean blast-radius?\n"


def test_fixture_policy_runs(cli):
    result = cli(
        "lint", str(FIXTURES / "protected.json"), "--config", str(FIXTURES / "policy.toml"), "--today", "2026-11-26"
    )
    out = result.stdout
    assert "error   PL106 protected-resource: is protected (by Prod*Database) and would be removed" in out
    assert "error   PL106 protected-resource: is protected (by AWS::KMS::Key) and would be replaced" in out
    assert "warning PL102 stateful-removal" in out  # severity lowered by the policy
    assert "error   PL001 expired-waiver" in out
