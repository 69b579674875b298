import pulumi
import pulumi_azure_native as azure_native

from hub import DataHub, DataHubArgs

config = pulumi.Config()

# Disaster-recovery copies go to UK West whatever the default location says.
ukwest = azure_native.Provider(
    "ukwest",
    location=config.get("region") or "ukwest",
    subscription_id=config.get("subscriptionId"),
)

hub = DataHub(
    "wards",
    DataHubArgs(owner="data-team", containers=["landing", "curated"]),
    opts=pulumi.ResourceOptions(providers=[ukwest]),
)

pulumi.export("blob_endpoint", hub.blob_endpoint)
pulumi.export("resource_group", hub.resource_group.name)
