"""CKV_BOROUGH_013: no NSG rule lets the internet in on every port.

checkov's NSG checks look at ports 22, 80 and 3389 only; a rule allowing ``*`` from ``*``
opens everything and passes them all."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from policies.checks.netrules import SECURITY_RULES, internet_sources, is_inbound_allow, rules_of

ALL_PORTS = {"*", "0-65535", "1-65535"}


def opens_everything(body: dict[str, Any]) -> str | None:
    """The internet source of an inbound Allow rule on every port, or None."""
    if not is_inbound_allow(body):
        return None
    sources = internet_sources(body)
    ports = [body.get("destinationPortRange"), *(body.get("destinationPortRanges") or [])]
    return sources[0] if sources and any(str(p).strip() in ALL_PORTS for p in ports if p) else None


class NsgAnyPortFromInternet(CouncilCheck):
    id = "CKV_BOROUGH_013"
    supported_resources = ("Microsoft.Network/networkSecurityGroups", SECURITY_RULES)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = [(name, source) for name, body in rules_of(conf) if (source := opens_everything(body))]
        return self.verdict(not found, "; ".join(f"every port open to {source} in rule {name or '(unnamed)'}"
                                                 for name, source in found),
                            "no inbound Allow rule opens every port to the internet")


check = NsgAnyPortFromInternet()
