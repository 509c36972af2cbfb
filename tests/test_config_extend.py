"""``extend``: a central policy that each repository builds on — chained, relative to the file that
says it, cycles refused, and every value knowing the files it came from."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from planlint.config.files import MAX_EXTENDS, load

TODAY = "2026-11-26"
TOPICS = '''
from planlint import rule

@rule("ACME001", "no-topics", severity="warning")
def no_topics(plan):
    """## What it flags
    Topics.
    """
    for change in plan.changes:
        if change.resource_type == "AWS::SNS::Topic":
            yield change.finding(f"{change.label} is a topic")
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def org_policy(repo: Path) -> None:
    """org/policy.toml extends org/base.toml; the repository's planlint.toml extends org/policy.toml."""
    write(repo / "org" / "rules" / "topics.py", TOPICS)
    write(
        repo / "org" / "base.toml",
        """
        fail-on = "warning"
        public-parameters = ["Environment*"]
        [resources]
        stateful = ["Custom::Ledger"]
        """,
    )
    write(
        repo / "org" / "policy.toml",
        """
        extend = "base.toml"
        rule-paths = ["rules"]
        ignore = ["PL303"]

        [rules.blast-radius]
        max-changes = 5
        max-removals = 1

        [[waivers]]
        rule = "stateful-replacement"
        resource = "OrdersDatabase"
        product = "billing-*"
        reason = "billing's own, long expired"
        expires = 2020-01-01

        [[waivers]]
        rule = "stateful-removal"
        resource = "OrdersTable"
        product = "orders-*"
        reason = "moved to the archive account, CHG-7"
        expires = 2027-01-31
        """,
    )
    write(
        repo / "planlint.toml",
        """
        extend = "org/policy.toml"
        ignore = ["PL404"]

        [rules.PL405]
        max-changes = 50

        [resources]
        stateful = ["Custom::Vault"]
        """,
    )


def test_a_chain_is_merged_each_file_adding_to_the_one_it_extends(repo: Path):
    org_policy(repo)
    config = load(Path("planlint.toml"))
    assert [str(p) for p in config.files] == ["org/base.toml", "org/policy.toml", "planlint.toml"]
    assert config.fail_on.value == "warning"  # from the base, two files up
    assert config.ignore == ["PL303", "PL404"]
    assert config.rule_directories() == [Path("org/rules")]  # relative to the file that gave it
    assert config.rules == {"blast-radius": {"max-changes": 5, "max-removals": 1}, "PL405": {"max-changes": 50}}
    assert config.resources.stateful == ["Custom::Ledger", "Custom::Vault"]
    assert [w.reason for w in config.waivers][1] == "moved to the archive account, CHG-7"
    assert config.set_by("fail_on") == ("org/base.toml",)
    assert config.set_by("ignore") == ("org/policy.toml", "planlint.toml")
    assert config.set_by("select") == ()
    origin = config.waiver_origin(1)
    assert origin is not None and (origin.path, origin.line, origin.index) == ("org/policy.toml", 17, 1)


def test_the_chain_decides_the_run(cli, repo: Path):
    org_policy(repo)
    result = cli("lint", "demo.json", "-f", "json", "--today", TODAY)
    report = json.loads(result.stdout)
    by_rule = {(f["rule_name"], f.get("logical_id")): f for f in report["findings"]}
    assert ("no-topics", "OrdersAlarmTopic") in by_rule  # a rule from the org's rule-paths ran
    assert not any(f["rule_name"] in ("tag-change", "nested-stack-change") for f in report["findings"])
    radius = [f["message"] for f in report["findings"] if f["rule_name"] == "blast-radius"]
    # max-changes from the repository (by code) over the org's (by name); max-removals from the org
    assert radius == ["plan orders-release-42 for orders-prod has 2 removals, more than the limit of 1"]
    waived = by_rule[("stateful-removal", "OrdersTable")]
    assert waived["waived"] and waived["waiver"]["where"] == "org/policy.toml:17"
    # the org's waiver for billing is neither an expired error nor an unused note here
    assert not [f for f in report["findings"] if f["rule_name"] in ("expired-waiver", "unused-waiver")]
    assert result.exit_code == 1  # fail-on warning from the base


def test_an_expired_waiver_of_this_product_in_the_org_file_is_an_error_there(cli, repo: Path):
    write(
        repo / "org.toml",
        """
        [[waivers]]
        rule = "stateful-removal"
        resource = "OrdersTable"
        product = "orders-prod"
        reason = "r"
        expires = 2020-01-01
        """,
    )
    write(repo / "planlint.toml", 'extend = "org.toml"\n')
    report = json.loads(cli("lint", "demo.json", "-f", "json", "--today", TODAY).stdout)
    expired = [f for f in report["findings"] if f["rule_name"] == "expired-waiver"]
    assert len(expired) == 1
    assert expired[0]["location"] == {"path": "org.toml", "line": 2}


