"""A user's files, read and written safely.

Reading: only regular files, and no more than a size limit. A FIFO would block forever,
``/dev/zero`` would be read until memory runs out, and a file swapped between a check and the
read could be either. So a file is opened without blocking, checked on the open descriptor, and
read up to one byte past the limit. A pipe the user named (``<(aws …)``, ``/dev/stdin``) is read
too when the caller allows it, within the size limit and a time limit: one that does not close
in time is refused, not waited for.

Writing: a path means what the kernel makes of it (``missing/../x`` is ``x``, ``link/..`` is the
directory above where the link points); :func:`destination` says where that is, for the write and
for every check made before it. A regular file (or a new one) is written to a temporary file beside
it and renamed over it, so a reader never sees half a report; anything else (a FIFO, a device, a
file reached through ``/proc``'s links such as ``/dev/stdout``) is written in place, never replaced.
Appending (GitHub's step summary, which earlier steps wrote to) adds the whole text or, when the
write fails, cuts the file back to what it was.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from planlint.support.errors import InputError

MIB = 1024 * 1024
DEFAULT_MAX_SIZE = 256 * MIB
PIPE_SECONDS = 900.0  # a pipe named on the command line must close within this (as long as a whole fetch)


class FileProblem(InputError):
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


def read_regular(path: str, limit: int = DEFAULT_MAX_SIZE, pipe_seconds: float | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed); raises ``FileProblem``.
    ``pipe_seconds``: a pipe (a FIFO) is read too, if it closes within so many seconds."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISFIFO(info.st_mode) and pipe_seconds is not None and hasattr(select, "poll"):
            return read_pipe(fd, limit, pipe_seconds)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"not a regular file ({_kind(info.st_mode)}); planlint reads only regular files")
        if info.st_size > limit:
            raise FileProblem(f"larger than the {size_text(limit)} limit (--max-file-size)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return read_limited(handle, limit, info.st_size)
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)


_CHUNK = 1024 * 1024


def read_limited(stream: BinaryIO, limit: int, size: int = _CHUNK) -> bytes:
    """At most ``limit`` bytes of ``stream``; raises ``FileProblem`` when there are more. Memory
    goes by what the stream holds, never by the limit: ``size`` (a regular file's size) is read at
    once, anything past it a chunk at a time."""
    chunks: list[bytes] = []
    total = 0
    want = min(size, limit) + 1
    while True:
        chunk = stream.read(min(want, limit + 1 - total))
        if not chunk:
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise FileProblem(f"larger than the {size_text(limit)} limit (--max-file-size)")
        chunks.append(chunk)
        want = _CHUNK


def read_pipe(fd: int, limit: int, seconds: float) -> bytes:
    """At most ``limit`` bytes from the pipe ``fd`` (opened without blocking), up to its end, which must
    come within ``seconds``; raises ``FileProblem``. A FIFO no writer has opened yet is waited for."""
    deadline = time.monotonic() + seconds
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FileProblem(f"a pipe that did not close within {seconds:g} seconds")
        if not poller.poll(max(1, int(left * 1000))):
            continue
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FileProblem(f"larger than the {size_text(limit)} limit (--max-file-size)")
        chunks.append(chunk)


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
            _write_all(fd, data)
        except BaseException:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.ftruncate(fd, before)
            raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Destination:
    """Where writing to a path lands: ``path`` absolute and free of symbolic links; whether it is
    written ``in_place`` (a FIFO, a device, a file reached through ``/proc``) or replaced; and
    ``descriptor``, when the path names one of this process's own (``/dev/stdout`` is 1)."""

    path: str
    in_place: bool
    descriptor: int | None = None


_LINK_HOPS = 40  # as many symbolic links as the kernel follows in one path


def destination(path: str) -> Destination:
    """Where a write to ``path`` lands, as the kernel resolves it once missing directories are made as
    named: each symbolic link is followed where it appears, so ``link/..`` is the directory above
    the link's target, and ``..`` after a directory still to be made goes back to where it was."""
    real = os.path.realpath(path)
    try:
        mode: int | None = os.stat(path).st_mode
    except OSError:
        mode = None
    through_proc, descriptor = _through_proc(path)
    return Destination(real, (mode is not None and not stat.S_ISREG(mode)) or through_proc, descriptor)


def _through_proc(path: str) -> tuple[bool, int | None]:
    """Whether ``path`` reaches its file through ``/proc`` (``/dev/stdout``, ``/dev/fd/1``,
    ``/proc/self/fd/1``), and the descriptor of this process it names, if one. Those links lead to
    an open file, which a rename would not replace but leave behind."""
    current = os.path.join(os.getcwd(), path)
    own = f"/proc/{os.getpid()}/fd"
    for _ in range(_LINK_HOPS):
        parent = os.path.realpath(os.path.dirname(current))
        name = os.path.basename(current)
        if parent == own and name.isdigit():
            return True, int(name)
        if parent == "/proc" or parent.startswith("/proc/"):
            return True, None
        current = os.path.join(parent, name)
        if not os.path.islink(current):
            return False, None
        current = os.path.join(parent, os.readlink(current))
    return False, None


def _write(path: str, data: bytes) -> None:
    _make_directories(os.path.dirname(path) or ".")
    _openable(path)
    where = destination(path)
    if where.descriptor is not None:  # /dev/stdout: the open file itself, where the shell put it
        _write_all(where.descriptor, data)
        return
    if where.in_place:
        with open(path, "wb") as stream:  # a FIFO, a device: written, never replaced
            stream.write(data)
        return
    target = Path(where.path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:  # an error, or SIGINT/SIGTERM (see interrupts): no temporary file is left
        Path(temporary).unlink(missing_ok=True)
        raise


def _openable(path: str) -> None:
    """Raise what the kernel would say of opening ``path`` (a loop of links, a denied directory); a
    missing file, or a link to one, is no problem: it is made."""
    try:
        os.stat(path)
    except FileNotFoundError:
        pass


def _make_directories(directory: str) -> None:
    """Make ``directory`` and those above it as named, the kernel resolving each (``file/..`` fails)."""
    if os.path.isdir(directory):
        return
    if os.path.lexists(directory):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), directory)
    os.makedirs(directory, exist_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
