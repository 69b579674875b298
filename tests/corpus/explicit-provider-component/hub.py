"""A data hub: a resource group with a locked-down storage account and a landing container."""
from typing import Optional

import pulumi
from pulumi_azure_native import resources, storage


class DataHubArgs:
    def __init__(self, owner: str, containers: Optional[list[str]] = None):
        self.owner = owner
        self.containers = containers or ["landing"]


class DataHub(pulumi.ComponentResource):
    def __init__(self, name: str, args: DataHubArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("wardhub:data:DataHub", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {"owner": args.owner, "component": name}

        self.resource_group = resources.ResourceGroup(f"{name}-rg", tags=tags, opts=child)
        self.account = storage.StorageAccount(
            f"{name}sa",
            resource_group_name=self.resource_group.name,
            kind="StorageV2",
            sku={"name": "Standard_ZRS"},
            enable_https_traffic_only=True,
            minimum_tls_version="TLS1_2",
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            network_rule_set={"default_action": "Deny", "bypass": "AzureServices"},
            tags=tags,
            opts=child,
        )
        for container in args.containers:
            storage.BlobContainer(
                f"{name}-{container}",
                resource_group_name=self.resource_group.name,
                account_name=self.account.name,
                container_name=container,
                public_access="None",
                opts=child,
            )
        self.blob_endpoint = self.account.primary_endpoints.blob
        self.register_outputs({"blob_endpoint": self.blob_endpoint})
