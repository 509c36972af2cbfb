"""PL404 nested-stack-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, ResourceFacts, Severity, rule


@rule("PL404", "nested-stack-change", severity=Severity.WARNING, tags={"plan-health", "data-loss"})
def nested_stack_change(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A nested stack (`AWS::CloudFormation::Stack`) that the plan modifies or replaces — unless
    the change is to its tags or metadata only, or the nested stack's own change set is given in
    the same run and linked to it (then its changes are linted, named by their path). A nested
    change set in the run is linked only when both sides agree: the stack change's `ChangeSetId`
    and `PhysicalResourceId`, and the child's `ParentChangeSetId`, `RootChangeSetId` and `StackId`.
    A child that one side names but the other does not agree with is not linked, and reported too.

    ## Why it matters
    The plan shows the nested stack as one changed resource; the changes inside it —
    replacements and removals of the resources it holds — are not in the plan, so no rule
    can check them.

    ## Example
    A nested stack whose template changes:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "NetworkStack",
      "ResourceType": "AWS::CloudFormation::Stack", "Replacement": "FALSE", "Scope": ["PROPERTIES"],
      "Details": [{"Evaluation": "STATIC",
                   "Target": {"Attribute": "PROPERTIES", "Name": "TemplateURL",
                              "RequiresRecreation": "NEVER"}}]
    }]}
    ```

    ## How to fix
    Review the nested stack's own change set (CloudFormation creates one when nested change
    sets are enabled), or move the risky resources out of the nested stack.

    ## Options
    None.

    ## References
    - [Nested stacks](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-nested-stacks.html)
    - [AWS::CloudFormation::Stack](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html)
    - [Update stacks using change sets](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html)
    """
    if plan.unlinked:
        yield plan.finding(
            f"{plan.noun} {plan.label} is not linked as a nested change set {plan.unlinked}; its changes are "
            "linted on their own, and its parent's stack change is reported as unseen",
            subject="not linked",
        )
    for change in plan.changes:
        if not facts.is_nested_stack(change.resource_type) or change.is_add or change.is_removal:
            continue
        if change.only_tags_or_metadata or change.is_import or change.nested_change_set_given:
            continue
        how = "replaced" if change.replaces else "modified"
        yield change.finding(
            f"{change.label} is {how}: the changes inside the nested stack are not in this plan ({change.cause_text})"
        )
