"""``true`` is not a number: pydantic, lax, reads a boolean as 1 or 0 where a whole number or a
number is expected. Every configuration model (``config``'s tables, ``rule.Options`` and so every
rule's options, a user's rule included) refuses one, in a list or table of numbers too."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

_MAX_DEPTH = 32  # of nested lists and tables followed in one value


def refuse_bool_numbers(model: Any, value: Any, info: ValidationInfo) -> Any:
    """A ``mode="before"`` validator for every field of ``model``: a boolean where only a number fits is refused."""
    field = model.model_fields.get(info.field_name) if info.field_name else None
    if field is not None:
        wrong = _number_given_bool(field.annotation, value, 0)
        if wrong is not None:
            kind, message = (
                ("int_type", "Input should be a valid integer")
                if wrong
                else ("float_type", "Input should be a valid number")
            )
            raise PydanticCustomError(kind, message)
    return value


def _number_given_bool(annotation: Any, value: Any, depth: int) -> bool | None:
    """None when ``value`` holds no boolean where ``annotation`` wants a number; else whether a whole number."""
    if depth > _MAX_DEPTH:
        return None
    origin = get_origin(annotation)
    if origin is Annotated:
        return _number_given_bool(get_args(annotation)[0], value, depth + 1)
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        if isinstance(value, bool) and any(o is bool or o is Any for o in options):
            return None
        for option in options:
            wrong = _number_given_bool(option, value, depth + 1)
            if wrong is not None:
                return wrong
        return None
    if isinstance(value, bool):
        if annotation is int:
            return True
        if annotation is float:
            return False
        return None
    args = get_args(annotation)
    if isinstance(value, (list, tuple)) and origin in (list, tuple, set, frozenset) and args:
        items = (
            zip(args, value, strict=False)
            if origin is tuple and Ellipsis not in args
            else ((args[0], v) for v in value)
        )
        return next((w for a, v in items if (w := _number_given_bool(a, v, depth + 1)) is not None), None)
    if isinstance(value, Mapping) and origin in (dict, Mapping) and len(args) == 2:
        return next((w for v in value.values() if (w := _number_given_bool(args[1], v, depth + 1)) is not None), None)
    return None
