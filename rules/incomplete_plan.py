"""PL402 incomplete-plan."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, Severity, rule


@rule("PL402", "incomplete-plan", severity=Severity.ERROR, tags={"plan-health"})
def incomplete_plan(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    A plan whose last page read has a non-null `NextPageToken`: more resource changes exist
    that planlint has not seen.

    ## Why it matters
    DescribeProvisionedProductPlan returns at most 20 changes a page. A saved first page of a
    larger plan looks complete but is not, and the unseen pages may hold the removal that
    matters. planlint cannot vouch for changes it has not read.

    ## How to fix
    Save every page (follow `NextPageToken` until it is null) and lint them together — as a
    JSON list of pages, several files or a directory — or let planlint fetch the plan.

    ## Options
    None.
    """
    if plan.incomplete:
        pages = f"{plan.pages} pages" if plan.pages != 1 else "1 page"
        yield plan.finding(
            f"plan {plan.label} is incomplete: the last of {pages} read has a NextPageToken, "
            f"so changes beyond the {len(plan.changes)} seen are missing"
        )
