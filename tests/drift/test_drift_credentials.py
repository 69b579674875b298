"""Which Azure credential the environment selects (issue 10 items 8 and 9), without signing in."""

from __future__ import annotations

import pytest

from inventory.live.azure_credentials import (
    DEFAULT_CHAIN,
    StaticTokenCredential,
    azure_credential,
    default_subscription,
    verify_azure_credential,
)
from inventory.live.errors import LiveCredentialError, LiveInputError

SP = {"ARM_CLIENT_ID": "app-1", "ARM_CLIENT_SECRET": "s3cret", "ARM_TENANT_ID": "tenant-1"}


def test_terraform_service_principal_variables_become_a_client_secret_credential() -> None:
    from azure.identity import ClientSecretCredential

    resolved = azure_credential(SP)
    assert isinstance(resolved.credential, ClientSecretCredential)
    assert "ARM_CLIENT_SECRET" in resolved.source and "app-1" in resolved.source
    assert "s3cret" not in resolved.source


def test_the_borough_token_wins_over_everything() -> None:
    resolved = azure_credential({**SP, "BOROUGH_AZURE_ACCESS_TOKEN": "tok"})
    assert isinstance(resolved.credential, StaticTokenCredential)
    assert resolved.credential.get_token("scope").token == "tok"
    assert "BOROUGH_AZURE_ACCESS_TOKEN" in resolved.source


@pytest.mark.parametrize("env, kind", [
    ({"ARM_USE_MSI": "true"}, "ManagedIdentityCredential"),
    ({"ARM_USE_MSI": "true", "ARM_CLIENT_ID": "mi-client"}, "ManagedIdentityCredential"),
    ({"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "c", "ARM_TENANT_ID": "t", "ARM_OIDC_TOKEN": "jwt"}, "ClientAssertionCredential"),
    ({"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "c", "ARM_TENANT_ID": "t", "ARM_OIDC_TOKEN_FILE_PATH": "/tmp/jwt"},
     "WorkloadIdentityCredential"),
    ({}, "DefaultAzureCredential"),
    ({"ARM_CLIENT_ID": "only-an-id"}, "DefaultAzureCredential"),
])
def test_each_documented_source_maps_to_its_azure_identity_credential(env: dict, kind: str) -> None:
    resolved = azure_credential(env)
    assert type(resolved.credential).__name__ == kind
    if kind == "DefaultAzureCredential":
        assert resolved.source == DEFAULT_CHAIN
    if env.get("ARM_CLIENT_ID") == "mi-client":
        assert "user-assigned managed identity mi-client" in resolved.source


@pytest.mark.parametrize("env, missing", [
    ({"ARM_CLIENT_SECRET": "x"}, "ARM_CLIENT_ID and ARM_TENANT_ID"),
    ({"ARM_CLIENT_SECRET": "x", "ARM_CLIENT_ID": "c"}, "ARM_TENANT_ID"),
    ({"ARM_USE_OIDC": "1", "ARM_CLIENT_ID": "c", "ARM_TENANT_ID": "t"}, "ARM_OIDC_TOKEN"),
])
def test_a_half_set_service_principal_is_bad_input_naming_the_missing_variable(env: dict, missing: str) -> None:
    with pytest.raises(LiveInputError) as caught:
        azure_credential(env)
    assert missing in str(caught.value)
    assert caught.value.exit_code == 2


def test_subscription_defaults_to_arm_then_azure_variable() -> None:
    assert default_subscription({"ARM_SUBSCRIPTION_ID": "a", "AZURE_SUBSCRIPTION_ID": "b"}) == "a"
    assert default_subscription({"AZURE_SUBSCRIPTION_ID": "b"}) == "b"
    assert default_subscription({"ARM_SUBSCRIPTION_ID": "  "}) is None


class _Refusing:
    calls = 0

    def get_token(self, *scopes: str, **kwargs: object) -> object:
        from azure.core.exceptions import ClientAuthenticationError

        self.calls += 1
        raise ClientAuthenticationError("no token\nsecond line of detail\nthird")


def test_a_failed_sign_in_is_one_line_naming_the_source_and_how_to_sign_in() -> None:
    from inventory.live.azure_credentials import AzureCredential

    refusing = _Refusing()
    with pytest.raises(LiveCredentialError) as caught:
        verify_azure_credential(AzureCredential(refusing, "the thing we tried"))
    message = str(caught.value)
    assert "\n" not in message and "the thing we tried" in message and "no token" in message
    assert "az login" in (caught.value.hint or "") and "ARM_CLIENT_ID" in (caught.value.hint or "")
    assert caught.value.exit_code == 3
    assert refusing.calls == 1


def test_the_environment_credential_is_asked_once_for_every_reader(monkeypatch):
    from fake_arm import FakeArmServer, arm_resource, resource_group
    from inventory.live import azure as live_azure
    from inventory.live.azure_credentials import AzureCredential

    class Counting(StaticTokenCredential):
        calls = 0

        def get_token(self, *scopes, **kwargs):
            Counting.calls += 1
            return super().get_token(*scopes, **kwargs)

    monkeypatch.setattr(live_azure, "azure_credential", lambda: AzureCredential(Counting("test-token"), "counting"))
    subs = ["44444444-0000-0000-0000-000000000001", "44444444-0000-0000-0000-000000000002"]
    with FakeArmServer() as server:
        for sub in subs:
            server.state.add(resource_group(sub, "rg"))
            server.state.add(arm_resource(sub, "rg", "Microsoft.Web/sites", "app", location="uksouth"))
        snapshot = live_azure.read_azure(subs, live_azure.AzureSettings(endpoint=server.endpoint, page_size=1))
    assert snapshot.not_read == [] and len(snapshot.resources) == 4
    assert Counting.calls == 1  # the sign-in check's token serves both subscriptions and every page
