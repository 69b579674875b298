"""Live fixtures in the shapes the Azure REST reference documents, written from the reference
(not from borough's rendering), so a test can catch a wrong assumption about what Azure answers.

- SQL: ``Servers - Get``, ``Databases - Get``, ``Server Blob Auditing Policies - Get``
  (``.../servers/{server}/auditingSettings/default``) and ``Database Blob Auditing Policies - Get``
  (``.../databases/{db}/auditingSettings/default``: ``kind`` and ``state``; ``Disabled`` when
  auditing is set at server level only).
- Key Vault (management plane): ``Keys - Get`` / ``Secrets - Get``: ``properties.attributes``
  with ``enabled``, ``nbf``, ``exp``, ``created``, ``updated`` in seconds since 1970-01-01.
- Resources: ``Resource Groups - Get`` with ``managedBy`` (the resource group a Databricks
  workspace or an AKS cluster owns); Databricks ``Workspaces - Get`` with
  ``properties.managedResourceGroupId``.
- PostgreSQL flexible server ``Firewall Rules - List By Server``.
- An Automation account (``Microsoft.Automation/automationAccounts``), a type borough's ARM type
  table has no entry for.
"""

from __future__ import annotations

from typing import Any

CREATED = 1735689600  # 2025-01-01T00:00:00Z
EXPIRES = 1893456000  # 2030-01-01T00:00:00Z


def group_id(subscription: str, group: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}"


def sql_server(subscription: str, group: str, name: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    return {"id": f"{group_id(subscription, group)}/providers/Microsoft.Sql/servers/{name}", "name": name,
            "type": "Microsoft.Sql/servers", "location": "uksouth", "kind": "v12.0", "tags": tags or {},
            "properties": {"administratorLogin": "dbadmin", "version": "12.0", "state": "Ready",
                           "fullyQualifiedDomainName": f"{name}.database.windows.net", "minimalTlsVersion": "1.2",
                           "publicNetworkAccess": "Disabled", "restrictOutboundNetworkAccess": "Disabled"}}


def server_auditing(server_id: str, state: str) -> dict[str, Any]:
    return {"id": f"{server_id}/auditingSettings/Default", "name": "Default", "type": "Microsoft.Sql/servers/auditingSettings",
            "properties": {"state": state, "retentionDays": 0, "isAzureMonitorTargetEnabled": state == "Enabled",
                           "auditActionsAndGroups": ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
                                                     "FAILED_DATABASE_AUTHENTICATION_GROUP", "BATCH_COMPLETED_GROUP"],
                           "isStorageSecondaryKeyInUse": False, "isManagedIdentityInUse": False, "isDevopsAuditEnabled": False,
                           "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000"}}


def database(server_id: str, name: str, tags: dict[str, str] | None = None, system: bool = False) -> dict[str, Any]:
    return {"id": f"{server_id}/databases/{name}", "name": name, "type": "Microsoft.Sql/servers/databases",
            "location": "uksouth", "kind": "v12.0,system" if system else "v12.0,user,vcore", "tags": tags or {},
            "sku": {"name": "System", "tier": "System"} if system else {"name": "GP_Gen5", "tier": "GeneralPurpose",
                                                                         "family": "Gen5", "capacity": 2},
            "properties": {"collation": "SQL_Latin1_General_CP1_CI_AS", "status": "Online",
                           "databaseId": "6c764297-577b-470f-9af4-96d3d41e2ba3", "zoneRedundant": False,
                           "requestedBackupStorageRedundancy": "Geo", "currentBackupStorageRedundancy": "Geo"}}


def database_auditing(database_id: str, state: str = "Disabled") -> dict[str, Any]:
    return {"id": f"{database_id}/auditingSettings/Default", "name": "Default", "kind": "V12",
            "type": "Microsoft.Sql/servers/databases/auditingSettings",
            "properties": {"state": state, "retentionDays": 0, "auditActionsAndGroups": [], "isStorageSecondaryKeyInUse": False,
                           "isAzureMonitorTargetEnabled": False, "isManagedIdentityInUse": False,
                           "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000"}}


def vault_key(vault_id: str, name: str, expires: int | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"enabled": True, "created": CREATED, "updated": CREATED,
                                  "recoveryLevel": "Recoverable+Purgeable", "exportable": False}
    if expires is not None:
        attributes["exp"] = expires
    vault = vault_id.rsplit("/", 1)[-1]
    return {"id": f"{vault_id}/keys/{name}", "name": name, "type": "Microsoft.KeyVault/vaults/keys", "location": "uksouth",
            "properties": {"attributes": attributes, "kty": "RSA", "keyOps": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                           "keySize": 2048, "keyUri": f"https://{vault}.vault.azure.net/keys/{name}",
                           "keyUriWithVersion": f"https://{vault}.vault.azure.net/keys/{name}/0123456789abcdef"}}


