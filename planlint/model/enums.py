"""The enumerations of the plan and change-set APIs, open to values AWS adds later.

Service Catalog writes ``REMOVE`` and ``TRUE`` where CloudFormation writes ``Remove`` and
``True``: members are named and valued in Service Catalog's capitals, and CloudFormation's
spelling of each (``CHANGE_SET_SPELLINGS``) is matched to it too. No other spelling is: a value
that only case-folds into a member (``remove``, or ``Retaın`` with a dotless ı, whose capital is
an ASCII I) is no value of either API. AWS grows enums over time. A value planlint does not know
is kept verbatim as a pseudo-member (``member.known`` is False) instead of failing validation,
so the ``unknown-value`` rule can report it and the derived helpers can read it as the riskiest
possibility. Some members exist only in the change-set API (``Import``, ``UpdateReplacePolicy``):
in a Service Catalog plan they are as unknown as any other value — ``known`` answers for plans,
``known_in(kind)`` for either kind.
"""

from __future__ import annotations

from enum import Enum


class OpenEnum(str, Enum):
    """A string enum that keeps unknown values instead of rejecting them."""

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        known = _BY_CHANGE_SET_SPELLING.get((cls, value))
        if known is not None:
            return known
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        member.__dict__.update(_in_plans=False, _in_change_sets=False)
        return member

    @property
    def known(self) -> bool:
        """A value of the Service Catalog plan API (the change-set API's own: ``known_in``)."""
        return self.known_in(InputKind.PLAN)

    def known_in(self, kind: InputKind) -> bool:
        """A value the API of ``kind`` has."""
        # set on every member below, and on each unknown value as it is read (rules ask this of
        # every value of every change)
        known: bool = self.__dict__["_in_change_sets" if kind is InputKind.CHANGE_SET else "_in_plans"]
        return known

    def __str__(self) -> str:
        return str.__str__(self)


class InputKind(str, Enum):
    """What a document is: a Service Catalog plan or a CloudFormation change set."""

    PLAN = "plan"
    CHANGE_SET = "change set"

    def __str__(self) -> str:
        return self.value


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
    IMPORT = "IMPORT"  # change sets: an existing resource brought under the stack
    DYNAMIC = "DYNAMIC"  # change sets: CloudFormation cannot tell the action before it runs
    SYNCWITHACTUAL = "SYNCWITHACTUAL"  # change sets: only CloudFormation's record of the resource changes


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
    UPDATEREPLACEPOLICY = "UPDATEREPLACEPOLICY"  # change sets
    TAGS = "TAGS"


class RequiresRecreation(OpenEnum):
    NEVER = "NEVER"
    CONDITIONALLY = "CONDITIONALLY"
    ALWAYS = "ALWAYS"


class Evaluation(OpenEnum):
    STATIC = "STATIC"
    DYNAMIC = "DYNAMIC"


class PolicyAction(OpenEnum):
    """What CloudFormation will do with a removed or replaced resource, its DeletionPolicy and
    UpdateReplacePolicy applied (change sets only)."""

    DELETE = "DELETE"
    RETAIN = "RETAIN"
    SNAPSHOT = "SNAPSHOT"
    REPLACEANDDELETE = "REPLACEANDDELETE"
    REPLACEANDRETAIN = "REPLACEANDRETAIN"
    REPLACEANDSNAPSHOT = "REPLACEANDSNAPSHOT"


class ChangeSource(OpenEnum):
    RESOURCEREFERENCE = "RESOURCEREFERENCE"
    PARAMETERREFERENCE = "PARAMETERREFERENCE"
    RESOURCEATTRIBUTE = "RESOURCEATTRIBUTE"
    DIRECTMODIFICATION = "DIRECTMODIFICATION"
    AUTOMATIC = "AUTOMATIC"
    NOMODIFICATION = "NOMODIFICATION"


class AttributeChangeType(OpenEnum):
    ADD = "ADD"
    REMOVE = "REMOVE"
    MODIFY = "MODIFY"
    SYNCWITHACTUAL = "SYNCWITHACTUAL"


class ChangeSetStatus(OpenEnum):
    CREATE_PENDING = "CREATE_PENDING"
    CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
    CREATE_COMPLETE = "CREATE_COMPLETE"
    DELETE_PENDING = "DELETE_PENDING"
    DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
    DELETE_COMPLETE = "DELETE_COMPLETE"
    DELETE_FAILED = "DELETE_FAILED"
    FAILED = "FAILED"


class ExecutionStatus(OpenEnum):
    UNAVAILABLE = "UNAVAILABLE"
    AVAILABLE = "AVAILABLE"
    EXECUTE_IN_PROGRESS = "EXECUTE_IN_PROGRESS"
    EXECUTE_COMPLETE = "EXECUTE_COMPLETE"
    EXECUTE_FAILED = "EXECUTE_FAILED"
    OBSOLETE = "OBSOLETE"


# (enum, member): str enums compare by value, and Evaluation DYNAMIC is no Action DYNAMIC
CHANGE_SET_ONLY: frozenset[tuple[type[OpenEnum], str]] = frozenset(
    (type(member), member.name)
    for member in (Action.IMPORT, Action.DYNAMIC, Action.SYNCWITHACTUAL, Attribute.UPDATEREPLACEPOLICY)
)

# CloudFormation's spellings (botocore's cloudformation model), each the member's value in other case
CHANGE_SET_SPELLINGS: dict[type[OpenEnum], tuple[str, ...]] = {
    Action: ("Add", "Modify", "Remove", "Import", "Dynamic", "SyncWithActual"),
    Replacement: ("True", "False", "Conditional"),
    Attribute: (
        "Properties",
        "Metadata",
        "CreationPolicy",
        "UpdatePolicy",
        "DeletionPolicy",
        "UpdateReplacePolicy",
        "Tags",
    ),
    RequiresRecreation: ("Never", "Conditionally", "Always"),
    Evaluation: ("Static", "Dynamic"),
    PolicyAction: ("Delete", "Retain", "Snapshot", "ReplaceAndDelete", "ReplaceAndRetain", "ReplaceAndSnapshot"),
    ChangeSource: (
        "ResourceReference",
        "ParameterReference",
        "ResourceAttribute",
        "DirectModification",
        "Automatic",
        "NoModification",
    ),
    AttributeChangeType: ("Add", "Remove", "Modify", "SyncWithActual"),
}
_BY_CHANGE_SET_SPELLING: dict[tuple[type[OpenEnum], str], OpenEnum] = {
    (enum, spelling): enum.__members__[spelling.upper()]
    for enum, spellings in CHANGE_SET_SPELLINGS.items()
    for spelling in spellings
}

for _enum in OpenEnum.__subclasses__():
    for _member in _enum:
        _member.__dict__.update(_in_plans=(_enum, _member.name) not in CHANGE_SET_ONLY, _in_change_sets=True)
