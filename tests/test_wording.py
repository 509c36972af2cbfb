"""What a new user reads says what happened: no "no findings in 0 plans" when nothing was read, no
"see the AWS error above" with nothing above, no framework phrasing in a configuration error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_aws import FAST, aws_env, fake, repo  # noqa: F401 - the fixtures


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_nothing_read_is_not_no_findings_in_0_plans(cli, repo: Path, form: str):  # noqa: F811
    result = cli("lint", "missing.json", "--format", form)
    assert result.exit_code == 2
    assert "0 plans" not in result.stdout and "no findings" not in result.stdout
    assert "no plan linted; 1 input could not be read: the check is incomplete" in result.stdout


def test_a_run_that_read_something_still_counts_its_plans(cli, repo: Path):  # noqa: F811
    result = cli("lint", str(FIXTURES / "benign.json"), "missing.json")
    assert "no findings in 1 plan (" in result.stdout and "1 input could not be read" in result.stdout


@pytest.mark.parametrize(
    ("error", "said"),
    [
        ((400, "SomethingNewException", ""), "SomethingNewException, with no message\n"),
        ((400, "SomethingNewException", "the shelf is empty"), "SomethingNewException: the shelf is empty\n"),
        ((400, "", ""), ": HTTP 400, with no message\n"),
    ],
    ids=["no-message", "message", "nothing-at-all"],
)
def test_an_aws_error_without_advice_points_at_nothing_above(cli, fake, repo: Path, error, said: str):  # noqa: F811
    fake.faults.error = error
    result = cli("lint", "--plan-id", "pl-anything00000", *FAST)
    assert result.exit_code == 2
    assert "above" not in result.stderr
    assert result.stderr.startswith("planlint: error: plan pl-anything00000: ")
    assert result.stderr.endswith(said)


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('rule-timeout = "soon"\n', "rule-timeout: expected a number, got 'soon'"),
        ('select = "PL101"\n', "select: expected a list, got 'PL101'"),
        (
            "[rules.blast-radius]\nmax-changes = 1.5\n",
            "rules.blast-radius.max-changes: expected a whole number, got 1.5",
        ),
        ("[rules.blast-radius]\nmax-changes = -3\n", "rules.blast-radius.max-changes: expected at least 0, got -3"),
    ],
    ids=["number", "list", "whole-number", "minimum"],
)
def test_a_configuration_value_of_the_wrong_kind_is_said_in_planlints_words(cli, repo: Path, toml: str, said: str):  # noqa: F811
    (repo / "planlint.toml").write_text(toml)
    result = cli("lint", str(FIXTURES / "benign.json"))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: planlint.toml: {said}\n"
    assert "Input should" not in result.stderr and "input should" not in result.stderr
