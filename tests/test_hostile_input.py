"""Plan documents and files built to fool the gate: each must fail closed, with one line."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from planlint import rule
from planlint.engine import run as engine
from planlint.read.load import load
from planlint.testing import change, detail, make_plan, plan_document, run_rule
from tests.conftest import FIXTURES, write_json

DEMO = FIXTURES / "demo.json"


# --- 1. duplicate keys ---------------------------------------------------------------------------


def test_a_second_resource_changes_list_is_refused_not_obeyed(cli, tmp_path: Path):
    text = DEMO.read_text()
    end = text.rstrip().rstrip("}")
    doubled = tmp_path / "doubled.json"
    doubled.write_text(end.rstrip() + ',\n  "ResourceChanges": []\n}\n')
    line = doubled.read_text().splitlines().index('  "ResourceChanges": []') + 1
    result = cli("lint", str(doubled), str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert result.stderr == (
        f'planlint: error: {doubled}: line {line} column 3: key "ResourceChanges" appears twice in one object; '
        "planlint does not read such a document\n"
    )
    assert "orders-release-42" not in result.stdout and "benign" in result.stdout  # the other file is linted


def test_a_change_with_replacement_twice_is_refused(tmp_path: Path):
    path = tmp_path / "p.json"
    document = json.dumps(plan_document(change("MODIFY", "Db", "AWS::RDS::DBInstance", replacement="TRUE")), indent=2)
    path.write_text(document.replace('"Replacement": "TRUE",', '"Replacement": "TRUE",\n      "Replacement": "FALSE",'))
    [error] = load([str(path)]).errors
    line = path.read_text().splitlines().index('      "Replacement": "FALSE",') + 1
    assert (error.where, error.problem) == (
        f"line {line} column 7",
        'key "Replacement" appears twice in one object; planlint does not read such a document',
    )


# --- 2. Replacement that contradicts its details ------------------------------------------------


def test_replacement_false_with_a_static_always_detail_is_read_as_a_replacement():
    db = change(
        "MODIFY",
        "Db",
        "AWS::RDS::DBInstance",
        replacement="FALSE",
        details=[detail("StorageEncrypted", recreation="ALWAYS", evaluation="STATIC")],
    )
    plan = make_plan(db)
    assert plan.changes[0].replaces_certainly
    [finding] = run_rule("stateful-replacement", plan)
    assert finding.message == (
        "Db (AWS::RDS::DBInstance) will be replaced: the plan says Replacement FALSE, but its details force "
        "recreation, so it is read as a replacement: property StorageEncrypted requires recreation (ALWAYS), "
        "changed directly in the template (--template would show its UpdateReplacePolicy)"
    )


def test_replacement_false_with_only_a_dynamic_always_detail_stays_false():
    db = change(
        "MODIFY",
        "Db",
        "AWS::RDS::DBInstance",
        replacement="FALSE",
        details=[detail("StorageEncrypted", recreation="ALWAYS", evaluation="DYNAMIC")],
    )
    assert not make_plan(db).changes[0].replaces


@pytest.mark.parametrize("action", ["ADD", "REMOVE"])
def test_replacement_on_an_add_or_remove_means_nothing(action: str):
    found = make_plan(change(action, "Topic", "AWS::SNS::Topic", replacement="True")).changes[0]
    assert not found.replaces and not found.replaces_certainly and not found.replaces_possibly
    assert run_rule("replacement", make_plan(change(action, "Topic", "AWS::SNS::Topic", replacement="TRUE"))) == []


# --- 4. a rule cannot change the plan -----------------------------------------------------------


def test_a_rule_that_clears_the_changes_hides_nothing():
    @rule("ACME201", "clears-changes")
    def clears_changes(plan):
        plan.changes.clear()
        yield from ()

    @rule("ACME202", "replaces-changes")
    def replaces_changes(plan):
        plan.changes = ()
        yield from ()

    @rule("ACME203", "edits-a-change")
    def edits_a_change(plan):
        plan.changes[0].action = "ADD"
        yield from ()

    plan = load([str(DEMO)]).plans[0]
    removal = next(
        r for r in engine.load_directory(engine.builtin_rules_dir(), "built-in")[0] if r.name == "stateful-removal"
    )
    rules = [f.__planlint_rule__ for f in (clears_changes, replaces_changes, edits_a_change)] + [removal]
    [result] = engine.run([plan], rules)
    assert sorted(e.rule for e in result.errors) == ["clears-changes", "edits-a-change", "replaces-changes"]
    replaced = next(e for e in result.errors if e.rule == "replaces-changes")
    assert replaced.message == "tried to change Plan.changes: rules see the plan read-only"
    assert len(plan.changes) == 14 and [f.logical_id for f in result.findings] == ["OrdersTable"]


# --- 6. a successful plan that lists no changes -------------------------------------------------


@pytest.mark.parametrize("missing", ["absent", "null"])
def test_a_successful_plan_without_resource_changes_is_a_warning(cli, tmp_path: Path, missing: str):
    document = plan_document()
    if missing == "absent":
        del document["ResourceChanges"]
    else:
        document["ResourceChanges"] = None
    result = cli("lint", str(write_json(tmp_path / "p.json", document)), "--fail-on", "warning")
    assert result.exit_code == 1
    assert (
        "warning PL402 incomplete-plan: plan test-plan for test-product is CREATE_SUCCESS but its document lists no changes"
        in " ".join(result.stdout.split())
    )


def test_an_explicitly_empty_list_of_changes_is_that_warning_too():
    [finding] = run_rule("incomplete-plan", make_plan())
    assert finding.severity == "warning" and finding.subject == "no changes"


# --- 11. files that are not files ---------------------------------------------------------------


def test_a_fifo_in_a_plan_directory_is_reported_and_does_not_block(cli, tmp_path: Path):
    plans = tmp_path / "plans"
    plans.mkdir()
    write_json(plans / "a.json", plan_document())
    os.mkfifo(plans / "b.json")
    started = time.monotonic()
    result = cli("lint", str(plans))
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"planlint: error: {plans / 'b.json'}: not a regular file (a FIFO); planlint reads only regular files\n"
    )
    assert "test-plan" in result.stdout


def test_a_link_to_dev_zero_is_not_read(cli, tmp_path: Path):
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    result = cli("lint", str(tmp_path / "zero.json"), str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"planlint: error: {tmp_path / 'zero.json'}: not a regular file (a character device); planlint reads only regular files\n"
    )
    assert "no findings" in result.stdout


def test_a_file_over_the_size_limit_is_reported_by_name(cli, tmp_path: Path):
    big = write_json(
        tmp_path / "big.json", plan_document(*[change("ADD", f"T{i}", "AWS::SNS::Topic") for i in range(12000)])
    )
    assert big.stat().st_size > 1024 * 1024
    result = cli("lint", str(big), "--max-file-size", "1")
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {big}: larger than the 1 MiB limit (--max-file-size)\n"
    assert cli("lint", str(big), "--max-file-size", "2").exit_code == 0


def test_stdin_over_the_size_limit_is_refused(cli):
    result = cli("lint", "-", "--max-file-size", "1", stdin=b" " * (1024 * 1024 + 1))
    assert (
        result.exit_code == 2
        and result.stderr == "planlint: error: <stdin>: larger than the 1 MiB limit (--max-file-size)\n"
    )


# --- 12. input that breaks the parser -----------------------------------------------------------


def test_deep_nesting_names_the_file_and_the_others_are_linted(cli, tmp_path: Path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"ProvisionedProductPlanDetails": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = cli("lint", str(deep), str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"planlint: error: {deep}: line 1 column 534: nested more than 500 levels deep; planlint does not read such a document\n"
    )
    assert "no findings" in result.stdout


def test_a_5000_digit_integer_names_the_file_and_line(cli, tmp_path: Path):
    path = tmp_path / "number.json"
    path.write_text('{\n  "ProvisionedProductPlanDetails": {\n    "CreatedTime": ' + "9" * 5000 + "\n  }\n}\n")
    result = cli("lint", str(path), str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"planlint: error: {path}: line 3 column 20: an integer of more than ")
    assert "no findings" in result.stdout


def test_deeply_nested_toml_in_the_configuration_is_one_line(cli, tmp_path: Path):
    config = tmp_path / "planlint.toml"
    config.write_text("select = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = cli("lint", str(FIXTURES / "benign.json"), "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {config}: invalid TOML: nested too deeply for planlint to read\n"


def test_another_tools_deeply_nested_pyproject_is_not_parsed(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    monkeypatch.chdir(tmp_path)
    assert cli("lint", str(FIXTURES / "benign.json")).exit_code == 0
    (tmp_path / "pyproject.toml").write_text("[tool.planlint]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = cli("lint", str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    found = (tmp_path / "pyproject.toml").resolve()
    assert result.stderr == f"planlint: error: {found}: invalid TOML: nested too deeply for planlint to read\n"
