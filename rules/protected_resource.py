"""PL106 protected-resource."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import Field

from planlint import Finding, Options, Plan, ResourceChange, Severity, rule

ActionName = Literal["add", "modify", "replace", "remove"]


class ProtectedOptions(Options):
    logical_ids: list[str] = Field(default_factory=list, description="Globs on LogicalResourceId, e.g. Prod*Database.")
    types: list[str] = Field(default_factory=list, description="Globs on the resource type, e.g. AWS::RDS::*.")
    actions: list[ActionName] = Field(
        default_factory=lambda: ["remove", "replace"],
        description="Which changes count: add, modify (any modification), replace, remove.",
    )


def _actions(change: ResourceChange) -> set[str]:
    found = set()
    if change.is_add:
        found.add("add")
    if change.is_modify:
        found.add("modify")
    if change.replaces:
        found.add("replace")
    if change.is_removal:
        found.add("remove")
    return found


@rule("PL106", "protected-resource", severity=Severity.ERROR, tags={"data-loss"})
def protected_resource(plan: Plan, options: ProtectedOptions) -> Iterator[Finding]:
    """## What it flags
    A change to a resource the configuration protects — by logical id or type glob — when the
    change is one of the protected actions (by default: removal and replacement). Inactive
    until `logical-ids` or `types` is configured.

    ## Why it matters
    Some resources must never be replaced or removed by a routine plan: the production
    database, the audit bucket, the KMS key everything is encrypted with. Naming them in
    policy makes that explicit and reviewable.

    ## Example
    With the production databases protected in `planlint.toml`:

    ```toml
    [rules.protected-resource]
    logical-ids = ["Prod*Database"]
    ```

    a plan that removes one:

    ```json
    {"ResourceChanges": [{
      "Action": "REMOVE", "LogicalResourceId": "ProdLedgerDatabase",
      "ResourceType": "AWS::RDS::DBCluster"
    }]}
    ```

    ## How to fix
    Change the template so the protected resource is left alone, or have the change
    approved and record it as a waiver with a reason and an expiry date.

    ## References
    - [Prevent updates to stack resources](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html)
    - [DeletionPolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)
    """
    if not options.logical_ids and not options.types:
        return
    for change in plan.changes:
        logical_id = change.logical_resource_id or ""
        resource_type = change.resource_type or ""
        matched = [g for g in options.logical_ids if fnmatchcase(logical_id, g)]
        matched += [g for g in options.types if fnmatchcase(resource_type, g)]
        actions = sorted(_actions(change) & set(options.actions))
        if matched and actions:
            what = " and ".join(
                {"replace": "replaced", "remove": "removed", "add": "added", "modify": "modified"}[a] for a in actions
            )
            yield change.finding(
                f"{change.label} is protected (by {', '.join(matched)}) and would be {what}: {change.cause_text}"
            )
