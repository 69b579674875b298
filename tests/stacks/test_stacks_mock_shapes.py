"""How the mocks answer: outputs shaped by the provider SDK's own types, Azure-realistic values
where programs read them, companions answering as their providers do, the program's own inputs
never overwritten, provider-level location applied as azure-native applies it, engine URNs."""

from __future__ import annotations

import base64
import enum
import json
import textwrap
from pathlib import Path
from typing import Mapping, Optional, Sequence

import pulumi
import pytest
import yaml

from synth.mocks.answers import Registration, invoke_result, new_resource
from synth.mocks.azure import CLIENT_ID, SUBSCRIPTION_ID, TENANT_ID
from synth.mocks.companions import random_text
from synth.graph import SECRET, engine_urn
from synth.mocks.sdk_shapes import DEFAULT, OMIT, ShapeRules, build_object, build_value, resource_shape
from synth.wire import SECRET_SIG, SIG_KEY, mark_secret, plain, reveal

RG = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-app"
SECRET_WIRE = {SIG_KEY: SECRET_SIG, "value": "hunter2-but-longer"}
ASSET_SIG, ARCHIVE_SIG = "c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"  # the SDK's
FILE_ASSET = {SIG_KEY: ASSET_SIG, "path": "./wwwroot/index.html"}


def urn_of(token: str, name: str) -> str:
    return engine_urn("dev", "shapes", None, token, name)


def answer(token: str, name: str, inputs: dict) -> tuple[str | None, dict]:
    return new_resource(Registration(token, name, urn_of(token, name), inputs), custom=True)


# --- generic shape rules (any provider's SDK) -------------------------------------------------
class Tier(str, enum.Enum):
    HOT = "Hot"
    COOL = "Cool"


@pulumi.output_type
class _Leaf(dict):
    @property
    @pulumi.getter(name="leafName")
    def leaf_name(self) -> str: ...

    @property
    @pulumi.getter
    def count(self) -> int: ...


@pulumi.output_type
class _Node(dict):
    @property
    @pulumi.getter
    def tier(self) -> Tier: ...

    @property
    @pulumi.getter
    def leaves(self) -> Sequence[_Leaf]: ...

    @property
    @pulumi.getter
    def labels(self) -> Mapping[str, str]: ...

    @property
    @pulumi.getter
    def child(self) -> Optional[_Leaf]: ...

    @property
    @pulumi.getter
    def enabled(self) -> bool: ...


def plain_rules(**kwargs) -> ShapeRules:
    return ShapeRules(namer=lambda path, typ: DEFAULT, **kwargs)


def test_nested_objects_enums_lists_and_maps_take_their_types_shape():
    shaped = build_value(_Node, ("node",), plain_rules(), 0)
    assert shaped == {"child": {"count": 0, "leafName": ""}, "enabled": False, "labels": {}, "leaves": [], "tier": "Hot"}


def test_function_results_get_one_element_per_list_so_programs_can_index_them():
    shaped = build_value(_Node, ("node",), plain_rules(list_items=1), 0)
    assert shaped["leaves"] == [{"count": 0, "leafName": ""}]


def test_nesting_stops_at_the_depth_limit_and_the_namer_decides_first():
    shallow = build_value(_Node, ("node",), plain_rules(max_depth=0), 0)
    assert shallow is OMIT
    named = build_object({"leaf": _Leaf}, (), ShapeRules(namer=lambda p, t: "x" if p[-1] == "leafName" else DEFAULT), 0)
    assert named == {"leaf": {"count": 0, "leafName": "x"}}


def test_a_resources_inputs_are_not_invented_only_its_read_only_outputs():
    shaped = resource_shape("azure-native:storage:StorageAccount", plain_rules())
    assert "enableHttpsTrafficOnly" not in shaped and "minimumTlsVersion" not in shaped  # inputs: Azure's default, not False
    assert {"primaryEndpoints", "provisioningState", "creationTime"} <= set(shaped)


