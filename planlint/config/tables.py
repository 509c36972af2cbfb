"""Configuration: the validated tables of ``planlint.toml`` (or ``[tool.planlint]`` in
``pyproject.toml``), and where each value came from. ``config_files`` finds and reads the files.

Keys are kebab-case; the models forbid unknown keys, so that ``config_files`` can turn any
mistake into a ``ConfigError`` naming the file, the key path and, for a near miss, the right
spelling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from planlint.config.rule_options import Table, kebab
from planlint.model.findings import FailOn
from planlint.model.resources import DEFAULT_FACTS, ResourceFacts
from planlint.support import bounds
from planlint.support.files import DEFAULT_MAX_SIZE, MIB

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Waiver(Table):
    """An exception: a rule's findings that do not fail the gate, for a reason, until a date."""

    rule: str = Field(min_length=1)
    resource: str | None = Field(None, min_length=1)
    product: str | None = Field(None, min_length=1)
    reason: str = Field(min_length=1)
    expires: date

    @field_validator("expires", mode="before")
    @classmethod
    def _only_a_date(cls, expires: Any) -> Any:
        """A date, as TOML writes one or as a ``YYYY-MM-DD`` string: never a time, a date-time or a number."""
        if isinstance(expires, str) and _DATE.fullmatch(expires):
            try:
                return date.fromisoformat(expires)
            except ValueError:
                pass
        elif isinstance(expires, date) and not isinstance(expires, datetime):
            return expires
        raise PydanticCustomError("date_type", "expected a date (YYYY-MM-DD)")

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("a reason is required")
        return reason.strip()


class ProductTemplates(Table):
    """The templates of the products whose name matches ``product`` (a glob): paths relative to the
    configuration file that names them."""

    product: str = Field(min_length=1)
    template: str | None = Field(None, min_length=1)  # as it will be
    previous_template: str | None = Field(None, min_length=1)  # as it is deployed

    @model_validator(mode="after")
    def _some_template(self) -> ProductTemplates:
        if self.template is None and self.previous_template is None:
            raise ValueError("names no template: give template, previous-template or both")
        return self


class Resources(Table):
    stateful: list[str] = Field(default_factory=list)
    identity: list[str] = Field(default_factory=list)
    network: list[str] = Field(default_factory=list)
    snapshot: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Origin:
    """Where a table came from: the file (as shown), its key-path prefix, its line (0: not known) and,
    for an entry of a list, its index there."""

    path: str
    table: str = ""
    line: int = 0
    index: int = 0


@dataclass(frozen=True)
class Provenance:
    """Where a configuration came from: its file (as shown) and table prefix, every file of its chain
    (the one extended first), each waiver's and ``[rules.X]`` table's place, and the files that set
    each field."""

    path: Path
    table: str
    files: tuple[Path, ...]
    waivers_from: tuple[Origin, ...]
    rules_from: dict[str, Origin]
    set_by: dict[str, tuple[str, ...]]
    entries_from: dict[str, tuple[Origin, ...]] = field(default_factory=dict)  # each entry of a list field


def _within(bound: bounds.Bound, default: float) -> Any:
    """A number's field, kept within ``bound`` as the command line's option is (see ``bounds``)."""
    return Field(default, ge=bound.low, le=bound.high)


