"""Where configuration comes from: ``planlint.toml``, or ``[tool.planlint]`` in ``pyproject.toml``,
found from the working directory upwards and stopping at the repository root (``--config``
names a file instead); read as TOML; and merged with the chain of files it extends.

``extend = "path/to/org-policy.toml"`` builds on another configuration (relative to the file
that says it; it may extend another in turn, but never one already in the chain). The file that
extends wins on a setting (``fail-on``, ``select``, ``rule-timeout``, ``max-file-size``) and adds
to the lists (``ignore``, ``public-parameters``, ``rule-paths``, ``waivers``, ``templates``,
``[resources]``); a
``[rules.NAME]`` table is merged key by key. Each file is validated on its own, so a problem —
TOML syntax included — names the file it is in; each value remembers the files that set it.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planlint.config.errors import ConfigError, from_validation, key_path
from planlint.config.tables import Config, Origin, ProductTemplates, Provenance, Resources
from planlint.support.files import MIB, FileProblem, read_regular
from planlint.support.safetext import clean

CONFIG_FILE = "planlint.toml"
CONFIG_MAX_SIZE = 16 * MIB
PYPROJECT = "pyproject.toml"
MAX_EXTENDS = 16  # configurations in one chain of ``extend``
_SHOWN_PATH_LENGTH = 200  # characters of a path named in a message
_ADDED = ("ignore", "public_parameters", "rule_paths")  # lists a configuration that extends adds to
_LISTS = ("select", *_ADDED, "templates")  # lists whose entries each say where they came from


def find(start: Path | None = None) -> Path | None:
    """The nearest ``planlint.toml``, or ``pyproject.toml`` with ``[tool.planlint]``, upwards from
    ``start`` to the repository root (the first directory holding ``.git``)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if os.path.lexists(directory / CONFIG_FILE):  # one that cannot be read says why, never skipped
            return directory / CONFIG_FILE
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _may_name_planlint(pyproject) and _tool_table(_read(pyproject)) is not None:
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load(path: Path | None) -> Config:
    """Read and validate a configuration file and those it extends (None: the defaults)."""
    if path is None:
        return Config.model_construct()  # the defaults; no validation (or schema) needed
    layers = _chain(_shown_path(path))
    values: dict[str, Any] = {}
    set_by: dict[str, tuple[str, ...]] = {}
    waivers_from: list[Origin] = []
    rules_from: dict[str, Origin] = {}
    entries_from: dict[str, tuple[Origin, ...]] = {}
    for layer in layers:
        shown, config = str(layer.path), layer.config
        for name in sorted(config.model_fields_set - {"extend"}):
            set_by[name] = (*set_by.get(name, ()), shown)
            value = getattr(config, name)
            if name == "rule_paths":
                value = [str(layer.path.parent / p) for p in value]
            if name == "templates":  # paths relative to the file that names them
                value = [_relative_templates(t, layer.path.parent) for t in value]
            if name in _LISTS:  # each entry remembers the file and index that gave it
                kept = list(values.get(name, [])) if name != "select" else []
                origins = list(entries_from.get(name, ())) if name != "select" else []
                for index, entry in enumerate(value):
                    if name not in _ADDED or entry not in kept:
                        kept.append(entry)
                        origins.append(Origin(shown, layer.table, index=index))
                values[name], entries_from[name] = kept, tuple(origins)
            elif name == "waivers":
                values[name] = [*values.get(name, []), *value]
            elif name == "resources":
                old = values.get(name, Resources())
                values[name] = Resources(
                    **{k: list(dict.fromkeys([*getattr(old, k), *getattr(value, k)])) for k in Resources.model_fields}
                )
            elif name == "rules":
                tables = dict(values.get(name, {}))
                for key, table in value.items():
                    tables[key] = {**tables.get(key, {}), **table}
                    rules_from[key] = Origin(shown, layer.table)
                values[name] = tables
            else:
                values[name] = value
        lines = _waiver_lines(layer.text, layer.table)
        waivers_from += [
            Origin(shown, layer.table, lines[i] if i < len(lines) else 0, i) for i in range(len(config.waivers))
        ]
    last = layers[-1]
    files = tuple(layer.path for layer in layers)
    provenance = Provenance(last.path, last.table, files, tuple(waivers_from), rules_from, set_by, entries_from)
    return Config.assembled(values, last.config.extend, provenance)


def _relative_templates(templates: ProductTemplates, directory: Path) -> ProductTemplates:
    return templates.model_copy(
        update={
            "template": str(directory / templates.template) if templates.template else None,
            "previous_template": str(directory / templates.previous_template) if templates.previous_template else None,
        }
    )


@dataclass(frozen=True)
class _Layer:
    path: Path
    table: str  # tool.planlint for a pyproject.toml
    config: Config
    text: str


def _chain(path: Path) -> list[_Layer]:
    """The file at ``path`` and those it extends, the one extended first."""
    layers: list[_Layer] = []
    seen: dict[Path, Path] = {}  # each file's real path: the file as shown
    spelt = path  # the path as the extend that names it spells it
    while True:
        said_by = layers[-1] if layers else None
        real = _real(path, said_by)
        if real in seen or len(layers) == MAX_EXTENDS:
            assert said_by is not None
            chain = " -> ".join(str(layer.path) for layer in layers)
            named = str(spelt) if str(spelt) == str(seen.get(real)) else f"{spelt} (that is {seen.get(real)})"
            problem = (
                f"{named} is already in the chain ({chain} -> {spelt}); a configuration cannot extend itself"
                if real in seen
                else f"more than {MAX_EXTENDS} configurations in one chain ({chain} -> ...)"
            )
            raise ConfigError(str(said_by.path), key_path(said_by.table, ["extend"]), problem)
        seen[real] = path
        layers.append(_layer(path, said_by))
        extend = layers[-1].config.extend
        if extend is None:
            return layers[::-1]
        spelt = Path(os.path.normpath(layers[-1].path.parent / extend))
        path = _shown_path(spelt, layers[-1])


