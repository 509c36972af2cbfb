"""PL103 replacement."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, ResourceFacts, Severity, rule


@rule("PL103", "replacement", severity=Severity.WARNING, tags={"data-loss"})
def replacement(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A resource that holds no data but is replaced (`Replacement` `TRUE` or `CONDITIONAL`).
    Stateful resources are left to `stateful-replacement`; `AWS::CDK::Metadata` is ignored.

    ## Why it matters
    A replaced resource gets a new physical id: anything outside the stack that refers to it
    by name or ARN (DNS records, IAM policies, other stacks, clients) breaks, and there is a
    moment when the old one is gone and the new one is not yet in use.

    ## Example
    A task definition that gets a new physical id because its containers change:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "OrdersTaskDefinition",
      "ResourceType": "AWS::ECS::TaskDefinition", "Replacement": "TRUE", "Scope": ["PROPERTIES"],
      "Details": [{"Evaluation": "STATIC", "CausingEntity": "ImageTag",
                   "Target": {"Attribute": "PROPERTIES", "Name": "ContainerDefinitions",
                              "RequiresRecreation": "ALWAYS"}}]
    }]}
    ```

    ## How to fix
    Check the property that requires recreation (the message names it and its cause). Avoid
    the change, or make sure nothing outside the stack depends on the old physical id.

    ## Options
    None.

    ## References
    - [Understand update behaviors of stack resources](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html)
    - [ResourceChange](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html) (Service Catalog API)
    - [ResourceTargetDefinition](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceTargetDefinition.html) (Service Catalog API)
    """
    for change in plan.changes:
        if not change.replaces or facts.is_stateful(change.resource_type) or facts.is_inert(change.resource_type):
            continue
        verb = "will be replaced" if change.replaces_certainly else "may be replaced (Replacement CONDITIONAL)"
        kept = " and the old one kept, orphaned" if change.retained else ""
        policy = f" (PolicyAction {change.policy_action}{kept})" if change.policy_action is not None else ""
        if change.policy_misfit is not None:
            policy = f" ({change.policy_misfit}: read as ReplaceAndDelete)"
        yield change.finding(f"{change.label} {verb}{policy}: {change.cause_text}")
