"""PL405 blast-radius."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from planlint import Finding, Options, Plan, Severity, rule


class BlastRadiusOptions(Options):
    max_changes: int = Field(100, ge=0, description="Most resource changes in one plan.")
    max_removals: int = Field(10, ge=0, description="Most removals in one plan.")
    max_replacements: int = Field(10, ge=0, description="Most replacements (certain or possible) in one plan.")


@rule("PL405", "blast-radius", severity=Severity.WARNING, tags={"plan-health"})
def blast_radius(plan: Plan, options: BlastRadiusOptions) -> Iterator[Finding]:
    """## What it flags
    A plan with more resource changes, removals or replacements than the configured limits
    (by default 100 changes, 10 removals, 10 replacements). Changes to tags or metadata only
    are not counted.

    ## Why it matters
    A very large plan is hard to review and hard to roll back; a plan that removes or
    replaces many resources at once is often a renamed logical id or a wrong template
    version rather than the intended change.

    ## Example
    With `max-removals` lowered in `planlint.toml`:

    ```toml
    [rules.blast-radius]
    max-removals = 1
    ```

    a plan that removes two resources:

    ```json
    {"ResourceChanges": [
      {"Action": "REMOVE", "LogicalResourceId": "ReportJob01", "ResourceType": "AWS::Events::Rule"},
      {"Action": "REMOVE", "LogicalResourceId": "ReportJob02", "ResourceType": "AWS::Events::Rule"}
    ]}
    ```

    ## How to fix
    Check the template version and parameters; split the change into smaller plans; raise
    the limits for products where large plans are normal.

    ## References
    - [Update stacks using change sets](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html)
    - [Understand update behaviors of stack resources](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html)
    """
    counts = {
        "changes": (sum(not c.only_tags_or_metadata for c in plan.changes), options.max_changes),
        "removals": (sum(c.is_removal for c in plan.changes), options.max_removals),
        "replacements": (sum(c.replaces for c in plan.changes), options.max_replacements),
    }
    for what, (count, limit) in counts.items():
        if count > limit:
            yield plan.finding(
                f"{plan.noun} {plan.label} has {count} {what}, more than the limit of {limit}", subject=what
            )
