"""Values a configuration refuses in planlint's words: a templates entry naming no template, a
waiver's ``expires`` that is not a date, an empty string, and a boolean where a number goes."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import Field, ValidationError

from planlint.config.errors import from_validation
from planlint.config.rule_options import Options
from tests.conftest import FIXTURES

WAIVER = '[[waivers]]\nrule = "PL101"\nresource = "X"\nreason = "r"\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "demo.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refusal(cli, repo: Path, text: str) -> str:
    (repo / "planlint.toml").write_text(text)
    result = cli("lint", "--show-config", "demo.json")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    assert "should" not in result.stderr and "internal error" not in result.stderr
    return str(result.stderr).removeprefix("planlint: error: ").rstrip("\n")


def accepted(cli, repo: Path, text: str) -> None:
    (repo / "planlint.toml").write_text(text)
    result = cli("lint", "--show-config", "demo.json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "entry",
    ['product = "x"', 'product = "x"\nproduct-x = 1', "product = 'prod-*'"],
    ids=["plain", "with-unknown-key", "glob"],
)
def test_a_templates_entry_naming_no_template_is_refused(cli, repo: Path, entry: str):
    err = refusal(cli, repo, f'[[templates]]\nproduct = "a"\ntemplate = "t.yaml"\n\n[[templates]]\n{entry}\n')
    assert err.startswith("planlint.toml: templates[1]")
    if "product-x" not in entry:
        assert err == "planlint.toml: templates[1]: names no template: give template, previous-template or both"


def test_a_templates_entry_in_pyproject_naming_no_template_is_refused(cli, repo: Path):
    (repo / "pyproject.toml").write_text('[[tool.planlint.templates]]\nproduct = "x"\n')
    result = cli("lint", "demo.json")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "pyproject.toml: tool.planlint.templates[0]: names no template: give template, previous-template or both\n"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2027-01-01T00:00:00", "2027-01-01T00:00:00"),
        ("2027-01-01 00:00:00", "2027-01-01T00:00:00"),
        ("2027-01-01T23:59:59-12:00", "2027-01-01T23:59:59-12:00"),
        ("2027-01-01T00:00:00Z", "2027-01-01T00:00:00+00:00"),
        ("12:00:00", "12:00:00"),
        ('"2027-01-01T00:00:00"', "'2027-01-01T00:00:00'"),
        ('"2027-02-30"', "'2027-02-30'"),
        ('"20270101"', "'20270101'"),
        ('" 2027-01-01"', "' 2027-01-01'"),
        ("1798761600", "1798761600"),
        ("true", "true"),
    ],
)
def test_expires_that_is_not_a_date_is_refused(cli, repo: Path, value: str, shown: str):
    err = refusal(cli, repo, f"{WAIVER}expires = {value}\n")
    assert err == f"planlint.toml: waivers[0].expires: expected a date (YYYY-MM-DD), got {shown}"


@pytest.mark.parametrize("value", ["2027-01-01", '"2027-01-01"', "'2027-12-31'"])
def test_expires_as_a_date_is_accepted(cli, repo: Path, value: str):
    accepted(cli, repo, f"{WAIVER}expires = {value}\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moment=st.datetimes(min_value=datetime(1000, 1, 1)),
    separator=st.sampled_from(["T", " ", "t"]),
    offset=st.sampled_from(["", "Z", "+05:30", "-12:00"]),
)
def test_any_date_time_is_refused_as_expires(cli, repo: Path, moment, separator: str, offset: str):
    value = moment.strftime(f"%Y-%m-%d{separator}%H:%M:%S") + offset
    err = refusal(cli, repo, f"{WAIVER}expires = {value}\n")
    assert err.startswith("planlint.toml: waivers[0].expires: expected a date (YYYY-MM-DD), got ")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[waivers]]\nrule = "PL101"\nreason = ""\nexpires = 2027-01-01\n', "waivers[0].reason"),
        ('[[waivers]]\nrule = ""\nreason = "r"\nexpires = 2027-01-01\n', "waivers[0].rule"),
        ('[[templates]]\nproduct = ""\ntemplate = "t.yaml"\n', "templates[0].product"),
        ('[[templates]]\nproduct = "x"\nprevious-template = ""\n', "templates[0].previous-template"),
        ('extend = ""\n', "extend"),
    ],
    ids=["reason", "rule", "product", "previous-template", "extend"],
)
def test_an_empty_string_is_refused_in_planlint_words(cli, repo: Path, text: str, key: str):
    assert refusal(cli, repo, text) == f"planlint.toml: {key}: expected text, not an empty string, got ''"


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[rules.blast-radius]\nmax-removals = true\n", "rules.blast-radius.max-removals", "a whole number, got true"),
        ("[rules.blast-radius]\nmax-changes = false\n", "rules.blast-radius.max-changes", "a whole number, got false"),
        ("rule-timeout = true\n", "rule-timeout", "a number, got true"),
        ("max-file-size = false\n", "max-file-size", "a number, got false"),
        ("[rules.PL405]\nmax-replacements = true\n", "rules.PL405.max-replacements", "a whole number, got true"),
    ],
)
def test_a_boolean_is_not_a_number(cli, repo: Path, text: str, key: str, words: str):
    assert refusal(cli, repo, text) == f"planlint.toml: {key}: expected {words}"


class Mine(Options):
    """A user's rule options: only by inheriting ``Options``."""

    limit: int = Field(1, ge=0)
    ratio: float | None = None
    sizes: list[int] = Field(default_factory=list)
    caps: dict[str, float] = Field(default_factory=dict)
    flag: bool = False
    either: int | bool = 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limit": True}, "rules.mine.limit: expected a whole number, got true"),
        ({"ratio": False}, "rules.mine.ratio: expected a number, got false"),
        ({"sizes": [1, True]}, "rules.mine.sizes: expected a whole number"),
        ({"caps": {"a": 1.5, "b": True}}, "rules.mine.caps: expected a number"),
    ],
)
def test_a_users_options_refuse_a_boolean_for_a_number(options: dict, message: str):
    with pytest.raises(ValidationError) as caught:
        Mine.model_validate(options)
    assert str(from_validation(caught.value, "planlint.toml", "rules.mine", Mine)) == f"planlint.toml: {message}"


@settings(max_examples=40, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "limit": st.integers(0, 10**6),
            "ratio": st.none() | st.floats(allow_nan=False) | st.integers(),
            "sizes": st.lists(st.integers(), max_size=4),
            "caps": st.dictionaries(st.text(max_size=3), st.floats(allow_nan=False) | st.integers(), max_size=3),
            "flag": st.booleans(),
            "either": st.booleans() | st.integers(),
        },
    )
)
def test_numbers_and_booleans_where_they_belong_are_accepted(options: dict):
    Mine.model_validate(options)
