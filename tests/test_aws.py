"""Fetching plans: a real boto3 client over a real socket to a loopback fake of Service Catalog
(AWS_ENDPOINT_URL_SERVICE_CATALOG, dummy credentials), and botocore's Stubber for small cases."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from planlint.read.load import load
from planlint.testing import change, detail, plan_document
from tests.conftest import CANARY, FIXTURES, write_json
from tests.fake_servicecatalog import FakeServiceCatalog
from tests.reports import check_sarif

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

FAST = ["--poll-interval", "0.01"]


@pytest.fixture
def aws_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean AWS configuration (the environment is already isolated): dummy credentials."""
    (tmp_path / "aws-config").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPLANLINTTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "planlint-testing-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


@pytest.fixture
def fake(aws_env: Path, monkeypatch: pytest.MonkeyPatch):
    server = FakeServiceCatalog().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", server.url)
    yield server
    server.stop()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def big_plan(count: int = 450, plan_id: str = "pl-bigplan0000001") -> dict:
    changes = []
    for i in range(count):
        if i % 97 == 5:
            changes.append(change("REMOVE", f"Table{i:03d}", "AWS::DynamoDB::Table"))
        elif i % 50 == 7:
            changes.append(
                change(
                    "MODIFY",
                    f"Fn{i:03d}",
                    "AWS::Lambda::Function",
                    replacement="TRUE",
                    details=[detail("FunctionName", recreation="ALWAYS", causing_entity="Stage")],
                )
            )
        else:
            changes.append(change("MODIFY", f"Fn{i:03d}", "AWS::Lambda::Function", details=[detail("Code")]))
    return plan_document(*changes, plan_id=plan_id, parameters={"Stage": "prod", "DbPassword": "s3cr3t-fetched-value"})


def findings_of(result_stdout: str) -> list[str]:
    return [line.strip() for line in result_stdout.splitlines() if line.startswith("    ")]


def test_450_changes_in_23_pages_equal_the_same_plan_from_a_file(cli, fake, repo: Path):
    document = big_plan()
    fake.add_plan(document)
    saved = write_json(repo / "plan.json", document)
    fetched = cli("lint", "--plan-id", "pl-bigplan0000001", "--save-dir", "evidence", *FAST)
    from_file = cli("lint", str(saved))
    pages = [r for r in fake.requests if r[0] == "DescribeProvisionedProductPlan"]
    assert len(pages) == 23 and all(r[1]["PageSize"] == 20 for r in pages)
    assert fetched.exit_code == from_file.exit_code == 1
    assert findings_of(fetched.stdout) == findings_of(from_file.stdout)
    assert fetched.stdout.splitlines()[-1] == from_file.stdout.splitlines()[-1]
    a, b = load(["evidence/pl-bigplan0000001.json"]).plans[0], load([str(saved)]).plans[0]
    assert [c.model_dump() for c in a.changes] == [c.model_dump() for c in b.changes]
    assert a.details.created_time == b.details.created_time and not a.incomplete


