"""The pure halves of the readers and the comparison, on plain dicts."""

from __future__ import annotations

import dataclasses

from inventory.live.aws import merge_resources, transform_buckets, transform_ec2, transform_lambda, transform_rds, transform_tagged
from inventory.live.azure import groups_query, indexed_by_resource_graph, resources_query, transform_resource
from deployed.drift_compare import compare
from deployed.drift_transform import resource_groups_of


def test_resource_graph_row_becomes_a_live_resource():
    row = {"id": "/subscriptions/AAAAAAAA-0000-0000-0000-000000000000/resourceGroups/RG-A/providers/Microsoft.Web/sites/app",
           "name": "app", "type": "microsoft.web/sites", "location": "uksouth", "resourceGroup": "rg-a",
           "subscriptionId": "AAAAAAAA-0000-0000-0000-000000000000", "tags": {"system-id": "portal"}, "sku": None,
           "properties": {"httpsOnly": True}}
    resource = transform_resource(row)
    assert resource.scope == "aaaaaaaa-0000-0000-0000-000000000000"
    assert resource.system_id == "portal" and resource.resource_group == "rg-a"
    assert resource.arm["properties"] == {"httpsOnly": True} and "sku" not in resource.arm


def test_queries_narrow_to_resource_groups_and_page_in_a_stable_order():
    assert "where resourceGroup in~ ('rg-a', 'rg-b')" in resources_query(["rg-b", "rg-a"])
    assert resources_query(None).endswith("order by id asc")
    assert "name in~ ('rg-a')" in groups_query(["rg-a"])


def test_child_types_resource_graph_does_not_index_are_fetched_one_by_one():
    assert indexed_by_resource_graph("Microsoft.Storage/storageAccounts")
    assert not indexed_by_resource_graph("Microsoft.Storage/storageAccounts/blobServices")
    assert indexed_by_resource_graph("Microsoft.Sql/servers/databases")
    assert not indexed_by_resource_graph("Microsoft.Insights/diagnosticSettings")


def test_ids_give_the_subscriptions_and_groups_to_read():
    ids = ["/subscriptions/S1/resourceGroups/RG-A/providers/x/y/z", "/subscriptions/s1/resourcegroups/rg-b",
           "/subscriptions/S2/resourceGroups/rg-c/providers/x/y/z"]
    assert resource_groups_of(ids) == {"s1": ["rg-a", "rg-b"], "s2": ["rg-c"]}


def test_comparison_normalises_ids_enums_locations_but_not_tag_values():
    assert compare({"location": "uksouth"}["location"], "UK South", "location") == []
    assert compare("Standard_LRS", "standard_lrs", "sku.name") == []
    assert compare("/subscriptions/A/resourceGroups/X", "/subscriptions/a/resourcegroups/x", "properties.subnet.id") == []
    assert compare(True, "true", "properties.enabled") == []
    assert compare(7, 7.0, "properties.days") == []
    assert compare("Platform-Team", "platform-team", "tags.owner") == [("tags.owner", "Platform-Team", "platform-team")]
    assert compare(["10.0.0.0/16", "10.1.0.0/16"], ["10.1.0.0/16", "10.0.0.0/16"], "properties.addressPrefixes") == []
    assert compare("[secret]", "anything", "properties.password") == []
    assert compare("Succeeded", "Failed", "properties.provisioningState") == []
    assert compare([], None, "properties.ipRules") == []
    assert compare(False, None, "properties.allowBlobPublicAccess") == [("properties.allowBlobPublicAccess", False, None)]


def test_a_rule_added_by_hand_to_a_named_list_is_drift():
    desired = [{"name": "allow-https", "properties": {"access": "Allow"}}]
    live = [{"name": "allow-https", "properties": {"access": "Allow", "priority": 100}},
            {"name": "allow-rdp", "properties": {"access": "Allow"}}]
    assert compare(desired, live, "properties.securityRules") == [
        ("properties.securityRules[allow-rdp]", None, "added outside the code")
    ]


