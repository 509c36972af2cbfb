"""A rule's options as configuration reads them: the base model of every rule's options (kebab-case
keys, unknown keys refused, no booleans for numbers) and ``Regex``, a string that must compile."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator

from planlint.support.no_bool_numbers import refuse_bool_numbers

__all__ = ["NoOptions", "Options", "Regex", "config_key"]


def _kebab(name: str) -> str:
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


class Options(BaseModel):
    """Base of every rule's options: keys are kebab-case in config, unknown keys are errors."""

    # Built on first validation: a run whose configuration leaves a rule's options alone never
    # needs the schema (defaults come from model_construct), which keeps start-up short.
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True, defer_build=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_numbers(cls, value, info)


class NoOptions(Options):
    """The options of a rule that has none."""
