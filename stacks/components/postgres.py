"""PostgreSQL flexible server: Entra ID only, private, TLS enforced, resilient in prod."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import dbforpostgresql as pg

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint

SERVER_PARAMETERS = {
    "require_secure_transport": "ON",
    "ssl_min_protocol_version": "TLSv1.2",
    "log_connections": "ON",
    "log_disconnections": "ON",
    "log_checkpoints": "ON",
    "connection_throttle.enable": "ON",
}


@dataclass(frozen=True)
class PostgresArgs:
    placement: Placement
    server_name: str
    tenant_id: pulumi.Input[str]
    admin_group_name: str
    admin_group_object_id: str
    link: PrivateLink | None = None
    version: str = "16"
    prod: bool = False
    database_name: str = "app"


class PostgresServer(pulumi.ComponentResource):
    def __init__(self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:postgres:PostgresServer", name, None, opts)
        place = args.placement
        sku = (pg.SkuArgs(name="Standard_D2ds_v5", tier="GeneralPurpose") if args.prod
               else pg.SkuArgs(name="Standard_B2ms", tier="Burstable"))
        self.server = pg.Server(
            f"{name}-psql",
            server_name=args.server_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            version=args.version,
            sku=sku,
            auth_config=pg.AuthConfigArgs(active_directory_auth="Enabled", password_auth="Disabled",
                                          tenant_id=args.tenant_id),
            network=pg.NetworkArgs(public_network_access="Disabled"),
            backup=pg.BackupArgs(backup_retention_days=35 if args.prod else 7,
                                 geo_redundant_backup="Enabled" if args.prod else "Disabled"),
            high_availability=pg.HighAvailabilityArgs(mode="ZoneRedundant" if args.prod else "Disabled"),
            storage=pg.StorageArgs(storage_size_gb=128, auto_grow="Enabled"),
            opts=child(self),
        )
        self.admin = pg.Administrator(
            f"{name}-entra-admin",
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            object_id=args.admin_group_object_id,
            principal_name=args.admin_group_name,
            principal_type="Group",
            tenant_id=args.tenant_id,
            opts=child(self),
        )
        for parameter, value in SERVER_PARAMETERS.items():
            pg.Configuration(
                f"{name}-{parameter.replace('_', '-').replace('.', '-')}",
                configuration_name=parameter,
                server_name=self.server.name,
                resource_group_name=place.resource_group_name,
                source="user-override",
                value=value,
                opts=child(self),
            )
        self.database = pg.Database(
            f"{name}-db",
            database_name=args.database_name,
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            charset="UTF8",
            collation="en_GB.utf8",
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.server.id, "postgresqlServer", self)
        diagnostics(f"{name}-psql", self.server.id, place.workspace_id, self)
        self.register_outputs({"serverId": self.server.id, "fqdn": self.server.fully_qualified_domain_name})
