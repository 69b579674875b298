"""Synthesize each bundled stack at most once per test session (per xdist worker)."""

from __future__ import annotations

from typing import Callable

import pytest

from synth.graph import ResourceGraph

STACKS = ["platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"]


@pytest.fixture(scope="session")
def graph_of() -> Callable[[str], ResourceGraph]:
    from synth.run import synthesize_stack

    cache: dict[str, ResourceGraph] = {}

    def get(stack: str) -> ResourceGraph:
        if stack not in cache:
            cache[stack] = synthesize_stack(stack)
        return cache[stack]

    return get

