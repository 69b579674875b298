"""Each environment: what it creates, tagged, in the UK, with nothing public."""

from __future__ import annotations

import pytest

from arm.types import TYPE_TABLE
from stacks.tagging import MANDATORY_TAGS

EXPECTED = {
    # stack: (cloud resources, system-id, environment tag)
    # platform: hub, monitoring, shared vault, DNS (11 zones), policy, Defender plans, audit storage,
    # registry, NAT egress, build agent and its image-signing key
    "platform-prod": (73, "platform-shared-services", "prod"),
    # spokes link every private DNS zone of the hub (11)
    "resident-services-dev": (51, "resident-portal", "dev"),
    "resident-services-prod": (51, "resident-portal", "prod"),
    # + curated SQL database, Event Hubs, Event Grid topic, Language service, Always Encrypted key, grants
    "data-platform-prod": (68, "data-platform", "prod"),
}
DATA_STORES = {"StorageAccount", "Vault", "Server", "Factory", "Registry", "Namespace", "Topic", "Account", "Disk"}


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_resource_counts(graph_of, stack):
    assert len(graph_of(stack).custom_resources()) == EXPECTED[stack][0]


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_every_taggable_resource_carries_all_five_tags(graph_of, stack):
    import importlib

    _, system_id, stage = EXPECTED[stack]
    tagged = 0
    for resource in graph_of(stack).custom_resources():
        _, module, cls = resource.type.split(":")
        args_cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), f"{cls}Args")
        taggable = "tags" in args_cls.__init__.__code__.co_varnames
        if not taggable:
            continue
        tagged += 1
        tags = resource.inputs.get("tags") or {}
        assert set(MANDATORY_TAGS) <= set(tags), f"{resource.name} misses {set(MANDATORY_TAGS) - set(tags)}"
        assert tags["system-id"] == system_id
        assert tags["environment"] == stage
        assert tags["data-classification"] in {"OFFICIAL", "OFFICIAL-SENSITIVE"}
    assert tagged > 10


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_every_location_is_in_the_uk(graph_of, stack):
    locations = {r.inputs["location"] for r in graph_of(stack).custom_resources() if "location" in r.inputs}
    assert locations - {"Global"} <= {"uksouth", "ukwest"}
    assert locations & {"uksouth", "ukwest"}


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_no_data_store_allows_public_network_access(graph_of, stack):
    for resource in graph_of(stack).custom_resources():
        if resource.type.split(":")[-1] not in DATA_STORES:
            continue
        inputs = resource.inputs
        public = (inputs.get("publicNetworkAccess") or inputs.get("properties", {}).get("publicNetworkAccess")
                  or inputs.get("network", {}).get("publicNetworkAccess"))
        assert public == "Disabled", f"{resource.name}: publicNetworkAccess={public!r}"


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_names_follow_caf_abbreviations(graph_of, stack):
    prefixes = {"resources:ResourceGroup": "rg-", "network:VirtualNetwork": "vnet-", "network:NetworkSecurityGroup": "nsg-",
                "keyvault:Vault": "kv-", "storage:StorageAccount": "st", "operationalinsights:Workspace": "log-",
                "web:WebApp": "app-", "web:AppServicePlan": "asp-", "dbforpostgresql:Server": "psql-",
                "datafactory:Factory": "adf-", "network:PrivateEndpoint": "pe-", "sql:Server": "sql-",
                "containerregistry:Registry": "cr", "eventhub:Namespace": "evhns-", "eventgrid:Topic": "evgt-",
                "cognitiveservices:Account": "lang-", "compute:VirtualMachine": "vm-", "compute:Disk": "disk-",
                "network:NetworkInterface": "nic-", "network:NatGateway": "ng-", "network:PublicIPAddress": "pip-"}
    for resource in graph_of(stack).custom_resources():
        prefix = prefixes.get(resource.type.split(":", 1)[-1])
        if prefix:
            # the name the ARM template gets (the input the type table names), as deployed
            name = resource.inputs.get(TYPE_TABLE[resource.type].name_key) or resource.outputs["name"]
            assert name.startswith(prefix), name


def test_stack_outputs_are_exported(graph_of):
    assert {"hubVnetId", "hubVnetName", "hubResourceGroupName", "privateDnsZoneIds",
            "logAnalyticsWorkspaceId"} <= set(graph_of("platform-prod").outputs)
    assert graph_of("resident-services-prod").outputs["webAppHostName"] == "app-res-prod-uks.azurewebsites.net"
    assert graph_of("data-platform-prod").outputs["dataLakeAccountName"] == "stdatadataproduks"
    assert {"auditStorageAccountId", "auditStorageBlobEndpoint", "containerRegistryId",
            "imageSigningKeyId"} <= set(graph_of("platform-prod").outputs)
    assert {"sqlServerId", "eventHubsNamespaceId", "datasetEventsTopicId",
            "columnMasterKeyId"} <= set(graph_of("data-platform-prod").outputs)


def test_spoke_address_spaces_do_not_overlap_each_other_or_the_hub(graph_of):
    import ipaddress

    spaces = [ipaddress.ip_network(p) for stack in EXPECTED
              for r in graph_of(stack).resources if r.type == "azure-native:network:VirtualNetwork"
              for p in r.inputs["addressSpace"]["addressPrefixes"]]
    assert len(spaces) == 4
    for i, a in enumerate(spaces):
        for b in spaces[i + 1:]:
            assert not a.overlaps(b)
