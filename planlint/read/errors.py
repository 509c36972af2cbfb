"""Why a document could not be read, in one line: the file, where in it, and what is wrong — and
pydantic's validation errors said that way, a secret's value never shown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from planlint.support.safetext import clean
from planlint.support.wording import bad_value


@dataclass(frozen=True)
class LoadError:
    """Why a source could not be read: the file, where in it, and what is wrong."""

    path: str
    where: str
    problem: str

    def __str__(self) -> str:
        where = f": {self.where}" if self.where else ""
        return f"{clean(self.path)}{where}: {self.problem}"


_KINDS = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}

_EXPECTED = {
    "string_type": "a string",
    "enum": "a string",
    "list_type": "a list",
    "tuple_type": "a list",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def kind_name(value: Any) -> str:
    return "null" if value is None else _KINDS.get(type(value), type(value).__name__)


def _shown(value: Any, secret: bool) -> str:
    if secret or isinstance(value, (dict, list)):
        return kind_name(value)
    if isinstance(value, str):
        return f'"{clean(value, 60)}"'
    return clean(json.dumps(value), 60)


def _json_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in str(part) or "(" in str(part):
            continue  # pydantic's names of union branches and validators, not JSON keys
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_error(exc: ValidationError, name: str, prefix: str) -> LoadError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    path = _json_path(loc)
    path = f"{prefix}.{path}" if prefix and path and not path.startswith("[") else prefix + path
    secret = "ProvisioningParameters" in loc
    kind = first["type"]
    if kind == "missing" and loc == ("ProvisionedProductPlanDetails",):
        return LoadError(
            name, prefix, "not a DescribeProvisionedProductPlan response: no ProvisionedProductPlanDetails"
        )
    if kind == "missing":
        problem = "required but missing"
    elif kind in _EXPECTED:
        problem = f"expected {_EXPECTED[kind]}, got {_shown(first['input'], secret)}"
    elif kind == "string_unicode":
        problem = "expected text, got a string with an unpaired surrogate escape"
    elif kind.startswith(("datetime", "date", "timezone")):
        problem = f"expected a timestamp, got {_shown(first['input'], secret)}"
    else:
        problem = clean(bad_value(first["msg"], None))  # planlint's words; the value may be a secret
    more = len(errors) - 1
    if more:
        problem += f" (and {more} more problem{'s' if more > 1 else ''})"
    return LoadError(name, path, problem)
