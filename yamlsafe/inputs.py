"""Only regular files are read as inputs, each kind up to a size bound; paths shown escaped.

A FIFO given as ``--template`` would block the read for ever, ``/dev/zero`` would be read until
memory runs out, a directory has no bytes: each is refused by what it is, before any read. The
file is opened non-blocking (opening a FIFO does not wait for a writer) and judged by ``fstat``
on the descriptor that is then read, so what is judged is what is read.

Each kind of input has a bound far above what a council's file holds (a state export of the
whole estate is tens of MB); the message says what the bound is and how to raise it
(``BOROUGH_MAX_<KIND>_MB``). No imports beyond the standard library: every package uses it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

BOUNDS_MB: dict[str, int] = {
    "template": 128,
    "parameters": 16,
    "state": 512,
    "mapping": 4,
    "sheet": 512,
    "config": 16,
}
"""The largest file read as each kind of input, in MB (1 MB = 1,048,576 bytes)."""

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class InputFileError(ValueError):
    """An input that is not a regular file, or over its kind's bound: bad input (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def escape_controls(text: str) -> str:
    """``text`` with control, zero-width and bidirectional characters shown as escapes
    (``\\n``, ``\\u202e``), so one line stays one line and reads as it is stored."""
    def shown(match: re.Match[str]) -> str:
        char = match.group()
        return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    return _CONTROLS.sub(shown, text)


def shown_path(path: str | Path) -> str:
    """A path as a one-line message shows it: escaped, and an over-long one shortened (its
    start and its end, which names the file)."""
    text = escape_controls(str(path))
    if len(text) <= 512:
        return text
    return f"{text[:120]}...[{len(text) - 360:,} characters]...{text[-240:]}"


def bound_bytes(kind: str) -> int:
    """The bound of ``kind``: ``BOROUGH_MAX_<KIND>_MB`` if set to a whole number, else the default."""
    raw = os.environ.get(f"BOROUGH_MAX_{kind.upper()}_MB", "").strip()
    megabytes = int(raw) if raw.isdigit() and int(raw) > 0 else BOUNDS_MB.get(kind, 16)
    return megabytes * 1024 * 1024


def _what(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _open(path: Path, kind: str) -> tuple[int, int]:
    """A descriptor on ``path`` and its size, once it is known to be a regular file in bounds."""
    shown = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputFileError(f"{shown}: no such file") from None
    except OSError as exc:
        too_long = "a path is at most 4,096 characters and a file name at most 255" if exc.errno == errno.ENAMETOOLONG else None
        raise InputFileError(f"{shown}: cannot be read: {exc.strerror or exc}", too_long) from None
    try:
        info = os.fstat(fd)
        problem = _what(info.st_mode)
        if problem:
            raise InputFileError(f"{shown}: {problem}", f"give the {kind} as a regular file")
        bound = bound_bytes(kind)
        if info.st_size > bound:
            name = f"BOROUGH_MAX_{kind.upper()}_MB"
            raise InputFileError(
                f"{shown}: {info.st_size / 1048576:,.1f} MB is over the {bound // 1048576:,} MB bound for a {kind} file",
                f"if it really is this large, raise the bound: {name}={info.st_size // 1048576 + 1}")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def check_input(path: Path, kind: str) -> int:
    """Refuse ``path`` unless it is a regular file within ``kind``'s bound; its size."""
    fd, size = _open(path, kind)
    os.close(fd)
    return size


def read_input(path: Path, kind: str) -> bytes:
    """The bytes of ``path``, a regular file within ``kind``'s bound."""
    fd, size = _open(path, kind)
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(size + 1)  # read(n) allocates n bytes at once: never the bound itself
            if len(data) > size:  # the file grew while it was read
                data += handle.read(max(0, bound_bytes(kind) + 1 - len(data)))
            return data
        except OSError as exc:
            raise InputFileError(f"{shown_path(path)}: cannot be read: {exc.strerror or exc}") from None