def test_saved_plan_masks_parameter_values_but_keeps_dynamic_references(cli, fake, repo: Path):
    document = big_plan(30)
    document["ProvisionedProductPlanDetails"]["ProvisioningParameters"].append(
        {"Key": "ApiToken", "Value": "{{resolve:secretsmanager:prod/api}}"}
    )
    fake.add_plan(document)
    result = cli("fetch", "--plan-id", "pl-bigplan0000001", "-o", "plan.json", *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "saved plan pl-bigplan0000001 (30 changes) to plan.json\n"
    text = (repo / "plan.json").read_text()
    assert "s3cr3t-fetched-value" not in text
    parameters = {
        p["Key"]: p.get("Value") for p in json.loads(text)["ProvisionedProductPlanDetails"]["ProvisioningParameters"]
    }
    assert parameters == {"Stage": "****", "DbPassword": "****", "ApiToken": "{{resolve:secretsmanager:prod/api}}"}


def test_fetch_then_lint_gives_the_findings_of_lint_plan_id(cli, fake, repo: Path):
    fake.add_plan(json.loads((FIXTURES / "demo.json").read_text()))
    assert cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", "plans/demo.json", *FAST).exit_code == 0
    from_saved = cli("lint", "plans/demo.json")
    direct = cli("lint", "--plan-id", "pl-6kxqz3vbw2jra", *FAST)
    assert findings_of(from_saved.stdout) == findings_of(direct.stdout)
    assert (
        from_saved.stdout.splitlines()[-1]
        == direct.stdout.splitlines()[-1]
        == "2 errors, 8 warnings in 1 plan (14 changes)"
    )


def test_throttling_every_third_request_still_succeeds(cli, fake, repo: Path):
    fake.add_plan(big_plan(100))
    fake.faults.throttle_every = 3
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[-1].endswith("in 1 plan (100 changes)")
    assert len(fake.requests) > 5


def test_5xx_errors_are_retried(cli, fake, repo: Path):
    fake.add_plan(big_plan(60))
    fake.faults.error_5xx_every = 2
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 1, result.stderr
    describes = [r for r in fake.requests if r[0] == "DescribeProvisionedProductPlan"]
    assert len(describes) == 5  # three pages; every second request fails, so pages 2 and 3 were each retried


def test_the_client_retries_up_to_ten_times_in_standard_mode_unless_the_user_chose(aws_env, monkeypatch):
    from planlint.aws import session

    retries = session.client(region="us-east-1").meta.config.retries
    assert retries == {"mode": "standard", "total_max_attempts": 11}  # botocore counts the first attempt too
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    assert session.client(region="us-east-1").meta.config.retries["total_max_attempts"] == 3  # the user's choice stands


def test_jobs_bounds_how_many_plans_are_fetched_at_once(cli, fake, repo: Path):
    ids = []
    for n in range(6):
        document = big_plan(5)
        document["ProvisionedProductPlanDetails"]["PlanId"] = f"pl-jobs{n:011d}"
        ids += ["--plan-id", fake.add_plan(document)]
    fake.faults.latency = 0.4  # long enough that three workers' first requests always overlap
    assert cli("lint", *ids, "--jobs", "1", *FAST).exit_code == 0
    assert fake.most_in_flight == 1
    fake.most_in_flight = 0
    assert cli("lint", *ids, "--jobs", "3", *FAST).exit_code == 0
    assert fake.most_in_flight == 3


def test_a_plan_being_created_is_linted_after_waiting(cli, fake, repo: Path):
    fake.add_plan(big_plan(25))
    fake.faults.in_progress_polls["pl-bigplan0000001"] = 3
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 1
    first_pages = [r for r in fake.requests if r[0] == "DescribeProvisionedProductPlan" and "PageToken" not in r[1]]
    assert len(first_pages) == 4
    assert "CREATE_SUCCESS, 25 changes" in result.stdout


def test_no_wait_lints_what_is_there(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.in_progress_polls["pl-bigplan0000001"] = 3
    result = cli("lint", "--plan-id", "pl-bigplan0000001", "--no-wait")
    assert result.exit_code == 1
    assert "error   PL401 plan-status" in result.stdout and "still being created" in result.stdout


def test_waiting_gives_up_at_the_timeout(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.in_progress_polls["pl-bigplan0000001"] = 10_000
    started = time.monotonic()
    result = cli("lint", "--plan-id", "pl-bigplan0000001", "--timeout", "0.3", "--poll-interval", "0.05")
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-bigplan0000001: still CREATE_IN_PROGRESS after 0.3s; "
        "raise --timeout, or lint it as it is with --no-wait\n"
    )


def test_a_repeated_token_stops_with_an_error(cli, fake, repo: Path):
    fake.add_plan(big_plan(60))
    fake.faults.repeat_token.add("pl-bigplan0000001")
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-bigplan0000001: page 2 repeats an earlier NextPageToken; stopped instead of looping\n"
    )
    assert len(fake.requests) == 2


def test_a_page_of_another_plan_is_an_error(cli, fake, repo: Path):
    fake.add_plan(big_plan(60))
    fake.faults.other_plan_on_page_2.add("pl-bigplan0000001")
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 2
    assert "page 2 describes plan pl-someotherplan; the plan changed while it was read" in result.stderr


@pytest.mark.parametrize(
    "setup,message",
    [
        (
            "missing",
            "plan pl-doesnotexist0: ResourceNotFoundException: Plan pl-doesnotexist0 not found. (check the plan id and the region)",
        ),
        (
            "denied",
            "plan pl-doesnotexist0: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ci/build is not "
            "authorized to perform: servicecatalog:DescribeProvisionedProductPlan (the role needs "
            "servicecatalog:DescribeProvisionedProductPlan and servicecatalog:ListProvisionedProductPlans)",
        ),
        (
            "expired",
            "plan pl-doesnotexist0: ExpiredTokenException: The security token included in the request is expired "
            "(the credentials expired; refresh them)",
        ),
        (
            "invalid",
            "plan pl-doesnotexist0: InvalidParametersException: PlanId is not valid (check the plan id or provisioned product)",
        ),
        (
            "throttled",
            "plan pl-doesnotexist0: ThrottlingException: Rate exceeded (throttled past all retries; lower --jobs or raise AWS_MAX_ATTEMPTS)",
        ),
    ],
)
def test_error_paths_give_one_line_and_other_plans_are_still_linted(cli, fake, repo: Path, monkeypatch, setup, message):
    fake.add_plan(json.loads((FIXTURES / "benign.json").read_text()))
    if setup == "denied":
        fake.faults.access_denied = True
    if setup == "expired":
        fake.faults.error = (400, "ExpiredTokenException", "The security token included in the request is expired")
    if setup == "invalid":
        fake.faults.error = (400, "InvalidParametersException", "PlanId is not valid")
    if setup == "throttled":
        fake.faults.throttle_every = 1
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    result = cli("lint", "--plan-id", "pl-doesnotexist0", str(FIXTURES / "demo.json"), *FAST)
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: {message}\n"
    assert "plan orders-release-42 for orders-prod" in result.stdout  # the local file was still linted
    assert "1 input could not be read" in result.stdout


def test_one_plan_missing_does_not_stop_the_others(cli, fake, repo: Path):
    fake.add_plan(json.loads((FIXTURES / "benign.json").read_text()))
    result = cli("lint", "--plan-id", "pl-nope000000000", "--plan-id", "pl-2mdbq7yz4xhca", *FAST)
    assert result.exit_code == 2
    assert "plan reports-memory-bump for reports-" in result.stdout


def test_endpoint_unreachable(cli, aws_env, repo: Path, monkeypatch):
    import socket

    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    result = cli("lint", "--plan-id", "pl-anything00000", *FAST)
    assert result.exit_code == 2
    assert result.stderr.startswith("planlint: error: plan pl-anything00000: cannot reach the Service Catalog endpoint")
    assert result.stderr.count("\n") == 1


def test_no_credentials(cli, aws_env, repo: Path, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", "http://127.0.0.1:9")
    result = cli("lint", "--plan-id", "pl-anything00000")
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-anything00000: no AWS credentials found; configure a profile, environment "
        "variables or a role\n"
    )


def test_unknown_profile(cli, aws_env, repo: Path):
    result = cli("lint", "--plan-id", "pl-anything00000", "--profile", "nosuchprofile")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "planlint: error: Service Catalog: The config profile (nosuchprofile) could not be found"
    )


