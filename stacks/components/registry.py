"""The council's shared container registry: private, Entra ID only, no anonymous pulls, no export."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerregistry

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class RegistryArgs:
    placement: Placement
    registry_name: str
    link: PrivateLink | None = None
    untagged_retention_days: int = 30


class ContainerRegistry(pulumi.ComponentResource):
    """Premium (private endpoints, zone redundancy); images leave only through pulls by identities."""

    def __init__(self, name: str, args: RegistryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:containerregistry:ContainerRegistry", name, None, opts)
        place = args.placement
        self.registry = containerregistry.Registry(
            f"{name}-acr",
            registry_name=args.registry_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            sku=containerregistry.SkuArgs(name="Premium"),
            admin_user_enabled=False,
            anonymous_pull_enabled=False,
            data_endpoint_enabled=False,
            public_network_access="Disabled",
            network_rule_bypass_options="AzureServices",
            network_rule_set=containerregistry.NetworkRuleSetArgs(default_action="Deny", ip_rules=[]),
            zone_redundancy="Enabled",
            identity=containerregistry.IdentityPropertiesArgs(type="SystemAssigned"),
            policies=containerregistry.PoliciesArgs(
                azure_ad_authentication_as_arm_policy=containerregistry.AzureADAuthenticationAsArmPolicyArgs(status="enabled"),
                export_policy=containerregistry.ExportPolicyArgs(status="disabled"),
                quarantine_policy=containerregistry.QuarantinePolicyArgs(status="disabled"),
                retention_policy=containerregistry.RetentionPolicyArgs(status="enabled", days=args.untagged_retention_days),
            ),
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.registry.id, "registry", self)
        diagnostics(f"{name}-acr", self.registry.id, place.workspace_id, self)
        self.register_outputs({"registryId": self.registry.id, "registryName": self.registry.name})
