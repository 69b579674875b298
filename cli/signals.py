"""SIGTERM and SIGHUP end a command as Ctrl-C does.

A cancelled CI job or ``timeout`` sends SIGTERM, a dropped SSH session SIGHUP: each is turned
into the ``KeyboardInterrupt`` Python raises for SIGINT, so every ``finally`` on the way out runs
(children stopped, temporary folders removed), and the command ends with 128 + the signal's
number (130, 143, 129), as a shell reports a process a signal ended.
"""

from __future__ import annotations

import signal
from types import FrameType

_received: int | None = None


def received() -> int | None:
    """The signal that ended the command, if one did."""
    return _received


def _interrupt(signum: int, frame: FrameType | None) -> None:
    global _received
    if _received is None:
        _received = signum
        raise KeyboardInterrupt


def handle_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
