"""PL401 plan-status."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint import Finding, Plan, PlanStatus, Severity, rule

# What CloudFormation says when a change set would change nothing.
_NO_CHANGES = re.compile(r"didn'?t contain changes|no updates are to be performed", re.IGNORECASE)


@rule("PL401", "plan-status", severity=Severity.ERROR, tags={"plan-health"})
def plan_status(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A plan whose status is not `CREATE_SUCCESS`: creation failed (the message quotes its
    `StatusMessage`), it is still being created, it has already been executed (stale), or the
    status is missing or unknown. A plan that failed only because it contains no changes is a
    note.

    ## Why it matters
    Only a successfully created plan describes what execution will do. A failed or
    in-progress plan's changes are incomplete, and an executed plan describes the past.

    ## Example
    A plan that failed to create:

    ```json
    {"ProvisionedProductPlanDetails": {
      "Status": "CREATE_FAILED",
      "StatusMessage": "Template format error: Unresolved resource dependencies [Bucket]"
    }}
    ```

    ## How to fix
    Fix the cause in the status message and create a new plan; wait for a plan in progress
    to finish; create a fresh plan instead of linting an executed one.

    ## Options
    None.

    ## References
    - [ProvisionedProductPlanDetails](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ProvisionedProductPlanDetails.html) (Service Catalog API)
    - [ExecuteProvisionedProductPlan](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ExecuteProvisionedProductPlan.html) (Service Catalog API)
    """
    status = plan.status
    message = f": {plan.details.status_message}" if plan.details.status_message else ""
    if status == PlanStatus.CREATE_SUCCESS:
        return
    if status is None:
        yield plan.finding(f"plan {plan.label} has no status; planlint cannot tell whether its changes are final")
    elif status == PlanStatus.CREATE_FAILED and _NO_CHANGES.search(plan.details.status_message or ""):
        yield plan.finding(f"plan {plan.label} contains no changes{message}", severity=Severity.NOTE)
    elif status == PlanStatus.CREATE_FAILED:
        yield plan.finding(f"plan {plan.label} failed to create{message}")
    elif status == PlanStatus.CREATE_IN_PROGRESS:
        yield plan.finding(f"plan {plan.label} is still being created (CREATE_IN_PROGRESS); its changes are not final")
    elif status in (PlanStatus.EXECUTE_IN_PROGRESS, PlanStatus.EXECUTE_SUCCESS, PlanStatus.EXECUTE_FAILED):
        yield plan.finding(
            f"plan {plan.label} has already been executed ({status}); it describes changes already made{message}"
        )
    else:
        yield plan.finding(f"plan {plan.label} has status {status}, unknown to planlint; its changes cannot be trusted")
