"""One resource change of a plan or a change set and what it means: removed, replaced for certain
or possibly, what CloudFormation's policies do with it, its causes, and a finding on it.

Both APIs share the shape (change sets add members: ``PolicyAction``, property values, contexts,
nested change sets, modules, drift); a change knows which kind of document it came from, because
some values exist in only one of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from planlint.model.causes import Cause, Names, merge
from planlint.model.declared import Declared
from planlint.model.details import ModuleInfo, ResourceChangeDetail
from planlint.model.enums import (
    Action,
    Attribute,
    Evaluation,
    InputKind,
    OpenEnum,
    PolicyAction,
    Replacement,
    RequiresRecreation,
)
from planlint.model.findings import Finding, Location, Severity
from planlint.model.shapes import Shape, blank_is_none, json_text, list_or_empty


@dataclass(frozen=True)
class Binding:
    """What a change knows of the plan it belongs to and of where it was read: given whole when the
    plan builds its changes (see ``Plan``), never changed afterwards."""

    names: Names = Names()  # what a causing entity can refer to
    plan_id: str | None = None
    kind: InputKind = InputKind.PLAN
    only_tags: bool = False  # it touches only tags or metadata (see ``cosmetic``)
    prefix: str = ""  # the stacks above it in a nested change set: ``Network/``
    child_given: bool = False  # a nested stack whose own change set is in the run
    declared: Declared | None = None  # what the product's templates declare of it (see ``planlint.read.declare``)
    source: Location | None = None  # where its object starts in the file it was read from
    # its place among its plan's changes, which a copy of the plan (a masked one) finds it by; not part
    # of what it is: the same change in another place is equal to it
    index: int = field(default=0, compare=False)


UNBOUND = Binding()
# the PolicyAction values CloudFormation sends on a removal, and on a replacement
_REMOVAL_POLICIES = (PolicyAction.DELETE, PolicyAction.RETAIN, PolicyAction.SNAPSHOT)
_REPLACEMENT_POLICIES = (PolicyAction.REPLACEANDDELETE, PolicyAction.REPLACEANDRETAIN, PolicyAction.REPLACEANDSNAPSHOT)


class ResourceChange(Shape):
    """One resource change of the plan, with the helpers a rule author wants."""

    action: Annotated[Action | None, BeforeValidator(blank_is_none)] = Field(None, alias="Action")
    logical_resource_id: str | None = Field(None, alias="LogicalResourceId")
    physical_resource_id: str | None = Field(None, alias="PhysicalResourceId")
    resource_type: str | None = Field(None, alias="ResourceType")
    replacement: Annotated[Replacement | None, BeforeValidator(blank_is_none)] = Field(None, alias="Replacement")
    scope: Annotated[tuple[Attribute, ...], BeforeValidator(list_or_empty)] = Field((), alias="Scope")
    details: Annotated[tuple[ResourceChangeDetail, ...], BeforeValidator(list_or_empty)] = Field((), alias="Details")
    # change sets only
    policy_action: Annotated[PolicyAction | None, BeforeValidator(blank_is_none)] = Field(None, alias="PolicyAction")
    change_set_id: str | None = Field(None, alias="ChangeSetId")
    module_info: ModuleInfo | None = Field(None, alias="ModuleInfo")
    before_context: Annotated[str | None, BeforeValidator(json_text)] = Field(None, alias="BeforeContext")
    after_context: Annotated[str | None, BeforeValidator(json_text)] = Field(None, alias="AfterContext")
    previous_deployment_context: Annotated[str | None, BeforeValidator(json_text)] = Field(
        None, alias="PreviousDeploymentContext"
    )
    resource_drift_status: str | None = Field(None, alias="ResourceDriftStatus")
    resource_drift_ignored_attributes: Annotated[tuple[dict[str, Any], ...], BeforeValidator(list_or_empty)] = Field(
        (), alias="ResourceDriftIgnoredAttributes"
    )

    # What its plan binds it to lives in pydantic's private slot, but is not declared as a private
    # attribute: pydantic would run Python code for every change it validates to set its default.
    # A change validated alone is unbound; its plan builds a bound copy (see ``bound``).

    def bound(self, binding: Binding, update: Mapping[str, Any] | None = None) -> ResourceChange:
        """A new change with this one's fields (those in ``update`` replaced: values of the same
        types, already valid) that knows ``binding``; nothing it worked out from its old binding
        comes with it."""
        fields = type(self).model_fields
        copy = type(self).__new__(type(self))
        own = self.__dict__  # its fields, and what it has worked out (cached properties), which stays behind
        values = dict(own) if len(own) == len(fields) else {name: own[name] for name in fields}
        if update:
            values.update(update)
        object.__setattr__(copy, "__dict__", values)
        object.__setattr__(copy, "__pydantic_fields_set__", set(self.model_fields_set))
        object.__setattr__(copy, "__pydantic_extra__", None)
        object.__setattr__(copy, "__pydantic_private__", {"_binding": binding})
        return copy

    @property
    def binding(self) -> Binding:
        """What this change knows of its plan (unbound, the default, when validated on its own)."""
        return self._bound()

    @property
    def kind(self) -> InputKind:
        """Whether this change came from a Service Catalog plan or a CloudFormation change set."""
        return self._bound().kind

    def knows(self, value: OpenEnum | None) -> bool:
        """``value`` is one the API of this change's document has (None is not a value)."""
        return value is not None and value.known_in(self._bound().kind)

    def context(self, which: str = "after") -> dict[str, Any] | None:
        """``BeforeContext`` or ``AfterContext`` (``which``: ``before`` or ``after``) parsed: the
        resource as CloudFormation sees it before or after the change. None when absent or unreadable."""
        text = self.before_context if which == "before" else self.after_context
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    @property
    def source(self) -> Location | None:
        """Where this change's object starts in the file it was read from."""
        return self._bound().source

    @property
    def path(self) -> str:
        """The logical id, prefixed in a nested change set by the stacks above it: ``Network/FlowLogs``."""
        return self._bound().prefix + (self.logical_resource_id or "")

    @property
    def nested_change_set_given(self) -> bool:
        """A nested stack whose own change set is part of the run (see ``nesting``)."""
        return self._bound().child_given

    @property
    def label(self) -> str:
        """``OrdersDatabase (AWS::RDS::DBInstance)``; nested: ``Network/FlowLogs (AWS::S3::Bucket)``."""
        return f"{self.path or '(no logical id)'} ({self.resource_type or 'unknown type'})"

    @property
    def is_add(self) -> bool:
        return self.action == Action.ADD

    @property
    def is_modify(self) -> bool:
        return self.action == Action.MODIFY

    @cached_property
    def is_removal(self) -> bool:
        """REMOVE; a change set's DYNAMIC (the action is decided only when it runs); or an action
        that is missing or unknown to planlint (read as the riskiest: a removal)."""
        return self.action in (None, Action.REMOVE, Action.DYNAMIC) or not self.knows(self.action)

    @property
    def only_tags_or_metadata(self) -> bool:
        """A MODIFY that changes only tags or metadata: no security or data change (see ``cosmetic``)."""
        return self._bound().only_tags

    @property
    def is_import(self) -> bool:
        """IMPORT (change sets): an existing resource comes under the stack; nothing is created or deleted."""
        return self.action == Action.IMPORT and self.knows(self.action)

    @property
    def retained(self) -> bool:
        """CloudFormation keeps the resource it removes or replaces (``PolicyAction`` RETAIN or
        REPLACEANDRETAIN) — unless that value does not fit the action (see ``policy_misfit``)."""
        return self.policy_action in (PolicyAction.RETAIN, PolicyAction.REPLACEANDRETAIN) and not self.policy_misfit

    @property
    def snapshotted(self) -> bool:
        """CloudFormation snapshots the resource before it deletes it (``PolicyAction`` SNAPSHOT or
        REPLACEANDSNAPSHOT) — unless that value does not fit the action (see ``policy_misfit``). Whether the
        type can be snapshotted at all is a resource fact (``ResourceFacts.can_snapshot``)."""
        return self.policy_action in (PolicyAction.SNAPSHOT, PolicyAction.REPLACEANDSNAPSHOT) and not self.policy_misfit

    @cached_property
    def policy_misfit(self) -> str | None:
        """Why the ``PolicyAction`` does not fit the action, so it is read as the riskiest (a deletion):
        CloudFormation sends ``ReplaceAnd…`` only on a replacement and ``Delete``, ``Retain`` or ``Snapshot``
        only on a removal. A CONDITIONAL replacement and a DYNAMIC or unknown action fit either.
        None when it fits, or when there is no PolicyAction planlint knows."""
        policy = self.policy_action
        if policy is None or not self.knows(policy):
            return None
        if self.action == Action.REMOVE and policy in _REPLACEMENT_POLICIES:
            return f"PolicyAction {policy} is one CloudFormation sends only on a replacement, not on a REMOVE"
        if self.replaces_certainly and self.action == Action.MODIFY and policy in _REMOVAL_POLICIES:
            return f"PolicyAction {policy} is one CloudFormation sends only on a removal, not on a replacement"
        return None

    @property
    def _can_be_replaced(self) -> bool:
        """An ADD or a REMOVE is never a replacement, whatever ``Replacement`` says (AWS has sent "True" on
        ADDs); neither is an IMPORT or a SYNCWITHACTUAL."""
        return self.action not in (Action.ADD, Action.REMOVE, Action.IMPORT, Action.SYNCWITHACTUAL)

    @cached_property
    def replaces_certainly(self) -> bool:
        """Replacement TRUE; also an unknown value, none at all on a MODIFY, or FALSE contradicted by
        a detail that forces recreation (the riskiest reading)."""
        if not self._can_be_replaced:
            return False
        if self.replacement is None:
            return self.action == Action.MODIFY
        if self.replacement == Replacement.FALSE:
            return self.replacement_contradiction is not None
        return self.replacement == Replacement.TRUE or not self.knows(self.replacement)

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

    @cached_property
    def replaces(self) -> bool:
        """Replaced certainly or possibly: its physical id may change."""
        return self.replaces_certainly or self.replaces_possibly

    @cached_property
    def causes(self) -> tuple[Cause, ...]:
        """The details merged into one cause per (attribute, property)."""
        return merge(self.details, self._bound().names)

    @property
    def recreation_causes(self) -> tuple[Cause, ...]:
        """Causes that may force recreation, the riskiest first."""
        from planlint.model.causes import recreation_risk

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

    def _bound(self) -> Binding:
        # the private dict, not pydantic's attribute lookup: rules read this for every change
        private = self.__pydantic_private__
        if private is None:
            return UNBOUND
        binding: Binding = private["_binding"]
        return binding

    @property
    def declared(self) -> Declared | None:
        """What the product's templates declare of this resource; None when no template was given."""
        return self._bound().declared

    def finding(self, message: str, severity: Severity | None = None, subject: str | None = None) -> Finding:
        """A finding on this change; ``severity`` overrides the rule's default."""
        return Finding(
            message=message,
            severity=severity,
            subject=subject,
            plan_id=self._bound().plan_id,
            logical_id=self.path,
            resource_type=self.resource_type,
            action=self.action.value if self.action is not None else None,
            location=self.source,
            change=self,
            template_location=self.declared.location if self.declared else None,
        )