def test_aws_pages_become_live_resources():
    ec2 = transform_ec2([{"Reservations": [{"OwnerId": "123", "Instances": [
        {"InstanceId": "i-1", "State": {"Name": "running"}, "Tags": [{"Key": "system-id", "Value": "crm"}]},
        {"InstanceId": "i-2", "State": {"Name": "terminated"}},
    ]}]}], "eu-west-2")
    assert [(r.id, r.system_id) for r in ec2] == [("arn:aws:ec2:eu-west-2:123:instance/i-1", "crm")]
    rds = transform_rds([{"DBInstances": [{"DBInstanceArn": "arn:aws:rds:eu-west-2:123:db:db1", "DBInstanceIdentifier": "db1", "TagList": []}]}], "eu-west-2")
    fns = transform_lambda([{"Functions": [{"FunctionArn": "arn:aws:lambda:eu-west-2:123:function:f", "FunctionName": "f"}]}], "eu-west-2")
    buckets = transform_buckets([{"Name": "b1", "Region": "eu-west-2"}])
    tagged = transform_tagged([{"ResourceTagMappingList": [
        {"ResourceARN": "arn:aws:lambda:eu-west-2:123:function:f", "Tags": [{"Key": "system-id", "Value": "payroll"}]},
        {"ResourceARN": "arn:aws:sqs:eu-west-2:123:q1", "Tags": [{"Key": "system-id", "Value": "payroll"}]},
        {"ResourceARN": "arn:aws:s3:::not-in-this-region", "Tags": [{"Key": "system-id", "Value": "x"}]},
    ]}], "eu-west-2")
    merged = {r.id: r for r in merge_resources([*ec2, *rds, *fns, *buckets], tagged)}
    assert merged["arn:aws:lambda:eu-west-2:123:function:f"].system_id == "payroll"
    assert merged["arn:aws:sqs:eu-west-2:123:q1"].type == "sqs"
    assert "arn:aws:s3:::not-in-this-region" not in merged
    assert merged["arn:aws:s3:::b1"].system_id is None


def test_a_tagged_only_record_of_a_type_listed_in_that_region_is_gone():
    terminated = transform_tagged([{"ResourceTagMappingList": [
        {"ResourceARN": "arn:aws:ec2:eu-west-2:123:instance/i-gone", "Tags": [{"Key": "system-id", "Value": "crm"}]},
        {"ResourceARN": "arn:aws:ec2:eu-west-1:123:instance/i-elsewhere", "Tags": [{"Key": "system-id", "Value": "crm"}]},
    ]}], "eu-west-2")
    terminated[1] = dataclasses.replace(terminated[1], scope="eu-west-1", location="eu-west-1")
    merged = {r.id for r in merge_resources([], terminated, {("eu-west-2", "ec2:instance")})}
    # eu-west-2's DescribeInstances succeeded and did not list i-gone; eu-west-1's listing failed, so keep what we know
    assert merged == {"arn:aws:ec2:eu-west-1:123:instance/i-elsewhere"}


def test_lambda_and_s3_tags_are_unread_when_the_tagging_api_failed_in_their_region():
    from inventory.live.aws import mark_unread_tags
    from inventory.live.model import Cloud, NotRead

    fns = transform_lambda([{"Functions": [{"FunctionArn": "arn:aws:lambda:eu-west-2:123:function:f", "FunctionName": "f"}]}], "eu-west-2")
    buckets = transform_buckets([{"Name": "b-w2", "Region": "eu-west-2"}, {"Name": "b-w1", "Region": "eu-west-1"}])
    ec2 = transform_ec2([{"Reservations": [{"OwnerId": "1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}}]}]}], "eu-west-2")
    failure = NotRead(Cloud.aws, "region eu-west-2", "tagging GetResources page 1", "AccessDeniedException: no")
    marked, unread = mark_unread_tags([*fns, *buckets, *ec2], {"eu-west-2": failure})
    assert {r.name for r in marked if not r.tags_read} == {"f", "b-w2"}  # EC2 lists its own tags; b-w1's region was read
    assert [n.what for n in unread] == ["tags of lambda:function f", "tags of s3:bucket b-w2"]
    assert all("AccessDeniedException" in n.reason for n in unread)


def test_resource_graph_types_are_shown_in_their_canonical_case():
    from inventory.live.azure import canonical_type

    assert canonical_type("microsoft.storage/storageaccounts") == "Microsoft.Storage/storageAccounts"
    assert canonical_type("microsoft.resources/subscriptions/resourcegroups") == "Microsoft.Resources/resourceGroups"
    hand_made = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Contoso/widgetFactories/w1/gears/g1"
    assert canonical_type("microsoft.contoso/widgetfactories/gears", hand_made) == "Microsoft.Contoso/widgetFactories/gears"
    assert canonical_type("microsoft.contoso/other", hand_made) == "microsoft.contoso/other"  # the id is of another type
