"""Every built-in rule's contract, from data: ``tests/rule_cases/<rule>.json`` through one driver.

A new rule needs a case file (plans it must report, plans it must leave alone) and an
``## Example`` in its documentation that makes it report; no test code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.config.files import load as load_config
from planlint.engine import run as engine
from planlint.engine import waivers
from planlint.engine.rule import Rule
from planlint.gate import lint
from planlint.rule_cases import Case, check_case, check_example, example, load_cases

CASES = Path(__file__).parent / "rule_cases"
FILES = sorted(CASES.glob("*.json"))


def builtin_rules() -> list[Rule]:
    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert errors == []
    return rules


def every_case():
    for path in FILES:
        cases = load_cases(path)
        for case in cases.cases:
            yield pytest.param(cases.rule, case, id=f"{cases.rule}: {case.name}")


@pytest.mark.parametrize("rule,case", list(every_case()))
def test_rule_case(rule: str, case: Case):
    check_case(rule, case)


def test_every_builtin_rule_has_cases_it_reports_and_cases_it_leaves_alone():
    files = {load_cases(path).rule: load_cases(path) for path in FILES}
    assert sorted(files) == sorted(r.name for r in builtin_rules())
    for path in FILES:
        assert load_cases(path).rule == path.stem, f"{path.name} holds the cases of another rule"
    for name, cases in files.items():
        assert any(c.expect for c in cases.cases), f"{name}: no case where it reports"
        assert any(not c.expect for c in cases.cases), f"{name}: no case where it stays quiet"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.name)
def test_the_example_in_each_rules_documentation_makes_it_report(rule: Rule):
    check_example(rule.name)


@pytest.mark.parametrize("rule", waivers.RULES, ids=lambda r: r.name)
def test_the_example_of_each_waiver_rule_makes_it_report(rule: Rule, tmp_path: Path):
    fragment, configuration = example(rule.sections())
    assert fragment is not None and configuration is not None
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(Case(name="example", plan=fragment, expect=[]).document()))
    (tmp_path / "planlint.toml").write_text(configuration)
    report = lint([str(plan)], config=load_config(tmp_path / "planlint.toml"))
    assert report.input_errors == [] and report.rule_errors == []
    assert [f.rule_code for f in report.config_findings] == [rule.code]


def test_an_example_that_does_not_report_fails(tmp_path: Path):
    module = tmp_path / "quiet.py"
    module.write_text(
        "from planlint import rule\n\n"
        '@rule("ACME1", "quiet")\n'
        "def quiet(plan):\n"
        '    """## What it flags\n    Nothing.\n\n    ## Example\n    ```json\n    {"ResourceChanges": []}\n    ```\n    """\n'
        "    return ()\n"
    )
    with pytest.raises(AssertionError, match="rule quiet: the example in its documentation makes it report nothing"):
        check_example(module)
    module.write_text(module.read_text().replace("```json", "```yaml"))
    with pytest.raises(AssertionError, match="has no ```json plan fragment"):
        check_example(module)


def test_the_driver_fails_a_case_whose_findings_differ():
    [case, *_] = load_cases(CASES / "stateful-removal.json").cases
    for changed in (
        {"expect": []},
        {"expect": [{**case.expect[0].model_dump(), "severity": "warning"}, case.expect[1].model_dump()]},
        {"expect": [{**case.expect[0].model_dump(), "message": "something else"}, case.expect[1].model_dump()]},
    ):
        with pytest.raises(AssertionError, match="rule stateful-removal, case"):
            check_case("stateful-removal", Case.model_validate({**case.model_dump(), **changed}))


def test_the_driver_fails_a_case_whose_message_shows_hidden_text():
    case = Case.model_validate(
        {
            "name": "shown",
            "plan": {
                "ResourceChanges": [{"Action": "REMOVE", "LogicalResourceId": "B", "ResourceType": "AWS::S3::Bucket"}]
            },
            "expect": [{"resource": "B", "severity": "error"}],
            "hidden": ["AWS::S3::Bucket"],
        }
    )
    with pytest.raises(AssertionError, match="a message shows 'AWS::S3::Bucket'"):
        check_case("stateful-removal", case)


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"rule": "x", "cases": [{"name": "a", "expect": [], "plans": {}}]}', "cases.0.plans: Extra inputs"),
        ('{"rule": "x", "cases": [{"name": "a", "expect": [], "plan": {"Changes": []}}]}', "unknown member Changes"),
        ('{"rule": "x", "cases": [{"name": "a", "expect": []}, {"name": "a", "expect": []}]}', "two cases are named"),
        ('{"rule": "x", "cases": [{"name": "a"}]}', "cases.0.expect: Field required"),
        ('{"rule": "x",\n "cases": [}', ":2:12: not JSON"),
    ],
)
def test_a_malformed_case_file_is_refused_naming_the_key(tmp_path: Path, content: str, message: str):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_cases(path)
