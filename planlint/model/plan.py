"""The plan as pydantic models: DescribeProvisionedProductPlan's response, field for field — and
the one object rules see for a CloudFormation change set too (``Plan.from_change_set``).

JSON keeps AWS's names (aliases, misspellings included: ``ProvisionProductId``); Python
attributes are snake_case. Every field is optional, as in botocore's service model, and
null is accepted wherever a value may be missing. Times become timezone-aware UTC.
Provisioning parameter values are ``SecretStr``: they never print.

A plan is immutable: models are frozen and lists are tuples, so a rule cannot change what
the rules after it and the reports see.

A change set is a ``Plan`` of kind ``change set`` (``plan.kind``): its changes are the
``ResourceChange`` of each ``Change``, ``plan.change_set`` holds what only change sets have, and
``plan.details`` holds the plan's equivalents, so that a rule written for plans reads a change
set unchanged: ``PlanId`` is the ``ChangeSetId``, ``PlanName`` the ``ChangeSetName``,
``ProvisionProductId``/``ProvisionProductName`` the stack's id and name, ``ProvisioningParameters``
the stack parameters, ``StatusMessage`` the ``StatusReason``; ``Status`` stays empty (a change
set's status is ``plan.change_set.status``, with ``execution_status``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, SecretStr, ValidationInfo, field_validator

from planlint.model.causes import Names
from planlint.model.change_set import ChangeSetDetails, ChangeSetPage
from planlint.model.cosmetic import cosmetic
from planlint.model.declared import Declared
from planlint.model.details import ResourceChangeDetail, ResourceTargetDefinition
from planlint.model.enums import InputKind, PlanStatus, PlanType
from planlint.model.findings import Finding, Location, Severity
from planlint.model.resource_change import Binding, ResourceChange
from planlint.model.shapes import Shape, Tag, Timestamp, list_or_empty

__all__ = [
    "Plan",
    "PlanDetails",
    "ProvisioningParameter",
    "Reading",
    "ResourceChange",
    "ResourceChangeDetail",
    "ResourceTargetDefinition",
    "Tag",
]


@dataclass(frozen=True)
class Reading:
    """What a plan knows beyond AWS's members — where and how it was read, what links it to other
    change sets of the run, what the product's templates declare — given whole when it is built
    (``Plan.built``), and told to its changes then (see ``ResourceChange.binding``)."""

    source: Location | None = None  # where the plan details object starts in the (first) file
    pages: int = 1
    changes_listed: bool = True  # False when no page read had a list of changes
    change_set: ChangeSetDetails | None = None  # what only a change set has; None for a plan
    unmodelled: Mapping[str, Any] = field(default_factory=dict)  # members no model reads, as compared
    nested_path: str = ""  # ``Network/Subnets``: a nested change set linked to its parent in the run
    unlinked: str = ""  # why a change set named as a nested child is not linked to its parent
    children_given: frozenset[int] = frozenset()  # its stack changes whose nested change set is in the run
    declared: tuple[Declared | None, ...] = ()  # by change: what the product's templates declare of it

    @property
    def kind(self) -> InputKind:
        return InputKind.PLAN if self.change_set is None else InputKind.CHANGE_SET


_READ_NOTHING = Reading()


class ProvisioningParameter(Shape):
    """A provisioning parameter. Its value may be a secret and is held as one."""

    key: str | None = Field(None, alias="Key")
    value: SecretStr | None = Field(None, alias="Value")
    use_previous_value: bool | None = Field(None, alias="UsePreviousValue")


class PlanDetails(Shape):
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
    notification_arns: Annotated[tuple[str, ...], BeforeValidator(list_or_empty)] = Field((), alias="NotificationArns")
    provisioning_parameters: Annotated[tuple[ProvisioningParameter, ...], BeforeValidator(list_or_empty)] = Field(
        (), alias="ProvisioningParameters"
    )
    tags: Annotated[tuple[Tag, ...], BeforeValidator(list_or_empty)] = Field((), alias="Tags")
    status_message: str | None = Field(None, alias="StatusMessage")


class Plan(Shape):
    """A provisioned product plan: its details and every resource change seen.

    A plan read from several pages is one ``Plan`` whose ``next_page_token`` is that of
    the last page: when it is set, changes exist that planlint has not seen.
    """

    details: PlanDetails = Field(alias="ProvisionedProductPlanDetails")
    changes: Annotated[tuple[ResourceChange, ...], BeforeValidator(list_or_empty)] = Field((), alias="ResourceChanges")
    next_page_token: str | None = Field(None, alias="NextPageToken")

    _reading: Reading = PrivateAttr(_READ_NOTHING)

    # A plan is built whole: validated (``model_validate``, or :meth:`built` from parts already
    # valid) with its ``Reading`` in the validation context, its changes bound while they are
    # validated. Nothing is set on it or on its changes afterwards.

    @field_validator("changes")
    @classmethod
    def _bind_changes(cls, changes: tuple[ResourceChange, ...], info: ValidationInfo) -> tuple[ResourceChange, ...]:
        context = info.context if isinstance(info.context, dict) else {}
        if context.get("bound"):
            return changes
        details = info.data.get("details")
        return bind(
            changes,
            details if isinstance(details, PlanDetails) else None,
            context.get("reading", _READ_NOTHING),
            context.get("sources", ()),
        )

    def model_post_init(self, context: Any) -> None:
        if isinstance(context, dict) and "reading" in context:
            self._reading = context["reading"]

    @classmethod
    def built(
        cls,
        details: PlanDetails,
        changes: Sequence[ResourceChange],
        next_page_token: str | None,
        reading: Reading,
        *,
        bound: bool = False,
    ) -> Plan:
        """A plan from parts already valid, finished: its changes bound to it and to ``reading``
        (``bound``: they already are, as a masked copy of a plan keeps them)."""
        parts = {
            "ProvisionedProductPlanDetails": details,
            "ResourceChanges": tuple(changes),
            "NextPageToken": next_page_token,
        }
        return cls.model_validate(parts, context={"reading": reading, "bound": bound})

    def with_reading(self, **changes: Any) -> Plan:
        """This plan, built again with its ``Reading`` changed by ``changes`` (``nested_path=...``)."""
        return Plan.built(self.details, self.changes, self.next_page_token, replace(self._reading, **changes))

    @property
    def reading(self) -> Reading:
        """What the plan knows beyond AWS's members (see :class:`Reading`)."""
        return self._reading

    @classmethod
    def page(cls, value: dict[str, Any], source: Location, change_lines: Sequence[int]) -> Plan:
        """One page of a plan, validated from its decoded JSON ``value``, that knows where it was read:
        ``source`` is where its details start, ``change_lines`` where each change starts. A page is a
        plan of its own; :meth:`merged` makes one of several. Raises pydantic's ``ValidationError``."""
        details = value.get("ProvisionedProductPlanDetails")
        reading = Reading(
            source=source,
            changes_listed=value.get("ResourceChanges") is not None,
            unmodelled={
                **unmodelled(value, cls),
                **(
                    unmodelled(details, PlanDetails, "ProvisionedProductPlanDetails.")
                    if isinstance(details, dict)
                    else {}
                ),
            },
        )
        sources = [Location(source.path, line, source.origin) for line in change_lines]
        return cls.model_validate(value, context={"reading": reading, "sources": sources})

    @classmethod
    def from_change_set(
        cls, value: dict[str, Any], source: Location, change_lines: Sequence[int], listed: bool = True
    ) -> Plan:
        """One page of a change set (a DescribeChangeSet response, decoded) as a plan of kind
        ``change set``; ``listed`` is False when the page has no ``Changes`` list. A plan of its own,
        as :meth:`page`. Raises pydantic's ``ValidationError``."""
        page = ChangeSetPage.model_validate(value)
        details = PlanDetails.model_construct(
            plan_name=page.change_set_name,
            plan_id=page.change_set_id,
            provisioned_product_id=page.stack_id,
            provisioned_product_name=page.stack_name,
            created_time=page.creation_time,
            status=None,
            status_message=page.status_reason,
            notification_arns=page.notification_arns,
            provisioning_parameters=tuple(
                ProvisioningParameter.model_construct(key=p.key, value=p.value, use_previous_value=p.use_previous_value)
                for p in page.parameters
            ),
            tags=page.tags,
            **{
                name: None
                for name in ("path_id", "product_id", "plan_type", "provisioning_artifact_id", "updated_time")
            },
        )
        # a Change without a ResourceChange is one planlint cannot see: kept, and read as the riskiest
        changes = tuple(c.resource_change or ResourceChange.model_validate({}) for c in page.changes)
        reading = Reading(
            source=source, changes_listed=listed, change_set=page.details(), unmodelled=unmodelled(value, ChangeSetPage)
        )
        sources = [Location(source.path, line, source.origin) for line in change_lines]
        parts = {"ProvisionedProductPlanDetails": details, "ResourceChanges": changes, "NextPageToken": page.next_token}
        return cls.model_validate(parts, context={"reading": reading, "sources": sources})

    @classmethod
    def merged(cls, pages: Sequence[Plan], changes: Sequence[ResourceChange]) -> Plan:
        """One plan from its pages, in order: the first page's details, every page's ``changes``,
        the last page's token. A single page is returned as it is."""
        first = pages[0]
        if len(pages) == 1:
            return first
        reading = replace(first._reading, pages=len(pages), changes_listed=any(p.changes_listed for p in pages))
        return cls.built(first.details, changes, pages[-1].next_page_token, reading)

    def disagreement(self, other: Plan) -> tuple[str, str, str] | None:
        """Where this page and ``other``, pages of one plan (or change set), describe it differently:
        the AWS name of the first detail that differs and each page's value of it (``""`` when it is
        not one to show: parameter values are secrets, and lists and free text would not fit one
        line), or None. AWS repeats every detail on every page — DescribeProvisionedProductPlan its
        ``ProvisionedProductPlanDetails``, DescribeChangeSet everything but ``Changes`` and
        ``NextToken`` — so pages that differ were read from a plan that changed in between, or
        from different plans. Details are compared as read: absent, null and (for a list) empty
        are one, as every rule reads them, while a value on one page and none on the other differ.
        Members no model reads (``RollbackConfiguration``, one AWS adds later) are compared too, as
        written (see :func:`unmodelled`), and never shown."""
        if self._reading.change_set is not None and other._reading.change_set is not None:
            mine: Shape = self._reading.change_set
            theirs: Shape = other._reading.change_set
            prefix = ""
        else:
            mine, theirs, prefix = self.details, other.details, "ProvisionedProductPlanDetails."
        differs = difference(mine, theirs)
        if differs is not None:
            return prefix + differs[0], differs[1], differs[2]
        return unmodelled_difference(self._reading.unmodelled, other._reading.unmodelled)

    @property
    def source(self) -> Location | None:
        """Where the plan details object starts in the (first) file the plan was read from."""
        return self._reading.source

    @property
    def pages(self) -> int:
        return self._reading.pages

    @property
    def kind(self) -> InputKind:
        """A Service Catalog plan, or a CloudFormation change set."""
        return self._reading.kind

    @property
    def unlinked(self) -> str:
        """Why a change set that names, or is named by, another in the run as its nested child is not
        linked to it (their ids do not agree); empty otherwise."""
        return self._reading.unlinked

    @property
    def nested_path(self) -> str:
        """``Network/Subnets`` for a nested change set linked to its parent in the run; empty otherwise."""
        return self._reading.nested_path

    @property
    def noun(self) -> str:
        """``plan`` or ``change set``, for a message."""
        return str(self.kind)

    @property
    def status_text(self) -> str:
        """``CREATE_SUCCESS``; a change set: ``CREATE_COMPLETE, AVAILABLE``; or ``no status``."""
        if self._reading.change_set is None:
            return str(self.details.status) if self.details.status is not None else "no status"
        statuses = (self._reading.change_set.status, self._reading.change_set.execution_status)
        return ", ".join(str(s) for s in statuses if s is not None) or "no status"

    @property
    def change_set(self) -> ChangeSetDetails | None:
        """What only a change set has (its status, execution status, stack, parents); None for a plan."""
        return self._reading.change_set

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
        return self._reading.changes_listed

    @property
    def label(self) -> str:
        """``orders-release-42 for orders-prod``; a change set: ``release-42 for stack orders``."""
        unnamed = "(unnamed plan)" if self.kind is InputKind.PLAN else "(unnamed change set)"
        name = self.details.plan_name or self.details.plan_id or unnamed
        product = self.details.provisioned_product_name or self.details.provisioned_product_id
        if self.kind is InputKind.CHANGE_SET:
            nested = f" (nested as {self._reading.nested_path})" if self._reading.nested_path else ""
            return (f"{name} for stack {product}" if product else name) + nested
        return f"{name} for {product}" if product else name

    @property
    def tags(self) -> dict[str, str]:
        return {t.key: t.value for t in self.details.tags}

    def finding(self, message: str, severity: Severity | None = None, subject: str | None = None) -> Finding:
        """A finding on the plan as a whole (no resource); ``subject`` tells several apart."""
        return Finding(
            message=message, severity=severity, subject=subject, plan_id=self.plan_id, location=self._reading.source
        )