# --- Azure values -----------------------------------------------------------------------------
def test_a_storage_account_answers_every_endpoint_including_the_static_website():
    _, outputs = answer("azure-native:storage:StorageAccount", "site",
                        {"resourceGroupName": "rg-app", "accountName": "stsite", "kind": "StorageV2"})
    assert outputs["primaryEndpoints"] == {
        "blob": "https://stsite.blob.core.windows.net/", "dfs": "https://stsite.dfs.core.windows.net/",
        "file": "https://stsite.file.core.windows.net/", "queue": "https://stsite.queue.core.windows.net/",
        "table": "https://stsite.table.core.windows.net/", "web": "https://stsite.z33.web.core.windows.net/",
        **{k: v for k, v in outputs["primaryEndpoints"].items()
           if k not in {"blob", "dfs", "file", "queue", "table", "web"}},
    }
    assert outputs["secondaryEndpoints"]["web"] == "https://stsite-secondary.z33.web.core.windows.net/"
    assert outputs["id"] == f"{RG}/providers/Microsoft.Storage/storageAccounts/stsite"
    assert outputs["provisioningState"] == "Succeeded" and outputs["kind"] == "StorageV2"


@pytest.mark.parametrize("source", [FILE_ASSET, {SIG_KEY: ARCHIVE_SIG, "path": "./app"}, {SIG_KEY: ASSET_SIG, "text": "<p>hi</p>"}])
def test_a_blobs_own_type_input_is_kept_and_its_asset_or_archive_stays_one(source):
    _, outputs = answer("azure-native:storage:Blob", "index", {
        "resourceGroupName": "rg-app", "accountName": "stsite", "containerName": "$web", "blobName": "index.html",
        "type": "Block", "source": source})
    assert outputs["type"] == "Block"  # the program's value, not the ARM type
    assert outputs["source"] == source  # still tagged as an asset/archive for the SDK to rebuild
    assert outputs["url"] == "https://stsite.blob.core.windows.net/$web/index.html"


def test_secret_inputs_stay_secret_and_nested_inputs_are_laid_over_read_only_fields():
    _, outputs = answer("azure-native:keyvault:Vault", "kv", {
        "resourceGroupName": "rg-app", "vaultName": "kv-app",
        "properties": {"tenantId": TENANT_ID, "enableRbacAuthorization": True, "sku": {"family": "A", "name": "standard"}},
        "tags": {"token": SECRET_WIRE}})
    assert outputs["properties"]["vaultUri"] == "https://kv-app.vault.azure.net/"
    assert outputs["properties"]["enableRbacAuthorization"] is True
    assert outputs["tags"]["token"] == SECRET_WIRE
    assert plain(outputs)["tags"]["token"] == SECRET


def test_additional_secret_outputs_are_marked_secret_for_the_program_and_the_graph():
    outputs = mark_secret({"result": "abc", "length": 3}, ["result", "absent"])
    assert outputs["result"] == {SIG_KEY: SECRET_SIG, "value": "abc"} and "absent" not in outputs
    assert plain(outputs) == {"result": SECRET, "length": 3}


@pytest.mark.parametrize(("token", "inputs", "key", "expected"), [
    ("azure-native:web:WebApp", {"name": "app-a"}, "defaultHostName", "app-a.azurewebsites.net"),
    ("azure-native:containerregistry:Registry", {"registryName": "acrapp"}, "loginServer", "acrapp.azurecr.io"),
    ("azure-native:sql:Server", {"serverName": "sql-a"}, "fullyQualifiedDomainName", "sql-a.database.windows.net"),
    ("azure-native:dbforpostgresql:Server", {"serverName": "pg-a"}, "fullyQualifiedDomainName",
     "pg-a.postgres.database.azure.com"),
    ("azure-native:cosmosdb:DatabaseAccount", {"accountName": "cos-a"}, "documentEndpoint",
     "https://cos-a.documents.azure.com:443/"),
    ("azure-native:storage:StorageAccountStaticWebsite", {"accountName": "st"}, "containerName", "$web"),
])
def test_host_names_and_endpoints_are_where_each_service_puts_them(token, inputs, key, expected):
    _, outputs = answer(token, "logical", {"resourceGroupName": "rg-app", **inputs})
    assert outputs[key] == expected


