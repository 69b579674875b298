"""CKV_BOROUGH_021: no NSG rule opens a remote-administration or database port to the internet.

checkov's built-in checks look at 22, 3389 and 80 one at a time and compare the source with
lower-case service tags, so ``Internet`` (Azure's own spelling), ``0.0.0.0/0``, ``::/0`` and
WinRM or database ports pass them. This reads rules as Azure applies them: single ports,
lists (``destinationPortRanges``), ranges that cover a port (``20-25``) and ``*``; in an NSG's
``securityRules`` and in standalone security rule resources.
"""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from policies.checks.netrules import MANAGEMENT_PORTS, SECURITY_RULES, describe, open_from_internet


class ManagementPortsFromInternet(CouncilCheck):
    id = "CKV_BOROUGH_021"
    supported_resources = ("Microsoft.Network/networkSecurityGroups", SECURITY_RULES)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = open_from_internet(conf, sorted(MANAGEMENT_PORTS))
        return self.verdict(not found, describe(found),
                            "no inbound Allow rule opens a management or database port to the internet")


check = ManagementPortsFromInternet()
