"""Enum values are AWS's exact spellings: Service Catalog's capitals or CloudFormation's own.
Anything else — another case, or a value that case-folds into a known one only through
non-ASCII letters — is unknown, and read as the riskiest possibility."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.model.enums import (
    CHANGE_SET_SPELLINGS,
    Action,
    Attribute,
    AttributeChangeType,
    ChangeSetStatus,
    ChangeSource,
    Evaluation,
    ExecutionStatus,
    InputKind,
    OpenEnum,
    PlanStatus,
    PlanType,
    PolicyAction,
    Replacement,
    RequiresRecreation,
)
from planlint.read.load import load
from planlint.testing import change_set_document, run_rule
from tests.conftest import write_json

# each enum and the botocore shapes that hold its values: (Service Catalog's, CloudFormation's)
SHAPES: dict[type[OpenEnum], tuple[str | None, str | None]] = {
    PlanStatus: ("ProvisionedProductPlanStatus", None),
    PlanType: ("ProvisionedProductPlanType", None),
    Action: ("ChangeAction", "ChangeAction"),
    Replacement: ("Replacement", "Replacement"),
    Attribute: ("ResourceAttribute", "ResourceAttribute"),
    RequiresRecreation: ("RequiresRecreation", "RequiresRecreation"),
    Evaluation: ("EvaluationType", "EvaluationType"),
    PolicyAction: (None, "PolicyAction"),
    ChangeSource: (None, "ChangeSource"),
    AttributeChangeType: (None, "AttributeChangeType"),
    ChangeSetStatus: (None, "ChangeSetStatus"),
    ExecutionStatus: (None, "ExecutionStatus"),
}


@cache
def _model(service: str) -> dict[str, Any]:
    from botocore.loaders import Loader

    shapes: dict[str, Any] = Loader().load_service_model(service, "service-2")["shapes"]
    return shapes


def aws_spellings(enum: type[OpenEnum]) -> set[str]:
    found: set[str] = set()
    for service, shape in zip(("servicecatalog", "cloudformation"), SHAPES[enum], strict=True):
        if shape is not None:  # (the lowest botocore planlint supports may not have every shape yet)
            found.update(_model(service).get(shape, {}).get("enum", ()))
    return found


ALL_SPELLINGS = {(enum, spelling) for enum in SHAPES for spelling in aws_spellings(enum)} | {
    (enum, spelling)
    for enum in SHAPES
    for spelling in (*(member.value for member in enum), *CHANGE_SET_SPELLINGS.get(enum, ()))
}


def test_every_enum_is_mapped_to_its_botocore_shapes():
    assert set(SHAPES) == set(OpenEnum.__subclasses__())


@pytest.mark.parametrize("enum", list(SHAPES), ids=lambda e: e.__name__)
def test_every_spelling_of_both_apis_is_a_known_member(enum: type[OpenEnum]):
    for spelling in aws_spellings(enum):
        member = enum(spelling)
        assert member.known_in(InputKind.CHANGE_SET), spelling
        assert member.name == spelling.upper() and member.value == spelling.upper()


# what turns a known spelling into another string that a case-insensitive match would still take
_FOLDS = {"i": "ı", "I": "ı", "s": "ſ", "S": "ſ", "k": "\u212a", "K": "\u212a", "fi": "ﬁ", "ff": "ﬀ", "st": "ﬆ"}


def _variants(spelling: str) -> list[str]:
    out = [spelling.lower(), spelling.swapcase(), spelling.title(), spelling.upper() + " ", " " + spelling]
    out += [spelling.replace(plain, fancy, 1) for plain, fancy in _FOLDS.items() if plain in spelling]
    out.append("".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in spelling))  # fullwidth
    return out


@pytest.mark.parametrize(
    "enum,text",
    [
        (PolicyAction, "Retaın"),  # dotless ı: its capital is I
        (PolicyAction, "ReplaceAndRetaın"),
        (PolicyAction, "ſnapshot"),  # long s: its capital is S
        (ChangeSource, "DirectModiﬁcation"),  # the fi ligature: its capital is FI
        (Action, "remove"),
        (Action, "ＲＥＭＯＶＥ"),  # fullwidth
        (Replacement, "true"),
        (Attribute, "deletionpolicy"),
    ],
)
def test_a_value_that_only_folds_into_a_known_one_is_unknown(enum: type[OpenEnum], text: str):
    member = enum(text)
    assert not member.known_in(InputKind.CHANGE_SET) and not member.known_in(InputKind.PLAN)
    assert member.value == text  # kept verbatim, to be reported as it was written


@given(
    st.sampled_from(sorted(ALL_SPELLINGS, key=lambda p: (p[0].__name__, p[1]))).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), st.sampled_from(_variants(pair[1])) | st.text(max_size=12))
    )
)
def test_any_string_that_is_no_exact_spelling_is_unknown(pair: tuple[type[OpenEnum], str]):
    enum, text = pair
    if (enum, text) in ALL_SPELLINGS:
        return
    member = enum(text)
    assert not member.known_in(InputKind.CHANGE_SET) and not member.known_in(InputKind.PLAN)
    assert member.value == text


def test_a_removal_whose_policy_action_only_folds_into_retain_is_read_as_a_deletion(tmp_path: Path):
    removal = {
        "Action": "Remove",
        "LogicalResourceId": "Table",
        "PhysicalResourceId": "orders",
        "ResourceType": "AWS::DynamoDB::Table",
        "Scope": [],
        "Details": [],
        "PolicyAction": "Retaın",
    }
    [plan] = load([str(write_json(tmp_path / "cs.json", change_set_document(removal)))]).plans
    [finding] = run_rule("stateful-removal", plan)
    assert str(finding.level) == "error" and "will be deleted" in finding.message, finding.message
    [unknown] = run_rule("unknown-value", plan)
    assert "Retaın" in unknown.message or "Reta\\u0131n" in unknown.message, unknown.message
