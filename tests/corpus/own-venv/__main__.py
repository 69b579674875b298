"""Planning portal: a storage account for applicants' documents and a Key Vault for its secrets."""

import pulumi
import pulumi_azure_native as azure_native
import wbc_naming

cfg = pulumi.Config()
service = cfg.require("service")
env = cfg.require("environment")
location = pulumi.Config("azure-native").require("location")
tags = wbc_naming.tags(service, env)

rg = azure_native.resources.ResourceGroup(
    "rg",
    resource_group_name=wbc_naming.name("rg", service, env, location),
    tags=tags,
)

docs = azure_native.storage.StorageAccount(
    "documents",
    account_name=wbc_naming.compact("st", service, env, location),
    resource_group_name=rg.name,
    kind=azure_native.storage.Kind.STORAGE_V2,
    sku=azure_native.storage.SkuArgs(name=azure_native.storage.SkuName.STANDARD_ZRS),
    minimum_tls_version=azure_native.storage.MinimumTlsVersion.TLS1_2,
    allow_blob_public_access=False,
    enable_https_traffic_only=True,
    tags=tags,
)

client = azure_native.authorization.get_client_config_output()
vault = azure_native.keyvault.Vault(
    "secrets",
    vault_name=wbc_naming.name("kv", service, env, location),
    resource_group_name=rg.name,
    properties=azure_native.keyvault.VaultPropertiesArgs(
        tenant_id=client.tenant_id,
        sku=azure_native.keyvault.SkuArgs(family="A", name=azure_native.keyvault.SkuName.STANDARD),
        enable_rbac_authorization=True,
        enable_purge_protection=True,
        soft_delete_retention_in_days=90,
    ),
    tags=tags,
)

pulumi.export("documentsEndpoint", docs.primary_endpoints.apply(lambda e: e.blob))
pulumi.export("vaultUri", vault.properties.apply(lambda p: p.vault_uri))
