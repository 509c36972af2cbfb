"""PL101 stateful-replacement."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import NO_SNAPSHOT, Finding, InputKind, Plan, ResourceChange, ResourceFacts, Severity, rule


@rule("PL101", "stateful-replacement", severity=Severity.ERROR, tags={"data-loss"})
def stateful_replacement(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A resource that holds data (a database, table, bucket, file system, queue, key…) that the
    plan replaces: `Replacement` is `TRUE`, or `CONDITIONAL` where a property requires
    recreation `ALWAYS` if its value — known only at execution — changes. `CONDITIONAL` with
    only `CONDITIONALLY` properties is a warning. In a change set, `PolicyAction`
    `ReplaceAndRetain` or `ReplaceAndSnapshot` makes it a warning: the old resource (or a
    snapshot of it) is kept, but a new, empty one takes over; for a plan, the template
    (`--template`) settles it the same way, by the resource's `UpdateReplacePolicy` there
    (`Retain` or `Snapshot`: a warning; `Delete` or none: an error). `Snapshot` counts only on
    the types CloudFormation can snapshot (RDS, Neptune and DocumentDB clusters, RDS
    instances, EBS volumes, ElastiCache, Redshift); on any other it deletes without one, and
    stays an error. A `PolicyAction` that CloudFormation sends only on a removal (`Retain`,
    `Snapshot`) on a certain replacement is read as `ReplaceAndDelete`; a `CONDITIONAL` one
    fits either. With property values, the message says what the property changes from and to.

    ## Why it matters
    Replacement creates a new resource and deletes the old one. For a stateful resource the
    data goes with it: an RDS instance is recreated empty, a DynamoDB table loses its items.

    ## Example
    A database whose encryption setting changes, which CloudFormation can only apply by
    recreating it:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "OrdersDatabase",
      "ResourceType": "AWS::RDS::DBInstance", "Replacement": "TRUE", "Scope": ["PROPERTIES"],
      "Details": [{"Evaluation": "STATIC", "CausingEntity": "EncryptDatabase",
                   "Target": {"Attribute": "PROPERTIES", "Name": "StorageEncrypted",
                              "RequiresRecreation": "ALWAYS"}}]
    }]}
    ```

    ## How to fix
    Find the property that requires recreation (the message names it and what caused it) and
    avoid changing it: revert the parameter, or migrate the data to a new resource first.
    If the data can be rebuilt, waive the finding with a reason and an expiry date.

    ## Options
    None. Extra stateful types come from the resource facts configuration.

    ## References
    - [Understand update behaviors of stack resources](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html)
    - [UpdateReplacePolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html)
    - [ResourceChange](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html) (Service Catalog API)
    - [ResourceTargetDefinition](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceTargetDefinition.html) (Service Catalog API)
    """
    for change in plan.changes:
        if not change.replaces or not facts.is_stateful(change.resource_type):
            continue
        declared = change.declared
        template_policy = declared.update_replace_policy if declared is not None else None
        kept_by_template = template_policy == "Retain" or (
            template_policy == "Snapshot" and facts.can_snapshot(change.resource_type)
        )
        if kept_by_template and declared is not None:
            kept = "kept, orphaned" if template_policy == "Retain" else "deleted after a snapshot"
            verb = "will be replaced" if change.replaces_certainly else "may be replaced"
            yield change.finding(
                f"{change.label} {verb} (UpdateReplacePolicy {template_policy} at "
                f"{declared.location}): a new, empty resource takes over and the old one is {kept}: "
                f"{change.cause_text}",
                severity=Severity.WARNING,
            )
            continue
        if change.retained or (change.snapshotted and facts.can_snapshot(change.resource_type)):
            kept = "kept, orphaned" if change.retained else "deleted after a snapshot"
            verb = "will be replaced" if change.replaces_certainly else "may be replaced"
            yield change.finding(
                f"{change.label} {verb} (PolicyAction {change.policy_action}): a new, empty resource takes over "
                f"and the old one is {kept}: {change.cause_text}",
                severity=Severity.WARNING,
            )
            continue
        policy = _policy(change)
        if change.replaces_certainly:
            yield change.finding(f"{change.label} will be replaced: {change.cause_text}{policy}")
            continue
        causes = change.recreation_causes
        only_conditionally = bool(causes) and not any(c.always_recreates for c in causes)
        yield change.finding(
            f"{change.label} may be replaced (Replacement CONDITIONAL, decided at execution): "
            f"{change.cause_text}{policy}",
            severity=Severity.WARNING if only_conditionally else None,
        )


def _policy(change: ResourceChange) -> str:
    """What the template or the change set says of the old resource, why that still deletes it, or that a
    template would say it (plans only)."""
    declared = change.declared
    if declared is not None:
        said = declared.update_replace_policy
        if said == "Snapshot":
            return f" (UpdateReplacePolicy Snapshot at {declared.location}, {NO_SNAPSHOT})"
        return (
            f" (UpdateReplacePolicy {said} at {declared.location})"
            if said
            else (f" (no UpdateReplacePolicy at {declared.location}, so the old one is deleted)")
        )
    if change.policy_misfit is not None:
        return f" ({change.policy_misfit}: read as ReplaceAndDelete)"
    if change.snapshotted:
        return f" (PolicyAction {change.policy_action}, {NO_SNAPSHOT})"
    if change.policy_action is None and change.kind is InputKind.PLAN:
        return " (--template would show its UpdateReplacePolicy)"
    return ""
