"""Nested change sets linked into one run: a child is named by its path from the root.

A root change set lists a nested stack's change (``AWS::CloudFormation::Stack``) with the
``ChangeSetId`` of the child's own change set and the nested stack's id (``PhysicalResourceId``);
the child names its parent (``ParentChangeSetId``), its root (``RootChangeSetId``) and its stack
(``StackId``). A child is linked only when both sides agree: it names the parent and the parent's
root, its stack is the one the stack change names, and the stack change names this child (or no
change set at all: a viewer may replace the id by a file name). A new nested stack (``Add``) has no
physical id yet: its stack change must then name the child by its id.

Linking builds the change sets it touches again, whole (``Plan.with_reading``): a linked child's
changes are linted as part of the run and named by their path —
``NetworkStack/FlowLogsBucket`` — and the parent's stack change knows its child is there, so
``nested-stack-change`` warns only about children that were not linked. A child that one side
names but the other does not agree with is left unlinked, with the reason on it, which
``nested-stack-change`` reports. CloudFormation nests change sets as a tree, so a change set
claimed by two stack changes, or change sets that name each other in a loop, are documents of no
one run: they are refused (a ``LoadError`` naming the files), and none of them is linked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from planlint.model.plan import Plan
from planlint.model.resource_change import ResourceChange
from planlint.read.errors import LoadError
from planlint.support.safetext import clean

STACK = "AWS::CloudFormation::Stack"
# what names a change set, however spelled: an ARN, or anything with a changeSet/ part (a viewer may
# put a file name there instead, which names none)
_CHANGE_SET_ID = re.compile(r"arn:|changeset/", re.IGNORECASE)


@dataclass(frozen=True)
class _Claim:
    """A stack change of ``parent`` and the change set in the run that one side says is its child
    (``change`` is None when the child names the parent, but no stack change there is of its stack)."""

    parent: Plan
    change: ResourceChange | None
    child: Plan
    index: int = -1  # the place of ``change`` among the parent's changes


def link(plans: Sequence[Plan]) -> tuple[list[Plan], list[LoadError]]:
    """``plans`` with every child change set given linked to the stack change of its parent (the
    plans it names or links built again, the others as they are); and the refusals."""
    change_sets = [p for p in plans if p.change_set is not None and p.plan_id]
    by_id: dict[str, list[Plan]] = {}
    for plan in change_sets:
        by_id.setdefault(plan.plan_id or "", []).append(plan)
    claims = _claims(change_sets, by_id)
    errors, refused = _contradictions(claims, by_id)
    children: dict[str, tuple[Plan, str]] = {}  # child id: (parent, the stack's logical id)
    unlinked: dict[int, str] = {}  # id() of a plan: why it is not linked
    given: dict[int, set[int]] = {}  # id() of a plan: its stack changes whose child is linked
    for claim in claims:
        if claim.parent.plan_id in refused or claim.child.plan_id in refused:
            continue
        problem = _disagreement(claim)
        if problem or claim.change is None:
            unlinked[id(claim.child)] = f"to {_named(claim.parent)}: {problem}"
            continue
        children[claim.child.plan_id or ""] = (claim.parent, claim.change.logical_resource_id or "?")
        given.setdefault(id(claim.parent), set()).add(claim.index)
    paths = {id(plan): _path(plan, children) for plan in change_sets if plan.plan_id in children}
    for key in paths:
        unlinked[key] = ""
    return [_linked(plan, paths, unlinked, given) for plan in plans], errors


def _linked(plan: Plan, paths: dict[int, str], unlinked: dict[int, str], given: dict[int, set[int]]) -> Plan:
    key = id(plan)
    if key not in paths and key not in unlinked and key not in given:
        return plan
    return plan.with_reading(
        nested_path=paths.get(key, plan.nested_path),
        unlinked=unlinked.get(key, plan.unlinked),
        children_given=plan.reading.children_given | given.get(key, set()),
    )


def _is_stack(change: ResourceChange) -> bool:
    return change.resource_type == STACK


def _names_a_change_set(change: ResourceChange) -> bool:
    return bool(change.change_set_id and _CHANGE_SET_ID.search(change.change_set_id))


def _claims(change_sets: Sequence[Plan], by_id: dict[str, list[Plan]]) -> list[_Claim]:
    """Every (parent, stack change, child) that either side names, each once: a stack change names a
    child by its ``ChangeSetId``; a child names its parent by ``ParentChangeSetId``, and the stack
    change by its stack."""
    claims: dict[tuple[int, int, int], _Claim] = {}
    for parent in change_sets:
        for index, change in enumerate(parent.changes):
            if _is_stack(change) and _names_a_change_set(change):
                for child in by_id.get(change.change_set_id or "", []):
                    claims[id(parent), id(change), id(child)] = _Claim(parent, change, child, index)
    for child in change_sets:
        assert child.change_set is not None
        for parent in by_id.get(child.change_set.parent_change_set_id or "", []):
            stacks = [
                (i, c)
                for i, c in enumerate(parent.changes)
                if _is_stack(c) and c.physical_resource_id == child.change_set.stack_id
            ]
            for index, change in stacks:
                claims.setdefault((id(parent), id(change), id(child)), _Claim(parent, change, child, index))
            if not any(claim.child is child and claim.parent is parent for claim in claims.values()):
                claims[id(parent), 0, id(child)] = _Claim(parent, None, child)
    return list(claims.values())


def _disagreement(claim: _Claim) -> str:
    """What the two sides of a claim do not agree on; empty when they agree on every id."""
    child, parent, change = claim.child.change_set, claim.parent.change_set, claim.change
    assert child is not None and parent is not None
    if change is None:
        return (
            f"it names that change set as its parent, but no stack change there is of its stack {_id(child.stack_id)}"
        )
    root = parent.root_change_set_id or parent.change_set_id
    if child.parent_change_set_id != parent.change_set_id:
        return f"its ParentChangeSetId is {_id(child.parent_change_set_id)}, not {_id(parent.change_set_id)}"
    if child.root_change_set_id != root:
        return f"its RootChangeSetId is {_id(child.root_change_set_id)}, not its parent's root {_id(root)}"
    if _names_a_change_set(change) and change.change_set_id != child.change_set_id:
        return f"the stack change {_logical(change)} names change set {_id(change.change_set_id)}, not this one"
    if change.physical_resource_id is None and change.is_add and change.change_set_id == child.change_set_id:
        return ""  # a new nested stack: no stack id yet, and the stack change names this very change set
    if change.physical_resource_id != child.stack_id:
        return (
            f"its StackId is {_id(child.stack_id)}, but the stack change {_logical(change)} is of "
            f"{_id(change.physical_resource_id)}"
        )
    return ""


def _contradictions(claims: Sequence[_Claim], by_id: dict[str, list[Plan]]) -> tuple[list[LoadError], set[str]]:
    """Refusals for what no CloudFormation run makes: a change set claimed by two stack changes, and
    change sets that name each other in a loop (by either side's ids); and the ids of those refused."""
    errors: list[LoadError] = []
    refused: set[str] = set()
    claimants: dict[str, dict[tuple[str, str], Plan]] = {}  # child id: (parent id, logical id): parent
    edges: dict[str, set[str]] = {}  # parent id: child ids, as either side names them
    for claim in claims:
        parent_id, child_id = claim.parent.plan_id or "", claim.child.plan_id or ""
        edges.setdefault(parent_id, set()).add(child_id)
        if claim.change is not None:
            claimants.setdefault(child_id, {})[parent_id, claim.change.logical_resource_id or ""] = claim.parent
    for child_id, parents in claimants.items():
        if len(parents) > 1:
            files = _files([*parents.values(), *by_id[child_id]])
            errors.append(
                LoadError(
                    files[0],
                    f"ChangeSetId {clean(child_id, 200)}",
                    f"claimed by {len(parents)} stack changes ({', '.join(_stack_names(parents))}) in "
                    f"{', '.join(files)}; a nested change set has one parent: give the change sets of one run",
                )
            )
            refused |= {child_id, *(parent_id for parent_id, _ in parents)}
    for loop in _loops(edges):
        files = _files([plan for plan_id in loop for plan in by_id[plan_id]])
        errors.append(
            LoadError(
                files[0],
                f"ChangeSetId {clean(loop[0], 200)}",
                f"change sets name each other in a loop ({' → '.join(files + files[:1])}); nested change sets "
                "form a tree: give the change sets of one run",
            )
        )
        refused |= set(loop)
    return errors, refused


def _loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each loop of ``edges`` once, as the ids along it (a change set that names itself is one)."""
    loops: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, list[str]]] = [(start, sorted(edges.get(start, ())))]
        state[start], path = 1, [start]
        while stack:
            node, rest = stack[-1]
            if not rest:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            following = rest.pop(0)
            if state.get(following) == 1:
                loops.append(path[path.index(following) :])
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append((following, sorted(edges.get(following, ()))))
    return loops


def _files(plans: Sequence[Plan]) -> list[str]:
    return list(dict.fromkeys(clean(p.source.path) if p.source else "(fetched)" for p in plans))


def _stack_names(parents: dict[tuple[str, str], Plan]) -> list[str]:
    return [clean(logical_id or "?", 100) for _, logical_id in parents]


def _named(plan: Plan) -> str:
    return f"change set {clean(plan.details.plan_name or plan.plan_id or '?', 200)}"


def _logical(change: ResourceChange) -> str:
    return clean(change.logical_resource_id or "(no logical id)", 100)


def _id(value: str | None) -> str:
    return clean(value, 200) if value else "(none)"


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
