"""Templates are read as CloudFormation reads them, or refused: a key twice in any mapping (however
it is spelled or quoted), YAML that CloudFormation does not accept (aliases, merge keys, several
documents), and templates larger than CloudFormation's own limit — files and fetched ones alike."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.read.declare import Templates, declare
from planlint.read.template import MAX_SIZE, TemplateError, TemplateResource, parse, read
from planlint.testing import change, detail, make_plan, run_rule
from tests import test_templates

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO_PLAN, STACK = test_templates.DEMO_PLAN, test_templates.STACK
repo, both = test_templates.repo, test_templates.both  # the same fixtures: a repository, and both AWS fakes

DUPLICATE_POLICY = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    DeletionPolicy: Delete
"""


def refusal(text: str) -> str:
    with pytest.raises(TemplateError) as caught:
        parse(text, "t.yaml")
    return str(caught.value)


# --- a key twice ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,message",
    [
        (DUPLICATE_POLICY, 't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)'),
        (
            DUPLICATE_POLICY.replace("DeletionPolicy", "UpdateReplacePolicy"),
            't.yaml: line 5: key "UpdateReplacePolicy" appears twice in one mapping (first at line 4)',
        ),
        (
            '{"Resources": {"Table": {\n"DeletionPolicy": "Retain",\n"DeletionPolicy": "Delete"}}}',
            't.yaml: line 3: key "DeletionPolicy" appears twice in one mapping (first at line 2)',
        ),
        (  # JSON's escapes spell the same key
            '{"Resources": {"Table": {\n"DeletionPolicy": "Retain",\n"\\u0044eletionPolicy": "Delete"}}}',
            't.yaml: line 3: key "DeletionPolicy" appears twice in one mapping (first at line 2)',
        ),
        (  # and YAML's, in double quotes
            DUPLICATE_POLICY.replace("    DeletionPolicy: Delete", '    "\\x44eletionPolicy": Delete'),
            't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)',
        ),
        (  # quoted and plain are one string
            DUPLICATE_POLICY.replace("    DeletionPolicy: Retain", "    'DeletionPolicy': Retain"),
            't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)',
        ),
        (  # an explicit double-quoted key continued on the next line
            DUPLICATE_POLICY.replace("    DeletionPolicy: Delete", '    ? "Deletion\\\n      Policy"\n    : Delete'),
            't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)',
        ),
        (  # an explicit string tag too
            DUPLICATE_POLICY.replace("    DeletionPolicy: Delete", "    !!str DeletionPolicy: Delete"),
            't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)',
        ),
        (
            "Resources:\n  A: {Type: X}\nResources:\n  B: {Type: Y}\n",
            't.yaml: line 3: key "Resources" appears twice in one mapping (first at line 1)',
        ),
        (
            '{"Resources": {"A": {}},\n "Resources": {}}',
            't.yaml: line 2: key "Resources" appears twice in one mapping (first at line 1)',
        ),
    ],
)
def test_a_key_twice_where_planlint_reads_is_refused(text: str, message: str):
    assert refusal(text) == message


@pytest.mark.parametrize(
    "text,line,key",
    [
        ("Parameters: {}\nResources: {A: {Type: X}}\nParameters: {}\n", 3, "Parameters"),
        ("Conditions:\n  Prod: !Equals [a, a]\n  Prod: !Equals [a, b]\nResources: {}\n", 3, "Prod"),
        ("Resources:\n  A:\n    Properties:\n      Tags: []\n      Tags: [{Key: a}]\n", 5, "Tags"),
        ("Resources:\n  A:\n    Properties:\n      Config: {Mode: safe, Mode: open}\n", 4, "Mode"),
        ("Resources:\n  A:\n    Properties:\n      List:\n        - {X: 1, X: 2}\n", 5, "X"),
        ("Resources: {}\nOutputs:\n  Out: {Value: a}\n  Out: {Value: b}\n", 4, "Out"),
        ("Resources:\n  A:\n    Metadata: {x: 1}\n    Metadata: {x: 2}\n", 4, "Metadata"),
    ],
)
def test_a_key_twice_at_any_level_is_refused(text: str, line: int, key: str):
    """CloudFormation reads every level (conditions, outputs, property values), so a mapping that
    two readers could read two ways is refused wherever it is."""
    assert refusal(text).startswith(f't.yaml: line {line}: key "{key}" appears twice in one mapping')


