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

    ## How to fix
    Nothing to fix when the change is intended; check that tag-based IAM conditions and cost
    reports still match.

    ## Options
    None.
    """
    for change in plan.changes:
        if change.is_modify and change.in_scope(Attribute.TAGS):
            yield change.finding(f"{change.label}: its tags change")
