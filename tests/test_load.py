"""Every saved form of a plan loads to the same model, with times in UTC and lines remembered."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from planlint import Action, Location, PlanStatus, Replacement
from planlint.read.load import load
from planlint.testing import change, detail, plan_document
from tests.conftest import FIXTURES, write_json


def only_plan(*sources: str, stdin: bytes | None = None):
    result = load(sources, stdin=io.BytesIO(stdin) if stdin is not None else None)
    assert result.errors == []
    assert len(result.plans) == 1
    return result.plans[0]


def test_cli_v2_iso_with_local_offset_becomes_utc():
    plan = only_plan(str(FIXTURES / "demo.json"))
    assert plan.details.created_time == datetime(2026, 11, 20, 15, 14, 7, 512000, tzinfo=timezone.utc)
    assert plan.details.created_time.utcoffset().total_seconds() == 0
    assert plan.plan_id == "pl-6kxqz3vbw2jra"
    assert plan.details.provisioned_product_name == "orders-prod"
    assert plan.status is PlanStatus.CREATE_SUCCESS
    assert len(plan.changes) == 14


def test_cli_v1_epoch_numbers_become_utc():
    plan = only_plan(str(FIXTURES / "cli-v1-epoch.json"))
    assert plan.details.created_time == datetime(2026, 10, 2, 8, 1, 55, 104000, tzinfo=timezone.utc)
    assert plan.details.updated_time == plan.details.created_time


def test_boto3_default_str_with_response_metadata():
    plan = only_plan(str(FIXTURES / "boto3-default-str.json"))
    assert plan.details.created_time == datetime(2026, 11, 9, 18, 9, 37, 808000, tzinfo=timezone.utc)
    assert [c.logical_resource_id for c in plan.changes] == ["SearchLaunchTemplate", "SearchNode", "SearchDomain"]


def test_utf8_bom_and_crlf():
    raw = (FIXTURES / "powershell-bom.json").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    plan = only_plan(str(FIXTURES / "powershell-bom.json"))
    assert plan.changes[0].logical_resource_id == "PortalDatabase"
    assert plan.changes[0].source == Location(str(FIXTURES / "powershell-bom.json"), 31)


def test_all_timestamp_forms_agree(tmp_path: Path):
    moments = [
        "2025-11-09T18:09:37.808000-06:00",
        1762733377.808,
        "2025-11-10 00:09:37.808000+00:00",
        "2025-11-10T00:09:37.808Z",
    ]
    seen = set()
    for i, moment in enumerate(moments):
        doc = plan_document(plan_id=f"pl-{i}")
        doc["ProvisionedProductPlanDetails"]["CreatedTime"] = moment
        seen.add(only_plan(str(write_json(tmp_path / f"{i}.json", doc))).details.created_time)
    assert seen == {datetime(2025, 11, 10, 0, 9, 37, 808000, tzinfo=timezone.utc)}


def test_naive_timestamp_is_read_as_utc(tmp_path: Path):
    doc = plan_document()
    doc["ProvisionedProductPlanDetails"]["CreatedTime"] = "2025-11-10T00:09:37"
    created = only_plan(str(write_json(tmp_path / "p.json", doc))).details.created_time
    assert created == datetime(2025, 11, 10, 0, 9, 37, tzinfo=timezone.utc)


def test_json_list_of_pages_is_merged_in_order():
    plan = only_plan(str(FIXTURES / "pages-list.json"))
    assert plan.pages == 3
    assert len(plan.changes) == 45
    assert not plan.incomplete
    ids = [c.logical_resource_id for c in plan.changes]
    assert ids[0] == "IngestWorker01Function" and ids[-1] == "IngestWorker45Alarm"
    assert ids[43] == "DeadLetterQueue"


def test_page_files_merge_by_plan_id_in_the_order_given(tmp_path: Path):
    first = FIXTURES / "pages" / "identity-page-1.json"
    second = FIXTURES / "pages" / "identity-page-2.json"
    plan = only_plan(str(first), str(second))
    assert plan.pages == 2 and len(plan.changes) == 22 and not plan.incomplete
    assert plan.changes[20].logical_resource_id == "UserPool"
    assert plan.changes[20].source == Location(str(second), 31)
    assert plan.source is not None and plan.source.path == str(first)
    # given the other way round, the last page read still has a token: incomplete
    backwards = only_plan(str(second), str(first))
    assert backwards.incomplete
    assert backwards.changes[0].logical_resource_id == "UserPool"


def test_directory_loads_every_json_sorted_and_merges_pages():
    plan = only_plan(str(FIXTURES / "pages"))
    assert plan.pages == 2 and not plan.incomplete


def test_directory_with_symlink_loop_terminates(tmp_path: Path):
    (tmp_path / "a").mkdir()
    write_json(tmp_path / "a" / "plan.json", plan_document())
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    result = load([str(tmp_path)])
    assert result.errors == []
    assert len(result.plans) == 1


def test_directory_without_json_is_an_error(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("hello")
    result = load([str(tmp_path)])
    assert [str(e) for e in result.errors] == [f"{tmp_path}: directory holds no *.json file"]


def test_stdin():
    data = (FIXTURES / "demo.json").read_bytes()
    plan = only_plan("-", stdin=data)
    assert plan.changes[0].source == Location("<stdin>", 59, "stdin")


def test_single_page_with_next_page_token_is_incomplete():
    plan = only_plan(str(FIXTURES / "incomplete-page.json"))
    assert plan.incomplete and plan.pages == 1


def test_missing_resource_changes_means_no_changes(tmp_path: Path):
    doc = plan_document()
    del doc["ResourceChanges"]
    del doc["NextPageToken"]
    plan = only_plan(str(write_json(tmp_path / "p.json", doc)))
    assert plan.changes == () and not plan.incomplete and not plan.changes_listed


def test_nulls_in_optional_fields_are_normal(tmp_path: Path):
    doc = plan_document(change("ADD", "Topic", "AWS::SNS::Topic"))
    details = doc["ProvisionedProductPlanDetails"]
    for key in ("Tags", "ProvisioningParameters", "NotificationArns", "StatusMessage", "UpdatedTime", "PathId"):
        details[key] = None
    doc["ResourceChanges"][0].update({"Scope": None, "Details": None, "PhysicalResourceId": None, "Replacement": None})
    plan = only_plan(str(write_json(tmp_path / "p.json", doc)))
    assert plan.details.tags == () and plan.changes[0].scope == () and plan.changes[0].details == ()


def test_line_of_every_change_is_where_its_object_starts():
    path = FIXTURES / "demo.json"
    lines = path.read_text().splitlines()
    plan = only_plan(str(path))
    for item in plan.changes:
        assert item.source is not None
        start = lines[item.source.line - 1].strip()
        following = lines[item.source.line].strip()
        assert start == "{", (item.logical_resource_id, start)
        assert following == '"Action": "' + str(item.action) + '",'
    assert plan.source == Location(str(path), 2)


def test_lines_in_compact_json(tmp_path: Path):
    doc = plan_document(change("ADD", "A", "AWS::SNS::Topic"), change("ADD", "B", "AWS::SNS::Topic"))
    path = tmp_path / "compact.json"
    path.write_text(json.dumps(doc))
    plan = only_plan(str(path))
    assert [c.source.line for c in plan.changes] == [1, 1]


def test_unknown_enum_values_are_kept_verbatim(tmp_path: Path):
    doc = plan_document(change("IMPORT", "A", "AWS::S3::Bucket", replacement="SOMETIMES", scope=["DEPENDSON"]))
    doc["ProvisionedProductPlanDetails"]["Status"] = "CREATE_QUEUED"
    plan = only_plan(str(write_json(tmp_path / "p.json", doc)))
    item = plan.changes[0]
    assert item.action == "IMPORT" and not item.action.known and isinstance(item.action, Action)
    assert item.replacement == "SOMETIMES" and not item.replacement.known
    assert [str(s) for s in item.scope] == ["DEPENDSON"]
    assert plan.status == "CREATE_QUEUED" and not plan.status.known
    assert Replacement.TRUE.known and Action("REMOVE") is Action.REMOVE


def test_same_page_in_two_files_is_an_error_not_a_double_count(tmp_path: Path):
    page = FIXTURES / "pages" / "identity-page-1.json"
    copy = tmp_path / "copy.json"
    copy.write_bytes(page.read_bytes())
    result = load([str(page), str(copy)])
    assert result.plans == []
    assert [str(e) for e in result.errors] == [
        f"{copy}: LogicalResourceId IdentityHandler01: appears twice in plan pl-b6xrtv7yqm3hs "
        f"(also in {page}); was a page given twice?"
    ]


def test_a_file_named_twice_is_read_once():
    page = str(FIXTURES / "demo.json")
    result = load([page, str(FIXTURES), page])
    assert result.errors == []
    assert sum(p.plan_id == "pl-6kxqz3vbw2jra" for p in result.plans) == 1


def test_pages_without_plan_id_stand_alone(tmp_path: Path):
    doc = plan_document(change("ADD", "A", "AWS::SNS::Topic"))
    del doc["ProvisionedProductPlanDetails"]["PlanId"]
    result = load([str(write_json(tmp_path / "a.json", doc)), str(write_json(tmp_path / "b.json", doc))])
    assert result.errors == [] and len(result.plans) == 2


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = load([str(bad), str(FIXTURES / "benign.json")])
    assert [p.plan_id for p in result.plans] == ["pl-2mdbq7yz4xhca"]
    assert len(result.errors) == 1


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_fixture_loads(name: str):
    result = load([str(FIXTURES / name)])
    assert result.errors == [] and len(result.plans) == 1


def test_secret_values_do_not_print_from_the_model():
    plan = only_plan(str(FIXTURES / "demo.json"))
    text = repr(plan) + str(plan) + plan.model_dump_json()
    assert "hunter2" not in text
    secret = {p.key: p.value for p in plan.details.provisioning_parameters}["DatabasePassword"]
    assert secret is not None and secret.get_secret_value() == "hunter2-planlint-canary-7f3a"


def test_parameter_with_use_previous_value_has_no_value():
    plan = only_plan(str(FIXTURES / "demo.json"))
    vpc = {p.key: p for p in plan.details.provisioning_parameters}["VpcId"]
    assert vpc.use_previous_value is True and vpc.value is None


def test_details_with_detail_builder_roundtrip(tmp_path: Path):
    doc = plan_document(change("MODIFY", "Db", "AWS::RDS::DBInstance", details=[detail("Port")]))
    plan = only_plan(str(write_json(tmp_path / "p.json", doc)))
    assert plan.changes[0].details[0].target.name == "Port"


def test_every_enum_member_knows_which_api_has_it():
    """``known_in`` reads flags set once per member: each agrees with the member list and with the
    members only change sets have; a value read from a document that no member has is unknown to both."""
    from planlint.model import enums

    for open_enum in enums.OpenEnum.__subclasses__():
        for member in open_enum:
            change_set_only = (open_enum, member.name) in enums.CHANGE_SET_ONLY
            assert member.known_in(enums.InputKind.CHANGE_SET), member
            assert member.known is not change_set_only, member
        stranger = open_enum("SOMETHING_AWS_ADDS_LATER")
        assert not stranger.known and not stranger.known_in(enums.InputKind.CHANGE_SET)
        assert not open_enum(next(iter(open_enum)).value.lower()).known_in(enums.InputKind.CHANGE_SET)