@pytest.mark.parametrize(
    "first,second",
    [
        ("1", '"1"'),  # an int and a string that JSON writes alike
        ("0x1", "1"),  # one int
        ("yes", "true"),  # one bool in YAML 1.1
        ("true", "'true'"),
        ("~", "null"),
        ("1.0", "1.0e+0"),
    ],
)
def test_keys_equal_once_yaml_resolves_them_are_one_key(first: str, second: str):
    text = f"Mappings:\n  Accounts:\n    {first}: {{Id: a}}\n    {second}: {{Id: b}}\nResources: {{}}\n"
    assert refusal(text).startswith("t.yaml: line 4: key ")


def test_distinct_keys_that_only_look_alike_are_kept():
    text = "Mappings:\n  M:\n    '1': a\n    '01': b\n    'True': c\n    'true ': d\nResources:\n  A: {Type: X}\n"
    assert list(parse(text, "t.yaml").resources) == ["A"]


_STYLES = {
    "plain": lambda key: key,
    "single": lambda key: f"'{key}'",
    "double": lambda key: f'"{key}"',
    "escaped": lambda key: f'"\\x{ord(key[0]):02x}{key[1:]}"',
    "unicode": lambda key: f'"\\u{ord(key[0]):04x}{key[1:]}"',
    "tagged": lambda key: f"!!str {key}",
}


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(["DeletionPolicy", "UpdateReplacePolicy", "Type", "Properties", "Resources", "Retain"]),
    styles=st.tuples(st.sampled_from(sorted(_STYLES)), st.sampled_from(sorted(_STYLES))),
    level=st.integers(min_value=0, max_value=4),
    between=st.integers(min_value=0, max_value=3),
)
def test_any_spelling_of_a_key_twice_at_any_depth_is_refused_at_its_second_line(key, styles, level, between):
    indent = "  " * (level + 2)
    lines = ["Resources:", "  A:"] + ["  " * (n + 2) + f"Level{n}:" for n in range(level)]
    first = len(lines) + 1
    lines.append(f"{indent}{_STYLES[styles[0]](key)}: one")
    lines += [f"{indent}Other{n}: x" for n in range(between)]
    lines.append(f"{indent}{_STYLES[styles[1]](key)}: two")
    message = refusal("\n".join(lines) + "\n")
    assert message == f't.yaml: line {len(lines)}: key "{key}" appears twice in one mapping (first at line {first})'


def test_a_removal_with_retain_then_delete_is_refused_not_orphaned(cli, repo: Path):
    previous = repo / "templates" / "orders-previous.yaml"
    lines = previous.read_text().splitlines(keepends=True)
    assert lines[17].startswith("    DeletionPolicy: Retain")
    previous.write_text("".join([*lines[:18], "    DeletionPolicy: Delete\n", *lines[18:]]))
    result = cli("lint", "plans/demo.json", "--previous-template", "templates/orders-previous.yaml")
    assert result.exit_code == 2, result.stdout
    assert result.stderr == (
        "planlint: error: --previous-template: templates/orders-previous.yaml: line 19: "
        'key "DeletionPolicy" appears twice in one mapping (first at line 18)\n'
    )


# --- YAML that CloudFormation does not accept -------------------------------------------------


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "Resources:\n  A:\n    DeletionPolicy: &p Retain\n  B:\n    DeletionPolicy: *p\n",
            "t.yaml: line 5: a YAML alias (*name), which CloudFormation does not accept",
        ),
        (
            "Base: &base {DeletionPolicy: Delete}\nResources:\n  A:\n    Metadata: *base\n    Type: X\n",
            "t.yaml: line 4: a YAML alias (*name), which CloudFormation does not accept",
        ),
        (
            "Base: &base {DeletionPolicy: Delete}\nResources:\n  A:\n    <<: *base\n    Type: X\n",
            "t.yaml: line 4: a YAML merge key (<<), which CloudFormation does not accept",
        ),
        (
            "Resources:\n  A:\n    <<: {DeletionPolicy: Delete}\n    DeletionPolicy: Retain\n",
            "t.yaml: line 3: a YAML merge key (<<), which CloudFormation does not accept",
        ),
        (
            "Resources:\n  A: {Type: X}\n---\nResources:\n  A: {Type: Y, DeletionPolicy: Delete}\n",
            "t.yaml: line 3: more than one YAML document; a template is one",
        ),
        (
            "Resources:\n  A:\n    ? [DeletionPolicy]\n    : Retain\n",
            "t.yaml: line 3: a mapping or list as a key, which CloudFormation cannot read",
        ),
        ("Resources:\n  !Ref A: {Type: X}\n", "t.yaml: line 2: a resource's logical id is not a string"),
    ],
)
def test_yaml_cloudformation_does_not_accept_is_refused(text: str, message: str):
    assert refusal(text) == message