def test_aks_answers_an_fqdn_under_its_dns_prefix_and_a_kubelet_identity():
    _, outputs = answer("azure-native:containerservice:ManagedCluster", "aks", {
        "resourceGroupName": "rg-app", "dnsPrefix": "planning", "location": "ukwest",
        "identity": {"type": "SystemAssigned"}})
    assert outputs["fqdn"].startswith("planning-") and outputs["fqdn"].endswith(".hcp.ukwest.azmk8s.io")
    assert set(outputs["identityProfile"]["kubeletidentity"]) == {"clientId", "objectId", "resourceId"}
    assert outputs["identity"]["principalId"] and outputs["identity"]["tenantId"] == TENANT_ID


def test_a_public_container_group_gets_an_ip_and_its_dns_label_fqdn():
    _, outputs = answer("azure-native:containerinstance:ContainerGroup", "ci", {
        "resourceGroupName": "rg-app", "location": "uksouth",
        "ipAddress": {"type": "Public", "dnsNameLabel": "lbh-cat", "ports": [{"port": 80}]}})
    address = outputs["ipAddress"]
    assert address["fqdn"] == "lbh-cat.uksouth.azurecontainer.io" and address["ports"] == [{"port": 80}]
    assert address["ip"].count(".") == 3


def test_a_resource_without_a_managed_identity_answers_none():
    _, outputs = answer("azure-native:web:WebApp", "app", {"resourceGroupName": "rg-app", "name": "app"})
    assert "identity" not in outputs


# --- Azure functions --------------------------------------------------------------------------
def test_storage_keys_are_two_distinct_azure_sized_keys():
    args = {"resourceGroupName": "rg-app", "accountName": "stapp"}
    keys = invoke_result("azure-native:storage:listStorageAccountKeys", args)["keys"]
    assert all(k["value"][SIG_KEY] == SECRET_SIG for k in keys)  # credentials come back secret
    keys = reveal(keys)
    assert [k["keyName"] for k in keys] == ["key1", "key2"]
    assert all(len(base64.b64decode(k["value"])) == 64 for k in keys) and keys[0]["value"] != keys[1]["value"]
    assert reveal(invoke_result("azure-native:storage:listStorageAccountKeys", args))["keys"] == keys  # repeatable


@pytest.mark.parametrize(("function", "user"), [("listManagedClusterAdminCredentials", "clusterAdmin"),
                                                ("listManagedClusterUserCredentials", "clusterUser")])
def test_aks_credentials_are_a_base64_kubeconfig(function, user):
    answer_ = invoke_result(f"azure-native:containerservice:{function}", {"resourceGroupName": "rg", "resourceName": "aks"})
    assert plain(answer_)["kubeconfigs"][0]["value"] == SECRET
    (kubeconfig,) = reveal(answer_)["kubeconfigs"]
    config = yaml.safe_load(base64.b64decode(kubeconfig["value"]))
    assert kubeconfig["name"] == user and config["kind"] == "Config"
    assert config["clusters"][0]["cluster"]["server"].endswith(".azmk8s.io:443")


def test_registry_credentials_have_a_user_and_two_passwords():
    creds = invoke_result("azure-native:containerregistry:listRegistryCredentials",
                          {"resourceGroupName": "rg", "registryName": "acrapp"})
    assert creds["username"] == "acrapp" and [p["name"] for p in creds["passwords"]] == ["password", "password2"]
    assert [plain(p["value"]) for p in creds["passwords"]] == [SECRET, SECRET] and len(reveal(creds)["passwords"][0]["value"]) == 32


