"""CKV_BOROUGH_014: every subnet has a network security group (Azure's own special subnets excepted)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

EXEMPT = {"gatewaysubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet", "azurebastionsubnet",
          "routeserversubnet"}


def _has_nsg(subnet_properties: dict[str, Any]) -> bool:
    nsg = subnet_properties.get("networkSecurityGroup")
    return isinstance(nsg, dict) and bool(nsg.get("id"))


class SubnetHasNsg(CouncilCheck):
    id = "CKV_BOROUGH_014"
    supported_resources = ("Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/subnets")

    def evaluate(self, conf: dict[str, Any]) -> CheckResult | tuple[CheckResult, str]:
        if conf.get("type") == "Microsoft.Network/virtualNetworks/subnets":
            name = str(conf.get("name", "")).rsplit("/", 1)[-1]
            if name.lower() in EXEMPT:
                return CheckResult.PASSED, f"{name} is a platform subnet that takes no NSG"
            return self.verdict(_has_nsg(props(conf)), f"subnet {name} has no network security group",
                                f"subnet {name} has a network security group")
        subnets = [s for s in props(conf).get("subnets") or [] if isinstance(s, dict)]
        if not subnets:
            return CheckResult.UNKNOWN  # subnets declared as their own resources are judged there
        bare = [str(s.get("name", "")) for s in subnets
                if str(s.get("name", "")).lower() not in EXEMPT and not _has_nsg(s.get("properties") or {})]
        return self.verdict(not bare, f"subnets without a network security group: {', '.join(bare)}",
                            "every subnet has a network security group")

check = SubnetHasNsg()
