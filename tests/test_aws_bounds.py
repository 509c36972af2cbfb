"""Every AWS request has a wall-clock bound of its own, retries included, by default: an endpoint
that accepts the connection and never answers, or answers one byte at a time, is given up on long
before the overall deadline — for plans, plan lists, change sets, templates and execute. Real boto3
clients against the loopback fakes; the bound is made small through ``--request-timeout``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.fake_servicecatalog import BlackHole
from tests.test_aws import aws_env, big_plan, fake, repo  # noqa: F401 - fixtures and helpers
from tests.test_templates import DEMO_PLAN, both  # noqa: F401 - the fixture with both fakes

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

BOUND = ["--request-timeout", "1", "--poll-interval", "0.01"]
PLAN = "pl-bigplan0000001"
CHANGE_SET = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/release-42/5f0c2a8e-1111-2222-3333-444455556666"


def given_up(operation: str, service: str = "Service Catalog") -> str:
    return (
        f"{service} did not answer {operation} within --request-timeout 1s, retries included (the endpoint is "
        "silent or too slow); check the network and the region, or raise --request-timeout"
    )


@pytest.fixture
def hole():
    server = BlackHole()
    yield server
    server.close()


def test_the_default_bound_is_per_request_and_well_inside_the_overall_deadline(aws_env):  # noqa: F811
    from planlint.aws import session
    from planlint.aws.request import DEFAULT_REQUEST_TIMEOUT, DEFAULT_TIMEOUT, FetchRequest
    from planlint.cli.options import Aws

    assert 60 <= DEFAULT_REQUEST_TIMEOUT <= 120 < DEFAULT_TIMEOUT
    assert FetchRequest().request_timeout == Aws().request_timeout == DEFAULT_REQUEST_TIMEOUT
    for service in ("servicecatalog", "cloudformation"):  # a client is bounded unless told another bound
        assert session.client(region="us-east-1", service=service).request_timeout == DEFAULT_REQUEST_TIMEOUT
    assert session.client(region="us-east-1", request_timeout=7).request_timeout == 7


def test_a_client_call_that_never_ends_raises_the_request_timeout(aws_env, hole, monkeypatch):  # noqa: F811
    from botocore.exceptions import BotoCoreError

    from planlint.aws import errors, session

    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", hole.url)
    sc = session.client(region="us-east-1", request_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(BotoCoreError) as raised:
        sc.describe_provisioned_product_plan(PlanId="pl-anything00000")
    assert time.monotonic() - started < 4
    assert errors.describe(raised.value).startswith("Service Catalog did not answer DescribeProvisionedProductPlan")
    assert sc.meta.service_model.service_name == "servicecatalog"  # all but the calls is the client's own


def test_a_silent_endpoint_is_given_up_on_per_request_not_at_the_deadline(cli, aws_env, repo, hole, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", hole.url)
    started = time.monotonic()
    result = cli("lint", "--plan-id", "pl-anything00000", *BOUND, str(FIXTURES / "benign.json"))  # --timeout 900
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: plan pl-anything00000: {given_up('DescribeProvisionedProductPlan')}\n"
    assert "plan reports-memory-bump" in result.stdout  # the other input is still linted


def test_a_trickling_endpoint_is_given_up_on_per_request(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(5))
    fake.faults.trickle = 0.2  # a byte every 0.2 s: botocore's read timeout never fires
    started = time.monotonic()
    result = cli("lint", "--plan-id", PLAN, *BOUND)
    assert time.monotonic() - started < 8
    assert (
        result.exit_code == 2
        and result.stderr == f"planlint: error: plan {PLAN}: {given_up('DescribeProvisionedProductPlan')}\n"
    )


def test_a_trickling_plan_list_is_given_up_on_per_request(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(5))
    fake.faults.trickle = 0.2
    started = time.monotonic()
    result = cli("fetch", "--all-plans", "--save-dir", "saved", *BOUND)
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: Service Catalog: {given_up('ListProvisionedProductPlans')}\n"


def test_a_silent_cloudformation_endpoint_is_given_up_on_per_request(cli, aws_env, repo, hole, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", hole.url)
    started = time.monotonic()
    result = cli("fetch", "--change-set", CHANGE_SET, "--save-dir", "saved", *BOUND)
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert result.stderr == (
        f"planlint: error: change set {CHANGE_SET}: {given_up('DescribeChangeSet', 'CloudFormation')}\n"
    )


def test_a_silent_get_template_is_given_up_on_per_request(cli, both, repo: Path, hole, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", hole.url)
    started = time.monotonic()
    result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q", *BOUND)
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert (
        f"planlint: error: plan {DEMO_PLAN}: cannot read its deployed template: "
        f"{given_up('GetTemplate', 'CloudFormation')}\n"
    ) in result.stderr


def test_a_trickling_template_download_is_given_up_on_per_request(cli, both, repo: Path):  # noqa: F811
    from tests.template_servers import Trickle

    sc, _ = both
    with Trickle(b"Resources: {}\n" * 100, every=0.2) as server:
        sc.faults.template_url = f"{server.url}/template.yaml"
        started = time.monotonic()
        result = cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q", *BOUND)
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert (
        f"planlint: error: plan {DEMO_PLAN}: cannot download its new template (127.0.0.1): no complete answer "
        "within --request-timeout 1s; check the network, or raise --request-timeout\n"
    ) in result.stderr


def test_a_silent_execute_is_given_up_on_per_request_saying_it_may_have_run(cli, fake, repo: Path):  # noqa: F811
    from tests.test_execute import PLAN as EXECUTED
    from tests.test_execute import clean_plan

    fake.add_plan(clean_plan())
    fake.faults.black_hole_execute = True
    started = time.monotonic()
    result = cli("execute", "--plan-id", EXECUTED, "-q", *BOUND)  # --execute-timeout 3600
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"planlint: error: plan {EXECUTED}: asked to execute, but {given_up('ExecuteProvisionedProductPlan')}; "
        "check the provisioned product's history before trying again"
    )


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e9"])
def test_a_request_timeout_that_is_no_bound_is_refused(cli, repo: Path, value: str):  # noqa: F811
    result = cli("fetch", "--plan-id", PLAN, "-o", "plan.json", "--request-timeout", value)
    assert result.exit_code == 2 and "--request-timeout" in result.stderr
    assert not (repo / "plan.json").exists()


@pytest.mark.parametrize("option", ["--timeout", "--request-timeout"])
@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e12"])
def test_a_deadline_that_is_no_bound_is_one_line_not_a_crash(cli, repo: Path, option: str, value: str):  # noqa: F811
    result = cli("fetch", "--plan-id", PLAN, "-o", "plan.json", option, value)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.stderr
    assert "internal error" not in result.stderr and not (repo / "plan.json").exists()


@pytest.mark.parametrize("value", ["inf", "nan", "1e12"])
def test_an_execute_timeout_that_is_no_bound_is_one_line_not_a_crash(cli, repo: Path, value: str):  # noqa: F811
    result = cli("execute", "--plan-id", PLAN, "--execute-timeout", value)
    assert result.exit_code == 2 and "Invalid value for '--execute-timeout'" in result.stderr


def test_retries_are_inside_the_bound(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(5))
    fake.faults.error_5xx_every = 1  # every answer a 503, each after a while: botocore retries ten times
    fake.faults.latency = 0.3
    started = time.monotonic()
    result = cli("lint", "--plan-id", PLAN, *BOUND)
    assert time.monotonic() - started < 8
    assert (
        result.exit_code == 2
        and result.stderr == f"planlint: error: plan {PLAN}: {given_up('DescribeProvisionedProductPlan')}\n"
    )


def test_a_bound_per_request_leaves_answers_that_come_in_time_alone(cli, fake, repo: Path):  # noqa: F811
    fake.add_plan(big_plan(60))  # three pages, each its own request
    fake.faults.latency = 0.3
    result = cli("fetch", "--plan-id", PLAN, "-o", "plan.json", *BOUND)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads((repo / "plan.json").read_text())["ResourceChanges"]) == 60
