"""Shared fixtures: a copy of the SARIF schema lives beside the tests (CI has no ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    return json.loads((HERE / "sarif-2.1.0.json").read_text(encoding="utf-8"))
