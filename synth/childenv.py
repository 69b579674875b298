"""The environment a synthesis child gets, and the masking of what a program prints.

Synthesis is offline: a program runs under mocks and needs no cloud access, so the child never
sees a credential. Anything cloud-shaped (``ARM_*``, ``AZURE_*``, ``AWS_*``, ``GOOGLE_*``,
``PULUMI_ACCESS_TOKEN``, the register's ``BOROUGH_DB``) and any variable whose name says secret,
password, token, key or credential is left out, unless ``BOROUGH_SYNTH_PASS_ENV`` names it
(comma-separated names: a program that reads, say, ``ARM_LOCATION`` at import time). Whatever
the program prints is masked anyway for the values of such variables in borough's own
environment, so a passed-through secret still never reaches a CI log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

PASS_ENV = "BOROUGH_SYNTH_PASS_ENV"
"""Names of variables the synthesis child may still see, comma-separated."""

SECRET = "[secret]"

_CLOUD_PREFIXES = ("ARM_", "AZURE_", "AWS_", "GOOGLE_", "GCP_", "GCLOUD_", "CLOUDSDK_", "MSI_", "IDENTITY_")
_CLOUD_NAMES = frozenset({"PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "BOROUGH_DB", "DATABASE_URL",
                          "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                          "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_RUNTIME_TOKEN"})
_SECRET_WORDS = re.compile(r"SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|KEY|CREDENTIAL|PRIVATE|(?:^|_)PAT(?:_|$)|(?:^|_)AUTH", re.I)
_MIN_MASKED = 4
"""A secret-named value shorter than this is not masked as a bare word (too many false hits)."""
_MIN_MASKED_CLOUD = 8
"""A cloud-shaped but not secret-named value (``AZURE_LOCATION=uksouth``) is masked from this length."""


def secret_named(name: str) -> bool:
    return bool(_SECRET_WORDS.search(name))


def cloud_shaped(name: str) -> bool:
    upper = name.upper()
    return upper in _CLOUD_NAMES or upper.startswith(_CLOUD_PREFIXES)


def withheld(name: str) -> bool:
    """Kept from the synthesis child unless passed through by name."""
    return cloud_shaped(name) or secret_named(name)


def passed_through(environ: Mapping[str, str]) -> frozenset[str]:
    return frozenset(name.strip() for name in environ.get(PASS_ENV, "").split(",") if name.strip())


def child_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default: borough's) without what the synthesis child must not see."""
    environ = os.environ if environ is None else environ
    keep = passed_through(environ)
    return {name: value for name, value in environ.items() if name in keep or not withheld(name)}


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The values to mask wherever a program's output is shown, longest first."""
    environ = os.environ if environ is None else environ
    found: set[str] = set()
    for name, value in environ.items():
        value = value.strip()
        if secret_named(name) and len(value) >= _MIN_MASKED:
            found.add(value)
        elif cloud_shaped(name) and len(value) >= _MIN_MASKED_CLOUD:
            found.add(value)
    return sorted(found, key=len, reverse=True)


def mask(text: str, values: Iterable[str] | None = None) -> str:
    """``text`` with each of ``values`` (default: borough's environment's secrets) as ``[secret]``."""
    for value in secret_values() if values is None else values:
        if value and value in text:
            text = text.replace(value, SECRET)
    return text
