"""The plan as pydantic models: DescribeProvisionedProductPlan's response, field for field.

JSON keeps AWS's names (aliases, misspellings included: ``ProvisionProductId``); Python
attributes are snake_case. Every field is optional, as in botocore's service model, and
null is accepted wherever a value may be missing. Times become timezone-aware UTC.
Provisioning parameter values are ``SecretStr``: they never print.

A plan is immutable: models are frozen and lists are tuples, so a rule cannot change what
the rules after it and the reports see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, SecretStr

from planlint.causes import Cause, Names, merge
from planlint.enums import (
    Action,
    Attribute,
    Evaluation,
    PlanStatus,
    PlanType,
    Replacement,
    RequiresRecreation,
)
from planlint.findings import Finding, Location, Severity


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _list_or_empty(value: Any) -> Any:
    return () if value is None else value


_NO_NAMES = Names()

Timestamp = Annotated[datetime | None, AfterValidator(_utc)]


class _Shape(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class Tag(_Shape):
    key: str = Field(alias="Key")
    value: str = Field(alias="Value")


class ProvisioningParameter(_Shape):
    """A provisioning parameter. Its value may be a secret and is held as one."""

    key: str | None = Field(None, alias="Key")
    value: SecretStr | None = Field(None, alias="Value")
    use_previous_value: bool | None = Field(None, alias="UsePreviousValue")


class ResourceTargetDefinition(_Shape):
    attribute: Attribute | None = Field(None, alias="Attribute")
    name: str | None = Field(None, alias="Name")
    requires_recreation: RequiresRecreation | None = Field(None, alias="RequiresRecreation")


class ResourceChangeDetail(_Shape):
    target: ResourceTargetDefinition | None = Field(None, alias="Target")
    evaluation: Evaluation | None = Field(None, alias="Evaluation")
    causing_entity: str | None = Field(None, alias="CausingEntity")


class ResourceChange(_Shape):
    """One resource change of the plan, with the helpers a rule author wants."""

    action: Action | None = Field(None, alias="Action")
    logical_resource_id: str | None = Field(None, alias="LogicalResourceId")
    physical_resource_id: str | None = Field(None, alias="PhysicalResourceId")
    resource_type: str | None = Field(None, alias="ResourceType")
    replacement: Replacement | None = Field(None, alias="Replacement")
    scope: Annotated[tuple[Attribute, ...], BeforeValidator(_list_or_empty)] = Field((), alias="Scope")
    details: Annotated[tuple[ResourceChangeDetail, ...], BeforeValidator(_list_or_empty)] = Field((), alias="Details")

    _source: Location | None = PrivateAttr(None)
    _names: Names | None = PrivateAttr(None)
    _plan_id: str | None = PrivateAttr(None)

    @property
    def source(self) -> Location | None:
        """Where this change's object starts in the file it was read from."""
        return self._source

    @property
    def label(self) -> str:
        """``OrdersDatabase (AWS::RDS::DBInstance)``."""
        return f"{self.logical_resource_id or '(no logical id)'} ({self.resource_type or 'unknown type'})"

    @property
    def is_add(self) -> bool:
        return self.action == Action.ADD

    @property
    def is_modify(self) -> bool:
        return self.action == Action.MODIFY

    @property
    def is_removal(self) -> bool:
        """REMOVE, or an action that is missing or unknown to planlint (read as the riskiest: a removal)."""
        return self.action is None or self.action == Action.REMOVE or not self.action.known

    @property
    def _can_be_replaced(self) -> bool:
        """An ADD or a REMOVE is never a replacement, whatever ``Replacement`` says (AWS has sent "True" on ADDs)."""
        return self.action not in (Action.ADD, Action.REMOVE)

    @property
    def replaces_certainly(self) -> bool:
        """Replacement TRUE; also an unknown value, none at all on a MODIFY, or FALSE contradicted by
        a detail that forces recreation (the riskiest reading)."""
        if not self._can_be_replaced:
            return False
        if self.replacement is None:
            return self.action == Action.MODIFY
        if self.replacement == Replacement.FALSE:
            return self.replacement_contradiction is not None
        return self.replacement == Replacement.TRUE or not self.replacement.known

    @property
    def replaces_possibly(self) -> bool:
        """Replacement CONDITIONAL: the resource is replaced if a value known only at execution changes."""
        return self._can_be_replaced and self.replacement == Replacement.CONDITIONAL

    @cached_property
    def replacement_contradiction(self) -> Cause | None:
        """The cause that contradicts ``Replacement: FALSE``: a property changed directly in the template
        (a STATIC detail) whose change requires recreation ALWAYS. None when there is no contradiction."""
        if self.replacement != Replacement.FALSE or not self._can_be_replaced:
            return None
        for detail in self.details:
            target = detail.target
            if (
                detail.evaluation == Evaluation.STATIC
                and target
                and target.requires_recreation == RequiresRecreation.ALWAYS
            ):
                key = (target.attribute.value if target.attribute else None, target.name)
                return next(c for c in self.causes if (c.attribute.value if c.attribute else None, c.name) == key)
        return None

    @property
    def replaces(self) -> bool:
        """Replaced certainly or possibly: its physical id may change."""
        return self.replaces_certainly or self.replaces_possibly

    @cached_property
    def causes(self) -> tuple[Cause, ...]:
        """The details merged into one cause per (attribute, property)."""
        return merge(self.details, self._names or _NO_NAMES)

    @property
    def recreation_causes(self) -> tuple[Cause, ...]:
        """Causes that may force recreation, the riskiest first."""
        from planlint.causes import recreation_risk

        found = [c for c in self.causes if c.recreates]
        return tuple(sorted(found, key=lambda c: -recreation_risk(c.requires_recreation)))

    @property
    def cause_text(self) -> str:
        """The recreation causes (or, failing those, all causes) as one phrase; says so when the
        plan's ``Replacement`` contradicts them."""
        causes = self.recreation_causes or self.causes
        if not causes:
            return "the plan names no property that causes it"
        text = "; ".join(c.text for c in causes)
        if self.replacement_contradiction is not None:
            text = f"the plan says Replacement FALSE, but its details force recreation, so it is read as a replacement: {text}"
        return text

    def in_scope(self, attribute: Attribute) -> bool:
        return attribute in self.scope

    def finding(self, message: str, severity: Severity | None = None, subject: str | None = None) -> Finding:
        """A finding on this change; ``severity`` overrides the rule's default."""
        return Finding(
            message=message,
            severity=severity,
            subject=subject,
            plan_id=self._plan_id,
            logical_id=self.logical_resource_id or "",
            resource_type=self.resource_type,
            action=self.action.value if self.action is not None else None,
            location=self._source,
            change=self,
        )


