"""Which report goes where: ``--format FMT [--output FILE]`` pairs, rendering, atomic writes.

Each ``--output`` belongs to the ``--format`` just before it; a ``--format`` with no
``--output`` goes to stdout; the order comes from the command-line parser itself. Every
report is rendered before anything is written, so a report that cannot be made (SARIF for a
plan read from stdin, say) leaves no file behind.
A regular file is written to a temporary name and renamed into place; anything else (a
FIFO, ``/dev/stdout``, ``/dev/null``) is written in place, never replaced. The file named by
``$GITHUB_STEP_SUMMARY`` is appended to, as GitHub expects: earlier steps wrote there too. An ``--output``
that is an input plan or the configuration in use, or that two formats share, is refused.

Every report is made safe for where it goes: JSON, SARIF and JUnit escape the characters
a terminal would obey (C1 controls, bidi overrides), and ``logsafe.inert`` leaves no line that a CI
runner would run as a command, other than the ``github`` format's own.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from planlint.support.errors import OutputError
from planlint.support.files import append, destination, encode, write_atomic

if TYPE_CHECKING:  # the reporters are imported when a report is rendered, not to parse --format
    from planlint.report.result import RenderOptions, Report


class Format(str, Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"
    GITLAB = "gitlab"


STDOUT = "-"  # an --output that means stdout; a file of that name is ./-


@dataclass(frozen=True)
class Target:
    format: Format
    path: str | None  # None: stdout


class TargetError(OutputError, ValueError):
    """``--format``/``--output`` given in a way that names no single destination."""


def pair_targets(formats: Sequence[Format], outputs: Sequence[str], order: Iterable[str]) -> list[Target]:
    """Pair ``--format``/``--output`` values by ``order``, the options' names (``"format"``,
    ``"output"``) in the order the command-line parser met them."""
    pending_formats, pending_outputs = list(formats), list(outputs)
    targets: list[Target] = []
    pending: Format | None = None
    for option in order:
        if option == "format":
            if pending is not None:
                targets.append(Target(pending, None))
            pending = pending_formats.pop(0)
        else:
            output = pending_outputs.pop(0)
            if pending is None:
                raise TargetError(f"--output {output}: give --format before each --output")
            targets.append(Target(pending, None if output == STDOUT else output))
            pending = None
    if pending is not None:
        targets.append(Target(pending, None))
    if pending_formats or pending_outputs:
        raise TargetError("--format/--output: the command line's order of them was not recorded")
    if sum(t.path is None for t in targets) > 1:  # "-" counts: it is stdout
        raise TargetError("only one --format can go to stdout; give the others an --output file")
    return targets


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def check_targets(
    targets: Iterable[Target],
    sources: Iterable[str],
    configs: Iterable[Path],
    rule_dirs: Iterable[Path] = (),
    templates: Iterable[str] = (),
    saved: Iterable[str] = (),
) -> None:
    """Refuse an ``--output`` that would overwrite an input plan, a template, a configuration file in use
    (or one it extends), a rule module or a plan this run saved (``--save-dir``: checked once it is),
    or that two formats share (only the last report would be left)."""
    from planlint.read.load import STDIN, expand

    inputs: dict[tuple[int, int], str] = {}
    plans, _ = expand(s for s in sources if s != STDIN)
    named = [(p, "an input plan") for p in plans]
    named += [(template, "a template read in this run") for template in templates]
    named += [(path, "a plan saved in this run") for path in saved]
    named += [(str(config), "the configuration in use") for config in configs]
    named += [
        (str(module), "a rule module") for directory in rule_dirs for module in sorted(Path(directory).glob("*.py"))
    ]
    for path, what in named:
        key = _identity(path)
        if key is not None:
            inputs.setdefault(key, what)
    seen: dict[object, Target] = {}
    for target in targets:
        if target.path is None:
            continue
        where = destination(target.path)  # where the write will land, as the kernel resolves the path
        key = _identity(target.path if where.in_place else where.path)
        if key is not None and key in inputs:
            raise TargetError(f"--output {target.path} is {inputs[key]}; planlint never writes over its input")
        # a regular file by its inode; anything else (a new file, a device, a FIFO) by its real path
        name: object = key if key is not None else where.path
        if name in seen:
            raise TargetError(
                f"--output {target.path} is given for both --format {seen[name].format.value} and "
                f"--format {target.format.value}; give each format its own file"
            )
        seen[name] = target


def render(target: Target, report: Report, options: RenderOptions) -> str:
    """Render one target; may raise ``LocationError`` (a plan with no file under the source root)."""
    from planlint.report.reporter import rendered

    return rendered(target.format.value, report, options, terminal=target.path is None)


def deliver(targets: list[Target], report: Report, options: RenderOptions) -> str:
    """Render every target, then write the files; return what goes to stdout.

    Nothing is written unless every report could be rendered, and each file is replaced atomically;
    either failure is an ``OutputError`` (a write's names the file).
    """
    from planlint.report.locations import LocationError

    made: dict[tuple[Format, bool], str] = {}  # a format asked for twice (a file and stdout) is rendered once
    rendered = []
    try:
        for target in targets:
            key = (target.format, target.format is Format.TEXT and options.color and target.path is None)
            if key not in made:
                made[key] = render(target, report, options)
            rendered.append((target, made[key]))
    except LocationError as exc:
        raise OutputError(f"cannot write a report that points at files: {exc}") from None
    for target, text in rendered:
        try:
            if target.path is not None and is_step_summary(target.path):
                append(target.path, text)
            elif target.path is not None:
                write_atomic(target.path, text)
        except OSError as exc:
            raise OutputError(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    return "".join(text for target, text in rendered if target.path is None)


def is_step_summary(path: str) -> bool:
    """Whether ``path`` is the file GitHub Actions collects this step's summary from."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return False
    same = _identity(path)
    return (same is not None and same == _identity(summary)) or destination(path).path == destination(summary).path


def write_stdout(text: str) -> None:
    """Write a report to stdout; ``OSError`` when stdout is closed or cannot take it (a full disk)."""
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        raise OSError(0, "stdout is closed")
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        buffer.write(encode(text))
        buffer.flush()
    stream.flush()
