"""A plan is finished where it is built: read from disk (pages, change sets, nested change sets,
templates), built again from its parts, or masked, it has the same values whatever the order, and
nothing writes into it or its changes afterwards."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from planlint.gate import lint
from planlint.masking import MASK
from planlint.model.plan import Plan
from planlint.read import nesting
from planlint.read.declare import TemplateFiles, Templates, declare, declare_all
from planlint.read.load import load
from planlint.read.template import parse
from planlint.testing import change, make_plan
from tests.conftest import CANARY, FIXTURES, write_json
from tests.test_imports import PACKAGE, module_name, runtime_imports

PAGES = [str(FIXTURES / "pages" / "identity-page-1.json"), str(FIXTURES / "pages" / "identity-page-2.json")]
OTHERS = [
    str(FIXTURES / "demo.json"),
    str(FIXTURES / "change-sets" / "nested-root.json"),
    str(FIXTURES / "change-sets" / "nested-child.json"),
]
TEMPLATES = TemplateFiles(
    new=str(FIXTURES / "templates" / "orders.yaml"), previous=str(FIXTURES / "templates" / "orders-previous.yaml")
)


def finished(plan: Plan) -> tuple[Any, ...]:
    """Everything a rule or a report can ask of a plan and its changes beyond AWS's members."""
    changes = tuple(
        (
            c.path,
            c.label,
            c.kind,
            c.source,
            c.declared,
            c.nested_change_set_given,
            c.only_tags_or_metadata,
            c.binding.index,
            c.cause_text,
            c.replaces,
            c.is_removal,
            c.finding("x"),
        )
        for c in plan.changes
    )
    return (
        plan.label,
        plan.kind,
        plan.source,
        plan.pages,
        plan.nested_path,
        plan.unlinked,
        plan.changes_listed,
        changes,
    )


def read(sources: list[str]) -> tuple[dict[str | None, tuple[Any, ...]], list[str]]:
    loaded = load(sources)
    plans, errors = declare_all(loaded.plans, TEMPLATES.read())
    return {plan.plan_id: finished(plan) for plan in plans}, sorted(str(e) for e in [*loaded.errors, *errors])


def test_plans_read_from_disk_are_the_same_whatever_the_order_of_the_files():
    first = read([*PAGES, *OTHERS])
    assert first == read([*PAGES, *OTHERS])
    assert first == read([*reversed(OTHERS), *PAGES])


def test_plans_read_from_disk_are_finished_when_built():
    plans, _ = declare_all(load([*PAGES, *OTHERS]).plans, TEMPLATES.read())
    by_name = {plan.details.plan_name: plan for plan in plans}
    root, child = by_name["network-update"], by_name["network-update-NetworkStack-1Q2W3E4R5T6Y"]
    assert child.nested_path == "NetworkStack" and child.unlinked == ""
    assert [c.path for c in child.changes] == ["NetworkStack/FlowLogsBucket", "NetworkStack/PrivateRouteTable"]
    assert [c.nested_change_set_given for c in root.changes] == [True]
    demo = next(plan for plan in plans if plan.plan_id == "pl-6kxqz3vbw2jra")
    assert any(c.declared is not None for c in demo.changes)
    assert all(c.source is not None and c.source.path.endswith("demo.json") for c in demo.changes)
    assert all(c.binding.plan_id == demo.plan_id for c in demo.changes)
    merged = next(plan for plan in plans if plan.pages == 2)
    files = [c.source.path if c.source else None for c in merged.changes]
    assert set(files) == set(PAGES) and files == sorted(files)  # each change where its own page put it


def test_a_plan_built_again_from_its_parts_is_the_same_plan():
    plans, _ = declare_all(load([*PAGES, *OTHERS]).plans, TEMPLATES.read())
    for plan in plans:
        again = Plan.built(plan.details, plan.changes, plan.next_page_token, plan.reading)
        assert finished(again) == finished(plan)
        assert all(a is not b for a, b in zip(again.changes, plan.changes, strict=True))


