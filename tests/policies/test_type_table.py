"""The ARM type table (arm/types.yaml) against the installed pulumi-azure-native SDK: each
token is a real resource class, its API version is the one the SDK deploys, its name and parent
inputs are real inputs; and the types real Azure programs use are there and render."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from arm import TYPE_TABLE, render_resource
from arm.types import NOT_ARM, lookup
from policy_builders import resource

ALIASES = {"azure-native:insights:DiagnosticSetting", "azure-native:insights:Component", "azure-native:cache:Redis",
           "azure-native:documentdb:DatabaseAccount", "azure-native:documentdb:SqlResourceSqlDatabase",
           "azure-native:documentdb:SqlResourceSqlContainer"}
"""azure-native v2 tokens (renamed in v3): same ARM type, no class in the installed v3 SDK."""


SAME_AS_PARENT = {"azure-native:keyvault:AccessPolicy": "azure-native:keyvault:Vault"}


def _flat(name: str) -> str:
    return name.replace("_", "").lower()


def _sdk(token: str):
    _, module, cls = token.split(":")
    resource_class = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    source = inspect.getsource(inspect.getmodule(resource_class))
    version = re.search(r"Uses Azure REST API version (\S+?)\.(\s|$)", source)
    params = set(inspect.signature(resource_class._internal_init).parameters)
    return (version.group(1) if version else None), params


@pytest.mark.parametrize("token", sorted(t for t in TYPE_TABLE if t not in ALIASES))
def test_every_entry_matches_the_sdk(token):
    entry = TYPE_TABLE[token]
    version, params = _sdk(token)
    if token in SAME_AS_PARENT:  # a provider-side resource: the SDK states no version; the parent's API is used
        version = TYPE_TABLE[SAME_AS_PARENT[token]].api_version
    assert entry.api_version == version
    for key in (entry.name_key, *entry.parent_keys):
        if not key.startswith("@"):
            assert _flat(key) in {_flat(p) for p in params}, key
    if entry.taggable:
        assert "tags" in params
    if entry.located:
        assert "location" in params


WANTED = {
    "azure-native:containerinstance:ContainerGroup": "Microsoft.ContainerInstance/containerGroups",
    "azure-native:app:ContainerApp": "Microsoft.App/containerApps",
    "azure-native:app:ManagedEnvironment": "Microsoft.App/managedEnvironments",
    "azure-native:cosmosdb:DatabaseAccount": "Microsoft.DocumentDB/databaseAccounts",
    "azure-native:cosmosdb:SqlResourceSqlDatabase": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases",
    "azure-native:cosmosdb:SqlResourceSqlContainer": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
    "azure-native:containerservice:ManagedCluster": "Microsoft.ContainerService/managedClusters",
    "azure-native:containerservice:AgentPool": "Microsoft.ContainerService/managedClusters/agentPools",
    "azure-native:synapse:Workspace": "Microsoft.Synapse/workspaces",
    "azure-native:web:WebApp": "Microsoft.Web/sites",
    "azure-native:web:AppServicePlan": "Microsoft.Web/serverfarms",
    "azure-native:network:LoadBalancer": "Microsoft.Network/loadBalancers",
    "azure-native:network:PublicIPAddress": "Microsoft.Network/publicIPAddresses",
    "azure-native:compute:VirtualMachineScaleSet": "Microsoft.Compute/virtualMachineScaleSets",
    "azure-native:compute:VirtualMachine": "Microsoft.Compute/virtualMachines",
    "azure-native:compute:Disk": "Microsoft.Compute/disks",
    "azure-native:frontdoor:FrontDoor": "Microsoft.Network/frontDoors",
    "azure-native:cdn:Profile": "Microsoft.Cdn/profiles",
    "azure-native:cdn:AFDEndpoint": "Microsoft.Cdn/profiles/afdEndpoints",
    "azure-native:cdn:Endpoint": "Microsoft.Cdn/profiles/endpoints",
    "azure-native:applicationinsights:Component": "Microsoft.Insights/components",
    "azure-native:servicebus:Namespace": "Microsoft.ServiceBus/namespaces",
    "azure-native:servicebus:Queue": "Microsoft.ServiceBus/namespaces/queues",
    "azure-native:servicebus:Topic": "Microsoft.ServiceBus/namespaces/topics",
    "azure-native:redis:Redis": "Microsoft.Cache/redis",
    "azure-native:apimanagement:ApiManagementService": "Microsoft.ApiManagement/service",
    "azure-native:network:ApplicationGateway": "Microsoft.Network/applicationGateways",
    "azure-native:operationalinsights:Workspace": "Microsoft.OperationalInsights/workspaces",
    "azure-native:recoveryservices:Vault": "Microsoft.RecoveryServices/vaults",
}


def test_the_types_real_azure_programs_use_are_mapped():
    assert {token: TYPE_TABLE[token].type for token in WANTED if token in TYPE_TABLE} == WANTED
    assert len(TYPE_TABLE) >= 190


def test_a_container_group_renders_with_its_containers_in_arm_shape():
    group = resource("dev", "containerinstance:ContainerGroup", "api", containerGroupName="ci-api", osType="Linux",
                     ipAddress={"type": "Public", "ports": [{"port": 80, "protocol": "TCP"}]},
                     containers=[{"name": "api", "image": "nginx", "resources": {"requests": {"cpu": 1, "memoryInGB": 1}}}])
    arm = render_resource(group)
    assert arm["type"] == "Microsoft.ContainerInstance/containerGroups" and arm["name"] == "ci-api"
    assert arm["apiVersion"] == "2024-05-01-preview"
    assert arm["properties"]["containers"] == [{"name": "api", "properties": {
        "image": "nginx", "resources": {"requests": {"cpu": 1, "memoryInGB": 1}}}}]
    assert arm["properties"]["ipAddress"]["type"] == "Public"


def test_a_child_type_is_named_under_its_parents():
    container = resource("dev", "cosmosdb:SqlResourceSqlContainer", "orders", accountName="cosmos-x",
                         databaseName="shop", containerName="orders", resource={"id": "orders"})
    arm = render_resource(container)
    assert (arm["type"], arm["name"]) == ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
                                          "cosmos-x/shop/orders")


def test_an_explicitly_versioned_token_keeps_its_api_version():
    entry = lookup("azure-native:storage/v20220901:StorageAccount")
    assert entry is not None and entry.type == "Microsoft.Storage/storageAccounts" and entry.api_version == "2022-09-01"
    assert lookup("azure-native:keyvault/v20230201preview:Vault").api_version == "2023-02-01-preview"
    assert lookup("azure-native:nosuch/v20220901:Thing") is None


def test_a_record_set_type_takes_its_record_type():
    record = resource("dev", "dns:RecordSet", "www", zoneName="westmoor.gov.uk", relativeRecordSetName="www",
                      recordType="CNAME", cnameRecord={"cname": "x.azurefd.net"})
    assert render_resource(record)["type"] == "Microsoft.Network/dnsZones/CNAME"


def test_data_plane_objects_are_listed_as_not_arm():
    assert "azure-native:storage:Blob" in NOT_ARM and "azure-native:storage:Blob" not in TYPE_TABLE
