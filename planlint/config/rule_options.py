"""A rule's options as configuration reads them: the base model of every rule's options (kebab-case
keys, unknown keys refused, no booleans for numbers), ``Regex``, a string that must compile — and
each option described from its field (key, type, default, description), written once: the rule's
``## Options`` documentation and ``planlint explain`` are made from it."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator

from planlint.support.no_bool_numbers import refuse_bool_numbers

__all__ = [
    "NoOptions",
    "OptionDoc",
    "Options",
    "Regex",
    "Table",
    "config_key",
    "kebab",
    "described",
    "options_section",
    "toml_value",
]


def kebab(name: str) -> str:
    return name.replace("_", "-")


def _valid_regex(value: str) -> str:
    from planlint import patterns

    patterns.compile(value)  # ValueError, naming what is wrong
    return value


Regex = Annotated[str, AfterValidator(_valid_regex)]
"""A string option that must compile as a regular expression (checked when config is read).
Match it with ``planlint.patterns.search`` or ``fullmatch``, which run in bounded time."""


def config_key(model: type[BaseModel], name: str) -> str:
    """The configuration key of field ``name`` (kebab-case), whether or not the model's schema is built
    yet (before pydantic 2.10, a deferred model's fields have no alias until then)."""
    field = model.model_fields[name]
    if field.alias:
        return field.alias
    generator = model.model_config.get("alias_generator")
    return generator(name) if callable(generator) else name


class Table(BaseModel):
    """A table of the configuration: keys are kebab-case, unknown keys are errors, a boolean is no number."""

    # Built on first validation: a run whose configuration leaves a rule's options alone never
    # needs the schema (defaults come from model_construct), which keeps start-up short.
    model_config = ConfigDict(
        extra="forbid", alias_generator=kebab, populate_by_name=True, frozen=True, defer_build=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_numbers(cls, value, info)


class Options(Table):
    """Base of every rule's options: a table of the configuration (``[rules.NAME]``)."""


class NoOptions(Options):
    """The options of a rule that has none."""


@dataclass(frozen=True)
class OptionDoc:
    """One option as a person reads it: its configuration key, type, default and description."""

    key: str
    type: str
    default: Any
    description: str

    @property
    def line(self) -> str:
        """``- `max-changes` (integer, default 100): Most resource changes in one plan.``"""
        empty = self.default is None or self.default in ([], {}, ())
        default = (
            "no default" if self.default is None else "default none" if empty else f"default {toml_value(self.default)}"
        )
        return f"- `{self.key}` ({self.type}, {default}): {self.description or 'no description'}"


def described(model: type[Options]) -> list[OptionDoc]:
    """Each option of a rule's options model, from its fields; none for ``NoOptions``."""
    return [
        OptionDoc(
            config_key(model, name),
            type_name(field.annotation),
            field.get_default(call_default_factory=True),
            field.description or "",
        )
        for name, field in model.model_fields.items()
    ]


def options_section(model: type[Options]) -> str:
    """The body of a rule's ``## Options`` documentation: one line per option; empty when it has none."""
    return "\n".join(option.line for option in described(model))


def type_name(annotation: Any) -> str:
    """A reader's name for an option's type: ``list of regex``, ``integer or none``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return "regex" if any(getattr(m, "func", None) is _valid_regex for m in args[1:]) else type_name(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (list, tuple, set, frozenset):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"table of {type_name(args[1])}" if args else "table"
    if args and type(None) in args:
        return " or ".join(type_name(a) for a in args if a is not type(None)) + " or none"
    return _NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


_NAMES: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def toml_value(value: Any) -> str:
    """``value`` as TOML writes it (``# no default`` for None)."""
    if value is None:
        return "# no default"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)