def test_declaring_and_linking_build_new_plans_and_leave_the_given_ones_as_they_were():
    plan = make_plan(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    before = finished(plan)
    template = parse("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n", "old.yaml")
    declared = declare(plan, Templates(previous=template))
    assert finished(plan) == before and plan.changes[0].declared is None
    assert declared.changes[0].declared is not None and declared.changes[0].declared.deletion_policy == "Snapshot"
    unlinked = load(OTHERS[1:]).plans  # linked while loading: link the plans again, unlinked as read
    pages = [
        Plan.built(
            p.details, p.changes, p.next_page_token, replace(p.reading, nested_path="", children_given=frozenset())
        )
        for p in unlinked
    ]
    as_given = [finished(p) for p in pages]
    linked, errors = nesting.link(pages)
    assert not errors and [finished(p) for p in pages] == as_given
    assert [p.nested_path for p in linked] == ["", "NetworkStack"]


def test_a_masked_report_points_each_finding_at_the_masked_change_of_its_plan(tmp_path: Path):
    document = json.loads((FIXTURES / "demo.json").read_text())
    for resource in document["ResourceChanges"]:
        resource["PhysicalResourceId"] = f"id-{CANARY}-{resource['LogicalResourceId']}"
    report = lint([str(write_json(tmp_path / "plan.json", document))])
    [result] = report.results
    on_changes = [f for f in result.findings if f.change is not None]
    assert on_changes
    for finding in on_changes:
        assert finding.change is not None
        index = finding.change.binding.index
        assert finding.change is result.plan.changes[index]
        assert finding.change.physical_resource_id == f"id-{MASK}-{finding.change.logical_resource_id}"
        assert finding.logical_id == finding.change.path
    assert CANARY not in repr(result.plan)


def _sources() -> dict[str, str]:
    return {module_name(p): p.read_text() for p in PACKAGE.rglob("*.py")}


def test_nothing_writes_into_a_model_after_it_is_built():
    """Beside the behaviour above: one place builds a change with its binding, nothing else sets state."""
    for name, text in _sources().items():
        for line in text.splitlines():
            if "object.__setattr__(" in line:
                assert name == "model.resource_change", f"planlint.{name}: {line.strip()}"
            assert "_private()" not in line, f"planlint.{name}: {line.strip()}"
            assert "ContextVar" not in line, f"planlint.{name}: {line.strip()}"
        if name in ("masking", "report.masked"):
            assert "id(finding" not in text and "id(old)" not in text, name


def test_the_model_imports_no_module_of_its_own_in_a_circle_when_it_runs():
    model = {module_name(p) for p in (PACKAGE / "model").glob("*.py")}
    graph = {
        name: runtime_imports(ast.parse((PACKAGE / (name.replace(".", "/") + ".py")).read_text())) & model
        for name in model - {"model"}
    }
    done: set[str] = set()

    def walk(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " → ".join([*path, name])
        if name in done:
            return
        for following in sorted(graph.get(name, ())):
            walk(following, (*path, name))
        done.add(name)

    for name in sorted(graph):
        walk(name, ())


def test_a_finding_on_a_change_of_no_plan_of_the_report_is_masked_all_the_same(tmp_path: Path):
    """The engine refuses a finding on another plan's change; were one to reach masking, its change is
    masked on its own rather than shown as it is."""
    from planlint.engine.run import PlanResult
    from planlint.report.masked import mask_report
    from planlint.report.result import Report

    document = json.loads((FIXTURES / "demo.json").read_text())
    document["ResourceChanges"][0]["PhysicalResourceId"] = f"id-{CANARY}"
    path = str(write_json(tmp_path / "plan.json", document))
    [plan] = load([path]).plans
    [twin] = load([path]).plans  # the same plan read again: equal, but other objects
    foreign = twin.changes[0]
    finding = foreign.finding("seen").stamped(rule_code="ACME001", rule_name="acme", severity=None)
    report = mask_report(Report(results=[PlanResult(plan, [finding])], rules=[]))
    [masked] = report.results[0].findings
    assert masked.change is not None and masked.change is not foreign
    assert masked.change.physical_resource_id == f"id-{MASK}"
    assert CANARY not in repr(masked.change)
