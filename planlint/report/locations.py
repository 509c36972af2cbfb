"""Where a finding points, as code scanning wants it: a path relative to the repository root."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from planlint.model.findings import Finding, Location
from planlint.support.errors import OutputError


class LocationError(OutputError, ValueError):
    """A plan that has no file inside the source root, so no location a code host accepts."""


def repository_root(start: Path | None = None) -> Path:
    """The nearest directory upwards from ``start`` (default: the working directory) holding ``.git``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


def relative_path(location: Location, root: Path) -> str:
    """The location's file relative to ``root``, with forward slashes; raises ``LocationError`` when it has none."""
    path = location.path
    cwd = "" if os.path.isabs(path) and root.is_absolute() else os.getcwd()  # only relative paths depend on it
    found = _relative(path, location.origin, root, cwd)
    if isinstance(found, LocationError):
        raise found
    return found


@lru_cache(maxsize=1024)
def _relative(path: str, origin: str, root: Path, cwd: str) -> str | LocationError:
    """The work of ``relative_path``, once per file of a run (``cwd``: a relative path depends on it)."""
    if origin == "stdin":
        return LocationError(
            "a plan read from stdin has no file in the repository: save it to a file first "
            "(planlint lint plan.json) so that results can point at it"
        )
    if origin == "fetched":
        return LocationError(
            f"{path} was fetched from AWS and not saved: add --save-dir DIR so that results can point at the saved plan"
        )
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError:
        try:
            relative = absolute.resolve().relative_to(root.resolve())
        except ValueError:
            return LocationError(
                f"{path} is outside the source root {root}: save the plan inside the repository or set --source-root"
            )
    return relative.as_posix()


def uri(location: Location, root: Path) -> str:
    """A relative, percent-encoded URI reference for the location's file (never a scheme or an absolute path)."""
    return _quoted(relative_path(location, root))


@lru_cache(maxsize=1024)
def _quoted(path: str) -> str:
    return quote(path, safe="/")


def shown_at(finding: Finding, root: Path) -> tuple[Location | None, Location | None]:
    """Where a code host shows ``finding``, and the other place it concerns: the template's line when
    that template is under ``root`` (then the plan's line too), else the plan's line alone."""
    template = finding.template_location
    if template is not None:
        try:
            relative_path(template, root)
        except LocationError:
            return finding.location, None
        return template, finding.location
    return finding.location, None
