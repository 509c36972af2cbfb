"""Nested change sets linked into one run: a child is named by its path from the root.

A root change set lists a nested stack's change (``AWS::CloudFormation::Stack``) with the
``ChangeSetId`` of the child's own change set; the child names its parent
(``ParentChangeSetId``) and its stack (``StackId``, the stack change's ``PhysicalResourceId``).
Either link will do. When a child is given too (a file, or fetched), its changes are linted as
part of the run and named by their path —
``NetworkStack/FlowLogsBucket`` — and the parent's stack change knows its child is there, so
``nested-stack-change`` warns only about children that were not provided.
"""

from __future__ import annotations

from collections.abc import Sequence

from planlint.model import Plan

STACK = "AWS::CloudFormation::Stack"


def link(plans: Sequence[Plan]) -> None:
    """Link every child change set given to the stack change of its parent, roots first."""
    by_id: dict[str | None, Plan] = {p.plan_id: p for p in plans if p.change_set is not None and p.plan_id}
    by_stack: dict[tuple[str | None, str | None], Plan] = {
        (p.change_set.parent_change_set_id, p.change_set.stack_id): p
        for p in by_id.values()
        if p.change_set is not None and p.change_set.parent_change_set_id and p.change_set.stack_id
    }
    children: dict[str, tuple[Plan, str]] = {}  # child id: (parent, the stack's logical id)
    for plan in by_id.values():
        for change in plan.changes:
            if change.resource_type != STACK:
                continue
            child = by_id.get(change.change_set_id) or by_stack.get((plan.plan_id, change.physical_resource_id))
            if child is not None and child is not plan and child.plan_id:
                children[child.plan_id] = (plan, change.logical_resource_id or "?")
                change._link_child()
    for plan in by_id.values():
        path = _path(plan, children)
        if path:
            plan._nest(path)


def _path(plan: Plan, children: dict[str, tuple[Plan, str]]) -> str:
    """``Network/Subnets``: the stack changes from the root down to ``plan``; empty for a root."""
    parts: list[str] = []
    seen = set()
    current = plan
    while current.plan_id in children and current.plan_id not in seen:
        seen.add(current.plan_id)
        parent, logical_id = children[current.plan_id or ""]
        parts.append(logical_id)
        current = parent
    return "/".join(reversed(parts))
