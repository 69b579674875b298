import pulumi
from pulumi_azure_native import resources, storage

rg = resources.ResourceGroup("permits")

# azure-native calls it resource_group_name; "resource_group" is the classic azure provider's spelling.
permits = storage.StorageAccount(
    "permits",
    resource_group=rg.name,
    kind="StorageV2",
    sku={"name": "Standard_LRS"},
)

pulumi.export("blob", permits.primary_endpoints.blob)
