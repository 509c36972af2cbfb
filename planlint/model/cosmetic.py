"""Which changes touch only tags or metadata: no security or data change, in a plan or a change set.

A change is cosmetic when it is a MODIFY that replaces nothing and every detail is one of:
the ``Tags`` or ``Metadata`` attribute, the ``Tags`` property, or a re-evaluation (DYNAMIC,
never recreating) of a value taken from another resource that is itself unchanged or changed
only cosmetically — CloudFormation lists a secret's ``KmsKeyId`` as re-evaluated when only the
key's tags change, though the key's ARN stays what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planlint.model.enums import Action, Attribute, Evaluation, RequiresRecreation

if TYPE_CHECKING:
    from planlint.model.details import ResourceChangeDetail
    from planlint.model.resource_change import ResourceChange

_COSMETIC_SCOPE = frozenset({Attribute.TAGS, Attribute.METADATA, Attribute.PROPERTIES})


def cosmetic(changes: Sequence[ResourceChange]) -> frozenset[int]:
    """The positions in ``changes`` of the changes that touch only tags or metadata."""
    by_id = {c.logical_resource_id: i for i, c in enumerate(changes) if c.logical_resource_id}
    found = {i for i, change in enumerate(changes) if _candidate(change)}
    while True:  # drop a change whose re-evaluated value comes from a change that is not cosmetic
        dropped = {
            i
            for i in found
            if any(
                (source := by_id.get(_resource_of(d))) is not None and source not in found
                for d in changes[i].details
                if _borrowed(d)
            )
        }
        if not dropped:
            return frozenset(found)
        found -= dropped


def _candidate(change: ResourceChange) -> bool:
    if change.action != Action.MODIFY or change.replaces or not change.scope:
        return False
    if not set(change.scope) <= _COSMETIC_SCOPE:
        return False
    if not change.details:
        return Attribute.PROPERTIES not in change.scope
    return all(_tags_or_metadata(d) or _borrowed(d) for d in change.details)


def _tags_or_metadata(detail: ResourceChangeDetail) -> bool:
    target = detail.target
    if target is None:
        return False
    if target.attribute in (Attribute.TAGS, Attribute.METADATA):
        return True
    return target.attribute == Attribute.PROPERTIES and target.name == "Tags"


def _borrowed(detail: ResourceChangeDetail) -> bool:
    """A value re-evaluated from another resource, that cannot force a replacement."""
    target = detail.target
    return (
        detail.evaluation == Evaluation.DYNAMIC
        and bool(detail.causing_entity)
        and target is not None
        and target.requires_recreation == RequiresRecreation.NEVER
    )


def _resource_of(detail: ResourceChangeDetail) -> str:
    return (detail.causing_entity or "").split(".", 1)[0]
