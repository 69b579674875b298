"""What a built-in checkov check found, for the checks whose own evidence misleads: CKV_AZURE_11
names the nested firewall rule by its index (``resources/[0]/type``), CKV_AZURE_23 quotes the whole
list of nested resources, CKV_AZURE_99 an unprefixed
key that is not where ARM keeps it. Each explainer reads the resource as checkov judged it and
names the rule, range or setting behind the verdict."""

from __future__ import annotations

from typing import Any, Callable

from policies.output.report import Outcome

ALL_ADDRESSES = {"0.0.0.0", "0.0.0.0/0"}


def _props(conf: dict[str, Any]) -> dict[str, Any]:
    value = conf.get("properties")
    return value if isinstance(value, dict) else {}


def sql_firewall(conf: dict[str, Any], outcome: Outcome) -> str:
    """CKV_AZURE_11: which firewall rule lets every address in."""
    rules = []
    for child in conf.get("resources") or []:
        if isinstance(child, dict) and str(child.get("type", "")).lower().rsplit("/", 1)[-1] == "firewallrules":
            body = _props(child)
            rules.append((str(child.get("name", "")).rsplit("/", 1)[-1], body.get("startIpAddress"), body.get("endIpAddress")))
    wide = [r for r in rules if r[1] in ALL_ADDRESSES and r[2] == "255.255.255.255"]
    if wide:
        return "; ".join(f"firewall rule {name} allows {start} - {end} (every internet address)" for name, start, end in wide)
    if not rules:
        return "no firewall rules declared with the server"
    return "firewall rules " + ", ".join(f"{name} ({start} - {end})" for name, start, end in rules) + " do not open it to every address"


def sql_auditing(conf: dict[str, Any], outcome: Outcome) -> str:
    """CKV_AZURE_23: the auditing settings declared with the server or database, and their state."""
    settings = [(str(child.get("name", "")).rsplit("/", 1)[-1], _props(child).get("state", "not set"))
                for child in conf.get("resources") or []
                if isinstance(child, dict) and str(child.get("type", "")).lower().rsplit("/", 1)[-1] == "auditingsettings"]
    if not settings:
        return "no auditingSettings declared with it (Azure's default is Disabled)"
    return "; ".join(f"auditingSettings {name}: state = {state}" for name, state in settings)


def cosmos_network(conf: dict[str, Any], outcome: Outcome) -> str:
    """CKV_AZURE_99: whether a virtual network filter or IP rules restrict the account."""
    found = _props(conf)
    vnet_filter = found.get("isVirtualNetworkFilterEnabled") is True
    ip_rules = [str(r.get("ipAddressOrRange")) for r in found.get("ipRules") or [] if isinstance(r, dict)]
    vnet_rules = found.get("virtualNetworkRules") or []
    public = found.get("publicNetworkAccess", "not set (Enabled)")
    facts = (f"properties/isVirtualNetworkFilterEnabled = {str(vnet_filter).lower()}; "
             f"ipRules: {', '.join(ip_rules) or 'none'}; virtualNetworkRules: {len(vnet_rules)}; "
             f"publicNetworkAccess = {public}")
    if outcome is Outcome.failed:
        return f"reachable from any network ({facts})"
    if found.get("enableMultipleWriteLocations") is False:
        return f"not judged by checkov: it only judges accounts with multi-region writes (enableMultipleWriteLocations = false); {facts}"
    return f"restricted ({facts})"


EXPLAINERS: dict[str, Callable[[dict[str, Any], Outcome], str]] = {
    "CKV_AZURE_11": sql_firewall,
    "CKV_AZURE_23": sql_auditing,
    "CKV_AZURE_99": cosmos_network,
}


def explain(check_id: str, conf: dict[str, Any], outcome: Outcome) -> str | None:
    explainer = EXPLAINERS.get(check_id)
    return explainer(conf, outcome) if explainer else None
