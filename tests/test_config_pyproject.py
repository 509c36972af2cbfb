"""A pyproject.toml's ``[tool.planlint]`` table is found however TOML lets it be spelt."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.config.files import find, load

WORD = "planlint"


def _escaped(choices: list[int]) -> str:
    """``planlint`` with each letter as itself (0), a ``\\u`` escape (1) or a ``\\U`` escape (2)."""
    forms = ("{}", "\\u{:04x}", "\\U{:08x}")
    return "".join(
        forms[c].format(ch) if c == 0 else forms[c].format(ord(ch)) for ch, c in zip(WORD, choices, strict=True)
    )


def _spellings(key: str) -> list[str]:
    """A table ``tool.<key>`` with ``fail-on = "warning"``, in each of TOML's ways to write it."""
    return [
        f'[tool."{key}"]\nfail-on = "warning"\n',
        f'["tool"."{key}"]\nfail-on = "warning"\n',
        f'[ tool . "{key}" ]\nfail-on = "warning"\n',
        f'tool."{key}".fail-on = "warning"\n',
        f'tool . "{key}" . "fail-on" = "warning"\n',
        f'tool = {{ "{key}" = {{ fail-on = "warning" }} }}\n',
        f'[tool]\n"{key}" = {{ fail-on = "warning" }}\n',
    ]


@pytest.mark.parametrize(
    "text", _spellings("plan\\u006cint") + _spellings("planlint") + _spellings("\\U00000070lanlint")
)
def test_every_spelling_of_the_table_is_found_and_read(repo: Path, text: str):
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(text + '[project]\nname = "x"\n')
    assert find(repo) == pyproject
    assert load(pyproject).fail_on.value == "warning"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.lists(st.integers(0, 2), min_size=len(WORD), max_size=len(WORD)), form=st.integers(0, 6))
def test_a_table_spelt_with_any_mix_of_escapes_is_found(repo: Path, choices: list[int], form: int):
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(_spellings(_escaped(choices))[form])
    assert find(repo) == pyproject
    assert load(pyproject).fail_on.value == "warning"


@pytest.mark.parametrize(
    "text",
    [
        '[tool.other]\nname = "plan\\u006cint-like"\n',  # an escape elsewhere: parsed, and not a planlint table
        'tool = "planlint"\n',  # the word, but no table
        '[tool."plan\\u004cint"]\nfail-on = "warning"\n',  # planLint is another name
        '[project]\nname = "x"\n',
    ],
)
def test_a_pyproject_without_the_table_is_not_a_configuration(repo: Path, text: str):
    (repo / "pyproject.toml").write_text(text)
    assert find(repo) is None


def test_the_escaped_table_decides_the_gate(cli, repo: Path):
    (repo / "pyproject.toml").write_text('[tool."plan\\u006cint"]\nfail-on = "never"\n')
    shown = cli("lint", "demo.json", "--show-config")
    assert shown.exit_code == 0
    assert "pyproject.toml" in shown.stdout
    assert "never" in shown.stdout
    assert cli("lint", "demo.json").exit_code == 0
    (repo / "pyproject.toml").write_text('tool = { "plan\\u006cint" = { fail-on = "note" } }\n')
    assert cli("lint", "demo.json").exit_code == 1
