"""Key Vault: RBAC only, purge protection, 90-day soft delete, no public access, private endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class KeyVaultArgs:
    placement: Placement
    vault_name: str
    tenant_id: pulumi.Input[str]
    link: PrivateLink | None = None
    sku: str = "standard"


class KeyVault(pulumi.ComponentResource):
    def __init__(self, name: str, args: KeyVaultArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:keyvault:KeyVault", name, None, opts)
        place = args.placement
        self.vault = keyvault.Vault(
            f"{name}-kv",
            vault_name=args.vault_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=args.tenant_id,
                sku=keyvault.SkuArgs(family="A", name=args.sku),
                enable_rbac_authorization=True,
                enable_purge_protection=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=90,
                public_network_access="Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices",
                                                         ip_rules=[], virtual_network_rules=[]),
                enabled_for_deployment=False,
                enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
            ),
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.vault.id, "vault", self)
        diagnostics(f"{name}-kv", self.vault.id, place.workspace_id, self)
        self.vault_uri = self.vault.properties.apply(lambda p: p.vault_uri)
        self.register_outputs({"vaultId": self.vault.id, "vaultName": self.vault.name, "vaultUri": self.vault_uri})

    def secret_reference(self, secret_name: str) -> pulumi.Output[str]:
        """An App Service Key Vault reference: the secret's value never enters config or state."""
        return self.vault_uri.apply(lambda uri: f"@Microsoft.KeyVault(SecretUri={uri}secrets/{secret_name}/)")
