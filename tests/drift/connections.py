"""Dead endpoints and connection counting for the "a refused connection is not retried" tests.

Shared by the AWS and Azure sides: both SDKs open their sockets through urllib3, so counting
``urllib3.util.connection.create_connection`` calls counts the attempts either SDK makes.
"""

from __future__ import annotations

import socket

import pytest


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released), so a connect is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def count_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection urllib3 opens from now until the test ends, in order."""
    import urllib3.util.connection as connection

    seen: list[tuple[str, int]] = []
    real = connection.create_connection

    def counting(address, *args, **kwargs):
        seen.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(connection, "create_connection", counting)
    return seen