def _real(path: Path, said_by: _Layer | None) -> Path:
    """``path`` with every symbolic link followed; a path that cannot be (a loop of links, a name
    too long, a NUL character) is a ``ConfigError`` naming the file, or the ``extend`` that names it."""
    try:
        return path.resolve()
    except RuntimeError:  # how Python before 3.13 says a loop of symbolic links
        raise _unreadable(path, said_by, "cannot read: a loop of symbolic links") from None
    except OSError as exc:
        raise _unreadable(path, said_by, f"cannot read: {exc.strerror or exc}") from None
    except ValueError:
        raise _unreadable(path, said_by, "cannot read: the path has a NUL character") from None


def _unreadable(path: Path, said_by: _Layer | None, problem: str) -> ConfigError:
    """The problem with the configuration file at ``path``: said of the file itself, or of the
    ``extend`` key of the file that named it."""
    if said_by is None:
        return ConfigError(_shown(path), "", problem)
    return ConfigError(str(said_by.path), key_path(said_by.table, ["extend"]), f"{_shown(path)}: {problem}")


def _shown(path: Path) -> str:
    return clean(str(path), _SHOWN_PATH_LENGTH)


def _layer(path: Path, said_by: _Layer | None) -> _Layer:
    """One file of the chain, validated on its own, so a problem names the file it is in."""
    try:
        data = _read(path)
        text = read_regular(str(path), CONFIG_MAX_SIZE).decode("utf-8-sig")
    except (ConfigError, FileProblem) as exc:
        if said_by is None:
            raise
        raise _unreadable(path, said_by, exc.problem if isinstance(exc, ConfigError) else str(exc)) from None
    table = ""
    if path.name == PYPROJECT:
        table = "tool.planlint"
        tool = _tool_table(data)
        if said_by is not None and tool is None:
            where = key_path(said_by.table, ["extend"])
            raise ConfigError(str(said_by.path), where, f"{_shown(path)} has no [tool.planlint] table")
        data = {} if tool is None else tool
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, str(path), table, Config) from None
    return _Layer(path, table, config, text)


def _shown_path(path: Path, said_by: _Layer | None = None) -> Path:
    """``path`` relative to the working directory when it is below it, as people read it."""
    try:
        return _real(path, said_by).relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _may_name_planlint(path: Path) -> bool:
    """Whether the bytes of a pyproject.toml can hold a ``tool.planlint`` table, in any of TOML's
    spellings: the word itself (bare, quoted, dotted, in an inline table), or a quoted key that
    spells a letter of it with a ``\\u`` or ``\\U`` escape. Another tool's file is not parsed at all."""
    try:
        data = read_regular(str(path), CONFIG_MAX_SIZE)
    except FileProblem:
        return True  # let _read say what is wrong with it
    return b"planlint" in data or b"\\u" in data or b"\\U" in data


def _tool_table(data: dict[str, Any]) -> Any:
    """The ``tool.planlint`` value of a parsed pyproject.toml, however it was spelt; None when absent."""
    tool = data.get("tool")
    return tool.get("planlint") if isinstance(tool, dict) else None


def _read(path: Path) -> dict[str, Any]:
    """A TOML file parsed; whatever the parser raises is a ConfigError naming the file."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        text = read_regular(str(path), CONFIG_MAX_SIZE).decode("utf-8-sig")
    except FileProblem as problem:
        raise ConfigError(str(path), "", str(problem).replace(" (--max-file-size)", "")) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "", "not UTF-8 text") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(str(path), "", "invalid TOML: nested too deeply for planlint to read") from None
    except ValueError:  # a decimal integer longer than Python converts
        raise ConfigError(str(path), "", f"invalid TOML: {_TOO_LONG}{_long_number_line(text)}") from None
    except Exception as exc:  # any other failure of the parser is this file's problem
        raise ConfigError(str(path), "", f"invalid TOML: planlint could not read it ({type(exc).__name__})") from None
    if _has_long_integer(data):
        raise ConfigError(str(path), "", f"invalid TOML: {_TOO_LONG}")
    return data


_TOO_LONG = "a whole number too long for planlint to read"
_MAX_INTEGER_BITS = 4096  # of an integer in a configuration: far beyond any setting, and shown in decimal


def _long_number_line(text: str) -> str:
    """`` (at line N)`` for the first run of digits longer than Python converts, else nothing."""
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    for number, line in enumerate(text.splitlines(), start=1):
        if any(len(run.replace("_", "")) > limit for run in re.findall(r"[0-9_]+", line)):
            return f" (at line {number})"
    return ""


def _has_long_integer(data: Any) -> bool:
    """Whether a parsed TOML value holds an integer (written in hex, octal or binary) too long to show."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, int) and value.bit_length() > _MAX_INTEGER_BITS:
            return True
    return False


def _waiver_lines(text: str, table: str) -> list[int]:
    header = re.compile(
        r"^\s*\[\[\s*" + re.escape(f"{table}.waivers" if table else "waivers").replace(r"\.", r"\s*\.\s*") + r"\s*\]\]"
    )
    return [i for i, line in enumerate(text.splitlines(), start=1) if header.match(line)]
