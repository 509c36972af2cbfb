"""A user's files, read and written safely.

Reading: only regular files, and no more than a size limit. A FIFO would block forever,
``/dev/zero`` would be read until memory runs out, and a file swapped between a check and the
read could be either. So a file is opened without blocking, checked on the open descriptor, and
read up to one byte past the limit.

Writing: a regular file (or a new one) is written to a temporary file beside it and renamed over
it, so a reader never sees half a report; anything else (a FIFO, ``/dev/stdout``, ``/dev/null``)
is written in place, never replaced. Appending (GitHub's step summary, which earlier steps wrote
to) adds the whole text or, when the write fails, cuts the file back to what it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

MIB = 1024 * 1024
DEFAULT_MAX_SIZE = 256 * MIB


class FileProblem(Exception):
    """Why a file was not read, for a person: ``not a regular file (a FIFO)``."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def size_text(size: int) -> str:
    return f"{size / MIB:g} MiB" if size >= MIB else f"{size} bytes"


def read_regular(path: str, limit: int = DEFAULT_MAX_SIZE) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed); raises ``FileProblem``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"not a regular file ({_kind(info.st_mode)}); planlint reads only regular files")
        if info.st_size > limit:
            raise FileProblem(f"larger than the {size_text(limit)} limit (--max-file-size)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return read_limited(handle, limit)
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``; raises ``FileProblem`` when there are more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(f"larger than the {size_text(limit)} limit (--max-file-size)")
    return data


def encode(text: str) -> bytes:
    """UTF-8; a lone surrogate from a plan becomes a visible ``\\udXXX`` escape instead of an error."""
    return text.encode("utf-8", "backslashreplace")


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path``: a regular file (or a new one) through a temporary file in the same
    directory, then renamed over it — so a symbolic link keeps pointing at it; anything else (a FIFO, a
    device, ``/dev/stdout``) in place. An ``OSError`` names ``path``, whatever failed."""
    try:
        _write(path, encode(text))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None


def append(path: str, text: str) -> None:
    """Add ``text`` to the end of ``path`` (made if missing): all of it, or nothing. An ``OSError``
    names ``path``."""
    data = encode(text)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None
    try:
        before = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.ftruncate(fd, before)
            raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None
    finally:
        os.close(fd)


def _write(path: str, data: bytes) -> None:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "wb") as stream:  # a FIFO, a device, /dev/stdout: written, never replaced
            stream.write(data)
        return
    destination = Path(os.path.realpath(path))
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except BaseException:  # an error, or SIGINT/SIGTERM (see interrupts): no temporary file is left
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
