"""ARM templates as Azure users hand them over (issue 9, item 14): parameters, variables and
template expressions are resolved offline where they can be, what cannot be is reported (path and
why), and the template is checked instead of crashing inside checkov."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from arm.expressions import resolve_template

TEMPLATES = Path(__file__).parent / "fixtures" / "templates"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _resolve(resources, parameters=None, variables=None, values=None):
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters or {},
                "variables": variables or {}, "resources": resources}
    return resolve_template(template, values)


def _one(value, **kwargs):
    resolution = _resolve([{"type": "T/x", "name": "n", "properties": {"v": value}}], **kwargs)
    return resolution.template["resources"][0]["properties"]["v"], resolution.unresolved


@pytest.mark.parametrize("expression,expected", [
    ("[concat('st', 'docs', string(1))]", "stdocs1"),
    ("[format('{0}-{1}', 'app', 7)]", "app-7"),
    ("[toLower('ABC')]", "abc"),
    ("[if(equals(1, 1), 'yes', 'no')]", "yes"),
    ("[not(true())]", False),
    ("[length(createArray(1, 2, 3))]", 3),
    ("[first(split('a,b', ','))]", "a"),
    ("[replace('a-b-c', '-', '')]", "abc"),
    ("[createObject('k', 'v').k]", "v"),
    ("[createArray('x', 'y')[1]]", "y"),
    ("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'apps')]",
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers/"
     "Microsoft.Network/virtualNetworks/vnet/subnets/apps"),
    ("[environment().suffixes.storage]", "core.windows.net"),
    ("[[literal]", "[literal]"),
    ("not an expression", "not an expression"),
])
def test_functions_are_evaluated(expression, expected):
    value, unresolved = _one(expression)
    assert (value, unresolved) == (expected, [])


def test_parameters_come_from_values_then_defaults_and_variables_chain():
    value, unresolved = _one("[concat(variables('a'), '-', parameters('env'), '-', parameters('region'))]",
                             parameters={"env": {"type": "string", "defaultValue": "dev"},
                                         "region": {"type": "string", "defaultValue": "ukwest"}},
                             variables={"a": "[toUpper(variables('b'))]", "b": "svc"}, values={"region": "uksouth"})
    assert (value, unresolved) == ("SVC-dev-uksouth", [])


@pytest.mark.parametrize("expression,why", [
    ("[resourceGroup().location]", "resource group's location"),
    ("[reference('x').primaryEndpoints.blob]", "reference() reads a deployed resource"),
    ("[listKeys('x', '2023-01-01').keys[0].value]", "listkeys() reads secrets"),
    ("[utcNow()]", "deployment time"),
    ("[parameters('missing')]", "not declared"),
    ("[parameters('noDefault')]", "no defaultValue"),
    ("[variables('loop')]", "refers to itself"),
    ("[concat('a',, 'b')]", "not a valid expression"),
])
def test_what_needs_the_deployment_is_left_as_written_and_reported(expression, why):
    value, unresolved = _one(expression, parameters={"noDefault": {"type": "string"}}, variables={"loop": "[variables('loop')]"})
    assert value == expression
    assert [u.path for u in unresolved] == ["resources[0].properties.v"]
    assert why in unresolved[0].reason


def test_copy_loops_and_conditions_are_applied():
    resolution = _resolve([
        {"type": "T/x", "name": "[concat('vm', copyIndex(1))]", "copy": {"name": "vms", "count": "[parameters('n')]"},
         "properties": {"copy": [{"name": "disks", "count": 2, "input": {"lun": "[copyIndex('disks')]"}}]}},
        {"type": "T/y", "name": "skipped", "condition": "[equals(parameters('n'), 0)]"},
    ], parameters={"n": {"type": "int", "defaultValue": 3}})
    resources = resolution.template["resources"]
    assert [r["name"] for r in resources] == ["vm1", "vm2", "vm3"]
    assert resources[0]["properties"]["disks"] == [{"lun": 0}, {"lun": 1}]
    assert resolution.unresolved == []


def borough(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_a_portal_export_with_parameters_is_checked_not_crashed():
    result = borough("--template", str(TEMPLATES / "portal-export.json"), "--format", "json")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    failed = {(f["check_id"], f["resource"]): f for f in report["findings"] if f["outcome"] == "failed"}
    ssh = failed[("CKV_AZURE_10", "Microsoft.Network/networkSecurityGroups.jump-nsg")]
    assert ssh["message"] == "port 22 (SSH) open to Internet in rule SSH"
    lines = (TEMPLATES / "portal-export.json").read_text().splitlines()
    assert '"type": "Microsoft.Network/networkSecurityGroups"' in lines[ssh["line"]]
    winrm = failed[("CKV_BOROUGH_021", "Microsoft.Network/networkSecurityGroups/securityRules.jump-nsg/WinRM")]
    assert "port 5985" in winrm["message"] and "port 5986" in winrm["message"]
    assert ("CKV_BOROUGH_003", "Microsoft.Storage/storageAccounts.westmoorfiles") in failed
    assert report["unresolved"] == [] and report["incomplete"] == []


def test_a_quickstart_template_reports_what_it_could_not_resolve():
    result = borough("--template", str(TEMPLATES / "quickstart.json"), "--format", "json")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    resources = {f["resource"] for f in report["findings"]}
    storage = sorted(r for r in resources if r.startswith("Microsoft.Storage/storageAccounts.resi"))
    assert len(storage) == 2 and storage[0].endswith("1")       # copy loop of parameters('storageCount') = 2
    assert not any(r.startswith("Microsoft.Web/sites") for r in resources)  # condition false: not deployed
    unresolved = {(u["path"], u["reason"].split(" (")[0]) for u in report["unresolved"]}
    assert ("resources[1].location", "the resource group's location is known only at deployment") in unresolved
    assert ("resources[3].properties.minimumTlsVersion", "reference() reads a deployed resource") in unresolved
    table = borough("--template", str(TEMPLATES / "quickstart.json")).stdout
    assert "Template values not resolved offline" in table


def test_a_parameters_file_resolves_the_rest():
    result = borough("--template", str(TEMPLATES / "quickstart.json"), "--parameters",
                     str(TEMPLATES / "quickstart.parameters.json"), "--format", "json")
    report = json.loads(result.stdout)
    storage = {f["resource"] for f in report["findings"] if f["resource"].startswith("Microsoft.Storage/storageAccounts.resi")}
    assert len(storage) == 3                                      # storageCount = 3 from the file
    assert [u["path"] for u in report["unresolved"]] == ["resources[3].properties.minimumTlsVersion"]
    uk = [f for f in report["findings"] if f["check_id"] == "CKV_BOROUGH_002"]
    assert uk and all(f["outcome"] == "passed" for f in uk)      # location: uksouth from the file
    postgres = next(f for f in report["findings"] if f["check_id"] == "CKV_BOROUGH_021")
    assert postgres["outcome"] == "failed" and "port 5432 (PostgreSQL)" in postgres["message"]


def test_parameters_without_a_template_is_a_usage_error():
    result = borough("--state", "x.json", "--parameters", str(TEMPLATES / "quickstart.parameters.json"))
    assert result.exit_code == 2 and "--parameters" in result.stderr


HOSTILE = ["[parameters('p')]", "[variables('v')]", "[copyIndex()]", "[concat(1, createArray())]", "[format('{3}', 1)]",
           "[int('x')]", "[createObject('a')]", "[first(createArray())]", "[parameters('p').x]", "[variables('v')[5]]",
           "[json('{')]", "[substring('abc', 5, 9)]", "[div(1, 0)]", "[range(0, 'x')]", "[]", "[ ]", "[x]", "['a'.b]",
           "[if(true(), 1)]", "[copyIndex('nope')]", "[union(1, 2)]", "[resourceId()]", "[string(resourceGroup())]",
           "[resourceGroup().location]", 1, None, True, "plain", [], {}, -5]


def _garbage(rng, depth=0):
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(HOSTILE)
    if roll < 0.7:
        keys = ["copy", "name", "count", "input", "properties", "condition", "resources"]
        return {rng.choice(keys): _garbage(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [_garbage(rng, depth + 1) for _ in range(rng.randint(0, 3))]


def test_no_template_shape_makes_the_resolver_raise():
    """Whatever a template holds, values are resolved or listed as unresolved: never an exception."""
    import random

    rng = random.Random(8)
    for _ in range(3000):
        template = {"parameters": {"p": rng.choice([{"defaultValue": _garbage(rng, 2)}, {"type": "string"}])},
                    "variables": {"v": _garbage(rng, 2), "copy": _garbage(rng, 3)},
                    "resources": [_garbage(rng, 1) for _ in range(rng.randint(0, 3))]}
        resolution = resolve_template(template, rng.choice([{}, {"p": _garbage(rng, 3)}]))
        json.dumps(resolution.template)
        assert all(u.reason for u in resolution.unresolved)


def test_doubling_variables_are_refused_not_expanded():
    """ARM's "billion laughs": each variable doubles the last; evaluation stops at a bound."""
    variables = {"v0": "[string('abcdefghij')]"}
    variables.update({f"v{i}": f"[concat(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 80)})
    value, unresolved = _one("[variables('v79')]", variables=variables)
    assert value == "[variables('v79')]"
    assert "more than borough evaluates" in unresolved[0].reason
    value, unresolved = _one("[length(range(0, 100000000))]")
    assert "more than borough evaluates" in unresolved[0].reason


def test_a_name_left_unresolved_does_not_make_checkov_drop_its_failures(tmp_path):
    """checkov silently drops failed checks of resources whose name holds toLower( and the like."""
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
        "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "[toLower(reference('x').name)]",
        "location": "uksouth", "kind": "StorageV2", "sku": {"name": "Standard_GRS"},
        "properties": {"supportsHttpsTrafficOnly": False}}]}))
    report = json.loads(borough("--template", str(path), "--format", "json").stdout)
    https = [f for f in report["findings"] if f["check_id"] == "CKV_AZURE_3"]
    assert [f["outcome"] for f in https] == ["failed"]
    assert [u["path"] for u in report["unresolved"]] == ["resources[0].name"]
