"""Errors of the live readers. ``exit_code`` tells the CLI how to exit (see docs/architecture.md)."""

from __future__ import annotations

from inventory.errors import InventoryError
from inventory.live.model import Cloud, NotRead


class LiveError(InventoryError):
    """Anything the live readers raise."""


class LiveInputError(LiveError):
    """A scope named on the command line is malformed (subscription id, region, endpoint)."""


class LiveReadError(LiveError):
    """A page or call failed after the client's retries: names exactly what was not read."""

    exit_code = 3

    def __init__(self, cloud: Cloud, scope: str, what: str, reason: str) -> None:
        super().__init__(f"{cloud.value} {scope}: {what}: {reason}")
        self.not_read = NotRead(cloud=cloud, scope=scope, what=what, reason=reason)


class LiveCredentialError(LiveError):
    """No usable cloud credential: nothing could be read. Names the sources tried and how to sign in."""

    exit_code = 3
