"""Each built-in rule's contract: the exact (rule, resource, severity) it must and must not report."""

from __future__ import annotations

import pytest

from planlint import Plan, Severity
from planlint.load import load
from planlint.testing import change, detail, find_rule, make_plan, plan_document, run_rule
from tests.conftest import FIXTURES

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


def pairs(rule: str, plan) -> list[tuple[str | None, Severity | None]]:
    return [(f.logical_id, f.severity) for f in run_rule(rule, plan)]


def param_pair(name: str, recreation: str, parameter: str) -> list[dict]:
    return [
        detail(name, recreation=recreation, evaluation="DYNAMIC"),
        detail(name, recreation=recreation, evaluation="STATIC", causing_entity=parameter),
    ]


# --- stateful-replacement -------------------------------------------------------------


def test_stateful_replacement_true_is_an_error_naming_property_and_parameter():
    plan = make_plan(
        change(
            "MODIFY",
            "OrdersDatabase",
            "AWS::RDS::DBInstance",
            replacement="TRUE",
            details=param_pair("StorageEncrypted", "ALWAYS", "EncryptDatabase"),
        ),
        parameters={"EncryptDatabase": "true"},
    )
    [finding] = run_rule("stateful-replacement", plan)
    assert (finding.logical_id, finding.severity, finding.rule_code) == ("OrdersDatabase", E, "PL101")
    assert finding.message == (
        "OrdersDatabase (AWS::RDS::DBInstance) will be replaced: property StorageEncrypted requires "
        "recreation (ALWAYS), caused by parameter EncryptDatabase"
    )


def test_stateful_conditional_with_always_is_an_error_and_with_conditionally_a_warning():
    plan = make_plan(
        change(
            "MODIFY",
            "Cluster",
            "AWS::RDS::DBCluster",
            replacement="CONDITIONAL",
            details=param_pair("SnapshotIdentifier", "ALWAYS", "SnapshotId"),
        ),
        change(
            "MODIFY",
            "Cache",
            "AWS::ElastiCache::ReplicationGroup",
            replacement="CONDITIONAL",
            details=param_pair("EngineVersion", "CONDITIONALLY", "EngineVersion"),
        ),
        change("MODIFY", "Volume", "AWS::EC2::Volume", replacement="CONDITIONAL"),
        parameters={"SnapshotId": "", "EngineVersion": "7.1"},
    )
    # CONDITIONAL with no details at all is read as the riskiest: an error
    assert pairs("stateful-replacement", plan) == [("Cluster", E), ("Cache", W), ("Volume", E)]


def test_stateful_replacement_ignores_stateless_and_non_replacing_changes():
    plan = make_plan(
        change("MODIFY", "Fn", "AWS::Lambda::Function", replacement="TRUE"),
        change("MODIFY", "Db", "AWS::RDS::DBInstance", replacement="FALSE", details=[detail("Port")]),
        change("ADD", "NewTable", "AWS::DynamoDB::Table"),
        change("REMOVE", "OldTable", "AWS::DynamoDB::Table"),
    )
    assert pairs("stateful-replacement", plan) == []


def test_stateful_replacement_uses_extra_stateful_types_from_facts():
    from planlint.resources import DEFAULT_FACTS

    plan = make_plan(change("MODIFY", "Db", "Custom::Database", replacement="TRUE"))
    assert run_rule("stateful-replacement", plan) == []
    facts = DEFAULT_FACTS.extended(stateful=["Custom::*"])
    assert [f.logical_id for f in run_rule("stateful-replacement", plan, facts=facts)] == ["Db"]


# --- stateful-removal / removal -------------------------------------------------------


