"""The enumerations of the plan API, open to values AWS adds later.

AWS grows enums over time. A value planlint does not know is kept verbatim as a
pseudo-member (``member.known`` is False) instead of failing validation, so the
``unknown-value`` rule can report it and the derived helpers can read it as the
riskiest possibility.
"""

from __future__ import annotations

from enum import Enum


class OpenEnum(str, Enum):
    """A string enum that keeps unknown values instead of rejecting them."""

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str.__str__(self)


class PlanStatus(OpenEnum):
    CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
    CREATE_SUCCESS = "CREATE_SUCCESS"
    CREATE_FAILED = "CREATE_FAILED"
    EXECUTE_IN_PROGRESS = "EXECUTE_IN_PROGRESS"
    EXECUTE_SUCCESS = "EXECUTE_SUCCESS"
    EXECUTE_FAILED = "EXECUTE_FAILED"


class PlanType(OpenEnum):
    CLOUDFORMATION = "CLOUDFORMATION"


class Action(OpenEnum):
    ADD = "ADD"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


class Replacement(OpenEnum):
    TRUE = "TRUE"
    FALSE = "FALSE"
    CONDITIONAL = "CONDITIONAL"


class Attribute(OpenEnum):
    PROPERTIES = "PROPERTIES"
    METADATA = "METADATA"
    CREATIONPOLICY = "CREATIONPOLICY"
    UPDATEPOLICY = "UPDATEPOLICY"
    DELETIONPOLICY = "DELETIONPOLICY"
    TAGS = "TAGS"


class RequiresRecreation(OpenEnum):
    NEVER = "NEVER"
    CONDITIONALLY = "CONDITIONALLY"
    ALWAYS = "ALWAYS"


class Evaluation(OpenEnum):
    STATIC = "STATIC"
    DYNAMIC = "DYNAMIC"
