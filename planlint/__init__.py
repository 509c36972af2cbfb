"""planlint: policy-as-code checks on AWS Service Catalog provisioned product plans and CloudFormation change sets.

This module is the public API for rule authors::

    from planlint import Finding, Plan, Severity, rule

    @rule("ACME001", "no-dev-buckets", severity=Severity.ERROR, tags={"tagging"})
    def no_dev_buckets(plan: Plan):
        \"\"\"## What it flags ...\"\"\"
        for change in plan.changes:
            ...
"""

from planlint import patterns
from planlint.causes import Cause, Entity
from planlint.change_set import ChangeSetDetails, ModuleInfo, StackParameter
from planlint.enums import (
    Action,
    Attribute,
    AttributeChangeType,
    ChangeSetStatus,
    ChangeSource,
    Evaluation,
    ExecutionStatus,
    InputKind,
    PlanStatus,
    PlanType,
    PolicyAction,
    Replacement,
    RequiresRecreation,
)
from planlint.findings import Finding, Location, Severity
from planlint.model import (
    Plan,
    PlanDetails,
    ProvisioningParameter,
    ResourceChange,
    ResourceChangeDetail,
    ResourceTargetDefinition,
    Tag,
)
from planlint.resources import ResourceFacts
from planlint.rule import NoOptions, Options, Regex, Rule, rule
from planlint.secrets import SECRET_NAMES
from planlint.template import RETAINING_POLICIES, Declared

__version__ = "0.1.0"
__url__ = "https://github.com/planlint/planlint"

__all__ = [
    "RETAINING_POLICIES",
    "SECRET_NAMES",
    "Action",
    "Attribute",
    "AttributeChangeType",
    "ChangeSetDetails",
    "ChangeSetStatus",
    "Declared",
    "ChangeSource",
    "ExecutionStatus",
    "InputKind",
    "ModuleInfo",
    "PolicyAction",
    "StackParameter",
    "Cause",
    "Entity",
    "Evaluation",
    "Finding",
    "Location",
    "NoOptions",
    "Options",
    "Plan",
    "PlanDetails",
    "PlanStatus",
    "PlanType",
    "ProvisioningParameter",
    "Regex",
    "Replacement",
    "RequiresRecreation",
    "ResourceChange",
    "ResourceChangeDetail",
    "ResourceFacts",
    "ResourceTargetDefinition",
    "Rule",
    "Severity",
    "Tag",
    "__version__",
    "patterns",
    "rule",
]
