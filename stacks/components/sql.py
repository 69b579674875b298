"""Azure SQL: Entra ID only, private, TLS 1.2, audited to Log Analytics and the platform's audit archive."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import sql

from stacks.components.base import STORAGE_BLOB_DATA_CONTRIBUTOR, Placement, PrivateLink, child, grant
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class SqlArgs:
    placement: Placement
    server_name: str
    database_name: str
    tenant_id: pulumi.Input[str]
    admin_group_name: str
    admin_group_object_id: str
    audit_storage_account_id: pulumi.Input[str]
    audit_blob_endpoint: pulumi.Input[str]
    """The platform's audit archive; the server writes to it with its managed identity (no keys)."""
    subscription_id: pulumi.Input[str]
    link: PrivateLink | None = None
    prod: bool = False
    sku: str = "GP_Gen5_2"
    audit_retention_days: int = 365


class SqlDatabase(pulumi.ComponentResource):
    """A logical server and one database; prod adds zone redundancy and geo-redundant backups."""

    def __init__(self, name: str, args: SqlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:sql:SqlDatabase", name, None, opts)
        place = args.placement
        self.server = sql.Server(
            f"{name}-sql",
            server_name=args.server_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            version="12.0",
            minimal_tls_version="1.2",
            public_network_access="Disabled",
            # Restricting outbound needs an outbound firewall rule per allowed FQDN (the audit archive's
            # endpoint), a resource type borough cannot render yet; nothing can connect in regardless.
            restrict_outbound_network_access="Disabled",
            identity=sql.ResourceIdentityArgs(type="SystemAssigned"),
            administrators=sql.ServerExternalAdministratorArgs(
                administrator_type="ActiveDirectory",
                azure_ad_only_authentication=True,
                login=args.admin_group_name,
                sid=args.admin_group_object_id,
                principal_type="Group",
                tenant_id=args.tenant_id,
            ),
            opts=child(self),
        )
        principal = self.server.identity.apply(lambda i: i.principal_id if i else None)
        writer = grant(f"{name}-audit-writer", self, scope=args.audit_storage_account_id, principal_id=principal,
                       role_definition=STORAGE_BLOB_DATA_CONTRIBUTOR, subscription_id=args.subscription_id,
                       seed=f"{args.server_name}/audit")
        # Server and database audit to the same place: Log Analytics and the platform's audit storage.
        audit_target = dict(
            state="Enabled",
            is_azure_monitor_target_enabled=True,
            storage_endpoint=args.audit_blob_endpoint,
            storage_account_subscription_id=args.subscription_id,
            is_managed_identity_in_use=True,
            retention_days=args.audit_retention_days,
        )
        self.auditing = sql.ServerBlobAuditingPolicy(
            f"{name}-auditing",
            blob_auditing_policy_name="default",
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            **audit_target,
            # Server-wide: who signed in (or failed to) and who changed permissions or audit settings.
            audit_actions_and_groups=[
                "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
                "FAILED_DATABASE_AUTHENTICATION_GROUP",
                "DATABASE_PERMISSION_CHANGE_GROUP",
                "DATABASE_PRINCIPAL_CHANGE_GROUP",
                "DATABASE_ROLE_MEMBER_CHANGE_GROUP",
                "AUDIT_CHANGE_GROUP",
            ],
            opts=child(self, depends_on=[writer]),
        )
        self.threat_detection = sql.ServerSecurityAlertPolicy(
            f"{name}-threat-detection",
            security_alert_policy_name="Default",
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            state="Enabled",
            email_account_admins=True,
            disabled_alerts=[],
            opts=child(self),
        )
        self.database = sql.Database(
            f"{name}-sqldb",
            database_name=args.database_name,
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            sku=sql.SkuArgs(name=args.sku),
            zone_redundant=args.prod,
            requested_backup_storage_redundancy="Geo" if args.prod else "Local",
            opts=child(self),
        )
        # The database holds resident data, so it also records every read and write of its tables
        # (server auditing above stays lean; this adds data access for this database only).
        self.database_auditing = sql.DatabaseBlobAuditingPolicy(
            f"{name}-sqldb-auditing",
            blob_auditing_policy_name="default",
            database_name=self.database.name,
            server_name=self.server.name,
            resource_group_name=place.resource_group_name,
            **audit_target,
            audit_actions_and_groups=["SCHEMA_OBJECT_ACCESS_GROUP", "DATABASE_OBJECT_CHANGE_GROUP"],
            opts=child(self, depends_on=[writer]),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.server.id, "sqlServer", self)
        diagnostics(f"{name}-sqldb", self.database.id, place.workspace_id, self)
        # Server audit events reach Log Analytics through the master database's diagnostic setting.
        diagnostics(f"{name}-master", self.server.id.apply(lambda i: f"{i}/databases/master"),
                    place.workspace_id, self, metrics=False)
        self.register_outputs({"serverId": self.server.id, "databaseId": self.database.id})
