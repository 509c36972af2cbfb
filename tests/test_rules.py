"""Every rule on every fixture: the exact (rule, resource, severity) each reports. Each rule's own
contract is data: tests/rule_cases/<rule>.json, run by test_rule_cases.py."""

from __future__ import annotations

import pytest

from planlint import Severity
from planlint.read.load import load
from planlint.testing import find_rule
from tests.conftest import FIXTURES

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


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
    change_sets = {"real", "change-sets", "templates"}  # judged in test_change_sets.py, test_templates.py
    names = {p.name for p in FIXTURES.iterdir() if p.suffix == ".json" or p.is_dir()} - change_sets
    assert names == set(EXPECTED)


def test_every_builtin_rule_fires_on_some_fixture():
    fired = {rule for expected in EXPECTED.values() for rule, _, _ in expected} | CONFIGURED_ONLY
    from planlint.engine import run as engine

    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert errors == []
    assert {r.name for r in rules} == fired


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(name: str):
    from planlint.gate import lint

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
