"""A configuration value planlint cannot use is one line naming where it came from: the file and
key path (the entry of a list, in the file of the ``extend`` chain that gave it), or the option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NO_RULE = "bogus: no rule, code or tag of that name"


def error(cli, *args: str) -> str:
    result = cli("lint", *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr.removeprefix("planlint: error: ").rstrip("\n")


@pytest.mark.parametrize(
    ("files", "line"),
    [
        ({"planlint.toml": 'select = ["bogus"]\n'}, f"planlint.toml: select[0]: {NO_RULE}"),
        ({"planlint.toml": 'ignore = ["PL101", "bogus"]\n'}, f"planlint.toml: ignore[1]: {NO_RULE}"),
        (
            {"pyproject.toml": '[tool.planlint]\nselect = ["ALL", "bogus"]\n'},
            f"pyproject.toml: tool.planlint.select[1]: {NO_RULE}",
        ),
        (
            {
                "planlint.toml": 'extend = "org/policy.toml"\nignore = ["PL101"]\n',
                "org/policy.toml": 'ignore = ["bogus"]\n',
            },
            f"org/policy.toml: ignore[0]: {NO_RULE}",
        ),
        (
            {"planlint.toml": 'extend = "org.toml"\nselect = ["bogus"]\n', "org.toml": 'select = ["PL101"]\n'},
            f"planlint.toml: select[0]: {NO_RULE}",
        ),
    ],
    ids=["select", "ignore", "pyproject", "extended-ignore", "extending-select"],
)
def test_an_unknown_selector_names_the_file_and_key(cli, repo: Path, files: dict[str, str], line: str):
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    assert error(cli, "demo.json") == line
    assert error(cli, "--show-config") == line


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_selector_on_the_command_line_names_the_option(cli, repo: Path, option: str):
    (repo / "planlint.toml").write_text(f'{option.lstrip("-")} = ["PL101"]\n')
    assert error(cli, "demo.json", option, "bogus") == f"{option}: {NO_RULE}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["select", "ignore"]),
    before=st.lists(st.sampled_from(["PL101", "PL102", "iam-change", "removal"]), max_size=4, unique=True),
    pyproject=st.booleans(),
)
def test_the_entry_named_is_the_one_that_is_wrong(cli, repo: Path, key: str, before: list[str], pyproject: bool):
    for name in ("planlint.toml", "pyproject.toml"):
        (repo / name).unlink(missing_ok=True)
    entries = ", ".join(f'"{e}"' for e in [*before, "bogus"])
    if pyproject:
        (repo / "pyproject.toml").write_text(f"[tool.planlint]\n{key} = [{entries}]\n")
        where = f"pyproject.toml: tool.planlint.{key}[{len(before)}]"
    else:
        (repo / "planlint.toml").write_text(f"{key} = [{entries}]\n")
        where = f"planlint.toml: {key}[{len(before)}]"
    assert error(cli, "demo.json").startswith(f"{where}: bogus: no rule, code or tag of that name")


def test_a_missing_rule_directory_names_the_file_and_key(cli, repo: Path):
    (repo / "planlint.toml").write_text('rule-paths = ["missing"]\n')
    assert error(cli, "demo.json") == "planlint.toml: rule-paths[0]: missing: rule directory not found"
    (repo / "org").mkdir()
    (repo / "org" / "policy.toml").write_text('rule-paths = ["gone"]\n')
    (repo / "planlint.toml").write_text('extend = "org/policy.toml"\n')
    assert error(cli, "demo.json") == "org/policy.toml: rule-paths[0]: org/gone: rule directory not found"
    (repo / "planlint.toml").unlink()
    assert error(cli, "demo.json", "--rules", "elsewhere") == "--rules: elsewhere: rule directory not found"


def test_an_unreadable_template_names_the_file_and_key(cli, repo: Path):
    (repo / "planlint.toml").write_text('[[templates]]\nproduct = "x"\ntemplate = "nope.yaml"\n')
    assert error(cli, "demo.json") == (
        "planlint.toml: templates[0].template: nope.yaml: cannot read: No such file or directory"
    )
    (repo / "t.yaml").write_text("Resources: {}\n")
    (repo / "planlint.toml").write_text(
        '[[templates]]\nproduct = "x"\ntemplate = "t.yaml"\n\n[[templates]]\nproduct = "y"\nprevious-template = "old/nope.yaml"\n'
    )
    assert error(cli, "demo.json") == (
        "planlint.toml: templates[1].previous-template: old/nope.yaml: cannot read: No such file or directory"
    )
    (repo / "planlint.toml").unlink()
    assert error(cli, "demo.json", "--template", "missing.yaml") == (
        "--template: missing.yaml: cannot read: No such file or directory"
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_chain_back_through_a_link_names_both_spellings(cli, repo: Path):
    (repo / "a1.toml").write_text('extend = "a2.toml"\n')
    (repo / "a2.toml").symlink_to("a1.toml")
    assert error(cli, "--config", "a1.toml", "--show-config") == (
        "a1.toml: extend: a2.toml (that is a1.toml) is already in the chain (a1.toml -> a2.toml); "
        "a configuration cannot extend itself"
    )
    (repo / "links").mkdir()
    (repo / "links" / "base.toml").symlink_to("../a1.toml")
    (repo / "a1.toml").write_text('extend = "links/base.toml"\n')
    assert error(cli, "--config", "a1.toml", "--show-config") == (
        "a1.toml: extend: links/base.toml (that is a1.toml) is already in the chain (a1.toml -> links/base.toml); "
        "a configuration cannot extend itself"
    )


@pytest.mark.parametrize("stdin", [False, True])
def test_a_file_over_the_limit_names_where_the_limit_was_set(cli, repo: Path, stdin: bool):
    (repo / "org").mkdir()
    (repo / "org" / "policy.toml").write_text("max-file-size = 0.001\n")
    (repo / "planlint.toml").write_text('extend = "org/policy.toml"\n')
    data = (repo / "demo.json").read_text()
    args, name = (["-"], "<stdin>") if stdin else (["demo.json"], "demo.json")
    result = cli("lint", *args, stdin=data)
    assert result.exit_code == 2
    assert (
        f"planlint: error: {name}: larger than the 1048 bytes limit (org/policy.toml: max-file-size)\n" in result.stderr
    )
    result = cli("lint", *args, "--max-file-size", "0.002", stdin=data)
    assert f"planlint: error: {name}: larger than the 2097 bytes limit (--max-file-size)\n" in result.stderr


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("tool.planlint = 3\n", "pyproject.toml: tool.planlint: expected a table, got 3"),
        (
            '[tool.planlint]\nresources = "x"\n',
            "pyproject.toml: tool.planlint.resources: expected a table, got 'x'",
        ),
        (
            "[tool.planlint]\nwaivers = [3]\n",
            "pyproject.toml: tool.planlint.waivers[0]: expected a table, got 3",
        ),
    ],
)
def test_a_value_where_a_table_belongs_is_named_in_planlints_words(cli, repo: Path, text: str, line: str):
    (repo / "pyproject.toml").write_text(text)
    assert error(cli, "--show-config") == line