def vault_secret(vault_id: str, name: str, expires: int | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"enabled": True, "created": CREATED, "updated": CREATED}
    if expires is not None:
        attributes["exp"] = expires
    vault = vault_id.rsplit("/", 1)[-1]
    return {"id": f"{vault_id}/secrets/{name}", "name": name, "type": "Microsoft.KeyVault/vaults/secrets",
            "location": "uksouth",
            "properties": {"attributes": attributes, "contentType": "text/plain",
                           "secretUri": f"https://{vault}.vault.azure.net/secrets/{name}",
                           "secretUriWithVersion": f"https://{vault}.vault.azure.net/secrets/{name}/0123456789abcdef"}}


def managed_group(subscription: str, name: str, managed_by: str) -> dict[str, Any]:
    """A resource group another resource owns: ``managedBy`` is that resource's id."""
    return {"id": group_id(subscription, name), "name": name, "type": "Microsoft.Resources/resourceGroups",
            "location": "uksouth", "managedBy": managed_by, "tags": {"application": "databricks"},
            "properties": {"provisioningState": "Succeeded"}}


def databricks_workspace(subscription: str, group: str, name: str, managed_group_name: str,
                         tags: dict[str, str]) -> dict[str, Any]:
    return {"id": f"{group_id(subscription, group)}/providers/Microsoft.Databricks/workspaces/{name}", "name": name,
            "type": "Microsoft.Databricks/workspaces", "location": "uksouth", "tags": tags,
            "sku": {"name": "premium"},
            "properties": {"managedResourceGroupId": group_id(subscription, managed_group_name),
                           "publicNetworkAccess": "Disabled", "requiredNsgRules": "NoAzureDatabricksRules",
                           "provisioningState": "Succeeded"}}


def storage_account(subscription: str, group: str, name: str, tags: dict[str, str]) -> dict[str, Any]:
    return {"id": f"{group_id(subscription, group)}/providers/Microsoft.Storage/storageAccounts/{name}", "name": name,
            "type": "Microsoft.Storage/storageAccounts", "location": "uksouth", "kind": "StorageV2", "tags": tags,
            "sku": {"name": "Standard_GRS", "tier": "Standard"},
            "properties": {"allowBlobPublicAccess": True, "allowSharedKeyAccess": True, "minimumTlsVersion": "TLS1_2",
                           "supportsHttpsTrafficOnly": True, "networkAcls": {"defaultAction": "Allow", "bypass": "AzureServices"}}}


def postgres_firewall_rule(server_id: str, name: str, start: str, end: str) -> dict[str, Any]:
    return {"id": f"{server_id}/firewallRules/{name}", "name": name,
            "type": "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
            "properties": {"startIpAddress": start, "endIpAddress": end}}


def automation_account(subscription: str, group: str, name: str, tags: dict[str, str],
                       location: str = "uksouth") -> dict[str, Any]:
    return {"id": f"{group_id(subscription, group)}/providers/Microsoft.Automation/automationAccounts/{name}", "name": name,
            "type": "Microsoft.Automation/automationAccounts", "location": location, "tags": tags,
            "properties": {"sku": {"name": "Basic"}, "state": "Ok", "publicNetworkAccess": True,
                           "disableLocalAuth": False, "encryption": {"keySource": "Microsoft.Automation"}}}


def purview_account(subscription: str, group: str, name: str, tags: dict[str, str],
                    location: str = "uksouth") -> dict[str, Any]:
    """A Microsoft Purview account as Resource Graph returns it (Accounts - Get, 2021-07-01): a type
    borough has no ARM mapping for."""
    return {"id": f"{group_id(subscription, group)}/providers/Microsoft.Purview/accounts/{name}", "name": name,
            "type": "Microsoft.Purview/accounts", "location": location, "tags": tags,
            "sku": {"name": "Standard", "capacity": 1}, "identity": {"type": "SystemAssigned"},
            "properties": {"provisioningState": "Succeeded", "publicNetworkAccess": "Enabled",
                           "friendlyName": name, "managedResourceGroupName": f"managed-rg-{name}",
                           "cloudConnectors": {}}}
