"""A template binds to a plan's change only when it declares that resource with the plan's type: a
logical id of another type, or with no readable Type, is another resource, and the templates are
not this plan's (one line, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.read.declare import Templates, declare
from planlint.read.template import TemplateError, parse
from planlint.testing import change, detail, make_plan, plan_document
from tests.conftest import write_json

TABLE = "AWS::DynamoDB::Table"


def replaced_table() -> dict[str, object]:
    return change("MODIFY", "Tbl", TABLE, replacement="True", details=[detail("TableName", recreation="ALWAYS")])


def template(type_line: str, policy: str) -> str:
    return f"Resources:\n  Tbl:\n{type_line}    {policy}\n"


def refusal(plan_changes: list[dict[str, object]], templates: dict[str, str]) -> str:
    plan = make_plan(*plan_changes)
    chosen = Templates(
        new=parse(templates["new"], "new.yaml") if "new" in templates else None,
        previous=parse(templates["previous"], "old.yaml") if "previous" in templates else None,
    )
    with pytest.raises(TemplateError) as caught:
        declare(plan, chosen)
    assert all(c.declared is None for c in plan.changes)  # all or nothing
    return str(caught.value)


def test_a_replacement_against_a_template_of_another_type_is_refused():
    text = template("    Type: AWS::SNS::Topic\n", "UpdateReplacePolicy: Retain")
    assert refusal([replaced_table()], {"new": text}) == (
        "new.yaml: line 3: plan test-plan for test-product changes Tbl (MODIFY), a resource of type AWS::DynamoDB::Table, "
        "but this template declares it as AWS::SNS::Topic: is it the template this plan was made from?"
    )


def test_a_removal_against_a_previous_template_of_another_type_is_refused():
    text = template("    Type: AWS::SNS::Topic\n", "DeletionPolicy: Retain")
    assert refusal([change("REMOVE", "Tbl", TABLE)], {"previous": text}) == (
        "old.yaml: line 3: plan test-plan for test-product removes Tbl, a resource of type AWS::DynamoDB::Table, "
        "but this template declares it as AWS::SNS::Topic: is it the template deployed now?"
    )


@pytest.mark.parametrize(
    "type_line,line,problem",
    [
        ("", 2, "no Type"),
        ("    Type: !Ref TableType\n", 3, "a Type that is not a plain string"),
        ("    Type: {Fn::Sub: AWS::DynamoDB::Table}\n", 3, "a Type that is not a plain string"),
        ("    Type: [AWS::DynamoDB::Table]\n", 3, "a Type that is not a plain string"),
        ("    Type: 7\n", 3, "a Type that is not a plain string"),
        ("    Type: ''\n", 3, "a Type that is not a plain string"),
        ("    Type: null\n", 3, "a Type that is not a plain string"),
    ],
)
@pytest.mark.parametrize("which", ["new", "previous"])
def test_a_resource_without_a_readable_type_is_refused(type_line: str, line: int, problem: str, which: str):
    text = template(type_line, "DeletionPolicy: Retain")
    plan_change = replaced_table() if which == "new" else change("REMOVE", "Tbl", TABLE)
    message = refusal([plan_change], {which: text})
    name = "new.yaml" if which == "new" else "old.yaml"
    assert message.startswith(f"{name}: line {line}: plan test-plan for test-product ")
    assert f"but here it has {problem}: is it the template" in message


def test_a_json_template_of_another_type_is_refused_on_its_types_line():
    text = json.dumps({"Resources": {"Tbl": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}, indent=2)
    message = refusal([change("REMOVE", "Tbl", TABLE)], {"previous": text})
    assert message.startswith("old.yaml: line 4: ") and "declares it as AWS::S3::Bucket" in message


def test_a_modification_the_previous_template_does_not_declare_or_types_otherwise_is_refused():
    new = template(f"    Type: {TABLE}\n", "UpdateReplacePolicy: Retain")
    missing = "Resources:\n  Other:\n    Type: AWS::SNS::Topic\n"
    assert refusal([replaced_table()], {"new": new, "previous": missing}) == (
        "old.yaml: plan test-plan for test-product changes Tbl (MODIFY), which this template does not declare: "
        "is it the template deployed now?"
    )
    other = template("    Type: AWS::SNS::Topic\n", "DeletionPolicy: Retain")
    assert "old.yaml: line 3: " in refusal([replaced_table()], {"new": new, "previous": other})


def test_an_addition_the_previous_template_types_otherwise_is_refused_and_one_it_lacks_is_not():
    added = change("ADD", "Tbl", TABLE)
    new = template(f"    Type: {TABLE}\n", "DeletionPolicy: Retain")
    other = template("    Type: AWS::SNS::Topic\n", "DeletionPolicy: Retain")
    assert "declares it as AWS::SNS::Topic: is it the template deployed now?" in refusal(
        [added], {"new": new, "previous": other}
    )
    plan = make_plan(added)
    plan = declare(plan, Templates(new=parse(new, "new.yaml"), previous=parse("Resources: {}\n", "old.yaml")))
    [bound] = plan.changes
    assert bound.declared is not None and not bound.declared.previous_known


def test_types_are_compared_exactly():
    lower = template("    Type: aws::dynamodb::table\n", "UpdateReplacePolicy: Retain")
    assert "declares it as aws::dynamodb::table" in refusal([replaced_table()], {"new": lower})


@pytest.mark.parametrize("transform", ["AWS::Serverless-2016-10-31", "[AWS::Serverless-2016-10-31, Other]"])
def test_a_template_with_a_transform_says_the_plan_describes_what_it_expands_to(transform: str):
    text = f"Transform: {transform}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
    message = refusal([change("MODIFY", "Fn", "AWS::Lambda::Function")], {"new": text})
    assert message.startswith("new.yaml: line 4: ") and "declares it as AWS::Serverless::Function" in message
    assert message.endswith("(it has a Transform: the plan describes the template it expands to, the processed one)")
    assert not parse("Resources: {}\n", "t.yaml").transformed


@settings(max_examples=60, deadline=None)
@given(
    kind=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="'"), min_size=1),
    same=st.booleans(),
)
def test_a_change_binds_only_to_its_own_type(kind: str, same: bool):
    plan_type = kind if same else f"{kind}X"
    plan = make_plan(change("REMOVE", "Tbl", plan_type))
    previous = parse(f"Resources:\n  Tbl:\n    Type: '{kind}'\n    DeletionPolicy: Retain\n", "old.yaml")
    if same:
        plan = declare(plan, Templates(previous=previous))
        assert plan.changes[0].declared is not None
    else:
        with pytest.raises(TemplateError, match="^old.yaml: line 3: .* but this template declares it as "):
            declare(plan, Templates(previous=previous))


@pytest.mark.parametrize(
    "flag,plan_change,policy",
    [
        ("--template", replaced_table(), "UpdateReplacePolicy: Retain"),
        ("--previous-template", change("REMOVE", "Tbl", TABLE), "DeletionPolicy: Retain"),
    ],
)
def test_the_run_with_a_template_of_another_type_is_one_line_and_exit_2(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str, plan_change: dict[str, object], policy: str
):
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "rep.json", plan_document(plan_change))
    (tmp_path / "t.yaml").write_text(template("    Type: AWS::SNS::Topic\n", policy))
    result = cli("lint", "rep.json", flag, "t.yaml")
    assert result.exit_code == 2, result.stdout
    [line] = [x for x in result.stderr.splitlines() if x.startswith("planlint: error:")]
    assert line.startswith("planlint: error: t.yaml: line 3: plan test-plan for test-product ")
    assert "declares it as AWS::SNS::Topic" in line
