from __future__ import annotations

import copy
from typing import Iterator

import pytest

from drift_fixtures import live_bodies, state_export
from fake_arm import FakeArmServer, TestCredential


@pytest.fixture(scope="session")
def export_data() -> dict:
    return state_export()


@pytest.fixture(scope="session")
def live_data(export_data: dict) -> list[dict]:
    return live_bodies(export_data)


@pytest.fixture
def arm(live_data: list[dict]) -> Iterator[FakeArmServer]:
    """A loopback ARM holding the stack exactly as deployed (tests then change it by hand)."""
    with FakeArmServer() as server:
        for body in live_data:
            server.state.add(copy.deepcopy(body))
        yield server


@pytest.fixture
def settings(arm: FakeArmServer):
    from inventory.live.azure import AzureSettings

    return AzureSettings(endpoint=arm.endpoint, credential=TestCredential(), retry_total=3, retry_backoff_factor=0.01,
                         retry_backoff_max=0.05, read_timeout=2.0, page_size=3)
