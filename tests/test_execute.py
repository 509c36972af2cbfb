"""``planlint execute``: a real boto3 client against the loopback Service Catalog fake, whose
request log proves what was and was not asked of AWS; botocore's Stubber for the unit cases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planlint.testing import change, detail, plan_document
from tests.test_aws import aws_env, fake, page, repo, stubbed  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

PLAN = "pl-execute0000001"
FAST = ["--poll-interval", "0.01", "--quiet"]
SECRET = "s3cr3t-execute-value"


def clean_plan(**kwargs) -> dict:
    changes = [
        change("MODIFY", "Fn", "AWS::Lambda::Function", details=[detail("Code")]),
        change("ADD", "Topic", "AWS::SNS::Topic"),
    ]
    return plan_document(*changes, plan_id=PLAN, product="orders-prod", **kwargs)


def operations(fake) -> list[str]:  # noqa: F811
    return [operation for operation, _ in fake.requests]


def test_a_clean_gate_executes_once_and_follows_the_record(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 0, result.stderr
    assert operations(fake) == [
        "DescribeProvisionedProductPlan",  # the lint
        "DescribeProvisionedProductPlan",  # the check just before executing
        "ExecuteProvisionedProductPlan",
        "DescribeRecord",
        "DescribeRecord",
        "DescribeRecord",
    ]
    execute = next(body for operation, body in fake.requests if operation == "ExecuteProvisionedProductPlan")
    assert execute["PlanId"] == PLAN and execute["IdempotencyToken"].startswith("planlint-")
    assert result.stderr.splitlines() == [
        f"planlint: executing plan {PLAN} (test-plan for orders-prod, 2 changes): the gate passed at --fail-on error",
        f"planlint: executed plan {PLAN} (test-plan for orders-prod, 2 changes): record rec-0000000000001 SUCCEEDED",
    ]


@pytest.mark.parametrize("fail_on,exit_code", [("error", 1), ("warning", 1)])
def test_a_failing_gate_never_calls_execute(cli, fake, repo: Path, fail_on: str, exit_code: int):  # noqa: F811
    doc = plan_document(change("REMOVE", "OrdersTable", "AWS::DynamoDB::Table"), plan_id=PLAN)
    fake.add_plan(doc)
    result = cli("execute", "--plan-id", PLAN, "--fail-on", fail_on, *FAST)
    assert result.exit_code == exit_code
    assert "ExecuteProvisionedProductPlan" not in operations(fake)
    assert result.stderr == f"planlint: plan {PLAN} not executed: policy said no\n"
    assert "PL102 stateful-removal" in result.stdout


def test_a_gate_that_could_not_check_never_calls_execute(cli, fake, repo: Path):  # noqa: F811
    result = cli("execute", "--plan-id", "pl-notthere000001", *FAST)
    assert result.exit_code == 2
    assert "ExecuteProvisionedProductPlan" not in operations(fake)
    assert (
        result.stderr.splitlines()[-1] == "planlint: plan pl-notthere000001 not executed: the plan could not be checked"
    )


def test_a_crashing_rule_never_lets_execute_through(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    (repo / "policies").mkdir()
    (repo / "policies" / "boom.py").write_text(
        'from planlint import rule\n\n@rule("ACME001", "boom")\ndef boom(plan):\n    """Boom."""\n    raise KeyError("x")\n'
    )
    result = cli("execute", "--plan-id", PLAN, "--rules", "policies", *FAST)
    assert result.exit_code == 2
    assert "ExecuteProvisionedProductPlan" not in operations(fake)


def test_dry_run_lints_and_says_what_it_would_execute(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    result = cli("execute", "--plan-id", PLAN, "--dry-run", *FAST)
    assert result.exit_code == 0
    assert operations(fake) == ["DescribeProvisionedProductPlan"]
    assert result.stderr == (
        f"planlint: dry run: the gate passed; would execute plan {PLAN} (test-plan for orders-prod, 2 changes); "
        "nothing executed\n"
    )


@pytest.mark.parametrize(
    "what,message",
    [
        ("updated", "was updated after it was linted (UpdatedTime "),
        ("changed", "its changes are not the ones linted (3 now, 2 linted); nothing executed: lint it again"),
        ("executed", "is EXECUTE_SUCCESS, not CREATE_SUCCESS; only a plan created successfully can be executed"),
    ],
)
def test_a_plan_that_changed_after_the_lint_is_not_executed(cli, fake, repo: Path, what: str, message: str):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.change_after[PLAN] = (1, what)
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 2
    assert operations(fake) == ["DescribeProvisionedProductPlan"] * 2
    line = result.stderr.splitlines()[-1]
    assert line.startswith(f"planlint: error: plan {PLAN}: ") and message in line, line


def test_a_failed_execution_is_exit_2_quoting_the_record_errors_masked(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan(parameters={"DbPassword": SECRET, "Stage": "prod"}))
    fake.faults.record_outcome = "FAILED"
    fake.faults.record_errors = [
        {"Code": "CFN_ROLLBACK", "Description": f"Parameter DbPassword value {SECRET} is not valid"},
        {"Code": "LIMIT", "Description": "Too many buckets"},
    ]
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 2
    assert SECRET not in result.stderr + result.stdout
    assert result.stderr.splitlines()[-1] == (
        f"planlint: error: plan {PLAN} (test-plan for orders-prod, 2 changes): the execution ended FAILED "
        "(record rec-0000000000001): CFN_ROLLBACK: Parameter DbPassword value **** is not valid; LIMIT: Too many buckets"
    )


def test_throttled_execute_is_retried_with_the_same_token_and_executes_once(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.throttle_every = 3  # the first Execute (third request) is throttled, then retried
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 0, result.stderr
    tokens = [body["IdempotencyToken"] for op, body in fake.requests if op == "ExecuteProvisionedProductPlan"]
    assert len(tokens) >= 2 and len(set(tokens)) == 1
    assert len(fake.records) == 1


def test_the_same_linted_plan_always_asks_for_the_same_execution():
    from planlint.aws.execute import idempotency_token

    first = clean_plan()
    again = clean_plan()
    assert idempotency_token(first) == idempotency_token(again)
    later = clean_plan()
    later["ProvisionedProductPlanDetails"]["UpdatedTime"] = "2026-01-01T00:05:00+00:00"
    assert idempotency_token(later) != idempotency_token(first)
    token = idempotency_token(first)
    import re

    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_-]*", token) and len(token) <= 128


def test_a_record_that_never_ends_stops_at_the_execute_timeout(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.record_polls = 10**9
    started = time.monotonic()
    result = cli("execute", "--plan-id", PLAN, "--execute-timeout", "1", *FAST)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert operations(fake).count("ExecuteProvisionedProductPlan") == 1
    assert result.stderr.splitlines()[-1] == (
        "planlint: error: record rec-0000000000001: still IN_PROGRESS after 1s; it goes on in AWS: follow it with "
        "aws servicecatalog describe-record --id rec-0000000000001, or raise --execute-timeout"
    )


def test_an_execute_that_never_answers_ends_at_the_timeout_saying_the_outcome_is_unknown(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.black_hole_execute = True
    started = time.monotonic()
    result = cli("execute", "--plan-id", PLAN, "--execute-timeout", "1", *FAST)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"planlint: error: plan {PLAN}: asked to execute, but no outcome within --execute-timeout 1s (the endpoint "
        "did not answer, or too slowly); check the provisioned product's history before trying again"
    )


@pytest.mark.parametrize(
    "error,advice",
    [
        (
            (400, "AccessDeniedException", "not authorized to perform: servicecatalog:ExecuteProvisionedProductPlan"),
            "the role needs servicecatalog:ExecuteProvisionedProductPlan and servicecatalog:DescribeRecord",
        ),
        ((400, "InvalidStateException", "Plan is not executable"), "the plan cannot be executed in its state"),
    ],
)
def test_a_refused_execute_is_one_line_with_advice(cli, fake, repo: Path, error, advice):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.execute_error = error
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 2
    line = result.stderr.splitlines()[-1]
    assert line.startswith(f"planlint: error: plan {PLAN}: not executed: {error[1]}: {error[2]} ({advice}")


def test_a_record_without_a_status_is_not_taken_for_an_ending(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(clean_plan())
    fake.faults.record_status = None
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 2
    assert "DescribeRecord gave no status" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "planlint execute takes exactly one --plan-id"),
        (["--plan-id", PLAN, "--plan-id", "pl-other"], "planlint execute takes exactly one --plan-id"),
        (["--plan-id", PLAN, "--all-plans"], "planlint execute takes exactly one --plan-id"),
        (["--plan-id", PLAN, "--fail-on", "never"], "--fail-on: planlint execute needs a gate, and fail-on is never"),
    ],
)
def test_execute_usage_errors_ask_nothing_of_aws(cli, fake, repo: Path, args, message):  # noqa: F811
    result = cli("execute", *args, *FAST)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"planlint: error: {message}")
    assert fake.requests == []


def test_fail_on_never_from_the_configuration_is_refused_too(cli, fake, repo: Path):  # noqa: F811
    (repo / "planlint.toml").write_text('fail-on = "never"\n')
    result = cli("execute", "--plan-id", PLAN, *FAST)
    assert result.exit_code == 2 and fake.requests == []
    assert result.stderr.startswith("planlint: error: planlint.toml: fail-on: planlint execute needs a gate")


def test_stubbed_execute_checks_then_executes_then_follows():
    from planlint.aws.execute import execute_linted, idempotency_token
    from planlint.masking import mask_saved_document

    sc, stub = stubbed()
    described = page(None, [change("ADD", "A", "AWS::SNS::Topic")], plan_id="pl-stub")
    stub.add_response("describe_provisioned_product_plan", described, {"PlanId": "pl-stub", "PageSize": 20})
    from planlint.aws import plans

    with stub:
        linted = mask_saved_document(plans.fetch_plan(sc, "pl-stub"))
    stub.add_response("describe_provisioned_product_plan", described, {"PlanId": "pl-stub", "PageSize": 20})
    stub.add_response(
        "execute_provisioned_product_plan",
        {"RecordDetail": {"RecordId": "rec-stub", "Status": "CREATED"}},
        {"PlanId": "pl-stub", "IdempotencyToken": idempotency_token(linted)},
    )
    stub.add_response(
        "describe_record",
        {"RecordDetail": {"RecordId": "rec-stub", "Status": "IN_PROGRESS_IN_ERROR"}},
        {"Id": "rec-stub"},
    )
    stub.add_response(
        "describe_record",
        {
            "RecordDetail": {
                "RecordId": "rec-stub",
                "Status": "FAILED",
                "RecordErrors": [{"Code": "X", "Description": "d"}],
            }
        },
        {"Id": "rec-stub"},
    )
    slept: list[float] = []
    with stub:
        outcome = execute_linted(sc, linted, interval=1.0, sleep=slept.append, clock=lambda: 0.0)
    stub.assert_no_pending_responses()
    assert (outcome.record_id, outcome.status, outcome.errors, outcome.succeeded) == (
        "rec-stub",
        "FAILED",
        ("X: d",),
        False,
    )
    assert len(slept) == 1
