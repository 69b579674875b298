"""Parking permits: a resource group and the storage account that holds permit scans."""

import pulumi
from pulumi_azure_native import resources, storage

group = resources.ResourceGroup("parking-permits")

scans = storage.StorageAccount(
    "permitscans",
    resource_group_name=group.name,
    sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
    kind=storage.Kind.STORAGE_V2,
    allow_blob_public_access=True,
)

pulumi.export("account", scans.name)
