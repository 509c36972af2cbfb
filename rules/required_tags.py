"""PL301 required-tags."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from planlint import Finding, Options, Plan, Regex, Severity, patterns, rule


class RequiredTagsOptions(Options):
    keys: list[str] = Field(default_factory=list, description="Tag keys every plan must carry.")
    values: dict[str, Regex] = Field(
        default_factory=dict,
        description="Tag key to a regular expression its whole value must match, e.g. "
        '`{ Environment = "^(dev|staging|prod)$" }`; a key named here is required too.',
    )


@rule("PL301", "required-tags", severity=Severity.ERROR, tags={"tagging"})
def required_tags(plan: Plan, options: RequiredTagsOptions) -> Iterator[Finding]:
    """## What it flags
    A plan whose tags miss a configured key, or whose tag value does not match the configured
    pattern. Inactive until `keys` or `values` is configured.

    ## Why it matters
    Service Catalog propagates the plan's tags to the provisioned resources. Cost allocation,
    ownership, incident routing and access control by tag all break on an untagged product,
    and the gap is cheapest to close before the plan runs.

    ## Example
    With a cost center required in `planlint.toml`:

    ```toml
    [rules.required-tags]
    keys = ["CostCenter"]
    ```

    a plan whose tags leave it out:

    ```json
    {"ProvisionedProductPlanDetails": {"Tags": [{"Key": "Owner", "Value": "team-orders"}]}}
    ```

    ## How to fix
    Add the tag to the plan (UpdateProvisionedProduct / CreateProvisionedProductPlan `Tags`),
    or to the product's TagOptions, with a value that matches the pattern.

    ## References
    - [Tagging best practices](https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html)
    - [TagOptions](https://docs.aws.amazon.com/servicecatalog/latest/adminguide/tagoptions.html) (Service Catalog)
    """
    tags = plan.tags
    for key in dict.fromkeys([*options.keys, *options.values]):
        if key not in tags:
            yield plan.finding(f"{plan.noun} {plan.label} has no {key} tag", subject=f"tag {key}")
        elif key in options.values and not patterns.fullmatch(options.values[key], tags[key]):
            yield plan.finding(
                f"{plan.noun} {plan.label}: tag {key} = {tags[key]!r} does not match {options.values[key]}",
                subject=f"tag {key}",
            )
