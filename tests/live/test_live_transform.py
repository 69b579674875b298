"""Resource Graph rows and ARM list bodies -> the ARM template a program renders to (pure)."""

from __future__ import annotations

from arm import URN_KEY
from deployed.live_transform import arm_name_from_id, plan_lists, transform_estate, transform_row

SUB = "11111111-2222-3333-4444-555555555555"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-app"


def row(provider_path: str, arm_type: str, **body):
    return {"id": f"{RG}/providers/{provider_path}", "name": provider_path.rsplit("/", 1)[-1], "type": arm_type.lower(),
            "subscriptionId": SUB, "resourceGroup": "rg-app", "tags": None, "sku": None, "identity": None, **body}


def by_type(render) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}

    def walk(resources):
        for resource in resources:
            out.setdefault(resource["type"], []).append(resource)
            walk(resource.get("resources") or [])

    walk(render.template["resources"])
    return out


def test_a_row_gets_its_canonical_type_api_version_and_only_the_keys_it_has():
    arm = transform_row(row("Microsoft.Storage/storageAccounts/stapp", "Microsoft.Storage/storageAccounts",
                            location="uksouth", kind="StorageV2", tags={"system-id": "payroll"},
                            sku={"name": "Standard_ZRS"}, properties={"allowSharedKeyAccess": True}))
    assert arm["type"] == "Microsoft.Storage/storageAccounts"
    assert arm["apiVersion"] == "2024-01-01"
    assert arm["name"] == "stapp"
    assert arm["properties"] == {"allowSharedKeyAccess": True}
    assert {k for k in arm if k not in {"metadata"}} == {"type", "apiVersion", "name", "location", "kind", "tags", "sku",
                                                         "properties"}
    assert arm["metadata"][URN_KEY] == f"{RG}/providers/Microsoft.Storage/storageAccounts/stapp"


def test_child_and_extension_names_and_scopes_come_from_the_id():
    assert arm_name_from_id(f"{RG}/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/c") == "st/default/c"
    diag = transform_row({"id": f"{RG}/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Insights/diagnosticSettings/d",
                          "type": "Microsoft.Insights/diagnosticSettings", "properties": {"workspaceId": "w"}})
    assert (diag["name"], diag["scope"]) == ("d", f"{RG}/providers/Microsoft.KeyVault/vaults/kv")
    pricing = transform_row({"id": f"/subscriptions/{SUB}/providers/Microsoft.Security/pricings/VirtualMachines",
                             "type": "microsoft.security/pricings", "properties": {"pricingTier": "Standard"}})
    assert (pricing["type"], pricing["name"], pricing["scope"]) == ("Microsoft.Security/pricings", "VirtualMachines", f"/subscriptions/{SUB}")
    group = transform_row({"id": RG, "type": "microsoft.resources/subscriptions/resourcegroups", "location": "uksouth"})
    assert (group["type"], group["name"]) == ("Microsoft.Resources/resourceGroups", "rg-app")


def test_subnets_leave_their_virtual_network_and_nsg_rules_stay_inside():
    vnet = row("Microsoft.Network/virtualNetworks/vnet", "Microsoft.Network/virtualNetworks", properties={
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"id": f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app", "name": "app",
                     "properties": {"addressPrefix": "10.0.1.0/24"}}],
    })
    nsg = row("Microsoft.Network/networkSecurityGroups/nsg", "Microsoft.Network/networkSecurityGroups", properties={
        "securityRules": [{"name": "rdp", "properties": {"access": "Allow", "destinationPortRange": "3389"}}]})
    types = by_type(transform_estate([vnet, nsg]))
    assert "subnets" not in types["Microsoft.Network/virtualNetworks"][0]["properties"]
    assert [(s["name"], s["properties"]) for s in types["Microsoft.Network/virtualNetworks/subnets"]] == [
        ("vnet/app", {"addressPrefix": "10.0.1.0/24"})]
    assert types["Microsoft.Network/networkSecurityGroups"][0]["properties"]["securityRules"][0]["name"] == "rdp"


def test_children_come_from_one_list_call_per_parent_and_nest_where_checks_look():
    server = row("Microsoft.Sql/servers/sql", "Microsoft.Sql/servers", properties={"publicNetworkAccess": "Disabled"})
    vault = row("Microsoft.KeyVault/vaults/kv", "Microsoft.KeyVault/vaults", properties={})
    site = row("Microsoft.Web/sites/app", "Microsoft.Web/sites", properties={"httpsOnly": True, "siteConfig": None})
    first = transform_estate([server, vault, site])
    calls = plan_lists(first.template["resources"], {"Microsoft.KeyVault/vaults"})
    urls = {c.url[len(f"{RG}/providers/"):] for c in calls}
    assert "Microsoft.Sql/servers/sql/auditingSettings" in urls
    assert "Microsoft.KeyVault/vaults/kv/keys" in urls
    assert "Microsoft.KeyVault/vaults/kv/providers/Microsoft.Insights/diagnosticSettings" in urls
    assert "Microsoft.Sql/servers/sql/providers/Microsoft.Insights/diagnosticSettings" not in urls  # its type was not asked for
    assert "Microsoft.Web/sites/app/config/web" in urls
    audit = {"id": server["id"] + "/auditingSettings/default", "name": "default",
             "type": "Microsoft.Sql/servers/auditingSettings", "properties": {"state": "Enabled"}}
    key = {"id": vault["id"] + "/keys/k1", "name": "k1", "type": "Microsoft.KeyVault/vaults/keys",
           "properties": {"attributes": {"exp": 1900000000}}}
    config = {"id": site["id"] + "/config/web", "name": "web", "properties": {"minTlsVersion": "1.2"}}
    lists = {server["id"].lower() + "/auditingsettings": [audit], vault["id"].lower() + "/keys": [key],
             site["id"].lower() + "/config/web": [config]}
    render = transform_estate([server, vault, site], lists, calls)
    types = by_type(render)
    sql = types["Microsoft.Sql/servers"][0]
    assert [c["type"] for c in sql["resources"]] == ["Microsoft.Sql/servers/auditingSettings"]  # CKV_AZURE_23 reads it there
    assert types["Microsoft.KeyVault/vaults/keys"][0]["name"] == "kv/k1"
    assert types["Microsoft.Web/sites"][0]["properties"]["siteConfig"] == {"minTlsVersion": "1.2"}


def test_an_unknown_type_is_rendered_generically_from_its_row_not_dropped():
    render = transform_estate([row("Microsoft.Foo/bars/b", "Microsoft.Foo/bars", location="uksouth")])
    assert render.rendered == 1 and render.not_rendered == []
    generic = render.template["resources"][0]
    assert (generic["type"], generic["name"], generic["metadata"]["borough:generic"]) == ("Microsoft.Foo/bars", "b", True)
    assert render.template["metadata"]["borough:generic"] == {"Microsoft.Foo/bars": True}


def test_a_row_whose_id_names_no_type_is_listed_as_not_rendered():
    render = transform_estate([{"id": "/subscriptions/x/resourceGroups/rg/oddity", "type": "microsoft.foo/bars"}])
    assert render.rendered == 0
    assert [(n.type, n.blocking) for n in render.not_rendered] == [("microsoft.foo/bars", True)]


def test_same_rows_give_the_same_template_whatever_their_order():
    rows = [row(f"Microsoft.Storage/storageAccounts/st{i}", "Microsoft.Storage/storageAccounts") for i in range(5)]
    assert transform_estate(rows).template == transform_estate(list(reversed(rows))).template
