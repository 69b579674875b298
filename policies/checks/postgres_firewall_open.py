"""CKV_BOROUGH_048: no PostgreSQL flexible server firewall rule opens the server to the internet."""

from __future__ import annotations

import ipaddress
from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

WIDEST = 1 << 24
"""Addresses a rule may allow before it counts as internet-wide: more than a /8 is no allow-list."""


class PostgresFirewallOpen(CouncilCheck):
    id = "CKV_BOROUGH_048"
    supported_resources = ("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",)
    reads = ("properties/startIpAddress", "properties/endIpAddress")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        start, end = props(conf).get("startIpAddress"), props(conf).get("endIpAddress")
        name = str(conf.get("name") or "").rsplit("/", 1)[-1]
        try:
            first, last = ipaddress.IPv4Address(str(start)), ipaddress.IPv4Address(str(end))
        except ValueError:
            return CheckResult.FAILED, f"rule {name}: range {start}-{end} is not an IPv4 range"
        size = int(last) - int(first) + 1
        if int(first) == 0 and int(last) == 0:
            return CheckResult.PASSED, f"rule {name}: 0.0.0.0-0.0.0.0 admits Azure services only"
        return self.verdict(size <= WIDEST, f"rule {name} allows {start}-{end} ({size:,} addresses): open to the internet",
                            f"rule {name} allows {start}-{end} ({size:,} addresses)")


check = PostgresFirewallOpen()