def test_cosmos_connection_strings_point_at_the_account():
    answer_ = invoke_result("azure-native:cosmosdb:listDatabaseAccountConnectionStrings",
                            {"resourceGroupName": "rg", "accountName": "cos-a"})
    assert reveal(answer_)["connectionStrings"][0]["connectionString"].startswith("AccountEndpoint=https://cos-a.documents.azure.com:443/;")


def test_a_lookup_is_shaped_by_its_result_class_and_never_echoes_a_secret_argument():
    found = invoke_result("azure-native:storage:getStorageAccount", {"resourceGroupName": "rg-app", "accountName": "st"})
    assert found["primaryEndpoints"]["web"] == "https://st.z33.web.core.windows.net/"
    assert found["id"] == f"{RG}/providers/Microsoft.Storage/storageAccounts/st"
    shared = invoke_result("azure-native:operationalinsights:getSharedKeys",
                           {"resourceGroupName": "rg", "workspaceName": "law", "token": SECRET_WIRE})
    assert plain(shared)["primarySharedKey"] == SECRET and "token" not in shared


@pytest.mark.parametrize("token", ["azure-native:authorization:getClientConfig", "azuread:index/getClientConfig:getClientConfig"])
def test_client_config_is_one_principal_for_azure_native_and_entra_id(token):
    config = invoke_result(token, {})
    assert config["clientId"] == CLIENT_ID and config["tenantId"] == TENANT_ID and config["objectId"]


# --- companions -------------------------------------------------------------------------------
def test_a_random_password_honours_its_length_and_classes_and_is_repeatable():
    inputs = {"length": 24, "overrideSpecial": "!#", "minUpper": 3, "minNumeric": 3, "minSpecial": 3}
    first = random_text("urn:a", inputs)
    assert len(first) == 24 and set(first) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#")
    assert sum(c.isupper() for c in first) >= 3 and sum(c.isdigit() for c in first) >= 3
    assert sum(c in "!#" for c in first) >= 3
    assert random_text("urn:a", inputs) == first and random_text("urn:b", inputs) != first
    assert not any(c in "!#" for c in random_text("urn:a", {"length": 12, "special": False}))


def test_random_resources_answer_as_the_random_provider():
    _, password = answer("random:index/randomPassword:RandomPassword", "pw", {"length": 16})
    assert len(password["result"]) == 16 and password["bcryptHash"].startswith("$2a$10$") and password["upper"] is True
    pet_id, pet = answer("random:index/randomPet:RandomPet", "pet", {"length": 3, "separator": "_"})
    assert pet_id == pet["id"] and len(pet_id.split("_")) == 3
    rid, random_id = answer("random:index/randomId:RandomId", "rid", {"byteLength": 4})
    assert bytes.fromhex(random_id["hex"]) == base64.urlsafe_b64decode(rid + "==") and len(random_id["hex"]) == 8
    _, number = answer("random:index/randomInteger:RandomInteger", "n", {"min": 10, "max": 20})
    assert 10 <= number["result"] <= 20
    uuid_id, uuid_ = answer("random:index/randomUuid:RandomUuid", "u", {})
    assert uuid_["result"] == uuid_id and len(uuid_id) == 36


@pytest.mark.parametrize(("algorithm", "openssh_prefix"), [("RSA", "ssh-rsa "), ("ECDSA", "ecdsa-sha2-nistp256 "),
                                                           ("ED25519", "ssh-ed25519 ")])
