"""Configuration: ``planlint.toml`` or ``[tool.planlint]`` in ``pyproject.toml``, validated.

Found from the working directory upwards, stopping at the repository root; ``--config``
names a file instead. Keys are kebab-case. Every problem — TOML syntax, an unknown key, a
wrong type, a bad date or regular expression, an unknown rule or option — is a
``ConfigError`` naming the file, the key path and, for a near miss, the right spelling.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from planlint.budget import DEFAULT_SECONDS as DEFAULT_RULE_SECONDS
from planlint.config_errors import ConfigError, from_validation, key_path
from planlint.files import DEFAULT_MAX_SIZE, MIB, FileProblem, read_regular
from planlint.findings import FailOn, Severity
from planlint.resources import DEFAULT_FACTS, ResourceFacts
from planlint.rule import Options, Rule, did_you_mean, lookup, rule_names
from planlint.safetext import clean

CONFIG_FILE = "planlint.toml"
CONFIG_MAX_SIZE = 16 * MIB
PYPROJECT = "pyproject.toml"


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Table(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True, defer_build=True
    )


class Waiver(_Table):
    """An exception: a rule's findings that do not fail the gate, for a reason, until a date."""

    rule: str = Field(min_length=1)
    resource: str | None = Field(None, min_length=1)
    product: str | None = Field(None, min_length=1)
    reason: str = Field(min_length=1)
    expires: date

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("a reason is required")
        return reason.strip()


class Resources(_Table):
    stateful: list[str] = Field(default_factory=list)
    identity: list[str] = Field(default_factory=list)
    network: list[str] = Field(default_factory=list)


class Config(_Table):
    """The validated configuration. ``path`` is None when no file was found."""

    fail_on: FailOn = FailOn.ERROR
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=list)
    # Keys (or globs) of provisioning parameters whose values are not secret and may be shown.
    public_parameters: list[str] = Field(default_factory=list)
    rule_timeout: float = Field(DEFAULT_RULE_SECONDS, gt=0)  # seconds per rule and plan
    max_file_size: float = Field(DEFAULT_MAX_SIZE / MIB, gt=0)  # MiB
    rule_paths: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    resources: Resources = Field(default_factory=Resources)

    # Where the configuration came from: not keys a file can set.
    _path: Path | None = PrivateAttr(None)
    _table: str = PrivateAttr("")
    _waiver_lines: tuple[int, ...] = PrivateAttr(())

    @property
    def path(self) -> Path | None:
        """The file read, relative to the working directory when below it; None for the defaults."""
        return self._path

    @property
    def table(self) -> str:
        """``tool.planlint`` for a pyproject.toml, else empty: the prefix of key paths in messages."""
        return self._table

    def waiver_line(self, index: int) -> int:
        """The line of the ``[[waivers]]`` header of waiver ``index`` (0 when not known)."""
        return self._waiver_lines[index] if index < len(self._waiver_lines) else 0

    @property
    def display(self) -> str:
        return str(self.path) if self.path else "configuration"

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def rule_directories(self) -> list[Path]:
        return [(self.base / p) for p in self.rule_paths]

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size * MIB)

    def facts(self) -> ResourceFacts:
        r = self.resources
        return DEFAULT_FACTS.extended(stateful=r.stateful, identity=r.identity, network=r.network)


def find(start: Path | None = None) -> Path | None:
    """The nearest ``planlint.toml``, or ``pyproject.toml`` with ``[tool.planlint]``, upwards from
    ``start`` to the repository root (the first directory holding ``.git``)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory / CONFIG_FILE
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _mentions_planlint(pyproject) and "planlint" in _read(pyproject).get("tool", {}):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load(path: Path | None) -> Config:
    """Read and validate a configuration file (None: the defaults)."""
    if path is None:
        return Config.model_construct()  # the defaults; no validation (or schema) needed
    path = _shown_path(path)
    data = _read(path)
    table = ""
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("planlint", {})
        table = "tool.planlint"
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, str(path), table, Config) from None
    config._path = path
    config._table = table
    config._waiver_lines = tuple(_waiver_lines(read_regular(str(path), CONFIG_MAX_SIZE).decode("utf-8-sig"), table))
    return config


def _shown_path(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it, as people read it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _mentions_planlint(path: Path) -> bool:
    """Another tool's pyproject.toml is not parsed at all (a cheap look for the word first)."""
    try:
        return b"planlint" in read_regular(str(path), CONFIG_MAX_SIZE)
    except FileProblem:
        return True  # let _read say what is wrong with it


def _read(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(read_regular(str(path), CONFIG_MAX_SIZE).decode("utf-8-sig"))
        return data
    except FileProblem as problem:
        raise ConfigError(str(path), "", str(problem).replace(" (--max-file-size)", "")) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(str(path), "", "invalid TOML: nested too deeply for planlint to read") from None


def _waiver_lines(text: str, table: str) -> list[int]:
    header = re.compile(
        r"^\s*\[\[\s*" + re.escape(f"{table}.waivers" if table else "waivers").replace(r"\.", r"\s*\.\s*") + r"\s*\]\]"
    )
    return [i for i, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def rule_settings(config: Config, rules: Iterable[Rule]) -> tuple[dict[str, Options], dict[str, Severity]]:
    """Validate ``[rules.NAME]`` tables against each rule's options model; keyed by rule code."""
    rules = list(rules)
    options: dict[str, Options] = {}
    severities: dict[str, Severity] = {}
    for key, table in config.rules.items():
        where = key_path(config.table, ["rules", key])
        rule = lookup(key, rules)
        if rule is None:
            raise ConfigError(config.display, where, "unknown rule" + did_you_mean(key, rule_names(rules)))
        if rule.code in options or rule.code in severities:
            raise ConfigError(config.display, where, f"rule {rule.name} is configured twice (by name and by code)")
        table = dict(table)
        if "severity" in table:
            value = table.pop("severity")
            try:
                severities[rule.code] = Severity(value)
            except ValueError:
                raise ConfigError(
                    config.display,
                    f"{where}.severity",
                    f"expected one of error, warning, note, got {clean(repr(value), 40)}",
                ) from None
        try:
            options[rule.code] = rule.options.model_validate(table)
        except ValidationError as exc:
            raise from_validation(exc, config.display, where, rule.options) from None
    return options, severities


def check_waiver_rules(config: Config, rules: Iterable[Rule]) -> None:
    """Every waiver names a known rule (by code or name)."""
    rules = list(rules)
    for i, waiver in enumerate(config.waivers):
        if lookup(waiver.rule, rules) is None:
            where = key_path(config.table, ["waivers", i, "rule"])
            hint = did_you_mean(waiver.rule, rule_names(rules))
            raise ConfigError(config.display, where, f"unknown rule {clean(waiver.rule, 60)}{hint}")


def merged(config: Config, overrides: Mapping[str, Any]) -> Config:
    """The configuration with command-line values (those not None) put over the file's."""
    return config.model_copy(update={k: v for k, v in overrides.items() if v is not None})
