"""CKV_BOROUGH_013: no NSG rule lets the internet in on every port.

checkov's NSG checks look at ports 22, 80 and 3389 only; a rule allowing ``*`` from ``*``
opens everything and passes them all."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

INTERNET = {"*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "::/0"}
ALL_PORTS = {"*", "0-65535", "1-65535"}


def opens_everything(rule: dict[str, Any]) -> bool:
    inner = rule.get("properties") if isinstance(rule.get("properties"), dict) else rule
    if str(inner.get("access", "")).lower() != "allow" or str(inner.get("direction", "")).lower() != "inbound":
        return False
    sources = [inner.get("sourceAddressPrefix"), *(inner.get("sourceAddressPrefixes") or [])]
    ports = [inner.get("destinationPortRange"), *(inner.get("destinationPortRanges") or [])]
    return any(str(s).lower() in INTERNET for s in sources if s) and any(str(p) in ALL_PORTS for p in ports if p)


class NsgAnyPortFromInternet(CouncilCheck):
    id = "CKV_BOROUGH_013"
    supported_resources = ("Microsoft.Network/networkSecurityGroups", "Microsoft.Network/networkSecurityGroups/securityRules")

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        if conf.get("type") == "Microsoft.Network/networkSecurityGroups/securityRules":
            rules = [conf]
        else:
            rules = [r for r in props(conf).get("securityRules") or [] if isinstance(r, dict)]
        return self.passed_if(not any(opens_everything(r) for r in rules))


check = NsgAnyPortFromInternet()