def bind(
    changes: Sequence[ResourceChange],
    details: PlanDetails | None,
    reading: Reading,
    sources: Sequence[Location] = (),
) -> tuple[ResourceChange, ...]:
    """The changes of a plan with these ``details`` and ``reading``, each bound to it: the names it
    can refer to, its plan's id and kind, whether it touches only tags or metadata (see
    ``cosmetic``), its place in a nested change set, what the templates declare of it, and where it
    was read (``sources``, by change; else where it was read before)."""
    parameters = details.provisioning_parameters if details is not None else ()
    names = Names(
        parameters=frozenset(p.key for p in parameters if p.key),
        resources=frozenset(c.logical_resource_id for c in changes if c.logical_resource_id),
    )
    plan_id = details.plan_id if details is not None else None
    only_tags = cosmetic(changes)
    prefix = f"{reading.nested_path}/" if reading.nested_path else ""
    declared = reading.declared
    return tuple(
        change.bound(
            Binding(
                names,
                plan_id,
                reading.kind,
                i in only_tags,
                prefix,
                i in reading.children_given,
                declared[i] if i < len(declared) else None,
                sources[i] if i < len(sources) else change.source,
                i,
            )
        )
        for i, change in enumerate(changes)
    )


def _shown(value: object) -> str:
    """A status, flag or time of a plan's details as a report shows it."""
    if value is None:
        return "none"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).lower()


