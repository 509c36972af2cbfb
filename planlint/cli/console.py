"""What the command line says: one-line messages on stderr, text from rule packs on stdout."""

from __future__ import annotations

import sys

import typer

from planlint.exits import ExitCode
from planlint.logsafe import Style, inert
from planlint.safetext import clean


class _Stderr:
    """Whether a line meant for stderr was lost (a full disk, a closed stream): the run goes on, so
    that every report is still written, and ends with exit 2: planlint could not say all it had to."""

    lost = False


def say(message: str, prefix: str = "planlint: ") -> None:
    """One line on stderr, every character from outside made harmless for a terminal and a CI log."""
    line = inert(clean(f"{prefix}{message}"), Style.TEXT)
    stream = sys.stderr
    try:
        if stream is None or getattr(stream, "closed", False):
            raise OSError(0, "stderr is closed")
        typer.echo(line, err=True)
    except (OSError, ValueError):
        _Stderr.lost = True


def stderr_lost() -> bool:
    """Whether something said on stderr did not get there."""
    return _Stderr.lost


def fail(message: str) -> typer.Exit:
    """Say the error; the caller raises what this returns (exit 2)."""
    say(f"error: {message}")
    return typer.Exit(ExitCode.ERROR)


def show(text: str) -> None:
    """Text with parts from rule packs (names, docs, paths) on stdout, safe for a terminal and a CI log."""
    from planlint.outputs import write_stdout

    write_stdout(inert(text, Style.TEXT))
