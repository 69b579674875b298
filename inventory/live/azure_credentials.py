"""Which Azure credential to use, built once and shared by every live reader.

Platform engineers already have credentials set for Pulumi or Terraform (``ARM_*`` variables),
for the Azure SDKs (``AZURE_*``), an ``az login`` session or a managed identity. This module maps
each of those to an azure-identity credential and says, in words, which one it chose, so a
failure can name what was tried and how to sign in instead of printing azure-identity's
per-credential warnings. Used by ``borough drift`` and ``borough check --live``.

Order (the first that applies wins):

1. ``BOROUGH_AZURE_ACCESS_TOKEN``: a bearer token fetched elsewhere (``az account
   get-access-token``, CI, the tests' loopback server).
2. ``ARM_CLIENT_ID`` + ``ARM_TENANT_ID`` and one of ``ARM_CLIENT_SECRET`` (service principal
   secret), ``ARM_CLIENT_CERTIFICATE_PATH`` (certificate, ``ARM_CLIENT_CERTIFICATE_PASSWORD``),
   ``ARM_USE_OIDC=true`` with ``ARM_OIDC_TOKEN`` or ``ARM_OIDC_TOKEN_FILE_PATH`` (federated token).
3. ``ARM_USE_MSI=true``: managed identity (user-assigned when ``ARM_CLIENT_ID`` is set).
4. Otherwise azure-identity's ``DefaultAzureCredential``: ``AZURE_*`` variables
   (EnvironmentCredential), workload identity, managed identity, Azure CLI (``az login``),
   Azure PowerShell, Azure Developer CLI.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping

from inventory.live.errors import LiveCredentialError, LiveInputError

TOKEN_ENV = "BOROUGH_AZURE_ACCESS_TOKEN"
SUBSCRIPTION_ENVS = ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID")
DEFAULT_SCOPE = "https://management.azure.com/.default"
DEFAULT_CHAIN = (
    "azure-identity's default chain (AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID variables, "
    "workload identity, managed identity, Azure CLI `az login`, Azure PowerShell, Azure Developer CLI)"
)
SIGN_IN_HINT = (
    "sign in with `az login`, or set ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID (or the AZURE_* "
    "equivalents), or set ARM_USE_MSI=true where a managed identity is assigned, or BOROUGH_AZURE_ACCESS_TOKEN"
)
QUIET_LOGGERS = ("azure.identity", "msal")
TRUE = {"1", "true", "yes", "on"}


class StaticTokenCredential:
    """A bearer token obtained elsewhere (``az account get-access-token``, CI, the test server)."""

    def __init__(self, token: str, expires_in: int = 3600) -> None:
        self._token = token
        self._expires_on = int(time.time()) + expires_in

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, self._expires_on)

    def get_token_info(self, *scopes: str, options: Any = None) -> Any:
        from azure.core.credentials import AccessTokenInfo

        return AccessTokenInfo(self._token, self._expires_on)


class CachedTokenCredential:
    """Hands out one token per scope until five minutes before it expires.

    Every reader thread and client asks the credential for a token; some sources (``az login``
    runs a subprocess per request) are slow, and the sign-in check has just fetched one."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._tokens: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        if kwargs.get("claims"):
            return self._inner.get_token(*scopes, **kwargs)  # a challenge asks for a fresh token
        with self._lock:
            token = self._tokens.get(scopes)
            if token is None or token.expires_on - 300 <= time.time():
                token = self._tokens[scopes] = self._inner.get_token(*scopes, **kwargs)
            return token


@dataclass(frozen=True)
class AzureCredential:
    """A credential and, in words, where it came from (shown when signing in fails)."""

    credential: Any
    """An azure-core ``TokenCredential``."""
    source: str


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in TRUE


