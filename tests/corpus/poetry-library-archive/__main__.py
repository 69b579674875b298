"""Local history archive: scans in a storage account with public blob access left on."""

import pulumi
from pulumi_azure_native import resources, storage

group = resources.ResourceGroup("history-archive")

archive = storage.StorageAccount(
    "historyscans",
    resource_group_name=group.name,
    sku=storage.SkuArgs(name="Standard_GRS"),
    kind="StorageV2",
    minimum_tls_version="TLS1_0",
)

pulumi.export("account", archive.name)