def test_an_anchor_without_an_alias_and_a_quoted_merge_key_are_plain_yaml():
    template = parse("Resources:\n  A: &a\n    Type: X\n    '<<': 1\n    DeletionPolicy: Retain\n", "t.yaml")
    assert template.resources["A"].deletion_policy == "Retain"


@pytest.mark.parametrize("depth", [400, 600, 5000, 400_000])
def test_deep_nesting_is_one_line(depth: int):
    text = '{"Resources": {"A": {"Properties": {"P": ' + "[" * depth + "]" * depth + "}}}}"
    if depth <= 400:
        assert list(parse(text, "t.json").resources) == ["A"]
        return
    with pytest.raises(
        TemplateError,
        match=r"^t\.json: line 1: (nested too deeply for planlint to read|not YAML or JSON: .*nesting depth)$",
    ):
        parse(text, "t.json")


# --- size: CloudFormation's own limit ---------------------------------------------------------

LIMIT_MESSAGE = "larger than the 1 MiB limit, CloudFormation's own for a template"


def template_of_size(size: int) -> str:
    """A valid template of exactly ``size`` UTF-8 bytes, padded with a comment."""
    body = "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n# "
    return body + "x" * (size - len(body) - 1) + "\n"


def test_the_limit_is_cloudformations_for_a_template_from_s3():
    assert MAX_SIZE == 1024 * 1024  # "1 MB": the larger reading, so no template AWS accepts is refused


def test_a_template_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path):
    at, over = tmp_path / "at.yaml", tmp_path / "over.yaml"
    at.write_text(template_of_size(MAX_SIZE))
    over.write_text(template_of_size(MAX_SIZE + 1))
    assert at.stat().st_size == MAX_SIZE and over.stat().st_size == MAX_SIZE + 1
    assert read(str(at)).resources["Table"].deletion_policy == "Retain"
    with pytest.raises(TemplateError) as caught:
        read(str(over))
    assert str(caught.value) == f"{over}: {LIMIT_MESSAGE}"


