"""What the command line says: one-line messages on stderr, text from rule packs on stdout."""

from __future__ import annotations

import typer

from planlint.exits import ExitCode
from planlint.safetext import clean, clean_lines


def say(message: str, prefix: str = "planlint: ") -> None:
    """One line on stderr, every character from outside made harmless for a terminal."""
    typer.echo(clean(f"{prefix}{message}"), err=True)


def fail(message: str) -> typer.Exit:
    """Say the error; the caller raises what this returns (exit 2)."""
    say(f"error: {message}")
    return typer.Exit(ExitCode.ERROR)


def show(text: str) -> None:
    """Text with parts from rule packs (names, docs, paths) on stdout, safe for a terminal and a CI log."""
    from planlint.outputs import for_actions_log, write_stdout

    write_stdout(for_actions_log(clean_lines(text)))