class Config(Table):
    """The validated configuration. ``path`` is None when no file was found."""

    extend: str | None = Field(None, min_length=1)  # a configuration this one builds on
    fail_on: FailOn = FailOn.ERROR
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=list)
    # Keys (or globs) of provisioning parameters whose values are not secret and may be shown.
    public_parameters: list[str] = Field(default_factory=list)
    rule_timeout: float = _within(bounds.RULE_TIMEOUT, bounds.DEFAULT_RULE_TIMEOUT)  # seconds per rule and plan
    max_file_size: float = _within(bounds.MAX_FILE_SIZE, DEFAULT_MAX_SIZE / MIB)  # MiB
    rule_paths: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    templates: list[ProductTemplates] = Field(default_factory=list)
    resources: Resources = Field(default_factory=Resources)

    # Where the configuration came from: not keys a file can set.
    _path: Path | None = PrivateAttr(None)
    _table: str = PrivateAttr("")
    _files: tuple[Path, ...] = PrivateAttr(())  # every file of the chain, the one extended first
    _waivers_from: tuple[Origin, ...] = PrivateAttr(())
    _rules_from: dict[str, Origin] = PrivateAttr(default_factory=dict)
    _set_by: dict[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)
    _entries_from: dict[str, tuple[Origin, ...]] = PrivateAttr(default_factory=dict)
    _from_command_line: frozenset[str] = PrivateAttr(frozenset())  # fields an option set

    @property
    def path(self) -> Path | None:
        """The file read, relative to the working directory when below it; None for the defaults."""
        return self._path

    @property
    def table(self) -> str:
        """``tool.planlint`` for a pyproject.toml, else empty: the prefix of key paths in messages."""
        return self._table

    @classmethod
    def assembled(cls, values: Mapping[str, Any], extend: str | None, provenance: Provenance) -> Config:
        """A configuration of validated ``values`` (merged from the files of a chain) and where they came from."""
        config = cls.model_construct(**values, extend=extend)
        config._path, config._table, config._files = provenance.path, provenance.table, provenance.files
        config._waivers_from, config._rules_from = provenance.waivers_from, provenance.rules_from
        config._set_by, config._entries_from = provenance.set_by, provenance.entries_from
        return config

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file read: those extended, then ``path``; empty for the defaults."""
        return self._files or ((self._path,) if self._path else ())

    def waiver_origin(self, index: int) -> Origin | None:
        """The file of waiver ``index`` and the line of its ``[[waivers]]`` header; None when not from a file."""
        if index < len(self._waivers_from):
            return self._waivers_from[index]
        return Origin(str(self._path), self._table, index=index) if self._path else None

    def rule_origin(self, key: str) -> Origin:
        """The file (and table prefix) of the ``[rules.KEY]`` table, for messages."""
        return self._rules_from.get(key) or Origin(self.display, self._table)

    def set_by(self, name: str) -> tuple[str, ...]:
        """The files that set field ``name``, the one extended first; empty: the default."""
        return self._set_by.get(name, ())

    def given(self, name: str) -> bool:
        """Whether field ``name`` was set, by a file or an option (not the default)."""
        return name in self._from_command_line or bool(self.set_by(name))

    def where(self, name: str, index: int | None = None, part: str = "") -> str:
        """Where field ``name`` (its entry ``index``, for a list; its key ``part`` within that) came
        from, for the start of a message: the option that set it (``--select``), or the file and key
        path (``planlint.toml: ignore[1]``, ``pyproject.toml: tool.planlint.templates[0].template``)."""
        key = kebab(name)
        if name in self._from_command_line:
            return f"--{key}"
        origins = self._entries_from.get(name, ())
        if index is not None and index < len(origins):
            origin = origins[index]
            return f"{origin.path}: {_key_path(origin.table, key, origin.index, part)}"
        files = self.set_by(name)
        if files:
            return f"{files[-1]}: {_key_path(self._table, key, index, part)}"
        return f"{self.display}: {_key_path(self._table, key, index, part)}"

    @property
    def display(self) -> str:
        return str(self.path) if self.path else "configuration"

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def rule_directories(self) -> list[Path]:
        """``rule-paths``: read from a file, each was made relative to the file that gave it."""
        return [Path(p) for p in self.rule_paths]

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size * MIB)

    def facts(self) -> ResourceFacts:
        r = self.resources
        return DEFAULT_FACTS.extended(stateful=r.stateful, identity=r.identity, network=r.network, snapshot=r.snapshot)


def _key_path(table: str, key: str, index: int | None, part: str) -> str:
    path = f"{table}.{key}" if table else key
    path += f"[{index}]" if index is not None else ""
    return f"{path}.{part}" if part else path


def merged(config: Config, overrides: Mapping[str, Any]) -> Config:
    """The configuration with command-line values (those not None) put over the file's; each
    remembers it came from the command line."""
    given = {k: v for k, v in overrides.items() if v is not None}
    out = config.model_copy(update=given)
    out._from_command_line = config._from_command_line | frozenset(given)
    return out
