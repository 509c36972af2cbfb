"""PL403 unknown-value."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Action, Finding, Plan, Severity, rule


@rule("PL403", "unknown-value", severity=Severity.ERROR, tags={"plan-health"})
def unknown_value(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    An enumerated value planlint does not know — a new `Action`, `Replacement`, `Scope`,
    `Attribute`, `RequiresRecreation`, `Evaluation`, plan `Status` or `PlanType`, or a change
    set's `PolicyAction`, `Status` or `ExecutionStatus` — or a change with no `Action`, or a
    `MODIFY` change with no `Replacement` at all. A value is judged by the API of its document:
    a change set's `Import` is known, the same value in a plan is not.

    ## Why it matters
    AWS adds values over time. planlint reads an unknown value as the riskiest possibility
    (an unknown action as a removal, an unknown replacement as certain), but a person should
    look: the other rules' reasoning may not fit what the value really means.

    ## Example
    A `Replacement` value that is not in the API:

    ```json
    {"ResourceChanges": [{
      "Action": "MODIFY", "LogicalResourceId": "LedgerFunction",
      "ResourceType": "AWS::Lambda::Function", "Replacement": "SOMETIMES", "Scope": ["PROPERTIES"]
    }]}
    ```

    ## How to fix
    Check what the value means in the AWS documentation and review the change by hand.
    Upgrade planlint once it knows the value.

    ## Options
    None.

    ## References
    - [ResourceChange](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html) (Service Catalog API)
    - [ResourceChangeDetail](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChangeDetail.html) (Service Catalog API)
    - [ResourceTargetDefinition](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceTargetDefinition.html) (Service Catalog API)
    """
    details, change_set = plan.details, plan.change_set
    if change_set is None:
        plan_fields = (("Status", details.status), ("PlanType", details.plan_type))
    else:
        plan_fields = (("Status", change_set.status), ("ExecutionStatus", change_set.execution_status))
    for field, value in plan_fields:
        if value is not None and not value.known_in(plan.kind):
            yield plan.finding(f"{plan.noun} {plan.label}: {field} {value} is unknown to planlint")
    kind = plan.kind
    for change in plan.changes:
        fields: list[str] = []
        if change.action is None:
            fields.append("Action is missing (read as REMOVE)")
        elif not change.action.known_in(kind):
            fields.append(f"Action {change.action} (read as REMOVE)")
        if change.replacement is not None and not change.replacement.known_in(kind):
            fields.append(f"Replacement {change.replacement} (read as TRUE)")
        elif change.replacement is None and change.action == Action.MODIFY:
            fields.append("Replacement is missing on a MODIFY (read as TRUE)")
        if change.policy_action is not None and not change.policy_action.known_in(kind):
            fields.append(f"PolicyAction {change.policy_action} (read as DELETE)")
        fields += [f"Scope {s}" for s in change.scope if not s.known_in(kind)]
        for i, detail in enumerate(change.details):
            target = detail.target
            if detail.evaluation is not None and not detail.evaluation.known_in(kind):
                fields.append(f"Details[{i}].Evaluation {detail.evaluation}")
            if target and target.attribute is not None and not target.attribute.known_in(kind):
                fields.append(f"Details[{i}].Target.Attribute {target.attribute}")
            if target and target.requires_recreation is not None and not target.requires_recreation.known_in(kind):
                fields.append(f"Details[{i}].Target.RequiresRecreation {target.requires_recreation} (read as ALWAYS)")
        if fields:
            yield change.finding(f"{change.label}: unknown to planlint: {'; '.join(fields)}")
