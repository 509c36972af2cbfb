"""CloudFormation change sets: every saved form is read, and every real document is judged as a
careful reviewer would — its errors, and its silences. Each rule's own change-set contract is
in tests/rule_cases/."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from planlint import Action, Attribute, Evaluation, InputKind, PolicyAction, Replacement
from planlint.gate import lint
from planlint.read.load import load
from planlint.testing import change_set_document
from tests.conftest import FIXTURES, write_json

REAL = FIXTURES / "real"
REFUSED_DIR = Path(__file__).parent / "data" / "real"  # real, but not a plan: kept out of fixtures/
OWN = FIXTURES / "change-sets"
E, W, N = "error", "warning", "note"

# How each real document is judged: the exact (rule, resource, severity) of every finding.
JUDGED: dict[str, list[tuple[str, str | None, str]]] = {
    "cfn-03-trek10-deletion-policies.json": [
        ("deletion-policy-change", "BucketToRemoveDeletionPolices", W),
        ("stateful-removal", "BucketToRemove", N),  # PolicyAction Retain: orphaned, not deleted
        ("stateful-replacement", "BucketToReplace", W),  # ReplaceAndRetain: a new, empty bucket
    ],
    "cfn-04-trek10-multiple.json": [("stateful-removal", "BucketToRemove", E), ("tag-change", "BucketWithTags", N)],
    "cfn-05-trek10-nested.json": [("nested-stack-change", "Stack", W)],
    "cfn-06-trek10-nested.nested.json": [
        ("stateful-removal", "BucketToRemove", E),
        ("stateful-replacement", "BucketToReplace", E),  # ReplaceAndDelete
        ("tag-change", "BucketWithTags", N),
    ],
    "cfn-07-trek10-import.json": [],  # an Import is no removal
    "cfn-08-trek10-new-stack-tags.json": [
        ("iam-change", "FooPermissionSet", W),  # its managed policies change, not only its tags
        ("tag-change", "FooPermissionSet", N),
    ],
    "cfn-09-trek10-stack-tags.json": [("tag-change", n, N) for n in ("Bucket2", "Bucket3", "Bucket")],
    "cfn-10-awscli-describe-change-set-lambda-timeout.json": [],
    "cfn-15-trek10-unchanged-properties.json": [],
    "cfn-16-cfexecute-go-sdk-v1-ecs-cluster-replacement.json": [("replacement", "ExampleCluster", W)],
    # the console's list of changes does not say its status: it cannot be vouched for
    "cfn-17-console-cfn101-bucket-versioning-modify.json": [("plan-status", None, E)],
    "cfn-18-console-cfn101-bucket-name-replacement.json": [
        ("plan-status", None, E),
        ("stateful-replacement", "MyS3Bucket", E),
    ],
    "cfn-19-console-cfn101-challenge-remove-add.json": [
        ("plan-status", None, E),
        ("stateful-removal", "MyS3Bucket", E),
    ],
    "ls-01-localstack-sns-topicname-replacement-prop-values.json": [("replacement", "Foo", W)],
    "ls-02-localstack-sns-topicname-replacement-no-prop-values.json": [("replacement", "Foo", W)],
    "ls-03-localstack-parameter-driven-replacement.json": [("replacement", "Foo", W)],
    "ls-04-localstack-loggroup-remove.json": [("stateful-removal", "Role", E)],  # a log group, PolicyAction Delete
    "ls-05-localstack-three-removes.json": [("removal", n, W) for n in "ABC"],
    "ls-06-localstack-replacement-with-dependent-modify.json": [("replacement", "Topic1", W)],
    "ls-07-localstack-create-adds-report-replacement-true.json": [],  # Add with Replacement True: no replacement
    "ls-08-localstack-condition-removes-resource.json": [("removal", "SNSTopic", W)],
    "ls-09-localstack-ssm-replacement-unrelated-change.json": [("replacement", "Parameter1", W)],
    "ls-10-localstack-sam-transform-iam-role-add-and-remove.json": [
        ("iam-change", "HelloWorldFunctionApiEventPermissionProd", W),
        ("iam-change", "HelloWorldFunctionRole", W),
        ("removal", "Parameter", W),
    ],
    "ls-11-localstack-cdk-bootstrap-create-iam-s3-ecr.json": [
        ("iam-change", n, W)
        for n in (
            "CloudFormationExecutionRole",
            "DeploymentActionRole",
            "FilePublishingRoleDefaultPolicy",
            "FilePublishingRole",
            "ImagePublishingRoleDefaultPolicy",
            "ImagePublishingRole",
            "LookupRole",
            "StagingBucketPolicy",
        )
    ],
    "ls-12-localstack-noecho-parameter-masked.json": [("secret-parameter", None, W)],  # the one AWS showed plainly
    "ls-13-localstack-failed-no-changes.json": [("plan-status", None, N)],
    "ls-14-localstack-failed-transform.json": [("plan-status", None, E)],
    "ls-15-localstack-sns-replacement-2022-shape.json": [("replacement", "topic123", W)],
    "sc-01-awscli-describe-provisioned-product-plan.json": [("incomplete-plan", None, W)],
}
# The two large ones, by rule and severity.
COUNTED = {
    # a destructive CDK change set: alarms replaced, Inspector filters and IAM policies removed; no data loss
    "cfn-01-nhs-eps-monitoring-destructive-changeset.json": {
        ("replacement", W): 8,
        ("removal", W): 32,
        ("iam-change", W): 4,
        ("blast-radius", W): 1,
        ("tag-change", N): 19,
    },
    # a 141-change tag rollout: quiet but for the tag changes themselves
    "cfn-02-nhs-eps-account-resources-safe-changeset.json": {("tag-change", N): 141},
}
REFUSED = {
    "sc-02-awscli-create-provisioned-product-plan-output.json": "this is a CreateProvisionedProductPlan response: "
    "it names the plan but holds none of its changes; save "
    "`aws servicecatalog describe-provisioned-product-plan --plan-id plan-cuxae3z6gxxxx` (or use --plan-id)",
}


def findings(path: Path) -> list[tuple[str, str | None, str]]:
    report = lint([str(path)])
    assert report.input_errors == [] and report.rule_errors == []
    return [(f.rule_name, f.logical_id, f.level.value) for f in report.findings]


def test_every_real_document_is_judged_or_refused():
    assert {p.name for p in REAL.glob("*.json")} == set(JUDGED) | set(COUNTED)
    assert {p.name for p in REFUSED_DIR.glob("*.json")} == set(REFUSED)


@pytest.mark.parametrize("name", sorted(JUDGED))
def test_a_real_document_is_judged(name: str):
    assert findings(REAL / name) == JUDGED[name]


@pytest.mark.parametrize("name", sorted(COUNTED))
def test_a_large_real_document_is_judged(name: str):
    assert Counter((rule, level) for rule, _, level in findings(REAL / name)) == COUNTED[name]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_near_miss_is_refused_saying_what_it_is(name: str):
    result = load([str(REFUSED_DIR / name)])
    assert result.plans == []
    assert [e.problem for e in result.errors] == [
        f"not a DescribeProvisionedProductPlan response: no ProvisionedProductPlanDetails; {REFUSED[name]}"
    ]


def test_a_create_change_set_response_is_refused_with_the_call_to_make(tmp_path: Path):
    arn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/release/1a2b"
    path = write_json(tmp_path / "created.json", {"Id": arn, "StackId": "arn:aws:cloudformation:…:stack/app/1"})
    [error] = load([str(path)]).errors
    assert error.problem.endswith(
        f"this is a CreateChangeSet response: it names the change set but holds none of its changes; "
        f"save `aws cloudformation describe-change-set --change-set-name {arn} --include-property-values`"
    )


# --- the forms a change set is saved in --------------------------------------------------------


def test_the_console_list_of_changes_is_one_change_set_with_capitalised_members():
    [plan] = load([str(REAL / "cfn-18-console-cfn101-bucket-name-replacement.json")]).plans
    assert plan.kind is InputKind.CHANGE_SET and plan.change_set is not None and plan.plan_id is None
    [change] = plan.changes
    assert (change.action, change.replacement, change.resource_type) == (
        Action.MODIFY,
        Replacement.TRUE,
        "AWS::S3::Bucket",
    )
    assert [c.text for c in change.causes] == [
        "property BucketName requires recreation (ALWAYS), caused by BucketName"  # no Parameters to tell it is one
    ]
    assert change.source is not None and change.source.line == 2


def test_go_sdk_v1_nulls_and_v2_empty_strings_are_absent_members():
    [v1] = load([str(REAL / "cfn-16-cfexecute-go-sdk-v1-ecs-cluster-replacement.json")]).plans
    assert v1.details.tags == () and v1.change_set is not None and v1.change_set.capabilities == ()
    [v2] = load([str(OWN / "go-sdk-v2-empty-enums.json")]).plans
    cluster, instance = v2.changes
    assert (cluster.replacement, cluster.policy_action) == (None, PolicyAction.SNAPSHOT)
    assert (instance.replacement, instance.policy_action) == (None, None)
    assert findings(OWN / "go-sdk-v2-empty-enums.json") == [
        ("stateful-removal", "ReportingCluster", W),  # deleted after a snapshot
        ("stateful-removal", "ReportingInstance", E),  # no PolicyAction: read as a deletion
    ]


def test_pages_merge_whether_a_list_or_several_files():
    as_files = load([str(OWN / "pages")]).plans
    as_list = load([str(OWN / "pages-list.json")]).plans
    for plans in (as_files, as_list):
        [plan] = plans
        assert (plan.pages, len(plan.changes), plan.incomplete) == (2, 5, False)
    alone = load([str(OWN / "pages" / "alarm-rename-page-1.json")]).plans[0]
    assert alone.incomplete
    assert findings(OWN / "pages") == [("replacement", f"Alarm0{i}", W) for i in range(1, 5)] + [
        ("stateful-removal", "OrdersArchive", N)
    ]


def test_with_or_without_property_values_the_verdict_is_the_same():
    assert findings(REAL / "ls-01-localstack-sns-topicname-replacement-prop-values.json") == findings(
        REAL / "ls-02-localstack-sns-topicname-replacement-no-prop-values.json"
    )


def test_boto3_default_str_and_cli_v1_epoch_times(tmp_path: Path):
    document = change_set_document(
        {"Action": "Remove", "LogicalResourceId": "Db", "ResourceType": "AWS::RDS::DBInstance"}
    )
    document["CreationTime"] = "2026-03-02 09:14:27.512000+00:00"
    document["ResponseMetadata"] = {"RequestId": "1", "HTTPStatusCode": 200, "RetryAttempts": 0}
    boto3 = write_json(tmp_path / "boto3.json", document)
    epoch = write_json(tmp_path / "epoch.json", {**document, "CreationTime": 1772442867.512})
    for path in (boto3, epoch):
        [plan] = load([str(path)]).plans
        assert plan.details.created_time is not None and plan.details.created_time.year == 2026
        assert findings(path) == [("stateful-removal", "Db", E)]


def test_contexts_are_json_text_even_when_a_tool_saved_them_decoded():
    [plan] = load([str(REAL / "ls-01-localstack-sns-topicname-replacement-prop-values.json")]).plans
    [topic] = plan.changes
    assert topic.context("before") == {"Properties": {"TopicName": "topic-1"}}
    assert topic.context() == {"Properties": {"TopicName": "topic-2"}}
    assert json.loads(topic.before_context or "") == {"Properties": {"TopicName": "topic-1"}}


def test_own_fixtures_for_the_cc_by_sa_examples():
    assert findings(OWN / "parameter-driven-replacement.json") == [("replacement", "BastionHost", W)]
    assert findings(OWN / "remove-and-add.json") == [("removal", "LegacyWorker", W)]
    assert findings(OWN / "nested-child.json") == [
        ("stateful-removal", "FlowLogsBucket", E),
        ("tag-change", "PrivateRouteTable", N),
    ]


# --- one change model for both APIs ------------------------------------------------------------


def test_enum_values_match_whatever_their_case_and_keep_the_unknown_verbatim():
    assert Action("Remove") is Action("REMOVE") is Action.REMOVE
    assert Replacement("True") is Replacement.TRUE and Attribute("UpdateReplacePolicy") is Attribute.UPDATEREPLACEPOLICY
    assert str(Action("Restore")) == "Restore" and not Action("Restore").known_in(InputKind.CHANGE_SET)


def test_the_change_set_apis_own_members_are_unknown_in_a_plan():
    assert Action.IMPORT.known_in(InputKind.CHANGE_SET) and not Action.IMPORT.known_in(InputKind.PLAN)
    assert not Action.DYNAMIC.known  # ``known`` answers for plans, as it always has
    assert Evaluation.DYNAMIC.known and Evaluation.DYNAMIC.known_in(InputKind.PLAN)  # no Action DYNAMIC


def test_a_secret_parameter_value_never_reaches_a_report_even_inside_a_property_value(cli, tmp_path: Path):
    secret = "orders-s3cr3t-value"
    changed = {
        "Action": "Modify",
        "LogicalResourceId": "Db",
        "ResourceType": "AWS::RDS::DBInstance",
        "Replacement": "True",
        "Scope": ["Properties"],
        "Details": [
            {
                "Target": {
                    "Attribute": "Properties",
                    "Name": "DBName",
                    "RequiresRecreation": "Always",
                    "Path": "/Properties/DBName",
                    "BeforeValue": "orders",
                    "AfterValue": secret,
                },
                "Evaluation": "Static",
                "ChangeSource": "ParameterReference",
                "CausingEntity": "DatabaseName",
            }
        ],
    }
    path = write_json(tmp_path / "cs.json", change_set_document(changed, parameters={"DatabaseName": secret}))
    for fmt in ("text", "json", "junit", "markdown", "github"):
        result = cli("lint", str(path), "--format", fmt)
        assert result.exit_code == 1, result.stderr
        assert secret not in result.stdout + result.stderr
    assert "orders → ****" in cli("lint", str(path)).stdout


# --- nested change sets ------------------------------------------------------------------------


def test_a_child_given_with_its_root_is_linted_and_named_by_its_path():
    root, child = OWN / "nested-root.json", OWN / "nested-child.json"
    report = lint([str(root), str(child)])
    assert [(f.rule_name, f.logical_id, f.level.value) for f in report.findings] == [
        ("stateful-removal", "NetworkStack/FlowLogsBucket", E),
        ("tag-change", "NetworkStack/PrivateRouteTable", N),
    ]  # and nested-stack-change says nothing of a child that is here
    [_, nested] = report.plans
    assert nested.nested_path == "NetworkStack" and nested.label.endswith("(nested as NetworkStack)")
    assert findings(root) == [("nested-stack-change", "NetworkStack", W)]  # alone, the root cannot see inside
    assert [f[1] for f in findings(child)] == ["FlowLogsBucket", "PrivateRouteTable"]  # alone, a child is a root


def test_a_child_is_found_by_its_parent_and_stack_when_the_root_names_no_change_set():
    # the viewer that saved cfn-05 replaced the stack change's ChangeSetId by a file name
    report = lint([str(REAL / "cfn-05-trek10-nested.json"), str(REAL / "cfn-06-trek10-nested.nested.json")])
    assert [(f.rule_name, f.logical_id) for f in report.findings] == [
        ("stateful-removal", "Stack/BucketToRemove"),
        ("stateful-replacement", "Stack/BucketToReplace"),
        ("tag-change", "Stack/BucketWithTags"),
    ]


def test_a_waiver_names_a_nested_resource_by_its_path(tmp_path: Path):
    from planlint.config.files import load as load_config

    config = tmp_path / "planlint.toml"
    config.write_text(
        '[[waivers]]\nrule = "stateful-removal"\nresource = "NetworkStack/FlowLogsBucket"\n'
        'reason = "Flow logs moved to the central account, CHG-88"\nexpires = "2099-01-01"\n'
    )
    report = lint([str(OWN / "nested-root.json"), str(OWN / "nested-child.json")], config=load_config(config))
    assert [f.waived is not None for f in report.findings if f.rule_name == "stateful-removal"] == [True]


def test_a_change_without_a_resource_change_is_kept_and_read_as_the_riskiest(tmp_path: Path):
    document = change_set_document(
        {"Action": "Remove", "LogicalResourceId": "Db", "ResourceType": "AWS::RDS::DBInstance"}
    )
    document["Changes"].insert(0, {"Type": "Hook", "HookInvocationCount": 1})
    path = write_json(tmp_path / "cs.json", document)
    [plan] = load([str(path)]).plans
    assert [c.source.line for c in plan.changes if c.source] == [3, 7]  # each change where its object starts
    assert findings(path) == [
        ("stateful-removal", "", E),  # no type: read as one that holds data
        ("unknown-value", "", E),
        ("stateful-removal", "Db", E),
    ]
