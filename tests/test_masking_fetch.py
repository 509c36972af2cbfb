"""A fetched change set saved to disk holds no parameter value, nor an SSM parameter's resolved
value, wherever the change set repeats one (a real boto3 client against the loopback fake)."""

from __future__ import annotations

import json
from pathlib import Path

from planlint.testing import change, change_set_document
from tests.test_aws import FAST, aws_env, repo  # noqa: F401 - fixtures
from tests.test_aws_change_sets import cfn  # noqa: F401 - fixture

RESOLVED = "resolved-endpoint.db.internal"
PASSWORD = "Zq8vW3nT5yR1uP7sK2mB9xC4hL6jF0dG"


def _document() -> dict:
    target = {
        "Attribute": "Properties",
        "Name": "Endpoint",
        "Path": "/Properties/Endpoint",
        "RequiresRecreation": "Always",
        "BeforeValue": "old-endpoint",
        "AfterValue": RESOLVED,
    }
    topic = change(
        "Modify",
        "Topic",
        "AWS::SNS::Topic",
        replacement="True",
        details=[{"Target": target, "Evaluation": "Static", "ChangeSource": "DirectModification"}],
    )
    topic["AfterContext"] = json.dumps({"Properties": {"Endpoint": RESOLVED, "Secret": f'"{PASSWORD}"'}})
    document = change_set_document(
        topic,
        parameters={"EndpointName": "/prod/db/endpoint", "DbPassword": PASSWORD},
        status_reason=f"endpoint {RESOLVED}, password {PASSWORD}",
    )
    document["Parameters"][0]["ResolvedValue"] = RESOLVED
    return document


def test_a_saved_change_set_holds_no_value_nor_resolved_value(cli, cfn, repo: Path):  # noqa: F811
    arn = cfn.add(_document())
    assert cli("fetch", "--change-set", arn, "-o", "one.json", *FAST).exit_code == 0
    assert cli("fetch", "--change-set", arn, "--save-dir", "saved", *FAST).exit_code == 0
    for saved in [repo / "one.json", *(repo / "saved").iterdir()]:
        text = saved.read_text()
        assert RESOLVED not in text and PASSWORD not in text, saved
        assert "resolved-endpoint" not in text and PASSWORD[:6] not in text, saved
    linted = cli("lint", "--change-set", arn, "-f", "json", *FAST)
    assert linted.exit_code == 0 and "PL103" in linted.stdout, linted.stderr  # warnings only
    assert RESOLVED not in linted.stdout and PASSWORD not in linted.stdout
    assert "resolved-endpoint" not in linted.stdout and PASSWORD[:6] not in linted.stdout
