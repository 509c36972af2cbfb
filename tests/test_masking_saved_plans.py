"""A Service Catalog plan saved by ``planlint fetch`` holds no parameter value in any string —
names, physical ids, tags, the status message — while references and public values are kept
(a real boto3 client against the loopback fake); saving is the same every time, so that
``execute`` still recognises the plan it linted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.masking import MASK, MIN_LENGTH, mask_saved_change_set, mask_saved_document, spellings
from planlint.testing import change, change_set_document, detail, plan_document
from tests.test_aws import FAST, aws_env, fake, repo  # noqa: F401 - fixtures
from tests.test_execute import FAST as QUIET

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

PLAN = "pl-savedmasked001"
REFERENCE = "{{resolve:ssm-secure:/prod/db/password}}"
PUBLIC = "production-eu"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _plan(first: str, second: str) -> dict[str, Any]:
    """A plan that repeats two overlapping parameter values, a reference and a public value in
    every string Service Catalog returns: names, ids, physical ids, tags, the status message."""
    shared = max(k for k in range(min(len(first), len(second))) if first.endswith(second[:k]))
    joined = first + second[shared:]  # the two overlapping where they can
    changes = [
        change("MODIFY", "Db", "AWS::RDS::DBInstance", physical_id=f"id-{joined}-end"),
        change("ADD", "Queue", "AWS::SQS::Queue"),
        change("MODIFY", "Param", "AWS::SSM::Parameter", physical_id=f"{REFERENCE} {PUBLIC}"),
    ]
    return plan_document(
        *changes,
        plan_id=PLAN,
        plan_name=f"plan-{first}",
        product=f"stack-{joined}",
        parameters={"DbPassword": first, "ApiKey": second, "Stored": REFERENCE, "Environment": PUBLIC},
        tags={"Owner": second, "Stage": PUBLIC},
        status_message=f"created with {first} and {second}",
    )


VALUES = [
    ("Alpha1Beta2", "Beta2ZetaQ9"),
    ('Al"pha1Be', 'a1Be"taQ9'),  # quotes: JSON writes \"
    ("C:\\dir\\Alpha", "\\Alpha\\Zeta9"),  # backslashes: JSON writes \\
    ("caféÉlan2", "Élan2-naïve"),  # beyond ASCII
    ("line\u2028sep1", "sep1\u2028tail"),  # a line separator
]


@pytest.mark.parametrize(("first", "second"), VALUES)
def test_a_saved_plan_holds_no_value_in_any_string(cli, fake, repo: Path, first: str, second: str):  # noqa: F811
    fake.add_plan(_plan(first, second))
    assert cli("fetch", "--plan-id", PLAN, "-o", "saved.json", *FAST).exit_code == 0
    assert cli("fetch", "--plan-id", PLAN, "--save-dir", "dir", *FAST).exit_code == 0
    (repo / "planlint.toml").write_text('public-parameters = ["Env*"]\n')
    assert cli("lint", "--plan-id", PLAN, "--save-dir", "public", *FAST).exit_code in (0, 1)
    saved_files = [
        (repo / "saved.json", MASK),
        (repo / "dir" / f"{PLAN}.json", MASK),
        (repo / "public" / f"{PLAN}.json", PUBLIC),
    ]
    for path, public in saved_files:
        text = path.read_text(encoding="utf-8")
        saved = json.loads(text)
        for secret in (first, second):
            for spelled in spellings(secret):
                assert spelled[:5] not in text and spelled[-5:] not in text, (path, spelled)
            assert not any(secret[:5] in s or secret[-5:] in s for s in _strings(saved)), path
        details = saved["ProvisionedProductPlanDetails"]
        assert details["PlanName"] == f"plan-{MASK}"
        assert details["ProvisionProductName"] == f"stack-{MASK}"
        assert details["StatusMessage"] == f"created with {MASK} and {MASK}"
        assert saved["ResourceChanges"][0]["PhysicalResourceId"] == f"id-{MASK}-end"
        assert saved["ResourceChanges"][2]["PhysicalResourceId"] == f"{REFERENCE} {public}"  # a reference is kept
        assert details["Tags"] == [{"Key": "Owner", "Value": MASK}, {"Key": "Stage", "Value": public}]
        assert {p["Key"]: p["Value"] for p in details["ProvisioningParameters"]} == {
            "DbPassword": MASK,
            "ApiKey": MASK,
            "Stored": REFERENCE,
            "Environment": public,
        }


def test_a_plan_with_values_in_its_names_is_executed_as_linted(cli, fake, repo: Path):  # noqa: F811
    code = change("MODIFY", "Fn", "AWS::Lambda::Function", details=[detail("Code")], physical_id="fn-Alpha1Beta2ZetaQ9")
    parameters = {"First": "Alpha1Beta2", "Second": "Beta2ZetaQ9"}
    fake.add_plan(plan_document(code, plan_id=PLAN, plan_name="plan-Alpha1Beta2ZetaQ9", parameters=parameters))
    result = cli("execute", "--plan-id", PLAN, *QUIET)
    assert result.exit_code == 0, result.stderr
    assert [operation for operation, _ in fake.requests].count("ExecuteProvisionedProductPlan") == 1
    assert "Alpha1" not in result.stderr and "ZetaQ9" not in result.stderr


def test_a_change_set_keeps_a_reference_in_clear_wherever_it_repeats_it():
    topic = change("Modify", "Topic", "AWS::SNS::Topic", replacement="True")
    topic["AfterContext"] = json.dumps({"Properties": {"Key": REFERENCE, "Token": "tok-Alpha1Beta2ZetaQ9"}})
    document = change_set_document(topic, parameters={"Key": REFERENCE, "A": "Alpha1Beta2", "B": "Beta2ZetaQ9"})
    saved = mask_saved_change_set(document)
    context = json.loads(saved["Changes"][0]["ResourceChange"]["AfterContext"])
    assert context == {"Properties": {"Key": REFERENCE, "Token": f"tok-{MASK}"}}


SECRETS = st.text(alphabet='Qz9"\\é\u2028-', min_size=MIN_LENGTH, max_size=16).filter(lambda s: s != MASK)
AROUND = st.text(alphabet="kw_.: ", max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(SECRETS, min_size=1, max_size=3, unique=True), AROUND, AROUND)
def test_every_string_of_a_saved_plan_is_masked_and_saving_again_changes_nothing(secrets, before, after):
    joined = before + "".join(secrets) + after
    document = plan_document(
        change("REMOVE", "Db", "AWS::RDS::DBInstance", physical_id=joined),
        plan_name=joined,
        product=joined[::-1],
        parameters={f"P{i}": secret for i, secret in enumerate(secrets)},
        tags={"Owner": joined},
        status_message=joined,
    )
    saved = mask_saved_document(document)
    for text in _strings(saved):
        assert not any(secret in text for secret in secrets), text
    assert saved["ResourceChanges"][0]["PhysicalResourceId"].replace(MASK, "") == before + after
    assert mask_saved_document(document) == saved  # the same every time: what execute compares
    assert mask_saved_document(saved) == saved  # a saved plan saved again


@pytest.mark.parametrize("how", ["found", "--config"])
def test_fetch_saves_the_values_the_configuration_calls_public(cli, fake, repo: Path, how: str):  # noqa: F811
    fake.add_plan(_plan("Alpha1Beta2", "Beta2ZetaQ9"))
    config = repo / ("planlint.toml" if how == "found" else "elsewhere.toml")
    config.write_text('public-parameters = ["Env*"]\n')
    named = ["--config", str(config)] if how == "--config" else []
    assert cli("fetch", "--plan-id", PLAN, "-o", "saved.json", *named, *FAST).exit_code == 0
    saved = json.loads((repo / "saved.json").read_text(encoding="utf-8"))
    parameters = {p["Key"]: p["Value"] for p in saved["ProvisionedProductPlanDetails"]["ProvisioningParameters"]}
    assert parameters == {"DbPassword": MASK, "ApiKey": MASK, "Stored": REFERENCE, "Environment": PUBLIC}


def test_fetch_refuses_a_configuration_lint_would_refuse(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(_plan("Alpha1Beta2", "Beta2ZetaQ9"))
    (repo / "planlint.toml").write_text("public-parameters = 3\n")
    result = cli("fetch", "--plan-id", PLAN, "-o", "saved.json", *FAST)
    assert result.exit_code == 2 and "public-parameters" in result.stderr
    assert not (repo / "saved.json").exists()
