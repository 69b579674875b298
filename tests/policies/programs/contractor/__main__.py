"""A supplier's Pulumi program, written without the council's components (deliberately insecure)."""

import pulumi
from pulumi_azure_native import network, resources, storage, web

config = pulumi.Config()
prefix = config.require("prefix")

group = resources.ResourceGroup("booking-rg", location="westeurope")

files = storage.StorageAccount(
    "bookingfiles",
    resource_group_name=group.name,
    kind="StorageV2",
    sku={"name": "Standard_LRS"},
    allow_blob_public_access=True,
    minimum_tls_version="TLS1_2",
)

nsg = network.NetworkSecurityGroup(
    "booking-nsg",
    resource_group_name=group.name,
    security_rules=[{
        "name": "ssh-from-anywhere",
        "priority": 100,
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "Tcp",
        "source_address_prefix": "*",
        "source_port_range": "*",
        "destination_address_prefix": "*",
        "destination_port_range": "22",
    }],
)

plan = web.AppServicePlan("booking-plan", resource_group_name=group.name, kind="linux", reserved=True,
                          sku={"name": "B1", "tier": "Basic"})

site = web.WebApp(
    "booking-site",
    resource_group_name=group.name,
    server_farm_id=plan.id,
    https_only=False,
    site_config={"min_tls_version": "1.2", "ftps_state": "AllAllowed"},
)

pulumi.export("url", site.default_host_name)
