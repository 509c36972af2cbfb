"""PL102 stateful-removal."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import (
    NO_SNAPSHOT,
    RETAINING_POLICIES,
    Action,
    Finding,
    InputKind,
    Plan,
    ResourceChange,
    ResourceFacts,
    Severity,
    rule,
)


@rule("PL102", "stateful-removal", severity=Severity.ERROR, tags={"data-loss"})
def stateful_removal(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A resource that holds data that the plan removes (`Action` `REMOVE`; a change set's
    `Dynamic`, decided only when it runs; or an action planlint does not know, read as a
    removal). In a change set, CloudFormation's `PolicyAction` settles it: `Retain` is a note
    (the resource is orphaned, not deleted), `Snapshot` a warning, `Delete` or none an error.
    For a plan, the deployed template (`--previous-template`) settles it the same way, by the
    resource's `DeletionPolicy` there (`Retain` or `RetainExceptOnCreate`, `Snapshot`, `Delete`
    or none). `Snapshot` counts only on the types CloudFormation can snapshot (RDS, Neptune and
    DocumentDB clusters, RDS instances, EBS volumes, ElastiCache, Redshift); on any other it
    deletes without one, and stays an error. A `PolicyAction` that CloudFormation sends only on
    a replacement (`ReplaceAndRetain`, …) on a `Remove` is read as `Delete`. An `Import` is no
    removal.

    ## Why it matters
    Removing a resource from the template deletes it when the plan executes, unless its
    `DeletionPolicy` is `Retain` or `Snapshot`. A removed database, bucket or table is
    usually the data itself. A plan does not say which policy applies; a change set does.

    ## Example
    A table that is no longer in the template:

    ```json
    {"ResourceChanges": [{
      "Action": "REMOVE", "LogicalResourceId": "OrdersTable",
      "ResourceType": "AWS::DynamoDB::Table", "PhysicalResourceId": "orders"
    }]}
    ```

    ## How to fix
    Put the resource back in the template, or set `DeletionPolicy: Retain` in a plan that
    runs first and only then remove it. If the removal is intended, waive the finding with a
    reason and an expiry date.

    ## Options
    None. Extra stateful types come from the resource facts configuration.

    ## References
    - [DeletionPolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)
    - [ResourceChange](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html) (Service Catalog API)
    """
    for change in plan.changes:
        if not change.is_removal or not facts.is_stateful(change.resource_type):
            continue
        physical = f" (physical id {change.physical_resource_id})" if change.physical_resource_id else ""
        declared = change.declared
        if declared is not None and change.action == Action.REMOVE:
            yield _by_template(change, physical, declared.deletion_policy, str(declared.location), facts)
        elif change.retained:
            yield change.finding(
                f"{change.label} leaves the stack but is kept{physical} (PolicyAction {change.policy_action}): "
                "it is orphaned, not deleted, and its data stays",
                severity=Severity.NOTE,
            )
        elif change.snapshotted and facts.can_snapshot(change.resource_type):
            yield change.finding(
                f"{change.label} will be deleted{physical} after a snapshot (PolicyAction {change.policy_action}): "
                "its data is kept only in the snapshot",
                severity=Severity.WARNING,
            )
        else:
            yield change.finding(f"{change.label} will be deleted{physical}: {_why(change)}")


def _by_template(
    change: ResourceChange, physical: str, policy: str | None, where: str, facts: ResourceFacts
) -> Finding:
    """The verdict of the deployed template's ``DeletionPolicy`` (at ``where``)."""
    if policy in RETAINING_POLICIES:
        return change.finding(
            f"{change.label} leaves the stack but is kept{physical} (DeletionPolicy {policy} at {where}): "
            "it is orphaned, not deleted, and its data stays",
            severity=Severity.NOTE,
        )
    if policy == "Snapshot" and not facts.can_snapshot(change.resource_type):
        return change.finding(
            f"{change.label} will be deleted{physical} (DeletionPolicy Snapshot at {where}, {NO_SNAPSHOT}): "
            "its data goes with it"
        )
    if policy == "Snapshot":
        return change.finding(
            f"{change.label} will be deleted{physical} after a snapshot (DeletionPolicy Snapshot at {where}): "
            "its data is kept only in the snapshot",
            severity=Severity.WARNING,
        )
    if policy in (None, "Delete"):
        said = f"DeletionPolicy Delete at {where}" if policy else f"no DeletionPolicy at {where}, so Delete"
        return change.finding(f"{change.label} will be deleted{physical} ({said}): its data goes with it")
    return change.finding(
        f"{change.label} will be deleted{physical}: its DeletionPolicy at {where} is {policy}, "
        "which planlint cannot evaluate, so it is read as Delete"
    )


def _why(change: ResourceChange) -> str:
    if change.policy_misfit is not None:
        return f"{change.policy_misfit}: read as Delete, and its data goes with it"
    if change.snapshotted:
        return f"PolicyAction {change.policy_action}, {NO_SNAPSHOT}, and its data goes with it"
    if change.policy_action is not None:
        return f"CloudFormation deletes it with its data (PolicyAction {change.policy_action})"
    if change.action == Action.REMOVE:
        settles = (
            "--previous-template would show its DeletionPolicy"
            if change.kind is InputKind.PLAN
            else "the change set gives no PolicyAction to say what CloudFormation will do"
        )
        return (
            f"it is no longer in the template, and its data goes with it unless DeletionPolicy retains it ({settles})"
        )
    if change.action == Action.DYNAMIC and change.knows(change.action):
        return (
            "action DYNAMIC: CloudFormation decides what happens to it only when the change set runs; read as a removal"
        )
    return f"action {change.action or '(missing)'} is unknown to planlint and is read as a removal"