def difference(mine: Shape, theirs: Shape) -> tuple[str, str, str] | None:
    """The AWS name of the first member on which two details of one shape differ, and each one's
    value when it is one to show (a status, flag or time; ``""`` otherwise), or None."""
    for name, info in type(mine).model_fields.items():
        a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            shown = all(v is None or isinstance(v, (Enum, bool, datetime)) for v in (a, b))
            return info.alias or name, _shown(a) if shown else "", _shown(b) if shown else ""
    return None


# what is not a detail of the plan or change set: its changes, the page tokens, the HTTP answer's
_NOT_DETAILS = frozenset({"ResourceChanges", "Changes", "NextPageToken", "NextToken", "ResponseMetadata"})


def unmodelled(value: Mapping[str, Any], shape: type[Shape], prefix: str = "") -> dict[str, Any]:
    """The members of a decoded page (or its details object) that ``shape`` does not model, by
    their AWS name after ``prefix``, as compared: absent, null and an empty list or object are one
    (at every level), so an empty ``RollbackConfiguration`` is none. The changes, the page tokens
    and ``ResponseMetadata`` are no detail."""
    known = {info.alias or name for name, info in shape.model_fields.items()} | _NOT_DETAILS
    found = {prefix + str(key): _plain(member) for key, member in value.items() if key not in known}
    return {key: member for key, member in found.items() if member is not None}


def unmodelled_difference(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """The first member of :func:`unmodelled` on which two pages differ, with no value shown (it
    may be anything, a secret too), or None."""
    for key in sorted({*mine, *theirs}):
        if mine.get(key) != theirs.get(key):
            return key, "", ""
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        members = {key: _plain(member) for key, member in value.items()}
        return {key: member for key, member in members.items() if member is not None} or None
    if isinstance(value, list):
        return [_plain(item) for item in value] or None
    return value
