"""The README's examples are real: its commands are CI's, and its team example (rule, config and
test) runs as written — the test through the pytest plugin, the rule through planlint lint."""

from __future__ import annotations

import re

import pytest

from planlint.testing import change, plan_document
from tests.conftest import ROOT, write_json

README = (ROOT / "README.md").read_text()
EXAMPLES = {
    name: text
    for name, _, text in re.findall(r"<!-- example: (\S+) -->\n(`{3,})\w+\n(.*?)^\2$", README, re.DOTALL | re.M)
}


def test_first_lines_are_the_two_setup_commands():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert (
        commands[0]
        == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/planlint lint fixtures/demo.json"
    )
    assert commands[1] == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines()


def test_the_demo_output_shown_is_what_planlint_prints(cli, monkeypatch: pytest.MonkeyPatch):
    """The first sample is ``planlint lint fixtures/demo.json`` as it prints: its first lines, then
    (after ``  ...``) its last lines, word for word."""
    sample = re.search(r"```\n(plan orders-release-42 .*?)\n```", README, re.DOTALL)
    assert sample is not None
    head, _, tail = sample.group(1).partition("\n  ...\n")
    monkeypatch.chdir(ROOT)
    result = cli("lint", "fixtures/demo.json")
    assert result.exit_code == 1
    printed = result.stdout.rstrip("\n").split("\n")
    assert printed[: len(head.split("\n"))] == head.split("\n")
    assert printed[-len(tail.split("\n")) :] == tail.split("\n")


def test_the_team_example_is_complete():
    assert set(EXAMPLES) == {
        "policies/no_new_buckets.py",
        "planlint.toml",
        "tests/test_policies.py",
        "tests/cases/no-new-buckets.json",
    }


@pytest.fixture
def team(pytester: pytest.Pytester):
    for name, text in EXAMPLES.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (pytester.path / ".git").mkdir()
    return pytester


def test_team_tests_pass_with_the_planlint_fixture(team: pytest.Pytester):
    result = team.runpytest_subprocess("-p", "no:cacheprovider", "tests/test_policies.py")
    result.assert_outcomes(passed=5)


def test_team_rule_runs_from_its_config(team: pytest.Pytester, cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(team.path)
    write_json(
        team.path / "plan.json", plan_document(change("ADD", "Uploads", "AWS::S3::Bucket"), product="shop-production")
    )
    result = cli("lint", "plan.json")
    assert result.exit_code == 1
    assert "error   ACME001 no-new-buckets: is a new bucket in shop-production" in result.stdout
    explained = cli("explain", "no-new-buckets").stdout
    assert 'products = ["*-prod"]  # list of string: Globs on the provisioned product name.' in explained


def test_the_library_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    code = re.search(r"<!-- library -->\n```python\n(.*?)\n```", README, re.DOTALL)
    assert code is not None
    monkeypatch.chdir(ROOT)
    exec(compile(code.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "1" and printed[1].startswith('{"schema":"planlint.report/1"')


def test_every_test_module_is_on_the_map():
    """``tests/README.md`` names every test module, and names none that is not there."""
    text = (ROOT / "tests" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", text))
    present = {p.stem for p in (ROOT / "tests").glob("test_*.py")}
    assert named == present
