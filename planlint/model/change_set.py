"""A CloudFormation DescribeChangeSet response as pydantic models, member for member.

Shapes follow botocore's ``cloudformation`` service model (``DescribeChangeSetOutput``,
``Change``, ``Parameter``); every member is optional and null is accepted where a value may be
missing, as for plans. Parameter values are ``SecretStr``. A change set reaches rules as a
:class:`planlint.model.plan.Plan` of kind ``change set`` whose changes are the ``ResourceChange`` of
each ``Change``; what only change sets have is kept here, in :class:`ChangeSetDetails`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, SecretStr

from planlint.model.details import ModuleInfo
from planlint.model.enums import ChangeSetStatus, ExecutionStatus
from planlint.model.resource_change import ResourceChange
from planlint.model.shapes import Shape, Tag, Timestamp, blank_is_none, list_or_empty

__all__ = ["Change", "ChangeSetDetails", "ChangeSetPage", "ModuleInfo", "StackParameter"]


def _time_or_none(value: Any) -> Any:
    """A creation time that is no time at all (a test recorder's ``"datetime"``) is absent: no rule reads it."""
    if isinstance(value, (datetime, int, float)) or value is None:
        return value
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            return None
    return value


class StackParameter(Shape):
    """A stack parameter of the change set; its value may be a secret and is held as one (AWS
    itself shows a ``NoEcho`` parameter as ``****``)."""

    key: str | None = Field(None, alias="ParameterKey")
    value: SecretStr | None = Field(None, alias="ParameterValue")
    use_previous_value: bool | None = Field(None, alias="UsePreviousValue")
    resolved_value: SecretStr | None = Field(None, alias="ResolvedValue")


class Change(Shape):
    type: str | None = Field(None, alias="Type")
    hook_invocation_count: int | None = Field(None, alias="HookInvocationCount")
    resource_change: ResourceChange | None = Field(None, alias="ResourceChange")


class ChangeSetDetails(Shape):
    """Everything of a DescribeChangeSet response but its changes and its page token."""

    change_set_name: str | None = Field(None, alias="ChangeSetName")
    change_set_id: str | None = Field(None, alias="ChangeSetId")
    stack_id: str | None = Field(None, alias="StackId")
    stack_name: str | None = Field(None, alias="StackName")
    description: str | None = Field(None, alias="Description")
    parameters: Annotated[tuple[StackParameter, ...], BeforeValidator(list_or_empty)] = Field((), alias="Parameters")
    creation_time: Annotated[Timestamp, BeforeValidator(_time_or_none)] = Field(None, alias="CreationTime")
    execution_status: Annotated[ExecutionStatus | None, BeforeValidator(blank_is_none)] = Field(
        None, alias="ExecutionStatus"
    )
    status: Annotated[ChangeSetStatus | None, BeforeValidator(blank_is_none)] = Field(None, alias="Status")
    status_reason: str | None = Field(None, alias="StatusReason")
    stack_drift_status: str | None = Field(None, alias="StackDriftStatus")
    notification_arns: Annotated[tuple[str, ...], BeforeValidator(list_or_empty)] = Field((), alias="NotificationARNs")
    capabilities: Annotated[tuple[str, ...], BeforeValidator(list_or_empty)] = Field((), alias="Capabilities")
    tags: Annotated[tuple[Tag, ...], BeforeValidator(list_or_empty)] = Field((), alias="Tags")
    include_nested_stacks: bool | None = Field(None, alias="IncludeNestedStacks")
    parent_change_set_id: str | None = Field(None, alias="ParentChangeSetId")
    root_change_set_id: str | None = Field(None, alias="RootChangeSetId")
    on_stack_failure: str | None = Field(None, alias="OnStackFailure")
    import_existing_resources: bool | None = Field(None, alias="ImportExistingResources")
    deployment_mode: str | None = Field(None, alias="DeploymentMode")


class ChangeSetPage(ChangeSetDetails):
    """One page of a DescribeChangeSet response."""

    changes: Annotated[tuple[Change, ...], BeforeValidator(list_or_empty)] = Field((), alias="Changes")
    next_token: str | None = Field(None, alias="NextToken")

    def details(self) -> ChangeSetDetails:
        return ChangeSetDetails.model_construct(
            **{name: getattr(self, name) for name in ChangeSetDetails.model_fields},
        )
