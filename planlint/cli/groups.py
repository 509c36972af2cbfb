"""Options that travel together, declared once as a dataclass and handed to a command as one value.

typer reads a command's options from its signature. ``@grouped`` rewrites the signature so that a
parameter whose type is an option group stands for the group's fields (each an ``Annotated`` typer
option with a default), and calls the command with the group built from them. ``lint`` and ``fetch``
share the AWS options this way, and each command takes a handful of values instead of two dozen.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast, get_type_hints

F = TypeVar("F", bound=Callable[..., Any])


def grouped(command: F) -> F:
    """``command`` with each option-group parameter spread into the group's fields for typer."""
    # eval_str, not get_type_hints: on Python 3.10 that wraps Annotated[…] = None in Optional[…]
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []  # all keyword-only: typer passes keywords
    groups: dict[str, tuple[type[Any], list[str]]] = {}
    for parameter in signature.parameters.values():
        group = parameter.annotation
        if not (isinstance(group, type) and dataclasses.is_dataclass(group)):
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
            continue
        fields = get_type_hints(group, include_extras=True)
        names = []
        for field in dataclasses.fields(group):
            if field.default is dataclasses.MISSING:
                raise TypeError(f"{group.__name__}.{field.name}: an option in a group needs a default")
            parameters.append(
                inspect.Parameter(
                    field.name, inspect.Parameter.KEYWORD_ONLY, default=field.default, annotation=fields[field.name]
                )
            )
            names.append(field.name)
        groups[parameter.name] = (group, names)
    spread = [p.name for p in parameters]
    if len(set(spread)) != len(spread):
        raise TypeError(f"{command.__name__}: two options of its groups share a name")

    @functools.wraps(command)
    def call(**values: Any) -> Any:
        for name, (group, names) in groups.items():
            values[name] = group(**{field: values.pop(field) for field in names})
        return command(**values)

    call.__dict__["__signature__"] = signature.replace(parameters=parameters)
    call.__annotations__ = {p.name: p.annotation for p in parameters}
    return cast(F, call)
