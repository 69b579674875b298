"""Pulumi -> ARM rendering: the type table, renames, re-nesting, URN back-references, and types
that cannot be rendered."""

from __future__ import annotations

from arm import TYPE_TABLE, dump_template, render_graph, render_resource
from policy_builders import graph, resource

STACK = "render"


def test_type_table_covers_the_common_azure_native_types():
    assert len(TYPE_TABLE) >= 40
    storage = TYPE_TABLE["azure-native:storage:StorageAccount"]
    assert (storage.type, storage.api_version) == ("Microsoft.Storage/storageAccounts", "2024-01-01")


def test_sdk_names_become_arm_names_and_path_parameters_become_the_name():
    arm = render_resource(resource(STACK, "storage:StorageAccount", "docs", accountName="stdocs",
                                   enableHttpsTrafficOnly=True, networkRuleSet={"defaultAction": "Deny"},
                                   sku={"name": "Standard_ZRS"}, kind="StorageV2"))
    assert arm["name"] == "stdocs" and arm["sku"] == {"name": "Standard_ZRS"} and arm["kind"] == "StorageV2"
    assert arm["properties"] == {"supportsHttpsTrafficOnly": True, "networkAcls": {"defaultAction": "Deny"}}
    assert arm["location"] == "uksouth" and arm["tags"]["system-id"] == "resident-portal"
    assert arm["metadata"]["pulumi:urn"] == f"urn:pulumi:{STACK}::borough::azure-native:storage:StorageAccount::docs"


def test_flattened_sub_resources_are_nested_under_properties():
    arm = render_resource(resource(STACK, "network:VirtualNetwork", "vnet", virtualNetworkName="vnet-hub",
                                   addressSpace={"addressPrefixes": ["10.0.0.0/16"]},
                                   subnets=[{"name": "apps", "addressPrefix": "10.0.1.0/24",
                                             "networkSecurityGroup": {"id": "/nsg"},
                                             "delegations": [{"name": "web", "serviceName": "Microsoft.Web/serverFarms"}]}]))
    subnet = arm["properties"]["subnets"][0]
    assert subnet["name"] == "apps"
    assert subnet["properties"]["networkSecurityGroup"] == {"id": "/nsg"}
    assert subnet["properties"]["delegations"] == [{"name": "web", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}]


def test_child_resources_checks_look_for_are_nested_in_their_parent():
    result = render_graph(graph(STACK, [
        resource(STACK, "sql:Server", "sql", serverName="sql-1"),
        resource(STACK, "sql:ServerBlobAuditingPolicy", "audit", serverName="sql-1", blobAuditingPolicyName="default",
                 state="Enabled"),
        resource(STACK, "network:Subnet", "subnet", virtualNetworkName="vnet-hub", subnetName="apps",
                 addressPrefix="10.0.1.0/24"),
    ]))
    server, subnet = result.template["resources"]
    assert server["resources"][0]["type"] == "Microsoft.Sql/servers/auditingSettings"
    assert server["resources"][0]["name"] == "sql-1/default"
    assert subnet["name"] == "vnet-hub/apps" and subnet["properties"] == {"addressPrefix": "10.0.1.0/24"}
    assert result.urns["Microsoft.Sql/servers/auditingSettings.sql-1/default"].endswith("::audit")


def test_resources_inherit_their_resource_groups_location():
    group = resource(STACK, "resources:ResourceGroup", "rg", resourceGroupName="rg-test", location="ukwest")
    vault = resource(STACK, "keyvault:Vault", "kv", vaultName="kv-1", properties={})
    del vault.inputs["location"]
    result = render_graph(graph(STACK, [group, vault]))
    assert result.template["resources"][1]["location"] == "ukwest"


def test_diagnostic_settings_name_their_target_as_scope():
    arm = render_resource(resource(STACK, "monitor:DiagnosticSetting", "diag", name="to-log", resourceUri="/subscriptions/0/x",
                                   logs=[{"categoryGroup": "allLogs", "enabled": True}]))
    assert arm["scope"] == "/subscriptions/0/x" and arm["type"] == "Microsoft.Insights/diagnosticSettings"


def test_types_without_a_mapping_are_reported_not_dropped():
    result = render_graph(graph(STACK, [
        resource(STACK, "azure-native:maps:Account", "maps", accountName="maps"),
        resource(STACK, "random:index/randomPassword:RandomPassword", "pw", length=24),
    ]))
    assert result.template["resources"] == []
    assert [(n.type, n.reason.split(":")[0]) for n in result.not_rendered] == [
        ("azure-native:maps:Account", "no ARM mapping for this azure-native type"),
        ("random:index/randomPassword:RandomPassword", "not an azure-native resource"),
    ]


def test_rendering_is_deterministic():
    make = lambda: graph(STACK, [resource(STACK, "storage:StorageAccount", "st", accountName="sta", kind="StorageV2")])
    assert dump_template(render_graph(make()).template) == dump_template(render_graph(make()).template)


def test_secrets_stay_redacted():
    arm = render_resource(resource(STACK, "dbforpostgresql:Server", "pg", serverName="pg",
                                   administratorLoginPassword="[secret]"))
    assert arm["properties"]["administratorLoginPassword"] == "[secret]"


def test_cross_resource_references_match_ids_children_and_expressions():
    from policies.checks.base import ReferenceIndex

    account = {"type": "Microsoft.Storage/storageAccounts", "name": "stdocs"}
    other = {"type": "Microsoft.Storage/storageAccounts", "name": "stother"}
    rg = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts"
    child = ReferenceIndex([f"{rg}/stDocs/blobServices/default"])
    assert not child.names(account)
    assert ReferenceIndex([f"{rg}/stDocs/blobServices/default"], within=True).names(account)
    assert ReferenceIndex([f"{rg}/stdocs"]).names(account) and not ReferenceIndex([f"{rg}/stdocs"]).names(other)
    expression = ReferenceIndex(["[resourceId('Microsoft.Storage/storageAccounts', 'stdocs')]"])
    assert expression.names(account) and not expression.names(other)
