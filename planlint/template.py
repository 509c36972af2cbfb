"""A CloudFormation template, read for what a plan does not say: each resource's ``Type``,
``DeletionPolicy`` and ``UpdateReplacePolicy``, and the line of its logical id and of each of
its properties.

YAML (with CloudFormation's short-form tags — ``!Ref``, ``!GetAtt A.B``, ``!Sub``, ``!If`` …)
or JSON, which is YAML too. PyYAML *composes* the document — a tree of nodes, each with its
position — and nothing is constructed: a tag is only a node's label, so no tag can run code or
needs a constructor, an alias is never expanded, and the lines are exact. Only three levels
are walked (``Resources``, a resource, its ``Properties``).

Anything else — not YAML, no ``Resources`` mapping, a logical id twice — is a ``TemplateError``:
one line with the file and the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planlint.files import FileProblem, read_regular
from planlint.findings import Location

MAX_SIZE = 16 * 1024 * 1024  # larger than CloudFormation's own 1 MB limit for a template body
_STR = "tag:yaml.org,2002:str"
RETAINING_POLICIES = ("Retain", "RetainExceptOnCreate")  # the DeletionPolicy values that keep a removed resource


class TemplateError(ValueError):
    """A template planlint cannot use: the file, the line (0: the file as a whole) and why."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}: line {line}: {problem}" if line else f"{path}: {problem}")


@dataclass(frozen=True)
class TemplateResource:
    """One resource of a template: what it declares and where."""

    logical_id: str
    line: int
    type: str | None = None
    deletion_policy: str | None = None  # as written; ``(an expression)`` when not a plain string
    update_replace_policy: str | None = None
    property_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    path: str
    resources: Mapping[str, TemplateResource]
    origin: str = "file"  # "fetched": from AWS and not saved, so no file to point at

    def location(self, logical_id: str, properties: tuple[str, ...] = ()) -> Location:
        return Location(self.path, self.line_of(logical_id, properties), self.origin)

    def line_of(self, logical_id: str, properties: tuple[str, ...] = ()) -> int:
        """The line of the first of ``properties`` the resource declares, else of its logical id."""
        resource = self.resources[logical_id]
        for name in properties:
            top = name.split(".", 1)[0]
            if top in resource.property_lines:
                return resource.property_lines[top]
        return resource.line


@dataclass(frozen=True)
class Declared:
    """What the product's templates declare of one change's resource: the ``DeletionPolicy`` that
    applies to it (the previous template's for a removal, else the new one's), the previous one, the
    new ``UpdateReplacePolicy``, and the line to point at (the previous template's for a removal).
    A policy is None when the template declares none (CloudFormation's default: Delete)."""

    deletion_policy: str | None
    previous_deletion_policy: str | None
    update_replace_policy: str | None
    location: Location
    previous_known: bool = False  # a previous template was given, so ``previous_deletion_policy`` is known


def read(path: str) -> Template:
    """The template at ``path``; raises ``TemplateError``."""
    try:
        data = read_regular(path, MAX_SIZE)
    except FileProblem as problem:
        raise TemplateError(path, 0, str(problem).replace(" (--max-file-size)", "")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(path, 0, "not UTF-8 text") from None
    return parse(text, path)


def parse(text: str, path: str, origin: str = "file") -> Template:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise TemplateError(path, line, f"not YAML or JSON: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise TemplateError(path, 0, f"not YAML or JSON: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    except RecursionError:
        raise TemplateError(path, 0, "nested too deeply for planlint to read") from None
    if not isinstance(root, yaml.MappingNode):
        raise TemplateError(path, _line(root), "not a CloudFormation template: it is not a mapping with Resources")
    resources = _value(root, "Resources")
    if not isinstance(resources, yaml.MappingNode):
        where = _line(resources) if resources is not None else 0
        raise TemplateError(path, where, "not a CloudFormation template: it has no Resources mapping")
    found: dict[str, TemplateResource] = {}
    for key, value in resources.value:
        logical_id = _scalar(key)
        if logical_id is None:
            raise TemplateError(path, _line(key), "a resource's logical id is not a string")
        if logical_id in found:
            raise TemplateError(
                path, _line(key), f"resource {logical_id} is declared twice (first at line {found[logical_id].line})"
            )
        found[logical_id] = _resource(logical_id, key, value)
    return Template(path, found, origin)


def _resource(logical_id: str, key: Any, value: Any) -> TemplateResource:
    import yaml

    if not isinstance(value, yaml.MappingNode):
        return TemplateResource(logical_id, _line(key))
    properties = _value(value, "Properties")
    lines = {}
    if isinstance(properties, yaml.MappingNode):
        lines = {name: _line(k) for k, _ in properties.value if (name := _scalar(k)) is not None}
    return TemplateResource(
        logical_id,
        _line(key),
        type=_scalar(_value(value, "Type")),
        deletion_policy=_policy(_value(value, "DeletionPolicy")),
        update_replace_policy=_policy(_value(value, "UpdateReplacePolicy")),
        property_lines=lines,
    )


def _value(mapping: Any, name: str) -> Any:
    for key, value in mapping.value:
        if _scalar(key) == name:
            return value
    return None


def _scalar(node: Any) -> str | None:
    """A plain string node's text (``!Ref X`` is no plain string)."""
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return str(node.value)
    return None


def _policy(node: Any) -> str | None:
    if node is None:
        return None
    return _scalar(node) or "(an expression)"


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1 if node is not None else 0
