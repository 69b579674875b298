"""CCTV gateway: a static public address for the camera uplink."""

import pulumi
from pulumi_azure_native import network, resources

group = resources.ResourceGroup("cctv")

address = network.PublicIPAddress(
    "cctv-uplink",
    resource_group_name=group.name,
    public_ip_allocation_method=network.IpAllocationMethod.STATIC,
    sku=network.PublicIPAddressSkuArgs(name="Standard"),
)

pulumi.export("ip", address.ip_address)
