"""Templates bound to a plan: each change learns what the product's templates declare of its resource
(``template.Declared``) — the policies CloudFormation will apply, and the line to point at.

``new`` is the template as it will be, ``previous`` as it is deployed. A change that adds or
modifies a resource must find it in ``new`` (a modification in ``previous`` too); a removal must
find it in ``previous`` and not in ``new`` — unless ``new`` declares it with a ``Condition``, which
has turned false; and where found, with the plan's ``Type``. A resource that ``previous`` declares
with a ``Condition`` and the plan adds was not deployed (its condition has turned true): it has no
policy before. Anything else means the templates are not this plan's: a ``TemplateError``, and the plan
is not judged with them. Templates named for a change set are refused (``TemplateFiles.read``): its
``PolicyAction`` already says what CloudFormation will do (when it fits the change's action:
``ResourceChange.policy_misfit``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from planlint.config.tables import ProductTemplates
from planlint.model.declared import Declared
from planlint.model.enums import Action, InputKind
from planlint.model.plan import Plan, ResourceChange
from planlint.read import template
from planlint.read.errors import LoadError
from planlint.read.template import Template, TemplateError, TemplateResource
from planlint.support.safetext import clean


@dataclass(frozen=True)
class Templates:
    """The templates of one product: either may be missing."""

    new: Template | None = None
    previous: Template | None = None

    def __bool__(self) -> bool:
        return self.new is not None or self.previous is not None


@dataclass(frozen=True)
class TemplateFiles:
    """Which templates go with which plans: those fetched with the plan (``by_plan``, by plan id),
    else the files ``new`` and ``previous`` with every plan (the command line's), else those of the
    first ``by_product`` entry whose glob matches the plan's provisioned product name (the
    configuration's)."""

    new: str | None = None
    previous: str | None = None
    by_product: tuple[ProductTemplates, ...] = ()
    by_plan: Mapping[str, Templates] = field(default_factory=dict)  # fetched with the plan (--fetch-templates)

    def read(self) -> Callable[[Plan], Templates]:
        """Read every template named, now (a ``TemplateError`` before any plan is judged); then the
        templates of a plan."""
        read: dict[str, Template] = {}
        for path in self._paths():
            if path not in read:
                read[path] = template.read(path)

        def of(new: str | None, previous: str | None) -> Templates:
            return Templates(read[new] if new else None, read[previous] if previous else None)

        def choose(plan: Plan) -> Templates:
            if plan.plan_id is not None and plan.plan_id in self.by_plan:
                return self.by_plan[plan.plan_id]
            if self.new or self.previous:
                named = " and ".join(
                    n for n, p in (("--template", self.new), ("--previous-template", self.previous)) if p
                )
                return _for_plans_only(plan, named, of(self.new, self.previous))
            if plan.kind is not InputKind.PLAN:
                return Templates()  # an entry names a provisioned product: it is for plans alone
            product = plan.details.provisioned_product_name or ""
            for entry in self.by_product:
                if product and fnmatchcase(product, entry.product):
                    named = f"the [[templates]] entry for product {clean(entry.product, 80)}"
                    return _for_plans_only(plan, named, of(entry.template, entry.previous_template))
            return Templates()

        return choose

    def _paths(self) -> Iterable[str]:
        if self.new or self.previous:
            yield from (p for p in (self.new, self.previous) if p)
            return
        for entry in self.by_product:
            yield from (p for p in (entry.template, entry.previous_template) if p)


def _for_plans_only(plan: Plan, named: str, templates: Templates) -> Templates:
    """``templates``, named by ``named``, for a plan; raises ``TemplateError`` on the change set's file
    for a change set: its ``PolicyAction`` already says what CloudFormation will do, and a template
    beside it would only be a second, unchecked account of the same."""
    if plan.kind is InputKind.PLAN:
        return templates
    where = plan.source
    raise TemplateError(
        where.path if where is not None else "(change set)",
        where.line if where is not None else 0,
        f"{plan.noun} {plan.label}: templates ({named}) are for Service Catalog plans; a change set's "
        "PolicyAction already says what CloudFormation will do, so lint it without them",
    )


_MADE_FROM = "is it the template this plan was made from?"
_DEPLOYED = "is it the template deployed now?"


def declare_all(plans: Iterable[Plan], choose: Callable[[Plan], Templates]) -> tuple[list[Plan], list[LoadError]]:
    """Every plan with the templates ``choose`` gives it bound (see :func:`declare`); a plan they do
    not fit is kept without them, and the error says why (the run cannot pass)."""
    finished: list[Plan] = []
    errors: list[LoadError] = []
    for plan in plans:
        try:
            plan = declare(plan, choose(plan))
        except TemplateError as exc:
            errors.append(exc.unreadable())
        finished.append(plan)
    return finished, errors


def declare(plan: Plan, templates: Templates) -> Plan:
    """``plan`` built again with what ``templates`` declare of each of its changes (``plan`` itself
    when there is nothing to declare); raises ``TemplateError`` when they do not fit it."""
    if plan.kind is not InputKind.PLAN or not templates:
        return plan
    new, previous = templates.new, templates.previous
    found: list[Declared | None] = []
    for change in plan.changes:
        found.append(None)
        logical_id = change.logical_resource_id
        if not logical_id:
            continue
        if change.action == Action.REMOVE:
            if new is not None and logical_id in new.resources and new.resources[logical_id].condition is None:
                raise TemplateError(
                    new.path,
                    new.resources[logical_id].line,
                    f"{plan.noun} {plan.label} removes {logical_id}, but this template still declares it: {_MADE_FROM}",
                )
            if previous is None:
                continue
            old = _resource(plan, change, previous, _DEPLOYED)
            location = previous.location(logical_id)
            declared = Declared(old.deletion_policy, old.deletion_policy, old.update_replace_policy, location, True)
        else:
            if new is None:
                continue
            resource = _resource(plan, change, new, _MADE_FROM)
            before = None
            deployed = change.action == Action.MODIFY or (
                previous is not None
                and logical_id in previous.resources
                and not (change.action == Action.ADD and previous.resources[logical_id].condition is not None)
            )
            if previous is not None and deployed:
                before = _resource(plan, change, previous, _DEPLOYED)  # what a plan modifies is deployed now
            names = tuple(c.name for c in (*change.recreation_causes, *change.causes) if c.name)
            declared = Declared(
                resource.deletion_policy,
                before.deletion_policy if before is not None else None,
                resource.update_replace_policy,
                new.location(logical_id, names),
                before is not None,
            )
        found[-1] = declared
    if not any(found):
        return plan
    return plan.with_reading(declared=tuple(found))  # all or nothing: only when every change fits


def _resource(plan: Plan, change: ResourceChange, chosen: Template, question: str) -> TemplateResource:
    """The resource of ``change`` in ``chosen``, which must declare it with the plan's type (CloudFormation
    never changes a resource's type in place: a logical id of another type is another resource); raises
    ``TemplateError``."""
    logical_id = str(change.logical_resource_id)
    if chosen.transformed:
        question += " (it has a Transform: the plan describes the template it expands to, the processed one)"
    does = (
        f"removes {logical_id}"
        if change.action == Action.REMOVE
        else f"changes {logical_id} ({change.action or 'no action'})"
    )
    does = f"{plan.noun} {plan.label} {does}"
    resource = chosen.resources.get(logical_id)
    if resource is None:
        raise TemplateError(chosen.path, 0, f"{does}, which this template does not declare: {question}")
    if not resource.type:
        problem = "a Type that is not a plain string" if resource.type_line else "no Type"
        raise TemplateError(
            chosen.path, resource.type_line or resource.line, f"{does}, but here it has {problem}: {question}"
        )
    if change.resource_type and resource.type != change.resource_type:
        raise TemplateError(
            chosen.path,
            resource.type_line,
            f"{does}, a resource of type {clean(change.resource_type, 80)}, but this template declares it as "
            f"{clean(resource.type, 80)}: {question}",
        )
    return resource
