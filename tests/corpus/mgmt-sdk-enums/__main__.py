"""Council tax archive: the storage account's settings come from the management SDK's models."""

import pulumi
from azure.mgmt.storage.models import MinimumTlsVersion, SkuName
from pulumi_azure_native import resources, storage

group = resources.ResourceGroup("council-tax")
archive = storage.StorageAccount(
    "ctaxarchive",
    resource_group_name=group.name,
    kind="StorageV2",
    sku=storage.SkuArgs(name=SkuName.STANDARD_RAGRS.value),
    minimum_tls_version=MinimumTlsVersion.TLS1_0.value,
    allow_blob_public_access=False,
)

pulumi.export("account", archive.name)
