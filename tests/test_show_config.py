"""``--show-config`` judges a configuration as ``lint`` does (one ``prepare``): whatever ``lint``
refuses with exit 2 before reading a plan, ``--show-config`` refuses with the same lines and shows
nothing — a CI check of the policy can rely on its exit code."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

REFUSED = {
    "unknown-rule-table": "[rules.no-such-rule]\nmax = 1\n",
    "unknown-rule-option": "[rules.PL405]\nmax-changez = 1\n",
    "rule-option-of-the-wrong-type": '[rules.blast-radius]\nmax-changes = "many"\n',
    "rule-severity": '[rules.PL405]\nseverity = "fatal"\n',
    "rule-named-twice": "[rules.PL405]\nmax-changes = 1\n[rules.blast-radius]\nmax-changes = 2\n",
    "waiver-of-an-unknown-rule": '[[waivers]]\nrule = "nope"\nreason = "r"\nexpires = 2027-01-01\n',
    "unknown-selection": 'select = ["no-such-tag"]\n',
    "nothing-selected": "select = []\n",
    "missing-template": '[[templates]]\nproduct = "orders-*"\ntemplate = "missing.yaml"\n',
    "rule-path-that-fails-to-load": 'rule-paths = ["policies"]\n',
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "demo.json")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "broken.py").write_text("raise ImportError('no such dependency')\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_show_config_refuses_what_lint_refuses_with_the_same_lines(cli, repo: Path, text: str):
    (repo / "planlint.toml").write_text(text)
    linted = cli("lint", "demo.json", "--format", "json")
    shown = cli("lint", "--show-config")
    assert linted.exit_code == 2
    assert shown.exit_code == 2
    assert shown.stdout == ""
    assert shown.stderr
    assert "internal error" not in shown.stderr
    assert all(line in linted.stderr.splitlines() for line in shown.stderr.splitlines())


@pytest.mark.parametrize(
    "options",
    [["--select", "no-such-rule"], ["--ignore", "ALL"], ["--rules", "policies"]],
    ids=["select", "ignore-everything", "rules-directory"],
)
def test_show_config_judges_the_options_over_the_configuration(cli, repo: Path, options: list[str]):
    shown = cli("lint", "--show-config", *options)
    assert shown.exit_code == 2
    assert shown.stdout == ""
    assert shown.stderr == cli("lint", "demo.json", *options, "--format", "json").stderr.splitlines(True)[0]


def test_show_config_refuses_an_extended_file_naming_it(cli, repo: Path):
    (repo / "org.toml").write_text("[rules.blast-radius]\nmax-changez = 1\n")
    (repo / "planlint.toml").write_text('extend = "org.toml"\n')
    shown = cli("lint", "--show-config")
    assert (shown.exit_code, shown.stdout) == (2, "")
    assert shown.stderr == (
        "planlint: error: org.toml: rules.blast-radius.max-changez: unknown key; did you mean max-changes?\n"
    )


def test_show_config_still_shows_a_configuration_lint_accepts(cli, repo: Path):
    (repo / "planlint.toml").write_text(
        textwrap.dedent(
            """
            fail-on = "warning"
            [rules.blast-radius]
            max-changes = 5
            [[waivers]]
            rule = "stateful-replacement"
            resource = "OrdersDatabase"
            reason = "planned"
            expires = 2027-01-31
            """
        )
    )
    shown = cli("lint", "--show-config")
    assert shown.exit_code == 0, shown.stderr
    assert "[rules.blast-radius]" in shown.stdout
    assert shown.stderr == ""
