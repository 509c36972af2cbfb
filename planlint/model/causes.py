"""Why a resource changes: the details of a change merged into readable causes.

CloudFormation reports a parameter-driven property change as two details for the same
property: one DYNAMIC without a causing entity and one STATIC naming the parameter.
A person wants one cause ("property X requires recreation (ALWAYS), caused by parameter
P"), so details are grouped by (attribute, property name) in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from planlint.model.enums import Attribute, Evaluation, RequiresRecreation
from planlint.support.safetext import clean
from planlint.support.secrecy import looks_secret

if TYPE_CHECKING:
    from planlint.model.details import ResourceChangeDetail

_ATTRIBUTE_WORDS = {
    Attribute.PROPERTIES: "properties",
    Attribute.METADATA: "metadata",
    Attribute.CREATIONPOLICY: "creation policy",
    Attribute.UPDATEPOLICY: "update policy",
    Attribute.DELETIONPOLICY: "deletion policy",
    Attribute.UPDATEREPLACEPOLICY: "update replace policy",
    Attribute.TAGS: "tags",
}

_RECREATION_RISK = {
    RequiresRecreation.NEVER: 1,
    RequiresRecreation.CONDITIONALLY: 2,
    RequiresRecreation.ALWAYS: 3,
}


def recreation_risk(value: RequiresRecreation | None) -> int:
    """Order RequiresRecreation values by risk; an unknown value ranks above ALWAYS."""
    if value is None:
        return 0
    return _RECREATION_RISK[value] if value.known else 4


@dataclass(frozen=True)
class Names:
    """Names in the plan that a causing entity can refer to."""

    parameters: frozenset[str] = frozenset()
    resources: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entity:
    """What caused a change: a parameter, a resource, a resource attribute, or unknown."""

    name: str
    kind: str  # "parameter" | "resource" | "attribute" | "entity"

    def __str__(self) -> str:
        return self.name if self.kind == "entity" else f"{self.kind} {self.name}"


KNOWN_AFTER_APPLY = "{{changeSet:KNOWN_AFTER_APPLY}}"
MAX_VALUES = 3  # paths whose values a cause's text shows
MAX_VALUE = 80  # characters of one value


@dataclass(frozen=True)
class Value:
    """A change set's property value before and after, at one path (``/Properties/Tags/1/Value``)
    of the property ``name`` (a change set may give either without the other)."""

    path: str | None
    before: str | None
    after: str | None
    name: str | None = None

    @cached_property
    def text(self) -> str:  # cached: every report says it, for each finding on the change
        """``orders-a → orders-b``; a value whose path or property name looks secret is not shown."""
        if looks_secret(self.path) or looks_secret(self.name):
            return "(values not shown: the name marks a secret)"
        return f"{_shown(self.before)} → {_shown(self.after)}"


def _shown(value: str | None) -> str:
    if value is None:
        return "(none)"
    if value == KNOWN_AFTER_APPLY:
        return "(known only when it runs)"
    return clean(value, MAX_VALUE)


@dataclass(frozen=True)
class Cause:
    """One reason a resource changes: an attribute (and property), how, because of what, and — in
    a change set described with its property values — from what to what."""

    attribute: Attribute | None
    name: str | None
    requires_recreation: RequiresRecreation | None
    evaluations: tuple[Evaluation, ...]
    entities: tuple[Entity, ...]
    values: tuple[Value, ...] = ()

    @property
    def recreates(self) -> bool:
        """True when this cause may force recreation (ALWAYS, CONDITIONALLY or unknown)."""
        return recreation_risk(self.requires_recreation) >= 2

    @property
    def always_recreates(self) -> bool:
        """True when recreation is certain if the value changes (ALWAYS, or unknown)."""
        return recreation_risk(self.requires_recreation) >= 3

    @property
    def subject(self) -> str:
        if self.name:
            return f"property {self.name}"
        if self.attribute is None:
            return "an unnamed attribute"
        return _ATTRIBUTE_WORDS.get(self.attribute, f"attribute {self.attribute.value}")

    @cached_property
    def text(self) -> str:  # cached: every report says it, for each finding on the change
        """``property StorageEncrypted requires recreation (ALWAYS), caused by parameter P``, and
        ``: false → true`` when the change set has the values."""
        return self._why + self._values

    @property
    def _why(self) -> str:
        if self.recreates:
            what = f"{self.subject} requires recreation ({self.requires_recreation})"
        else:
            what = f"{self.subject} {'change' if self.attribute == Attribute.TAGS and not self.name else 'changes'}"
        if self.entities:
            return f"{what}, caused by {' and '.join(str(e) for e in self.entities)}"
        if self.evaluations and all(e == Evaluation.DYNAMIC for e in self.evaluations):
            return f"{what}, value known only at execution"
        if Evaluation.STATIC in self.evaluations:
            return f"{what}, changed directly in the template"
        return what

    @property
    def _values(self) -> str:
        if not self.values:
            return ""
        if len(self.values) == 1 and (self.name is None or self.values[0].path in (None, f"/Properties/{self.name}")):
            return f": {self.values[0].text}"
        shown = "; ".join(f"{_path(v.path)}: {v.text}" for v in self.values[:MAX_VALUES])
        more = len(self.values) - MAX_VALUES
        return f": {shown}" + (f"; and {more} more" if more > 0 else "")


def _path(path: str | None) -> str:
    return (path or "?").removeprefix("/Properties/").removeprefix("/")


def classify(entity: str, names: Names) -> Entity:
    if entity in names.parameters:
        return Entity(entity, "parameter")
    if entity in names.resources:
        return Entity(entity, "resource")
    if "." in entity and entity.split(".", 1)[0] in names.resources:
        return Entity(entity, "attribute")
    return Entity(entity, "entity")


def merge(details: Iterable[ResourceChangeDetail], names: Names) -> tuple[Cause, ...]:
    """Group details by (attribute, property name) into causes, in order of first appearance."""
    groups: dict[tuple[str | None, str | None], list[ResourceChangeDetail]] = {}
    for detail in details:
        target = detail.target
        key = (
            target.attribute.value if target and target.attribute else None,
            target.name if target else None,
        )
        groups.setdefault(key, []).append(detail)
    return tuple(_cause(group, names) for group in groups.values())


def _cause(group: Sequence[ResourceChangeDetail], names: Names) -> Cause:
    first = group[0].target
    recreation: RequiresRecreation | None = None
    evaluations: dict[Evaluation, None] = {}  # dicts as ordered sets: a property may have thousands of details
    entities: dict[Entity, None] = {}
    values: dict[str | None, Value] = {}
    for detail in group:
        target = detail.target
        if target is not None and (target.before_value is not None or target.after_value is not None):
            values.setdefault(target.path, Value(target.path, target.before_value, target.after_value, target.name))
        value = target.requires_recreation if target else None
        if recreation_risk(value) > recreation_risk(recreation):
            recreation = value
        if detail.evaluation is not None:
            evaluations[detail.evaluation] = None
        if detail.causing_entity:
            entities[classify(detail.causing_entity, names)] = None
    return Cause(
        attribute=first.attribute if first else None,
        name=first.name if first else None,
        requires_recreation=recreation,
        evaluations=tuple(evaluations),
        entities=tuple(entities),
        values=tuple(values.values()),
    )
