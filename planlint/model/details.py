"""The parts of a resource change: each detail (what changes, why, whether it forces recreation)
and the module a change set's resource came from."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from planlint.model.enums import Attribute, AttributeChangeType, ChangeSource, Evaluation, RequiresRecreation
from planlint.model.shapes import Shape, blank_is_none


class ResourceTargetDefinition(Shape):
    attribute: Annotated[Attribute | None, BeforeValidator(blank_is_none)] = Field(None, alias="Attribute")
    name: str | None = Field(None, alias="Name")
    requires_recreation: Annotated[RequiresRecreation | None, BeforeValidator(blank_is_none)] = Field(
        None, alias="RequiresRecreation"
    )
    # change sets only
    path: str | None = Field(None, alias="Path")
    before_value: str | None = Field(None, alias="BeforeValue")
    after_value: str | None = Field(None, alias="AfterValue")
    before_value_from: str | None = Field(None, alias="BeforeValueFrom")
    after_value_from: str | None = Field(None, alias="AfterValueFrom")
    attribute_change_type: Annotated[AttributeChangeType | None, BeforeValidator(blank_is_none)] = Field(
        None, alias="AttributeChangeType"
    )
    drift: dict[str, Any] | None = Field(None, alias="Drift")


class ResourceChangeDetail(Shape):
    target: ResourceTargetDefinition | None = Field(None, alias="Target")
    evaluation: Annotated[Evaluation | None, BeforeValidator(blank_is_none)] = Field(None, alias="Evaluation")
    causing_entity: str | None = Field(None, alias="CausingEntity")
    change_source: Annotated[ChangeSource | None, BeforeValidator(blank_is_none)] = Field(None, alias="ChangeSource")


class ModuleInfo(Shape):
    """The module a resource came from (change sets): ``AWS::First::Example::MODULE/…``."""

    type_hierarchy: str | None = Field(None, alias="TypeHierarchy")
    logical_id_hierarchy: str | None = Field(None, alias="LogicalIdHierarchy")
