"""What a new user reads says what happened: no "no findings in 0 plans" when nothing was read, no
"see the AWS error above" with nothing above, no framework phrasing in a configuration error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.test_aws import FAST, aws_env, fake, repo  # noqa: F401 - the fixtures

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset


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


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
FIELDS = [
    ("ResourceChanges", 0, "Replacement"),
    ("ResourceChanges", 0, "Action"),
    ("ResourceChanges", 0, "Scope"),
    ("ResourceChanges", 0, "Details"),
    ("ResourceChanges", 0, "LogicalResourceId"),
    ("ProvisionedProductPlanDetails", "CreatedTime"),
    ("ProvisionedProductPlanDetails", "Status"),
    ("ProvisionedProductPlanDetails", "ProvisioningParameters"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=JSON)
def test_a_plan_field_of_the_wrong_kind_is_said_in_planlints_words(cli, repo: Path, field, value):  # noqa: F811
    document = json.loads((FIXTURES / "demo.json").read_text())
    *parents, last = field
    target = document
    for key in parents:
        target = target[key]
    target[last] = value
    (repo / "plan.json").write_text(json.dumps(document))
    result = cli("lint", "plan.json", "--format", "json")
    assert result.exit_code in (0, 1, 2)
    for phrase in ("Input should", "input should", "Value error", "value error"):
        assert phrase not in result.stderr
