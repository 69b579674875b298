"""A program's output, read from a pipe as it comes, of which only the tail is kept.

A program that prints 200 MB must not be spooled whole to a temporary file (nor held in memory)
for borough to show its last 64 KiB: a thread reads the pipe and keeps a bounded tail, counting
what it dropped. A daemon the program leaves may hold the pipe open: :meth:`OutputTail.text`
waits only briefly for the end of the output.
"""

from __future__ import annotations

import os
import threading


class OutputTail:
    """Reads ``fd`` (the read end of the child's stdout/stderr pipe) until its end."""

    def __init__(self, fd: int, limit: int) -> None:
        self._fd = fd
        self._limit = limit
        self._chunks = bytearray()
        self._total = 0
        self._thread = threading.Thread(target=self._read, name="borough-output-tail", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                chunk = os.read(self._fd, 65536)
                if not chunk:
                    break
                self._total += len(chunk)
                self._chunks += chunk
                if len(self._chunks) > 2 * self._limit:
                    del self._chunks[: len(self._chunks) - self._limit]
        except OSError:
            pass
        finally:
            try:
                os.close(self._fd)
            except OSError:
                pass

    def text(self, wait: float = 1.0) -> str:
        """The tail (at most ``limit`` bytes, decoded with replacement), with a note on what was
        left out."""
        self._thread.join(wait)
        data = bytes(self._chunks[-self._limit:])
        text = data.decode("utf-8", errors="replace")
        dropped = self._total - len(data)
        if dropped > 0:
            text = f"[{dropped} bytes of the program's earlier output not shown]\n" + text.split("\n", 1)[-1]
        return text