def test_stateful_removal_and_removal_split_by_type():
    plan = make_plan(
        change("REMOVE", "Bucket", "AWS::S3::Bucket"),
        change("REMOVE", "Role", "AWS::IAM::Role"),
        change("REMOVE", "Logs", "AWS::Logs::LogGroup"),
        change("MODIFY", "Queue", "AWS::SQS::Queue", details=[detail("VisibilityTimeout")]),
        change("ADD", "Topic", "AWS::SNS::Topic"),
    )
    assert pairs("stateful-removal", plan) == [("Bucket", E), ("Logs", E)]
    assert pairs("removal", plan) == [("Role", W)]


def test_removal_messages_name_resource_and_cause():
    plan = make_plan(
        change("REMOVE", "Table", "AWS::DynamoDB::Table", physical_id="orders"),
        change("REMOVE", "Role", "AWS::IAM::Role"),
    )
    [stateful] = run_rule("stateful-removal", plan)
    assert stateful.message.startswith("Table (AWS::DynamoDB::Table) will be deleted (physical id orders): ")
    [plain] = run_rule("removal", plan)
    assert plain.message == "Role (AWS::IAM::Role) will be deleted: it is no longer in the template"


def test_unknown_action_is_read_as_a_removal():
    plan = make_plan(change("IMPORT", "Bucket", "AWS::S3::Bucket"), change("DYNAMIC", "Fn", "AWS::Lambda::Function"))
    assert pairs("stateful-removal", plan) == [("Bucket", E)]
    assert pairs("removal", plan) == [("Fn", W)]
    assert "action DYNAMIC is unknown to planlint" in run_rule("removal", plan)[0].message


# --- replacement ----------------------------------------------------------------------


def test_replacement_flags_stateless_true_and_conditional_but_not_cdk_metadata():
    plan = make_plan(
        change(
            "MODIFY",
            "TaskDef",
            "AWS::ECS::TaskDefinition",
            replacement="TRUE",
            details=param_pair("ContainerDefinitions", "ALWAYS", "ImageTag"),
        ),
        change(
            "MODIFY",
            "Deployment",
            "AWS::ApiGateway::Deployment",
            replacement="CONDITIONAL",
            details=[detail("Description", recreation="CONDITIONALLY", evaluation="DYNAMIC")],
        ),
        change("MODIFY", "CDKMetadata", "AWS::CDK::Metadata", replacement="TRUE"),
        change("MODIFY", "Db", "AWS::RDS::DBInstance", replacement="TRUE"),
        change("MODIFY", "Fn", "AWS::Lambda::Function", replacement="FALSE"),
        parameters={"ImageTag": "v2"},
    )
    assert pairs("replacement", plan) == [("TaskDef", W), ("Deployment", W)]
    messages = [f.message for f in run_rule("replacement", plan)]
    assert messages == [
        "TaskDef (AWS::ECS::TaskDefinition) will be replaced: property ContainerDefinitions requires "
        "recreation (ALWAYS), caused by parameter ImageTag",
        "Deployment (AWS::ApiGateway::Deployment) may be replaced (Replacement CONDITIONAL): property "
        "Description requires recreation (CONDITIONALLY), value known only at execution",
    ]


def test_replacement_cause_names_a_resource_attribute():
    plan = make_plan(
        change("MODIFY", "Template", "AWS::EC2::LaunchTemplate"),
        change(
            "MODIFY",
            "Node",
            "AWS::EC2::Instance",
            replacement="TRUE",
            details=[detail("LaunchTemplate", recreation="ALWAYS", causing_entity="Template.LatestVersionNumber")],
        ),
    )
    [finding] = run_rule("replacement", plan)
    assert finding.message.endswith("caused by attribute Template.LatestVersionNumber")


# --- deletion-policy-change ------------------------------------------------------------


def test_deletion_policy_change():
    plan = make_plan(
        change(
            "MODIFY",
            "Db",
            "AWS::RDS::DBInstance",
            scope=["DELETIONPOLICY"],
            details=[detail(attribute="DELETIONPOLICY", recreation=None)],
        ),
        change("MODIFY", "Bucket", "AWS::S3::Bucket", scope=["PROPERTIES"], details=[detail("Tags")]),
    )
    assert pairs("deletion-policy-change", plan) == [("Db", W)]


