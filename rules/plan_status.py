"""PL401 plan-status."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint import ChangeSetDetails, ChangeSetStatus, ExecutionStatus, Finding, Plan, PlanStatus, Severity, rule

# What CloudFormation says when a change set would change nothing.
_NO_CHANGES = re.compile(r"didn'?t contain changes|no updates are to be performed", re.IGNORECASE)


@rule("PL401", "plan-status", severity=Severity.ERROR, tags={"plan-health"})
def plan_status(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A plan whose status is not `CREATE_SUCCESS`: creation failed (the message quotes its
    `StatusMessage`), it is still being created, it has already been executed (stale), or the
    status is missing or unknown. A plan that failed only because it contains no changes is a
    note. A change set is judged by `Status` (`FAILED`, still `CREATE_PENDING` or
    `CREATE_IN_PROGRESS`, deleted) and `ExecutionStatus` (`OBSOLETE`, already `EXECUTE_*`, or
    `UNAVAILABLE` unless it is a nested child, executable from its root). A document that does
    not say its status — a response saved without `Status`, or the console's list of changes,
    which has none — cannot be vouched for, and is an error like a failed one.

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
    if plan.change_set is not None:
        yield from _change_set_status(plan, plan.change_set)
        return
    status = plan.status
    message = f": {plan.details.status_message}" if plan.details.status_message else ""
    if status == PlanStatus.CREATE_SUCCESS:
        return
    if status is None:
        yield plan.finding(_unsaid(f"plan {plan.label}", "a DescribeProvisionedProductPlan response"))
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


def _unsaid(name: str, whole: str, bare: bool = False) -> str:
    """The one judgement of a document that does not say its status, whatever else it says."""
    what = "is a list of changes without its change set (the console's JSON view)" if bare else "has no status"
    return (
        f"{name} {what}: it does not say whether it was created, failed or already ran, so planlint cannot "
        f"vouch that its changes are final; lint {whole}"
    )


_EXECUTED = (ExecutionStatus.EXECUTE_IN_PROGRESS, ExecutionStatus.EXECUTE_COMPLETE, ExecutionStatus.EXECUTE_FAILED)


def _change_set_status(plan: Plan, change_set: ChangeSetDetails) -> Iterator[Finding]:
    status, execution = change_set.status, change_set.execution_status
    reason = f": {change_set.status_reason}" if change_set.status_reason else ""
    name = f"change set {plan.label}"
    if status is None:
        yield plan.finding(_unsaid(name, "the DescribeChangeSet response", bare=change_set.change_set_id is None))
    elif status == ChangeSetStatus.FAILED and _NO_CHANGES.search(change_set.status_reason or ""):
        yield plan.finding(f"{name} contains no changes{reason}", severity=Severity.NOTE)
    elif status == ChangeSetStatus.FAILED:
        yield plan.finding(f"{name} failed to create{reason}")
    elif status in (ChangeSetStatus.CREATE_PENDING, ChangeSetStatus.CREATE_IN_PROGRESS):
        yield plan.finding(f"{name} is still being created ({status}); its changes are not final")
    elif status != ChangeSetStatus.CREATE_COMPLETE:
        known = "" if status.known_in(plan.kind) else ", unknown to planlint"
        yield plan.finding(f"{name} has status {status}{known}; it cannot be executed{reason}")
    elif execution in _EXECUTED:
        yield plan.finding(f"{name} has already been executed ({execution}); it describes changes already made")
    elif execution == ExecutionStatus.OBSOLETE:
        yield plan.finding(f"{name} is OBSOLETE: the stack changed after it was made; create a new change set")
    elif execution == ExecutionStatus.UNAVAILABLE and change_set.parent_change_set_id is None:
        yield plan.finding(f"{name} cannot be executed (ExecutionStatus UNAVAILABLE){reason}")
    elif execution is not None and not execution.known_in(plan.kind):
        yield plan.finding(f"{name} has ExecutionStatus {execution}, unknown to planlint; it cannot be trusted")
