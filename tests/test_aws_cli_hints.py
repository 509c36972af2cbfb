"""Every AWS CLI command planlint suggests — in the README or in a message — names an operation and
options that exist in the AWS service model (botocore's, which the AWS CLI is built from), and gives
every option the operation requires."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from tests.conftest import ROOT

# options of the AWS CLI itself, which every command takes
GLOBAL_OPTIONS = {
    "--query",
    "--output",
    "--region",
    "--profile",
    "--endpoint-url",
    "--no-paginate",
    "--no-cli-pager",
    "--debug",
    "--cli-input-json",
}
COMMAND = re.compile(r"\baws (servicecatalog|cloudformation) ([a-z][a-z-]*)([^`\n),>|;]*)")
OPTION = re.compile(r"(?<!\S)--[a-z][a-z0-9-]*")
PLACES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "planlint").rglob("*.py"))]


def suggested(text: str) -> list[tuple[str, str, list[str]]]:
    """(service, command, options) of each AWS CLI command in ``text``; a line ending in a backslash
    goes on on the next."""
    text = re.sub(r"\\\n\s*", " ", text)
    return [(m[1], m[2], OPTION.findall(m[3])) for m in COMMAND.finditer(text)]


def commands() -> list[tuple[str, str, str, list[str]]]:
    return [(place, *command) for place in PLACES for command in suggested((ROOT / place).read_text(encoding="utf-8"))]


def operation(service: str, command: str):  # botocore's OperationModel
    model = botocore.session.get_session().get_service_model(service)
    names = {xform_name(name).replace("_", "-"): name for name in model.operation_names}
    assert command in names, f"aws {service} {command}: no such operation"
    return model.operation_model(names[command])


def cli_option(member: str) -> str:
    return "--" + xform_name(member).replace("_", "-")


def test_the_suggestions_are_found():
    found = {(place, service, command) for place, service, command, _ in commands()}
    assert ("planlint/read/kinds.py", "servicecatalog", "describe-provisioned-product-plan") in found
    assert ("planlint/read/kinds.py", "cloudformation", "describe-change-set") in found
    assert ("planlint/aws/execute.py", "servicecatalog", "describe-record") in found
    assert ("README.md", "cloudformation", "describe-change-set") in found
    assert ("README.md", "servicecatalog", "create-provisioned-product-plan") in found


@pytest.mark.parametrize(("place", "service", "command", "options"), commands())
def test_each_suggested_command_has_options_the_aws_cli_knows(place, service, command, options):
    model = operation(service, command)
    members = model.input_shape.members if model.input_shape else {}
    known = {cli_option(m) for m in members} | GLOBAL_OPTIONS
    unknown = [o for o in options if o not in known]
    assert not unknown, f"{place}: aws {service} {command} has no {', '.join(unknown)}; it takes {sorted(known)}"
    required = model.input_shape.required_members if model.input_shape else []
    missing = [cli_option(m) for m in required if cli_option(m) not in options]
    assert not missing, f"{place}: aws {service} {command} needs {', '.join(missing)}"


def test_a_create_provisioned_product_plan_response_suggests_the_plan_id_option(cli, tmp_path: Path):
    response = tmp_path / "created.json"
    response.write_text('{"PlanName": "p", "PlanId": "pl-abc123", "ProvisionProductId": "pp-x"}')
    result = cli("lint", str(response))
    assert result.exit_code == 2
    assert "`aws servicecatalog describe-provisioned-product-plan --plan-id pl-abc123`" in result.stderr
