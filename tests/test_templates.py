"""Templates: read with every resource's and property's line (YAML with short-form tags, or JSON),
bound to a plan, settling what DeletionPolicy and UpdateReplacePolicy will really do, and findings
shown on the template's lines."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from planlint.read.declare import Templates, declare
from planlint.read.template import TemplateError, parse, read
from planlint.testing import change, detail, make_plan, plan_document, run_rule
from tests.conftest import FIXTURES, write_json
from tests.reports import check_gitlab, check_junit, check_sarif

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

SHORT_FORMS = """\
AWSTemplateFormatVersion: "2010-09-09"
# comments are no resources
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Db:                                   # line 6
    Type: AWS::RDS::DBInstance
    DeletionPolicy: !If [Prod, Retain, Delete]
    UpdateReplacePolicy: Snapshot
    Properties:
      DBName: !Sub |
        orders_${Env}
        _more
      StorageEncrypted: !GetAtt Key.Enabled   # line 14
  Key:
    Type: AWS::KMS::Key
    DeletionPolicy: Retain
    Properties:
      KeyPolicy: !Base64 {"Fn::Sub": "x"}
      Evil: !!python/object/apply:os.system ["echo pwned > pwned.txt"]
"""


def db_template(
    deletion: str | None = None, update_replace: str | None = None, kind: str = "AWS::RDS::DBInstance"
) -> str:
    lines = ["Resources:", "  Db:", f"    Type: {kind}"]
    if deletion:
        lines.append(f"    DeletionPolicy: {deletion}")
    if update_replace:
        lines.append(f"    UpdateReplacePolicy: {update_replace}")
    lines += ["    Properties:", "      StorageEncrypted: true"]
    return "\n".join(lines) + "\n"


def test_short_form_tags_comments_and_multiline_sub_keep_their_lines(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = parse(SHORT_FORMS, "t.yaml")
    db, key = template.resources["Db"], template.resources["Key"]
    assert (db.line, db.type, db.update_replace_policy) == (6, "AWS::RDS::DBInstance", "Snapshot")
    assert db.deletion_policy == "(an expression)"  # !If is not a literal policy
    assert db.property_lines == {"DBName": 11, "StorageEncrypted": 14}
    assert template.line_of("Db", ("StorageEncrypted",)) == 14 and template.line_of("Db", ("Nope",)) == 6
    assert (key.line, key.deletion_policy) == (15, "Retain")
    assert not (tmp_path / "pwned.txt").exists()  # a tag is a label: nothing is constructed


def test_a_json_template_has_lines_too():
    text = json.dumps(
        {
            "Resources": {
                "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": {"BucketName": "b"}}
            }
        },
        indent=2,
    )
    template = parse(text, "t.json")
    assert template.resources["Bucket"].line == 3
    assert template.resources["Bucket"].property_lines == {"BucketName": 7}


@pytest.mark.parametrize(
    "text,message",
    [
        ("Resources:\n  A: [\n", "t.yaml: line 3: not YAML or JSON: "),
        ("- a\n- b\n", "t.yaml: line 1: not a CloudFormation template: it is not a mapping with Resources"),
        ("Parameters: {}\n", "t.yaml: not a CloudFormation template: it has no Resources mapping"),
        ("Resources: []\n", "t.yaml: line 1: not a CloudFormation template: it has no Resources mapping"),
        (
            "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n",
            "t.yaml: line 3: resource A is declared twice (first at line 2)",
        ),
        ('{"Resources": {"A": {}, "A": {}}}', "t.yaml: line 1: resource A is declared twice (first at line 1)"),
    ],
)
def test_a_template_planlint_cannot_use_is_one_line(text: str, message: str):
    with pytest.raises(TemplateError) as caught:
        parse(text, "t.yaml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_unreadable_template_files(tmp_path: Path):
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(TemplateError, match="bin.yaml: not UTF-8 text"):
        read(str(tmp_path / "bin.yaml"))
    with pytest.raises(TemplateError, match="a directory"):
        read(str(tmp_path))


# --- verdicts -----------------------------------------------------------------------------


def removal_verdict(policy: str | None) -> tuple[str, str]:
    plan = make_plan(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    plan = declare(plan, Templates(previous=parse(db_template(policy), "old.yaml")))
    [finding] = run_rule("stateful-removal", plan)
    return str(finding.level), finding.message


@pytest.mark.parametrize(
    "policy,level,words",
    [
        (
            "Retain",
            "note",
            "leaves the stack but is kept (physical id db-physical) (DeletionPolicy Retain at old.yaml:2): it is orphaned",
        ),
        ("RetainExceptOnCreate", "note", "DeletionPolicy RetainExceptOnCreate at old.yaml:2"),
        (
            "Snapshot",
            "warning",
            "will be deleted (physical id db-physical) after a snapshot (DeletionPolicy Snapshot at old.yaml:2)",
        ),
        (
            "Delete",
            "error",
            "will be deleted (physical id db-physical) (DeletionPolicy Delete at old.yaml:2): its data goes with it",
        ),
        (None, "error", "(no DeletionPolicy at old.yaml:2, so Delete): its data goes with it"),
        (
            "!Ref Policy",
            "error",
            "its DeletionPolicy at old.yaml:2 is (an expression), which planlint cannot evaluate, so it is read as Delete",
        ),
    ],
)
def test_a_removal_follows_the_deployed_templates_deletion_policy(policy, level, words):
    got_level, message = removal_verdict(policy)
    assert got_level == level and words in message, message


def replacement_verdict(policy: str | None, replacement: str = "True") -> tuple[str, str]:
    db = change(
        "MODIFY",
        "Db",
        "AWS::RDS::DBInstance",
        replacement=replacement,
        details=[detail("StorageEncrypted", recreation="ALWAYS")],
    )
    plan = make_plan(db)
    plan = declare(plan, Templates(new=parse(db_template(update_replace=policy), "new.yaml")))
    [finding] = run_rule("stateful-replacement", plan)
    return str(finding.level), finding.message


@pytest.mark.parametrize(
    "policy,level,words",
    [
        (
            "Retain",
            "warning",
            "(UpdateReplacePolicy Retain at new.yaml:6): a new, empty resource takes over and the old one is kept, orphaned",
        ),
        ("Snapshot", "warning", "the old one is deleted after a snapshot"),
        ("Delete", "error", "(UpdateReplacePolicy Delete at new.yaml:6)"),
        (None, "error", "(no UpdateReplacePolicy at new.yaml:5, so the old one is deleted)"),
    ],
)
def test_a_replacement_follows_the_templates_update_replace_policy(policy, level, words):
    got_level, message = replacement_verdict(policy)
    assert got_level == level and words in message, message
    assert f"new.yaml:{6 if policy else 5}" in message  # the property's line: StorageEncrypted


@pytest.mark.parametrize(
    "before,after,level,words",
    [
        (
            "Retain",
            None,
            "warning",
            "changes from Retain to none (Delete) (new.yaml:2); the data is no longer protected",
        ),
        ("Retain", "Snapshot", "warning", "changes from Retain to Snapshot"),
        ("Delete", "Retain", "note", "changes from Delete to Retain (new.yaml:2)"),
        ("Snapshot", "RetainExceptOnCreate", "note", "changes from Snapshot to RetainExceptOnCreate"),
    ],
)
def test_a_deletion_policy_change_names_both_policies(before, after, level, words):
    bucket = change(
        "MODIFY", "Db", "AWS::S3::Bucket", scope=["DELETIONPOLICY"], details=[detail(attribute="DELETIONPOLICY")]
    )
    plan = make_plan(bucket)
    new = parse(db_template(after, kind="AWS::S3::Bucket"), "new.yaml")
    old = parse(db_template(before, kind="AWS::S3::Bucket"), "old.yaml")
    plan = declare(plan, Templates(new=new, previous=old))
    [finding] = run_rule("deletion-policy-change", plan)
    assert (str(finding.level), words in finding.message) == (level, True), finding.message


def test_without_templates_todays_verdicts_stand_and_say_a_template_would_settle_it():
    removal = make_plan(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    [finding] = run_rule("stateful-removal", removal)
    assert str(finding.level) == "error" and finding.message.endswith(
        "(--previous-template would show its DeletionPolicy)"
    )
    assert replacement_verdict.__name__  # (the replacement message is checked in test_cli and the rule cases)


@pytest.mark.parametrize(
    "changes,templates,message",
    [
        (
            [change("REMOVE", "Db", "AWS::RDS::DBInstance")],
            {"new": db_template()},
            "new.yaml: line 2: plan test-plan for test-product removes Db, but this template still declares it",
        ),
        (
            [change("REMOVE", "Gone", "AWS::S3::Bucket")],
            {"previous": db_template()},
            "old.yaml: plan test-plan for test-product removes Gone, which this template does not declare",
        ),
        (
            [change("MODIFY", "Other", "AWS::S3::Bucket")],
            {"new": db_template()},
            "new.yaml: plan test-plan for test-product changes Other (MODIFY), which this template does not declare",
        ),
        (
            [change("ADD", "Other", "AWS::S3::Bucket")],
            {"new": db_template()},
            "changes Other (ADD), which this template does not declare",
        ),
    ],
)
def test_templates_that_are_not_the_plans_are_refused(changes, templates, message):
    plan = make_plan(*changes)
    chosen = Templates(
        new=parse(templates["new"], "new.yaml") if "new" in templates else None,
        previous=parse(templates["previous"], "old.yaml") if "previous" in templates else None,
    )
    with pytest.raises(TemplateError) as caught:
        declare(plan, chosen)
    assert message in str(caught.value)
    assert all(c.declared is None for c in plan.changes)  # all or nothing


# --- the command line, reports on template lines ------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plans").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "plans" / "demo.json")
    shutil.copytree(FIXTURES / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


BOTH = ["--template", "templates/orders.yaml", "--previous-template", "templates/orders-previous.yaml"]


def test_the_demo_plan_with_its_templates(cli, repo: Path):
    without = cli("lint", "plans/demo.json")
    with_templates = cli("lint", "plans/demo.json", *BOTH)
    assert without.exit_code == 1 and with_templates.exit_code == 0, with_templates.stderr
    assert without.stdout.splitlines()[-1] == "2 errors, 8 warnings in 1 plan (14 changes)"
    assert with_templates.stdout.splitlines()[-1] == "9 warnings, 1 note in 1 plan (14 changes)"
    assert (
        "  OrdersTable (AWS::DynamoDB::Table): REMOVE  templates/orders-previous.yaml:16  plans/demo.json:105"
        in with_templates.stdout
    )
    assert "note    PL102 stateful-removal: leaves the stack but is kept" in with_templates.stdout


def test_sarif_annotations_gitlab_and_junit_point_at_the_template(cli, repo: Path):
    result = cli(
        "lint",
        "plans/demo.json",
        *BOTH,
        "-f",
        "sarif",
        "-o",
        "r.sarif",
        "-f",
        "gitlab",
        "-o",
        "gl.json",
        "-f",
        "junit",
        "-o",
        "r.xml",
        "-f",
        "github",
    )
    log = check_sarif((repo / "r.sarif").read_text())
    named = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r for r in log["runs"][0]["results"]}
    by_rule = {"PL101": named[("PL101", "OrdersDatabase")], "PL102": named[("PL102", "OrdersTable")]}
    db = by_rule["PL101"]
    assert db["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "templates/orders.yaml"},
        "region": {"startLine": 18},
    }
    assert db["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plans/demo.json"
    removal = by_rule["PL102"]["locations"][0]["physicalLocation"]
    assert removal == {"artifactLocation": {"uri": "templates/orders-previous.yaml"}, "region": {"startLine": 16}}
    issues = {i["check_name"]: i for i in check_gitlab((repo / "gl.json").read_text())}
    assert issues["stateful-removal"]["location"] == {
        "path": "templates/orders-previous.yaml",
        "lines": {"begin": 16},
    }
    check_junit((repo / "r.xml").read_text())
    assert "at templates/orders-previous.yaml:16 (the plan: plans/demo.json:105)" in (repo / "r.xml").read_text()
    assert any(
        line.startswith("::notice file=templates/orders-previous.yaml,line=16,title=PL102")
        for line in result.stdout.splitlines()
    )


def test_fingerprints_stay_when_only_lines_move(cli, repo: Path):
    first = check_sarif(cli("lint", "plans/demo.json", *BOTH, "-f", "sarif").stdout)
    template = repo / "templates" / "orders.yaml"
    template.write_text("# moved\n\n\n" + template.read_text())
    second = check_sarif(cli("lint", "plans/demo.json", *BOTH, "-f", "sarif").stdout)

    def prints(log):
        return [
            (r["ruleId"], r["partialFingerprints"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]
        ]

    a, b = prints(first), prints(second)
    assert [x[:2] for x in a] == [x[:2] for x in b]
    assert any(x[2] != y[2] for x, y in zip(a, b, strict=True))


def test_a_template_outside_the_source_root_leaves_findings_on_the_plan(cli, repo: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "orders.yaml"
    shutil.copy(repo / "templates" / "orders.yaml", outside)
    log = check_sarif(cli("lint", "plans/demo.json", "--template", str(outside), "-f", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"plans/demo.json"}


def test_a_bad_template_is_one_line_and_exit_2_with_nothing_written(cli, repo: Path):
    (repo / "templates" / "broken.yaml").write_text("Resources:\n  A: [\n")
    result = cli("lint", "plans/demo.json", "--template", "templates/broken.yaml", "-f", "json", "-o", "out.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("planlint: error: --template: templates/broken.yaml: line 3: not YAML or JSON:")
    assert len(result.stderr.splitlines()) == 1 and not (repo / "out.json").exists()


def test_a_template_of_another_plan_makes_the_run_fail_closed(cli, repo: Path):
    result = cli("lint", "plans/demo.json", "--template", "templates/orders-previous.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "planlint: error: templates/orders-previous.yaml: line 16: plan orders-release-42 for orders-prod removes "
        "OrdersTable, but this template still declares it: is it the template this plan was made from?"
    )


def test_templates_per_product_in_the_configuration(cli, repo: Path):
    other = plan_document(
        change("REMOVE", "Db", "AWS::RDS::DBInstance"), product="billing-prod", plan_id="pl-billing00000001"
    )
    write_json(repo / "plans" / "billing.json", other)
    (repo / "planlint.toml").write_text(
        textwrap.dedent(
            """
            [[templates]]
            product = "orders-*"
            template = "templates/orders.yaml"
            previous-template = "templates/orders-previous.yaml"
            """
        )
    )
    report = json.loads(cli("lint", "plans", "-f", "json").stdout)
    removals = {f["provisioned_product_name"]: f for f in report["findings"] if f["rule_name"] == "stateful-removal"}
    assert removals["orders-prod"]["severity"] == "note"
    assert removals["orders-prod"]["template_location"] == {"path": "templates/orders-previous.yaml", "line": 16}
    assert removals["billing-prod"]["severity"] == "error" and removals["billing-prod"]["template_location"] is None
    shown = cli("lint", "--show-config").stdout
    assert "[[templates]]" in shown and 'product = "orders-*"' in shown


# --- --fetch-templates: real boto3 clients against both loopback fakes --------------------------

DEMO_PLAN = "pl-6kxqz3vbw2jra"
STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/SC-123456789012-pp-x3jc5zbkoa4ms/0a1b2c3d"


@pytest.fixture
def both(repo: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.fake_cloudformation import FakeCloudFormation
    from tests.fake_servicecatalog import FakeServiceCatalog

    for name, value in {
        "AWS_ACCESS_KEY_ID": "AKIAPLANLINTTESTING",
        "AWS_SECRET_ACCESS_KEY": "planlint-testing-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    sc, cfn = FakeServiceCatalog().start(), FakeCloudFormation().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", sc.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.url)
    sc.add_plan(json.loads((FIXTURES / "demo.json").read_text()))
    sc.stacks["pp-x3jc5zbkoa4ms"] = STACK
    sc.artifact_templates[("prod-7qbt2mvx4ivzc", "pa-rvlbx6dbzkvso")] = (
        FIXTURES / "templates" / "orders.yaml"
    ).read_text()
    cfn.templates[STACK] = (FIXTURES / "templates" / "orders-previous.yaml").read_text()
    yield sc, cfn
    sc.stop()
    cfn.stop()


def test_fetched_templates_are_saved_beside_the_plan_and_findings_land_on_them(cli, both, repo: Path):
    sc, cfn = both
    result = cli(
        "lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "--save-dir", "saved", "-q", "-f", "sarif", "-o", "r.sarif"
    )
    assert result.exit_code == 0, result.stderr
    saved = repo / "saved"
    assert sorted(p.name for p in saved.iterdir()) == [
        f"{DEMO_PLAN}.json",
        f"{DEMO_PLAN}.previous-template.yaml",
        f"{DEMO_PLAN}.template.yaml",
    ]
    assert (saved / f"{DEMO_PLAN}.template.yaml").read_text() == (FIXTURES / "templates" / "orders.yaml").read_text()
    log = check_sarif((repo / "r.sarif").read_text())
    uris = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert uris["PL102"] == f"saved/{DEMO_PLAN}.previous-template.yaml"
    operations = [op for op, _ in sc.requests]
    assert "SearchProvisionedProducts" in operations and "DescribeProvisioningArtifact" in operations
    assert [r["Action"] for r in cfn.requests] == ["GetTemplate"]
    assert cfn.requests[0]["TemplateStage"] == "Original" and cfn.requests[0]["StackName"] == STACK
    # and the saved files lint to the same verdict
    again = cli(
        "lint",
        f"saved/{DEMO_PLAN}.json",
        "--template",
        f"saved/{DEMO_PLAN}.template.yaml",
        "--previous-template",
        f"saved/{DEMO_PLAN}.previous-template.yaml",
    )
    assert again.exit_code == 0 and again.stdout.splitlines()[-1] == "9 warnings, 1 note in 1 plan (14 changes)"


def test_fetching_templates_survives_throttling(cli, both, repo: Path):
    sc, cfn = both
    sc.faults.throttle_every = 2
    cfn.faults.throttle_every = 1_000_000  # (CloudFormation answers its one request)
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert result.exit_code == 0, result.stderr
    assert "note    PL102 stateful-removal: leaves the stack but is kept" in result.stdout
    # unsaved, the findings point at the plan's own lines in the text report, and SARIF is refused as ever
    assert "<aws previous-template of plan pl-6kxqz3vbw2jra>:16" in result.stdout


def test_a_missing_artifact_is_one_line_and_exit_2(cli, both, repo: Path):
    sc, _ = both
    sc.artifact_templates.clear()
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"planlint: error: plan {DEMO_PLAN}: cannot find its new template: ResourceNotFoundException: "
        "Artifact pa-rvlbx6dbzkvso not found. (check the plan id and the region)"
    )


def test_a_product_not_provisioned_yet_has_no_deployed_template(cli, both, repo: Path):
    sc, cfn = both
    sc.stacks.clear()
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q")
    assert cfn.requests == []
    # without the deployed template, the removal is an error again, with the new template's lines
    assert result.exit_code == 1
    assert "PL102 stateful-removal: will be deleted" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--fetch-templates", "plans/demo.json"],
            "--fetch-templates fetches the templates of the plans fetched: give --plan-id",
        ),
        (
            ["--plan-id", DEMO_PLAN, "--fetch-templates", "--template", "t.yaml"],
            "give --fetch-templates or template files",
        ),
    ],
)
def test_fetch_templates_usage(cli, repo: Path, args, message):
    result = cli("lint", *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"planlint: error: {message}")
