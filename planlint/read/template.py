"""A CloudFormation template, read for what a plan does not say: each resource's ``Type``,
``DeletionPolicy`` and ``UpdateReplacePolicy``, and the line of its logical id and of each of
its properties.

YAML (with CloudFormation's short-form tags — ``!Ref``, ``!GetAtt A.B``, ``!Sub``, ``!If`` …)
or JSON, which is YAML too. PyYAML *parses* the document into events, each with its position,
and they are read one by one: no tree of the whole template is built, and nothing is
constructed, so a tag is only a label (no tag can run code or needs a constructor) and the
lines are exact. Resources, their attributes and their properties are kept.

Where CloudFormation could read a template otherwise than planlint, it is refused: a key twice
in any mapping at any level (``"DeletionPolicy"`` and ``DeletionPolicy`` are one key, and so are
``1`` and ``"1"``: CloudFormation's keys are JSON's strings), an alias or a merge key (which
CloudFormation does not accept), more than one document, and more than CloudFormation's own
size limit (``MAX_SIZE``, counted in bytes, for files and fetched templates alike). That, and
anything else planlint cannot use — not YAML, no ``Resources`` mapping — is a ``TemplateError``:
one line with the file and the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planlint.model.findings import Location
from planlint.read.errors import LoadError
from planlint.support.errors import InputError
from planlint.support.files import MIB, FileProblem, read_regular, size_text
from planlint.support.safetext import clean

# CloudFormation reads a template of at most "1 MB" (from S3; 51,200 bytes inline): read as the
# larger MiB, so that no template AWS accepts is refused
MAX_SIZE = MIB
_LIMIT_SET_BY = ", CloudFormation's own for a template"  # after "larger than the 1 MiB limit"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVED = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))
_ATTRIBUTES = ("Type", "DeletionPolicy", "UpdateReplacePolicy", "Condition")
MAX_DEPTH = 500  # open mappings and lists at once: as deep as a plan may nest (jsonmap.MAX_DEPTH)
# a surrogate pair written as two JSON escapes, after an even number of backslashes (none escaping it)
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


class TemplateError(InputError, ValueError):
    """A template planlint cannot use: the file, the line (0: the file as a whole) and why."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}: line {line}: {problem}" if line else f"{path}: {problem}")

    def unreadable(self) -> LoadError:
        """This problem as an input the run could not use, said like a file that cannot be read."""
        return LoadError(self.path, f"line {self.line}" if self.line else "", self.problem)


@dataclass(frozen=True)
class TemplateResource:
    """One resource of a template: what it declares and where."""

    logical_id: str
    line: int
    type: str | None = None  # None: no Type, or one that is not a plain string (``type_line`` tells which)
    deletion_policy: str | None = None  # as written; ``(an expression)`` when not a plain string
    update_replace_policy: str | None = None
    property_lines: Mapping[str, int] = field(default_factory=dict)
    type_line: int = field(default=0, compare=False)  # the line of its Type; 0: it declares none
    condition: str | None = None  # the name of its Condition; ``(an expression)`` when not a plain string


@dataclass(frozen=True)
class Template:
    path: str
    resources: Mapping[str, TemplateResource]
    origin: str = "file"  # "fetched": from AWS and not saved, so no file to point at
    transformed: bool = False  # it names a Transform (a macro, SAM): the stack holds what it expands to

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


