from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drift"))  # fake_arm, loopback: the shared fake server

import pytest  # noqa: E402

from fake_arm import TOKEN  # noqa: E402

CLOUD_ENV = ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID",
             "ARM_USE_MSI", "ARM_USE_OIDC", "ARM_OIDC_TOKEN", "BOROUGH_DB", "BOROUGH_AZURE_ENDPOINT")


@pytest.fixture
def azure_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or register of the machine's: the fake server's token, an empty directory."""
    for name in CLOUD_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", TOKEN)
    monkeypatch.chdir(tmp_path)
