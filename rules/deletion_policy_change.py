"""PL105 deletion-policy-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Attribute, Finding, Plan, Severity, rule


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
    carry them.

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
        if policies:
            changes = " and its ".join(policies)
            yield change.finding(
                f"{change.label}: its {changes} changes; a Retain or Snapshot that protects its data may be going away"
            )


_POLICIES = ((Attribute.DELETIONPOLICY, "DeletionPolicy"), (Attribute.UPDATEREPLACEPOLICY, "UpdateReplacePolicy"))
