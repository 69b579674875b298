"""Key Vault: RBAC only, purge protection, 90-day soft delete, no public access, private endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from stacks.components.base import Placement, PrivateLink, child, grant
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



@dataclass(frozen=True)
class KeyUser:
    """A managed identity allowed to use a key, and the built-in role it gets on that key alone."""

    name: str
    principal_id: pulumi.Input[str]
    role_definition: str


# Built-in roles scoped to a single key.
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"


@dataclass(frozen=True)
class VaultKeyArgs:
    vault_resource_group_name: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    vault_id: pulumi.Input[str]
    key_name: str
    subscription_id: pulumi.Input[str]
    kty: str = "RSA"
    """``RSA`` or ``EC``; premium vaults in prod use the ``-HSM`` variant (``hsm=True``)."""
    hsm: bool = False
    key_size: int | None = 3072
    curve_name: str | None = None
    key_ops: tuple[str, ...] = ("wrapKey", "unwrapKey")
    expires_after: str = "P2Y"
    """Each key version expires this long after it is created (ISO 8601 duration)."""
    rotate_after: str | None = None
    """Rotate automatically this long after creation; None when consumers must re-key deliberately."""
    users: tuple[KeyUser, ...] = ()


class VaultKey(pulumi.ComponentResource):
    """A non-exportable key whose versions expire, with an expiry notice and optional auto-rotation.

    Access is granted per key (RBAC scoped to the key), never vault-wide.
    """

    def __init__(self, name: str, args: VaultKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:keyvault:VaultKey", name, None, opts)
        actions = [keyvault.LifetimeActionArgs(action=keyvault.ActionArgs(type="notify"),
                                               trigger=keyvault.TriggerArgs(time_before_expiry="P30D"))]
        if args.rotate_after:
            actions.insert(0, keyvault.LifetimeActionArgs(action=keyvault.ActionArgs(type="rotate"),
                                                          trigger=keyvault.TriggerArgs(time_after_create=args.rotate_after)))
        self.key = keyvault.Key(
            f"{name}-key",
            key_name=args.key_name,
            vault_name=args.vault_name,
            resource_group_name=args.vault_resource_group_name,
            properties=keyvault.KeyPropertiesArgs(
                kty=f"{args.kty}-HSM" if args.hsm else args.kty,
                key_size=args.key_size,
                curve_name=args.curve_name,
                key_ops=list(args.key_ops),
                attributes=keyvault.KeyAttributesArgs(enabled=True, exportable=False),
                rotation_policy=keyvault.RotationPolicyArgs(
                    attributes=keyvault.KeyRotationPolicyAttributesArgs(expiry_time=args.expires_after),
                    lifetime_actions=actions,
                ),
            ),
            opts=child(self),
        )
        self.key_scope = pulumi.Output.concat(args.vault_id, "/keys/", self.key.name)
        self.grants = [
            grant(f"{name}-{user.name}", self, scope=self.key_scope, principal_id=user.principal_id,
                  role_definition=user.role_definition, subscription_id=args.subscription_id,
                  seed=f"{args.key_name}/{user.name}")
            for user in args.users
        ]
        self.register_outputs({"keyId": self.key.id, "keyName": self.key.name,
                               "keyUri": self.key.key_uri})