def test_a_tls_private_key_has_working_pem_and_openssh_forms(algorithm, openssh_prefix):
    from cryptography.hazmat.primitives import serialization

    inputs = {"algorithm": algorithm, "ecdsaCurve": "P256"} if algorithm == "ECDSA" else {"algorithm": algorithm}
    key_id, key = answer("tls:index/privateKey:PrivateKey", "key", inputs)
    private = serialization.load_pem_private_key(key["privateKeyPem"].encode(), password=None)
    public = serialization.load_ssh_public_key(key["publicKeyOpenssh"].encode())
    assert public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode() \
        == key["publicKeyPem"]
    assert private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() \
        == key["publicKeyOpenssh"].strip()
    assert key["publicKeyOpenssh"].startswith(openssh_prefix) and key["publicKeyFingerprintSha256"].startswith("SHA256:")
    assert answer("tls:index/privateKey:PrivateKey", "key", inputs) == (key_id, key)


def test_a_self_signed_cert_is_a_certificate_over_the_given_key():
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    _, key = answer("tls:index/privateKey:PrivateKey", "key", {"algorithm": "ED25519"})
    _, cert = answer("tls:index/selfSignedCert:SelfSignedCert", "cert", {
        "privateKeyPem": key["privateKeyPem"], "subject": {"commonName": "permits.example.gov.uk"},
        "dnsNames": ["permits.example.gov.uk"], "validityPeriodHours": 48, "allowedUses": ["server_auth"]})
    parsed = x509.load_pem_x509_certificate(cert["certPem"].encode())
    assert parsed.subject.rfc4514_string() == "CN=permits.example.gov.uk"
    spki = (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert parsed.public_key().public_bytes(*spki).decode() == key["publicKeyPem"]
    public = invoke_result("tls:index/getPublicKey:getPublicKey", {"privateKeyPem": key["privateKeyPem"]})
    assert public["publicKeyOpenssh"] == key["publicKeyOpenssh"] and public["algorithm"] == "ED25519"


def test_entra_id_objects_answer_with_client_and_object_ids():
    app_id, app = answer("azuread:index/application:Application", "app", {"displayName": "planning"})
    assert app_id == f"/applications/{app['objectId']}" and app["clientId"] != app["objectId"]
    sp_id, sp = answer("azuread:index/servicePrincipal:ServicePrincipal", "sp", {"clientId": app["clientId"]})
    assert sp_id == f"/servicePrincipals/{sp['objectId']}" and sp["clientId"] == app["clientId"]
    pw_id, pw = answer("azuread:index/servicePrincipalPassword:ServicePrincipalPassword", "pw", {"servicePrincipalId": sp_id})
    assert pw_id == f"{sp_id}/password/{pw['keyId']}" and len(pw["value"]) == 40


# --- URNs -------------------------------------------------------------------------------------
def test_urns_are_formed_as_the_engine_forms_them():
    stack_urn = engine_urn("prod", "app", None, "pulumi:pulumi:Stack", "app-prod")
    assert stack_urn == "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod"
    top = engine_urn("prod", "app", stack_urn, "azure-native:resources:ResourceGroup", "rg")
    assert top == "urn:pulumi:prod::app::azure-native:resources:ResourceGroup::rg"
    component = engine_urn("prod", "app", stack_urn, "acme:net:Hub", "hub")
    inner = engine_urn("prod", "app", component, "acme:net:Spoke", "spoke")
    leaf = engine_urn("prod", "app", inner, "azure-native:network:VirtualNetwork", "vnet")
    assert leaf == "urn:pulumi:prod::app::acme:net:Hub$acme:net:Spoke$azure-native:network:VirtualNetwork::vnet"


# --- through a real synthesis -----------------------------------------------------------------
LOCATED = """\
import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import network, resources, storage

rg = resources.ResourceGroup("rg")
sa = storage.StorageAccount("sa", resource_group_name=rg.name, kind="StorageV2", sku={"name": "Standard_LRS"})
elsewhere = storage.StorageAccount("sa2", resource_group_name=rg.name, location="ukwest", kind="StorageV2",
                                   sku={"name": "Standard_LRS"})
nsg = network.NetworkSecurityGroup("nsg", resource_group_name=rg.name)
rule = network.SecurityRule("rule", resource_group_name=rg.name, network_security_group_name=nsg.name,
                            priority=100, direction="Inbound", access="Deny", protocol="*")
west = azure_native.Provider("west", location="ukwest")
rg_west = resources.ResourceGroup("rg-west", opts=pulumi.ResourceOptions(provider=west))
blob = storage.Blob("index", resource_group_name=rg.name, account_name=sa.name, container_name="$web",
                    type="Block", source=pulumi.FileAsset("index.html"))
shared = azure_native.keyvault.Vault.get(
    "shared", "/subscriptions/0/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared")
pulumi.export("web", sa.primary_endpoints.web)
pulumi.export("shared_vault", shared.properties.vault_uri)
pulumi.export("source_kind", blob.source.apply(lambda s: type(s).__name__))
pulumi.export("blob_type", blob.type)
"""


def _program(directory: Path, source: str, config: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: located\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text(config)
    (directory / "__main__.py").write_text(textwrap.dedent(source))
    (directory / "index.html").write_text("<p>hi</p>\n")
    return directory


@pytest.fixture(scope="module")
def located(tmp_path_factory):
    from synth.run import synthesize

    program = _program(tmp_path_factory.mktemp("located") / "p", LOCATED, "config:\n  azure-native:location: uksouth\n")
    first, second = synthesize(program, "dev"), synthesize(program, "dev")
    return first, second


def test_the_stack_location_fills_resources_that_take_one_and_pass_none(located):
    graph, _ = located
    by_name = {r.name: r for r in graph.resources}
    assert by_name["rg"].inputs["location"] == "uksouth" and by_name["sa"].inputs["location"] == "uksouth"
    assert by_name["sa2"].inputs["location"] == "ukwest"  # the program's own value wins
    assert "location" not in by_name["rule"].inputs  # a security rule takes no location
    assert by_name["rg-west"].inputs["location"] == "ukwest"  # an explicit provider's location, not the stack's


def test_outputs_reach_the_program_in_the_sdks_own_types(located):
    graph, _ = located
    assert graph.outputs == {"blob_type": "Block", "source_kind": "FileAsset", "web": "https://sa.z33.web.core.windows.net/",
                             "shared_vault": "https://kv-shared.vault.azure.net/"}
    blob = next(r for r in graph.resources if r.name == "index")
    assert blob.outputs["type"] == "Block" and blob.outputs["source"] == {"path": "index.html"}


def test_the_same_program_gives_a_byte_identical_graph(located):
    first, second = located
    assert first.to_json() == second.to_json()
    assert "pulumi:pulumi:Stack$" not in first.to_json()


def test_without_config_a_resource_takes_its_groups_location(tmp_path):
    from synth.run import synthesize

    source = """\
    from pulumi_azure_native import resources, storage
    rg = resources.ResourceGroup("rg", location="ukwest")
    storage.StorageAccount("sa", resource_group_name=rg.name, kind="StorageV2", sku={"name": "Standard_LRS"})
    """
    graph = synthesize(_program(tmp_path / "p", source, "config: {}\n"), "dev")
    assert {r.name: r.inputs.get("location") for r in graph.custom_resources()} == {"rg": "ukwest", "sa": "ukwest"}
    assert json.loads(graph.to_json())["resources"][0]["type"] == "pulumi:pulumi:Stack"


def test_an_existing_resource_read_by_id_answers_for_that_resource():
    vault_id = f"{RG}/providers/Microsoft.KeyVault/vaults/kv-shared"
    resource_id, outputs = new_resource(Registration("azure-native:keyvault:Vault", "shared", "urn:x", {},
                                                     read_id=vault_id), custom=True)
    assert resource_id == vault_id and outputs["name"] == "kv-shared"
    assert outputs["properties"]["vaultUri"] == "https://kv-shared.vault.azure.net/"
