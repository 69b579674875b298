"""stdout and stderr as the environment gives them: closed, a pipe that breaks, a Latin-1 locale.

- A closed descriptor 1 or 2 (``borough ... >&-``) is reopened on ``/dev/null`` before anything
  else is opened, so the register's database file can never become "stdout". A closed stdout
  then behaves as a broken pipe: writing a result to it ends the command quietly (exit 141, as a
  process killed by SIGPIPE), while a command writing ``--output`` is unaffected.
- A locale whose encoding cannot show every character (ISO-8859-1, ASCII) prints with
  replacement characters instead of failing on the first ``£`` or ``—``.
"""

from __future__ import annotations

import io
import os
import sys

EXIT_BROKEN_PIPE = 128 + 13
"""A result that could not be written because stdout is closed or its reader went away."""


class _ClosedStream(io.TextIOBase):
    """stdout when descriptor 1 was closed: writing to it is a broken pipe."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            raise BrokenPipeError(32, "stdout is closed")
        return 0

    def fileno(self) -> int:
        return 1


def _reopen_closed(fd: int) -> bool:
    """Put ``/dev/null`` on ``fd`` if it is closed; ``True`` when it was."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        pass
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)
    return True


def guard_streams() -> None:
    for fd in (0, 1, 2):
        closed = _reopen_closed(fd)
        if fd == 1 and (closed or sys.stdout is None):
            sys.stdout = _ClosedStream()
        elif fd == 2 and (closed or sys.stderr is None):
            sys.stderr = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").replace("_", "-").lower()
        if isinstance(stream, io.TextIOWrapper) and encoding not in ("utf-8", "utf8"):
            stream.reconfigure(errors="replace")


def silence_stdout() -> None:
    """After a broken pipe: nothing more is written to stdout (not even at the final flush)."""
    try:
        if sys.stdout.fileno() != 1:  # a captured stdout (tests): leave descriptor 1 alone
            return
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return
    sys.stdout = open(os.devnull, "w", encoding="utf-8")
