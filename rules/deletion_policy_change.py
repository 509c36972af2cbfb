"""PL105 deletion-policy-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import RETAINING_POLICIES, Attribute, Finding, InputKind, Plan, Severity, rule


@rule("PL105", "deletion-policy-change", severity=Severity.WARNING, tags={"data-loss"})
def deletion_policy_change(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A change whose `Scope` includes `DELETIONPOLICY` (or, in a change set,
    `UPDATEREPLACEPOLICY`): the resource's `DeletionPolicy` or `UpdateReplacePolicy` is being
    changed.

    ## Why it matters
    `DeletionPolicy: Retain` or `Snapshot` is what keeps data when a resource is later
    removed or its stack deleted; `UpdateReplacePolicy` does the same when it is replaced. A
    plan that changes them may be taking that protection away. A plan does not show the old and
    new values; a change set described with its property values does, and the finding's causes
    carry them. Given both templates (`--template`, `--previous-template`), the message names the
    old and the new `DeletionPolicy`: less protection than before (`Retain` to `Snapshot`, or to
    `Delete` or none) is a warning, as much or more a note.

    ## Example
    A bucket whose `DeletionPolicy` changes:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "ArchiveBucket", "ResourceType": "AWS::S3::Bucket",
      "Replacement": "FALSE", "Scope": ["DELETIONPOLICY"],
      "Details": [{"Evaluation": "STATIC", "Target": {"Attribute": "DELETIONPOLICY"}}]
    }]}
    ```

    ## How to fix
    Compare the template's `DeletionPolicy` (and `UpdateReplacePolicy`) with the deployed
    one. Keep `Retain` or `Snapshot` on anything that holds data.

    ## Options
    None.

    ## References
    - [DeletionPolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)
    - [ResourceTargetDefinition](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceTargetDefinition.html) (Service Catalog API)
    """
    for change in plan.changes:
        policies = [name for attribute, name in _POLICIES if change.in_scope(attribute)]
        if not policies:
            continue
        declared = change.declared
        if declared is not None and declared.previous_known and change.in_scope(Attribute.DELETIONPOLICY):
            before, after = declared.previous_deletion_policy, declared.deletion_policy
            weaker = _protection(after) < _protection(before)
            yield change.finding(
                f"{change.label}: its DeletionPolicy changes from {_shown(before)} to {_shown(after)} "
                f"({declared.location})"
                + ("; the data is no longer protected as it was when the resource is removed" if weaker else ""),
                severity=Severity.WARNING if weaker else Severity.NOTE,
            )
            continue
        changes = " and its ".join(policies)
        hint = " (the templates, --template and --previous-template, would show from what to what)"
        yield change.finding(
            f"{change.label}: its {changes} changes; a Retain or Snapshot that protects its data may be going away"
            + (hint if change.kind is InputKind.PLAN else "")
        )


_POLICIES = ((Attribute.DELETIONPOLICY, "DeletionPolicy"), (Attribute.UPDATEREPLACEPOLICY, "UpdateReplacePolicy"))
_RANK = {**dict.fromkeys(RETAINING_POLICIES, 2), "Snapshot": 1}  # Delete, none: 0


def _protection(policy: str | None) -> int:
    """How much a policy keeps: an expression planlint cannot evaluate keeps nothing it can count on."""
    return _RANK.get(policy, 0)


def _shown(policy: str | None) -> str:
    return policy if policy is not None else "none (Delete)"