def test_provisioned_product_by_name_and_every_plan(cli, fake, repo: Path):
    for i in range(3):
        doc = json.loads((FIXTURES / "benign.json").read_text())
        doc["ProvisionedProductPlanDetails"]["PlanId"] = f"pl-benign{i:07d}"
        fake.add_plan(doc)
    fake.add_plan(json.loads((FIXTURES / "demo.json").read_text()))
    by_name = cli("lint", "--provisioned-product", "reports-staging", *FAST)
    assert by_name.exit_code == 0 and by_name.stdout.splitlines()[-1] == "no findings in 3 plans (15 changes)"
    by_id = cli("lint", "--provisioned-product", "pp-x3jc5zbkoa4ms", *FAST)
    assert by_id.stdout.splitlines()[-1] == "2 errors, 8 warnings in 1 plan (14 changes)"
    everything = cli("lint", "--all-plans", *FAST)
    assert everything.stdout.splitlines()[-1] == "2 errors, 8 warnings in 4 plans (29 changes)"
    listed = [r[1] for r in fake.requests if r[0] == "ListProvisionedProductPlans"]
    assert listed[-1]["AccessLevelFilter"] == {"Key": "Account", "Value": "Self"}
    missing = cli("lint", "--provisioned-product", "nope-prod", *FAST)
    assert missing.exit_code == 2
    assert "provisioned product nope-prod: ResourceNotFoundException" in missing.stderr


