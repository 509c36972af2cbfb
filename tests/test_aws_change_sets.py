"""Fetching change sets: a real boto3 CloudFormation client against a loopback fake of the query API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.fake_cloudformation import FakeCloudFormation
from tests.test_aws import FAST, aws_env, repo  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

OWN = FIXTURES / "change-sets"
MULTIPLE = FIXTURES / "real" / "cfn-04-trek10-multiple.json"


@pytest.fixture
def cfn(aws_env: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811 - the fixture above
    server = FakeCloudFormation().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", server.url)
    yield server
    server.stop()


def serve(cfn: FakeCloudFormation, path: Path) -> str:
    return cfn.add(json.loads(path.read_text()))


def findings(stdout: str) -> list[str]:
    return [line.strip() for line in stdout.splitlines() if line.startswith("    ")]


def test_lint_a_change_set_by_arn_reads_every_page_with_property_values(cli, cfn, repo: Path):  # noqa: F811
    arn = serve(cfn, MULTIPLE)
    fetched = cli("lint", "--change-set", arn, *FAST)
    saved = cli("lint", str(MULTIPLE))
    assert fetched.exit_code == saved.exit_code == 1, fetched.stderr
    assert findings(fetched.stdout) == findings(saved.stdout)
    assert fetched.stdout.splitlines()[-1] == "1 error, 1 note in 1 change set (4 changes)"
    assert [r.get("NextToken") for r in cfn.requests] == [None, "t2"]  # 4 changes, 2 a page
    assert all(r["IncludePropertyValues"] == "true" and r["ChangeSetName"] == arn for r in cfn.requests)


def test_a_change_set_by_name_needs_its_stack(cli, cfn, repo: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")  # a name is asked for in the client's region
    serve(cfn, OWN / "remove-and-add.json")
    result = cli("lint", "--change-set", "workers-to-asg", "--stack", "workers", *FAST)
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "1 warning in 1 change set (3 changes)"
    alone = cli("lint", "--change-set", "workers-to-asg", *FAST)
    assert alone.exit_code == 2
    assert alone.stderr == (
        "planlint: error: change set workers-to-asg: a change set named, not given by its ARN, needs --stack\n"
    )
    assert len(cfn.requests) == 2  # the two pages of the first run; nothing for the second


def test_nested_change_sets_are_followed_and_named_by_path(cli, cfn, repo: Path):  # noqa: F811
    root = serve(cfn, OWN / "nested-root.json")
    serve(cfn, OWN / "nested-child.json")
    result = cli("lint", "--change-set", root, *FAST)
    assert result.exit_code == 1, result.stderr
    assert "  NetworkStack/FlowLogsBucket (AWS::S3::Bucket): REMOVE" in result.stdout
    assert "nested-stack-change" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 error, 1 note in 2 change sets (3 changes)"


def test_waits_while_the_change_set_is_being_created(cli, cfn, repo: Path):  # noqa: F811
    arn = serve(cfn, OWN / "remove-and-add.json")
    cfn.faults.in_progress_polls[arn] = 2
    result = cli("lint", "--change-set", arn, *FAST)
    assert result.exit_code == 0, result.stderr
    first_pages = [r for r in cfn.requests if "NextToken" not in r]
    assert len(first_pages) == 3
    cfn.faults.in_progress_polls[arn] = 1
    as_it_is = cli("lint", "--change-set", arn, "--no-wait", *FAST)
    assert as_it_is.exit_code == 1 and "still being created (CREATE_IN_PROGRESS)" in as_it_is.stdout


def test_save_dir_saves_each_change_set_masked_and_linted_again_the_same(cli, cfn, repo: Path):  # noqa: F811
    document = json.loads((OWN / "parameter-driven-replacement.json").read_text())
    document["Parameters"] += [
        {"ParameterKey": "DbPassword", "ParameterValue": "s3cr3t-fetched-value"},
        {"ParameterKey": "ApiToken", "ParameterValue": "****"},
    ]
    arn = cfn.add(document)
    root = serve(cfn, OWN / "nested-root.json")
    serve(cfn, OWN / "nested-child.json")
    result = cli("fetch", "--change-set", arn, "--change-set", root, "--save-dir", "saved", *FAST)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (repo / "saved").iterdir())
    assert names == [
        "bastion-resize-5f0c2a8e.json",
        "network-update-1c2d3e4f.json",
        "network-update-NetworkStack-1Q2W3E4R5T6Y-6f5e4d3c.json",
    ]
    text = (repo / "saved" / "bastion-resize-5f0c2a8e.json").read_text()
    assert "s3cr3t-fetched-value" not in text
    values = {p["ParameterKey"]: p["ParameterValue"] for p in json.loads(text)["Parameters"]}
    assert values["ApiToken"] == "****" and values["DbPassword"] == "**** (masked by planlint)"
    assert values["BastionSize"] == "**** (masked by planlint)"
    again = cli("lint", "saved")
    direct = cli("lint", "--change-set", arn, "--change-set", root, *FAST)
    assert findings(again.stdout) == findings(direct.stdout)
    assert "secret-parameter" in again.stdout and "parameter ApiToken" not in again.stdout


def test_output_takes_one_change_set_without_nested_ones(cli, cfn, repo: Path):  # noqa: F811
    single = serve(cfn, OWN / "remove-and-add.json")
    assert cli("fetch", "--change-set", single, "-o", "one.json", *FAST).exit_code == 0
    assert json.loads((repo / "one.json").read_text())["ChangeSetName"] == "workers-to-asg"
    root = serve(cfn, OWN / "nested-root.json")
    serve(cfn, OWN / "nested-child.json")
    nested = cli("fetch", "--change-set", root, "-o", "root.json", *FAST)
    assert nested.exit_code == 2 and not (repo / "root.json").exists()
    assert "has 1 nested change sets to save beside it; use --save-dir DIR" in nested.stderr


@pytest.mark.parametrize(
    "fault,message",
    [
        ("repeat_token", "page 2 repeats an earlier NextToken; stopped instead of looping"),
        ("other_change_set_on_page_2", "the change set changed while it was read"),
    ],
)
def test_a_broken_answer_is_one_line_and_exit_2(cli, cfn, repo: Path, fault: str, message: str):  # noqa: F811
    arn = serve(cfn, MULTIPLE)
    setattr(cfn.faults, fault, True)
    result = cli("lint", "--change-set", arn, *FAST)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"planlint: error: change set {arn}: ") and message in line


def test_a_change_set_that_does_not_exist(cli, cfn, repo: Path):  # noqa: F811
    arn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/gone/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    result = cli("lint", "--change-set", arn, *FAST)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"planlint: error: change set {arn}: ChangeSetNotFound: ChangeSet [{arn}] does not exist "
        "(check the change set's ARN, or its name with --stack, and the region)"
    ]


def test_an_endpoint_that_never_answers_ends_by_the_deadline_in_one_line(cli, aws_env, monkeypatch, repo: Path):  # noqa: F811
    import socket
    import time

    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(8)  # takes connections, never answers
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", f"http://127.0.0.1:{hole.getsockname()[1]}")
    arn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/rel/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    started = time.monotonic()
    try:
        result = cli("lint", "--change-set", arn, "--timeout", "1")
    finally:
        hole.close()
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "planlint: error: CloudFormation: the fetch did not finish within --timeout 1s (the endpoint did not answer, "
        "or too slowly); check the network and the region, or raise --timeout"
    ]