class PlanDetails(_Shape):
    created_time: Timestamp = Field(None, alias="CreatedTime")
    path_id: str | None = Field(None, alias="PathId")
    product_id: str | None = Field(None, alias="ProductId")
    plan_name: str | None = Field(None, alias="PlanName")
    plan_id: str | None = Field(None, alias="PlanId")
    provisioned_product_id: str | None = Field(None, alias="ProvisionProductId")
    provisioned_product_name: str | None = Field(None, alias="ProvisionProductName")
    plan_type: PlanType | None = Field(None, alias="PlanType")
    provisioning_artifact_id: str | None = Field(None, alias="ProvisioningArtifactId")
    status: PlanStatus | None = Field(None, alias="Status")
    updated_time: Timestamp = Field(None, alias="UpdatedTime")
    notification_arns: Annotated[tuple[str, ...], BeforeValidator(_list_or_empty)] = Field((), alias="NotificationArns")
    provisioning_parameters: Annotated[tuple[ProvisioningParameter, ...], BeforeValidator(_list_or_empty)] = Field(
        (), alias="ProvisioningParameters"
    )
    tags: Annotated[tuple[Tag, ...], BeforeValidator(_list_or_empty)] = Field((), alias="Tags")
    status_message: str | None = Field(None, alias="StatusMessage")


