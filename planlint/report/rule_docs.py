"""What `planlint rules` and `planlint explain` print: the rules, and one rule's documentation."""

from __future__ import annotations

import json
import typing
from collections.abc import Sequence
from typing import Any

from planlint.config.rule_options import NoOptions, config_key
from planlint.config.rule_options import _valid_regex as _regex_check
from planlint.engine.rule import Rule
from planlint.model.findings import Severity


def source_label(rule: Rule) -> str:
    return "built-in" if rule.origin == "built-in" else f"{rule.origin} {rule.source}"


def table(rules: Sequence[Rule], severities: dict[str, Severity], selected: set[str]) -> str:
    """An aligned table: code, name, default and effective severity, tags, source."""
    rows = [("code", "name", "default", "effective", "tags", "source")]
    for rule in sorted(rules, key=lambda r: r.code):
        effective = severities.get(rule.code, rule.severity).value if rule.code in selected else "off"
        rows.append(
            (rule.code, rule.name, rule.severity.value, effective, ",".join(sorted(rule.tags)), source_label(rule))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1] for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def as_json(rules: Sequence[Rule], severities: dict[str, Severity], selected: set[str]) -> str:
    return (
        json.dumps(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity.value,
                    "effective_severity": severities.get(rule.code, rule.severity).value
                    if rule.code in selected
                    else None,
                    "tags": sorted(rule.tags),
                    "origin": rule.origin,
                    "source": rule.source,
                    "summary": rule.summary,
                    "options": options(rule),
                }
                for rule in sorted(rules, key=lambda r: r.code)
            ],
            indent=2,
        )
        + "\n"
    )


def options(rule: Rule) -> list[dict[str, Any]]:
    """Each option of a rule: config key, type, default, description."""
    if rule.options is NoOptions:
        return []
    out = []
    for name, field in rule.options.model_fields.items():
        default = field.get_default(call_default_factory=True)
        out.append(
            {
                "key": config_key(rule.options, name),
                "type": _type_name(field.annotation),
                "default": default,
                "description": field.description or "",
            }
        )
    return out


def _type_name(annotation: Any) -> str:
    """A reader's name for an option's type: ``list of regex``, ``integer or none``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return "regex" if any(getattr(m, "func", None) is _regex_check for m in args[1:]) else _type_name(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (list, tuple, set, frozenset):
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"table of {_type_name(args[1])}" if args else "table"
    if args and type(None) in args:
        return " or ".join(_type_name(a) for a in args if a is not type(None)) + " or none"
    return _NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


_NAMES: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _toml(value: Any) -> str:
    if value is None:
        return "# no default"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def explain(rule: Rule, severity: Severity | None = None) -> str:
    """The rule's documentation, then its options with their defaults."""
    head = f"{rule.code} {rule.name} — default severity {rule.severity.value}"
    if severity is not None and severity != rule.severity:
        head += f", configured {severity.value}"
    lines = [head, f"tags: {', '.join(sorted(rule.tags)) or 'none'}; source: {source_label(rule)}", "", rule.doc, ""]
    listed = options(rule)
    lines.append(f"Configuration ([rules.{rule.name}] in planlint.toml):")
    lines.append('  severity = "error" | "warning" | "note"')
    for option in listed:
        lines.append(f"  {option['key']} = {_toml(option['default'])}  # {option['type']}: {option['description']}")
    return "\n".join(lines).rstrip() + "\n"
