"""PL402 incomplete-plan."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, InputKind, Plan, Severity, rule


@rule("PL402", "incomplete-plan", severity=Severity.ERROR, tags={"plan-health"})
def incomplete_plan(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A plan whose last page read has a non-null `NextPageToken`: more resource changes exist
    that planlint has not seen. Also a document that says it was created but lists no changes
    (no `Changes` or `ResourceChanges` member, or an empty one), judged by what AWS answers: a
    `CREATE_COMPLETE` change set is an error — CloudFormation always sends `Changes` and fails a
    change set that contains none ("didn't contain changes"), so the changes were cut from the
    document; a `CREATE_SUCCESS` plan is a warning — Service Catalog leaves an empty
    `ResourceChanges` out, so no changes cannot be told from changes left out.

    ## Why it matters
    DescribeProvisionedProductPlan returns at most 20 changes a page. A saved first page of a
    larger plan looks complete but is not, and the unseen pages may hold the removal that
    matters. planlint cannot vouch for changes it has not read.

    ## Example
    The first page of a plan, saved without the pages after it:

    ```json
    {"ResourceChanges": [], "NextPageToken": "AAEAAQ-page-2"}
    ```

    ## How to fix
    Save every page (follow `NextPageToken` until it is null) and lint them together — as a
    JSON list of pages, several files or a directory — or let planlint fetch the plan. Save
    the whole response, without a `--query` that drops `ResourceChanges` or `Changes`.

    ## Options
    None.

    ## References
    - [DescribeProvisionedProductPlan](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_DescribeProvisionedProductPlan.html) (Service Catalog API)
    """
    if plan.incomplete:
        pages = f"{plan.pages} pages" if plan.pages != 1 else "1 page"
        yield plan.finding(
            f"{plan.noun} {plan.label} is incomplete: the last of {pages} read has a NextPageToken, "
            f"so changes beyond the {len(plan.changes)} seen are missing"
        )
    elif not plan.changes and _status(plan) == _SUCCEEDED[plan.kind][0]:
        status, member, call, severity = _SUCCEEDED[plan.kind]
        yield plan.finding(
            f"{plan.noun} {plan.label} is {status} but its document lists no changes: "
            + (_CHANGE_SET_CUT if plan.change_set is not None else _PLAN_CUT)
            + f"; save the whole {call} response, {member} included",
            severity=severity,
            subject="no changes",
        )


# What AWS answers for a document created with no changes, and so what a successful one that lists
# none means. CloudFormation always sends Changes and fails a change set that contains none: the
# changes were cut from the document. Service Catalog leaves an empty ResourceChanges out of its
# answer (its own CLI example is CREATE_SUCCESS without one): the changes may be missing.
_CHANGE_SET_CUT = "AWS fails a change set that contains none, so its changes are missing from the document"
_PLAN_CUT = "Service Catalog leaves an empty list out, so planlint cannot tell no changes from changes left out"
_SUCCEEDED = {
    InputKind.PLAN: ("CREATE_SUCCESS", "ResourceChanges", "DescribeProvisionedProductPlan", Severity.WARNING),
    InputKind.CHANGE_SET: ("CREATE_COMPLETE", "Changes", "DescribeChangeSet", None),
}


def _status(plan: Plan) -> str | None:
    status = plan.change_set.status if plan.change_set is not None else plan.status
    return None if status is None else str(status)
