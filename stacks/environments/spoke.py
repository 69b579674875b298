"""What every spoke shares: the platform stack reference, resource group, peered VNet, DNS links."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, resources

from stacks.components.base import Placement, PrivateLink
from stacks.components.network import (
    HubPeering,
    PeeringArgs,
    SubnetSpec,
    VirtualNetwork,
    VirtualNetworkArgs,
    ZoneLinks,
    ZoneLinksArgs,
    PRIVATE_DNS_ZONES,
)
from stacks.naming import Names
from stacks.stackconfig import StackConfig


@dataclass
class Spoke:
    names: Names
    placement: Placement
    network: VirtualNetwork
    link: PrivateLink
    tenant_id: pulumi.Output[str]
    subscription_id: pulumi.Output[str]
    platform: pulumi.StackReference


def build_spoke(config: StackConfig, subnets: list[SubnetSpec]) -> Spoke:
    names = config.names()
    location = config.location.value
    platform = pulumi.StackReference("platform", stack_name=config.platform_stack)
    client = authorization.get_client_config_output()
    group = resources.ResourceGroup("rg-app", resource_group_name=names.resource_group("app"), location=location)
    placement = Placement(group.name, location, platform.require_output("logAnalyticsWorkspaceId"))
    spoke = VirtualNetwork("spoke", VirtualNetworkArgs(
        placement=placement,
        vnet_name=names.of("vnet"),
        address_space=str(config.address_space),
        subnets=subnets,
    ))
    hub_rg = platform.require_output("hubResourceGroupName")
    HubPeering("hub-peering", PeeringArgs(
        spoke_resource_group_name=group.name,
        spoke_vnet_name=spoke.vnet.name,
        spoke_vnet_id=spoke.vnet.id,
        hub_resource_group_name=hub_rg,
        hub_vnet_name=platform.require_output("hubVnetName"),
        hub_vnet_id=platform.require_output("hubVnetId"),
    ))
    ZoneLinks("dns-links", ZoneLinksArgs(
        zones_resource_group_name=hub_rg,
        zone_names=sorted(PRIVATE_DNS_ZONES.values()),
        vnet_id=spoke.vnet.id,
    ))
    link = PrivateLink(subnet_id=spoke.subnets["pe"].id, zone_ids=platform.require_output("privateDnsZoneIds"))
    return Spoke(names, placement, spoke, link, client.tenant_id, client.subscription_id, platform)
