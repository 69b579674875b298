"""Library room bookings: the classic provider's group and app plan, a newer azure-native vault."""

import pulumi
import pulumi_azure as azure
from pulumi_azure_native import keyvault

group = azure.core.ResourceGroup("bookings", location="uksouth")
plan = azure.appservice.ServicePlan(
    "bookings-plan",
    resource_group_name=group.name,
    location=group.location,
    os_type="Linux",
    sku_name="B1",
)
client = azure.core.get_client_config()

vault = keyvault.Vault(
    "bookings-kv",
    resource_group_name=group.name,
    properties=keyvault.VaultPropertiesArgs(
        tenant_id=client.tenant_id,
        sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName.STANDARD),
        enable_rbac_authorization=True,
        public_network_access="Enabled",
    ),
)

pulumi.export("plan", plan.id)
pulumi.export("vault", vault.name)
