"""planlint: policy-as-code checks on AWS Service Catalog provisioned product plans and CloudFormation change sets.

This module is the public API for rule authors::

    from planlint import Finding, Plan, Severity, rule

    @rule("ACME001", "no-dev-buckets", severity=Severity.ERROR, tags={"tagging"})
    def no_dev_buckets(plan: Plan):
        \"\"\"## What it flags ...\"\"\"
        for change in plan.changes:
            ...

Its names are imported when first used, so that what needs none of them (``planlint --version``,
``--help``, the pytest plugin in another project's session) does not build the plan models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planlint import patterns
    from planlint.config.rule_options import NoOptions, Options, Regex
    from planlint.engine.rule import Rule, rule
    from planlint.model.causes import Cause, Entity
    from planlint.model.change_set import ChangeSetDetails, ModuleInfo, StackParameter
    from planlint.model.declared import RETAINING_POLICIES, Declared
    from planlint.model.enums import (
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
    from planlint.model.findings import Finding, Location, Severity
    from planlint.model.plan import (
        Plan,
        PlanDetails,
        ProvisioningParameter,
        ResourceChange,
        ResourceChangeDetail,
        ResourceTargetDefinition,
        Tag,
    )
    from planlint.model.resources import NO_SNAPSHOT, ResourceFacts
    from planlint.support.secrecy import SECRET_NAMES, is_reference

__version__ = "0.1.0"
__url__ = "https://github.com/planlint/planlint"

_FROM = {
    "planlint.model.causes": ("Cause", "Entity"),
    "planlint.model.change_set": ("ChangeSetDetails", "ModuleInfo", "StackParameter"),
    "planlint.model.enums": (
        "Action",
        "Attribute",
        "AttributeChangeType",
        "ChangeSetStatus",
        "ChangeSource",
        "Evaluation",
        "ExecutionStatus",
        "InputKind",
        "PlanStatus",
        "PlanType",
        "PolicyAction",
        "Replacement",
        "RequiresRecreation",
    ),
    "planlint.model.findings": ("Finding", "Location", "Severity"),
    "planlint.model.plan": (
        "Plan",
        "PlanDetails",
        "ProvisioningParameter",
        "ResourceChange",
        "ResourceChangeDetail",
        "ResourceTargetDefinition",
        "Tag",
    ),
    "planlint.model.resources": ("NO_SNAPSHOT", "ResourceFacts"),
    "planlint.config.rule_options": ("NoOptions", "Options", "Regex"),
    "planlint.engine.rule": ("Rule", "rule"),
    "planlint.support.secrecy": ("SECRET_NAMES", "is_reference"),
    "planlint.model.declared": ("RETAINING_POLICIES", "Declared"),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}

__all__ = [
    "NO_SNAPSHOT",
    "RETAINING_POLICIES",
    "SECRET_NAMES",
    "Action",
    "Attribute",
    "AttributeChangeType",
    "Cause",
    "ChangeSetDetails",
    "ChangeSetStatus",
    "ChangeSource",
    "Declared",
    "Entity",
    "Evaluation",
    "ExecutionStatus",
    "Finding",
    "InputKind",
    "Location",
    "ModuleInfo",
    "NoOptions",
    "Options",
    "Plan",
    "PlanDetails",
    "PlanStatus",
    "PlanType",
    "PolicyAction",
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
    "StackParameter",
    "Tag",
    "__version__",
    "is_reference",
    "patterns",
    "rule",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        if name == "patterns":
            return importlib.import_module("planlint.patterns")
        raise AttributeError(f"module 'planlint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
