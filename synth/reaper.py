"""Nothing outlives borough: the processes and temporary folders of a command, found and removed.

A synthesis child runs in a process group of its own, killed after every run; but a program may
start a daemon with ``setsid`` (a new session, out of reach of the group), and a cancelled CI job
(SIGTERM), a dropped SSH session (SIGHUP) or Ctrl-C may end borough between two steps. So:

- borough becomes the *subreaper* of its descendants (Linux ``PR_SET_CHILD_SUBREAPER``): an
  orphan a program leaves is re-parented to borough, not to init, and :func:`stop_all` finds it
  by walking ``/proc`` from borough's pid;
- the process groups and temporary folders of running syntheses are registered here, so
  :func:`stop_all` (called at the end of every command, whatever ended it) kills the groups and
  every descendant, reaps them, and removes the folders.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator

_PR_SET_CHILD_SUBREAPER = 36

_lock = threading.Lock()
_groups: set[int] = set()
_folders: set[str] = set()
_closed = False
"""Set by :func:`stop_all`: the command is ending, so no child may start and no folder appear
(a synthesis thread racing the main thread's clean-up would otherwise leave one behind)."""


class ShuttingDown(RuntimeError):
    """borough is stopping (a signal, or the end of the command): nothing new is started."""


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux only; ``False`` elsewhere)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def track_group(pgid: int) -> None:
    """Register a child's process group; one started after :func:`stop_all` is killed at once."""
    with _lock:
        if not _closed:
            _groups.add(pgid)
            return
    with contextlib.suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)
    raise ShuttingDown("borough is stopping: the child was stopped")


def untrack_group(pgid: int) -> None:
    with _lock:
        _groups.discard(pgid)


@contextlib.contextmanager
def temporary_folder(prefix: str) -> Iterator[str]:
    """A temporary folder registered in the same step that makes it, so :func:`stop_all` never
    misses one; removed when the block ends."""
    with _lock:
        if _closed:
            raise ShuttingDown("borough is stopping: no new synthesis")
        path = tempfile.mkdtemp(prefix=prefix)
        _folders.add(path)
    try:
        yield path
    finally:
        with _lock:
            _folders.discard(path)
        shutil.rmtree(path, ignore_errors=True)


def descendants(root: int | None = None) -> list[int]:
    """Every live process below ``root`` (default: this one), read from ``/proc``."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[-1].split()
        if len(fields) < 2 or fields[0] == b"Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    todo = [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            found.append(pid)
            todo.append(pid)
    return found


def stop_all() -> int:
    """Kill the registered groups and every descendant, reap them, remove the registered
    folders; returns how many processes were stopped."""
    global _closed
    with _lock:
        _closed = True
        groups, folders = list(_groups), list(_folders)
        _groups.clear()
        _folders.clear()
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    stopped: set[int] = set()
    for _ in range(5):  # a process forking in a loop may add descendants while they are killed
        found = descendants()
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                stopped.add(pid)
            except OSError:
                pass
        _reap(0.5)
    _reap(0.0)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(stopped)


def _reap(within: float) -> None:
    """Collect the exit status of dead children (so none is left a zombie)."""
    deadline = time.monotonic() + within
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)
