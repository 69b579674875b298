import json

import pulumi
import pulumi_azuread as azuread
import pulumi_random as random
from pulumi_azure_native import dbforpostgresql as postgres
from pulumi_azure_native import resources

config = pulumi.Config()
me = azuread.get_client_config()

admins = azuread.Group(
    "db-admins",
    display_name=config.get("adminGroup") or "DB Admins",
    security_enabled=True,
    owners=[me.object_id],
)

rg = resources.ResourceGroup("loans")
local_admin_password = random.RandomPassword("pg-local-admin", length=32, special=False)

server = postgres.Server(
    "loans-pg",
    resource_group_name=rg.name,
    version="16",
    sku=postgres.SkuArgs(name="Standard_B1ms", tier="Burstable"),
    storage=postgres.StorageArgs(storage_size_gb=32),
    administrator_login="loansadmin",
    administrator_login_password=local_admin_password.result,
    auth_config=postgres.AuthConfigArgs(
        active_directory_auth="Enabled",
        password_auth="Enabled",
        tenant_id=me.tenant_id,
    ),
    backup=postgres.BackupArgs(backup_retention_days=14, geo_redundant_backup="Disabled"),
    network=postgres.NetworkArgs(public_network_access="Disabled"),
)

postgres.Administrator(
    "loans-pg-admins",
    resource_group_name=rg.name,
    server_name=server.name,
    object_id=admins.object_id,
    principal_name=admins.display_name,
    principal_type="Group",
    tenant_id=me.tenant_id,
)

postgres.Database("loans", resource_group_name=rg.name, server_name=server.name, charset="UTF8")

app_settings = pulumi.Output.json_dumps({
    "host": server.fully_qualified_domain_name,
    "database": "loans",
    "aadGroup": admins.display_name,
})

pulumi.export("settings", app_settings)
pulumi.export("admin_group_id", admins.object_id)
pulumi.export("local_admin_password", local_admin_password.result)