# --- nested-stack-change ----------------------------------------------------------------


def test_nested_stack_change_flags_modify_and_replace_not_add_or_remove():
    plan = make_plan(
        change("MODIFY", "Network", "AWS::CloudFormation::Stack", details=[detail("TemplateURL")]),
        change("MODIFY", "Observability", "AWS::CloudFormation::Stack", replacement="TRUE"),
        change("ADD", "Security", "AWS::CloudFormation::Stack"),
        change("REMOVE", "Old", "AWS::CloudFormation::Stack"),
        change("MODIFY", "Fn", "AWS::Lambda::Function"),
    )
    assert pairs("nested-stack-change", plan) == [("Network", W), ("Observability", W)]


# --- plan-status ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status,message,expected,text",
    [
        ("CREATE_SUCCESS", None, [], None),
        ("CREATE_FAILED", "Template format error: unresolved resource", [E], "failed to create: Template format error"),
        (
            "CREATE_FAILED",
            "The submitted information didn't contain changes. Submit different information to create a change set.",
            [N],
            "contains no changes",
        ),
        ("CREATE_IN_PROGRESS", None, [E], "still being created"),
        ("EXECUTE_IN_PROGRESS", None, [E], "already been executed"),
        ("EXECUTE_SUCCESS", None, [E], "already been executed"),
        ("EXECUTE_FAILED", "Resource creation cancelled", [E], "already been executed (EXECUTE_FAILED)"),
        ("CREATE_QUEUED", None, [E], "unknown to planlint"),
    ],
)
def test_plan_status(status, message, expected, text):
    plan = make_plan(status=status, status_message=message)
    findings = run_rule("plan-status", plan)
    assert [f.severity for f in findings] == expected
    assert all(f.logical_id is None for f in findings)
    if text:
        assert text in findings[0].message


def test_plan_without_status_is_an_error():
    document = plan_document()
    del document["ProvisionedProductPlanDetails"]["Status"]
    assert [f.severity for f in run_rule("plan-status", Plan.model_validate(document))] == [E]


# --- incomplete-plan ----------------------------------------------------------------------


def test_incomplete_plan():
    assert pairs("incomplete-plan", make_plan(next_page_token="abc")) == [(None, E)]
    assert pairs("incomplete-plan", make_plan(next_page_token=None)) == []


# --- unknown-value ------------------------------------------------------------------------


def test_unknown_values_are_reported_with_their_field():
    document = plan_document(
        change("IMPORT", "A", "AWS::S3::Bucket"),
        change(
            "MODIFY",
            "B",
            "AWS::Lambda::Function",
            replacement="SOMETIMES",
            scope=["PROPERTIES", "DEPENDSON"],
            details=[
                detail("Handler", recreation="EVENTUALLY"),
                {"Target": {"Attribute": "DEPENDSON"}, "Evaluation": "DEFERRED"},
            ],
        ),
        change("MODIFY", "C", "AWS::SNS::Topic"),
        status="CREATE_QUEUED",
    )
    del document["ResourceChanges"][2]["Replacement"]
    plan = Plan.model_validate(document)
    findings = run_rule("unknown-value", plan)
    assert [(f.logical_id, f.severity) for f in findings] == [(None, E), ("A", E), ("B", E), ("C", E)]
    assert findings[2].message == (
        "B (AWS::Lambda::Function): unknown to planlint: Replacement SOMETIMES (read as TRUE); Scope DEPENDSON; "
        "Details[0].Target.RequiresRecreation EVENTUALLY (read as ALWAYS); Details[1].Evaluation DEFERRED; "
        "Details[1].Target.Attribute DEPENDSON"
    )
    assert "Replacement is missing on a MODIFY" in findings[3].message


