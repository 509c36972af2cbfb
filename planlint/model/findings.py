"""What a rule produces: findings with a severity and a target."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planlint.model.resource_change import ResourceChange


class Severity(str, Enum):
    """How much a finding matters; ordered note < warning < error."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class FailOn(str, Enum):
    """The lowest severity that fails the gate."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NEVER = "never"

    def fails(self, severity: Severity) -> bool:
        return self is not FailOn.NEVER and severity.rank >= Severity(self.value).rank


@dataclass(frozen=True)
class Location:
    """A line in a source (1-based): a file, stdin, or a plan fetched from AWS and not saved.
    Only a ``file`` is a place a code host can show."""

    path: str
    line: int
    origin: str = "file"  # "file" | "stdin" | "fetched"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Waived:
    """The waiver that keeps a finding from failing the gate."""

    reason: str
    expires: date
    where: str

    def __str__(self) -> str:
        return f"waived until {self.expires.isoformat()} ({self.where}): {self.reason}"


@dataclass(frozen=True)
class Finding:
    """One problem a rule found, on the plan as a whole or on one resource change.

    Rules build findings with ``change.finding(...)`` or ``plan.finding(...)``; the
    engine fills in the rule's identity and the effective severity. ``subject`` names what
    within the target the finding is about (a parameter, a tag key) when a rule can report
    the same target more than once; it keeps report names and fingerprints apart.
    """

    message: str
    severity: Severity | None = None
    plan_id: str | None = None
    logical_id: str | None = None
    resource_type: str | None = None
    action: str | None = None
    location: Location | None = None
    subject: str | None = None
    rule_code: str = ""
    rule_name: str = ""
    waived: Waived | None = None
    change: ResourceChange | None = field(default=None, compare=False, repr=False)
    # the line of the resource (or its property) in the product's template, when one was given
    template_location: Location | None = None

    def stamped(self, **changes: object) -> Finding:
        """A copy with ``changes``: what ``dataclasses.replace`` does, without calling ``__init__``
        again (the engine and the masker stamp every finding, and a plan can have thousands)."""
        copy = object.__new__(Finding)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @property
    def is_plan_level(self) -> bool:
        return self.logical_id is None

    @property
    def level(self) -> Severity:
        """The severity the engine gave it: every finding a reporter sees has one."""
        if self.severity is None:
            raise ValueError(f"finding {self.rule_code or '?'} has no severity: it did not come through the engine")
        return self.severity
