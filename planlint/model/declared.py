"""What a product's templates declare of a resource that a plan does not say: its deletion and
update-replace policies, and where. A value the reading of templates makes (``planlint.read.declare``)."""

from __future__ import annotations

from dataclasses import dataclass

from planlint.model.findings import Location

RETAINING_POLICIES = ("Retain", "RetainExceptOnCreate")  # the DeletionPolicy values that keep a removed resource


@dataclass(frozen=True)
class Declared:
    """What the product's templates declare of one change's resource: the ``DeletionPolicy`` that
    applies to it (the previous template's for a removal, else the new one's), the previous one, the
    new ``UpdateReplacePolicy``, and the line to point at (the previous template's for a removal).
    A policy is None when the template declares none (CloudFormation's default: Delete)."""

    deletion_policy: str | None
    previous_deletion_policy: str | None
    update_replace_policy: str | None
    location: Location
    previous_known: bool = False  # a previous template was given, so ``previous_deletion_policy`` is known
