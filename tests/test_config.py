"""Configuration: where it is found, what wins, and one clear line for every mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from planlint.config.files import find, load


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# --- discovery -----------------------------------------------------------------------------


def test_found_in_the_working_directory_and_upwards(repo: Path):
    config = write(repo / "planlint.toml", 'fail-on = "warning"\n')
    nested = repo / "a" / "b"
    nested.mkdir(parents=True)
    assert find(repo) == config
    assert find(nested) == config


def test_pyproject_tool_table_and_precedence_in_one_directory(repo: Path):
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    assert find(repo) is None  # a pyproject without [tool.planlint] is not a config
    pyproject = write(repo / "pyproject.toml", '[tool.planlint]\nfail-on = "note"\n')
    assert find(repo) == pyproject
    assert load(pyproject).fail_on.value == "note"
    own = write(repo / "planlint.toml", 'fail-on = "warning"\n')
    assert find(repo) == own


def test_nearest_wins_and_search_stops_at_the_repository_root(tmp_path: Path):
    write(tmp_path / "planlint.toml", 'fail-on = "never"\n')  # outside the repository
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    assert find(repo / "sub") is None  # the file above the repository root is not used
    inner = write(repo / "sub" / "planlint.toml", 'fail-on = "note"\n')
    assert find(repo / "sub") == inner
    assert find(repo) is None


def test_cli_finds_config_and_config_option_overrides(cli, repo: Path):
    write(repo / "planlint.toml", 'fail-on = "never"\n')
    assert cli("lint", "demo.json").exit_code == 0
    other = write(repo / "strict.toml", 'fail-on = "warning"\nignore = ["data-loss"]\n')
    result = cli("lint", "demo.json", "--config", str(other))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "3 warnings in 1 plan (14 changes)"


def test_command_line_beats_the_file(cli, repo: Path):
    write(repo / "planlint.toml", 'fail-on = "never"\nselect = ["tagging"]\n')
    result = cli("lint", "demo.json", "--fail-on", "error", "--select", "data-loss")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 errors, 5 warnings in 1 plan (14 changes)"


def test_rule_paths_are_relative_to_the_config_file(cli, repo: Path):
    write(
        repo / "policy" / "rules" / "no_topics.py",
        '''
        from planlint import rule

        @rule("ACME001", "no-topics", severity="error")
        def no_topics(plan):
            """## What it flags
            Topics.
            """
            for change in plan.changes:
                if change.resource_type == "AWS::SNS::Topic":
                    yield change.finding(f"{change.label} is a topic")
        ''',
    )
    write(repo / "policy" / "planlint.toml", 'rule-paths = ["rules"]\nselect = ["ACME001"]\n')
    result = cli("lint", "demo.json", "--config", "policy/planlint.toml")
    assert result.exit_code == 1
    assert "ACME001 no-topics: is a topic" in result.stdout


def test_severity_override_and_options(cli, repo: Path):
    write(
        repo / "planlint.toml",
        """
        [rules.stateful-removal]
        severity = "note"

        [rules.PL405]
        max-changes = 10
        """,
    )
    result = cli("lint", "demo.json", "--select", "stateful-removal,blast-radius")
    lines = result.stdout.splitlines()
    assert "    note    PL102 stateful-removal: will be deleted" in "\n".join(lines)
    assert lines[-1] == "1 warning, 1 note in 1 plan (14 changes)"
    assert result.exit_code == 0


def test_extra_stateful_types(cli, repo: Path):
    write(repo / "planlint.toml", '[resources]\nstateful = ["AWS::EC2::SecurityGroup"]\n')
    out = cli("lint", "demo.json", "--select", "stateful-removal,removal").stdout
    assert "error   PL102 stateful-removal" in out.split("LegacyWorkerSecurityGroup", 1)[1]


# --- every mistake: one line, exit 2 ---------------------------------------------------------

MISTAKES = [
    ('fail-onn = "error"\n', "fail-onn: unknown key; did you mean fail-on?"),
    ('fail-on = "fatal"\n', "fail-on: expected one of 'error', 'warning', 'note' or 'never', got 'fatal'"),
    ('select = "PL101"\n', "select: expected a list, got 'PL101'"),
    ("rule-paths = [1]\n", "rule-paths[0]: expected a string, got 1"),
    ("[rules.required-tag]\nkeys = []\n", "rules.required-tag: unknown rule; did you mean required-tags?"),
    ("[rules.required-tags]\nkey = []\n", "rules.required-tags.key: unknown key; did you mean keys?"),
    ('[rules.required-tags]\nkeys = "Owner"\n', "rules.required-tags.keys: expected a list, got 'Owner'"),
    (
        '[rules.required-tags]\nvalues = { Env = "^(dev" }\n',
        "rules.required-tags.values.Env: bad regular expression '^(dev': missing ) at position 5",
    ),
    (
        "[rules.blast-radius]\nmax-removals = -1\n",
        "rules.blast-radius.max-removals: expected at least 0, got -1",
    ),
    ("[rules.PL101]\nfoo = 1\n", "rules.PL101.foo: unknown key; this rule has no options"),
    (
        '[rules.removal]\nseverity = "fatal"\n',
        "rules.removal.severity: expected one of error, warning, note, got 'fatal'",
    ),
    ("[rules.removal]\n[rules.PL104]\n", "rules.PL104: rule removal is configured twice (by name and by code)"),
    ('[resources]\nstatful = ["A"]\n', "resources.statful: unknown key; did you mean stateful?"),
    (
        '[[waivers]]\nrule = "removal"\nreason = "r"\nexpires = "soon"\n',
        "waivers[0].expires: expected a date (YYYY-MM-DD), got 'soon'",
    ),
    (
        '[[waivers]]\nrule = "removal"\nreason = "r"\nexpires = 2027-02-30\n',
        "invalid TOML: Invalid date or datetime (at line 4, column 11)",
    ),
    ('[[waivers]]\nrule = "removal"\nexpires = 2027-01-01\n', "waivers[0].reason: required but missing"),
    ('[[waivers]]\nrule = "removal"\nreason = " "\nexpires = 2027-01-01\n', "waivers[0].reason: a reason is required"),
    (
        '[[waivers]]\nrule = "removal"\nreasn = "r"\nexpires = 2027-01-01\n',
        "waivers[0].reasn: unknown key; did you mean reason?",
    ),
    (
        '[[waivers]]\nrule = "stateful-replacment"\nreason = "r"\nexpires = 2027-01-01\n',
        "waivers[0].rule: unknown rule stateful-replacment; did you mean stateful-replacement?",
    ),
    ("x = [\n", "invalid TOML: Invalid value (at end of document)"),
    (
        'path = "x"\n',
        "path: unknown key; known keys: extend, fail-on, ignore, max-file-size, public-parameters, resources, rule-paths, rule-timeout, rules, select, templates, waivers",
    ),
    (
        '[[waivers]]\nrule = "removal"\nreason = "r"\nexpires = 2027-01-01\nline = 3\n',
        "waivers[0].line: unknown key; known keys: expires, product, reason, resource, rule",
    ),
]


@pytest.mark.parametrize("text,message", MISTAKES, ids=[m[1].split(":")[0] for m in MISTAKES])
def test_each_mistake_is_one_line(cli, repo: Path, text: str, message: str):
    write(repo / "planlint.toml", text)
    result = cli("lint", "demo.json")
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: planlint.toml: {message}\n"
    assert result.stdout == ""


def test_mistake_in_pyproject_names_the_tool_table(cli, repo: Path):
    write(repo / "pyproject.toml", "[tool.planlint.rules.required-tag]\nkeys = []\n")
    result = cli("lint", "demo.json")
    assert (
        result.stderr
        == "planlint: error: pyproject.toml: tool.planlint.rules.required-tag: unknown rule; did you mean required-tags?\n"
    )


def test_broken_rule_module_is_reported_with_the_config_error_it_causes(cli, repo: Path):
    write(repo / "rules" / "mine.py", "import nowhere_to_be_found\n")
    write(repo / "planlint.toml", 'rule-paths = ["rules"]\n[rules.mine]\n')
    result = cli("lint", "demo.json")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("mine.py: failed to import: ModuleNotFoundError: No module named 'nowhere_to_be_found'")
    assert lines[1] == "planlint: error: planlint.toml: rules.mine: unknown rule"


def test_missing_config_file(cli, repo: Path):
    result = cli("lint", "demo.json", "--config", "nope.toml")
    assert result.exit_code == 2
    assert result.stderr == "planlint: error: nope.toml: cannot read: No such file or directory\n"
