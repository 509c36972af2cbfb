"""Rule discovery, selection and failure isolation: loading is loud, a crash never passes the gate."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from planlint.engine import run as engine
from planlint.engine import waivers
from planlint.engine.rule import DOC_SECTIONS, rule
from planlint.model.plan import Plan
from planlint.report.masked import mask_report
from planlint.report.result import Report
from planlint.testing import change, make_plan, plan_document
from tests.conftest import FIXTURES

GOOD_RULE = '''
from planlint import Plan, Severity, rule

@rule("ACME001", "no-topics", severity=Severity.ERROR, tags={"house"})
def no_topics(plan: Plan):
    """## What it flags
    Topics.
    """
    for change in plan.changes:
        if change.resource_type == "AWS::SNS::Topic":
            yield change.finding(f"{change.label} is a topic")
'''


def write_rule(directory: Path, name: str, source: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(source))
    return path


def builtins():
    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert errors == []
    return rules


def test_builtin_rules_have_unique_codes_names_and_complete_docs():
    rules = builtins()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules) == 17
    for r in [*rules, *waivers.RULES]:
        assert tuple(r.sections()) == DOC_SECTIONS, r.name
        assert all(r.sections().values()), r.name
        assert r.summary.endswith("."), r.name
        assert r.origin == "built-in"


@pytest.mark.parametrize(
    "chosen,ignored,expected",
    [
        (["ALL"], [], 17),
        (["PL101"], [], ["stateful-replacement"]),
        (["pl101"], [], ["stateful-replacement"]),
        (["stateful-removal", "PL103"], [], ["stateful-removal", "replacement"]),
        (
            ["plan-health"],
            [],
            ["nested-stack-change", "plan-status", "incomplete-plan", "unknown-value", "blast-radius"],
        ),
        (
            ["data-loss"],
            ["nested-stack-change", "PL105", "protected-resource"],
            ["stateful-replacement", "stateful-removal", "replacement", "removal"],
        ),
        (["security"], [], ["iam-change", "network-exposure-change", "secret-parameter"]),
        (["tagging"], ["PL303"], ["required-tags", "tag-constraints"]),
        (["ALL"], ["data-loss", "plan-health", "security", "tagging"], []),
    ],
)
def test_select_by_code_name_or_tag(chosen, ignored, expected):
    selected = engine.select(builtins(), chosen, ignored)
    if isinstance(expected, int):
        assert len(selected) == expected
    else:
        assert sorted(r.name for r in selected) == sorted(expected)


def test_unknown_selector_suggests_the_near_miss():
    with pytest.raises(engine.SelectionError) as caught:
        engine.select(builtins(), ["stateful-replacment"], [])
    assert (
        str(caught.value)
        == "stateful-replacment: no rule, code or tag of that name; did you mean stateful-replacement?"
    )


def test_user_rule_directory_runs_like_builtins(tmp_path: Path, cli):
    write_rule(tmp_path / "policies", "no_topics.py", GOOD_RULE)
    result = cli("lint", str(FIXTURES / "demo.json"), "--rules", str(tmp_path / "policies"), "--select", "ACME001")
    assert result.exit_code == 1
    assert "error   ACME001 no-topics: is a topic" in result.stdout
    assert "1 error in 1 plan" in result.stdout


def test_module_that_fails_to_import_is_an_error_and_others_still_run(tmp_path: Path, cli):
    write_rule(tmp_path / "policies", "no_topics.py", GOOD_RULE)
    broken = write_rule(tmp_path / "policies", "broken.py", "import not_a_module_anywhere\n")
    result = cli("lint", str(FIXTURES / "demo.json"), "--rules", str(tmp_path / "policies"))
    assert result.exit_code == 2
    assert (
        f"planlint: error: {broken}: failed to import: ModuleNotFoundError: No module named 'not_a_module_anywhere'"
        in result.stderr
    )
    assert "ACME001 no-topics" in result.stdout and "PL101 stateful-replacement" in result.stdout
    assert "1 rule error: the check is incomplete" in result.stdout


def test_syntax_error_names_the_file(tmp_path: Path):
    path = write_rule(tmp_path, "bad.py", "def (:\n")
    rules, errors = engine.load_rules([(tmp_path, "path")])
    assert rules == []
    assert len(errors) == 1 and errors[0].source == str(path)
    assert errors[0].message.startswith("failed to import: SyntaxError: ")


def test_module_without_rules_is_an_error(tmp_path: Path):
    path = write_rule(tmp_path, "helpers.py", "X = 1\n")
    write_rule(tmp_path, "_private.py", "X = 1\n")  # underscore modules are helpers, not rules
    _, errors = engine.load_rules([(tmp_path, "path")])
    assert [str(e) for e in errors] == [f"{path}: defines no rule (no function decorated with @rule)"]


def test_duplicate_code_names_both_sources(tmp_path: Path):
    path = write_rule(tmp_path, "clash.py", GOOD_RULE.replace("ACME001", "PL101"))
    _, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in"), (tmp_path, "path")])
    assert len(errors) == 1
    assert errors[0].source == str(path)
    assert "code PL101 is already used by" in errors[0].message
    assert errors[0].message.endswith("stateful_replacement.py")


def test_missing_rule_directory(tmp_path: Path):
    _, errors = engine.load_rules([(tmp_path / "nope", "path")])
    assert [str(e) for e in errors] == [f"{tmp_path / 'nope'}: rule directory not found"]


def test_crashing_rule_is_reported_and_the_gate_fails(tmp_path: Path, cli):
    write_rule(
        tmp_path,
        "crash.py",
        '''
        from planlint import rule

        @rule("ACME002", "crashes")
        def crashes(plan):
            """## What it flags
            Nothing; it crashes.
            """
            raise RuntimeError("boom")
    ''',
    )
    result = cli("lint", str(FIXTURES / "benign.json"), "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == "planlint: error: rule crashes on plan pl-2mdbq7yz4xhca: RuntimeError: boom\n"
    assert "no findings" in result.stdout


def test_crash_message_never_shows_parameter_values(tmp_path: Path):
    write_rule(
        tmp_path,
        "leak.py",
        '''
        from planlint import rule

        @rule("ACME003", "leaks")
        def leaks(plan):
            """## What it flags
            Nothing; it leaks.
            """
            values = [p.value.get_secret_value() for p in plan.details.provisioning_parameters if p.value]
            yield plan.finding("values: " + ", ".join(values))
            raise ValueError("bad value " + values[0])
    ''',
    )
    rules, errors = engine.load_rules([(tmp_path, "path")])
    plan = make_plan(parameters={"DbPassword": "correct-horse-battery"})
    [outcome] = engine.run([plan], rules)
    assert [f.message for f in outcome.findings] == ["values: correct-horse-battery"]  # rules see the plan as it is
    [masked] = mask_report(Report(results=[outcome])).results  # what every output is rendered from
    assert [f.message for f in masked.findings] == ["values: ****"]
    assert [e.message for e in masked.errors] == ["ValueError: bad value ****"]


def test_rule_that_yields_something_else_is_an_error():
    @rule("ACME004", "yields-strings")
    def yields_strings(plan):
        yield "not a finding"

    plan = make_plan(change("ADD", "A", "AWS::SNS::Topic"))
    [outcome] = engine.run([plan], [yields_strings.__planlint_rule__])
    assert [e.message for e in outcome.errors] == ["TypeError: yielded str, not a Finding"]


def test_rule_decorator_rejects_bad_identity_and_parameters():
    with pytest.raises(ValueError, match="capital letters then digits"):
        rule("pl1", "x")
    with pytest.raises(ValueError, match="kebab-case"):
        rule("PL1", "Not_Kebab")
    with pytest.raises(TypeError, match="unknown parameter 'context'"):
        rule("PL1", "ok")(lambda plan, context: ())


def test_findings_are_ordered_by_change_then_severity():
    from planlint.gate import lint

    report = lint([str(FIXTURES / "nested-stack.json")])
    assert [(f.logical_id, f.rule_code) for f in report.findings] == [
        ("NetworkStack", "PL404"),
        ("ObservabilityStack", "PL101"),
        ("ObservabilityStack", "PL404"),
    ]


def test_crash_on_a_plan_without_id_still_names_the_rule():
    @rule("ACME005", "always-crashes")
    def always_crashes(plan):
        raise RuntimeError("boom")

    document = plan_document()
    document["ProvisionedProductPlanDetails"]["PlanId"] = None
    plan = Plan.model_validate(document)
    [result] = engine.run([plan], [always_crashes.__planlint_rule__])
    assert [str(e) for e in result.errors] == [
        "rule always-crashes on plan test-plan for test-product: RuntimeError: boom"
    ]


def test_a_finding_with_an_unknown_severity_is_a_rule_error_not_a_crash():
    from planlint import Finding

    @rule("ACME006", "bad-severity")
    def bad_severity(plan):
        yield plan.finding("kept")
        yield Finding(message="x", severity="fatal")  # type: ignore[arg-type]

    [result] = engine.run([make_plan()], [bad_severity.__planlint_rule__])
    assert [f.message for f in result.findings] == ["kept"]
    assert [e.message for e in result.errors] == [
        "TypeError: yielded a finding whose severity is 'fatal', not one of error, warning, note"
    ]


def test_every_finding_from_the_engine_has_a_level_and_one_that_did_not_pass_through_says_so():
    from planlint import Finding

    [result] = engine.run([make_plan(change("REMOVE", "Db", "AWS::RDS::DBInstance"))], builtins())
    assert result.findings and all(f.level is f.severity for f in result.findings)
    with pytest.raises(ValueError, match="did not come through the engine"):
        _ = Finding(message="raw").level
