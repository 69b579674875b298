"""Reading minimum TLS settings as Azure spells them: ``1.2``, ``TLS1_2``, ``TLS1.2``, ``Tls12``."""

from __future__ import annotations

import re
from typing import Any

from policies.checks.base import CheckResult


def tls_version(value: Any) -> tuple[int, int] | None:
    """(1, 2) for any of Azure's spellings of TLS 1.2; None when unset or unreadable."""
    if value is None:
        return None
    match = re.fullmatch(r"(?:tls)?[ _]?v?(\d)[._]?(\d)", str(value).strip().lower())
    return (int(match.group(1)), int(match.group(2))) if match else None


def tls_at_least(value: Any, wanted: str, key: str = "properties/minimumTlsVersion") -> tuple[CheckResult, str]:
    """Passed when ``value`` is TLS ``wanted`` or later; an unset value fails (older API versions default to 1.0)."""
    found, floor = tls_version(value), tls_version(wanted)
    if found is None:
        shown = "not set" if value is None else f"{value!r}, not a TLS version"
        return CheckResult.FAILED, f"{key} {shown}; TLS {wanted} or later is required"
    if floor is not None and found < floor:
        return CheckResult.FAILED, f"{key} = {value}: TLS {found[0]}.{found[1]} is allowed, {wanted} or later is required"
    return CheckResult.PASSED, f"{key} = {value}"