def test_user_agent_names_planlint(cli, fake, repo: Path):
    from planlint import __version__

    fake.add_plan(json.loads((FIXTURES / "benign.json").read_text()))
    cli("lint", "--plan-id", "pl-2mdbq7yz4xhca", *FAST)
    assert f"planlint/{__version__}" in fake.user_agents[0]


def test_sarif_needs_the_fetched_plan_saved(cli, fake, repo: Path):
    fake.add_plan(json.loads((FIXTURES / "demo.json").read_text()))
    refused = cli("lint", "--plan-id", "pl-6kxqz3vbw2jra", "-f", "sarif", *FAST)
    assert refused.exit_code == 2
    assert "was fetched from AWS and not saved: add --save-dir DIR" in refused.stderr
    saved = cli("lint", "--plan-id", "pl-6kxqz3vbw2jra", "--save-dir", "plans", "-f", "sarif", *FAST)
    log = check_sarif(saved.stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"plans/pl-6kxqz3vbw2jra.json"}


def test_fetch_usage_errors(cli, aws_env):
    assert "nothing to fetch" in cli("fetch", "-o", "x.json").stderr
    assert "say where to save" in cli("fetch", "--plan-id", "pl-x").stderr
    assert (
        "--output takes exactly one --plan-id"
        in cli("fetch", "--plan-id", "a", "--plan-id", "b", "-o", "x.json").stderr
    )


# --- botocore's Stubber: small unit cases -----------------------------------------------------


