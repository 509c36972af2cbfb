"""Waivers: matched by rule, resource and product; honest about expiry; never hiding anything else."""

from __future__ import annotations

import json
import shutil
import textwrap
from datetime import date, timedelta
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.config.tables import Config, Waiver
from planlint.engine import run as engine
from planlint.engine import waivers
from planlint.testing import change, make_plan
from tests.conftest import FIXTURES
from tests.reports import check_junit, check_report_json, check_sarif

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

TODAY = "2026-11-26"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "demo.json")
    shutil.copy(FIXTURES / "plan-failed.json", tmp_path / "plan-failed.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def config(repo: Path, text: str) -> None:
    (repo / "planlint.toml").write_text(textwrap.dedent(text))


WAIVE_DB = """
[[waivers]]
rule = "{rule}"
resource = "{resource}"
product = "{product}"
reason = "the database is restored from a snapshot"
expires = {expires}
"""


def waived_pairs(report_json: dict) -> list[tuple[str, str | None]]:
    return [(f["rule_name"], f["logical_id"]) for f in report_json["findings"] if f["waived"]]


@pytest.mark.parametrize(
    "rule,resource,product,waived",
    [
        ("stateful-replacement", "OrdersDatabase", "orders-prod", True),
        ("PL101", "Orders*base", "orders-*", True),
        ("pl101", "*Database", "*", True),
        ("stateful-removal", "OrdersDatabase", "orders-prod", False),  # other rule
        ("stateful-replacement", "Orders", "orders-prod", False),  # glob must match the whole id
        ("stateful-replacement", "OrdersDatabase", "billing-*", False),  # other product
    ],
)
def test_match_by_rule_resource_and_product(cli, repo: Path, rule, resource, product, waived):
    config(repo, WAIVE_DB.format(rule=rule, resource=resource, product=product, expires="2027-01-31"))
    report = check_report_json(
        cli("lint", "demo.json", "-f", "json", "--today", TODAY, "--select", "PL101,PL102,waivers").stdout
    )
    assert waived_pairs(report) == ([("stateful-replacement", "OrdersDatabase")] if waived else [])
    unused = [f for f in report["findings"] if f["rule_name"] == "unused-waiver"]
    # a waiver for another product is not this run's to call unused
    assert bool(unused) is not (waived or product == "billing-*")


def test_waived_finding_does_not_fail_the_gate_but_stays_visible(cli, repo: Path):
    config(
        repo,
        WAIVE_DB.format(
            rule="stateful-replacement", resource="OrdersDatabase", product="orders-prod", expires="2027-01-31"
        )
        + WAIVE_DB.format(rule="stateful-removal", resource="OrdersTable", product="orders-prod", expires="2027-01-31"),
    )
    result = cli("lint", "demo.json", "--today", TODAY, "--ignore", "security,PL405")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "5 warnings in 1 plan (14 changes), 2 waived"
    assert "    waived  PL101 stateful-replacement: will be replaced:" in result.stdout
    assert "[waived until 2027-01-31 (planlint.toml:2): the database is restored from a snapshot]" in result.stdout
    report = check_report_json(cli("lint", "demo.json", "-f", "json", "--today", TODAY).stdout)
    assert report["summary"]["waived"] == 2 and report["summary"]["errors"] == 0
    db = next(f for f in report["findings"] if f["logical_id"] == "OrdersDatabase")
    assert db["waiver"] == {
        "reason": "the database is restored from a snapshot",
        "expires": "2027-01-31",
        "where": "planlint.toml:2",
    }


def test_waived_findings_in_sarif_and_junit(cli, repo: Path):
    config(repo, WAIVE_DB.format(rule="PL101", resource="OrdersDatabase", product="*", expires="2027-01-31"))
    plain = check_sarif(cli("lint", "demo.json", "-f", "sarif", "--today", TODAY).stdout)
    assert not [
        r for r in plain["runs"][0]["results"] if r["ruleId"] == "PL101" and "OrdersDatabase" in r["message"]["text"]
    ]
    full = check_sarif(cli("lint", "demo.json", "-f", "sarif", "--today", TODAY, "--sarif-include-waived").stdout)
    [suppressed] = [r for r in full["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"][0]["kind"] == "external"
    assert "restored from a snapshot" in suppressed["suppressions"][0]["justification"]
    junit = check_junit(cli("lint", "demo.json", "-f", "junit", "--today", TODAY).stdout)
    [suite] = junit.findall("testsuite")
    assert suite.get("skipped") == "1"
    skipped = suite.find("testcase[@name='stateful-replacement OrdersDatabase']/skipped")
    assert skipped is not None and "restored from a snapshot" in skipped.get("message")


def test_expiry_boundary(cli, repo: Path):
    config(repo, WAIVE_DB.format(rule="PL101", resource="OrdersDatabase", product="*", expires="2026-11-26"))
    on_the_day = check_report_json(cli("lint", "demo.json", "-f", "json", "--today", "2026-11-26").stdout)
    assert waived_pairs(on_the_day) == [("stateful-replacement", "OrdersDatabase")]
    day_after = cli("lint", "demo.json", "-f", "json", "--today", "2026-11-27")
    report = check_report_json(day_after.stdout)
    assert waived_pairs(report) == []
    [expired] = [f for f in report["findings"] if f["rule_name"] == "expired-waiver"]
    assert expired["severity"] == "error"
    assert expired["location"] == {"path": "planlint.toml", "line": 2}
    assert expired["message"].startswith(
        "waiver for rule PL101, resource OrdersDatabase, product * expired on 2026-11-26: it no longer waives"
    )
    assert day_after.exit_code == 1
    junit = check_junit(cli("lint", "demo.json", "-f", "junit", "--today", "2026-11-27").stdout)
    config_suite = junit.findall("testsuite")[-1]
    assert config_suite.get("name") == "configuration planlint.toml" and config_suite.get("failures") == "1"
    assert config_suite.find("testcase").get("name") == "expired-waiver waivers[0]"


def test_expired_waiver_fails_the_gate_even_when_what_it_covered_is_a_warning(cli, repo: Path):
    config(
        repo, WAIVE_DB.format(rule="replacement", resource="OrdersTaskDefinition", product="*", expires="2025-01-01")
    )
    result = cli("lint", "demo.json", "--today", TODAY, "--select", "replacement,expired-waiver")
    assert result.exit_code == 1
    assert "configuration planlint.toml" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 error, 1 warning in 1 plan (14 changes)"


def test_plan_level_waiver(cli, repo: Path):
    config(
        repo,
        """
        [[waivers]]
        rule = "plan-status"
        product = "catalog-api-*"
        reason = "known template error, fixed in the next release"
        expires = 2027-01-01
        """,
    )
    result = cli("lint", "plan-failed.json", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "no findings in 1 plan (0 changes), 1 waived"


def test_unused_waiver_is_a_note_with_its_place(cli, repo: Path):
    config(repo, WAIVE_DB.format(rule="removal", resource="GoneAlready", product="*", expires="2027-01-31"))
    report = check_report_json(cli("lint", "demo.json", "-f", "json", "--today", TODAY).stdout)
    [unused] = [f for f in report["findings"] if f["rule_name"] == "unused-waiver"]
    assert unused["severity"] == "note" and unused["location"] == {"path": "planlint.toml", "line": 2}
    sarif = check_sarif(cli("lint", "demo.json", "-f", "sarif", "--today", TODAY).stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PL002"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "planlint.toml"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_today_is_the_utc_date_whatever_the_local_zone(monkeypatch: pytest.MonkeyPatch):
    import time
    from datetime import datetime, timezone

    utc = datetime.now(timezone.utc)
    # a zone whose date differs from UTC's at this hour: 12 hours behind before noon, 14 ahead after 10:00
    zone = "Etc/GMT+12" if utc.hour < 12 else "Etc/GMT-14"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert date.today() != utc.date()  # the local date really is another day
        assert waivers.today_utc() == datetime.now(timezone.utc).date()
    finally:
        monkeypatch.undo()
        time.tzset()


# --- property: a waiver never hides a finding it does not match ---------------------------------

IDS = st.sampled_from(["OrdersDatabase", "OrdersTable", "LegacyCache", "Queue", "Role"])
GLOBS = st.sampled_from(["*", "Orders*", "*Table", "Legacy?ache", "Queue", "Nope", "[OQ]*"])
RULE_KEYS = st.sampled_from(["removal", "PL104", "stateful-removal", "PL102", "replacement", "plan-status", "pl401"])
PRODUCTS = st.sampled_from(["orders-prod", "billing-prod"])


@st.composite
def waiver_sets(draw):
    return [
        Waiver(
            rule=draw(RULE_KEYS),
            resource=draw(st.one_of(st.none(), GLOBS)),
            product=draw(st.one_of(st.none(), st.sampled_from(["orders-*", "*-prod", "billing-prod"]))),
            reason="because",
            expires=date(2026, 11, 26) + timedelta(days=draw(st.integers(-3, 3))),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            IDS, st.sampled_from(["REMOVE", "MODIFY"]), st.sampled_from(["AWS::RDS::DBInstance", "AWS::IAM::Role"])
        ),
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    PRODUCTS,
    st.sampled_from(["CREATE_SUCCESS", "CREATE_FAILED"]),
    waiver_sets(),
)
def test_a_waiver_never_hides_a_finding_it_does_not_match(changes, product, status, waiver_list):
    plan = make_plan(
        *[
            change(action, lid, kind, replacement="TRUE" if action == "MODIFY" else None)
            for lid, action, kind in changes
        ],
        product=product,
        status=status,
    )
    rules, _ = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    results = engine.run([plan], rules)
    before = [(f.rule_code, f.logical_id, f.subject) for f in results[0].findings]
    today = date(2026, 11, 26)
    own = waivers.apply(results, Config(waivers=waiver_list), today)
    after = results[0].findings
    assert [(f.rule_code, f.logical_id, f.subject) for f in after] == before  # nothing dropped or added

    def matches(w: Waiver, f) -> bool:
        rule_ok = w.rule.upper() == f.rule_code or w.rule == f.rule_name
        target_ok = (
            f.logical_id is None
            if w.resource is None
            else f.logical_id is not None and fnmatchcase(f.logical_id, w.resource)
        )
        product_ok = w.product is None or fnmatchcase(product, w.product)
        return rule_ok and target_ok and product_ok

    active = [w for w in waiver_list if w.expires >= today]
    for finding in after:
        matching = [w for w in active if matches(w, finding)]
        assert (finding.waived is not None) == bool(matching), (finding, matching)
        if finding.waived is not None:
            assert finding.waived.reason == matching[0].reason and finding.waived.expires == matching[0].expires
    # a waiver for another product is neither expired nor unused in this product's run
    judged = [w for w in waiver_list if w.product is None or fnmatchcase(product, w.product)]
    expired = sum(1 for w in judged if w.expires < today)
    unused = sum(1 for w in judged if w.expires >= today and not any(matches(w, f) for f in after))
    assert sorted(f.rule_name for f in own) == sorted(["expired-waiver"] * expired + ["unused-waiver"] * unused)
    json.dumps([str(f.waived) for f in after])


def test_the_waiver_rules_are_real_rules_everywhere(cli, repo: Path):
    config(
        repo,
        WAIVE_DB.format(rule="pl101", resource="Nothing*", product="*", expires="2027-01-31")
        + '\n[rules.unused-waiver]\nseverity = "warning"\n',
    )
    report = check_report_json(cli("lint", "demo.json", "-f", "json", "--today", TODAY).stdout)
    [unused] = [f for f in report["findings"] if f["rule"] == "PL002"]
    assert unused["severity"] == "warning"  # configured like any rule, as explain advertises
    ignored = check_report_json(cli("lint", "demo.json", "-f", "json", "--today", TODAY, "--ignore", "PL002").stdout)
    assert not [f for f in ignored["findings"] if f["rule"] == "PL002"]
    assert "did you mean" not in cli("lint", "demo.json", "--select", "PL002,PL101").stderr
    assert cli("explain", "pl002").exit_code == 0


def test_one_lookup_names_a_rule_in_every_place(cli, repo: Path):
    from planlint.testing import make_plan, run_rule

    assert run_rule("pl102", make_plan()) == []  # code in any case, as explain, config and waivers take it
    wrong = cli("lint", "demo.json", "--select", "stateful-removl")
    assert wrong.exit_code == 2 and "did you mean stateful-removal?" in wrong.stderr
    assert cli("explain", "pl1o2").stderr == "planlint: error: pl1o2: no such rule; did you mean PL102?\n"
    assert "did you mean PL002?" in cli("lint", "demo.json", "--select", "PL0002").stderr


def test_many_waivers_for_named_resources_each_waive_their_own_and_the_first_listed_wins():
    """Waivers are looked up by rule and resource, not compared with every finding: each of 400
    waivers for one resource waives that resource's finding, and where a pattern listed earlier
    matches too, the earlier one waives."""
    plan = make_plan(*[change("REMOVE", f"Fn{i:03d}", "AWS::Lambda::Function") for i in range(400)])
    rules, _ = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    results = engine.run([plan], [r for r in rules if r.name == "removal"])
    listed = [Waiver(rule="removal", resource="Fn00*", reason="pattern first", expires=date(2030, 1, 1))]
    listed += [
        Waiver(rule="PL104" if i % 2 else "pl104", resource=f"Fn{i:03d}", reason=f"own {i}", expires=date(2030, 1, 1))
        for i in range(400)
    ]
    own = waivers.apply(results, Config(waivers=listed), date(2026, 11, 26))
    reasons = {f.logical_id: f.waived.reason for f in results[0].findings if f.waived}
    assert len(reasons) == 400
    assert all(reasons[f"Fn{i:03d}"] == ("pattern first" if i < 10 else f"own {i}") for i in range(400))
    assert own == []  # each was used: the ten the pattern took first still matched
