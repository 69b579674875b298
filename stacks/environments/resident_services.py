"""Resident-facing services: a spoke with the portal web app, PostgreSQL, Key Vault and storage."""

from __future__ import annotations

from typing import Any

from stacks.components.keyvault import KeyVault, KeyVaultArgs
from stacks.components.network import carve_subnets
from stacks.components.postgres import PostgresArgs, PostgresServer
from stacks.components.storage import StorageAccount, StorageArgs
from stacks.components.webapp import LinuxWebApp, WebAppArgs
from stacks.environments.spoke import build_spoke
from stacks.stackconfig import StackConfig


def build_resident_services(config: StackConfig) -> dict[str, Any]:
    spoke = build_spoke(config, carve_subnets(str(config.address_space), ["app", "pe"],
                                              {"app": "Microsoft.Web/serverFarms"}))
    names, place, link = spoke.names, spoke.placement, spoke.link
    vault = KeyVault("app", KeyVaultArgs(placement=place, vault_name=names.key_vault(), tenant_id=spoke.tenant_id, link=link))
    documents = StorageAccount("documents", StorageArgs(
        placement=place, account_name=names.storage("doc"), link=link,
        geo_zone_redundant=config.is_prod, containers=["documents"],
    ))
    database = PostgresServer("db", PostgresArgs(
        placement=place, server_name=names.of("psql"), tenant_id=spoke.tenant_id,
        admin_group_name=config.postgres_admin_group, admin_group_object_id=config.postgres_admin_object_id,
        link=link, version=config.postgres_version, prod=config.is_prod,
    ))
    portal = LinuxWebApp("portal", WebAppArgs(
        placement=place,
        app_name=names.of("app"),
        plan_name=names.of("asp"),
        integration_subnet_id=spoke.network.subnets["app"].id,
        key_vault_id=vault.vault.id,
        key_vault_uri=vault.vault_uri,
        subscription_id=spoke.subscription_id,
        link=link,
        runtime=config.web_runtime,
        instances=3,
        settings={
            "DATABASE_HOST": database.server.fully_qualified_domain_name,
            "DATABASE_NAME": "app",
            "DOCUMENTS_ACCOUNT": documents.account.name,
        },
        secret_settings={"SESSION_SECRET": "portal-session-secret"},
    ))
    return {
        "vnetId": spoke.network.vnet.id,
        "keyVaultUri": vault.vault_uri,
        "webAppHostName": portal.app.default_host_name,
        "postgresFqdn": database.server.fully_qualified_domain_name,
        "documentsAccountName": documents.account.name,
    }
