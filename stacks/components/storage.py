"""Storage accounts (and the data-lake variant): private, TLS 1.2, Entra ID only, encrypted twice."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import storage

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class StorageArgs:
    placement: Placement
    account_name: str
    link: PrivateLink | None = None
    data_lake: bool = False
    """Hierarchical namespace (ADLS Gen2) for the data platform."""
    geo_zone_redundant: bool = False
    containers: list[str] = field(default_factory=list)


class StorageAccount(pulumi.ComponentResource):
    def __init__(self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:storage:StorageAccount", name, None, opts)
        place = args.placement
        self.account = storage.StorageAccount(
            f"{name}-st",
            account_name=args.account_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            kind="StorageV2",
            sku=storage.SkuArgs(name="Standard_GZRS" if args.geo_zone_redundant else "Standard_GRS"),
            access_tier="Hot",
            enable_https_traffic_only=True,
            minimum_tls_version="TLS1_2",
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            allow_cross_tenant_replication=False,
            default_to_o_auth_authentication=True,
            is_local_user_enabled=False,
            is_sftp_enabled=False,
            is_hns_enabled=args.data_lake,
            public_network_access="Disabled",
            network_rule_set=storage.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices",
                                                        ip_rules=[], virtual_network_rules=[]),
            encryption=storage.EncryptionArgs(
                key_source="Microsoft.Storage",
                require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(
                    blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                ),
            ),
            identity=storage.IdentityArgs(type="SystemAssigned"),
            opts=child(self),
        )
        self.containers = [
            storage.BlobContainer(
                f"{name}-{container}",
                container_name=container,
                account_name=self.account.name,
                resource_group_name=place.resource_group_name,
                public_access="None",
                opts=child(self),
            )
            for container in args.containers
        ]
        if args.link is not None:
            private_endpoint(name, place, args.link, self.account.id, "blob", self)
            if args.data_lake:
                private_endpoint(name, place, args.link, self.account.id, "dfs", self)
        diagnostics(f"{name}-st", self.account.id, place.workspace_id, self, logs=False)
        diagnostics(f"{name}-blob", self.account.id.apply(lambda i: f"{i}/blobServices/default"), place.workspace_id, self)
        self.register_outputs({"accountId": self.account.id, "accountName": self.account.name})