def test_the_limit_counts_bytes_not_characters(tmp_path: Path):
    """Two-byte characters: under the limit in characters, over it in bytes, as a file or as text."""
    text = template_of_size(1000) + "# " + "é" * (MAX_SIZE // 2) + "\n"
    assert len(text) < MAX_SIZE < len(text.encode())
    path = tmp_path / "wide.yaml"
    path.write_text(text, encoding="utf-8")
    for attempt in (lambda: read(str(path)), lambda: parse(text, "wide.yaml")):
        with pytest.raises(TemplateError, match=LIMIT_MESSAGE):
            attempt()


def test_a_template_at_the_limit_is_read_without_a_tree_of_the_whole_document():
    """Events, not a composed tree: the memory a 1 MiB template takes is a small multiple of its size
    (composing it took over 50 MiB; the resources kept take most of it now)."""
    parts, size, n = ["Resources:\n"], 11, 0
    while size < MAX_SIZE - 400:
        part = f"  Bucket{n}:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [{{Key: k, Value: {n}}}]\n"
        parts.append(part)
        size, n = size + len(part), n + 1
    text = "".join(parts)
    tracemalloc.start()
    try:
        template = parse(text, "big.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(template.resources) == n
    assert peak < 20 * MAX_SIZE, f"{peak / MAX_SIZE:.1f} MiB"


# --- fetched templates: the same reader, the same limit ----------------------------------------


def test_a_deployed_json_template_with_a_key_twice_is_refused_as_written(cli, both, repo: Path):
    """botocore decodes a JSON TemplateBody (keeping the last of two keys): planlint reads the text."""
    _, cfn = both
    cfn.templates[STACK] = (
        '{"Resources": {\n  "OrdersTable": {\n    "Type": "AWS::DynamoDB::Table",\n'
        '    "DeletionPolicy": "Delete",\n    "DeletionPolicy": "Retain"\n  }\n}}\n'
    )
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert result.exit_code == 2, result.stdout
    assert (
        f"planlint: error: <aws previous-template of plan {DEMO_PLAN}>: line 5: "
        'key "DeletionPolicy" appears twice in one mapping (first at line 4)'
    ) in result.stderr.splitlines()


def test_a_deployed_json_template_is_saved_as_aws_gave_it(cli, both, repo: Path):
    _, cfn = both
    body = json.dumps(
        {"Resources": {"OrdersTable": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain"}}}, indent=4
    )
    cfn.templates[STACK] = body
    cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q", "--save-dir", "saved")
    assert (repo / "saved" / f"{DEMO_PLAN}.previous-template.json").read_text() == body


def test_a_fetched_new_template_over_the_limit_is_refused(cli, both, repo: Path):
    sc, _ = both
    sc.artifact_templates[("prod-7qbt2mvx4ivzc", "pa-rvlbx6dbzkvso")] = template_of_size(MAX_SIZE + 1)
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert result.exit_code == 2
    assert f"planlint: error: plan {DEMO_PLAN}: its new template is larger than 1 MiB" in result.stderr.splitlines()


def test_a_deployed_template_over_the_limit_is_refused(cli, both, repo: Path):
    _, cfn = both
    cfn.templates[STACK] = template_of_size(MAX_SIZE + 1)
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert result.exit_code == 2
    assert f"planlint: error: <aws previous-template of plan {DEMO_PLAN}>: {LIMIT_MESSAGE}" in result.stderr


def test_without_libyaml_the_pure_python_parser_reads_the_same(monkeypatch: pytest.MonkeyPatch):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert refusal(DUPLICATE_POLICY) == (
        't.yaml: line 5: key "DeletionPolicy" appears twice in one mapping (first at line 4)'
    )
    assert refusal("Resources:\n  A: {Type: X}\n  B: {Type: Y, DeletionPolicy: *x}\n").endswith(
        "line 3: a YAML alias (*name), which CloudFormation does not accept"
    )
    template = parse("Resources:\n  A:\n    Type: X\n    DeletionPolicy: Retain\n    Properties: {P: 1}\n", "t.yaml")
    assert template.resources["A"] == TemplateResource("A", 2, "X", "Retain", None, {"P": 5})


# --- policies: only CloudFormation's exact values keep anything --------------------------------

DELETION_POLICIES = ("Delete", "Retain", "RetainExceptOnCreate", "Snapshot")  # CloudFormation's, case-sensitive


def verdicts(policy: str) -> tuple[str, str, str]:
    """The levels of a stateful removal (previous DeletionPolicy ``policy``), a stateful replacement
    (UpdateReplacePolicy ``policy``) and a non-stateful removal, each with a template written as JSON."""
    resource = {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": policy, "UpdateReplacePolicy": policy}
    template = parse(json.dumps({"Resources": {"Db": resource}}), "t.json")
    queue = parse(json.dumps({"Resources": {"Q": {**resource, "Type": "AWS::IAM::Role"}}}), "q.json")
    removal = make_plan(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    removal = declare(removal, Templates(previous=template))
    replaced = make_plan(
        change("MODIFY", "Db", "AWS::RDS::DBInstance", replacement="TRUE", details=[detail("X", recreation="ALWAYS")])
    )
    replaced = declare(replaced, Templates(new=template))
    gone = make_plan(change("REMOVE", "Q", "AWS::IAM::Role"))
    gone = declare(gone, Templates(previous=queue))
    [removed] = run_rule("stateful-removal", removal)
    [replacement] = run_rule("stateful-replacement", replaced)
    [other] = run_rule("removal", gone)
    return str(removed.level), str(replacement.level), str(other.level)


@pytest.mark.parametrize(
    "policy", ["retain", "RETAIN", "Retaın", "Ｒetain", "Retain ", "RetainExceptOnCreatE", "ſnapshot", "snapshot"]
)
def test_a_policy_that_is_not_exactly_cloudformations_keeps_nothing(policy: str):
    """CloudFormation refuses a DeletionPolicy in another case; planlint reads it as Delete."""
    assert verdicts(policy) == verdicts("Delete") == ("error", "error", "warning")


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=24).filter(lambda text: text not in DELETION_POLICIES))
def test_any_policy_but_cloudformations_own_is_read_as_delete(policy: str):
    assert verdicts(policy) == ("error", "error", "warning")  # as Delete


def test_cloudformations_own_policies_keep_what_they_say():
    assert verdicts("Retain") == ("note", "warning", "note")
    assert verdicts("Snapshot")[:2] == ("warning", "warning")


@pytest.mark.parametrize(
    "value",
    ["\U0001f600", "a\U00010000b", "\\ud83d\\ude00 as text", "\\\U0001f4be", "\u00e9\U0010ffff"],
)
def test_a_json_template_with_characters_beyond_the_basic_plane_reads_as_json_does(value: str):
    """JSON writes such a character as two \\u escapes (a surrogate pair), as json.dumps and many
    generators do; YAML reads only one \\U escape for it."""
    text = json.dumps({"Description": value, "Resources": {"A": {"Type": "X", "DeletionPolicy": value}}})
    assert parse(text, "t.json").resources["A"].deletion_policy == json.loads(text)["Description"]