def test_known_values_are_not_reported():
    plan = make_plan(
        change(
            "MODIFY",
            "B",
            "AWS::Lambda::Function",
            replacement="CONDITIONAL",
            details=param_pair("Code", "CONDITIONALLY", "P"),
        )
    )
    assert run_rule("unknown-value", plan) == []


# --- every fixture, every rule: the exact findings ----------------------------------------

EXPECTED: dict[str, list[tuple[str, str | None, Severity]]] = {
    "benign.json": [],
    "demo.json": [
        ("secret-parameter", None, W),
        ("stateful-replacement", "OrdersDatabase", E),
        ("stateful-removal", "OrdersTable", E),
        ("iam-change", "OrdersApiRole", W),
        ("removal", "LegacyWorkerSecurityGroup", W),
        ("network-exposure-change", "LegacyWorkerSecurityGroup", W),
        ("stateful-replacement", "OrdersQueue", W),
        ("deletion-policy-change", "ArchiveBucket", W),
        ("nested-stack-change", "NetworkStack", W),
        ("replacement", "OrdersTaskDefinition", W),
    ],
    "cli-v1-epoch.json": [("stateful-replacement", "InvoicesTable", E)],
    "boto3-default-str.json": [("replacement", "SearchNode", W)],
    "pages-list.json": [("stateful-removal", "DeadLetterQueue", E)],
    "incomplete-page.json": [("incomplete-plan", None, E)],
    "conditional-replacement.json": [
        ("stateful-replacement", "AnalyticsCluster", E),
        ("stateful-replacement", "AnalyticsCache", W),
        ("replacement", "AnalyticsApiDeployment", W),
    ],
    "plan-failed.json": [("plan-status", None, E)],
    "plan-no-changes.json": [("plan-status", None, N)],
    "plan-in-progress.json": [("plan-status", None, E)],
    "plan-executed.json": [("plan-status", None, E)],
    "unknown-values.json": [
        ("stateful-removal", "LedgerBucket", E),
        ("unknown-value", "LedgerBucket", E),
        ("unknown-value", "LedgerFunction", E),
        ("replacement", "LedgerFunction", W),
        ("unknown-value", "LedgerTopic", E),
        ("replacement", "LedgerTopic", W),
    ],
    "deletion-policy.json": [
        ("deletion-policy-change", "RecordsDatabase", W),
        ("deletion-policy-change", "RecordsBucket", W),
    ],
    "nested-stack.json": [
        ("nested-stack-change", "NetworkStack", W),
        ("stateful-replacement", "ObservabilityStack", E),
        ("nested-stack-change", "ObservabilityStack", W),
    ],
    "removals.json": [
        ("stateful-removal", "LegacyExportBucket", E),
        ("removal", "LegacyExportRole", W),
        ("iam-change", "LegacyExportRole", W),
        ("removal", "LegacyExportFunction", W),
        ("stateful-removal", "LegacyExportLogs", E),
        ("replacement", "LegacyExportSchedule", W),
    ],
    "powershell-bom.json": [("stateful-replacement", "PortalDatabase", E)],
    "security-changes.json": [
        ("secret-parameter", None, W),
        ("iam-change", "PaymentsAppRole", W),
        ("iam-change", "UploadsBucketPolicy", W),
        ("iam-change", "WebhookInvokePermission", W),
        ("iam-change", "PaymentsDataKey", W),
        ("iam-change", "S3Endpoint", W),
        ("network-exposure-change", "WebHttpsIngress", W),
        ("removal", "PublicSubnetNaclEntry", W),
        ("network-exposure-change", "PublicSubnetNaclEntry", W),
    ],
    "tags.json": [("tag-constraints", None, E)] * 5 + [("tag-change", "InventoryTable", N)],
    # required-tags and protected-resource are inactive until configured: see test_policy.py
    "protected.json": [("stateful-removal", "ProdLedgerDatabase", E), ("stateful-replacement", "LedgerKey", E)],
    "blast-radius.json": [("blast-radius", None, W)] + [("removal", f"ReportJob{i:02d}", W) for i in range(1, 13)],
    "pages": [("stateful-replacement", "UserPool", E)],
}


