"""A configuration problem said in one line: the file, the key path, what is wrong — and, for a
near miss, the right spelling. pydantic's validation errors are translated here."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, time
from typing import Any

from pydantic import BaseModel, ValidationError

from planlint.config.rule_options import Options, config_key
from planlint.support.errors import ConfigurationError
from planlint.support.safetext import clean
from planlint.support.wording import bad_value


class ConfigError(ConfigurationError, ValueError):
    """A problem in a configuration file: which file, which key, what is wrong."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"{clean(path)}: {clean(key)}: {problem}" if key else f"{clean(path)}: {problem}")


def key_path(table: str, loc: Sequence[Any]) -> str:
    out = table
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def from_validation(exc: ValidationError, path: str, table: str, model: type[BaseModel]) -> ConfigError:
    """The first problem pydantic found in the table at key path ``table`` of ``path``, for a person."""
    errors = exc.errors(include_url=False)
    # an unknown key usually explains the rest (a misspelt required key is also "missing")
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    key = key_path(table, first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        known = _known_keys(model, list(first["loc"][:-1]))
        close = difflib.get_close_matches(str(first["loc"][-1]), known, n=1)
        if close:
            hint = f"; did you mean {close[0]}?"
        elif known:
            hint = f"; known keys: {', '.join(known)}"
        else:
            hint = "; this rule has no options" if issubclass(model, Options) else "; it takes no keys here"
        return ConfigError(path, key, f"unknown key{hint}")
    if kind == "missing":
        return ConfigError(path, key, "required but missing")
    value = first.get("input")
    shown = f", got {clean(_as_written(value), 60)}" if not isinstance(value, (dict, list)) else ""
    if kind.startswith("date"):
        return ConfigError(path, key, f"expected a date (YYYY-MM-DD){shown}")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return ConfigError(path, key, f"expected a table{shown}")
    if kind == "enum" and first.get("ctx"):
        return ConfigError(path, key, f"expected one of {first['ctx']['expected']}{shown}")
    if first["msg"].startswith(("Input ", "String ", "List ", "Dictionary ")):  # pydantic's words: planlint's instead
        return ConfigError(path, key, f"{bad_value(first['msg'], None)}{shown}")
    return ConfigError(path, key, first["msg"].removeprefix("Value error, "))


def _as_written(value: Any) -> str:
    """A value as TOML writes it, for the ones whose Python ``repr`` differs."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, time)):
        return value.isoformat()
    return repr(value)


def _known_keys(model: type[BaseModel], loc: list[Any]) -> list[str]:
    """The keys a (nested) table accepts, for suggestions."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items() if config_key(model, name) == part), None)
        annotation = getattr(field, "annotation", None) if field else None
        inner = getattr(annotation, "__args__", (annotation,))[-1]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        else:
            return []
    return sorted(config_key(model, name) for name in model.model_fields)