class Plan(_Shape):
    """A provisioned product plan: its details and every resource change seen.

    A plan read from several pages is one ``Plan`` whose ``next_page_token`` is that of
    the last page: when it is set, changes exist that planlint has not seen.
    """

    details: PlanDetails = Field(alias="ProvisionedProductPlanDetails")
    changes: Annotated[tuple[ResourceChange, ...], BeforeValidator(_list_or_empty)] = Field((), alias="ResourceChanges")
    next_page_token: str | None = Field(None, alias="NextPageToken")

    _source: Location | None = PrivateAttr(None)
    _pages: int = PrivateAttr(1)
    _changes_listed: bool = PrivateAttr(True)

    def model_post_init(self, context: Any) -> None:
        if not (isinstance(context, dict) and context.get("unbound")):
            self.bind()

    @classmethod
    def page(cls, value: dict[str, Any], source: Location, change_lines: Sequence[int]) -> Plan:
        """One page of a plan, validated from its decoded JSON ``value``, that knows where it was read:
        ``source`` is where its details start, ``change_lines`` where each change starts. Not yet bound:
        :meth:`merged` binds a plan from its pages. Raises pydantic's ``ValidationError``."""
        plan = cls.model_validate(value, context={"unbound": True})
        private = plan.__pydantic_private__
        private["_source"] = source  # type: ignore[index]
        private["_changes_listed"] = value.get("ResourceChanges") is not None  # type: ignore[index]
        for change, line in zip(plan.changes, change_lines, strict=False):
            change.__pydantic_private__["_source"] = replace(source, line=line)  # type: ignore[index]
        return plan

    @classmethod
    def merged(cls, pages: Sequence[Plan], changes: Sequence[ResourceChange]) -> Plan:
        """One plan from its pages, in order: the first page's details, every page's ``changes``,
        the last page's token. A single page is returned as it is."""
        first = pages[0]
        if len(pages) == 1:
            first.bind()
            return first
        plan = cls.model_construct(
            details=first.details, changes=tuple(changes), next_page_token=pages[-1].next_page_token
        )
        private = plan.__pydantic_private__
        private["_source"] = first._source  # type: ignore[index]
        private["_pages"] = len(pages)  # type: ignore[index]
        private["_changes_listed"] = any(p._changes_listed for p in pages)  # type: ignore[index]
        plan.bind()
        return plan

    def bind(self) -> None:
        """Tell every change the names it can refer to."""
        names = Names(
            parameters=frozenset(p.key for p in self.details.provisioning_parameters if p.key),
            resources=frozenset(c.logical_resource_id for c in self.changes if c.logical_resource_id),
        )
        plan_id = self.details.plan_id
        for change in self.changes:
            private = change.__pydantic_private__
            private["_names"] = names  # type: ignore[index]
            private["_plan_id"] = plan_id  # type: ignore[index]
            for cached in ("causes", "replacement_contradiction"):
                change.__dict__.pop(cached, None)

    @property
    def source(self) -> Location | None:
        """Where the plan details object starts in the (first) file the plan was read from."""
        return self._source

    @property
    def pages(self) -> int:
        return self._pages

    @property
    def plan_id(self) -> str | None:
        return self.details.plan_id

    @property
    def status(self) -> PlanStatus | None:
        return self.details.status

    @property
    def incomplete(self) -> bool:
        """True when the last page read says more pages follow."""
        return bool(self.next_page_token)

    @property
    def changes_listed(self) -> bool:
        """False when no page read had a ``ResourceChanges`` list: the changes may be missing from the document."""
        return self._changes_listed

    @property
    def label(self) -> str:
        name = self.details.plan_name or self.details.plan_id or "(unnamed plan)"
        product = self.details.provisioned_product_name or self.details.provisioned_product_id
        return f"{name} for {product}" if product else name

    @property
    def tags(self) -> dict[str, str]:
        return {t.key: t.value for t in self.details.tags}

    def finding(self, message: str, severity: Severity | None = None, subject: str | None = None) -> Finding:
        """A finding on the plan as a whole (no resource); ``subject`` tells several apart."""
        return Finding(message=message, severity=severity, subject=subject, plan_id=self.plan_id, location=self._source)
