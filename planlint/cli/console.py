"""What the command line says: one-line messages on stderr, text from rule packs on stdout."""

from __future__ import annotations

import errno
import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import typer

from planlint.support.errors import PlanlintError
from planlint.support.exits import ExitCode
from planlint.support.logsafe import Style, inert
from planlint.support.safetext import clean


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


_T = TypeVar("_T")


class _Lost:
    """Why stdout did not take what a command wrote there (a full disk, a closed pipe), if it did not."""

    reason: str | None = None


class _Stdout:
    """``sys.stdout`` as the command line holds it: a write or flush that fails is recorded, then
    raised as it came, so that the entry point says one line for it whichever command wrote, and
    whatever click or typer made of the error on the way (a closed pipe is an exit of their own)."""

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def _watched(self, call: Callable[..., _T], *arguments: object) -> _T:
        try:
            return call(*arguments)
        except OSError as exc:
            _Lost.reason = _Lost.reason or exc.strerror or str(exc) or type(exc).__name__
            raise

    def write(self, data: Any) -> int:
        written: int = self._watched(self._wrapped.write, data)
        return written

    def writelines(self, lines: Iterable[Any]) -> None:
        self._watched(self._wrapped.writelines, lines)

    def flush(self) -> None:
        self._watched(self._wrapped.flush)

    @property
    def buffer(self) -> _Stdout:
        return _Stdout(self._wrapped.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


class _Closed:
    """What stands for a stdout that was closed before planlint started (``>&-``): nothing may be
    written to it; flushing nothing is fine."""

    encoding = "utf-8"
    errors = "strict"
    closed = False

    def __init__(self, binary: bool = False) -> None:
        self._binary = binary

    def write(self, data: Any) -> int:
        if not isinstance(data, (bytes, bytearray) if self._binary else str):
            raise TypeError(f"write() argument must be {'bytes' if self._binary else 'str'}")
        if data:
            _Lost.reason = _Lost.reason or "stdout is closed"
            raise OSError(errno.EBADF, "stdout is closed")
        return 0

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    @property
    def buffer(self) -> _Closed:
        if self._binary:
            raise AttributeError("buffer")
        return _Closed(binary=True)


def watch_stdout() -> None:
    """From now on, a write to stdout that fails is recorded (see ``stdout_lost``)."""
    if not isinstance(sys.stdout, (_Stdout, _Closed)):
        sys.stdout = _Closed() if sys.stdout is None else _Stdout(sys.stdout)


def stdout_lost() -> str | None:
    """Why something written to stdout did not get there; None when all of it did, so far."""
    return _Lost.reason


def fail(message: str) -> typer.Exit:
    """Say the error; the caller raises what this returns (exit 2)."""
    say(f"error: {message}")
    return typer.Exit(ExitCode.ERROR)


def show(text: str) -> None:
    """Text with parts from rule packs (names, docs, paths) on stdout, safe for a terminal and a CI log."""
    from planlint.report.delivery import write_stdout

    write_stdout(inert(text, Style.TEXT))


_F = TypeVar("_F", bound=Callable[..., Any])


def stops_on_errors(command: _F) -> _F:
    """``command`` with planlint's errors said and mapped to their exit code: the one place the
    command line catches them. Each line of the error is one ``error:`` line on stderr."""

    @functools.wraps(command)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlanlintError as exc:
            for line in exc.lines():
                say(f"error: {line}")
            raise typer.Exit(exc.exit_code) from None

    return cast(_F, call)
