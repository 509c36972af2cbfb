"""Why a resource changes: the details of a change merged into readable causes.

CloudFormation reports a parameter-driven property change as two details for the same
property: one DYNAMIC without a causing entity and one STATIC naming the parameter.
A person wants one cause ("property X requires recreation (ALWAYS), caused by parameter
P"), so details are grouped by (attribute, property name) in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planlint.enums import Attribute, Evaluation, RequiresRecreation

if TYPE_CHECKING:
    from planlint.model import ResourceChangeDetail

_ATTRIBUTE_WORDS = {
    Attribute.PROPERTIES: "properties",
    Attribute.METADATA: "metadata",
    Attribute.CREATIONPOLICY: "creation policy",
    Attribute.UPDATEPOLICY: "update policy",
    Attribute.DELETIONPOLICY: "deletion policy",
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


@dataclass(frozen=True)
class Cause:
    """One reason a resource changes: an attribute (and property), how, and because of what."""

    attribute: Attribute | None
    name: str | None
    requires_recreation: RequiresRecreation | None
    evaluations: tuple[Evaluation, ...]
    entities: tuple[Entity, ...]

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

    @property
    def text(self) -> str:
        """``property StorageEncrypted requires recreation (ALWAYS), caused by parameter P``."""
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
    evaluations: list[Evaluation] = []
    entities: list[Entity] = []
    for detail in group:
        target = detail.target
        value = target.requires_recreation if target else None
        if recreation_risk(value) > recreation_risk(recreation):
            recreation = value
        if detail.evaluation is not None and detail.evaluation not in evaluations:
            evaluations.append(detail.evaluation)
        if detail.causing_entity:
            entity = classify(detail.causing_entity, names)
            if entity not in entities:
                entities.append(entity)
    return Cause(
        attribute=first.attribute if first else None,
        name=first.name if first else None,
        requires_recreation=recreation,
        evaluations=tuple(evaluations),
        entities=tuple(entities),
    )
