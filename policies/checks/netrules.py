"""Reading NSG security rules as Azure applies them: who may reach which ports.

Shared by the council's NSG checks and by the messages of checkov's built-in SSH/RDP/HTTP
checks. Azure matches service tags without regard to case (``Internet``, ``internet``), and a
rule's ports can be one port, a list (``destinationPortRanges``), a range (``20-25``) or ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

INTERNET_SOURCES = frozenset({"*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0", "::", "<nw>/0", "/0"})
"""Source prefixes that mean "anyone on the internet" (service tags compared in lower case)."""

MANAGEMENT_PORTS: dict[int, str] = {
    22: "SSH", 3389: "RDP", 5985: "WinRM (HTTP)", 5986: "WinRM (HTTPS)",
    1433: "SQL Server", 1434: "SQL Server browser", 3306: "MySQL", 5432: "PostgreSQL", 1521: "Oracle",
    27017: "MongoDB", 6379: "Redis", 9200: "Elasticsearch", 5984: "CouchDB", 9042: "Cassandra", 11211: "Memcached",
}
"""Remote administration and database ports that must never face the internet."""

SECURITY_RULES = "Microsoft.Network/networkSecurityGroups/securityRules"
AS_WRITTEN = "borough:internetSources"
"""Where the checkov view of a rule keeps the internet sources as the template spelled them
(``Internet``), after giving checkov the spelling it compares (``internet``)."""


@dataclass(frozen=True)
class OpenPort:
    rule: str
    port: int
    source: str


def rule_body(rule: dict[str, Any]) -> dict[str, Any]:
    inner = rule.get("properties")
    return inner if isinstance(inner, dict) else rule


def rules_of(conf: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(rule name, rule body) of an NSG's ``securityRules`` or of a standalone rule resource."""
    if conf.get("type") == SECURITY_RULES:
        return [(str(conf.get("name", "")).rsplit("/", 1)[-1], rule_body(conf))]
    props = conf.get("properties") if isinstance(conf.get("properties"), dict) else {}
    rules = props.get("securityRules") or []
    return [(str(r.get("name", "")), rule_body(r)) for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []


def _listed(body: dict[str, Any], single: str, plural: str) -> list[Any]:
    values = [body.get(single)]
    many = body.get(plural)
    if isinstance(many, list):
        values += many
    return [v for v in values if v not in (None, "")]


def internet_sources(body: dict[str, Any]) -> list[str]:
    """The rule's source prefixes that mean the whole internet (as the template spelled them)."""
    found = [str(s) for s in _listed(body, "sourceAddressPrefix", "sourceAddressPrefixes")
             if str(s).strip().lower() in INTERNET_SOURCES or str(s).strip().endswith("/0")]
    written = body.get(AS_WRITTEN)
    return [str(s) for s in written] if found and isinstance(written, list) and written else found


def covers(port_spec: Any, port: int) -> bool:
    text = str(port_spec).strip()
    if text == "*":
        return True
    if "-" in text:
        low, _, high = text.partition("-")
        try:
            return int(low) <= port <= int(high)
        except ValueError:
            return False
    try:
        return int(text) == port
    except ValueError:
        return False


def is_inbound_allow(body: dict[str, Any]) -> bool:
    return str(body.get("access", "")).lower() == "allow" and str(body.get("direction", "")).lower() == "inbound"


def open_from_internet(conf: dict[str, Any], ports: Iterable[int]) -> list[OpenPort]:
    """Every (rule, port) of ``ports`` that an inbound Allow rule opens to an internet source."""
    wanted = list(ports)
    found = []
    for name, body in rules_of(conf):
        if not is_inbound_allow(body) or str(body.get("protocol", "*")).lower() not in ("tcp", "*", "udp"):
            continue
        sources = internet_sources(body)
        if not sources:
            continue
        specs = _listed(body, "destinationPortRange", "destinationPortRanges")
        for port in wanted:
            if any(covers(spec, port) for spec in specs):
                found.append(OpenPort(name, port, sources[0]))
    return found


def describe(open_ports: list[OpenPort]) -> str:
    """``port 22 (SSH) open to Internet in rule allow-ssh; ...``"""
    parts = []
    for item in open_ports:
        label = MANAGEMENT_PORTS.get(item.port)
        port = f"port {item.port} ({label})" if label else f"port {item.port}"
        parts.append(f"{port} open to {item.source} in rule {item.rule or '(unnamed)'}")
    return "; ".join(parts)