def quiet_azure_identity() -> None:
    """azure-identity logs a warning per credential it tries (hundreds of lines per run): the
    failure is reported once, by ``verify_azure_credential``, instead."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _service_principal(env: Mapping[str, str]) -> AzureCredential | None:
    from azure import identity

    client, tenant = env.get("ARM_CLIENT_ID", ""), env.get("ARM_TENANT_ID", "")
    secret, cert = env.get("ARM_CLIENT_SECRET", ""), env.get("ARM_CLIENT_CERTIFICATE_PATH", "")
    oidc = _flag(env, "ARM_USE_OIDC")
    if not (secret or cert or oidc):
        return None
    missing = [name for name, value in (("ARM_CLIENT_ID", client), ("ARM_TENANT_ID", tenant)) if not value]
    chosen = "ARM_CLIENT_SECRET" if secret else "ARM_CLIENT_CERTIFICATE_PATH" if cert else "ARM_USE_OIDC"
    if missing:
        raise LiveInputError(f"{chosen} is set but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not",
                             hint="set ARM_CLIENT_ID and ARM_TENANT_ID of the service principal, or unset " + chosen)
    if secret:
        return AzureCredential(identity.ClientSecretCredential(tenant, client, secret),
                               f"service principal {client} from ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID")
    if cert:
        password = env.get("ARM_CLIENT_CERTIFICATE_PASSWORD") or None
        return AzureCredential(identity.ClientCertificateCredential(tenant, client, cert, password=password),
                               f"service principal {client} with the certificate in ARM_CLIENT_CERTIFICATE_PATH")
    token, token_file = env.get("ARM_OIDC_TOKEN", ""), env.get("ARM_OIDC_TOKEN_FILE_PATH", "")
    if token_file:
        return AzureCredential(identity.WorkloadIdentityCredential(tenant_id=tenant, client_id=client, token_file_path=token_file),
                               f"federated token file ARM_OIDC_TOKEN_FILE_PATH for {client} (ARM_USE_OIDC)")
    if token:
        return AzureCredential(identity.ClientAssertionCredential(tenant, client, lambda: token),
                               f"federated token ARM_OIDC_TOKEN for {client} (ARM_USE_OIDC)")
    raise LiveInputError("ARM_USE_OIDC is set but neither ARM_OIDC_TOKEN nor ARM_OIDC_TOKEN_FILE_PATH is",
                         hint="pass the federated token in ARM_OIDC_TOKEN or a file named by ARM_OIDC_TOKEN_FILE_PATH")


def azure_credential(environ: Mapping[str, str] | None = None) -> AzureCredential:
    """The credential the environment asks for (see the module docstring for the order).

    Builds it only: nothing is requested until ``verify_azure_credential`` or the first call.
    A half-set service principal (a secret without a tenant) is bad input (``LiveInputError``).
    """
    env = os.environ if environ is None else environ
    quiet_azure_identity()
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        return AzureCredential(StaticTokenCredential(token), f"the bearer token in {TOKEN_ENV}")
    principal = _service_principal(env)
    if principal is not None:
        return principal
    from azure import identity

    if _flag(env, "ARM_USE_MSI"):
        client = env.get("ARM_CLIENT_ID") or None
        which = f"user-assigned managed identity {client}" if client else "the system-assigned managed identity"
        return AzureCredential(identity.ManagedIdentityCredential(client_id=client), f"{which} (ARM_USE_MSI)")
    return AzureCredential(identity.DefaultAzureCredential(), DEFAULT_CHAIN)


def verify_azure_credential(resolved: AzureCredential, scope: str = DEFAULT_SCOPE) -> None:
    """Ask for one token, once, before any reader starts, so a missing sign-in fails in one line
    (naming what was tried and how to sign in) rather than once per request and per retry.
    The credential caches the token, so the readers' own first request does not ask again."""
    from azure.core.exceptions import ClientAuthenticationError

    try:
        resolved.credential.get_token(scope)
    except ClientAuthenticationError as exc:
        raise LiveCredentialError(f"Azure sign-in failed: tried {resolved.source}: {_first_line(exc)}", hint=SIGN_IN_HINT) from None
    except Exception as exc:  # noqa: BLE001 - an issuer that cannot be reached, a malformed authority: never an internal error
        raise LiveCredentialError(
            f"Azure sign-in failed: tried {resolved.source}: could not get a token from the identity issuer "
            f"({type(exc).__name__}: {_first_line(exc)})",
            hint="check the network path to the identity issuer (AZURE_AUTHORITY_HOST, default login.microsoftonline.com) "
                 "and the tenant id; " + SIGN_IN_HINT) from None


def _first_line(exc: BaseException) -> str:
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)[:300]


def default_subscription(environ: Mapping[str, str] | None = None) -> str | None:
    """The subscription named by ``ARM_SUBSCRIPTION_ID`` (else ``AZURE_SUBSCRIPTION_ID``), if any."""
    env = os.environ if environ is None else environ
    for name in SUBSCRIPTION_ENVS:
        value = env.get(name, "").strip()
        if value:
            return value
    return None