def stubbed():
    import boto3
    from botocore.stub import Stubber

    sc = boto3.client("servicecatalog", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    return sc, Stubber(sc)


def page(token, changes, status="CREATE_SUCCESS", plan_id="pl-stub"):
    from datetime import datetime, timezone

    response = {
        "ProvisionedProductPlanDetails": {
            "PlanId": plan_id,
            "Status": status,
            "CreatedTime": datetime(2026, 1, 2, tzinfo=timezone.utc),
        },
        "ResourceChanges": changes,
    }
    if token:
        response["NextPageToken"] = token
    return response


def test_stubbed_pages_are_followed_in_order_with_the_largest_page_size():
    from planlint.aws import plans

    sc, stub = stubbed()
    stub.add_response(
        "describe_provisioned_product_plan",
        page("t1", [change("ADD", "A", "AWS::SNS::Topic")]),
        {"PlanId": "pl-stub", "PageSize": 20},
    )
    stub.add_response(
        "describe_provisioned_product_plan",
        page(None, [change("ADD", "B", "AWS::SNS::Topic")]),
        {"PlanId": "pl-stub", "PageSize": 20, "PageToken": "t1"},
    )
    with stub:
        document = plans.fetch_plan(sc, "pl-stub")
    assert [c["LogicalResourceId"] for c in document["ResourceChanges"]] == ["A", "B"]
    assert document["ProvisionedProductPlanDetails"]["CreatedTime"] == "2026-01-02T00:00:00+00:00"
    assert document["NextPageToken"] is None
    stub.assert_no_pending_responses()


def test_stubbed_wait_uses_capped_backoff_with_jitter():
    from planlint.aws import plans

    sc, stub = stubbed()
    for _ in range(6):
        stub.add_response("describe_provisioned_product_plan", page(None, [], status="CREATE_IN_PROGRESS"))
    stub.add_response("describe_provisioned_product_plan", page(None, []))
    slept: list[float] = []
    with stub:
        plans.fetch_plan(sc, "pl-stub", interval=2.0, sleep=slept.append, clock=lambda: 0.0)
    assert len(slept) == 6
    # doubling from 2s, capped at 30s, each wait jittered down to between half and all of it
    for wait, full in zip(slept, [2, 4, 8, 16, 30, 30], strict=True):
        assert full / 2 <= wait < full


def test_stubbed_client_error_is_one_line():
    from planlint.aws import errors, plans

    sc, stub = stubbed()
    stub.add_client_error(
        "describe_provisioned_product_plan", "InvalidParametersException", "PlanId is invalid\nsecond line"
    )
    with stub, pytest.raises(errors.AwsError) as caught:
        plans.fetch_plan(sc, "pl-stub")
    assert (
        str(caught.value)
        == "plan pl-stub: InvalidParametersException: PlanId is invalid (check the plan id or provisioned product)"
    )


# --- a hostile or broken endpoint ends in bounded time --------------------------------------------


def test_endless_describe_pages_are_capped(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.endless_tokens = True
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-bigplan0000001: still a NextPageToken after 25 pages (500 changes, the most a plan "
        "can have); stopped instead of following it\n"
    )
    assert len([r for r in fake.requests if r[0] == "DescribeProvisionedProductPlan"]) == 25


def test_endless_plan_lists_are_capped(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.endless_tokens = True
    result = cli("lint", "--all-plans", *FAST)
    assert result.exit_code == 2
    assert (
        "planlint: error: Service Catalog: still a NextPageToken after 500 pages of plans (10000 plans)"
        in result.stderr
    )
    assert len([r for r in fake.requests if r[0] == "ListProvisionedProductPlans"]) == 500


def test_a_black_hole_endpoint_ends_at_the_timeout(cli, aws_env, repo: Path, monkeypatch):
    from tests.fake_servicecatalog import BlackHole

    hole = BlackHole()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", hole.url)
    started = time.monotonic()
    try:
        result = cli("lint", "--plan-id", "pl-anything00000", "--timeout", "2", str(FIXTURES / "benign.json"))
    finally:
        hole.close()
    assert time.monotonic() - started < 8
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-anything00000: not fetched within --timeout 2s (the endpoint did not answer, or too "
        "slowly); check the network and the region, or raise --timeout\n"
    )
    assert "plan reports-memory-bump" in result.stdout


def test_an_endpoint_that_trickles_bytes_ends_at_the_timeout(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.trickle = 0.05
    started = time.monotonic()
    result = cli("lint", "--plan-id", "pl-bigplan0000001", "--timeout", "2")
    assert time.monotonic() - started < 8
    assert result.exit_code == 2 and "not fetched within --timeout 2s" in result.stderr


def test_an_unreadable_answer_says_so(cli, fake, repo: Path):
    fake.add_plan(big_plan(5))
    fake.faults.raw_body = b"<html>captive portal</html>"
    result = cli("lint", "--plan-id", "pl-bigplan0000001", *FAST)
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: plan pl-bigplan0000001: page 1 of the answer has no ProvisionedProductPlanDetails.PlanId "
        "(an empty or unreadable response); try again\n"
    )


@pytest.mark.parametrize("bad", ["../../escaped", "/etc/cron.d/x", "pl-ok\x1b]52;c;aGk=\x07"])
def test_a_listed_plan_id_that_is_a_path_never_becomes_a_file(cli, fake, repo: Path, bad: str):
    fake.add_plan(big_plan(5))
    fake.faults.listed_ids = [bad]
    result = cli("lint", "--all-plans", "--save-dir", "evidence", *FAST)
    assert result.exit_code == 2
    assert "Service Catalog listed an id that is not a plan id" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # and it reaches the terminal inert
    assert sorted(p.name for p in (repo / "evidence").iterdir()) == ["pl-bigplan0000001.json"]
    assert not (repo.parent / "escaped.json").exists()


def test_a_plan_id_option_that_is_a_path_is_refused(cli, fake, repo: Path):
    result = cli("lint", "--plan-id", "../x", "--save-dir", "evidence", *FAST)
    assert result.exit_code == 2 and result.stderr == (
        "planlint: error: plan ../x: --plan-id an id that is not a plan id (1 to 100 letters, digits, _ and -); not fetched\n"
    )
    assert not (repo / "x.json").exists()


def test_an_aws_error_message_reaches_the_terminal_inert(cli, fake, repo: Path):
    fake.faults.error = (400, "ValidationException", "bad \x1b]8;;https://example.invalid\x07link\u202e")
    result = cli("lint", "--plan-id", "pl-anything00000", *FAST)
    assert result.exit_code == 2
    assert not any(ch in result.stderr for ch in "\x1b\x07\u202e") and "\\x1b]8;;" in result.stderr


def test_a_status_message_with_a_parameter_value_is_masked_in_the_saved_plan(cli, fake, repo: Path):
    document = json.loads((FIXTURES / "demo.json").read_text())
    secret = CANARY
    document["ProvisionedProductPlanDetails"]["StatusMessage"] = f"value {secret} was rejected"
    fake.add_plan(document)
    assert cli("fetch", "--plan-id", "pl-6kxqz3vbw2jra", "-o", "saved.json").exit_code == 0
    saved = (repo / "saved.json").read_text()
    assert secret not in saved and "value **** was rejected" in saved
