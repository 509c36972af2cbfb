"""The peers planlint is measured against, each with the three checks written as its users would:
stateful replacement, stateful removal and required tags, on the same plan document.

- cfn-guard's Rust engine through its Python binding (``cfn-guard-rs``), with a Guard policy;
- Rego through ``regopy`` (Microsoft's rego-cpp interpreter), with a Rego policy.

Both come with ``pip install -e '.[bench]'``. Their stateful list is planlint's own, so every
engine checks the same types. A peer that is not installed is ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from planlint.model.resources import STATEFUL_TYPES

REQUIRED_TAG = "CostCenter"
_TYPES = ", ".join(json.dumps(t) for t in sorted(STATEFUL_TYPES))

GUARD = f"""
let stateful = [{_TYPES}]

rule stateful_replacement {{
    ResourceChanges[ ResourceType in %stateful ] {{
        Replacement != "TRUE"
        <<a stateful resource is replaced>>
    }}
}}

rule stateful_removal {{
    ResourceChanges[ ResourceType in %stateful ] {{
        Action != "REMOVE"
        <<a stateful resource is removed>>
    }}
}}

rule required_tags {{
    some ProvisionedProductPlanDetails.Tags[*].Key == "{REQUIRED_TAG}"
    <<the plan has no {REQUIRED_TAG} tag>>
}}
"""

REGO = f"""
package plan

stateful := {{{_TYPES}}}

deny[msg] {{
    change := input.ResourceChanges[_]
    stateful[change.ResourceType]
    change.Replacement == "TRUE"
    msg := sprintf("%s is replaced", [change.LogicalResourceId])
}}

deny[msg] {{
    change := input.ResourceChanges[_]
    stateful[change.ResourceType]
    change.Action == "REMOVE"
    msg := sprintf("%s is removed", [change.LogicalResourceId])
}}

deny[msg] {{
    not has_tag
    msg := "the plan has no {REQUIRED_TAG} tag"
}}

has_tag {{
    input.ProvisionedProductPlanDetails.Tags[_].Key == "{REQUIRED_TAG}"
}}
"""


def guard() -> Callable[[dict[str, Any]], object] | None:
    """A function checking one plan document with cfn-guard-rs, or None when it is not installed."""
    try:
        from cfn_guard_rs.cfn_guard_rs import run_checks_rs
    except ImportError:
        return None

    def check(document: dict[str, Any]) -> object:
        # What cfn_guard_rs.run_checks does, less parsing the report: 0.3.3 returns a broken report
        # (not JSON) once there are more than a few dozen results, so parsing it would fail.
        return run_checks_rs(json.dumps(document), GUARD, False)

    return check


def rego() -> Callable[[dict[str, Any]], object] | None:
    """A function checking one plan document with regopy, or None when it is not installed."""
    try:
        import regopy
    except ImportError:
        return None
    interpreter = regopy.Interpreter()
    interpreter.add_module("plan", REGO)

    def check(document: dict[str, Any]) -> object:
        interpreter.set_input(regopy.Input(document))
        return interpreter.query("x = data.plan.deny")

    return check
