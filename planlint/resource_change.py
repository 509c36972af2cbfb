"""One resource change of a plan and what it means: replaced for certain or possibly, its causes,
and a finding on it."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import BeforeValidator, Field, PrivateAttr

from planlint.causes import Cause, Names, merge
from planlint.enums import Action, Attribute, Evaluation, Replacement, RequiresRecreation
from planlint.findings import Finding, Location, Severity
from planlint.shapes import Shape, list_or_empty

_NO_NAMES = Names()


class ResourceTargetDefinition(Shape):
    attribute: Attribute | None = Field(None, alias="Attribute")
    name: str | None = Field(None, alias="Name")
    requires_recreation: RequiresRecreation | None = Field(None, alias="RequiresRecreation")


class ResourceChangeDetail(Shape):
    target: ResourceTargetDefinition | None = Field(None, alias="Target")
    evaluation: Evaluation | None = Field(None, alias="Evaluation")
    causing_entity: str | None = Field(None, alias="CausingEntity")


class ResourceChange(Shape):
    """One resource change of the plan, with the helpers a rule author wants."""

    action: Action | None = Field(None, alias="Action")
    logical_resource_id: str | None = Field(None, alias="LogicalResourceId")
    physical_resource_id: str | None = Field(None, alias="PhysicalResourceId")
    resource_type: str | None = Field(None, alias="ResourceType")
    replacement: Replacement | None = Field(None, alias="Replacement")
    scope: Annotated[tuple[Attribute, ...], BeforeValidator(list_or_empty)] = Field((), alias="Scope")
    details: Annotated[tuple[ResourceChangeDetail, ...], BeforeValidator(list_or_empty)] = Field((), alias="Details")

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

    def _place(self, source: Location) -> None:
        """Where this change's object starts: set once, by the plan that read it."""
        self._private()["_source"] = source

    def _bind(self, names: Names, plan_id: str | None) -> None:
        """The names this change can refer to and its plan's id: set by the plan it belongs to."""
        private = self._private()
        private["_names"], private["_plan_id"] = names, plan_id
        for cached in ("causes", "replacement_contradiction"):
            self.__dict__.pop(cached, None)

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
