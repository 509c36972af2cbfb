"""PL402 incomplete-plan."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, PlanStatus, Severity, rule


@rule("PL402", "incomplete-plan", severity=Severity.ERROR, tags={"plan-health"})
def incomplete_plan(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A plan whose last page read has a non-null `NextPageToken`: more resource changes exist
    that planlint has not seen. Also, as a warning, a `CREATE_SUCCESS` plan whose document has
    no `ResourceChanges` at all: AWS reports a plan without changes as `CREATE_FAILED`, so the
    changes were probably left out when the document was saved.

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
    the whole response, without a `--query` that drops `ResourceChanges`.

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
    if not plan.changes_listed and plan.status == PlanStatus.CREATE_SUCCESS:
        yield plan.finding(
            f"{plan.noun} {plan.label} is CREATE_SUCCESS but its document has no ResourceChanges: AWS reports a plan "
            "without changes as CREATE_FAILED, so the changes may be missing from the document; save the whole "
            "DescribeProvisionedProductPlan response",
            severity=Severity.WARNING,
            subject="no ResourceChanges",
        )
