"""``--show-config``: the configuration a run uses, as TOML that planlint reads back, each key with
the place its value came from — a file of the ``extend`` chain (several, for a list they added
to), ``command line``, or ``default``."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from planlint.config.tables import Config, Resources

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_COMMENT_AT = 48  # the column origin comments start at


def render(config: Config, from_command_line: Collection[str] = ()) -> str:
    """``from_command_line``: the fields (``fail_on``) an option set over the configuration."""
    files = [str(p) for p in config.files]
    heading = "# the configuration of this run: " + (
        files[-1] + (f", extending {', '.join(reversed(files[:-1]))}" if len(files) > 1 else "")
        if files
        else "no file, the defaults"
    )
    lines = [heading]

    def origin(name: str) -> str:
        if name in from_command_line:
            return "command line"
        return ", ".join(config.set_by(name)) or "default"

    if config.extend is not None:
        lines.append(_line(f"extend = {_value(config.extend)}", str(config.path)))
    for name in ("fail_on", "select", "ignore", "public_parameters", "rule_timeout", "max_file_size", "rule_paths"):
        lines.append(_line(f"{_key(name)} = {_value(getattr(config, name))}", origin(name)))
    lines += ["", _line("[resources]", origin("resources"))]
    lines += [f"{_key(name)} = {_value(getattr(config.resources, name))}" for name in Resources.model_fields]
    for key, table in config.rules.items():
        lines += ["", _line(f"[rules.{_bare(key)}]", config.rule_origin(key).path)]
        lines += [f"{_bare(k)} = {_value(v)}" for k, v in table.items()]
    for i, waiver in enumerate(config.waivers):
        where = config.waiver_origin(i)
        lines += ["", _line("[[waivers]]", f"{where.path}:{where.line}" if where and where.line else origin("waivers"))]
        values = waiver.model_dump(by_alias=True, exclude_none=True)
        lines += [f"{_bare(k)} = {_value(v)}" for k, v in values.items()]
    for entry in config.templates:
        lines += ["", _line("[[templates]]", origin("templates"))]
        values = entry.model_dump(by_alias=True, exclude_none=True)
        lines += [f"{_bare(k)} = {_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def _line(text: str, origin: str) -> str:
    return f"{text:<{_COMMENT_AT - 1}} # {origin}"


def _key(name: str) -> str:
    """A field's key (``fail_on`` → ``fail-on``)."""
    return _bare(name.replace("_", "-"))


def _bare(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML's basic-string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_bare(str(k))} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(getattr(value, "value", value)), ensure_ascii=False)
