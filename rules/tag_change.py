"""PL303 tag-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Attribute, Finding, Plan, Severity, rule


@rule("PL303", "tag-change", severity=Severity.NOTE, tags={"tagging"})
def tag_change(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A change whose `Scope` includes `TAGS`: the tags on a live resource change.

    ## Why it matters
    Tags drive cost allocation, ownership and, through tag-based access control, who may
    touch the resource. A tag change on a live resource is usually intended but worth seeing.

    ## Example
    A table whose tags change:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "InventoryTable",
      "ResourceType": "AWS::DynamoDB::Table", "Replacement": "FALSE", "Scope": ["TAGS"],
      "Details": [{"Evaluation": "STATIC", "Target": {"Attribute": "TAGS"}}]
    }]}
    ```

    ## How to fix
    Nothing to fix when the change is intended; check that tag-based IAM conditions and cost
    reports still match.

    ## Options
    None.

    ## References
    - [Tag property](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html) (CloudFormation)
    - [ResourceTargetDefinition](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceTargetDefinition.html) (Service Catalog API)
    """
    for change in plan.changes:
        if change.is_modify and change.in_scope(Attribute.TAGS):
            yield change.finding(f"{change.label}: its tags change")
