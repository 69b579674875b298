"""The platform hub: network, monitoring, shared Key Vault, private DNS and policy assignments."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import authorization, resources

from stacks.components.base import Placement, PrivateLink
from stacks.components.keyvault import KeyVault, KeyVaultArgs
from stacks.components.monitoring import Monitoring, MonitoringArgs
from stacks.components.network import PrivateDnsZones, PrivateDnsZonesArgs, VirtualNetwork, VirtualNetworkArgs, carve_subnets
from stacks.components.policy import Initiative, PolicyArgs, PolicyAssignments
from stacks.naming import Names
from stacks.stackconfig import StackConfig


def build_platform(config: StackConfig) -> dict[str, Any]:
    names = Names.for_config(config)
    location = config.location.value
    client = authorization.get_client_config_output()
    groups = {
        purpose: resources.ResourceGroup(f"rg-{purpose}", resource_group_name=names.resource_group(purpose), location=location)
        for purpose in ("network", "monitoring", "security")
    }
    monitoring = Monitoring("monitoring", MonitoringArgs(
        placement=Placement(groups["monitoring"].name, location),
        workspace_name=names.of("log"),
        retention_days=config.retention_days,
    ))
    workspace_id = monitoring.workspace_id
    hub_space = str(config.hub_address_space)
    hub = VirtualNetwork("hub", VirtualNetworkArgs(
        placement=Placement(groups["network"].name, location, workspace_id),
        vnet_name=names.of("vnet", "hub"),
        address_space=hub_space,
        subnets=carve_subnets(hub_space, ["shared", "pe"]),
    ))
    dns = PrivateDnsZones("dns", PrivateDnsZonesArgs(resource_group_name=groups["network"].name, vnet_id=hub.vnet.id))
    vault = KeyVault("shared", KeyVaultArgs(
        placement=Placement(groups["security"].name, location, workspace_id),
        vault_name=names.key_vault(),
        tenant_id=client.tenant_id,
        link=PrivateLink(subnet_id=hub.subnets["pe"].id, zone_ids=dns.zone_ids),
        sku="premium" if config.is_prod else "standard",
    ))
    policy = PolicyAssignments("policy", PolicyArgs(
        scope=client.subscription_id.apply(lambda sub: f"/subscriptions/{sub}"),
        location=location,
        initiatives=[Initiative(i.key, i.display_name, i.policy_set_definition_id) for i in config.policy_initiatives],
    ))
    return {
        "hubVnetId": hub.vnet.id,
        "hubVnetName": hub.vnet.name,
        "hubResourceGroupName": groups["network"].name,
        "hubAddressSpace": hub_space,
        "privateDnsZoneIds": dns.zone_ids,
        "logAnalyticsWorkspaceId": workspace_id,
        "sharedKeyVaultUri": vault.vault_uri,
        "policyAssignmentIds": pulumi.Output.all(**{k: a.id for k, a in policy.assignments.items()}),
    }
