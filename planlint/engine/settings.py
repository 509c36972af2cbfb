"""The configuration checked against the rules a run has: each ``[rules.NAME]`` table validated by
its rule's options model, and every waiver naming a rule that exists."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from planlint.config.errors import ConfigError, from_validation, key_path
from planlint.config.rule_options import Options
from planlint.config.tables import Config, Origin
from planlint.engine.rule import Rule, did_you_mean, lookup, rule_names
from planlint.model.findings import Severity
from planlint.support.safetext import clean


def rule_settings(config: Config, rules: Iterable[Rule]) -> tuple[dict[str, Options], dict[str, Severity]]:
    """Validate ``[rules.NAME]`` tables against each rule's options model; keyed by rule code. One
    file may name a rule once; a configuration that extends another may name it by its other name,
    and its keys win."""
    rules = list(rules)
    tables: dict[str, tuple[Rule, dict[str, object], Origin, str]] = {}
    for key, table in config.rules.items():
        origin = config.rule_origin(key)
        where = key_path(origin.table, ["rules", key])
        rule = lookup(key, rules)
        if rule is None:
            raise ConfigError(origin.path, where, "unknown rule" + did_you_mean(key, rule_names(rules)))
        if rule.code in tables:
            _, earlier, earlier_origin, _ = tables[rule.code]
            if earlier_origin.path == origin.path:
                raise ConfigError(origin.path, where, f"rule {rule.name} is configured twice (by name and by code)")
            table = {**earlier, **table}
        tables[rule.code] = (rule, dict(table), origin, where)
    options: dict[str, Options] = {}
    severities: dict[str, Severity] = {}
    for code, (rule, table, origin, where) in tables.items():
        if "severity" in table:
            value = table.pop("severity")
            try:
                severities[code] = Severity(value)
            except ValueError:
                raise ConfigError(
                    origin.path,
                    f"{where}.severity",
                    f"expected one of error, warning, note, got {clean(repr(value), 40)}",
                ) from None
        try:
            options[code] = rule.options.model_validate(table)
        except ValidationError as exc:
            raise from_validation(exc, origin.path, where, rule.options) from None
    return options, severities


def check_waiver_rules(config: Config, rules: Iterable[Rule]) -> None:
    """Every waiver names a known rule (by code or name)."""
    rules = list(rules)
    for i, waiver in enumerate(config.waivers):
        if lookup(waiver.rule, rules) is None:
            origin = config.waiver_origin(i) or Origin(config.display, config.table, index=i)
            where = key_path(origin.table, ["waivers", origin.index, "rule"])
            hint = did_you_mean(waiver.rule, rule_names(rules))
            raise ConfigError(origin.path, where, f"unknown rule {clean(waiver.rule, 60)}{hint}")
