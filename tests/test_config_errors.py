"""A configuration file that cannot be read — through ``extend``, ``--config`` or found in the
working directory — is one line naming the file (or the ``extend`` that names it) and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every character escaped."""
    return '"' + "".join(f"\\U{ord(c):08x}" for c in text) + '"'


def extend(repo: Path, target: str) -> None:
    (repo / "planlint.toml").write_text(f"extend = {toml_string(target)}\n")


def loop(repo: Path, a: str, b: str) -> None:
    (repo / a).symlink_to(b)
    (repo / b).symlink_to(a)


def refused(result) -> str:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.stderr
    return str(result.stderr)


def test_an_extend_that_is_a_symbolic_link_loop_names_the_extend(cli, repo: Path):
    loop(repo, "org.toml", "other.toml")
    extend(repo, "org.toml")
    assert refused(cli("lint", "demo.json")) == (
        "planlint: error: planlint.toml: extend: org.toml: cannot read: a loop of symbolic links\n"
    )


def test_an_extend_through_a_directory_loop_names_the_extend(cli, repo: Path):
    loop(repo, "org", "shared")
    extend(repo, "org/policy.toml")
    assert refused(cli("lint", "demo.json")) == (
        "planlint: error: planlint.toml: extend: org/policy.toml: cannot read: a loop of symbolic links\n"
    )


def test_a_config_option_naming_a_loop_names_it(cli, repo: Path):
    loop(repo, "a.toml", "b.toml")
    assert refused(cli("lint", "demo.json", "--config", "a.toml")) == (
        "planlint: error: a.toml: cannot read: a loop of symbolic links\n"
    )


def test_a_planlint_toml_that_is_a_loop_is_refused_not_skipped(cli, repo: Path):
    (repo / "planlint.toml").symlink_to("planlint.toml")
    assert refused(cli("lint", "demo.json")) == (
        f"planlint: error: {repo.resolve() / 'planlint.toml'}: cannot read: a loop of symbolic links\n"
    )


def test_an_extend_with_a_nul_character_names_the_extend(cli, repo: Path):
    extend(repo, "org\0.toml")
    assert refused(cli("lint", "demo.json")) == (
        "planlint: error: planlint.toml: extend: org\\x00.toml: cannot read: the path has a NUL character\n"
    )


@pytest.mark.parametrize("target", ["a" * 5000, "/".join(["d"] * 3000)], ids=["name", "path"])
def test_an_extend_too_long_is_one_short_line(cli, repo: Path, target: str):
    extend(repo, target)
    line = refused(cli("lint", "demo.json"))
    assert line.startswith("planlint: error: planlint.toml: extend: ")
    assert line.endswith("…: cannot read: File name too long\n")
    assert len(line) < 300


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("org", "org: not a regular file (a directory); planlint reads only regular files"),
        ("demo.json/org.toml", "demo.json/org.toml: cannot read: Not a directory"),
    ],
    ids=["directory-for-file", "file-for-directory"],
)
def test_an_extend_of_the_wrong_kind_names_the_extend(cli, repo: Path, target: str, problem: str):
    (repo / "org").mkdir()
    extend(repo, target)
    assert refused(cli("lint", "demo.json")) == f"planlint: error: planlint.toml: extend: {problem}\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_extend_not_allowed_to_read_names_the_extend(cli, repo: Path):
    (repo / "org.toml").write_text('fail-on = "note"\n')
    (repo / "org.toml").chmod(0)
    extend(repo, "org.toml")
    assert refused(cli("lint", "demo.json")) == (
        "planlint: error: planlint.toml: extend: org.toml: cannot read: Permission denied\n"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_any_extend_path_is_linted_or_refused_in_one_line(cli, repo: Path, target: str):
    extend(repo, target)
    result = cli("lint", "demo.json")
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("planlint: error: planlint.toml: extend: ")
