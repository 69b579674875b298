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

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        if conf.get("type") == "Microsoft.Network/virtualNetworks/subnets":
            name = str(conf.get("name", "")).rsplit("/", 1)[-1].lower()
            return CheckResult.PASSED if name in EXEMPT else self.passed_if(_has_nsg(props(conf)))
        subnets = [s for s in props(conf).get("subnets") or [] if isinstance(s, dict)]
        if not subnets:
            return CheckResult.UNKNOWN  # subnets declared as their own resources are judged there
        return self.passed_if(all(_has_nsg(s.get("properties") or {}) for s in subnets
                                  if str(s.get("name", "")).lower() not in EXEMPT))


check = SubnetHasNsg()