CONFIGURED_ONLY = {"required-tags", "protected-resource"}  # shown with fixtures/policy.toml


def test_expected_table_covers_every_fixture():
    names = {p.name for p in FIXTURES.iterdir() if p.suffix == ".json" or p.is_dir()}
    assert names == set(EXPECTED)


def test_every_builtin_rule_fires_on_some_fixture():
    fired = {rule for expected in EXPECTED.values() for rule, _, _ in expected} | CONFIGURED_ONLY
    from planlint import engine

    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert errors == []
    assert {r.name for r in rules} == fired


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(name: str):
    from planlint.lint import lint

    report = lint([str(FIXTURES / name)])
    assert report.input_errors == [] and report.rule_errors == []
    got = [(f.rule_name, f.logical_id, f.severity) for f in report.findings]
    assert got == EXPECTED[name]


def test_find_rule_by_code_and_name_is_the_same_rule():
    assert find_rule("PL101") == find_rule("stateful-replacement")
    with pytest.raises(LookupError):
        find_rule("no-such-rule")


def test_loaded_fixture_helpers_match_model():
    plan = load([str(FIXTURES / "demo.json")]).plans[0]
    db = plan.changes[0]
    assert db.replaces_certainly and not db.replaces_possibly and db.replaces
    assert [c.text for c in db.causes] == [
        "property StorageEncrypted requires recreation (ALWAYS), caused by parameter EncryptDatabase",
        "property DBInstanceClass changes, caused by parameter DatabaseInstanceClass",
    ]


# --- protected-resource -------------------------------------------------------------------


def test_protected_resource_is_inactive_until_configured():
    plan = make_plan(change("REMOVE", "ProdDatabase", "AWS::RDS::DBInstance"))
    assert run_rule("protected-resource", plan) == []


def test_protected_resource_by_logical_id_and_type_for_the_configured_actions():
    plan = make_plan(
        change("REMOVE", "ProdOrdersDatabase", "AWS::RDS::DBCluster"),
        change("MODIFY", "LedgerKey", "AWS::KMS::Key", replacement="TRUE"),
        change("MODIFY", "OtherKey", "AWS::KMS::Key", details=[detail("Description")]),
        change("ADD", "NewKey", "AWS::KMS::Key"),
        change("REMOVE", "DevOrdersDatabase", "AWS::RDS::DBCluster"),
    )
    options = {"logical-ids": ["Prod*Database"], "types": ["AWS::KMS::*"]}
    assert pairs_with("protected-resource", plan, options) == [("ProdOrdersDatabase", E), ("LedgerKey", E)]
    options["actions"] = ["modify", "add"]
    assert pairs_with("protected-resource", plan, options) == [("LedgerKey", E), ("OtherKey", E), ("NewKey", E)]
    [finding] = run_rule("protected-resource", plan, {"logical-ids": ["Prod*"]})
    assert finding.message.startswith(
        "ProdOrdersDatabase (AWS::RDS::DBCluster) is protected (by Prod*) and would be removed"
    )


def pairs_with(rule: str, plan, options) -> list[tuple[str | None, Severity | None]]:
    return [(f.logical_id, f.severity) for f in run_rule(rule, plan, options)]


# --- iam-change ------------------------------------------------------------------------------


