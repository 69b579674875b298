"""The data platform: a spoke with a data lake, Key Vault and a private Data Factory."""

from __future__ import annotations

from typing import Any

from stacks.components.datafactory import DataFactory, DataFactoryArgs
from stacks.components.keyvault import KeyVault, KeyVaultArgs
from stacks.components.network import carve_subnets
from stacks.components.storage import StorageAccount, StorageArgs
from stacks.environments.spoke import build_spoke
from stacks.stackconfig import StackConfig


def build_data_platform(config: StackConfig) -> dict[str, Any]:
    spoke = build_spoke(config, carve_subnets(str(config.address_space), ["integration", "pe"]))
    names, place, link = spoke.names, spoke.placement, spoke.link
    vault = KeyVault("data", KeyVaultArgs(placement=place, vault_name=names.key_vault(), tenant_id=spoke.tenant_id, link=link))
    lake = StorageAccount("lake", StorageArgs(
        placement=place, account_name=names.storage("data"), link=link, data_lake=True,
        geo_zone_redundant=config.is_prod, containers=["raw", "curated"],
    ))
    factory = DataFactory("integration", DataFactoryArgs(placement=place, factory_name=names.of("adf"), link=link))
    return {
        "vnetId": spoke.network.vnet.id,
        "keyVaultUri": vault.vault_uri,
        "dataLakeAccountName": lake.account.name,
        "dataFactoryId": factory.factory.id,
    }
