"""What `planlint rules` and `planlint explain` print: the rules, and one rule's documentation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from planlint.config.rule_options import described, toml_value
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
    return [vars(option) for option in described(rule.options)]


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
        lines.append(
            f"  {option['key']} = {toml_value(option['default'])}  # {option['type']}: {option['description']}"
        )
    return "\n".join(lines).rstrip() + "\n"