@pytest.mark.parametrize(
    "files,message",
    [
        (
            {"planlint.toml": 'extend = "planlint.toml"\n'},
            "planlint.toml: extend: planlint.toml is already in the chain (planlint.toml -> planlint.toml); a configuration cannot extend itself",
        ),
        (
            {"planlint.toml": 'extend = "a/org.toml"\n', "a/org.toml": 'extend = "../planlint.toml"\n'},
            "a/org.toml: extend: planlint.toml is already in the chain (planlint.toml -> a/org.toml -> planlint.toml); a configuration cannot extend itself",
        ),
        (
            {"planlint.toml": 'extend = "missing.toml"\n'},
            "planlint.toml: extend: missing.toml: cannot read: No such file or directory",
        ),
        (
            {"planlint.toml": 'extend = "org"\n', "org/x": ""},
            "planlint.toml: extend: org: not a regular file (a directory); planlint reads only regular files",
        ),
        (
            {"planlint.toml": 'extend = "org.toml"\n', "org.toml": "fail-on = 'sometimes'\n"},
            "org.toml: fail-on: expected one of 'error', 'warning', 'note' or 'never', got 'sometimes'",
        ),
        (
            {"planlint.toml": 'extend = "org.toml"\n', "org.toml": "x = [\n"},
            "planlint.toml: extend: org.toml: invalid TOML: Invalid value (at end of document)",
        ),
        (
            {"planlint.toml": 'extend = "pyproject.toml"\n', "pyproject.toml": "[project]\nname = 'x'\n"},
            "planlint.toml: extend: pyproject.toml has no [tool.planlint] table",
        ),
        ({"planlint.toml": "extend = 3\n"}, "planlint.toml: extend: expected a string, got 3"),
        (
            {"planlint.toml": 'extend = "org.toml"\n', "org.toml": "[rules.PL405]\nmax-changez = 1\n"},
            "org.toml: rules.PL405.max-changez: unknown key; did you mean max-changes?",
        ),
        (
            {
                "planlint.toml": 'extend = "org.toml"\n',
                "org.toml": '[[waivers]]\nrule = "nope"\nreason = "r"\nexpires = 2027-01-01\n',
            },
            "org.toml: waivers[0].rule: unknown rule nope",
        ),
    ],
    ids=[
        "itself",
        "cycle",
        "missing",
        "directory",
        "bad-value",
        "bad-toml",
        "no-table",
        "not-a-string",
        "bad-option",
        "bad-waiver",
    ],
)
def test_each_chain_mistake_is_one_line_naming_the_file(cli, repo: Path, files: dict[str, str], message: str):
    for name, text in files.items():
        write(repo / name, text)
    result = cli("lint", "demo.json")
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {message}\n"
    assert result.stdout == ""


def test_a_chain_too_long_is_refused(cli, repo: Path):
    for i in range(MAX_EXTENDS + 1):
        write(repo / f"c{i}.toml", f'extend = "c{i + 1}.toml"\n')
    write(repo / f"c{MAX_EXTENDS + 1}.toml", "")
    result = cli("lint", "demo.json", "--config", "c0.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"planlint: error: c{MAX_EXTENDS - 1}.toml: extend: more than {MAX_EXTENDS} configurations"
    )


def test_a_pyproject_tool_table_can_extend_and_be_extended(repo: Path):
    write(repo / "org" / "pyproject.toml", '[tool.planlint]\nfail-on = "note"\n')
    write(repo / "pyproject.toml", '[tool.planlint]\nextend = "org/pyproject.toml"\nignore = ["PL303"]\n')
    config = load(Path("pyproject.toml"))
    assert config.fail_on.value == "note" and config.ignore == ["PL303"]


def test_a_report_never_overwrites_a_file_of_the_chain(cli, repo: Path):
    org_policy(repo)
    before = (repo / "org" / "base.toml").read_text()
    result = cli("lint", "demo.json", "-f", "json", "-o", "org/base.toml")
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: --output org/base.toml is the configuration in use; planlint never writes over its input\n"
    )
    assert (repo / "org" / "base.toml").read_text() == before


def test_show_config_says_where_each_value_came_from(cli, repo: Path):
    org_policy(repo)
    result = cli("lint", "--show-config", "--select", "data-loss")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "# the configuration of this run: planlint.toml, extending org/policy.toml, org/base.toml"

    def origin(prefix: str) -> str:
        line = next(line for line in lines if line.startswith(prefix))
        return line.split(" # ", 1)[1]

    assert origin("fail-on = ") == "org/base.toml"
    assert origin("select = ") == "command line"
    assert origin("ignore = ") == "org/policy.toml, planlint.toml"
    assert origin("rule-timeout = ") == "default"
    assert origin("[rules.blast-radius]") == "org/policy.toml"
    assert origin("[rules.PL405]") == "planlint.toml"
    assert [line.split(" # ")[1] for line in lines if line.startswith("[[waivers]]")] == [
        "org/policy.toml:10",
        "org/policy.toml:17",
    ]


def test_show_config_is_toml_that_reads_back_to_the_same_configuration(cli, repo: Path):
    org_policy(repo)
    (repo / "planlint.toml").write_text(
        (repo / "planlint.toml").read_text() + '\n[rules.required-tags]\nkeys = ["a\\"b", "c\\\\d"]\n'
        'values = { "Cost Center" = "^[0-9]+$" }\n'
    )
    shown = cli("lint", "--show-config").stdout
    (repo / "shown.toml").write_text(shown.replace('extend = "org/policy.toml"', ""))
    again, original = load(Path("shown.toml")), load(Path("planlint.toml"))
    for name in ("fail_on", "select", "ignore", "public_parameters", "rule_timeout", "max_file_size", "resources"):
        assert getattr(again, name) == getattr(original, name), name
    assert again.rules == original.rules and again.waivers == original.waivers
    assert again.rule_directories() == original.rule_directories()


def test_show_config_without_a_file_shows_the_defaults(cli, repo: Path):
    out = cli("lint", "--show-config").stdout
    assert out.startswith('# the configuration of this run: no file, the defaults\nfail-on = "error"')
    broken = write(repo / "planlint.toml", 'extend = "nowhere.toml"\n')
    result = cli("lint", "--show-config", "--config", str(broken))
    assert result.exit_code == 2 and result.stderr.startswith("planlint: error: planlint.toml: extend: nowhere.toml:")
