"""Whatever the TOML parser makes of a configuration file — a number too long for Python, nesting
too deep, bytes that are not text — is one line naming the file, never an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES

LONG = "1" + "0" * 5000  # more digits than Python converts to an integer
LONG_HEX = "0x" + "f" * 4000  # parses, but cannot be shown in decimal


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "demo.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(result) -> str:
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 300
    return str(result.stderr)


@pytest.mark.parametrize(
    "text",
    [
        f"max-file-size = {LONG}\n",
        f"rule-timeout = {LONG}\n",
        f"select = [{LONG}]\n",
        f'fail-on = "error"\n[rules.blast-radius]\nmax-removals = {LONG}\n',
        f"[other]\nx = {LONG}\n",
        f"max-file-size = {LONG_HEX}\n",
        f"[rules.blast-radius]\nmax-removals = {LONG_HEX}\n",
        f"select = [{LONG_HEX.replace('0x', '0o').replace('f', '7')}]\n",
    ],
    ids=["max-file-size", "rule-timeout", "select", "rule-option", "any-table", "hex", "hex-option", "octal"],
)
@pytest.mark.parametrize("show", [False, True], ids=["lint", "show-config"])
def test_a_number_too_long_names_the_file(cli, repo: Path, text: str, show: bool):
    (repo / "planlint.toml").write_text(text)
    args = ["lint", "--show-config", "demo.json"] if show else ["lint", "demo.json"]
    err = refused(cli(*args))
    assert err.startswith("planlint: error: planlint.toml: invalid TOML: a whole number too long")
    if "0x" not in text and "0o" not in text:
        assert f"(at line {text.count(chr(10))})" in err


def test_a_number_too_long_in_another_tools_table_of_pyproject_names_it(cli, repo: Path):
    (repo / "pyproject.toml").write_text(f"[tool.planlint]\n[tool.black]\nx = {LONG}\n")
    err = refused(cli("lint", "demo.json"))
    assert "pyproject.toml: invalid TOML: a whole number too long for planlint to read (at line 3)" in err


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"x = " + b"[" * 50_000, "invalid TOML: nested too deeply"),
        (b"x = " + b"{a = " * 50_000, "invalid TOML: nested too deeply"),
        (b"rule-timeout = 5 \xff\n", "not UTF-8 text"),
        (b"rule-timeout = 5\x00\n", "invalid TOML"),
        (b"\xef\xbb\xbf\xef\xbb\xbfrule-timeout = 5\n", "invalid TOML"),
    ],
    ids=["arrays", "inline-tables", "not-utf-8", "nul", "two-boms"],
)
def test_bytes_the_parser_refuses_name_the_file(cli, repo: Path, data: bytes, problem: str):
    (repo / "planlint.toml").write_bytes(data)
    assert refused(cli("lint", "demo.json")).startswith(f"planlint: error: planlint.toml: {problem}")


@pytest.mark.parametrize("number", ["1e99999", "1." + "0" * 5000, "-" + "9" * 5000 + ".5"])
def test_a_float_of_any_length_is_read(cli, repo: Path, number: str):
    (repo / "planlint.toml").write_bytes(f"\ufeffrule-timeout = {number}\n".encode())
    result = cli("lint", "--show-config", "demo.json")
    assert "internal error" not in result.stderr
    assert result.stderr.count("\n") <= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.sampled_from(
            [b"x = ", b"[", b"{a = ", b"]", b"}", b"0x" + b"f" * 1200, b"9" * 1500, b"\n", b"\x00", b"\xff"]
        ),
        max_size=12,
    )
)
def test_any_bytes_are_read_or_refused_in_one_line(cli, repo: Path, data: list[bytes]):
    (repo / "planlint.toml").write_bytes(b"".join(data))
    result = cli("lint", "--show-config", "demo.json")
    assert "internal error" not in result.stderr
    if result.exit_code == 2:
        refused(result)
