"""What a decoded document is, told by its shape: a plan page, a change-set page, the console's list
of changes — or a near miss, said in one line with the call that gives what planlint reads.

- ``ProvisionedProductPlanDetails``: a DescribeProvisionedProductPlan response (a plan page).
- ``Changes``, ``ChangeSetId`` or ``ChangeSetName``: a DescribeChangeSet response (a change-set page).
- a list whose items are ``Change`` objects (``resourceChange``, camelCase, as the CloudFormation
  console's "JSON changes" view shows them): one change set without its details.
"""

from __future__ import annotations

from typing import Any

from planlint.model.enums import InputKind

_CHANGE_SET_KEYS = ("Changes", "ChangeSetId", "ChangeSetName")
_OPAQUE = ("BeforeContext", "AfterContext", "PreviousDeploymentContext")  # JSON text, or the resource itself

_NEAR_MISSES: list[tuple[tuple[str, ...], str]] = [
    (
        ("PlanId", "ProvisionProductId"),
        "a CreateProvisionedProductPlan response: it names the plan but holds none of its changes; "
        "save `aws servicecatalog describe-provisioned-product-plan --plan-id {PlanId}` (or use --plan-id)",
    ),
    (
        ("Id", "StackId"),
        "a CreateChangeSet response: it names the change set but holds none of its changes; "
        "save `aws cloudformation describe-change-set --change-set-name {Id} --include-property-values`",
    ),
    (
        ("RecordDetail",),
        "an ExecuteProvisionedProductPlan (or provisioning) record: the plan has already run; "
        "lint the plan before executing it",
    ),
    (
        ("Stacks",),
        "a DescribeStacks response; save `aws cloudformation describe-change-set --stack-name STACK --change-set-name NAME "
        "--include-property-values` for the change set instead",
    ),
    (
        ("Resources",),
        "a CloudFormation template; lint the change set or plan made from it",
    ),
]


def kind_of(value: dict[str, Any]) -> InputKind | str:
    """The kind of one page, or, for a near miss or an unknown object, why it is neither."""
    if "ProvisionedProductPlanDetails" in value:
        return InputKind.PLAN
    if any(key in value for key in _CHANGE_SET_KEYS):
        return InputKind.CHANGE_SET
    neither = "not a DescribeProvisionedProductPlan response: no ProvisionedProductPlanDetails"
    for keys, what in _NEAR_MISSES:
        if all(key in value for key in keys):
            names = {key: str(value.get(key)) for key in keys}
            return f"{neither}; this is {what.format(**names)}"
    return f"{neither}; nor a DescribeChangeSet response: no Changes or ChangeSetId"


def is_change_list(value: list[Any]) -> bool:
    """A list of ``Change`` objects (the console's "JSON changes"), not a list of pages."""
    return bool(value) and all(
        isinstance(item, dict) and ("resourceChange" in item or "ResourceChange" in item) for item in value
    )


def as_change_set(changes: list[Any]) -> dict[str, Any]:
    """The console's list of changes as a DescribeChangeSet page: ``{"Changes": [...]}`` with
    AWS's capitalised member names."""
    return {"Changes": [_capitalised(change) for change in changes]}


def _capitalised(value: Any) -> Any:
    if isinstance(value, list):
        return [_capitalised(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = key[:1].upper() + key[1:]
        out[name] = item if name in _OPAQUE else _capitalised(item)
    return out
