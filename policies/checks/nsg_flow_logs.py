"""CKV_BOROUGH_033: every network security group's traffic is recorded by an enabled flow log,
on the NSG itself or on the virtual network of a subnet it protects (VNet flow logs).

Flow logs are resources of a network watcher, so this rule needs the whole template: it runs in
the engine.
"""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, ReferenceIndex, props

FLOW_LOG = "microsoft.network/networkwatchers/flowlogs"
NSG = "microsoft.network/networksecuritygroups"
VNET = "microsoft.network/virtualnetworks"
SUBNET = "microsoft.network/virtualnetworks/subnets"


def _targets(resources: list[dict[str, Any]]) -> list[str]:
    return [str(props(r).get("targetResourceId")) for r in resources
            if str(r.get("type", "")).lower() == FLOW_LOG and str(props(r).get("enabled", True)).lower() != "false"
            and props(r).get("targetResourceId")]


def _nsgs_of_logged_vnets(resources: list[dict[str, Any]], logged: ReferenceIndex) -> list[str]:
    """NSG references of subnets in virtual networks a flow log records."""
    found: list[str] = []
    for resource in resources:
        arm_type = str(resource.get("type", "")).lower()
        if arm_type == VNET and logged.names(resource):
            subnets = [s.get("properties") if isinstance(s.get("properties"), dict) else s
                       for s in props(resource).get("subnets") or [] if isinstance(s, dict)]
        elif arm_type == SUBNET and _vnet_logged(resource, resources, logged):
            subnets = [props(resource)]
        else:
            continue
        for subnet in subnets:
            nsg = subnet.get("networkSecurityGroup")
            if isinstance(nsg, dict) and nsg.get("id"):
                found.append(str(nsg["id"]))
    return found


def _vnet_logged(subnet: dict[str, Any], resources: list[dict[str, Any]], logged: ReferenceIndex) -> bool:
    vnet_name = str(subnet.get("name", "")).split("/", 1)[0].lower()
    return any(str(r.get("type", "")).lower() == VNET and str(r.get("name", "")).lower() == vnet_name
               and logged.names(r) for r in resources)


class NsgFlowLogs(CrossResourceCheck):
    id = "CKV_BOROUGH_033"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        logged = ReferenceIndex(_targets(resources))
        through_vnet = ReferenceIndex(_nsgs_of_logged_vnets(resources, logged))
        for resource in resources:
            if str(resource.get("type", "")).lower() != NSG:
                continue
            if logged.names(resource):
                yield CrossResult(resource, CheckResult.PASSED, "an enabled flow log records this NSG")
            elif through_vnet.names(resource):
                yield CrossResult(resource, CheckResult.PASSED, "a virtual network flow log records the subnets it protects")
            else:
                yield CrossResult(resource, CheckResult.FAILED, "no enabled flow log records this NSG or its virtual network")


check = NsgFlowLogs()
