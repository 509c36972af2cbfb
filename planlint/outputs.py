"""Which report goes where: ``--format FMT [--output FILE]`` pairs, rendering, atomic writes.

Each ``--output`` belongs to the ``--format`` just before it; a ``--format`` with no
``--output`` goes to stdout. Every report is rendered before anything is written, so a
report that cannot be made (SARIF for a plan read from stdin, say) leaves no file behind,
and each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from planlint.report import Report


class Format(str, Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Target:
    format: Format
    path: str | None  # None: stdout


class TargetError(ValueError):
    """``--format``/``--output`` given in a way that names no single destination."""


_FORMAT = ("--format", "-f")
_OUTPUT = ("--output", "-o")


def pair_targets(args: list[str]) -> list[Target]:
    """Read ``--format``/``--output`` pairs in command-line order."""
    targets: list[Target] = []
    pending: Format | None = None
    for option, value in _options(args):
        if option in _FORMAT:
            if pending is not None:
                targets.append(Target(pending, None))
            try:
                pending = Format(value)
            except ValueError:
                choices = ", ".join(f.value for f in Format)
                raise TargetError(f"--format {value}: unknown format; choose one of {choices}") from None
        else:
            if pending is None:
                raise TargetError(f"--output {value}: give --format before each --output")
            targets.append(Target(pending, value))
            pending = None
    if pending is not None:
        targets.append(Target(pending, None))
    if sum(t.path is None for t in targets) > 1:
        raise TargetError("only one --format can go to stdout; give the others an --output file")
    return targets


def _options(args: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            break
        for name in _FORMAT + _OUTPUT:
            if token == name and i + 1 < len(args):
                found.append((name, args[i + 1]))
                i += 1
                break
            if token.startswith(name + "=") and name.startswith("--"):
                found.append((name, token[len(name) + 1 :]))
                break
            if len(name) == 2 and token.startswith(name) and len(token) > 2 and not token.startswith("--"):
                found.append((name, token[2:]))
                break
        i += 1
    return found


def render(
    target: Target,
    report: Report,
    *,
    color: bool,
    source_root: Path,
    sarif_category: str | None,
    sarif_waived: bool = False,
) -> str:
    """Render one target; may raise ``LocationError`` (a plan with no file under the source root)."""
    match target.format:
        case Format.TEXT:
            from planlint.report import text

            return text.render(report, color=color and target.path is None)
        case Format.JSON:
            from planlint.report import jsonreport

            return jsonreport.render(report)
        case Format.SARIF:
            from planlint.report import sarif

            return sarif.render(report, source_root, sarif_category, include_waived=sarif_waived)
        case Format.JUNIT:
            from planlint.report import junit

            return junit.render(report)
        case Format.GITHUB:
            from planlint.report import github

            return github.render(report, source_root)
        case Format.MARKDOWN:
            from planlint.report import markdown

            return markdown.render(report)


def deliver(
    targets: list[Target],
    report: Report,
    *,
    color: bool,
    source_root: Path,
    sarif_category: str | None,
    sarif_waived: bool = False,
) -> str:
    """Render every target, then write the files; return what goes to stdout.

    Nothing is written unless every report could be rendered (``LocationError`` propagates), and
    each file is replaced atomically (an ``OSError`` names the file).
    """
    rendered = [
        (t, render(t, report, color=color, source_root=source_root, sarif_category=sarif_category, sarif_waived=sarif_waived))
        for t in targets
    ]
    for target, text in rendered:
        if target.path is not None:
            write_atomic(target.path, text)
    return "".join(text for target, text in rendered if target.path is None)


def encode(text: str) -> bytes:
    """UTF-8; a lone surrogate from a plan becomes a visible ``\\udXXX`` escape instead of an error."""
    return text.encode("utf-8", "backslashreplace")


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory, then rename."""
    destination = Path(path)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(encode(text))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