def test_iam_change_types_and_policy_properties():
    plan = make_plan(
        change("MODIFY", "Role", "AWS::IAM::Role", details=[detail("MaxSessionDuration")]),
        change("ADD", "BucketPolicy", "AWS::S3::BucketPolicy"),
        change("REMOVE", "QueuePolicy", "AWS::SQS::QueuePolicy"),
        change("ADD", "Permission", "AWS::Lambda::Permission"),
        change("ADD", "Assignment", "AWS::SSO::Assignment"),
        change("MODIFY", "Key", "AWS::KMS::Key", details=[detail("KeyPolicy")]),
        change("MODIFY", "Fn", "AWS::Lambda::Function", details=[detail("Policies")]),
        change("MODIFY", "Scaling", "AWS::AutoScaling::ScalingPolicy", details=[detail("Cooldown")]),
        change("MODIFY", "Bucket", "AWS::S3::Bucket", details=[detail("VersioningConfiguration")]),
    )
    assert pairs("iam-change", plan) == [
        ("Role", W),
        ("BucketPolicy", W),
        ("QueuePolicy", W),
        ("Permission", W),
        ("Assignment", W),
        ("Key", W),
        ("Fn", W),
    ]
    messages = [f.message for f in run_rule("iam-change", plan)]
    assert messages[1] == "BucketPolicy (AWS::S3::BucketPolicy) is added: it controls access"
    assert messages[5] == "Key (AWS::KMS::Key): policy property KeyPolicy changes"


def test_iam_change_extra_identity_types_from_facts():
    from planlint.resources import DEFAULT_FACTS

    plan = make_plan(change("ADD", "Binding", "Custom::RoleBinding"))
    assert run_rule("iam-change", plan) == []
    assert len(run_rule("iam-change", plan, facts=DEFAULT_FACTS.extended(identity=["Custom::Role*"]))) == 1


# --- network-exposure-change ------------------------------------------------------------------


def test_network_exposure_change():
    plan = make_plan(
        change("ADD", "Ingress", "AWS::EC2::SecurityGroupIngress"),
        change("MODIFY", "Group", "AWS::EC2::SecurityGroup", details=[detail("SecurityGroupIngress")]),
        change("REMOVE", "Entry", "AWS::EC2::NetworkAclEntry"),
        change("MODIFY", "Vpc", "AWS::EC2::VPC", details=[detail("EnableDnsSupport")]),
        change("MODIFY", "Instance", "AWS::EC2::Instance", details=[detail("InstanceType")]),
    )
    assert pairs("network-exposure-change", plan) == [("Ingress", W), ("Group", W), ("Entry", W)]


# --- secret-parameter -------------------------------------------------------------------------


def test_secret_parameter_flags_plain_values_and_never_shows_them():
    document = plan_document(
        parameters={
            "DbPassword": "hunter2-but-longer",
            "ApiKeyRef": "{{resolve:secretsmanager:prod/api-key}}",
            "SigningToken": "{{resolve:ssm-secure:/prod/token}}",
            "PrivateKeyPem": "-----BEGIN PRIVATE KEY-----",
            "InstanceType": "m7g.large",
            "TokenBucketSize": "40",
        }
    )
    document["ProvisionedProductPlanDetails"]["ProvisioningParameters"].append(
        {"Key": "OldSecret", "UsePreviousValue": True}
    )
    plan = Plan.model_validate(document)
    findings = run_rule("secret-parameter", plan)
    assert [f.subject for f in findings] == [
        "parameter DbPassword",
        "parameter PrivateKeyPem",
        "parameter TokenBucketSize",
    ]
    assert all("hunter2" not in f.message and "BEGIN" not in f.message for f in findings)
    allowed = run_rule("secret-parameter", plan, {"allow": ["TokenBucketSize"], "patterns": ["password"]})
    assert [f.subject for f in allowed] == ["parameter DbPassword"]


# --- required-tags ----------------------------------------------------------------------------


def test_required_tags_keys_and_value_patterns():
    plan = make_plan(tags={"CostCenter": "4410", "Environment": "production", "owner": "x"})
    options = {"keys": ["CostCenter", "Owner"], "values": {"Environment": "dev|staging|prod"}}
    findings = run_rule("required-tags", plan, options)
    assert [(f.subject, f.severity) for f in findings] == [("tag Owner", E), ("tag Environment", E)]
    assert findings[1].message == (
        "plan test-plan for test-product: tag Environment = 'production' does not match dev|staging|prod"
    )
    assert run_rule("required-tags", plan) == []  # inactive until configured
    good = make_plan(tags={"CostCenter": "1", "Owner": "me", "Environment": "prod"})
    assert run_rule("required-tags", good, options) == []