def read(path: str) -> Template:
    """The template at ``path``; raises ``TemplateError``."""
    try:
        data = read_regular(path, MAX_SIZE)
    except FileProblem as problem:
        raise TemplateError(path, 0, str(problem).replace(" (--max-file-size)", _LIMIT_SET_BY)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(path, 0, "not UTF-8 text") from None
    return parse(text, path)


def parse(text: str, path: str, origin: str = "file") -> Template:
    """The template ``text`` (named ``path``); raises ``TemplateError``."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SIZE:
        raise TemplateError(path, 0, f"larger than the {size_text(MAX_SIZE)} limit{_LIMIT_SET_BY}")
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(_one_escape_per_character(text))
    try:
        walk = _Walk(path, loader)
        resources = walk.resources()
        return Template(path, resources, origin, walk.transformed)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise TemplateError(path, line, f"not YAML or JSON: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise TemplateError(path, 0, f"not YAML or JSON: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    finally:
        loader.dispose()


def _one_escape_per_character(text: str) -> str:
    """JSON text with each character beyond U+FFFF as one ``\\U`` escape: JSON writes it as two
    ``\\u`` escapes (a surrogate pair), which YAML does not read. YAML's own text is left alone:
    outside double quotes a backslash is no escape."""
    if "\\u" not in text or not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return text

    def one(match: re.Match[str]) -> str:
        high, low = int(match[2], 16) - 0xD800, int(match[3], 16) - 0xDC00
        return f"{match[1]}\\U{0x10000 + (high << 10) + low:08x}"

    return _SURROGATE_PAIR.sub(one, text)


@dataclass
class _Frame:
    """An open mapping or list of the document, and what planlint reads of it (``role``)."""

    role: str  # root, resources, resource, properties, other
    mapping: bool
    keys: dict[str, int] = field(default_factory=dict)  # each key as written and as resolved: its first line
    key: str | None = None  # the last key, when it is a plain string
    key_line: int = 0
    awaiting_value: bool = False
    attributes: dict[str, str | None] = field(default_factory=dict)  # a resource's Type and policies
    attribute_lines: dict[str, int] = field(default_factory=dict)  # and the line of each
    property_lines: dict[str, int] = field(default_factory=dict)  # a resource's, shared with its Properties


class _Walk:
    """The document read event by event, as the parser makes them: no tree of the whole template
    is built. Every mapping's keys are checked at every level, since CloudFormation reads every
    level; the resources are kept."""

    def __init__(self, path: str, loader: Any) -> None:
        self.path, self.loader = path, loader
        self.stack: list[_Frame] = []
        self.found: dict[str, TemplateResource] = {}
        self.root_seen = self.resources_seen = self.transformed = False

    def resources(self) -> dict[str, TemplateResource]:
        import yaml

        documents = 0
        while self.loader.check_event():
            event = self.loader.get_event()
            line = int(event.start_mark.line) + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise TemplateError(self.path, line, "more than one YAML document; a template is one")
            elif isinstance(event, yaml.AliasEvent):
                raise TemplateError(self.path, line, "a YAML alias (*name), which CloudFormation does not accept")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._close(self.stack.pop())
            elif isinstance(event, yaml.NodeEvent):
                parent = self.stack[-1] if self.stack else None
                if parent is not None and parent.mapping and not parent.awaiting_value:
                    self._key(parent, event, line)
                else:
                    self._value(parent, event, line)
        if not self.root_seen:
            raise TemplateError(self.path, 0, "not a CloudFormation template: it is not a mapping with Resources")
        if not self.resources_seen:
            raise TemplateError(self.path, 0, "not a CloudFormation template: it has no Resources mapping")
        return self.found

    def _key(self, parent: _Frame, event: Any, line: int) -> None:
        import yaml

        if not isinstance(event, yaml.ScalarEvent):
            raise TemplateError(self.path, line, "a mapping or list as a key, which CloudFormation cannot read")
        tag = self._tag(event)
        if tag == _MERGE:
            raise TemplateError(self.path, line, "a YAML merge key (<<), which CloudFormation does not accept")
        text = str(event.value)
        for identity in self._identities(tag, text):
            first = parent.keys.get(identity)
            if first is not None:
                if parent.role == "resources":
                    raise TemplateError(
                        self.path, line, f"resource {clean(text, 80)} is declared twice (first at line {first})"
                    )
                raise TemplateError(
                    self.path, line, f'key "{clean(text, 80)}" appears twice in one mapping (first at line {first})'
                )
            parent.keys[identity] = line
        if parent.role == "resources" and tag != _STR:
            raise TemplateError(self.path, line, "a resource's logical id is not a string")
        parent.key, parent.key_line, parent.awaiting_value = (text if tag == _STR else None), line, True
        if parent.role == "properties" and parent.key is not None:
            parent.property_lines[parent.key] = line

    def _value(self, parent: _Frame | None, event: Any, line: int) -> None:
        import yaml

        mapping = isinstance(event, yaml.MappingStartEvent)
        collection = mapping or isinstance(event, yaml.SequenceStartEvent)
        role = "other"
        if parent is None:
            if not mapping:
                raise TemplateError(
                    self.path, line, "not a CloudFormation template: it is not a mapping with Resources"
                )
            role, self.root_seen = "root", True
        elif parent.role == "root" and parent.key == "Transform":
            self.transformed = True
        elif parent.role == "root" and parent.key == "Resources":
            if not mapping:
                raise TemplateError(self.path, line, "not a CloudFormation template: it has no Resources mapping")
            role, self.resources_seen = "resources", True
        elif parent.role == "resources":
            if mapping:
                role = "resource"
            else:
                self._resource(parent, {}, {}, 0)
        elif parent.role == "resource" and parent.key in _ATTRIBUTES:
            # a Condition is a name, whatever YAML would resolve it to (``Off`` is a name, not false)
            plain = (parent.key == "Condition" and event.tag in (None, "!")) or (
                isinstance(event, yaml.ScalarEvent) and self._tag(event) == _STR
            )
            text = str(event.value) if isinstance(event, yaml.ScalarEvent) and plain else None
            parent.attributes[parent.key] = text
            parent.attribute_lines[parent.key] = parent.key_line
        elif parent.role == "resource" and parent.key == "Properties" and mapping:
            role = "properties"
        if not collection:
            if parent is not None:
                parent.awaiting_value = False
            return
        if len(self.stack) >= MAX_DEPTH:
            raise TemplateError(self.path, line, "nested too deeply for planlint to read")
        frame = _Frame(role, mapping)
        if role == "properties" and parent is not None:
            frame.property_lines = parent.property_lines
        self.stack.append(frame)

    def _close(self, frame: _Frame) -> None:
        parent = self.stack[-1] if self.stack else None
        if frame.role == "resource" and parent is not None:  # the Resources mapping: its key is the logical id
            self._resource(parent, frame.attributes, frame.property_lines, frame.attribute_lines.get("Type", 0))
        if parent is not None:
            parent.awaiting_value = False

    def _resource(
        self, resources: _Frame, attributes: dict[str, str | None], lines: dict[str, int], type_line: int
    ) -> None:
        logical_id = str(resources.key)
        self.found[logical_id] = TemplateResource(
            logical_id,
            resources.key_line,
            type=attributes.get("Type"),
            type_line=type_line,
            deletion_policy=_policy(attributes, "DeletionPolicy"),
            update_replace_policy=_policy(attributes, "UpdateReplacePolicy"),
            condition=_policy(attributes, "Condition"),
            property_lines=lines,
        )

    def _tag(self, event: Any) -> str:
        """A scalar's tag as YAML resolves it (a plain ``1`` is an int, ``"1"`` a string)."""
        import yaml

        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return str(tag)

    def _identities(self, tag: str, text: str) -> set[str]:
        """What a key may be read as: its text, and the value YAML resolves it to (``0x1`` is ``1``,
        ``yes`` is ``true``) as JSON writes it — CloudFormation's keys are JSON's strings."""
        import yaml

        found = {text}
        constructor = type(self.loader).yaml_constructors.get(tag) if tag in _RESOLVED else None
        if constructor is not None:
            try:
                found.add(json.dumps(constructor(self.loader, yaml.ScalarNode(tag, text))))
            except (ValueError, yaml.YAMLError):
                pass
        return found


def _policy(attributes: dict[str, str | None], name: str) -> str | None:
    if name not in attributes:
        return None
    return attributes[name] or "(an expression)"
