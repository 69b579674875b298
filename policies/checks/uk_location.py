"""CKV_BOROUGH_002: resources are deployed in the UK (uksouth/ukwest); global ones stay global."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from arm import TYPE_TABLE

UK_REGIONS = {"uksouth", "ukwest"}
GLOBAL_TYPES = {"Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                "Microsoft.Network/frontDoors", "Microsoft.Insights/actionGroups", "Microsoft.Network/dnsZones",
                "Microsoft.Cdn/profiles", "Microsoft.Insights/metricAlerts", "Microsoft.Insights/scheduledQueryRules",
                "Microsoft.Insights/activityLogAlerts", "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
                "Microsoft.Cdn/cdnWebApplicationFirewallPolicies"}


class UkLocation(CouncilCheck):
    id = "CKV_BOROUGH_002"
    supported_resources = tuple(sorted({t.type for t in TYPE_TABLE.values() if t.located} | GLOBAL_TYPES))
    reads = ("location",)
    generic = "located"

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        location = conf.get("location")
        if not isinstance(location, str):
            return CheckResult.FAILED
        region = location.replace(" ", "").lower()
        if (conf.get("type") in GLOBAL_TYPES or _generic(conf)) and region == "global":
            return CheckResult.PASSED  # a service Azure runs globally; an unmapped type saying so is believed
        return self.passed_if(region in UK_REGIONS)


def _generic(conf: dict[str, Any]) -> bool:
    metadata = conf.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("borough:generic"))


check = UkLocation()
