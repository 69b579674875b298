"""The data platform: a spoke with a data lake, Key Vault, a private Data Factory, a curated SQL
database (Always Encrypted keys in the vault), streaming ingestion, PII redaction and notifications."""

from __future__ import annotations

from typing import Any

from stacks.components.base import (
    COGNITIVE_SERVICES_USER,
    EVENT_GRID_DATA_SENDER,
    EVENT_HUBS_DATA_RECEIVER,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    RoleGrant,
)
from stacks.components.datafactory import DataFactory, DataFactoryArgs
from stacks.components.keyvault import KEY_VAULT_CRYPTO_USER, KeyUser, KeyVault, KeyVaultArgs, VaultKey, VaultKeyArgs
from stacks.components.language import LanguageArgs, LanguageService
from stacks.components.messaging import EventGridTopic, EventGridTopicArgs, EventHubs, EventHubsArgs
from stacks.components.network import carve_subnets
from stacks.components.sql import SqlArgs, SqlDatabase
from stacks.components.storage import StorageAccount, StorageArgs
from stacks.environments.spoke import build_spoke
from stacks.stackconfig import StackConfig


def build_data_platform(config: StackConfig) -> dict[str, Any]:
    spoke = build_spoke(config, carve_subnets(str(config.address_space), ["integration", "pe"]))
    names, place, link = spoke.names, spoke.placement, spoke.link
    vault = KeyVault("data", KeyVaultArgs(placement=place, vault_name=names.key_vault(), tenant_id=spoke.tenant_id, link=link,
                                          sku="premium" if config.is_prod else "standard"))
    lake = StorageAccount("lake", StorageArgs(
        placement=place, account_name=names.storage("data"), link=link, data_lake=True,
        geo_zone_redundant=config.is_prod, containers=["raw", "curated"],
    ))
    # Sensor and service telemetry streams in here; the factory lands it in the lake's raw zone.
    streams = EventHubs("ingest", EventHubsArgs(placement=place, namespace_name=names.of("evhns"),
                                                hubs=["sensor-telemetry"], link=link))
    # Consumers subscribe to "dataset refreshed" events instead of polling the lake.
    notifications = EventGridTopic("datasets", EventGridTopicArgs(placement=place, topic_name=names.of("evgt", "datasets"),
                                                                   link=link))
    # Free text (case notes, complaints) is redacted of personal data before it reaches the curated zone.
    language = LanguageService("redaction", LanguageArgs(placement=place, account_name=names.of("lang"), link=link))
    factory = DataFactory("integration", DataFactoryArgs(
        placement=place, factory_name=names.of("adf"), link=link, subscription_id=spoke.subscription_id,
        grants=(
            RoleGrant("lake-writer", lake.account.id, STORAGE_BLOB_DATA_CONTRIBUTOR),
            RoleGrant("stream-reader", streams.namespace.id, EVENT_HUBS_DATA_RECEIVER),
            RoleGrant("event-sender", notifications.topic.id, EVENT_GRID_DATA_SENDER),
            RoleGrant("redaction-user", language.account.id, COGNITIVE_SERVICES_USER),
        ),
    ))
    platform = spoke.platform
    # Administered by the council's DBA group (the same Entra group that administers PostgreSQL).
    curated = SqlDatabase("curated", SqlArgs(
        placement=place, server_name=names.of("sql"), database_name="sqldb-curated", tenant_id=spoke.tenant_id,
        admin_group_name=config.postgres_admin_group, admin_group_object_id=config.postgres_admin_object_id,
        audit_storage_account_id=platform.require_output("auditStorageAccountId"),
        audit_blob_endpoint=platform.require_output("auditStorageBlobEndpoint"),
        subscription_id=spoke.subscription_id, link=link, prod=config.is_prod,
    ))
    # Always Encrypted column master key for resident identifiers in the curated database: the
    # database never sees the plaintext; the factory (the only writer) may wrap and unwrap with it.
    column_key = VaultKey("always-encrypted", VaultKeyArgs(
        vault_resource_group_name=place.resource_group_name,
        vault_name=vault.vault.name,
        vault_id=vault.vault.id,
        key_name="sql-always-encrypted-cmk",
        subscription_id=spoke.subscription_id,
        hsm=config.is_prod,
        key_ops=("wrapKey", "unwrapKey", "sign", "verify"),
        expires_after="P2Y",
        users=(KeyUser("integration", factory.principal_id, KEY_VAULT_CRYPTO_USER),),
    ))
    return {
        "vnetId": spoke.network.vnet.id,
        "keyVaultUri": vault.vault_uri,
        "dataLakeAccountName": lake.account.name,
        "dataFactoryId": factory.factory.id,
        "sqlServerId": curated.server.id,
        "eventHubsNamespaceId": streams.namespace.id,
        "datasetEventsTopicId": notifications.topic.id,
        "columnMasterKeyId": column_key.key.id,
    }
