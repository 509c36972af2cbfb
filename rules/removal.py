"""PL104 removal."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import RETAINING_POLICIES, Action, Finding, Plan, ResourceFacts, Severity, rule


@rule("PL104", "removal", severity=Severity.WARNING, tags={"data-loss"})
def removal(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A resource that holds no data and that the plan removes. Stateful resources are left to
    `stateful-removal`. In a change set, a removal with `PolicyAction` `Retain` is a note: the
    resource is orphaned, not deleted; so is, in a plan, a removal whose `DeletionPolicy` in the
    deployed template (`--previous-template`) is `Retain` or `RetainExceptOnCreate`.

    ## Why it matters
    Whatever uses the resource — a role, a security group, a topic, a function — stops
    working when it is deleted, and the deletion is easy to miss in a long plan.

    ## Example
    A role that is no longer in the template:

    ```json
    {"ResourceChanges": [{
      "Action": "REMOVE", "LogicalResourceId": "LegacyExportRole",
      "ResourceType": "AWS::IAM::Role", "PhysicalResourceId": "legacy-export-role"
    }]}
    ```

    ## How to fix
    Confirm nothing still uses the resource. If the removal is a mistake, restore the
    resource in the template and create a new plan.

    ## Options
    None.

    ## References
    - [DeletionPolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)
    - [ResourceChange](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html) (Service Catalog API)
    """
    for change in plan.changes:
        if not change.is_removal or facts.is_stateful(change.resource_type):
            continue
        declared = change.declared
        kept_by_template = declared is not None and declared.deletion_policy in RETAINING_POLICIES
        if change.retained or (kept_by_template and change.action == Action.REMOVE):
            why = (
                f"DeletionPolicy {declared.deletion_policy} at {declared.location}"
                if declared is not None and not change.retained
                else f"PolicyAction {change.policy_action}"
            )
            yield change.finding(
                f"{change.label} leaves the stack but is kept ({why}): it is orphaned, not deleted",
                severity=Severity.NOTE,
            )
            continue
        if change.policy_misfit is not None:
            how = f"{change.policy_misfit}: read as Delete"
        elif change.policy_action is not None:
            how = f"CloudFormation deletes it (PolicyAction {change.policy_action})"
        elif change.action == Action.REMOVE:
            how = "it is no longer in the template"
        elif change.action == Action.DYNAMIC and change.knows(change.action):
            how = "action DYNAMIC: CloudFormation decides what happens to it only when the change set runs; read as a removal"
        else:
            how = f"action {change.action or '(missing)'} is unknown to planlint and is read as a removal"
        yield change.finding(f"{change.label} will be deleted: {how}")
