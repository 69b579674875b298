"""Pulumi type token -> ARM resource type, API version and naming keys.

The table (``types.yaml``, data beside this module) is what lets checkov judge a Pulumi resource
at all: an azure-native resource whose token is not there cannot be rendered, and the run is
incomplete (exit 3) unless the user accepts that. API versions are the ones pulumi-azure-native
3.x uses by default (its docstrings), so checks that look at ``apiVersion`` see what would really
be deployed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class ArmType:
    type: str
    """ARM resource type, e.g. ``Microsoft.Storage/storageAccounts``; ``{input}`` segments are
    filled from the resource's inputs (``Microsoft.Network/dnsZones/{recordType}``)."""
    api_version: str
    name_key: str
    """Input that holds the resource's own name (a path parameter, not a property)."""
    parent_keys: tuple[str, ...] = ()
    """Inputs naming the parents, outermost first; ``@x`` is the literal segment ``x``."""
    taggable: bool = False
    located: bool = False


TYPES_FILE = Path(__file__).with_name("types.yaml")


def _load_table(path: Path) -> tuple[dict[str, ArmType], dict[str, str]]:
    """The table kept as data (one line per type token), plus the azure-native tokens that are
    not ARM resources (token -> why)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    table = {}
    for token, entry in data["types"].items():
        if not all(isinstance(entry.get(key), str) for key in ("type", "api", "name")):
            raise ValueError(f"{path}: types.{token}: type, api and name must be strings")
        table[token] = ArmType(entry["type"], entry["api"], entry["name"], tuple(entry.get("parents") or ()),
                               taggable=bool(entry.get("tagged")), located=bool(entry.get("located")))
    for alias, token in (data.get("aliases") or {}).items():
        table[alias] = table[token]
    return table, dict(data.get("not_arm") or {})


TYPE_TABLE, NOT_ARM = _load_table(TYPES_FILE)
"""``NOT_ARM``: azure-native tokens with no ARM resource behind them (a blob is data-plane)."""

_VERSIONED = re.compile(r"^azure-native:([a-z0-9]+)/v(\d{4})(\d{2})(\d{2})(preview)?:(\w+)$")


def lookup(token: str) -> ArmType | None:
    """The entry for a type token; an explicitly versioned token (``azure-native:storage/v20230101:
    StorageAccount``, from programs pinned to one API version) maps to its module's entry at
    that API version."""
    entry = TYPE_TABLE.get(token)
    if entry is not None:
        return entry
    match = _VERSIONED.match(token)
    if match is None:
        return None
    module, year, month, day, preview, name = match.groups()
    base = TYPE_TABLE.get(f"azure-native:{module}:{name}")
    if base is None:
        return None
    return replace(base, api_version=f"{year}-{month}-{day}" + ("-preview" if preview else ""))

ARM_TYPES: dict[str, ArmType] = {}
for _entry in TYPE_TABLE.values():
    ARM_TYPES.setdefault(_entry.type.lower(), _entry)

TOP_LEVEL_KEYS = ("location", "tags", "sku", "kind", "identity", "zones", "extendedLocation", "plan")
"""Inputs that sit beside ``properties`` in ARM rather than inside it."""

SCOPE_KEYS: dict[str, str] = {
    "Microsoft.Insights/diagnosticSettings": "resourceUri",
    "Microsoft.Authorization/roleAssignments": "scope",
    "Microsoft.Authorization/policyAssignments": "scope",
    "Microsoft.Security/pricings": "scopeId",
}
"""Extension resources: the input that names the resource they attach to (ARM ``scope``)."""

RENAMES: dict[str, dict[str, str]] = {
    "Microsoft.Storage/storageAccounts": {
        "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
        "networkRuleSet": "networkAcls",
    },
}
"""SDK wire name -> ARM property name, where the two differ."""

_KEY_VAULT_ATTRIBUTES = {("attributes", "expires"): "exp", ("attributes", "notBefore"): "nbf"}
NESTED_RENAMES: dict[str, dict[tuple[str, str], str]] = {
    "Microsoft.KeyVault/vaults/secrets": _KEY_VAULT_ATTRIBUTES,
    "Microsoft.KeyVault/vaults/keys": _KEY_VAULT_ATTRIBUTES,
}
"""(property, SDK name inside it) -> ARM name: Key Vault's ``attributes.expires`` is ``exp`` in ARM."""

SUBRESOURCES: dict[str, tuple[str, ...]] = {
    "Microsoft.Network/networkSecurityGroups": ("securityRules", "defaultSecurityRules"),
    "Microsoft.Network/virtualNetworks": ("subnets", "virtualNetworkPeerings"),
    "Microsoft.Network/virtualNetworks/subnets": ("delegations",),
    "Microsoft.Network/privateEndpoints": (
        "privateLinkServiceConnections", "manualPrivateLinkServiceConnections", "ipConfigurations",
    ),
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": ("privateDnsZoneConfigs",),
    "Microsoft.Network/networkInterfaces": ("ipConfigurations",),
    "Microsoft.Network/routeTables": ("routes",),
    "Microsoft.Network/azureFirewalls": ("ipConfigurations",),
    "Microsoft.Network/bastionHosts": ("ipConfigurations",),
    "Microsoft.Network/loadBalancers": (
        "frontendIPConfigurations", "backendAddressPools", "loadBalancingRules", "probes", "inboundNatRules",
    ),
    "Microsoft.ContainerInstance/containerGroups": ("containers", "initContainers"),
    "Microsoft.Network/frontDoors": (
        "frontendEndpoints", "backendPools", "routingRules", "healthProbeSettings", "loadBalancingSettings",
    ),
    "Microsoft.Network/applicationGateways": (
        "gatewayIPConfigurations", "frontendIPConfigurations", "frontendPorts", "backendAddressPools",
        "backendHttpSettingsCollection", "httpListeners", "requestRoutingRules", "probes", "sslCertificates",
    ),
}
"""Flattened sub-resources (lists of ``{name, ...}``) that ARM nests as ``{name, properties}``.

A sub-resource list's items take the sub-type ``<type>/<key>`` for their own nesting
(``subnets`` inside a virtual network get the subnet rules)."""

SUBRESOURCE_TYPES: dict[tuple[str, str], str] = {
    ("Microsoft.Network/virtualNetworks", "subnets"): "Microsoft.Network/virtualNetworks/subnets",
}

NESTED_CHILDREN: dict[str, tuple[str, ...]] = {
    "Microsoft.Sql/servers": (
        "Microsoft.Sql/servers/auditingSettings",
        "Microsoft.Sql/servers/firewallRules",
        "Microsoft.Sql/servers/securityAlertPolicies",
    ),
    "Microsoft.Sql/servers/databases": ("Microsoft.Sql/servers/databases/auditingSettings",),
}
"""Child resources that checks look for in the parent's ``resources`` list (e.g. CKV_AZURE_23
reads a SQL server's auditing settings there), so they are rendered nested, not beside it."""

SUB_RESOURCE_PASSTHROUGH_KEYS = ("name", "id", "etag", "type")