# --- tag-constraints --------------------------------------------------------------------------


def test_tag_constraints_follow_service_catalog_limits():
    plan = make_plan(tags={f"k{i}": "v" for i in range(51)})
    assert [f.subject for f in run_rule("tag-constraints", plan)] == ["tag count"]
    doc = make_plan(tags={"Owner": "team-a", "Note": "ünïcödé ok 42 _.:/=+-@"})
    assert run_rule("tag-constraints", doc) == []
    bad = make_plan(
        tags={"aws:cloudformation:x": "v", "K" * 129: "v", "Team": "", "Cost#Center": "1", "Notes": "x" * 257}
    )
    messages = [f.message for f in run_rule("tag-constraints", bad)]
    assert len(messages) == 5
    assert "reserved aws: prefix" in messages[0]
    assert "129 characters long (at most 128)" in messages[1]
    assert "the value is empty" in messages[2]
    assert "characters Service Catalog rejects: '#'" in messages[3]
    assert "257 characters long (at most 256)" in messages[4]


def test_tag_constraints_duplicate_keys():
    from planlint import Plan
    from planlint.testing import plan_document

    doc = plan_document()
    doc["ProvisionedProductPlanDetails"]["Tags"] = [{"Key": "A", "Value": "1"}, {"Key": "A", "Value": "2"}]
    assert [f.subject for f in run_rule("tag-constraints", Plan.model_validate(doc))] == ["tag A repeated"]


# --- tag-change ------------------------------------------------------------------------------


def test_tag_change():
    plan = make_plan(
        change(
            "MODIFY",
            "Table",
            "AWS::DynamoDB::Table",
            scope=["TAGS"],
            details=[detail(attribute="TAGS", recreation=None)],
        ),
        change("MODIFY", "Fn", "AWS::Lambda::Function", details=[detail("Timeout")]),
        change("ADD", "Topic", "AWS::SNS::Topic", scope=["TAGS"]),
    )
    assert pairs("tag-change", plan) == [("Table", N)]


# --- blast-radius ------------------------------------------------------------------------------


def test_blast_radius_limits():
    many = [change("REMOVE", f"R{i}", "AWS::SNS::Topic") for i in range(11)]
    many += [change("MODIFY", f"M{i}", "AWS::Lambda::Function", replacement="TRUE") for i in range(3)]
    plan = make_plan(*many)
    assert [f.subject for f in run_rule("blast-radius", plan)] == ["removals"]
    tight = {"max-changes": 5, "max-removals": 20, "max-replacements": 2}
    assert [f.message for f in run_rule("blast-radius", plan, tight)] == [
        "plan test-plan for test-product has 14 changes, more than the limit of 5",
        "plan test-plan for test-product has 3 replacements, more than the limit of 2",
    ]


def test_a_change_without_action_is_read_as_a_removal_and_reported():
    from planlint import Plan
    from planlint.testing import plan_document

    doc = plan_document(change("REMOVE", "Table", "AWS::DynamoDB::Table"), change("REMOVE", "Role", "AWS::IAM::Role"))
    for item in doc["ResourceChanges"]:
        del item["Action"]
    plan = Plan.model_validate(doc)
    assert pairs("stateful-removal", plan) == [("Table", E)]
    assert pairs("removal", plan) == [("Role", W)]
    assert [f.message for f in run_rule("unknown-value", plan)] == [
        "Table (AWS::DynamoDB::Table): unknown to planlint: Action is missing (read as REMOVE)",
        "Role (AWS::IAM::Role): unknown to planlint: Action is missing (read as REMOVE)",
    ]
