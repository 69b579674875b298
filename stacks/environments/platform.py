"""The platform hub: network, monitoring, shared Key Vault, private DNS, policy, Defender, audit
storage, the shared container registry and the build agent that reaches private endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi
from pulumi_azure_native import authorization, resources

from stacks.components.base import Placement, PrivateLink
from stacks.components.compute import BuildAgent, BuildAgentArgs
from stacks.components.keyvault import KEY_VAULT_CRYPTO_USER, KeyUser, KeyVault, KeyVaultArgs, VaultKey, VaultKeyArgs
from stacks.components.monitoring import Monitoring, MonitoringArgs
from stacks.components.network import (
    NatEgress,
    NatEgressArgs,
    PrivateDnsZones,
    PrivateDnsZonesArgs,
    VirtualNetwork,
    VirtualNetworkArgs,
    carve_subnets,
)
from stacks.components.policy import Initiative, PolicyArgs, PolicyAssignments
from stacks.components.registry import ContainerRegistry, RegistryArgs
from stacks.components.security import DefenderArgs, DefenderPlans
from stacks.components.storage import StorageAccount, StorageArgs
from stacks.naming import Names
from stacks.stackconfig import StackConfig


def build_platform(config: StackConfig) -> dict[str, Any]:
    names: Names = config.names()
    location = config.location.value
    client = authorization.get_client_config_output()
    groups = {
        purpose: resources.ResourceGroup(f"rg-{purpose}", resource_group_name=names.resource_group(purpose), location=location)
        for purpose in ("network", "monitoring", "security", "build")
    }
    monitoring = Monitoring("monitoring", MonitoringArgs(
        placement=Placement(groups["monitoring"].name, location),
        workspace_name=names.of("log"),
        retention_days=config.retention_days,
    ))
    workspace_id = monitoring.workspace_id
    egress = NatEgress("egress", NatEgressArgs(
        placement=Placement(groups["network"].name, location, workspace_id),
        gateway_name=names.of("ng"),
        public_ip_name=names.of("pip", "ng"),
    ))
    hub_space = str(config.hub_address_space)
    shared, pe, build = carve_subnets(hub_space, ["shared", "pe", "build"])
    hub = VirtualNetwork("hub", VirtualNetworkArgs(
        placement=Placement(groups["network"].name, location, workspace_id),
        vnet_name=names.of("vnet", "hub"),
        address_space=hub_space,
        subnets=[shared, pe, dataclasses.replace(build, nat_gateway_id=egress.gateway.id)],
    ))
    dns = PrivateDnsZones("dns", PrivateDnsZonesArgs(resource_group_name=groups["network"].name, vnet_id=hub.vnet.id))
    pe_link = PrivateLink(subnet_id=hub.subnets["pe"].id, zone_ids=dns.zone_ids)
    vault = KeyVault("shared", KeyVaultArgs(
        placement=Placement(groups["security"].name, location, workspace_id),
        vault_name=names.key_vault(),
        tenant_id=client.tenant_id,
        link=pe_link,
        sku="premium" if config.is_prod else "standard",
    ))
    DefenderPlans("defender", DefenderArgs(subscription_id=client.subscription_id))
    # The audit archive: long-term copies of logs and exports that must outlive the workspace's retention.
    audit = StorageAccount("audit", StorageArgs(
        placement=Placement(groups["monitoring"].name, location, workspace_id),
        account_name=names.storage("log"),
        link=pe_link,
        geo_zone_redundant=config.is_prod,
        containers=["audit-archive"],
    ))
    registry = ContainerRegistry("registry", RegistryArgs(
        placement=Placement(groups["build"].name, location, workspace_id),
        registry_name=names.compact("cr"),
        link=pe_link,
    ))
    agent = BuildAgent("build-agent", BuildAgentArgs(
        placement=Placement(groups["build"].name, location, workspace_id),
        vm_name=names.of("vm", "build"),
        subnet_id=hub.subnets["build"].id,
        ssh_public_key=config.admin_ssh_public_key or "",
        push_registry_id=registry.registry.id,
        subscription_id=client.subscription_id,
    ))
    # Images the agent pushes are signed (cosign/notation with an Azure Key Vault key); deployments verify them.
    signing = VaultKey("image-signing", VaultKeyArgs(
        vault_resource_group_name=groups["security"].name,
        vault_name=vault.vault.name,
        vault_id=vault.vault.id,
        key_name="image-signing",
        subscription_id=client.subscription_id,
        kty="EC",
        hsm=config.is_prod,
        key_size=None,
        curve_name="P-256",
        key_ops=("sign", "verify"),
        expires_after="P1Y",
        users=(KeyUser("build-agent", agent.principal_id, KEY_VAULT_CRYPTO_USER),),
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
        "auditStorageAccountId": audit.account.id,
        "auditStorageBlobEndpoint": audit.account.primary_endpoints.blob,
        "containerRegistryId": registry.registry.id,
        "imageSigningKeyId": signing.key.id,
        "policyAssignmentIds": pulumi.Output.all(**{k: a.id for k, a in policy.assignments.items()}),
    }
